"""One sheet: its text repaired, its header and table found, its rows read and checked.

What could make a figure wrong (a column of another year, two candidate columns, a total that
disagrees with its rows, formulas with no stored result) is a problem; the rest is recorded
on the sheet's `SheetReading`.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path

from hbt_analysis import units as nm
from hbt_analysis.fmt import fmt_int
from hbt_analysis.intake.header import Header, cell_text, choose_columns, column_letter, find_header
from hbt_analysis.intake.layout import read_rows
from hbt_analysis.intake.readings import SheetReading
from hbt_analysis.intake.repair import _normalize_text, _repair_legacy, _spread_merges
from hbt_analysis.intake.sources import Sheet, Source
from hbt_analysis.problems import Problem
from hbt_analysis.schema import YEARLY_TABLES, Table, header_key

#: Names a table's file or sheet may carry: a tie-break when content alone cannot tell.
TABLE_NAMES: dict[str, tuple[str, ...]] = {
    "group_conferences": ("group_conferences", "to_dan_pho", "hoi_nghi_to_dan_pho", "tdp"),
    "ward_conferences": ("ward_conferences", "phuong", "hoi_nghi_phuong"),
    "opinions": ("opinions", "y_kien", "y_kien_kien_nghi"),
}


def _read_sheet(source: Source, sheet: Sheet, year: int | None, resolver: nm.WardResolver,
                problems: list[Problem], tables: Collection[str] | None = None) -> SheetReading:
    sr = SheetReading(source.path, sheet.name, sheet.visible)
    rows = sheet.rows
    sr.encodings, garbled = _repair_legacy(rows)
    for letter in garbled:
        problems.append(Problem(
            "warning", sr.where(), None, letter,
            f"Cột {letter} có ô chữ bị lỗi mã (không phải Unicode, TCVN3 hay VNI): chữ trong "
            "các ô đó có thể sai; mở tệp, kiểm tra bảng mã và lưu lại dạng Unicode.",
            f"Column {letter} has cells of garbled text (neither Unicode, TCVN3 nor VNI): "
            "their words may be wrong; open the file, check its encoding and save it as "
            "Unicode.",
            "garbled_text",
        ))
    for letter, encoding, n in sr.encodings:
        enc = {"tcvn3": "TCVN3 (ABC, .VnTime)", "vni": "VNI-Windows"}.get(encoding, encoding)
        problems.append(Problem(
            "warning", sr.where(), None, letter or None,
            f"{f'Cột {letter}' if letter else 'Dòng tiêu đề'}: {fmt_int(n)} ô viết bằng bảng "
            f"mã cũ {enc} đã được chuyển sang Unicode; nên chuyển cả tệp sang Unicode (Unikey: "
            "Công cụ chuyển mã).",
            f"{f'Column {letter}' if letter else 'Title and header rows'}: {fmt_int(n, 'en')} "
            f"cells in the legacy encoding {enc} were "
            "converted to Unicode; better convert the whole file (Unikey's converter).",
            "legacy_encoding",
        ))
    _normalize_text(rows)
    sr.merges = _spread_merges(rows, sheet.merged)
    best: Header | None = None
    for table in YEARLY_TABLES.values():
        header = find_header(rows, table)
        if header is None:
            continue
        header.score += _name_bonus(source.path, sheet.name, table)
        if best is None or (header.complete, header.score) > (best.complete, best.score):
            best = header
    if best is None:
        sr.why_vi, sr.why_en = ("không thấy dòng tiêu đề của bảng số liệu",
                                "no header row of a data table found")
        suffix = source.path.suffix.lower()
        if source.kind == "csv" and suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
            problems.append(Problem(
                "error", str(source.path), None, None,
                f"không mở được tệp Excel: tệp có đuôi {suffix} nhưng nội dung là văn bản "
                "thường, không phải bảng tính; lấy lại bản gốc hoặc mở bằng Excel và lưu lại "
                "dưới dạng .xlsx",
                f"cannot open the Excel file: it is named {suffix} but holds plain text, not "
                "a spreadsheet; get the original or open it in Excel and save it as .xlsx",
                "unreadable",
            ))
        return sr
    if tables is not None and best.table.name not in tables:
        sr.why_vi, sr.why_en = "bảng không cần đọc ở bước này", "a table not needed here"
        return sr
    choose_columns(best, year)
    sr.table = best.table.name
    sr.header = best
    where = sr.where()
    for role, cols in best.conflicts:
        label = best.table.column(role).label_vi
        listed = "; ".join(f"cột {c.letter} '{c.label}'" for c in cols)
        listed_en = "; ".join(f"column {c.letter} '{c.label}'" for c in cols)
        if len(cols) == 1:
            problems.append(Problem(
                "error", where, best.rows[-1] + 1, cols[0].label,
                f"Cột '{cols[0].label}' là số liệu năm {cols[0].year}, không phải năm {year}: "
                f"có lẽ đây là số liệu năm khác; chuyển tệp về đúng thư mục năm hoặc sửa tiêu "
                "đề cột.",
                f"Column '{cols[0].label}' holds the figures of {cols[0].year}, not {year}: "
                "these may be another year's figures; move the file to that year's folder or "
                "fix the header.",
                "other_year_column",
            ))
        else:
            problems.append(Problem(
                "error", where, best.rows[-1] + 1, label,
                f"Hai cột cùng có thể là '{label}' ({listed}); không đoán: xóa cột thừa hoặc "
                f"ghi rõ năm ({year}) vào tiêu đề cột cần đọc.",
                f"Two columns could both be '{best.table.column(role).label_en}' "
                f"({listed_en}); not guessing: delete the extra one or write the year "
                f"({year}) in the header of the one to read.",
                "ambiguous_column",
            ))
    for col, why_vi, why_en in best.set_aside:
        kept = best.chosen[col.role]
        problems.append(Problem(
            "warning", where, best.rows[-1] + 1, col.label,
            f"Có hai cột '{best.table.column(col.role).label_vi}': đọc cột {kept.letter} "
            f"'{kept.label}', bỏ qua cột {col.letter} '{col.label}' ({why_vi}).",
            f"Two '{best.table.column(col.role).label_en}' columns: read column {kept.letter} "
            f"'{kept.label}', set aside column {col.letter} '{col.label}' ({why_en}).",
            "column_set_aside",
        ))
    title_rows = [" ".join(cell_text(c) for c in r if cell_text(c))
                  for r in rows[:best.rows[0]]]
    _check_title_year(title_rows, year, where, problems)
    sr.context_ward = (resolver.find_in(sheet.name or "") or
                       next((w for t in title_rows if (w := resolver.find_in(t))), None) or
                       resolver.find_in(source.path.stem))
    sr.block = read_rows(rows, best, resolver, sr.context_ward)
    for check in sr.block.sums:
        if check.agrees:
            continue
        for role, (written, computed) in check.figures.items():
            if abs(written - computed) < 0.5:
                continue
            label = best.table.column(role).label_vi
            problems.append(Problem(
                "error", where, check.row, best.chosen[role].label,
                f"Dòng {'tổng cộng' if check.kind == 'total' else 'cộng'} '{check.label}' ghi "
                f"{label} = {fmt_int(written)} nhưng cộng các dòng số liệu được "
                f"{fmt_int(computed)}; sửa dòng cộng hoặc các dòng bên trên.",
                f"The {'total' if check.kind == 'total' else 'subtotal'} row '{check.label}' "
                f"says {best.table.column(role).label_en} = {fmt_int(written, 'en')} but "
                f"the rows above add up to {fmt_int(computed, 'en')}; fix the total or the "
                "rows.",
                "total_mismatch",
            ))
    _formula_problems(sheet, sr, problems)
    if not sr.block.records:
        sr.why_vi, sr.why_en = "có tiêu đề nhưng không có dòng số liệu", "a header but no rows"
    return sr


def _name_bonus(path: Path, sheet: str | None, table: Table) -> float:
    keys = [header_key(path.stem)] + ([header_key(sheet)] if sheet else [])
    names = TABLE_NAMES[table.name]
    return 0.25 if any(k in names or any(k.startswith(n + "_") for n in names)
                       for k in keys) else 0.0


def _check_title_year(titles: list[str], year: int | None, where: str,
                      problems: list[Problem]) -> None:
    if year is None:
        return
    mentioned = {int(y) for t in titles for pair in re.findall(
        r"(?:năm|nam)\s*(20\d\d)(?:\s*[-–/]\s*(20\d\d))?\b", t, flags=re.I)
        for y in pair if y}
    if mentioned and year not in mentioned:
        shown = ", ".join(map(str, sorted(mentioned)))
        problems.append(Problem(
            "error", where, None, None,
            f"Tiêu đề của bảng ghi năm {shown}, nhưng tệp nằm trong thư mục năm {year}: có thể "
            "đây là số liệu năm khác; chuyển tệp sang đúng thư mục năm hoặc sửa tiêu đề.",
            f"The sheet's title says {shown}, but the file is in the folder of {year}: these "
            "may be another year's figures; move the file or fix the title.",
            "other_year_title",
        ))


def _formula_problems(sheet: Sheet, sr: SheetReading, problems: list[Problem]) -> None:
    if not sheet.formulas_without_value or sr.header is None or sr.block is None:
        return
    data_rows = {rec["_row"] - 1 for rec in sr.block.records}
    data_rows |= {s.row - 1 for s in sr.block.sums}
    cols = {c.index: c for c in sr.header.chosen.values()}
    hit: dict[int, list[int]] = {}
    for r, c in sheet.formulas_without_value:
        if r in data_rows and c in cols:
            hit.setdefault(c, []).append(r + 1)
    for c, rows_ in sorted(hit.items()):
        col = cols[c]
        sr.unread.add(col.role)
        cells = f"{column_letter(c)}{min(rows_)}:{column_letter(c)}{max(rows_)}"
        problems.append(Problem(
            "error", sr.where(), min(rows_), col.label,
            f"{len(rows_)} ô của cột '{col.label}' ({cells}) là công thức chưa có kết quả (tệp do "
            "chương trình ghi ra, chưa được tính): mở bằng Excel hoặc LibreOffice rồi lưu lại, "
            "hoặc sao chép và dán dạng giá trị (Paste Values).",
            f"{len(rows_)} cells of the column '{col.label}' ({cells}) are formulas with no "
            "stored result (the file was written by a program and never calculated): open it "
            "in Excel or LibreOffice and save it again, or copy and paste as values.",
            "formula_without_value",
        ))


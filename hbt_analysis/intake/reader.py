"""A year's files in, the three tables out, with every decision recorded.

The pipeline, one step per module: open each file by its content (`sources`), repair legacy
TCVN3/VNI text (`hbt_analysis.legacy`), spread merged cells, find the header of each sheet
and the table it holds (`header`), classify its rows and check its subtotals (`layout`), map
names to codes (`names`), and join the pieces of a table found in several sheets or files.
What could make a figure wrong is an error; what was done to read the file is recorded for
`hbt validate --explain` (`explain`).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hbt_analysis import units as nm
from hbt_analysis.fmt import fmt_int
from hbt_analysis.intake.header import (
    COUNT_ROLES,
    HEADER_SCAN_ROWS,
    Header,
    cell_text,
    choose_columns,
    column_letter,
    find_header,
)
from hbt_analysis.intake.layout import Block, read_rows
from hbt_analysis.intake.sources import (
    TABLE_SUFFIXES,
    Sheet,
    Source,
    open_source,
    peek_text,
)
from hbt_analysis.io import ROW, SRC, CellError, RawTable, ReadError, parse_number
from hbt_analysis.problems import Problem
from hbt_analysis.schema import YEARLY_TABLES, Table, header_key
from hbt_analysis.text import fold, normalize

#: Names a table's file or sheet may carry: a tie-break when content alone cannot tell.
TABLE_NAMES: dict[str, tuple[str, ...]] = {
    "group_conferences": ("group_conferences", "to_dan_pho", "hoi_nghi_to_dan_pho", "tdp"),
    "ward_conferences": ("ward_conferences", "phuong", "hoi_nghi_phuong"),
    "opinions": ("opinions", "y_kien", "y_kien_kien_nghi"),
}
_COPY_RE = re.compile(r"(\(\d+\)|\bcopy\b|\bcopy of\b|ban sao|bản sao|\bbackup\b|\bsao luu\b|"
                      r"\bold\b|\bcu\b|\(cũ\)|\bbk\b)", re.I)
#: Metadata and the review files `hbt import-minutes` writes beside the tables (the loader
#: reports review_flags.csv itself: hbt_analysis.review_flags).
#: group_crosswalk.csv is the year's old group -> new group table, read by the loader.
IGNORED_FILES = ("dataset.json", "review_flags.csv", "kiem_tra_bien_ban.xlsx",
                 "group_crosswalk.csv")


@dataclass
class SheetReading:
    """How one sheet was read (or why it was not)."""

    path: Path
    sheet: str | None
    visible: bool = True
    table: str | None = None
    header: Header | None = None
    block: Block | None = None
    used: bool = True
    why_vi: str = ""
    why_en: str = ""
    encodings: list[tuple[str, str, int]] = field(default_factory=list)  # column, enc, cells
    merges: int = 0
    context_ward: str | None = None
    unread: set[str] = field(default_factory=set)  # columns of formulas with no value
    problems: list = field(default_factory=list)  # a hidden sheet's, until it is read

    def where(self) -> str:
        return f"{self.path}" + (f" [{self.sheet}]" if self.sheet else "")


@dataclass
class FileReading:
    path: Path
    kind: str | None = None
    notes_vi: list[str] = field(default_factory=list)
    notes_en: list[str] = field(default_factory=list)
    sheets: list[SheetReading] = field(default_factory=list)
    read: bool = True


@dataclass
class Intake:
    """The tables of a year as raw cells, the problems found, and how each file was read."""

    tables: dict[str, RawTable]
    problems: list[Problem]
    files: list[FileReading]
    names_mapped: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> raw -> code

    @property
    def paths(self) -> list[Path]:
        return sorted({f.path for f in self.files if f.read and any(
            s.used and s.table for s in f.sheets)})


def candidate_files(folder: Path) -> list[Path]:
    """Every file of a year's folder that could hold a table (lock files and hidden ones aside)."""
    return sorted(p for p in folder.iterdir() if p.is_file())


def read_files(files: list[Path], year: int | None, wards: pd.DataFrame,
               tables: Collection[str] | None = None, columnar: bool | None = None) -> Intake:
    """Read the tables that `files` hold (a year's folder, one workbook, a few CSVs).

    `tables`: read only these tables' rows (a sheet of another table is recognised by its
    header and left unread), e.g. the year before's groups for the coverage check.
    `columnar`: read a plain CSV of a large table by columns (`intake.columnar`; the same
    result as row by row); default: yes unless `HBT_READER=rows`."""
    from hbt_analysis.intake import columnar as col

    if columnar is None:
        columnar = col.enabled()
    wanted = tables
    resolver = nm.WardResolver.from_frame(wards)
    problems: list[Problem] = []
    readings: list[FileReading] = []
    pieces: dict[str, list[SheetReading]] = {name: [] for name in YEARLY_TABLES}
    for path in files:
        fr = FileReading(Path(path))
        readings.append(fr)
        skip = _skip_reason(fr.path)
        if skip:
            fr.read = False
            fr.notes_vi.append(skip[0])
            fr.notes_en.append(skip[1])
            if len(skip) > 2:
                problems.append(Problem("warning", str(fr.path), None, None, skip[0], skip[1],
                                        "file_not_read"))
            continue
        if tables is not None and _holds_other_table(fr.path, tables):
            fr.read = False
            continue
        plain = col.read_plain(fr.path, year, resolver) if columnar else None
        if plain is not None and (tables is None or plain.reading.table in tables):
            fr.kind = "csv"
            fr.notes_vi += plain.notes_vi
            fr.notes_en += plain.notes_en
            problems += plain.problems
            fr.sheets.append(plain.reading)
            pieces[plain.reading.table].append(plain.reading)
            continue
        try:
            source = open_source(fr.path)
        except ReadError as err:
            fr.read = False
            problems.append(Problem("error", str(err.path), None, None, err.message_vi,
                                    err.message_en, "unreadable"))
            continue
        fr.kind = source.kind
        fr.notes_vi += source.notes_vi
        fr.notes_en += source.notes_en
        if source.recalculated:
            problems.append(Problem(
                "warning", str(fr.path), None, None,
                f"{fmt_int(source.recalculated)} ô công thức không có kết quả lưu sẵn đã được "
                "tính bằng LibreOffice (trên bản sao); kiểm tra các số đó, hoặc mở tệp bằng "
                "Excel và lưu lại.",
                f"{fmt_int(source.recalculated, 'en')} formula cells with no stored result were "
                "computed with LibreOffice (on a copy); check those figures, or open the file "
                "in Excel and save it again.",
                "formulas_recalculated",
            ))
        for sheet in source.sheets:
            own: list[Problem] = []
            sr = _read_sheet(source, sheet, year, resolver, own, tables)
            if sheet.visible and not _GUIDE_RE.search(fold(sheet.name or "")):
                problems += own
            else:
                sr.problems = own  # reported only if the sheet is read after all
            fr.sheets.append(sr)
            if sr.table:
                pieces[sr.table].append(sr)
        if source.kind in ("xlsx", "xls", "ods") and not any(s.table for s in fr.sheets):
            names = ", ".join(f"'{s.sheet}'" for s in fr.sheets) or "—"
            problems.append(Problem(
                "warning", str(fr.path), None, None,
                f"Không sheet nào ({names}) có bảng số liệu nhận ra được: cần một dòng tiêu đề "
                "có các cột như 'Tổ dân phố', 'Số hộ được mời', 'Số hộ dự'.",
                f"No sheet ({names}) holds a table that could be recognised: a header row "
                "with columns such as 'Tổ dân phố', 'Số hộ được mời', 'Số hộ dự' is needed.",
                "no_table_found",
            ))
    if any(len(found) > 1 and any(isinstance(p.block, col.ColumnarBlock) for p in found)
           for found in pieces.values()):
        # a table in several files or sheets: joined (copies, overlaps) row by row
        return read_files(files, year, wards, wanted, columnar=False)
    tables: dict[str, RawTable] = {}
    mapped: dict[str, dict[str, str]] = {"ward": {}, "group": {}}
    summaries = [p for p in pieces["group_conferences"] if _is_summary(p)]
    pieces["group_conferences"] = [p for p in pieces["group_conferences"]
                                   if p not in summaries]
    for name, table in YEARLY_TABLES.items():
        used = _drop_copies(pieces[name], problems)
        for p in used:
            problems += p.problems
        if not used:
            continue
        if isinstance(used[0].block, col.ColumnarBlock):
            raw = col.raw_table(table, used[0], resolver, year, problems, mapped)
            if raw is None:
                return read_files(files, year, wards, wanted, columnar=False)
            tables[name] = raw
            continue
        tables[name] = _raw_table(table, used, resolver, year, problems, mapped)
    if summaries:
        _check_summaries(summaries, tables.get("group_conferences"), resolver, problems)
    return Intake(tables, problems, readings, mapped)


def _holds_other_table(path: Path, tables: Collection[str]) -> bool:
    """A text file whose header (in its first lines) is of a table not in `tables`."""
    head = peek_text(path)
    if head is None or not head.sheets:
        return False
    rows = head.sheets[0].rows
    _normalize_text(rows)
    found = [h for t in YEARLY_TABLES.values() if (h := find_header(rows, t)) is not None]
    if not found:
        return False
    best = max(found, key=lambda h: (h.complete, h.score))
    return best.table.name not in tables


def _is_summary(sr: SheetReading) -> bool:
    """The groups' sums per ward ('Phường' | 'Số TDP' | 'Số hộ được mời' …), no group named."""
    roles = {c.role for c in sr.header.columns} if sr.header else set()
    return "groups_count" in roles and not roles & {"group_code", "group_name"}


def _number_or_zero(cell: object) -> float:
    try:
        return parse_number(cell) or 0.0
    except (CellError, TypeError, ValueError):
        return 0.0


def _check_summaries(summaries: list[SheetReading], groups: RawTable | None,
                     resolver: nm.WardResolver, problems: list[Problem]) -> None:
    """A summary sheet is checked against the groups' rows of each ward, never read again."""
    sums: dict[str, dict[str, float]] = {}
    if groups is not None and "ward_code" in groups.frame:
        frame = groups.frame
        roles = [r for r in COUNT_ROLES if r in frame]
        numbers = pd.DataFrame({r: frame[r].map(_number_or_zero) for r in roles})
        sums = numbers.groupby(frame["ward_code"]).sum().to_dict("index")
    for sr in summaries:
        sr.used = False
        sr.why_vi = "bảng tổng hợp theo phường: đối chiếu với các tổ dân phố, không đọc lại"
        sr.why_en = "a summary per ward: checked against the groups' rows, not read again"
        problems += sr.problems
        for rec in sr.block.records:
            ward = resolver.resolve(cell_text(rec.get("ward_code"))).code or resolver.find_in(
                cell_text(rec.get("ward_name")))
            if ward is None:
                continue
            for role, col in sr.header.chosen.items():
                if role not in COUNT_ROLES:
                    continue
                with contextlib.suppress(CellError, TypeError, ValueError):
                    written = parse_number(rec.get(role))
                    computed = sums.get(ward, {}).get(role, 0.0)
                    if written is None or abs(written - computed) < 0.5:
                        continue
                    name = resolver.names.get(ward, ward)
                    problems.append(Problem(
                        "error", sr.where(), rec["_row"], col.label,
                        f"Bảng tổng hợp ghi phường {name} ({ward}) có {col.label} = "
                        f"{fmt_int(written)} nhưng các tổ dân phố của phường cộng được "
                        f"{fmt_int(computed)}; sửa bảng tổng hợp hoặc số của các tổ.",
                        f"The summary says ward {name} ({ward}) has {col.label} = "
                        f"{fmt_int(written, 'en')} but its groups' rows add up to "
                        f"{fmt_int(computed, 'en')}; fix the summary or the groups' figures.",
                        "summary_mismatch",
                    ))


def _skip_reason(path: Path) -> tuple[str, ...] | None:
    name = path.name
    if name.startswith("~$"):
        return ("tệp khóa tạm của Excel (~$…): bỏ qua", "Excel's temporary lock file (~$…): "
                "ignored")
    if name.startswith(".") or name in IGNORED_FILES:
        return ("tệp hệ thống/siêu dữ liệu: bỏ qua", "system or metadata file: ignored")
    suffix = path.suffix.lower()
    if suffix in (".docx", ".doc", ".odt", ".pdf"):
        return ("văn bản (Word/PDF), không phải bảng số liệu: không đọc; biên bản Word dùng "
                "`hbt import-minutes`",
                "a document (Word/PDF), not a table: not read; for Word minutes use "
                "`hbt import-minutes`", "warn")
    if suffix not in TABLE_SUFFIXES:
        return (f"đuôi {suffix or '(không có)'} không phải bảng số liệu: không đọc",
                f"the extension {suffix or '(none)'} is not a table format: not read")
    return None


# --- one sheet --------------------------------------------------------------------------

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


#: Letters of Vietnamese that no legacy encoding read as Windows-1252 can produce.
_VIET_ONLY_UNICODE = re.compile("[ăĂơƠưƯđĐạ-ỹẠ-Ỹ]")


def _repair_legacy(rows: list[list[object]]) -> tuple[list[tuple[str, str, int]], list[str]]:
    """TCVN3/VNI text to Unicode. The sheet decides the encoding (a short header cell alone
    cannot), then each column is repaired with it; cells that are garbled beyond repair are
    returned (column letters) so that they are reported, never read as they are."""
    from hbt_analysis import legacy

    width = max((len(r) for r in rows), default=0)
    texts = [c for r in rows for c in r if isinstance(c, str) and not c.isascii()]
    if not texts:
        return [], []
    verdict = legacy.detect_column(texts)
    sheet_encoding = verdict if verdict in ("tcvn3", "vni") else None
    unicode_text = any(_VIET_ONLY_UNICODE.search(t) for t in texts)
    found: list[tuple[str, str, int]] = []
    garbled: list[str] = []
    unclear: dict[int, set[str]] = {}  # column -> texts no encoding could be proven for
    n_rows = 0
    done: set[tuple[int, int]] = set()  # cells converted by their row: never twice
    # title and header rows (no figures in them) decide together, as a line
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cells = [c for c in row if isinstance(c, str) and not c.isascii()]
        if sheet_encoding is None or len(cells) < 2 or any(
                isinstance(c, int | float) for c in row) or \
                legacy.assess_column(cells).verdict != sheet_encoding:
            continue
        fixed = legacy.repair_column(row)
        for i in fixed.converted:
            row[i] = fixed.values[i]
            done.add((r, i))
            n_rows += 1
    if n_rows:
        found.append(("", sheet_encoding, n_rows))  # title and header rows
    for j in range(width):
        column = [r[j] if j < len(r) and (i, j) not in done else None
                  for i, r in enumerate(rows)]
        distinct = list(dict.fromkeys(c for c in column if isinstance(c, str)))
        if not any(not c.isascii() for c in distinct):
            continue
        own = legacy.assess_column(distinct).verdict
        # a column decides for itself; one that cannot tell follows the sheet only when the
        # sheet is legacy throughout (no Unicode Vietnamese elsewhere in it)
        encoding = sheet_encoding if own == "uncertain" and not unicode_text else None
        fixed = legacy.repair_column(distinct, encoding=encoding)  # each text once
        if not fixed.converted and not fixed.garbled:
            continue
        new = {distinct[i]: (fixed.values[i], enc) for i, enc in fixed.converted.items()}
        bad = {distinct[i] for i in fixed.garbled}
        n = 0
        encodings: set[str] = set()
        for i, c in enumerate(column):
            if isinstance(c, str) and c in new:
                rows[i][j], enc = new[c]
                encodings.add(enc)
                n += 1
        if n:
            found.append((column_letter(j), encodings.pop() if len(encodings) == 1
                          else "mixed", n))
        if bad:
            unclear[j] = bad
    seen = {enc for _, enc, _ in found if enc in ("tcvn3", "vni")}
    for j, bad in unclear.items():
        # a short cell ('Thanh L­¬ng') cannot prove its encoding alone; in a sheet whose other
        # cells are certainly of one legacy encoding, it is read in it when every word then
        # is a Vietnamese syllable, else reported as garbled
        fixed = {}
        if len(seen) == 1:
            enc = next(iter(seen))
            for text in bad:
                new_text = legacy.to_unicode(text, enc)
                words = re.findall(r"[^\W\d_]+", new_text)
                if words and all(legacy.is_syllable(w.lower()) for w in words):
                    fixed[text] = new_text
        n = 0
        for row in rows:
            if j < len(row) and isinstance(row[j], str) and row[j] in fixed:
                row[j] = fixed[row[j]]
                n += 1
        if n:
            found.append((column_letter(j), enc, n))
        if set(bad) - set(fixed):
            garbled.append(column_letter(j))
    return found, garbled


def _normalize_text(rows: list[list[object]]) -> None:
    """One form for every text cell (NFC, one tone placement): 'hoà' and 'hòa' read alike."""
    cache: dict[str, str] = {}
    for row in rows:
        for j, cell in enumerate(row):
            if isinstance(cell, str) and not cell.isascii():
                fixed = cache.get(cell)
                if fixed is None:
                    fixed = cache[cell] = normalize(cell)
                row[j] = fixed


def _spread_merges(rows: list[list[object]], merged: list[tuple[int, int, int, int]]) -> int:
    """Give every cell of a merged range the value shown in it (its top-left cell)."""
    n = 0
    height = len(rows)
    for r0, c0, r1, c1 in merged:
        if r0 >= height or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        if value is None:
            continue
        for r in range(r0, min(r1, height - 1) + 1):
            row = rows[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if row[c] is None:
                    row[c] = value
                    n += 1
    return n


# --- joining pieces ---------------------------------------------------------------------

def _fingerprint(sr: SheetReading) -> tuple:
    roles = sorted(sr.header.chosen) if sr.header else []
    return tuple(sorted(
        tuple(cell_text(rec.get(r)) for r in roles) for rec in sr.block.records
    )) if sr.block else ()


#: Sheets of instructions or examples that come with a form: their rows are not data.
_GUIDE_RE = re.compile(r"huong\s*dan|instruction|guide|\bvi\s*du\b|example|\bmau\s*(nhap|dien)|"
                       r"^\s*(hd|vd|mau)\s*$|cach\s*(ghi|dien|nhap)")


def _drop_copies(pieces: list[SheetReading], problems: list[Problem]) -> list[SheetReading]:
    """The same table twice (a hidden backup sheet, a '(1)' copy of a workbook): read once."""
    pieces = [p for p in pieces if p.used]
    visible = [p for p in pieces if p.visible]
    for p in pieces:
        if not p.visible and visible:
            p.used = False
            p.why_vi = "sheet ẩn (bản sao lưu?): không đọc, để không cộng hai lần"
            p.why_en = "hidden sheet (a backup?): not read, so nothing is counted twice"
            problems.append(Problem(
                "warning", p.where(), None, None,
                f"Sheet ẩn '{p.sheet}' cũng có bảng {YEARLY_TABLES[p.table].label_vi}: không "
                "đọc (để không cộng hai lần). Nếu đó mới là số liệu đúng, hãy bỏ ẩn và xóa "
                "sheet cũ.",
                f"The hidden sheet '{p.sheet}' also holds the table "
                f"{YEARLY_TABLES[p.table].label_en}: not read (nothing counted twice). If it "
                "holds the right figures, unhide it and delete the old one.",
                "hidden_sheet",
            ))
    pieces = [p for p in pieces if p.used]
    guides = [p for p in pieces if _GUIDE_RE.search(fold(p.sheet or p.path.stem))]
    if guides and len(guides) < len(pieces):
        for p in guides:
            p.used = False
            p.why_vi = "sheet hướng dẫn/ví dụ: không đọc"
            p.why_en = "an instructions or example sheet: not read"
        pieces = [p for p in pieces if p.used]
    if len(pieces) < 2:
        return pieces
    kept: list[SheetReading] = []
    for p in sorted(pieces, key=lambda p: (bool(_COPY_RE.search(p.path.stem)), str(p.path))):
        fp = _fingerprint(p)
        twin = next((k for k in kept if _fingerprint(k) == fp), None)
        if twin is None:
            kept.append(p)
            continue
        p.used = False
        p.why_vi = f"trùng hoàn toàn với {twin.where()}: không đọc lần nữa"
        p.why_en = f"identical to {twin.where()}: not read twice"
        problems.append(Problem(
            "warning", p.where(), None, None,
            f"Bảng này trùng hoàn toàn với {twin.where()} (một bản sao?): chỉ đọc một lần. Nên "
            "xóa bản sao khỏi thư mục.",
            f"This table is identical to {twin.where()} (a copy?): read once only. Better "
            "remove the copy from the folder.",
            "duplicate_copy",
        ))
    for a, b, shared in _overlaps(kept):
        if len(b.block.records) > len(a.block.records):
            a, b = b, a  # the smaller piece (a ward's file) is the one read again
        differ = _differing(a, b)
        if not differ:
            # the same records in both (a ward's own file beside the district's): read once
            keys_a = {_record_key(a, rec) for rec in a.block.records}
            before = len(b.block.records)
            b.block.records = [rec for rec in b.block.records
                               if _record_key(b, rec) not in keys_a]
            if not b.block.records:
                b.used = False
                b.why_vi = f"mọi dòng đã có, cùng số liệu, ở {a.where()}: không đọc lần nữa"
                b.why_en = f"every row is also in {a.where()}, same figures: not read twice"
            problems.append(Problem(
                "warning", b.where(), None, None,
                f"{fmt_int(before - len(b.block.records))} dòng ở đây đã có ở {a.where()} với "
                "cùng số liệu: chỉ đọc một lần. Nên bỏ tệp trùng khỏi thư mục.",
                f"{fmt_int(before - len(b.block.records), 'en')} rows here are also in "
                f"{a.where()} with the same figures: read once. Better remove the duplicate "
                "from the folder.",
                "duplicate_rows",
            ))
            continue
        problems.append(Problem(
            "error", b.where(), None, None,
            f"Bảng {YEARLY_TABLES[a.table].label_vi} có ở hai nơi ({a.where()} và {b.where()}) "
            f"với {fmt_int(shared)} đơn vị chung nhưng số liệu khác nhau (vd. {differ}): chỉ "
            "giữ một bản đúng.",
            f"The table {YEARLY_TABLES[a.table].label_en} is in two places ({a.where()} and "
            f"{b.where()}) with {fmt_int(shared, 'en')} units in common but different "
            f"figures (e.g. {differ}): keep only the right one.",
            "two_sources",
        ))
    return [p for p in kept if p.used]


_KEY_ROLE = {"group_conferences": ("group_code", "group_name"),
             "ward_conferences": ("ward_code", "ward_name"), "opinions": ("opinion_id", "text")}
_FIGURES = ("households_invited", "households_attended", "opinions_count", "conference_date",
            "text", "status")


def _record_key(p: SheetReading, rec: dict) -> tuple[str, str]:
    role, alt = _KEY_ROLE[p.table]
    code = cell_text(rec.get(role))
    if code and re.match(r"^\d{5}\s*[-_]", code):
        return "", code  # a full group code names its ward itself
    return rec.get("_ward_ctx") or p.context_ward or "", code or fold(cell_text(rec.get(alt)))


def _differing(a: SheetReading, b: SheetReading) -> str:
    """The first unit whose figures differ between two pieces ('' when none does)."""
    by_key = {_record_key(a, rec): rec for rec in a.block.records}
    for rec in b.block.records:
        twin = by_key.get(_record_key(b, rec))
        if twin is None:
            continue
        for role in _FIGURES:
            if role in a.header.chosen and role in b.header.chosen and \
                    cell_text(twin.get(role)) != cell_text(rec.get(role)):
                return (f"{_record_key(b, rec)[1]}: {cell_text(twin.get(role))} / "
                        f"{cell_text(rec.get(role))}")
    return ""


def _overlaps(pieces: list[SheetReading]) -> list[tuple[SheetReading, SheetReading, int]]:
    """Pieces whose units overlap (two versions of one table), not one table split by ward."""
    if len(pieces) < 2:
        return []
    keyed = [(p, {_record_key(p, rec) for rec in p.block.records}) for p in pieces]
    out = []
    for i, (a, ka) in enumerate(keyed):
        for b, kb in keyed[i + 1:]:
            shared = len(ka & kb)
            if shared and shared >= 0.5 * min(len(ka), len(kb)):
                out.append((a, b, shared))
    return out


# --- names to codes, raw frame ----------------------------------------------------------

#: What a row's unit is resolved from: rows that agree on these get the same codes.
_UNIT_KEYS = ("ward_code", "ward_name", "group_code", "group_name", "_ward_ctx")


def _resolve_units_once(out: dict[str, object], rec: dict[str, object], piece: SheetReading,
                        table: Table, resolver: nm.WardResolver, problems: list[Problem],
                        mapped: dict[str, dict[str, str]],
                        resolved: dict[tuple, dict[str, object]]) -> None:
    """:func:`_resolve_units`, once per spelling of a row's units (`resolved` remembers the
    codes of each spelling that raised no problem; one that did is resolved again, so each
    of its rows gets its own message)."""
    key = tuple(rec.get(k) for k in _UNIT_KEYS)
    hit = resolved.get(key)
    if hit is not None:
        out.update(hit)
        return
    before = len(problems)
    _resolve_units(out, rec, piece, table, resolver, problems, mapped)
    if len(problems) == before:
        resolved[key] = {k: out[k] for k in ("ward_code", "ward_name", "group_code")
                         if k in out}


def _raw_table(table: Table, pieces: list[SheetReading], resolver: nm.WardResolver,
               year: int | None, problems: list[Problem],
               mapped: dict[str, dict[str, str]]) -> RawTable:
    records: list[dict[str, object]] = []
    headers: dict[str, str] = {}
    for p in pieces:
        where = p.where()
        for role, col in p.header.chosen.items():
            headers.setdefault(role, col.label)
        resolved: dict[tuple, dict[str, object]] = {}  # units resolved once per spelling
        for rec in p.block.records:
            out = {ROW: rec["_row"], SRC: where}
            for col in table.columns:
                if col.name in rec:
                    out[col.name] = rec[col.name]
            if _plain_codes(out, rec, resolver, table.name != "ward_conferences"):
                records.append(out)
                continue
            _resolve_units_once(out, rec, p, table, resolver, problems, mapped, resolved)
            records.append(out)
    if year is not None:
        _complete_years(records, headers, year, pieces, problems)
    if table.name == "opinions":
        _complete_opinions(records, headers, year, pieces[0])
    names = [c.name for c in table.columns if c.name in headers or any(
        c.name in r for r in records)]
    frame = pd.DataFrame.from_records(records, columns=[ROW, SRC, *names]).astype(object)
    frame[ROW] = frame[ROW].astype("int64")
    first = pieces[0]
    header_row = first.header.rows[-1] + 1 if first.header else 1
    raw = RawTable(first.path, table, frame, headers, header_row, [], first.sheet,
                   set().union(*(p.unread for p in pieces)),
                   {c for c in ("ward_code", "group_code") if c not in headers})
    if len(pieces) > 1:
        raw.sheet = None
        raw.path = first.path if len({p.path for p in pieces}) == 1 else first.path.parent
    return raw


_SHORT_WARD_IN_CODE = re.compile(r"^(\d{3,4})([-_]\s*[A-Za-z]*\s*\d.*)$")
_DAY_MONTH = re.compile(r"^(?:ngày\s*)?(\d{1,2})\s*[/.\-]\s*(\d{1,2})$", re.I)


def _complete_years(records: list[dict], headers: dict[str, str], year: int,
                    pieces: list[SheetReading], problems: list[Problem]) -> None:
    """The folder's year where the sheet leaves it out: a 'Năm' column left blank throughout,
    dates written '15/1' or 'ngày 05/02' (a warning says so; the file is not changed)."""
    by_piece: dict[str, list[dict]] = {}
    for rec in records:
        by_piece.setdefault(rec[SRC], []).append(rec)
    for where, own in by_piece.items():
        if "year" not in headers or any(cell_text(r.get("year")) for r in own):
            continue
        for rec in own:
            rec["year"] = year
        problems.append(Problem(
            "warning", where, None, headers["year"],
            f"Cột '{headers['year']}' để trống cả cột: lấy năm {year} của thư mục.",
            f"The column '{headers['year']}' is blank throughout: the folder's year {year} "
            "is used.", "year_from_folder"))
    dated = 0
    for rec in records:
        m = _DAY_MONTH.match(normalize(cell_text(rec.get("conference_date"))))
        if m:
            rec["conference_date"] = f"{m.group(1)}/{m.group(2)}/{year}"
            dated += 1
    if dated:
        label = headers.get("conference_date", "conference_date")
        problems.append(Problem(
            "warning", pieces[0].where(), None, label,
            f"{fmt_int(dated)} ngày trong cột '{label}' không ghi năm (vd. '15/1'): lấy năm "
            f"{year} của thư mục; kiểm tra lại.",
            f"{fmt_int(dated, 'en')} dates in the column '{label}' are written without a "
            f"year (e.g. '15/1'): the folder's year {year} is used; check them.",
            "date_without_year"))


def _complete_opinions(records: list[dict], headers: dict[str, str], year: int | None,
                       first: SheetReading) -> None:
    """An office's list of opinions may have no ID and no level: both follow from the rows."""
    if "opinion_id" not in headers:
        for i, rec in enumerate(records, start=1):
            rec["opinion_id"] = f"{year or 'x'}-{i:05d}"
        first.block.notes.append(_note("opinion_id"))
    if "level" not in headers:
        for rec in records:
            rec["level"] = "to_dan_pho" if rec.get("group_code") else "phuong"
        first.block.notes.append(_note("level"))


def _note(what: str):
    from hbt_analysis.intake.layout import RowNote

    if what == "opinion_id":
        return RowNote(0, "derived", "Mã ý kiến", None,
                       "không có cột mã ý kiến: đánh số theo thứ tự dòng",
                       "no opinion ID column: numbered in row order")
    return RowNote(0, "derived", "Cấp hội nghị", None,
                   "không có cột cấp: ý kiến có tổ dân phố là cấp tổ, còn lại là cấp phường",
                   "no level column: opinions with a group are group level, the others ward "
                   "level")


def _plain_codes(out: dict, rec: dict, resolver: nm.WardResolver, with_group: bool) -> bool:
    """The common case at once: a known ward code and a group code of that ward."""
    ward = rec.get("ward_code")
    if type(ward) is not str or ward not in resolver.names or rec.get("ward_name"):
        return False
    ctx = rec.get("_ward_ctx")
    if ctx is not None and ctx != ward:
        return False
    if with_group:
        group = rec.get("group_code")
        if group is None and not rec.get("group_name"):
            out["group_code"] = None  # a ward-level opinion
        elif type(group) is not str or not group.startswith(ward) or group[5:6] not in "-_":
            return False
        else:
            out["group_code"] = group
    out["ward_code"] = ward
    return True


def _resolve_units(out: dict, rec: dict, piece: SheetReading, table: Table,
                   resolver: nm.WardResolver, problems: list[Problem],
                   mapped: dict[str, dict[str, str]]) -> None:
    """ward_code and group_code from codes, names, headings, sheet or file names."""
    where, row = piece.where(), rec["_row"]
    chosen = piece.header.chosen
    ward_code = None
    raw_code = cell_text(rec.get("ward_code"))
    raw_name = cell_text(rec.get("ward_name"))
    for raw, role in ((raw_code, "ward_code"), (raw_name, "ward_name")):
        if not raw:
            continue
        match = resolver.resolve(raw)
        if match.code:
            if role == "ward_name" and ward_code and match.code != ward_code:
                continue  # validate reports a name that does not match its code
            if ward_code is None and not raw.isdigit():
                mapped["ward"][raw] = match.code
            ward_code = ward_code or match.code
        elif raw.isdigit() and len(raw) <= 5:
            ward_code = raw.zfill(5)  # an unknown code: validate names it
        else:
            header = chosen[role].label
            retired = resolver.retired.get(nm.fold_name(nm.strip_prefix(raw)))
            why_vi = f" ({retired[0]})" if retired else ""
            why_en = f" ({retired[1]})" if retired else ""
            problems.append(Problem(
                "error", where, row, header,
                f"Không nhận ra phường '{raw}'{why_vi}"
                f"{nm.suggestion_text(match.suggestions, 'vi')} "
                "Ghi đúng tên hoặc mã phường 5 chữ số.",
                f"Unknown ward '{raw}'{why_en}{nm.suggestion_text(match.suggestions, 'en')} "
                "Write the ward's name as in the list or its 5-digit code.",
                "unknown_ward_name",
            ))
            ward_code = ward_code or ""
    if ward_code is None:
        ward_code = rec.get("_ward_ctx") or piece.context_ward
        if ward_code is None:
            problems.append(Problem(
                "error", where, row, None,
                "Không biết dòng này thuộc phường nào: bảng không có cột phường, không có dòng "
                "tiêu đề phường bên trên, tên sheet và tên tệp cũng không nêu phường; thêm cột "
                "'Mã phường' hoặc 'Phường'.",
                "Cannot tell which ward this row belongs to: no ward column, no ward heading "
                "above it, and neither the sheet nor the file name names a ward; add a 'Mã "
                "phường' or 'Phường' column.",
                "ward_unknown",
            ))
            ward_code = ""
    if ward_code == "":
        ward_code = None
    ctx = rec.get("_ward_ctx")
    if ward_code and ctx and ctx != ward_code and (raw_code or raw_name):
        problems.append(Problem(
            "error", where, row, chosen.get("ward_code", chosen.get("ward_name")).label,
            f"Dòng ghi phường {resolver.names.get(ward_code, ward_code)} nhưng nằm dưới tiêu "
            f"đề phường {resolver.names.get(ctx, ctx)}; sửa cho khớp.",
            f"The row says ward {resolver.names.get(ward_code, ward_code)} but sits under the "
            f"heading of {resolver.names.get(ctx, ctx)}; make them agree.",
            "ward_heading_mismatch",
        ))
    out["ward_code"] = ward_code
    if "ward_name" in out and ward_code and not raw_name:
        out["ward_name"] = resolver.names.get(ward_code)
    if "group_code" not in [c.name for c in table.columns]:
        return
    raw_group = cell_text(rec.get("group_code"))
    if m := _SHORT_WARD_IN_CODE.match(raw_group):
        raw_group = m.group(1).zfill(5) + m.group(2)  # '241-TDP01': Excel's lost zeros
    name_group = cell_text(rec.get("group_name"))
    code = None
    if raw_group and nm.ward_of_group_code(raw_group):
        code = raw_group
    elif raw_group or name_group:
        if ward_code:
            code = nm.group_code_for(ward_code, raw_group or name_group)
        if code is None and ward_code and (raw_group or (name_group and table.name !=
                                                           "opinions")):
            label = chosen["group_code" if raw_group else "group_name"].label
            problems.append(Problem(
                "error", where, row, label,
                f"Không xác định được mã tổ dân phố từ '{raw_group or name_group}'"
                + ("" if ward_code else " (chưa biết phường)")
                + f": ghi mã dạng {ward_code}-TDP05 hoặc tên dạng 'Tổ 5'.",
                f"Cannot tell the group code from '{raw_group or name_group}'"
                + ("" if ward_code else " (the ward is unknown)")
                + f": write a code like {ward_code}-TDP05 or a name like 'Tổ 5'.",
                "unknown_group_name",
            ))
        elif code:
            ward_label = resolver.names.get(ward_code, ward_code)
            mapped["group"][f"{raw_group or name_group} ({ward_label})"] = code
    if code and ward_code in resolver.names:
        prefix = nm.ward_of_group_code(code)
        if prefix and prefix != ward_code:
            problems.append(Problem(
                "error", where, row, chosen.get("group_code", chosen.get("group_name")).label,
                f"Mã tổ {code} thuộc phường {prefix} nhưng dòng ghi phường {ward_code}; sửa mã "
                "tổ hoặc phường.",
                f"Group code {code} belongs to ward {prefix} but the row says ward "
                f"{ward_code}; fix one of them.",
                "group_ward_mismatch",
            ))
    out["group_code"] = code


def read_table(path: Path | str, table: Table, sheet: str | None = None,
               wards: pd.DataFrame | None = None) -> RawTable:
    """One table from one file, for a quick look; `dataset.load` reads and checks a year.

    Raises ReadError when the file cannot be opened or holds no header of that table.
    """
    path = Path(path)
    if wards is None:
        wards = pd.DataFrame({"ward_code": [], "ward_name": []})
    intake = read_files([path], None, wards)
    errors = [p for p in intake.problems if p.code == "unreadable"]
    if errors:
        raise ReadError(path, errors[0].message_vi, errors[0].message_en)
    raw = intake.tables.get(table.name)
    if sheet is not None:
        for fr in intake.files:
            for sr in fr.sheets:
                if sr.sheet == sheet and sr.table == table.name:
                    raw = _raw_table(table, [sr], nm.WardResolver.from_frame(wards), None,
                                     [], {"ward": {}, "group": {}})
    if raw is None:
        expected = ", ".join(f"'{c.label_vi}'" for c in table.columns if c.required)
        raise ReadError(
            path,
            f"không tìm thấy dòng tiêu đề của bảng {table.label_vi}; cần các cột {expected}",
            f"no header row for the table {table.label_en} found; expected the columns "
            + ", ".join(f"'{c.label_en}'" for c in table.columns if c.required),
        )
    return raw

"""A year's files in, the three tables out, with every decision recorded.

The pipeline, one step per module: open each file by its content (`sources`; this module
decides which files are read at all), repair legacy TCVN3/VNI text (`hbt_analysis.legacy`)
and spread merged cells (`repair`), find the header of each sheet and the table it holds
(`header`, `sheet`), classify its rows and check its subtotals (`layout`), join the pieces
of a table found in several sheets or files (`joining`), map names to codes (`codes`) and
build the table's raw frame (`frame`). What could make a figure wrong is an error; what was
done to read the file is recorded (`readings`) for `hbt validate --explain` (`explain`).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import pandas as pd

from hbt_analysis import units as nm
from hbt_analysis.fmt import fmt_int
from hbt_analysis.intake.frame import _raw_table
from hbt_analysis.intake.header import find_header
from hbt_analysis.intake.joining import _GUIDE_RE, _check_summaries, _drop_copies, _is_summary
from hbt_analysis.intake.readings import FileReading, Intake, SheetReading
from hbt_analysis.intake.repair import _normalize_text
from hbt_analysis.intake.sheet import TABLE_NAMES, _read_sheet
from hbt_analysis.intake.sources import TABLE_SUFFIXES, open_source, peek_text
from hbt_analysis.io import RawTable, ReadError
from hbt_analysis.problems import Problem
from hbt_analysis.schema import YEARLY_TABLES, Table
from hbt_analysis.text import fold

#: Metadata and the review files `hbt import-minutes` writes beside the tables (the loader
#: reports review_flags.csv itself: hbt_analysis.review_flags).
#: group_crosswalk.csv is the year's old group -> new group table, read by the loader.
IGNORED_FILES = ("dataset.json", "review_flags.csv", "kiem_tra_bien_ban.xlsx",
                 "group_crosswalk.csv")


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


__all__ = ["IGNORED_FILES", "TABLE_NAMES", "FileReading", "Intake", "SheetReading",
           "candidate_files", "read_files", "read_table"]

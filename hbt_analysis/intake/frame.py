"""The rows of a table's pieces as one raw frame (cells as written, codes resolved), with the
folder's year where the sheet leaves it out and an opinion list's missing ID and level."""

from __future__ import annotations

import re

import pandas as pd

from hbt_analysis import units as nm
from hbt_analysis.fmt import fmt_int
from hbt_analysis.intake.codes import _plain_codes, _resolve_units_once
from hbt_analysis.intake.header import cell_text
from hbt_analysis.intake.readings import SheetReading
from hbt_analysis.io import ROW, SRC, RawTable
from hbt_analysis.problems import Problem
from hbt_analysis.schema import Table
from hbt_analysis.text import normalize

_DAY_MONTH = re.compile(r"^(?:ngày\s*)?(\d{1,2})\s*[/.\-]\s*(\d{1,2})$", re.I)


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


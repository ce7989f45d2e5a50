"""Rules that decide whether a year's numbers can be trusted, and the reconciliation.

Errors make the numbers wrong (attended > invited, a group listed twice, counts that
disagree); warnings are worth a look but do not stop the analysis. Every problem names
the file, the spreadsheet row, the column and what to fix, in Vietnamese and English, and
all problems are collected before anything is raised.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from hbt_analysis.fmt import fmt_int, fmt_pct
from hbt_analysis.io import (
    ROW,
    SRC,
    CellError,
    RawTable,
    day_month_order,
    parse_code,
    parse_date,
    parse_int,
    parse_text,
)
from hbt_analysis.registry import Registry
from hbt_analysis.schema import (
    LEVEL_NAMES,
    LEVELS,
    STATUS_PREFIXES,
    Column,
    Table,
    header_key,
)
from hbt_analysis.units import WardResolver

Severity = Literal["error", "warning"]
RATE_GAP_WARNING = 0.30  # a group this far from its ward's pooled rate is worth a look
MIN_INVITED_FOR_RATE_WARNING = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as the user will look for it."""

    severity: Severity
    file: str
    row: int | None
    column: str | None
    message_vi: str
    message_en: str
    code: str = ""

    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"dòng/row {self.row}")
        if self.column:
            parts.append(f"cột/column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        tag = "LỖI/ERROR" if self.severity == "error" else "CẢNH BÁO/WARNING"
        return f"[{tag}] {self.location()}\n    {self.message_vi}\n    {self.message_en}"


class DataError(Exception):
    """The data cannot be used: carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted_problems(problems)
        errors = [p for p in problems if p.severity == "error"]
        head = (
            f"Dữ liệu có {len(errors)} lỗi cần sửa / The data has {len(errors)} error(s) to fix:"
        )
        super().__init__("\n".join([head, *map(str, errors)]))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Errors first, then by file and spreadsheet row, as a user works through them."""
    return sorted(problems, key=lambda p: (p.severity != "error", p.file, p.row or 0))


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


# --- cell coercion ----------------------------------------------------------------------

def level_code(text: str) -> str | None:
    """'to_dan_pho' or 'phuong' from 'Hội nghị TDP', 'HN phường', 'Cấp tổ', 'ward', …"""
    key = header_key(text)
    key = re.sub(r"^(hoi_nghi|hn|cap|hoi_nghi_dai_bieu_nhan_dan|dbnd)_", "", key)
    key = re.sub(r"_(cap|level)$", "", key)
    return LEVEL_NAMES.get(key)


def status_code(text: str) -> str | None:
    """'resolved', 'in_progress' or 'forwarded' from the way staff write a status."""
    key = header_key(text)
    for prefix, code in STATUS_PREFIXES:
        if key == prefix or key.startswith(prefix + "_") or key.startswith(prefix):
            return code
    return None


def _header(raw: RawTable, col: Column) -> str:
    return raw.headers.get(col.name, col.label_vi)


def coerce(raw: RawTable, year: int) -> tuple[pd.DataFrame, list[Problem]]:
    """Typed columns from raw cells; a problem for every cell that cannot be read."""
    table, problems = raw.table, []
    where = raw.where()
    out = pd.DataFrame({ROW: raw.frame[ROW].to_numpy()})
    if SRC in raw.frame.columns:
        out[SRC] = raw.frame[SRC].to_numpy()
    for col in table.columns:
        if col.name not in raw.frame.columns:
            if col.name == "year":
                out["year"] = year  # a file per year need not repeat the year
                continue
            if col.required:
                problems.append(Problem(
                    "error", where, raw.header_row, col.label_vi,
                    f"Thiếu cột bắt buộc '{col.label_vi}' ({table.label_vi}); thêm cột này "
                    f"vào dòng tiêu đề (dòng {raw.header_row}).",
                    f"Required column '{col.label_en}' ({table.label_en}) is missing; add it "
                    f"to the header row (row {raw.header_row}).",
                    "missing_column",
                ))
            out[col.name] = pd.Series([None] * len(out), dtype=_empty_dtype(col))
            continue
        if col.name in raw.unread:
            out[col.name] = pd.Series([None] * len(out), dtype=_empty_dtype(col))
            continue
        if raw.columnar:
            from hbt_analysis.coerce_arrow import coerce_column

            values, col_problems = coerce_column(raw, col, _coerce_column, _parse_cell)
        else:
            values, col_problems = _coerce_column(raw, col)
        problems += col_problems
        out[col.name] = values
    if "year" in out and len(out):
        wrong = out[out["year"].notna() & (out["year"] != year)]
        for _, r in wrong.head(20).iterrows():
            problems.append(Problem(
                "error", _at(r, where), int(r[ROW]), _header(raw, table.column("year")),
                f"Năm là {r['year']} nhưng tệp nằm trong thư mục năm {year}; sửa năm hoặc "
                "chuyển tệp sang đúng thư mục.",
                f"Year is {r['year']} but the file is in the folder of {year}; fix the year "
                "or move the file.",
                "wrong_year",
            ))
    return out, problems


def _empty_dtype(col: Column) -> str:
    return {"int": "Int64", "float": "Float64", "date": "datetime64[s]"}.get(col.dtype, "str")


def _coerce_column(raw: RawTable, col: Column) -> tuple[pd.Series, list[Problem]]:
    header = _header(raw, col)
    problems: list[Problem] = []
    parsed: list[object] = []
    wheres = (raw.frame[SRC].astype(str).tolist() if SRC in raw.frame.columns
              else [raw.where()] * len(raw.frame))
    order = day_month_order(list(raw.frame[col.name])) if col.dtype == "date" else None
    if order == "mdy_mixed":
        rows = [int(r) for r, c in zip(raw.frame[ROW], raw.frame[col.name], strict=True)
                if isinstance(c, str) and c.strip()]
        problems.append(Problem(
            "error", raw.where(), rows[0] if rows else None, header,
            f"Cột '{header}': ngày gõ kiểu dd/mm trên máy đặt kiểu Mỹ (tháng trước): Excel đã "
            "đổi những ngày có số ngày ≤ 12 thành ngày khác (05/02 thành 2 tháng 5) và để các "
            "ngày còn lại ở dạng chữ (13/02/2023). Không đoán: gõ lại cột ngày dạng chữ "
            "dd/mm/yyyy hoặc đặt lại máy kiểu Việt Nam rồi nhập lại.",
            f"Column '{header}': dd/mm dates typed on a computer set to US month-first: Excel "
            "turned those with a day <= 12 into other dates (05/02 became 2 May) and left the "
            "rest as text (13/02/2023). Not guessing: retype the column as dd/mm/yyyy text, "
            "or set the computer to Vietnamese and enter them again.",
            "month_first_dates",
        ))
        return pd.Series([None] * len(raw.frame), dtype=_empty_dtype(col)), problems
    if order == "mdy":
        rows = [int(r) for r, c in zip(raw.frame[ROW], raw.frame[col.name], strict=True)
                if isinstance(c, str) and c.strip()]
        problems.append(Problem(
            "error", raw.where(), rows[0] if rows else None, header,
            f"Cột '{header}' ghi ngày theo kiểu tháng trước ngày (mm/dd/yyyy, máy đặt kiểu Mỹ): "
            "có ngày mà số thứ hai lớn hơn 12. Không đoán: ghi lại ngày dạng dd/mm/yyyy.",
            f"The column '{header}' writes dates month first (mm/dd/yyyy, a computer set to US "
            "English): some second numbers exceed 12. Not guessing: write the dates as "
            "dd/mm/yyyy.",
            "month_first_dates",
        ))
        return pd.Series([None] * len(raw.frame), dtype=_empty_dtype(col)), problems
    fast = _fast_column(raw.frame[col.name], col)
    if fast is not None:
        return fast, problems
    blank_as_zero: dict[str, list[int]] = {}
    memo: dict[tuple[type, object], object] = {}  # each distinct good cell parsed once
    for where, row, cell in zip(wheres, raw.frame[ROW], raw.frame[col.name], strict=True):
        key = (type(cell), cell) if isinstance(cell, str | int | float | dt.date) else None
        if key is not None and key in memo:
            parsed.append(memo[key])
            continue
        if col.name == "opinions_count" and (pd.isna(cell) or str(cell).strip() in ("", "-")):
            blank_as_zero.setdefault(where, []).append(int(row))  # blank when nobody spoke
            parsed.append(0)
            continue
        try:
            value = _parse_cell(col, cell)
        except CellError as err:
            fix_vi, fix_en = _fix_hint(col)
            problems.append(Problem(
                "error", where, int(row), header,
                f"{err.message_vi}. {fix_vi}", f"{err.message_en}. {fix_en}", "bad_value",
            ))
            value = None
        if value is None and col.required and col.name not in raw.derived and \
                not _is_blank_cell_error(problems, row, header):
            problems.append(Problem(
                "error", where, int(row), header,
                f"Ô '{col.label_vi}' đang trống; cột này bắt buộc phải có giá trị.",
                f"'{col.label_en}' is empty; this column is required.",
                "empty_required",
            ))
        if (
            value is not None and col.min_value is not None
            and isinstance(value, int | float) and value < col.min_value
        ):
            problems.append(Problem(
                "error", where, int(row), header,
                f"'{col.label_vi}' là {value}: không được nhỏ hơn {col.min_value}.",
                f"'{col.label_en}' is {value}: it cannot be below {col.min_value}.",
                "negative" if col.min_value == 0 else "too_small",
            ))
            value = None
        elif key is not None and value is not None and not problems_added(problems, row):
            memo[key] = value
        parsed.append(value)
    for where, rows in blank_as_zero.items():
        shown = ", ".join(map(str, rows[:10])) + ("…" if len(rows) > 10 else "")
        problems.append(Problem(
            "warning", where, rows[0], header,
            f"{len(rows)} ô '{col.label_vi}' để trống (dòng {shown}) được đọc là 0; nếu có ý "
            "kiến, ghi số vào (bảng ý kiến, nếu có, được đối chiếu).",
            f"{len(rows)} blank '{col.label_en}' cells (rows {shown}) were read as 0; write the "
            "number where there were opinions (checked against the opinions table when there "
            "is one).",
            "blank_count_zero",
        ))
    dtype = _empty_dtype(col) if col.dtype != "category" else "str"
    return pd.Series(parsed, dtype=dtype), problems


def problems_added(problems: list[Problem], row: object) -> bool:
    """Whether the last problem is about this row (then its value is not memoised)."""
    return bool(problems) and problems[-1].row == int(row)


def _fast_column(cells: pd.Series, col: Column) -> pd.Series | None:
    """The common case without a per-cell loop: every cell already of the column's type.

    Returns None when any cell needs the careful path (text numbers, blanks, bad values).
    """
    values = cells.tolist()
    kinds = {type(v) for v in values}
    if not values:
        return None
    if col.dtype == "int" and kinds <= {int}:
        if col.min_value is not None and min(values) < col.min_value:
            return None
        return pd.Series(values, dtype="Int64")
    if col.dtype == "date" and kinds <= {dt.datetime, dt.date, pd.Timestamp}:
        return pd.Series(pd.to_datetime(values).normalize(), dtype="datetime64[s]")
    # text, blanks allowed in an optional column (who answers, the answer: mostly empty)
    if col.dtype == "str" and kinds <= ({str} if col.required else {str, type(None)}) and \
            col.name not in ("ward_code", "old_ward_code", "level", "status"):
        from hbt_analysis.text import normalize_series

        out = normalize_series(pd.Series(values, dtype=object)).str.strip()
        if col.required and (out == "").any():
            return None
        return out.where(out.notna() & (out != ""), None).astype("str")
    return None


def _is_blank_cell_error(problems: list[Problem], row: object, header: str) -> bool:
    return bool(problems) and problems[-1].row == int(row) and problems[-1].column == header


def _parse_cell(col: Column, cell: object) -> object:
    if col.dtype == "int":
        return parse_int(cell)
    if col.dtype == "date":
        d = parse_date(cell)
        return None if d is None else pd.Timestamp(d)
    if col.name == "ward_code" or col.name == "old_ward_code":
        return parse_code(cell, width=5)
    if col.name == "level":
        text = parse_text(cell)
        if text is None:
            return None
        level = level_code(text)
        if level is None:
            raise CellError(
                f"cấp '{text}' không hợp lệ", f"level '{text}' is not valid"
            )
        return level
    if col.name == "status":
        text = parse_text(cell)
        if text is None:
            return None
        status = status_code(text)
        if status is None:
            raise CellError(
                f"tình trạng '{text}' không hợp lệ", f"status '{text}' is not valid"
            )
        return status
    return parse_text(cell)


def _fix_hint(col: Column) -> tuple[str, str]:
    if col.dtype == "int":
        return ("Ghi một số nguyên, vd. 35.323 hoặc 35323.",
                "Write a whole number, e.g. 35.323 or 35323.")
    if col.dtype == "date":
        return "Ghi ngày dạng dd/mm/yyyy.", "Write the date as dd/mm/yyyy."
    if col.name == "level":
        return ("Ghi 'Tổ dân phố' (hoặc to_dan_pho) hay 'Phường' (hoặc phuong).",
                "Write 'Tổ dân phố' (or to_dan_pho) or 'Phường' (or phuong).")
    if col.name == "status":
        return ("Ghi 'Đã giải quyết', 'Đang giải quyết' / 'Chưa giải quyết' hoặc 'Đã chuyển …' "
                "(resolved, in_progress, forwarded).",
                "Write 'Đã giải quyết', 'Đang giải quyết' / 'Chưa giải quyết' or 'Đã chuyển …' "
                "(resolved, in_progress, forwarded).")
    return "", ""


# --- rules across rows and tables -------------------------------------------------------

def check_year(
    tables: dict[str, pd.DataFrame],
    wheres: dict[str, str],
    wards: pd.DataFrame,
    window: dict[str, tuple[dt.date, dt.date]] | None = None,
    *, units: Registry | None = None, year: int | None = None,
) -> list[Problem]:
    """Rules within one year. `tables` carry ROW; `wheres` name each table's file; `wards`
    are the wards in force in the year (`units`, the registry, explains the others)."""
    problems: list[Problem] = []
    known_wards = dict(zip(wards["ward_code"], wards["ward_name"], strict=True))
    ctx = _WardContext(known_wards, units, year)
    groups = tables.get("group_conferences")
    ward_confs = tables.get("ward_conferences")
    opinions = tables.get("opinions")
    for name, frame in (("group_conferences", groups), ("ward_conferences", ward_confs)):
        if frame is None or frame.empty:
            continue
        where = wheres[name]
        problems += _attended_vs_invited(frame, where)
        problems += _unknown_wards(frame, where, known_wards, ctx)
        key = "group_code" if name == "group_conferences" else "ward_code"
        problems += _duplicates(frame, key, where)
        if window and name in window:
            problems += _outside_window(frame, where, *window[name])
    if groups is not None and not groups.empty:
        problems += _rate_far_from_ward(groups, wheres["group_conferences"])
    if opinions is not None and not opinions.empty:
        where = wheres["opinions"]
        problems += _duplicates(opinions, "opinion_id", where)
        problems += _unknown_wards(opinions, where, known_wards, ctx)
        if groups is not None and groups["group_code"].notna().all():
            # (with groups whose code could not be read, every opinion of theirs would be
            # reported again: their own errors come first)
            problems += _opinion_groups(opinions, groups, where)
            problems += _counts_agree(groups, opinions, "to_dan_pho", "group_code",
                                      wheres["group_conferences"])
        if ward_confs is not None:
            problems += _counts_agree(ward_confs, opinions, "phuong", "ward_code",
                                      wheres["ward_conferences"])
    return problems


def check_coverage(
    tables: dict[str, pd.DataFrame],
    wheres: dict[str, str],
    wards: pd.DataFrame,
    previous: dict[str, int] | None = None,
    previous_year: int | None = None,
) -> list[Problem]:
    """A ward left out (a sheet forgotten) or a group count far from last year's.

    Holds whether or not the year has published totals: it compares the data with the list
    of wards and with the year before, not with a published figure. A file that covers a
    single ward (an office checking its own sheet) is not asked for the others.
    """
    problems: list[Problem] = []
    known = dict(zip(wards["ward_code"], wards["ward_name"], strict=True))
    seen: dict[str, set[str]] = {
        name: set(frame["ward_code"].dropna().unique()) & set(known)
        for name, frame in tables.items() if frame is not None and not frame.empty
    }
    for name, label_vi, label_en in (
        ("group_conferences", "tổ dân phố", "group"), ("ward_conferences", "phường",
                                                       "ward"),
    ):
        present = seen.get(name)
        if not present:
            continue
        expected = set(known)
        if name == "ward_conferences" and "in_force" in wards:
            # a ward merged into an unrecorded one holds no conference of its own
            expected = set(wards.loc[wards["in_force"].astype(bool), "ward_code"])
        missing = sorted(expected - present)
        if len(present) < 2 or not missing:
            continue
        # evidence that rows were left out: the ward is in another table of the year, or had
        # groups last year; a ward absent from everything is only worth a warning
        elsewhere = set().union(*(w for n, w in seen.items() if n != name))
        elsewhere |= set(previous or {})
        for severity, codes in (("error", [c for c in missing if c in elsewhere]),
                                ("warning", [c for c in missing if c not in elsewhere])):
            if not codes or (severity == "error" and len(present) < len(known) / 2):
                continue
            listed = ", ".join(f"{known[c]} ({c})" for c in codes)
            problems.append(Problem(
                severity, wheres[name], None, "Mã phường",
                f"Không có dòng {label_vi} nào của {len(codes)} phường: {listed}"
                + (" (phường có trong bảng khác của năm hoặc có số liệu năm trước)"
                   if severity == "error" else "")
                + ". Thiếu sheet, thiếu tệp hay thiếu dòng? Bổ sung rồi kiểm tra lại.",
                f"No {label_en} row for {len(codes)} ward(s): {listed}"
                + (" (the ward is in another table of the year or had figures last year)"
                   if severity == "error" else "")
                + ". A sheet, a file or rows left out? Add them and check again.",
                "ward_missing",
            ))
    groups = tables.get("group_conferences")
    if previous and groups is not None and not groups.empty:
        now = groups.groupby("ward_code")["group_code"].nunique().to_dict()
        for code, before in sorted(previous.items()):
            n = int(now.get(code, 0))
            if n == 0 or before == 0:
                continue
            if abs(n - before) >= 3 and abs(n - before) >= 0.1 * before:
                problems.append(Problem(
                    "warning", wheres["group_conferences"], None, "Mã tổ dân phố",
                    f"Phường {known.get(code, code)} có {n} tổ dân phố, năm {previous_year} có "
                    f"{before}: thiếu hay thừa dòng, hay các tổ đã được sắp xếp lại?",
                    f"Ward {known.get(code, code)} has {n} groups; {previous_year} had "
                    f"{before}: rows missing or extra, or were the groups reorganised?",
                    "group_count_changed",
                ))
    return problems


def check_dates_year(tables: dict[str, pd.DataFrame], wheres: dict[str, str],
                     year: int) -> list[Problem]:
    """A table whose conference dates are mostly in another year: last year's file?"""
    out = []
    for name, frame in tables.items():
        if frame is None or frame.empty or "conference_date" not in frame:
            continue
        years = frame["conference_date"].dropna().dt.year
        if len(years) < 3:
            continue
        other = years[years != year]
        if len(other) > len(years) / 2:
            common = int(other.mode().iloc[0])
            out.append(Problem(
                "error", wheres[name], None, "Ngày hội nghị",
                f"{len(other)}/{len(years)} ngày hội nghị thuộc năm {common}, không phải năm "
                f"{year}: có lẽ đây là tệp năm {common}; chuyển sang thư mục {common} hoặc sửa "
                "ngày.",
                f"{len(other)}/{len(years)} conference dates are in {common}, not {year}: this "
                f"is probably the {common} file; move it to the {common} folder or fix the "
                "dates.",
                "dates_other_year",
            ))
    return out


def _at(r: pd.Series, where: str) -> str:
    """The file (and sheet) of a record: its own when the table was joined from several."""
    src = r.get(SRC) if SRC in r.index else None
    return str(src) if isinstance(src, str) and src else where


def _attended_vs_invited(frame: pd.DataFrame, where: str) -> list[Problem]:
    over = frame["households_attended"] > frame["households_invited"]
    bad = frame[over.fillna(False).astype(bool)]
    return [
        Problem(
            "error", _at(r, where), int(r[ROW]), "Số hộ dự",
            f"Số hộ dự ({fmt_int(r['households_attended'])}) lớn hơn số hộ được mời "
            f"({fmt_int(r['households_invited'])}); sửa một trong hai số.",
            f"Households attended ({fmt_int(r['households_attended'], 'en')}) exceeds "
            f"households invited ({fmt_int(r['households_invited'], 'en')}); correct one of them.",
            "attended_gt_invited",
        )
        for _, r in bad.iterrows()
    ]


@dataclass
class _WardContext:
    """What an unknown-ward message can say: the year's wards, the registry, the year."""

    known: dict[str, str]
    units: Registry | None = None
    year: int | None = None

    def messages(self, code: str) -> tuple[str, str, Severity]:
        """(vi, en, severity) for a ward code that is not one of the year's wards."""
        n = len(self.known)
        area = self.units.area(self.year) if self.units is not None and self.year else None
        file = self.units.path.name if self.units is not None else "units.csv"
        in_year = f" năm {self.year}" if self.year else ""
        in_year_en = f" in {self.year}" if self.year else ""
        of_vi = f" của {area.title()}" if area is not None and area.name else ""
        of_en = f" of {area.title('en')}" if area is not None and area.name else ""
        kind_vi = area.units() if area is not None else "phường"
        kind_en = area.units("en") if area is not None else "wards"
        example = next(iter(self.known.items()), None)
        eg_vi = f", vd. {example[0]} ({example[1]})" if example else ""
        eg_en = f", e.g. {example[0]} ({example[1]})" if example else ""
        why = self.units.explain_code(code, self.year) if self.units is not None and \
            self.year else None
        late = self.units is not None and self.year is not None and \
            code in set(self.units.ended_unrecorded(self.year)["code"])
        if late:
            return (f"Phường {self.known.get(code, code)} ({code}) đã sáp nhập vào một phường "
                    f"mà danh mục ({file}) không ghi; dòng được giữ theo mã cũ.",
                    f"Ward {self.known.get(code, code)} ({code}) was merged into a ward the "
                    f"registry ({file}) does not record; the row is kept under the old code.",
                    "warning")
        base_vi = (f"Mã phường '{code}' không có trong danh sách {n} {kind_vi}{of_vi}{in_year} "
                   f"({file})")
        base_en = (f"Ward code '{code}' is not one of the {n} {kind_en}{of_en}{in_year_en} "
                   f"({file})")
        if why is not None:
            return (f"{base_vi}: {why[0]}; dùng mã của phường đang có hiệu lực{eg_vi}.",
                    f"{base_en}: {why[1]}; use the code of a ward in force{eg_en}.", "error")
        return (f"{base_vi}; dùng mã 5 chữ số{eg_vi}, hoặc thêm đơn vị vào danh mục.",
                f"{base_en}; use the 5-digit code{eg_en}, or add the unit to the registry.",
                "error")


def _unknown_wards(frame: pd.DataFrame, where: str, known: dict[str, str],
                   ctx: _WardContext | None = None) -> list[Problem]:
    out = []
    ctx = ctx or _WardContext(known)
    bad = frame[frame["ward_code"].notna() & ~frame["ward_code"].isin(list(known))]
    said: dict[str, tuple[str, str, Severity]] = {}
    for _, r in bad.iterrows():
        code = str(r["ward_code"])
        vi, en, severity = said.setdefault(code, ctx.messages(code))
        out.append(Problem(severity, _at(r, where), int(r[ROW]), "Mã phường", vi, en,
                           "unknown_ward"))
    ended = (set(ctx.units.ended_unrecorded(ctx.year)["code"])
             if ctx.units is not None and ctx.year is not None else set())
    late = [c for c in known if c in ended]
    used = frame[frame["ward_code"].isin(late)]
    for code, rows in used.groupby("ward_code", sort=True):
        vi, en, _ = ctx.messages(str(code))
        out.append(Problem("warning", _at(rows.iloc[0], where), int(rows[ROW].iloc[0]),
                           "Mã phường", vi, en, "ward_merged_unrecorded"))
    if "ward_name" in frame:
        named = frame[frame["ward_code"].isin(list(known)) & frame["ward_name"].notna()]
        resolver = WardResolver(list(known), list(known.values()))
        pairs = named[["ward_code", "ward_name"]].drop_duplicates()
        wrong = {(c, n) for c, n in zip(pairs["ward_code"], pairs["ward_name"], strict=True)
                 if resolver.resolve(n).code != c}
        mismatched = [(c, n) in wrong for c, n in zip(named["ward_code"], named["ward_name"],
                                                      strict=True)]
        for _, r in named[mismatched].iterrows():
            expected = known[r["ward_code"]]
            out.append(Problem(
                "warning", _at(r, where), int(r[ROW]), "Tên phường",
                f"Tên phường '{r['ward_name']}' không khớp với mã {r['ward_code']} "
                f"({expected}); kiểm tra lại mã hoặc tên.",
                f"Ward name '{r['ward_name']}' does not match code {r['ward_code']} "
                f"({expected}); check the code or the name.",
                "ward_name_mismatch",
            ))
    return out


_KEY_LABELS = {"group_code": "Mã tổ dân phố", "ward_code": "Mã phường", "opinion_id": "Mã ý kiến"}


def _duplicates(frame: pd.DataFrame, key: str, where: str) -> list[Problem]:
    keys = frame[key][frame[key].notna()]  # the key alone: a million opinions' texts stay
    dup = frame.loc[keys.index[keys.duplicated(keep=False)]]
    out = []
    for code, group in dup.groupby(key, sort=True):
        rows = group[ROW]
        srcs = group[SRC].astype(str).tolist() if SRC in group else [where] * len(group)
        listed = ", ".join(
            str(r) if src == srcs[0] else f"{r} ({src})" for r, src in zip(rows, srcs,
                                                                            strict=True))
        out.append(Problem(
            "error", srcs[1], int(rows.iloc[1]), _KEY_LABELS.get(key, key),
            f"'{code}' xuất hiện nhiều lần (các dòng {listed}); mỗi đơn vị chỉ ghi một dòng "
            "mỗi năm: xóa dòng trùng hoặc sửa mã.",
            f"'{code}' is listed more than once (rows {listed}); one row per unit per year: "
            "delete the duplicate or fix the code.",
            "duplicate",
        ))
    return out


def _outside_window(frame: pd.DataFrame, where: str, start: dt.date, end: dt.date
                    ) -> list[Problem]:
    dates = frame["conference_date"]
    bad = frame[dates.notna() & ((dates < pd.Timestamp(start)) | (dates > pd.Timestamp(end)))]
    return [
        Problem(
            "warning", _at(r, where), int(r[ROW]), "Ngày hội nghị",
            f"Ngày {r['conference_date']:%d/%m/%Y} nằm ngoài thời gian dự kiến "
            f"({start:%d/%m/%Y}–{end:%d/%m/%Y}); kiểm tra lại ngày.",
            f"Date {r['conference_date']:%d/%m/%Y} is outside the planned window "
            f"({start:%d/%m/%Y}–{end:%d/%m/%Y}); check the date.",
            "date_outside_window",
        )
        for _, r in bad.iterrows()
    ]


def _rate_far_from_ward(groups: pd.DataFrame, where: str) -> list[Problem]:
    g = groups.dropna(subset=["households_invited", "households_attended", "ward_code"])
    g = g[g["households_invited"] > 0]
    if g.empty:
        return []
    totals = g.groupby("ward_code")[["households_attended", "households_invited"]].transform("sum")
    ward_rate = totals["households_attended"] / totals["households_invited"]
    rate = g["households_attended"] / g["households_invited"]
    far = g[((rate - ward_rate).abs() > RATE_GAP_WARNING) & (rate <= 1)
            & (g["households_invited"] >= MIN_INVITED_FOR_RATE_WARNING)]
    return [
        Problem(
            "warning", _at(r, where), int(r[ROW]), "Số hộ dự",
            f"Tỷ lệ dự của {r['group_code']} là {fmt_pct(rate[i])}, khác xa tỷ lệ chung của "
            f"phường ({fmt_pct(ward_rate[i])}); kiểm tra số hộ dự và số hộ được mời.",
            f"{r['group_code']} has an attendance rate of {fmt_pct(rate[i], lang='en')}, far "
            f"from its ward's ({fmt_pct(ward_rate[i], lang='en')}); check both counts.",
            "rate_far_from_ward",
        )
        for i, r in far.iterrows()
    ]


def _opinion_groups(opinions: pd.DataFrame, groups: pd.DataFrame, where: str) -> list[Problem]:
    out = []
    known = set(groups["group_code"].dropna())
    at_group = opinions["level"] == "to_dan_pho"
    missing = opinions[at_group & opinions["group_code"].isna()]
    for _, r in missing.iterrows():
        out.append(Problem(
            "error", _at(r, where), int(r[ROW]), "Mã tổ dân phố",
            "Ý kiến ở hội nghị tổ dân phố phải ghi mã tổ dân phố.",
            "An opinion from a residential-group conference needs its group code.",
            "opinion_without_group",
        ))
    unknown = opinions[at_group & opinions["group_code"].notna()
                       & ~opinions["group_code"].isin(list(known))]
    for _, r in unknown.iterrows():
        out.append(Problem(
            "error", _at(r, where), int(r[ROW]), "Mã tổ dân phố",
            f"Ý kiến thuộc tổ '{r['group_code']}' nhưng tổ này không có trong bảng hội nghị "
            "tổ dân phố; sửa mã hoặc thêm tổ đó.",
            f"The opinion points to group '{r['group_code']}', which is not in the group "
            "conferences table; fix the code or add the group.",
            "unknown_group",
        ))
    return out


def _counts_agree(conf: pd.DataFrame, opinions: pd.DataFrame, level: str, key: str,
                  where: str) -> list[Problem]:
    keys = opinions[key][opinions["level"] == level]  # the key alone, not the texts
    if keys.empty:
        return []  # minutes without opinion rows for this level: nothing to compare
    counted = keys.groupby(keys).size()
    out = []
    rows = conf.dropna(subset=[key, "opinions_count"])
    found = rows[key].map(counted).fillna(0).astype("int64")
    for (_, r), n in zip(rows[found.ne(rows["opinions_count"]).to_numpy(bool)].iterrows(),
                         found[found.ne(rows["opinions_count"]).to_numpy(bool)], strict=True):
        n = int(n)
        if n != r["opinions_count"]:
            out.append(Problem(
                "error", _at(r, where), int(r[ROW]), "Số ý kiến",
                f"Số ý kiến ghi là {fmt_int(r['opinions_count'])} nhưng bảng ý kiến có "
                f"{fmt_int(n)} ý kiến của '{r[key]}'; sửa cho khớp.",
                f"Opinions count is {fmt_int(r['opinions_count'], 'en')} but the opinions "
                f"table has {fmt_int(n, 'en')} for '{r[key]}'; make them agree.",
                "opinion_count_mismatch",
            ))
    return out


# --- across years -----------------------------------------------------------------------

def check_years(groups_by_year: dict[int, pd.DataFrame], units: Registry | None = None,
                crosswalks: dict[int, pd.DataFrame | None] | None = None) -> list[Problem]:
    """Warnings for groups that appear in some years and not in a year between them.

    Across a change of wards (`units` says) codes are compared only through the new year's
    group crosswalk (`crosswalks[year]`): an old group it places, or a new group it feeds,
    is not missing or new."""
    years = sorted(groups_by_year)
    out = []
    codes = {y: set(groups_by_year[y]["group_code"].dropna()) for y in years}
    for prev, year in itertools.pairwise(years):
        if units is not None and units.changed_between(prev, year):
            cw = (crosswalks or {}).get(year)
            if cw is None:
                continue  # nothing links the codes; the comparison says so
            gone = codes[prev] - set(cw["old_group_code"])
            new = codes[year] - set(cw["new_group_code"])
            for code in sorted(gone):
                out.append(Problem(
                    "warning", f"data/{year}", None, "Mã tổ dân phố cũ",
                    f"Tổ '{code}' của năm {prev} không có trong bảng chuyển đổi tổ dân phố "
                    f"năm {year}.", f"Group '{code}' of {prev} is not in the group crosswalk "
                    f"of {year}.", "group_missing_in_crosswalk"))
            for code in sorted(new):
                out.append(Problem(
                    "warning", f"data/{year}", None, "Mã tổ dân phố mới",
                    f"Tổ '{code}' năm {year} không nhận tổ nào của năm {prev} (bảng chuyển đổi "
                    "tổ dân phố).", f"Group '{code}' of {year} receives no group of {prev} "
                    "(group crosswalk).", "group_new_in_crosswalk"))
            continue
        for code in sorted(codes[prev] - codes[year]):
            out.append(Problem(
                "warning", f"data/{year}", None, "Mã tổ dân phố",
                f"Tổ '{code}' có năm {prev} nhưng không có năm {year} (tổ giải thể, sáp nhập "
                "hay thiếu dòng?).",
                f"Group '{code}' is in {prev} but not in {year} (dissolved, merged or a "
                "missing row?).",
                "group_missing_in_year",
            ))
        for code in sorted(codes[year] - codes[prev]):
            out.append(Problem(
                "warning", f"data/{year}", None, "Mã tổ dân phố",
                f"Tổ '{code}' mới có từ năm {year} (không có năm {prev}).",
                f"Group '{code}' is new in {year} (not in {prev}).",
                "group_new_in_year",
            ))
    return out


# --- reconciliation against the published totals ---------------------------------------

def reconcile(ds: object) -> pd.DataFrame:
    """Each published figure of the year beside the data's own, and whether they agree.

    A figure the source did not publish is shown as missing, never filled in; "nearly"
    figures ("gần 30.000") agree when the data lies within 2% below them.
    """
    rows = []
    published = ds.published  # type: ignore[attr-defined]
    for _, pub in published.iterrows():
        level = pub["level"]
        conf = ds.group_conferences if level == "to_dan_pho" else ds.ward_conferences  # type: ignore[attr-defined]
        ops = ds.opinions  # type: ignore[attr-defined]
        n_ops = int((ops["level"] == level).sum()) if ops is not None and len(ops) else None
        if n_ops in (None, 0) and conf is not None and len(conf):
            n_ops = int(conf["opinions_count"].sum())
        data = {
            "units_held": len(conf) if conf is not None else None,
            "households_invited": _sum(conf, "households_invited"),
            "households_attended": _sum(conf, "households_attended"),
            "rate_pct": None,
            "opinions": n_ops,
        }
        if data["households_invited"]:
            data["rate_pct"] = round(
                100 * data["households_attended"] / data["households_invited"], 1
            )
        for figure in ("units_held", "households_invited", "households_attended",
                       "rate_pct", "opinions"):
            value = pub[figure]
            qualifier = pub["attended_qualifier"] if figure == "households_attended" else "exact"
            published_value = None if pd.isna(value) else value
            rows.append({
                "year": int(pub["year"]), "level": level, "figure": figure,
                "published": published_value, "data": data[figure],
                "qualifier": qualifier if published_value is not None else "not_published",
                "agrees": _agrees(published_value, data[figure], qualifier),
                "source": pub["source"],
            })
    return pd.DataFrame(rows, columns=["year", "level", "figure", "published", "data",
                                       "qualifier", "agrees", "source"])


def _sum(frame: pd.DataFrame | None, col: str) -> int | None:
    if frame is None or frame.empty:
        return None
    return int(frame[col].sum())


def _agrees(published: object, data: object, qualifier: str) -> bool | None:
    if published is None:
        return None  # nothing published: nothing to agree with
    if data is None:
        return False
    if qualifier == "nearly":
        return 0.98 * float(published) <= float(data) < float(published)
    return abs(float(published) - float(data)) < 1e-9


def reconciliation_problems(table: pd.DataFrame, where: str) -> list[Problem]:
    """Disagreements with the published totals, as warnings that show both values."""
    out = []
    for _, r in table[table["agrees"] == False].iterrows():  # noqa: E712 (None = not published)
        out.append(Problem(
            "warning", where, None, r["figure"],
            f"{r['level']} {r['year']}: số đã công bố là {r['published']}, dữ liệu cho "
            f"{r['data']} ({r['figure']}).",
            f"{r['level']} {r['year']}: published {r['published']}, the data gives "
            f"{r['data']} ({r['figure']}).",
            "reconciliation",
        ))
    return out


def level_of(table: Table) -> str:
    return "to_dan_pho" if table.name == "group_conferences" else "phuong"


__all__ = [
    "LEVELS",
    "DataError",
    "Problem",
    "check_year",
    "check_years",
    "coerce",
    "errors_in",
    "reconcile",
    "reconciliation_problems",
]

"""Typed columns from a table's raw cells, and a problem for every cell that cannot be read.

Each problem names the file, the spreadsheet row, the column and what to fix, in Vietnamese
and English. The columnar path (`coerce_arrow`) reuses this module's per-cell parser for the
cells it cannot convert at once, so both give the same values and the same messages.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

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
from hbt_analysis.problems import Problem
from hbt_analysis.schema import LEVEL_NAMES, STATUS_PREFIXES, Column, header_key


def where_of(r: pd.Series, where: str) -> str:
    """The file (and sheet) of a record: its own when the table was joined from several."""
    src = r.get(SRC) if SRC in r.index else None
    return str(src) if isinstance(src, str) and src else where


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
                "error", where_of(r, where), int(r[ROW]), _header(raw, table.column("year")),
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
            col.name not in ("ward_code", "old_ward_code", "level", "status", "staff_item"):
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
    if col.name == "staff_item":
        return parse_item_key(cell)
    return parse_text(cell)


#: A staff key is a number or a short label ("12", "KN-03", "3a"); longer is an opinion's
#: text or a note in the wrong column, which would make every opinion its own request.
ITEM_KEY_MAX_CHARS = 60
_ITEM_KEY_BLANK = frozenset({"-", "–", "—", "/", "x", "X", "0"})


def parse_item_key(cell: object) -> str | None:
    """The office's item key of an opinion ("12" from 12, 12.0 or "012"; labels as
    written, whitespace tidied); None when blank, 0 or a dash (not grouped by staff).

    Raises CellError for what cannot be a key: a date (Excel turned "1/2" or "1-2" into a
    day), a true/false cell, a negative or fractional number, or a long text."""
    if isinstance(cell, bool):
        raise CellError("giá trị đúng/sai không phải là số kiến nghị",
                        "a true/false cell is not a request number")
    if isinstance(cell, dt.date | dt.datetime | pd.Timestamp):
        raise CellError(f"Excel đã đổi số kiến nghị thành ngày ({cell:%d/%m/%Y})",
                        f"Excel turned the request number into a date ({cell:%d/%m/%Y})")
    if isinstance(cell, int | float):
        if pd.isna(cell):
            return None
        if cell < 0 or float(cell) != int(cell):
            raise CellError(f"số kiến nghị {str(cell).replace('.', ',')} không phải số nguyên "
                            "dương",
                            f"the request number {cell} is not a positive whole number")
        return None if int(cell) == 0 else str(int(cell))
    text = parse_text(cell)
    if text is None or text in _ITEM_KEY_BLANK:
        return None
    if len(text) > ITEM_KEY_MAX_CHARS:
        shown = text[:40] + ("…" if len(text) > 40 else "")
        raise CellError(f"'{shown}' quá dài để là số hoặc nhãn kiến nghị "
                        f"(tối đa {ITEM_KEY_MAX_CHARS} ký tự)",
                        f"'{shown}' is too long for a request number or label "
                        f"(at most {ITEM_KEY_MAX_CHARS} characters)")
    if text.isdigit():
        return text.lstrip("0") or None
    return text


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
    if col.name == "staff_item":
        return ("Ghi số thứ tự hoặc nhãn ngắn của kiến nghị tổng hợp (vd. 12 hoặc KN-03); các "
                "ý kiến cùng số là một kiến nghị; để trống nếu chưa tổng hợp. Nếu Excel đổi "
                "thành ngày, định dạng cột là Văn bản (Text) rồi gõ lại.",
                "Write the number or short label of the consolidated request (e.g. 12 or "
                "KN-03); opinions with the same one are one request; leave blank if not "
                "grouped. If Excel turned it into a date, format the column as Text and "
                "type it again.")
    return "", ""


"""Cells as offices write them: Vietnamese numbers, dates, codes, text encodings.

Government spreadsheets write numbers the Vietnamese way ("35.323", "68,6%", "1.435 ý
kiến"), dates as "Thứ hai, 06/02/2023" or "ngày 5 tháng 1 năm 2023", drop the leading zeros
of codes, and come as UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text") or
Windows-1258. `parse_*` turn such cells into values; `RawTable` is a table's cells as read,
under the schema's column names, with the spreadsheet row (and file/sheet) of every record
so that problems are reported where the user will look. Finding tables in files is
`hbt_analysis.intake`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hbt_analysis.schema import Table
from hbt_analysis.text import normalize

ROW = "_row"  # the spreadsheet row number of each record, as the user numbers it
SRC = "_src"  # the file (and sheet) each record comes from, when a table has several


class ReadError(Exception):
    """A file that cannot be read at all (not a table, unknown format, no header)."""

    def __init__(self, path: Path | str, message_vi: str, message_en: str):
        self.path = Path(path)
        self.message_vi = message_vi
        self.message_en = message_en
        super().__init__(f"{path}: {message_vi} / {message_en}")


@dataclass
class RawTable:
    """Cells of one table as read (strings or Excel values), under schema column names."""

    path: Path
    table: Table
    frame: pd.DataFrame  # object columns, plus ROW
    headers: dict[str, str] = field(default_factory=dict)  # schema name -> header as written
    header_row: int = 1
    unknown_headers: list[str] = field(default_factory=list)
    sheet: str | None = None
    unread: set[str] = field(default_factory=set)  # columns not to parse (reported already)
    derived: set[str] = field(default_factory=set)  # columns made from others (codes from names)
    columnar: bool = False  # cells in Arrow string columns (null = blank), not Python objects

    def where(self) -> str:
        return f"{self.path}" + (f" [{self.sheet}]" if self.sheet else "")

    def where_of(self, i: int) -> str:
        """The file (and sheet) of the i-th record: tables may be joined from several."""
        if SRC in self.frame.columns:
            return str(self.frame[SRC].iloc[i])
        return self.where()


# --- decoding ---------------------------------------------------------------------------

def decode_bytes(data: bytes) -> str:
    """Text from the encodings Vietnamese offices produce, tried in a safe order."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if len(data) >= 4 and data[1:2] == b"\x00" and data[3:4] == b"\x00":
        return data.decode("utf-16-le")  # UTF-16 without BOM
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1258")  # Windows-1258: decomposed tone marks, NFC fixes them


# --- parsing cells ----------------------------------------------------------------------

class CellError(ValueError):
    """A cell that cannot be parsed: a Vietnamese and an English explanation."""

    def __init__(self, message_vi: str, message_en: str):
        self.message_vi = message_vi
        self.message_en = message_en
        super().__init__(message_en)


_NUMBER_TEXT = re.compile(r"^[+-]?[\d.,\s\u00a0]+$")
_UNIT_SUFFIX = re.compile(r"\s*(%|ý kiến|y kien|hộ|ho|người|nguoi|tổ|to)\s*$", re.IGNORECASE)


def parse_number(cell: object) -> float | None:
    """A number from a cell written the Vietnamese or the English way; None when empty.

    "35.323" -> 35323, "68,6%" -> 68.6, "1.435 ý kiến" -> 1435, "35 323" -> 35323,
    "1,234.5" -> 1234.5, "12,5" -> 12.5. A single separator followed by exactly three digits
    is a thousands separator ("35.323", "35,323"): counts in these tables are whole numbers.
    """
    if cell is None or isinstance(cell, bool):
        if isinstance(cell, bool):
            raise CellError("không phải là số", "not a number")
        return None
    if isinstance(cell, int | float):
        return None if pd.isna(cell) else float(cell)
    text = str(cell).strip()
    if text == "" or text in {"-", "—", "–"}:
        return None
    stripped = _UNIT_SUFFIX.sub("", text).strip()
    if not _NUMBER_TEXT.match(stripped):
        raise CellError(f"'{text}' không phải là số", f"'{text}' is not a number")
    s = re.sub(r"[\s\u00a0]", "", stripped)
    sign = -1.0 if s.startswith("-") else 1.0
    s = s.lstrip("+-")
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        if s.count(decimal) > 1:
            raise CellError(f"'{text}' không phải là số", f"'{text}' is not a number")
        s = s.replace(thousands, "").replace(decimal, ".")
    elif dots or commas:
        sep = "." if dots else ","
        parts = s.split(sep)
        if len(parts) > 2 or (len(parts[-1]) == 3 and parts[0] != ""):
            if not all(len(p) == 3 for p in parts[1:]) or parts[0] == "":
                raise CellError(f"'{text}' không phải là số", f"'{text}' is not a number")
            s = "".join(parts)  # thousands separators
        else:
            s = s.replace(sep, ".")
    if s in ("", "."):
        raise CellError(f"'{text}' không phải là số", f"'{text}' is not a number")
    return sign * float(s)


def parse_int(cell: object) -> int | None:
    """A whole count; fractions are refused (a household is not divisible)."""
    value = parse_number(cell)
    if value is None:
        return None
    if value != int(value):
        raise CellError(
            f"'{cell}' không phải là số nguyên", f"'{cell}' is not a whole number"
        )
    return int(value)


_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})(?!\d)")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})"  # ISO, with a time as exports write it
                  r"(?:[ T]\d\d:\d\d(?::\d\d(?:\.\d+)?)?)?(?:Z|[+\-]\d\d:?\d\d)?$")
_WORDS = re.compile(r"ngày\s*(\d{1,2})\s*(?:tháng|/)\s*(\d{1,2})\s*(?:năm|/)\s*(\d{4})",
                    re.IGNORECASE)
#: Words around a date that do not change it: the weekday, the time, the part of the day.
_DATE_DECORATION = re.compile(
    r"thứ\s*(hai|ba|tư|năm|sáu|bảy|bẩy|[2-7])|chủ\s*nhật|\bcn\b|\bt[2-7]\b|\bngày\b|"
    r"\b(buổi\s*)?(sáng|trưa|chiều|tối|đêm)\b|\blúc\b|\bvào\b|\bhồi\b|"
    r"\d{1,2}\s*(h|giờ|g)\s*\d{0,2}\s*(phút|p)?|\d{1,2}:\d{2}(:\d{2})?|[(),.;:\-–]",
    re.IGNORECASE,
)
EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(cell: object) -> dt.date | None:
    """A date from dd/mm/yyyy (also with a weekday, a time or '(tối)' around it, or a
    two-digit year), ISO, 'ngày 5 tháng 1 năm 2023', an Excel date or serial."""
    if cell is None:
        return None
    if isinstance(cell, dt.datetime):
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, pd.Timestamp):
        return None if pd.isna(cell) else cell.date()
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        if pd.isna(cell):
            return None
        if 20000 <= cell <= 80000:
            return EXCEL_EPOCH + dt.timedelta(days=int(cell))
        raise CellError(f"'{cell}' không phải là ngày", f"'{cell}' is not a date")
    text = normalize(str(cell)).strip()
    if text == "":
        return None
    try:
        if m := _YMD.match(text):
            y, mth, d = (int(g) for g in m.groups())
            return dt.date(y, mth, d)
        if m := _WORDS.search(text):
            d, mth, y = (int(g) for g in m.groups())
            return dt.date(y, mth, d)
        found = list(_DMY.finditer(text))
        if len(found) == 1:
            rest = _DATE_DECORATION.sub(" ", text[:found[0].start()] + " " +
                                        text[found[0].end():])
            if not rest.strip():
                d, mth, y = (int(g) for g in found[0].groups())
                if y < 100:
                    y += 2000
                return dt.date(y, mth, d)
        if text.isdigit():
            return parse_date(int(text))
    except ValueError:
        found = list(_DMY.finditer(text))
        if len(found) == 1 and int(found[0].group(2)) > 12 >= int(found[0].group(1)):
            raise CellError(
                f"'{text}' ghi tháng trước ngày (kiểu Mỹ, tháng/ngày: MM/DD, thường do máy "
                "tính đặt tiếng Anh), trong khi cột này ghi ngày trước: không đoán các ngày "
                "còn lại của cùng nguồn; ghi lại các ngày đó dạng dd/mm/yyyy",
                f"'{text}' is written month first (US style, MM/DD, usually a computer set to "
                "English) while this column is day first: the other dates from the same "
                "source cannot be trusted; write them as dd/mm/yyyy",
            ) from None
        raise CellError(
            f"'{text}' không phải là ngày có thật", f"'{text}' is not a real date"
        ) from None
    raise CellError(
        f"'{text}' không đọc được là ngày; viết dd/mm/yyyy (vd. 05/01/2023)",
        f"'{text}' is not a date; write dd/mm/yyyy (e.g. 05/01/2023)",
    )


def day_month_order(cells: list[object]) -> str | None:
    """'dmy' or 'mdy' when a column's text dates prove their order, else None.

    A column where some first numbers exceed 12 is day-first; one where only second
    numbers do was written month-first (a computer set to US English).
    """
    first = second = 0
    for cell in cells:
        if not isinstance(cell, str):
            continue
        m = _DMY.search(cell)
        if not m:
            continue
        a, b = int(m.group(1)), int(m.group(2))
        first += a > 12
        second += b > 12
    if second and not first:
        return "mdy"
    if first:
        real = [c for c in cells if isinstance(c, dt.date)]
        texts_first_only = all(int(m.group(1)) > 12 for c in cells if isinstance(c, str)
                               and (m := _DMY.search(c)))
        if real and texts_first_only and all(d.day <= 12 for d in real):
            # Excel set to month/day turned every dd/mm with dd <= 12 into a swapped date
            # and left the others (13/02/2023 …) as text: half of the column is wrong
            return "mdy_mixed"
        return "dmy"
    return None


def parse_text(cell: object) -> str | None:
    """Text normalised (NFC, one tone-mark placement, tidy whitespace); None when empty."""
    if cell is None or (isinstance(cell, float) and pd.isna(cell)):
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # a code typed as a number in Excel
    text = normalize(str(cell)).strip()
    return text or None


def parse_code(cell: object, width: int = 0) -> str | None:
    """A code: Excel drops leading zeros of numeric-looking codes ('241' with width 5 is
    read back as five digits, its zeros restored)."""
    text = parse_text(cell)
    if text is None:
        return None
    if width and text.isdigit() and len(text) < width:
        text = text.zfill(width)  # Excel dropped the leading zeros
    return text

"""Reading the files offices actually produce: CSV, Excel and Parquet, with their quirks.

Government spreadsheets put a title above the header, write numbers the Vietnamese way
("35.323", "68,6%", "1.435 ý kiến"), come in UTF-8 with or without BOM, UTF-16 (Excel's
"Unicode text") or Windows-1258, and spell headers with or without diacritics. This module
turns such a file into a frame of raw cells under the schema's column names, remembering
the spreadsheet row of every record so that problems can be reported where the user
will look for them. Parsing cell values into types is `parse_*`; the raw file is only read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io as _io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hbt_analysis.schema import Table, header_key, header_lookup
from hbt_analysis.text import normalize

SUPPORTED_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".parquet")
ROW = "_row"  # the spreadsheet row number of each record, as the user numbers it
HEADER_SCAN_ROWS = 15


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

    def where(self) -> str:
        return f"{self.path}" + (f" [{self.sheet}]" if self.sheet else "")


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


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in (",", ";", "\t")}
        return max(counts, key=counts.get)


# --- reading grids ----------------------------------------------------------------------

def _grid_from_csv(path: Path) -> list[list[object]]:
    text = decode_bytes(path.read_bytes())
    if not text.strip():
        return []
    reader = csv.reader(_io.StringIO(text), delimiter=_sniff_delimiter(text))
    return [list(r) for r in reader]


def _grid_from_excel(path: Path, sheet: str | None) -> tuple[list[list[object]], str]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a non-workbook
        raise ReadError(
            path,
            f"không mở được tệp Excel ({type(exc).__name__}); hãy lưu lại dưới dạng .xlsx",
            f"cannot open the Excel file ({type(exc).__name__}); save it again as .xlsx",
        ) from None
    try:
        ws = wb[sheet] if sheet else wb.worksheets[0]
        grid = [list(r) for r in ws.iter_rows(values_only=True)]
        return grid, ws.title
    finally:
        wb.close()


def excel_sheets(path: Path) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _find_header(grid: list[list[object]], lookup: dict[str, str]) -> tuple[int, int]:
    """The index of the row that names the most schema columns (a title may sit above)."""
    best, best_hits = 0, 0
    for i, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        hits = len({lookup[k] for c in row if c is not None and (k := header_key(c)) in lookup})
        if hits > best_hits:
            best, best_hits = i, hits
    return best, best_hits


def read_table(path: Path | str, table: Table, sheet: str | None = None) -> RawTable:
    """Read one table's file into raw cells under the schema's names (values not parsed)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise ReadError(path, "không tìm thấy tệp", "file not found")
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(
            path,
            f"định dạng {suffix or '(không có đuôi)'} không được hỗ trợ; dùng CSV, Excel (.xlsx) "
            "hoặc Parquet",
            f"format {suffix or '(no extension)'} is not supported; use CSV, Excel (.xlsx) "
            "or Parquet",
        )
    sheet_title = None
    if suffix == ".parquet":
        df = pd.read_parquet(path)
        grid = [list(df.columns), *df.astype(object).where(df.notna(), None).values.tolist()]
    elif suffix in (".xlsx", ".xlsm"):
        grid, sheet_title = _grid_from_excel(path, sheet)
    else:
        grid = _grid_from_csv(path)
    grid = [r for r in grid]  # keep blank rows: row numbers must match the spreadsheet
    if not any(any(_present(c) for c in r) for r in grid):
        raise ReadError(path, "tệp trống, không có dữ liệu", "the file is empty")
    lookup = header_lookup(table)
    hrow, hits = _find_header(grid, lookup)
    if hits == 0:
        expected = ", ".join(f"'{c.label_vi}'" for c in table.columns if c.required)
        raise ReadError(
            path,
            f"không tìm thấy dòng tiêu đề của bảng {table.label_vi}; cần các cột {expected}",
            f"no header row for the table {table.label_en} found; expected the columns "
            + ", ".join(f"'{c.label_en}'" for c in table.columns if c.required),
        )
    header = grid[hrow]
    names: list[str | None] = []
    headers: dict[str, str] = {}
    unknown: list[str] = []
    for cell in header:
        key = header_key(cell) if _present(cell) else ""
        name = lookup.get(key)
        if name and name not in headers:
            headers[name] = normalize(str(cell)).strip()
            names.append(name)
        else:
            if _present(cell):
                unknown.append(normalize(str(cell)).strip())
            names.append(None)
    records = []
    for i, row in enumerate(grid[hrow + 1:], start=hrow + 2):
        if not any(_present(c) for c in row):
            continue  # blank spreadsheet row
        rec: dict[str, object] = {ROW: i}
        for name, cell in zip(names, row, strict=False):
            if name:
                rec[name] = cell
        records.append(rec)
    frame = pd.DataFrame.from_records(records, columns=[ROW, *headers.keys()])
    frame = frame.astype(object)
    frame[ROW] = frame[ROW].astype("int64")
    return RawTable(path, table, frame, headers, hrow + 1, unknown, sheet_title)


def _present(cell: object) -> bool:
    if cell is None:
        return False
    if isinstance(cell, float) and pd.isna(cell):
        return False
    return str(cell).strip() != ""


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


_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_WORDS = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)
EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(cell: object) -> dt.date | None:
    """A date from dd/mm/yyyy, ISO, 'ngày 5 tháng 1 năm 2023', an Excel date or serial."""
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
        if m := _DMY.match(text) or _WORDS.search(text):
            d, mth, y = (int(g) for g in m.groups())
            return dt.date(y, mth, d)
        if m := _YMD.match(text):
            y, mth, d = (int(g) for g in m.groups())
            return dt.date(y, mth, d)
        if text.isdigit():
            return parse_date(int(text))
    except ValueError:
        raise CellError(
            f"'{text}' không phải là ngày có thật", f"'{text}' is not a real date"
        ) from None
    raise CellError(
        f"'{text}' không đọc được là ngày; viết dd/mm/yyyy (vd. 05/01/2023)",
        f"'{text}' is not a date; write dd/mm/yyyy (e.g. 05/01/2023)",
    )


def parse_text(cell: object) -> str | None:
    """Text normalised (NFC, one tone-mark placement, tidy whitespace); None when empty."""
    if cell is None or (isinstance(cell, float) and pd.isna(cell)):
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # a code typed as a number in Excel
    text = normalize(str(cell)).strip()
    return text or None


def parse_code(cell: object, width: int = 0) -> str | None:
    """A code: Excel drops leading zeros of numeric-looking codes (241 -> '00241')."""
    text = parse_text(cell)
    if text is None:
        return None
    if width and text.isdigit() and len(text) < width:
        text = text.zfill(width)  # Excel dropped the leading zeros
    return text

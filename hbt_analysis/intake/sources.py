"""Open whatever an office hands over, by what the bytes are, not what the name says.

A ward office's ".xls" may be an Excel 97–2003 workbook, an HTML page a web system saved
("Xuất Excel"), or an encrypted Excel 2007 file; a ".xlsx" may be truncated by an e-mail
client or be a Word document renamed. This module looks at the first bytes, opens the file
with the reader that fits (python-calamine for .xlsx/.xlsm/.xls/.ods, lxml for HTML tables,
the csv module for text, pyarrow for Parquet), and returns plain grids of cells with the
merged ranges, the sheet's visibility and the formula cells that carry no stored result.
Whatever cannot be opened raises one `ReadError` naming the file and the real cause.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from hbt_analysis.io import ReadError, decode_bytes

Cell = object  # str | int | float | bool | datetime.date | datetime.datetime | None
Merge = tuple[int, int, int, int]  # first row, first column, last row, last column (0-based)

#: Extensions that may hold a table. Anything else in a year's folder is listed, not read.
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods", ".htm", ".html",
                  ".parquet", ".xml")
#: Beyond this many formula cells without a stored result we do not try to compute them.
MAX_FORMULAS_TO_COMPUTE = 20_000


@dataclass
class Sheet:
    """One grid of cells as the spreadsheet shows it (row 0 is the spreadsheet's row 1)."""

    name: str | None
    rows: list[list[Cell]]
    merged: list[Merge] = field(default_factory=list)
    visible: bool = True
    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Source:
    """A file as opened: its format, its sheets and what reading it involved."""

    path: Path
    kind: str  # xlsx, xls, ods, html, csv, parquet
    sheets: list[Sheet]
    notes_vi: list[str] = field(default_factory=list)
    notes_en: list[str] = field(default_factory=list)
    recalculated: int = 0  # formula cells computed by LibreOffice (none stored in the file)

    def note(self, vi: str, en: str) -> None:
        self.notes_vi.append(vi)
        self.notes_en.append(en)


KIND_LABELS = {
    "xlsx": "Excel (.xlsx)", "xls": "Excel 97–2003 (.xls)", "ods": "LibreOffice (.ods)",
    "html": "trang web (HTML) / web page (HTML)", "csv": "CSV", "parquet": "Parquet",
    "xml": "Excel 2003 XML",
}


# --- what the bytes are -----------------------------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(path: Path, head: bytes) -> str:
    """The real format of a file from its first bytes (and its zip or OLE directory)."""
    if not head:
        return "empty"
    if not head.strip(b"\x00"):
        return "damaged"  # a file of NUL bytes: space allocated, never written
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(path)
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(path)
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "image"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    text = _head_text(head)
    low = text.lstrip("\ufeff \t\r\n").lower()
    if low.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in low:
        return "xml"
    if low.startswith(("<!doctype html", "<html", "<table", "<head", "<meta", "<body")) or (
        low.startswith("<?xml") and "<html" in low
    ) or low.startswith("mime-version"):
        return "html"
    if b"\x00" in head and not _is_utf16(head):
        return "binary"
    return "text"


def _head_text(head: bytes) -> str:
    if _is_utf16(head):
        try:
            return head.decode("utf-16", errors="ignore")
        except UnicodeDecodeError:
            return ""
    return head.decode("latin-1")


def _is_utf16(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = head[:200]
    return len(sample) >= 8 and sample[1::2].count(0) > 0.8 * len(sample[1::2])


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                mime = zf.read("mimetype").decode("ascii", "ignore")
                if "spreadsheet" in mime:
                    return "ods"
                if "text" in mime:
                    return "odt"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("ppt/") for n in names):
                return "pptx"
            return "zip"
    except (zipfile.BadZipFile, EOFError, OSError, KeyError):
        return "damaged"


def _sniff_ole(path: Path) -> str:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(s).lower() for s in ole.listdir()}
    except OSError:
        return "damaged"
    if "encryptedpackage" in streams or "encryptioninfo" in streams:
        return "encrypted"
    if "workbook" in streams or "book" in streams:
        return "xls"
    if "worddocument" in streams:
        return "doc"
    return "ole"


# --- opening ----------------------------------------------------------------------------

def open_source(path: Path | str) -> Source:
    """Every sheet of a file, opened by its content; a ReadError names the real cause."""
    path = Path(path)
    if not path.exists():
        raise ReadError(path, "không tìm thấy tệp", "file not found")
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise ReadError(path, f"không đọc được tệp ({exc.strerror})",
                        f"cannot read the file ({exc.strerror})") from None
    kind = sniff(path, head)
    if kind in _REFUSALS:
        vi, en = _REFUSALS[kind]
        raise ReadError(path, vi, en)
    if kind in ("xlsx", "xls", "ods"):
        source = _open_calamine(path, kind)
    elif kind == "html":
        source = _open_html(path)
    elif kind == "xml":
        source = _open_spreadsheet_xml(path)
    elif kind == "parquet":
        source = _open_parquet(path)
    else:
        source = _open_text(path, head)
    suffix = path.suffix.lower()
    expected = {".xls": "xls", ".xlsx": "xlsx", ".xlsm": "xlsx", ".ods": "ods",
                ".parquet": "parquet"}.get(suffix)
    if expected and expected != kind:
        source.note(
            f"tệp có đuôi {suffix} nhưng thực chất là {KIND_LABELS.get(kind, kind)}; đã đọc "
            "theo nội dung (nên mở bằng Excel và lưu lại đúng định dạng)",
            f"the file is named {suffix} but is really {KIND_LABELS.get(kind, kind)}; read by "
            "its content (better: open it in Excel and save it in the right format)",
        )
    return source


def peek_text(path: Path | str, size: int = 65536) -> Source | None:
    """The first lines of a text table (CSV/TSV) as a Source, to see which table its header
    names without reading the whole file; None for other kinds (or an unreadable file)."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            data = fh.read(size)
    except OSError:
        return None
    if sniff(path, data[:4096]) != "text" or _is_utf16(data[:4096]):
        return None
    if len(data) == size:  # cut at the last complete line
        data = data[: data.rfind(b"\n") + 1] or data
    try:
        return _open_text(path, data[:4096], data)
    except ReadError:
        return None


_SAVE_AS = ("mở bằng Excel và lưu lại dưới dạng Excel (.xlsx)",
            "open it in Excel and save it as an Excel workbook (.xlsx)")
_REFUSALS: dict[str, tuple[str, str]] = {
    "empty": ("tệp trống (0 byte), không có dữ liệu; lấy lại bản gốc",
              "the file is empty (0 bytes): no data; get the original again"),
    "encrypted": (
        "tệp được bảo vệ bằng mật khẩu (mã hóa), không đọc được; mở bằng Excel, gỡ mật khẩu "
        "(Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu: xóa trống) rồi lưu lại",
        "the workbook is protected by a password (encrypted) and cannot be read; open it in "
        "Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password: "
        "clear it) and save it again",
    ),
    "damaged": (
        "tệp bị hỏng hoặc không trọn vẹn (có thể tải về hoặc chép chưa xong); lấy lại bản gốc "
        f"hoặc {_SAVE_AS[0]}",
        "the file is damaged or incomplete (perhaps cut off while downloading or copying); get "
        f"the original again or {_SAVE_AS[1]}",
    ),
    "docx": ("đây là văn bản Word (.docx), không phải bảng tính; dùng `hbt import-minutes` cho "
             "biên bản, hoặc chép bảng sang Excel",
             "this is a Word document (.docx), not a spreadsheet; use `hbt import-minutes` for "
             "minutes, or copy the table into Excel"),
    "doc": ("đây là văn bản Word 97–2003 (.doc), không phải bảng tính",
            "this is a Word 97–2003 document (.doc), not a spreadsheet"),
    "odt": ("đây là văn bản LibreOffice Writer (.odt), không phải bảng tính",
            "this is a LibreOffice Writer document (.odt), not a spreadsheet"),
    "pptx": ("đây là tệp PowerPoint, không phải bảng tính",
             "this is a PowerPoint file, not a spreadsheet"),
    "pdf": ("đây là tệp PDF, không phải bảng tính; cần bản Excel gốc của bảng số liệu",
            "this is a PDF, not a spreadsheet; the original Excel file of the table is needed"),
    "image": ("đây là tệp ảnh, không phải bảng tính", "this is an image, not a spreadsheet"),
    "rtf": ("đây là văn bản RTF, không phải bảng tính", "this is an RTF document, not a "
            "spreadsheet"),
    "zip": ("đây là tệp nén (zip) không phải bảng tính; giải nén rồi đặt các tệp vào thư mục",
            "this is a zip archive, not a spreadsheet; unpack it and put the files in the folder"),
    "ole": (f"tệp Office không nhận ra được; {_SAVE_AS[0]}",
            f"an Office file of an unknown kind; {_SAVE_AS[1]}"),
    "binary": (
        "tệp chứa dữ liệu nhị phân (ký tự NUL), không phải bảng tính hay CSV: có thể đã hỏng; "
        "lấy lại bản gốc",
        "the file holds binary data (NUL bytes), not a spreadsheet or CSV: it may be damaged; "
        "get the original again",
    ),
}


def _open_calamine(path: Path, kind: str, recalc: bool = True) -> Source:
    import python_calamine as pc

    try:
        trimmed = _trim_formatted_rows(path) if kind == "xlsx" else None
        if trimmed is None:  # by content: calamine goes by the name with a path
            trimmed = io.BytesIO(path.read_bytes())
        wb = pc.CalamineWorkbook.from_filelike(trimmed)
    except pc.PasswordError:
        raise ReadError(path, *_REFUSALS["encrypted"]) from None
    except Exception as exc:  # calamine raises several kinds for a damaged workbook
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise ReadError(path, *_REFUSALS["encrypted"]) from None
        raise ReadError(
            path,
            f"tệp {KIND_LABELS[kind]} bị hỏng, không mở được ({_short(exc)}); lấy lại bản gốc "
            f"hoặc {_SAVE_AS[0]}",
            f"the {KIND_LABELS[kind]} file is damaged and cannot be opened ({_short(exc)}); get "
            f"the original again or {_SAVE_AS[1]}",
        ) from None
    source = Source(path, kind, [])
    try:
        for meta in wb.sheets_metadata:
            if "worksheet" not in str(meta.typ).lower():
                continue  # chart sheets, macro sheets
            sheet = wb.get_sheet_by_name(meta.name)
            rows = _clean_rows(sheet.to_python(skip_empty_area=False))
            merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
            visible = "visible" in str(meta.visible).lower() and "very" not in str(
                meta.visible).lower() and "hidden" not in str(meta.visible).lower()
            source.sheets.append(Sheet(meta.name, _trim(rows), merged, visible))
    except Exception as exc:
        raise ReadError(
            path,
            f"tệp bị hỏng, đọc được một phần rồi dừng ({_short(exc)}); lấy lại bản gốc",
            f"the file is damaged: reading stopped part way ({_short(exc)}); get the original",
        ) from None
    finally:
        wb.close()
    if kind == "xlsx":
        _mark_formulas_without_values(path, source)
        if recalc and any(sh.formulas_without_value for sh in source.sheets):
            source = _recalculated(path, source)
    if kind == "ods":
        _ods_merges(path, source)
    return source


BIG_SHEET_BYTES = 5_000_000


def _trim_formatted_rows(path: Path) -> io.BytesIO | None:
    """A copy of a workbook without the empty rows formatted below its last value.

    A sheet formatted down to Excel's last row (1.048.576) but holding 300 rows of data is
    mostly empty styled cells; dropping the rows after the last cell that holds a value (or
    a formula) changes nothing that can be read and saves seconds of parsing.
    """
    try:
        with zipfile.ZipFile(path) as zin:
            big = [i for i in zin.infolist() if i.filename.startswith("xl/worksheets/")
                   and i.filename.endswith(".xml") and i.file_size > BIG_SHEET_BYTES]
            trimmed: dict[str, bytes] = {}
            for info in big:
                data = zin.read(info.filename)
                last = max(data.rfind(b"</v>"), data.rfind(b"</is>"), data.rfind(b"</f>"))
                end = data.find(b"</row>", max(last, 0))
                stop = data.find(b"</sheetData>", end)
                if last >= 0 and end >= 0 and stop - end > BIG_SHEET_BYTES // 2:
                    trimmed[info.filename] = data[:end + 6] + data[stop:]
            if not trimmed:
                return None  # a big sheet full of data: nothing to gain
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zout:
                for info in zin.infolist():
                    data = trimmed.get(info.filename) or zin.read(info.filename)
                    info.compress_type = zipfile.ZIP_STORED
                    zout.writestr(info, data)
            buf.seek(0)
            return buf
    except (zipfile.BadZipFile, OSError, KeyError, EOFError):
        return None  # calamine will say what is wrong with it


def _recalculated(path: Path, source: Source) -> Source:
    """The workbook with its formulas computed by LibreOffice, when it is installed.

    A program (a web system, a script) wrote formulas without their results; LibreOffice
    computes them on opening, and a converted copy in a temporary folder carries the values.
    The office's file is never touched. Without LibreOffice the formula cells stay unread and
    are reported (the caller refuses them by cell).
    """
    import shutil
    import subprocess
    import tempfile

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return source
    with tempfile.TemporaryDirectory(prefix="hbt-recalc-") as tmp:
        tmp_path = Path(tmp)
        copy = tmp_path / "in.xlsx"
        shutil.copyfile(path, copy)
        try:
            subprocess.run(
                [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                 "--calc", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir",
                 str(tmp_path / "out"), str(copy)],
                capture_output=True, timeout=180, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return source
        out = tmp_path / "out" / "in.xlsx"
        if not out.exists():
            return source
        try:
            computed = _open_calamine(out, "xlsx", recalc=False)
        except ReadError:
            return source
    n = sum(len(sh.formulas_without_value) for sh in source.sheets)
    computed.path = path
    computed.notes_vi = [
        *source.notes_vi,
        f"{n} ô công thức chưa có kết quả (tệp do chương trình ghi ra) đã được LibreOffice tính "
        "lại trên một bản sao; tệp gốc không đổi"]
    computed.notes_en = [
        *source.notes_en,
        f"{n} formula cells without results (a program wrote the file) were computed by "
        "LibreOffice on a copy; the original is unchanged"]
    computed.recalculated = n
    return computed


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:120]


def _clean_rows(rows: list[list[object]]) -> list[list[Cell]]:
    """calamine's cells as the reader wants them, in place: '' -> None, 12.0 -> 12."""
    for r in rows:
        for j, c in enumerate(r):
            t = type(c)
            if t is str:
                if not c or c.isspace():
                    r[j] = None
            elif t is float:
                if c != c:
                    r[j] = None
                elif c.is_integer() and abs(c) < 2**53:
                    r[j] = int(c)
            elif t is not int and t is not bool:
                r[j] = _clean(c)
    return rows


def _clean(cell: object) -> Cell:
    if isinstance(cell, str):
        return cell if cell.strip() else None
    if isinstance(cell, float) and cell != cell:
        return None
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 2**53:
        return int(cell)
    if isinstance(cell, dt.time | dt.timedelta):
        return str(cell)
    return cell


def _trim(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Drop trailing empty rows and columns (a formatted-but-empty sheet has a million)."""
    last = len(rows)
    while last and not any(c is not None for c in rows[last - 1]):
        last -= 1
    rows = rows[:last]
    width = max((max((i + 1 for i, c in enumerate(r) if c is not None), default=0)
                 for r in rows), default=0)
    return [r[:width] + [None] * (width - len(r)) for r in rows]


_CELL_RE = re.compile(rb'<c r="([A-Z]+)(\d+)"[^>]*?(?:/>|>(.*?)</c>)', re.S)


def _mark_formulas_without_values(path: Path, source: Source) -> None:
    """Formula cells whose result was never stored (a program wrote the workbook)."""
    try:
        with zipfile.ZipFile(path) as zf:
            targets = _xlsx_sheet_parts(zf)
            for sheet in source.sheets:
                part = targets.get(sheet.name)
                if part is None:
                    continue
                with zf.open(part) as fh:
                    data = fh.read()
                if b"<f" not in data:
                    continue
                for m in _CELL_RE.finditer(data):
                    inner = m.group(3) or b""
                    if b"<f" in inner and not re.search(rb"<v>[^<]+</v>", inner):
                        sheet.formulas_without_value.append(
                            (int(m.group(2)) - 1, _col_index(m.group(1).decode())))
    except (zipfile.BadZipFile, KeyError, OSError):
        return


def _xlsx_sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    wb = zf.read("xl/workbook.xml").decode("utf-8", "ignore")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "ignore")
    targets = {}
    for rid, target in re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels) + [
        (b, a) for a, b in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)
    ]:
        targets[rid] = target.lstrip("/")
    out = {}
    for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', wb):
        target = targets.get(rid, "")
        out[_xml_unescape(name)] = target if target.startswith("xl/") else f"xl/{target}"
    return out


def _xml_unescape(text: str) -> str:
    import html

    return html.unescape(text)


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _ods_merges(path: Path, source: Source) -> None:
    """Merged ranges of an .ods (calamine does not report them): from content.xml."""
    from lxml import etree

    ns_table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    t = f"{{{ns_table}}}"
    try:
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
            sheets = {s.name: s for s in source.sheets}
            current = None
            row = col = 0
            for event, el in etree.iterparse(fh, events=("start", "end")):
                tag = el.tag
                if event == "start" and tag == t + "table":
                    current = sheets.get(el.get(t + "name"))
                    row = 0
                elif event == "start" and tag == t + "table-row":
                    col = 0
                elif event == "end" and tag == t + "table-row":
                    row += int(el.get(t + "number-rows-repeated", "1"))
                    el.clear()
                elif event == "start" and tag in (t + "table-cell", t + "covered-table-cell"):
                    rs = int(el.get(t + "number-rows-spanned", "1"))
                    cs = int(el.get(t + "number-columns-spanned", "1"))
                    if current is not None and (rs > 1 or cs > 1):
                        current.merged.append((row, col, row + rs - 1, col + cs - 1))
                    col += int(el.get(t + "number-columns-repeated", "1"))
    except (zipfile.BadZipFile, KeyError, OSError, etree.XMLSyntaxError):
        return


# --- HTML tables ("Xuất Excel" from a web system) -----------------------------------------

def _open_html(path: Path) -> Source:
    from lxml import html as lhtml

    data = path.read_bytes()
    text = _decode_html(data)
    try:
        doc = lhtml.fromstring(text)
    except Exception as exc:
        raise ReadError(path, f"trang HTML hỏng ({_short(exc)})",
                        f"the HTML page is damaged ({_short(exc)})") from None
    tables = [t for t in doc.iter("table") if not t.xpath("ancestor::table")]
    if not tables:
        raise ReadError(
            path,
            "tệp này là một trang web (HTML) không có bảng số liệu (có thể là trang báo lỗi "
            "của hệ thống); xuất lại từ hệ thống hoặc mở bằng Excel và lưu dưới dạng .xlsx",
            "this file is a web page (HTML) with no table in it (perhaps the system's error "
            "page); export it again, or open it in Excel and save it as .xlsx",
        )
    source = Source(path, "html", [])
    names = re.findall(r"<x:Name>(.*?)</x:Name>", text)
    for i, table in enumerate(tables):
        rows, merged = _html_grid(table)
        name = names[i] if i < len(names) else (f"Bảng {i + 1}" if len(tables) > 1 else None)
        source.sheets.append(Sheet(name, _trim(rows), merged))
    source.note(
        "tệp là một trang web (HTML) lưu với đuôi Excel (kiểu 'Xuất Excel' của hệ thống); đã "
        "đọc bảng trong trang",
        "the file is a web page (HTML) saved with an Excel name (a system's 'export to Excel'); "
        "the table in the page was read",
    )
    return source


def _decode_html(data: bytes) -> str:
    m = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", data[:4096])
    if m:
        try:
            return data.decode(m.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data)


def _html_grid(table) -> tuple[list[list[Cell]], list[Merge]]:
    grid: dict[tuple[int, int], Cell] = {}
    merged: list[Merge] = []
    taken: set[tuple[int, int]] = set()
    r = 0
    for tr in table.iter("tr"):
        if tr.xpath("ancestor::table[1]") != [table]:
            continue
        c = 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while (r, c) in taken:
                c += 1
            rs = _span(td.get("rowspan"))
            cs = _span(td.get("colspan"))
            for br in td.iter("br"):
                br.tail = "\n" + (br.tail or "")
            value = " ".join(td.text_content().split()) or None
            grid[(r, c)] = value
            if rs > 1 or cs > 1:
                merged.append((r, c, r + rs - 1, c + cs - 1))
            for dr in range(rs):
                for dc in range(cs):
                    taken.add((r + dr, c + dc))
            c += cs
        r += 1
    if not grid:
        return [], []
    height = max(k[0] for k in grid) + 1
    width = max(k[1] for k in grid) + 1
    rows = [[grid.get((i, j)) for j in range(width)] for i in range(height)]
    return rows, merged


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 10_000))
    except ValueError:
        return 1


def _open_spreadsheet_xml(path: Path) -> Source:
    """Excel 2003 XML (SpreadsheetML), still written by some web systems."""
    from lxml import etree

    ns = "{urn:schemas-microsoft-com:office:spreadsheet}"
    try:
        doc = etree.parse(str(path))
    except etree.XMLSyntaxError as exc:
        raise ReadError(path, f"tệp XML hỏng ({_short(exc)})",
                        f"the XML file is damaged ({_short(exc)})") from None
    source = Source(path, "xml", [])
    for ws in doc.iter(ns + "Worksheet"):
        rows: list[list[Cell]] = []
        merged: list[Merge] = []
        r = 0
        for row in ws.iter(ns + "Row"):
            if row.get(ns + "Index"):
                r = int(row.get(ns + "Index")) - 1
            while len(rows) <= r:
                rows.append([])
            c = 0
            for cell in row.iter(ns + "Cell"):
                if cell.get(ns + "Index"):
                    c = int(cell.get(ns + "Index")) - 1
                data = cell.find(ns + "Data")
                value: Cell = None
                if data is not None:
                    value = "".join(data.itertext()) or None
                    if data.get(ns + "Type") == "Number" and value:
                        value = _clean(float(value))
                line = rows[r]
                while len(line) <= c:
                    line.append(None)
                line[c] = value
                across = int(cell.get(ns + "MergeAcross", "0"))
                down = int(cell.get(ns + "MergeDown", "0"))
                if across or down:
                    merged.append((r, c, r + down, c + across))
                c += 1 + across
            r += 1
        width = max((len(x) for x in rows), default=0)
        rows = [x + [None] * (width - len(x)) for x in rows]
        source.sheets.append(Sheet(ws.get(ns + "Name"), _trim(rows), merged))
    return source


# --- text and Parquet -------------------------------------------------------------------

def _open_text(path: Path, head: bytes, data: bytes | None = None) -> Source:
    from hbt_analysis import legacy

    data = path.read_bytes() if data is None else data
    text, how = legacy.decode_bytes(data)
    if "\x00" in text:
        raise ReadError(path, *_REFUSALS["binary"])
    lost = _LOST_LETTERS.findall("\n".join(text.splitlines()[:40]))
    if len(lost) >= 3:
        shown = ", ".join(f"'{w}'" for w in dict.fromkeys(lost[:4]))
        raise ReadError(
            path,
            f"chữ tiếng Việt trong tệp đã bị mất, thay bằng dấu hỏi '?' ({shown}): tệp từng "
            "được lưu kiểu ANSI (bảng mã không có chữ Việt); không đoán lại được: lấy bản gốc "
            "và lưu CSV dạng UTF-8 (Excel: 'CSV UTF-8')",
            f"the file's Vietnamese letters were lost and replaced by question marks '?' "
            f"({shown}): it was saved as ANSI (an encoding without Vietnamese letters); they "
            "cannot be guessed back: take the original and save it as 'CSV UTF-8'",
        )
    source = Source(path, "csv", [])
    if how in ("tcvn3", "vni"):
        name = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI-Windows"}[how]
        source.note(f"tệp viết bằng bảng mã cũ {name}: đã chuyển sang Unicode",
                    f"the file is in the legacy encoding {name}: converted to Unicode")
    elif how == "cp1258":
        source.note("tệp viết bằng bảng mã Windows-1258", "the file is in Windows-1258")
    if not text.strip():
        raise ReadError(path, "tệp trống, không có dữ liệu", "the file is empty")
    delimiter = sniff_delimiter(text)
    rows = [[c if c.strip() else None for c in r]
            for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
    source.sheets.append(Sheet(None, _trim(rows)))
    if delimiter != ",":
        shown = {";": "';'", "\t": "Tab"}.get(delimiter, repr(delimiter))
        source.note(f"các cột cách nhau bởi {shown}", f"columns separated by {shown}")
    return source


#: A word with '?' (or the replacement character) inside it: letters lost to an ANSI save.
_LOST_LETTERS = re.compile(r"\b\w*\w[?\ufffd]+\w+\b|\b\w[?\ufffd]{2,}\w*")


def sniff_delimiter(text: str) -> str:
    """The separator of a CSV: the one that splits the first lines into equal widths."""
    lines = [ln for ln in text.splitlines()[:40] if ln.strip()]
    best, best_score = ",", -1.0
    for d in (",", ";", "\t", "|"):
        widths = [len(next(csv.reader([ln], delimiter=d))) for ln in lines]
        multi = [w for w in widths if w > 1]
        if not multi:
            continue
        common = max(set(multi), key=multi.count)
        score = multi.count(common) * common
        if score > best_score:
            best, best_score = d, score
    return best


def _open_parquet(path: Path) -> Source:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception as exc:
        raise ReadError(path, f"tệp Parquet hỏng ({_short(exc)})",
                        f"the Parquet file is damaged ({_short(exc)})") from None
    frame = table.to_pandas()
    rows = [list(frame.columns)]
    rows += frame.astype(object).where(frame.notna(), None).values.tolist()
    return Source(path, "parquet", [Sheet(None, [[_clean(c) for c in r] for r in rows])])

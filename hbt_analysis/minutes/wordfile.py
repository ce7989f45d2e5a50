"""A Word file as the reader sees it: paragraphs and tables in order, with Word's noise gone.

Secretaries' files carry what Word keeps while they type: words split over many runs,
tracked insertions and deletions, soft line breaks, proofing marks, fields, text boxes,
automatic numbering that is not in the text, and old files typed in TCVN3 or VNI fonts. This
module walks the document's XML (opened with python-docx) and gives back the text a reader
sees on the page: insertions accepted, deletions dropped, field results kept and field codes
dropped, numbering written out ("1.", "-"), legacy fonts decoded to Unicode. `.doc`, `.rtf`
and `.odt` files are converted to `.docx` by LibreOffice (headless) first.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from hbt_analysis.io import ReadError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = f"{{{W}}}"


_MC_ALTERNATE = f"{{{MC}}}AlternateContent"
_MC_CHOICE = f"{{{MC}}}Choice"
_MC_FALLBACK = f"{{{MC}}}Fallback"


def _q(tag: str) -> str:
    return _W + tag


#: Elements whose text is not on the page: deletions, moved-away text, field codes,
#: revision records, footnote marks, the fallback copy of a drawing.
_SKIP = {
    _q("del"), _q("moveFrom"), _q("delText"), _q("instrText"), _q("delInstrText"),
    _q("pPrChange"), _q("rPrChange"), _q("tblPrChange"), _q("trPrChange"), _q("tcPrChange"),
    _q("sectPrChange"), _q("numberingChange"), _q("footnoteReference"),
    _q("endnoteReference"), _q("commentReference"), _MC_FALLBACK,
}
#: Fonts of the legacy Vietnamese encodings, by how their names begin.
_TCVN3_FONT = re.compile(r"^\.?vn", re.IGNORECASE)
_VNI_FONT = re.compile(r"^vni[\s\-_]", re.IGNORECASE)
_SOFFICE_TIMEOUT = 180  # seconds, plus 5 per file


class WordFileError(ReadError):
    """A document that cannot be opened: the Vietnamese and English reason."""


@dataclass
class Paragraph:
    """One paragraph as read: soft line breaks kept as newlines, tabs as tabs."""

    text: str
    style: str = ""
    bold: bool = False  # every letter bold (headings)
    numbered: bool = False  # the marker at its start came from Word's automatic numbering


@dataclass
class Cell:
    paragraphs: list[Paragraph]
    span: int = 1
    continued: bool = False  # the lower part of a vertically merged cell

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs).strip()


@dataclass
class Table:
    rows: list[list[Cell]]

    def texts(self) -> list[list[str]]:
        """Each row's cells as text, a merged cell repeated over the columns it spans."""
        out = []
        for row in self.rows:
            texts: list[str] = []
            for cell in row:
                texts += [cell.text] * max(cell.span, 1)
            out.append(texts)
        return out


Block = Paragraph | Table


@dataclass
class WordDocument:
    """A document's blocks in reading order, and what had to be done to read it."""

    path: Path
    blocks: list[Block]
    legacy_encodings: set[str] = field(default_factory=set)  # e.g. {"tcvn3"}
    converted_from: str = ""  # ".doc" when LibreOffice converted it
    properties: dict[str, str] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (vi, en) remarks

    def paragraphs(self) -> Iterator[tuple[Paragraph, tuple[int, int, int] | None]]:
        """Every paragraph in order, table cells row by row: (paragraph, (table, row, col))."""
        t = -1
        for block in self.blocks:
            if isinstance(block, Paragraph):
                yield block, None
                continue
            t += 1
            for r, row in enumerate(block.rows):
                for c, cell in enumerate(row):
                    if cell.continued:
                        continue
                    for p in cell.paragraphs:
                        yield p, (t, r, c)

    def text(self) -> str:
        return "\n".join(p.text for p, _ in self.paragraphs())


# --- opening ---------------------------------------------------------------------------

def sniff(path: Path) -> str:
    """What a file is by its first bytes: 'docx', 'doc', 'rtf', 'odt', 'empty' or 'unknown'."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not head:
        return "empty"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"  # OLE2: Word 97-2003 (or an encrypted .docx)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
                types = z.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        except (zipfile.BadZipFile, OSError):
            return "unknown"
        if "word/document.xml" in names:
            # macro-enabled files and templates (.docm, .dotx) go through LibreOffice
            return "docx" if b"wordprocessingml.document.main+xml" in types else "docm"
        if "content.xml" in names:
            return "odt"
    return "unknown"


def soffice_path() -> str | None:
    """LibreOffice's command, if installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


NO_LIBREOFFICE_VI = (
    "cần LibreOffice để đọc tệp Word cũ (.doc): cài LibreOffice "
    "(Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui) hoặc mở tệp bằng Word và "
    "lưu lại dưới dạng .docx"
)
NO_LIBREOFFICE_EN = (
    "LibreOffice is needed to read old Word files (.doc): install it "
    "(Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui) or open the file in Word "
    "and save it as .docx"
)


def convert_to_docx(paths: list[Path], outdir: Path) -> dict[Path, Path | WordFileError]:
    """Convert .doc/.rtf/.odt files to .docx with one headless LibreOffice run.

    Each file maps to its converted copy, or to the error that stopped it. The originals
    are only read; a private LibreOffice profile keeps parallel runs apart.
    """
    office = soffice_path()
    if office is None:
        return {p: WordFileError(p, NO_LIBREOFFICE_VI, NO_LIBREOFFICE_EN) for p in paths}
    out: dict[Path, Path | WordFileError] = {}
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hbt-lo-") as tmp:
        staged = []
        for i, p in enumerate(paths):  # copies with plain names: LibreOffice names by stem
            copy = Path(tmp) / "in" / f"{i:05d}{p.suffix.lower() or '.doc'}"
            copy.parent.mkdir(exist_ok=True)
            shutil.copyfile(p, copy)
            staged.append(copy)
        cmd = [office, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
               "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir),
               *map(str, staged)]
        env = dict(os.environ, HOME=tmp)
        with contextlib.suppress(subprocess.TimeoutExpired):
            subprocess.run(cmd, capture_output=True, env=env, check=False,
                           timeout=_SOFFICE_TIMEOUT + 5 * len(paths))
        for p, copy in zip(paths, staged, strict=True):
            target = outdir / f"{copy.stem}.docx"
            if target.exists() and target.stat().st_size > 0:
                out[p] = target
            else:
                out[p] = WordFileError(
                    p, "LibreOffice không chuyển được tệp này sang .docx (tệp hỏng hoặc có mật "
                    "khẩu?); mở bằng Word và lưu lại dưới dạng .docx",
                    "LibreOffice could not convert this file to .docx (damaged or "
                    "password-protected?); open it in Word and save it as .docx")
    return out


def read_word(path: Path | str, *, converted: Path | None = None) -> WordDocument:
    """Read a .docx (or the .docx LibreOffice made of a .doc) into blocks."""
    path = Path(path)
    source = converted or path
    kind = sniff(source)
    if kind == "empty":
        raise WordFileError(path, "tệp trống (0 byte)", "the file is empty (0 bytes)")
    if kind in ("doc", "rtf", "odt", "docm") and converted is None:
        result = convert_to_docx([path], Path(tempfile.mkdtemp(prefix="hbt-docx-")))[path]
        if isinstance(result, WordFileError):
            raise result
        doc = read_word(path, converted=result)
        shutil.rmtree(result.parent, ignore_errors=True)
        return doc
    if kind != "docx":
        raise WordFileError(
            path, "không phải tệp Word (.docx/.doc) hoặc tệp đã hỏng",
            "not a Word file (.docx/.doc), or the file is damaged")
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(source))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise WordFileError(
            path, f"không mở được tệp Word ({type(exc).__name__}); mở bằng Word và lưu lại",
            f"cannot open the Word file ({type(exc).__name__}); open it in Word and save it "
            "again") from None
    except Exception as exc:  # lxml's XMLSyntaxError and other damage inside the package
        raise WordFileError(
            path, f"tệp Word bị hỏng ({type(exc).__name__}); mở bằng Word và lưu lại",
            f"the Word file is damaged ({type(exc).__name__}); open it in Word and save it "
            "again") from None
    walker = _Walker(document)
    blocks = walker.header_blocks() + walker.blocks(document.element.body)
    props = {}
    cp = document.core_properties
    for name in ("title", "subject", "keywords", "comments", "category"):
        value = getattr(cp, name, None)
        if value:
            props[name] = str(value)
    return WordDocument(path, blocks, walker.legacy,
                        converted_from=(path.suffix.lower() or ".doc") if converted else "",
                        properties=props)


# --- walking the XML ---------------------------------------------------------------------

class _Walker:
    """Turns the body XML into blocks, resolving styles, fonts and numbering once."""

    def __init__(self, document) -> None:
        self.document = document
        self.legacy: set[str] = set()
        self._styles = _Styles(document)
        self._numbering = _Numbering(document)

    # blocks
    def header_blocks(self) -> list[Block]:
        """The first page's header (some offices put the ward and group there)."""
        out: list[Block] = []
        try:
            section = self.document.sections[0]
        except IndexError:
            return out
        for header in (section.first_page_header, section.header):
            try:
                if header.is_linked_to_previous:
                    continue
                element = header._element
            except Exception:  # a header part that python-docx cannot resolve
                continue
            blocks = self.blocks(element)
            if any(isinstance(b, Table) or b.text.strip() for b in blocks):
                out += blocks
                break
        return out

    def blocks(self, container) -> list[Block]:
        out: list[Block] = []
        for child in container:
            tag = child.tag
            if tag == _q("p"):
                out += self._paragraph_blocks(child)
            elif tag == _q("tbl"):
                out.append(self._table(child))
            elif tag in (_q("sdt"), _q("customXml")):
                content = child.find(_q("sdtContent")) if tag == _q("sdt") else child
                if content is not None:
                    out += self.blocks(content)
        return out

    def _table(self, tbl) -> Table:
        rows = []
        for tr in tbl.iter(_q("tr")):
            if _ancestor_table(tr) is not tbl:
                continue  # a nested table's row: read as text of its cell
            cells = []
            for tc in tr:
                if tc.tag == _q("sdt"):
                    tc = tc.find(f"{_q('sdtContent')}/{_q('tc')}")
                    if tc is None:
                        continue
                if tc.tag != _q("tc"):
                    continue
                pr = tc.find(_q("tcPr"))
                span, continued = 1, False
                if pr is not None:
                    gs = pr.find(_q("gridSpan"))
                    if gs is not None:
                        span = int(gs.get(_q("val"), "1") or 1)
                    vm = pr.find(_q("vMerge"))
                    if vm is not None and vm.get(_q("val"), "continue") == "continue":
                        continued = True
                paragraphs: list[Paragraph] = []
                for block in self.blocks(tc):
                    if isinstance(block, Paragraph):
                        paragraphs.append(block)
                    else:  # a table inside a cell: its rows as lines of the cell
                        for row in block.texts():
                            line = " | ".join(dict.fromkeys(t for t in row if t))
                            if line:
                                paragraphs.append(Paragraph(line))
                cells.append(Cell(paragraphs, span, continued))
            rows.append(cells)
        return Table(rows)

    def _paragraph_blocks(self, p) -> list[Block]:
        pieces: list[tuple[str, str | None]] = []  # (text, legacy encoding)
        boxes: list[Block] = []
        bold_chars = total_chars = 0
        pstyle = _pstyle(p)
        para_font = self._styles.font(pstyle, None)
        para_bold = self._styles.bold(pstyle, None)
        for kind, payload, run in self._walk_runs(p):
            if kind == "box":
                boxes += self.blocks(payload)
                continue
            text = payload
            if not text:
                continue
            enc = None
            if kind == "text":
                font = _run_font(run) or self._styles.font(pstyle, _rstyle(run)) or para_font
                enc = _legacy_encoding(font)
                if enc:
                    self.legacy.add(enc.split(":")[0])
                n = len(text.strip())
                total_chars += n
                if _run_bold(run, self._styles.bold(pstyle, _rstyle(run)) or para_bold):
                    bold_chars += n
            pieces.append((text, enc))
        text = _decode(pieces)
        marker, numbered = self._numbering.marker(p, pstyle, self._styles)
        if marker and text.strip():
            text = marker + " " + text.lstrip()
        para = Paragraph(text, pstyle or "", bold=total_chars > 0 and bold_chars == total_chars,
                         numbered=numbered)
        return [*boxes, para]

    def _walk_runs(self, element) -> Iterator[tuple[str, object, object]]:
        """Yield ('text', str, run), ('box', txbxContent, None) in document order."""
        for child in element:
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == _q("r"):
                yield from self._run_pieces(child)
            elif tag == _MC_ALTERNATE:
                choice = child.find(_MC_CHOICE)
                if choice is not None:
                    yield from self._walk_runs(choice)
            elif tag in (_q("pPr"), _q("rPr")):
                continue
            else:  # ins, moveTo, hyperlink, smartTag, fldSimple, sdt, customXml, ...
                yield from self._walk_runs(child)

    def _run_pieces(self, r) -> Iterator[tuple[str, object, object]]:
        if _hidden(r):
            return  # hidden text (w:vanish) is not on the page
        symbol = (_run_font(r) or "").lower().startswith(("wingdings", "symbol", "webdings"))
        for child in r:
            tag = child.tag
            if tag == _q("t"):
                if symbol and (child.text or "").strip():
                    yield "space", "- ", r  # a bullet typed in a symbol font
                else:
                    yield "text", child.text or "", r
            elif tag == _q("tab") or tag == _q("ptab"):
                yield "space", "\t", r
            elif tag in (_q("br"), _q("cr")):
                yield "space", "\n", r
            elif tag == _q("noBreakHyphen"):
                yield "text", "-", r
            elif tag == _q("sym"):
                char = child.get(_q("char"), "")
                sym = _SYMBOLS.get(char.upper()[-2:])
                if sym:
                    yield "space", sym, r
            elif tag in _SKIP or tag == _q("rPr"):
                continue
            else:
                for box in child.iter(_q("txbxContent")):
                    if _inside_fallback(box, child):
                        continue
                    yield "box", box, None


#: Wingdings/Symbol characters used as bullets, by the last two hex digits of w:sym.
_SYMBOLS = {"A7": "-", "B7": "-", "D8": "-", "FC": "-", "A8": "-", "76": "-", "6C": "-",
            "E0": "-", "F0": "-", "AE": "→"}


def _hidden(r) -> bool:
    v = r.find(f"{_q('rPr')}/{_q('vanish')}")
    return v is not None and v.get(_q("val"), "true") not in ("0", "false", "off")


def _inside_fallback(node, stop) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == _MC_FALLBACK:
            return True
        parent = parent.getparent()
    return False


def _ancestor_table(node):
    parent = node.getparent()
    while parent is not None:
        if parent.tag == _q("tbl"):
            return parent
        parent = parent.getparent()
    return None


def _pstyle(p) -> str | None:
    el = p.find(f"{_q('pPr')}/{_q('pStyle')}")
    return el.get(_q("val")) if el is not None else None


def _rstyle(r) -> str | None:
    el = r.find(f"{_q('rPr')}/{_q('rStyle')}")
    return el.get(_q("val")) if el is not None else None


def _run_font(r) -> str | None:
    fonts = r.find(f"{_q('rPr')}/{_q('rFonts')}")
    if fonts is None:
        return None
    return fonts.get(_q("ascii")) or fonts.get(_q("hAnsi"))


def _run_bold(r, inherited: bool) -> bool:
    b = r.find(f"{_q('rPr')}/{_q('b')}")
    if b is None:
        return inherited
    return b.get(_q("val"), "true") not in ("0", "false", "off")


def _legacy_encoding(font: str | None) -> str | None:
    """'tcvn3', 'tcvn3:upper' (.VnTimeH draws lower-case codes as capitals), 'vni' or None."""
    if not font:
        return None
    name = font.strip()
    if _VNI_FONT.match(name) or name.lower().startswith("vni-"):
        return "vni"
    if _TCVN3_FONT.match(name) and name.startswith("."):
        return "tcvn3:upper" if name.rstrip().endswith("H") else "tcvn3"
    return None


def _decode(pieces: list[tuple[str, str | None]]) -> str:
    """Join the pieces, converting each run of legacy-font text to Unicode."""
    out: list[str] = []
    i = 0
    while i < len(pieces):
        text, enc = pieces[i]
        j = i + 1
        while j < len(pieces) and pieces[j][1] == enc:
            text += pieces[j][0]
            j += 1
        if enc:
            text = legacy_to_unicode(text, enc.split(":")[0], upper=enc.endswith(":upper"))
        out.append(text)
        i = j
    return "".join(out)


def legacy_module():
    """hbt_analysis.legacy (the project's TCVN3/VNI converter), or None where it is missing."""
    try:
        from hbt_analysis import legacy
    except ImportError:
        return None
    return legacy


def legacy_to_unicode(text: str, encoding: str, upper: bool = False) -> str:
    """Legacy-font text to Unicode through hbt_analysis.legacy (the project's converter).

    A capital font (.VnTimeH) draws TCVN3's lower-case codes as capitals: `upper`. Without
    the converter the text stays as typed (and the reader flags it).
    """
    legacy = legacy_module()
    if legacy is None:
        return text
    return legacy.to_unicode(text, encoding, upper=upper)


class _Styles:
    """Font, bold and numbering of paragraph/character styles, following basedOn chains."""

    def __init__(self, document) -> None:
        self._by_id: dict[str, object] = {}
        self.default_font: str | None = None
        try:
            root = document.styles.element
        except Exception:
            return
        for st in root.findall(_q("style")):
            sid = st.get(_q("styleId"))
            if sid:
                self._by_id[sid] = st
        fonts = root.find(f"{_q('docDefaults')}/{_q('rPrDefault')}/{_q('rPr')}/{_q('rFonts')}")
        if fonts is not None:
            self.default_font = fonts.get(_q("ascii")) or fonts.get(_q("hAnsi"))

    def _chain(self, sid: str | None) -> Iterator[object]:
        seen = set()
        while sid and sid not in seen and sid in self._by_id:
            seen.add(sid)
            st = self._by_id[sid]
            yield st
            based = st.find(_q("basedOn"))
            sid = based.get(_q("val")) if based is not None else None

    def font(self, pstyle: str | None, rstyle: str | None) -> str | None:
        for sid in (rstyle, pstyle):
            for st in self._chain(sid):
                fonts = st.find(f"{_q('rPr')}/{_q('rFonts')}")
                if fonts is not None and (fonts.get(_q("ascii")) or fonts.get(_q("hAnsi"))):
                    return fonts.get(_q("ascii")) or fonts.get(_q("hAnsi"))
        if pstyle is None:
            for st in self._by_id.values():  # the default paragraph style
                if st.get(_q("default")) in ("1", "true") and st.get(_q("type")) == "paragraph":
                    fonts = st.find(f"{_q('rPr')}/{_q('rFonts')}")
                    if fonts is not None and fonts.get(_q("ascii")):
                        return fonts.get(_q("ascii"))
        return self.default_font

    def bold(self, pstyle: str | None, rstyle: str | None) -> bool:
        for sid in (rstyle, pstyle):
            for st in self._chain(sid):
                b = st.find(f"{_q('rPr')}/{_q('b')}")
                if b is not None:
                    return b.get(_q("val"), "true") not in ("0", "false", "off")
        return False

    def num_pr(self, pstyle: str | None) -> tuple[str | None, int]:
        for st in self._chain(pstyle):
            num = st.find(f"{_q('pPr')}/{_q('numPr')}")
            if num is not None:
                nid = num.find(_q("numId"))
                lvl = num.find(_q("ilvl"))
                return (nid.get(_q("val")) if nid is not None else None,
                        int(lvl.get(_q("val"), "0")) if lvl is not None else 0)
        return None, 0


class _Numbering:
    """Writes out Word's automatic list markers ("1.", "a)", "-") that are not in the text."""

    def __init__(self, document) -> None:
        self._formats: dict[str, dict[int, tuple[str, str, int]]] = {}
        self._counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # no numbering part
            return
        abstract = {}
        for an in root.findall(_q("abstractNum")):
            levels = {}
            for lvl in an.findall(_q("lvl")):
                ilvl = int(lvl.get(_q("ilvl"), "0"))
                fmt = lvl.find(_q("numFmt"))
                text = lvl.find(_q("lvlText"))
                start = lvl.find(_q("start"))
                levels[ilvl] = (
                    fmt.get(_q("val"), "decimal") if fmt is not None else "decimal",
                    text.get(_q("val"), "") if text is not None else "",
                    int(start.get(_q("val"), "1")) if start is not None else 1,
                )
            abstract[an.get(_q("abstractNumId"))] = levels
        for num in root.findall(_q("num")):
            ref = num.find(_q("abstractNumId"))
            if ref is not None:
                self._formats[num.get(_q("numId"))] = abstract.get(ref.get(_q("val")), {})

    def marker(self, p, pstyle: str | None, styles: _Styles) -> tuple[str, bool]:
        num = p.find(f"{_q('pPr')}/{_q('numPr')}")
        nid, ilvl = None, 0
        if num is not None:
            el = num.find(_q("numId"))
            nid = el.get(_q("val")) if el is not None else None
            el = num.find(_q("ilvl"))
            ilvl = int(el.get(_q("val"), "0")) if el is not None else 0
        else:
            nid, ilvl = styles.num_pr(pstyle)
        if not nid or nid == "0" or nid not in self._formats:
            return "", False
        levels = self._formats[nid]
        fmt, text, _start = levels.get(ilvl, ("decimal", f"%{ilvl + 1}.", 1))
        counters = self._counters.setdefault(nid, [0] * 9)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        if fmt == "bullet" or fmt == "none":
            return ("-" if fmt == "bullet" else ""), fmt == "bullet"

        def value(level: int) -> str:
            lfmt, _t, lstart = levels.get(level, ("decimal", "", 1))
            n = counters[level] + lstart - 1
            return _format_number(n, lfmt)

        label = re.sub(r"%(\d)", lambda m: value(int(m.group(1)) - 1), text) or f"{value(ilvl)}."
        return label.strip(), True


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (n - 1) % 26)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(n)
        return s.lower() if fmt == "lowerRoman" else s
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while n >= value:
            out += letters
            n -= value
    return out

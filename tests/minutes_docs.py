"""Word files for the minutes tests, built with python-docx (plus raw XML for what python-docx
cannot write: tracked changes, hidden text, fields, text boxes, symbol-font bullets).

Each builder returns a real .docx on disk; the tests read it back through the package.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

HEADER = ("ỦY BAN MTTQ PHƯỜNG {ward}\nBAN CÔNG TÁC MẶT TRẬN TDP SỐ {group}",
          "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")


def new(ward: str = "BẠCH MAI", group: int | None = 7, *, header_table: bool = True):
    doc = docx.Document()
    if header_table and group is not None:
        t = doc.add_table(rows=1, cols=2)
        t.cell(0, 0).text = HEADER[0].format(ward=ward, group=group)
        t.cell(0, 1).text = HEADER[1]
    return doc


def para(doc, *runs: str, style: str | None = None):
    p = doc.add_paragraph(style=style) if style else doc.add_paragraph()
    for r in runs:
        p.add_run(r)
    return p


def _wrap(xml: str):
    """Parse a run-level XML piece, declaring the w: namespace on its first element."""
    return parse_xml(xml.replace(">", f" {nsdecls('w')}>", 1))


def run_xml(text: str, *, hidden: bool = False, font: str | None = None) -> str:
    props = ""
    if hidden:
        props += "<w:vanish/>"
    if font:
        props += f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}"/>'
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def inserted(text: str) -> str:
    return (f'<w:ins w:id="9" w:author="Thư ký" w:date="2023-01-09T08:00:00Z">'
            f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:ins>')


def deleted(text: str) -> str:
    return (f'<w:del w:id="8" w:author="Thư ký" w:date="2023-01-09T08:00:00Z">'
            f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>')


def field(instruction: str, result: str) -> list[str]:
    """A complex field: the code is not on the page, the result is."""
    return [
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        f'<w:r><w:t xml:space="preserve">{result}</w:t></w:r>',
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    ]


def raw_para(doc, *pieces: str):
    """A paragraph made of raw run-level XML pieces."""
    p = doc.add_paragraph()
    for piece in pieces:
        p._p.append(_wrap(piece))
    return p


def soft_break_para(doc, before: str, after: str):
    p = doc.add_paragraph()
    r = p.add_run(before)
    r.add_break()
    p.add_run(after)
    return p


def text_box_para(doc, text_lines: list[str]):
    """A paragraph holding a floating text box (DrawingML with its VML fallback)."""
    inner = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in text_lines)
    xml = (
        '<w:r xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml">'
        "<mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor>"
        "<a:graphic><a:graphicData><wps:wsp><wps:txbx>"
        f"<w:txbxContent>{inner}</w:txbxContent>"
        "</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        "</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>"
        f"<w:txbxContent>{inner}</w:txbxContent>"
        "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    p = doc.add_paragraph()
    p._p.append(parse_xml(xml.replace("<w:r ", f"<w:r {nsdecls('w')} ", 1)))
    return p


def table(doc, rows: list[list[str]]):
    t = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            t.cell(r, c).text = v
    return t


def merge_row(t, row: int) -> None:
    """Merge a table row across all columns (a field heading row)."""
    cells = t.rows[row].cells
    cells[0].merge(cells[-1])


def save(doc, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def summary(path: Path, lines: list[str], ward: str = "QUỲNH MAI") -> Path:
    """A ward's summary of its groups' requests (báo cáo tổng hợp), `lines` after its
    opening: dated 02/03/2023, 2.015 households invited, 1.396 attending."""
    doc = new(header_table=False)
    para(doc, f"ỦY BAN MTTQ VIỆT NAM PHƯỜNG {ward}")
    para(doc, "Hà Nội, ngày 02 tháng 3 năm 2023")
    para(doc, "BÁO CÁO TỔNG HỢP Ý KIẾN, KIẾN NGHỊ CỦA NHÂN DÂN")
    para(doc, "Các tổ dân phố đã tổ chức hội nghị từ ngày 03/01/2023 đến ngày 20/02/2023; "
              "tổng số hộ được mời 2.015 hộ, tham dự 1.396 hộ. Tổng hợp như sau:")
    for line in lines:
        para(doc, line)
    para(doc, "Nơi nhận:")
    para(doc, "- Lưu VP.")
    return save(doc, path)

"""The official Word report (docx_report), read back with python-docx and looked at as a
page: LibreOffice (headless) turns it into a PDF, poppler into text boxes and an image.

The district's 2023 tables must hold the published figures (data/reference); a ward's
tables must add up to that ward's data; the layout is the decree's (Times New Roman 13–14,
margins 20/20/30/15 mm, the issuing body top left, the Quốc hiệu and tiêu ngữ top right,
"Nơi nhận" and the signature block as placeholders).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from docx import Document

from hbt_analysis import docx_report
from hbt_analysis.dataset import load
from hbt_analysis.fmt import fmt_int, fmt_pct
from tests.conftest import needs_bundled_data

pytestmark = needs_bundled_data
#: Published 2023 figures (data/reference/published_totals.csv).
PUBLISHED = ["263", "51.477", "35.323", "68,6%", "18", "2.203", "2.142", "97,2%", "1.435", "59"]


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    return docx_report.write_report(2023, None, tmp_path_factory.mktemp("district"))


def _cells(doc) -> list[list[list[str]]]:
    return [[[c.text.strip() for c in row.cells] for row in t.rows] for t in doc.tables]


def test_the_district_tables_hold_the_published_figures(district: Path) -> None:
    doc = Document(str(district))
    tables = _cells(doc)
    summary = next(t for t in tables if t[0][:2] == ["STT", "Cấp hội nghị"])
    groups, wards = summary[1], summary[2]
    assert groups[1:] == ["Tổ dân phố", "263", "51.477", "35.323", "68,6%", "1.435"]
    assert wards[1:] == ["Phường", "18", "2.203", "2.142", "97,2%", "59"]
    by_ward = next(t for t in tables if t[0][1] == "Phường")
    total = by_ward[-1]
    assert total[1] == "Toàn quận" and total[2:] == [
        "263", "51.477", "35.323", "68,6%", "1.435", "2.203", "2.142", "97,2%", "59"]
    assert len(by_ward) == 2 + 18 + 1  # two header rows, one row a ward, the total
    text = "\n".join(p.text for p in doc.paragraphs)
    every_cell = "\n".join("|".join(r) for t in tables for r in t)
    assert all(x in every_cell for x in PUBLISHED)
    assert "Kết quả tổ chức Hội nghị đại biểu Nhân dân năm 2023" in text
    assert "Dữ liệu mô phỏng" in text  # the data note, in the same words as the reports


def test_a_ward_report_adds_up_to_the_wards_data(tmp_path: Path) -> None:
    ds = load(2023)
    gc = ds.group_conferences[ds.group_conferences["ward_code"] == "00286"]
    doc = Document(str(docx_report.write_report(2023, "00286", tmp_path)))
    tables = _cells(doc)
    groups = next(t for t in tables if t[0][1] == "Tổ dân phố")
    assert len(groups) == 1 + len(gc) + 1
    invited, attended = gc["households_invited"].sum(), gc["households_attended"].sum()
    assert groups[-1][3:6] == [fmt_int(invited), fmt_int(attended), fmt_pct(attended / invited)]
    head = doc.tables[0].rows[0].cells[0].text
    assert "PHƯỜNG BẠCH MAI" in head and "Số: …/BC-UBND" in head


def test_new_wards_with_no_common_committee_leave_the_issuer_to_fill(tmp_path: Path) -> None:
    """2026: the new wards of the bundled registry have no district above them, so no one
    committee issues the area's report — its name and place are dots, never 'KHU VỰC'."""
    doc = Document(str(docx_report.write_report(2026, None, tmp_path)))
    head = doc.tables[0].rows[0].cells[0].text
    assert "ỦY BAN NHÂN DÂN" in head and "KHU VỰC" not in head.upper().replace(
        "ỦY BAN NHÂN DÂN", "")
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Ủy ban nhân dân …" in text and "phường" in text  # new wards are phường


def _all_text(doc) -> str:
    return "\n".join([p.text for p in doc.paragraphs] + [
        c.text for t in doc.tables for row in t.rows for c in row.cells])


def test_a_units_report_in_a_mixed_area_names_its_own_kind(tmp_path: Path) -> None:
    """A huyện of xã and a thị trấn: the thị trấn's report says 'cấp thị trấn' in its intro,
    its heading, its summary table and its assessment, and never the area's 'xã, thị trấn';
    the huyện's report keeps 'xã, thị trấn'."""
    from tests.test_units_registry import made_up_rural_district

    root = made_up_rural_district(tmp_path / "hoa_my")
    town = Document(str(docx_report.write_report(2025, "90007", tmp_path / "town", root)))
    intro = next(p.text for p in town.paragraphs if p.text.startswith("Thực hiện"))
    assert intro == ("Thực hiện …, Ủy ban nhân dân thị trấn Đông Hòa báo cáo kết quả tổ chức "
                     "Hội nghị đại biểu Nhân dân ở tổ dân phố và cấp thị trấn năm 2025 như sau:")
    text = _all_text(town)
    assert "2. Hội nghị cấp thị trấn" in text and "Hội nghị cấp thị trấn đạt tỷ lệ dự" in text
    assert "xã" not in text.lower().replace("xã hội", "")  # (the Quốc hiệu's 'XÃ HỘI')
    summary = next(t for t in _cells(town) if t[0][:2] == ["STT", "Cấp hội nghị"])
    assert summary[2][1] == "Thị trấn"
    commune = Document(str(docx_report.write_report(2025, "90001", tmp_path / "xa", root)))
    text = _all_text(commune)
    assert "ở tổ dân phố và cấp xã năm 2025" in text and "thị trấn" not in text.lower()
    district = Document(str(docx_report.write_report(2025, None, tmp_path / "huyen", root)))
    assert "ở tổ dân phố và cấp xã, thị trấn năm 2025" in _all_text(district)


def test_the_decrees_layout(district: Path) -> None:
    doc = Document(str(district))
    s = doc.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)  # A4
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin,
                                  s.right_margin)] == [20, 20, 30, 15]
    issuer, nation = (c.text for c in doc.tables[0].rows[0].cells)
    assert issuer.startswith("ỦY BAN NHÂN DÂN\nQUẬN HAI BÀ TRƯNG")
    assert nation.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    assert re.search(r"Hai Bà Trưng, ngày … tháng … năm …", nation)
    body = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    assert {r.font.name for r in body} == {"Times New Roman"}
    assert {r.font.size.pt for r in body if len(r.text) > 60 and not r.italic} <= {13, 14}
    end = doc.tables[-1].rows[0].cells
    assert end[0].text.startswith("Nơi nhận:") and "CHỦ TỊCH" in end[1].text


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice or poppler-utils not installed")
def test_libreoffice_prints_it_with_the_quoc_hieu_top_right(district: Path,
                                                            tmp_path: Path) -> None:
    subprocess.run(["soffice", "--headless", "--norestore",
                    f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(district)],
                   check=True, capture_output=True, timeout=180)
    pdf = tmp_path / district.with_suffix(".pdf").name
    boxes = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"],
                           capture_output=True, text=True, check=True).stdout
    page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', boxes)
    width, height = float(page.group(1)), float(page.group(2))
    words = [(float(x0), float(y0), float(x1), float(y1), w) for x0, y0, x1, y1, w in
             re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                        r'yMax="([\d.]+)">([^<]*)</word>', boxes)]
    quoc_hieu = [b for b in words if b[4] in ("CỘNG", "HÒA", "NGHĨA", "VIỆT", "NAM")]
    tieu_ngu = [b for b in words if b[4] in ("Độc", "lập", "Hạnh", "phúc")]
    issuer = [b for b in words if b[4] in ("ỦY", "BAN", "TRƯNG")]
    assert len(quoc_hieu) >= 5 and len(tieu_ngu) >= 4 and len(issuer) >= 3
    assert all(b[0] > width * 0.4 and b[3] < height * 0.2 for b in quoc_hieu + tieu_ngu)
    assert all(b[2] < width * 0.45 and b[3] < height * 0.2 for b in issuer)
    # and the page image shows it: ink where the words are, in the top right
    subprocess.run(["pdftoppm", "-gray", "-r", "72", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "p")], check=True)
    data = next(tmp_path.glob("p-*.pgm")).read_bytes()
    fields = data.split(maxsplit=4)
    w, h = int(fields[1]), int(fields[2])
    image = np.frombuffer(fields[4][-w * h:], dtype=np.uint8).reshape(h, w)
    x0 = int(min(b[0] for b in quoc_hieu) * w / width)
    x1 = int(max(b[2] for b in quoc_hieu) * w / width)
    y0 = int(min(b[1] for b in quoc_hieu) * h / height)
    y1 = int(max(b[3] for b in quoc_hieu) * h / height)
    block = image[y0:y1 + 1, x0:x1 + 1]
    assert (block < 128).mean() > 0.05  # dark strokes of bold capitals
    assert (image[: h // 5, : w // 10] > 200).all()  # the left margin stays blank
    shots = Path(__file__).resolve().parents[1] / "outputs" / "test_docx_report"
    shots.mkdir(parents=True, exist_ok=True)
    shutil.copy(pdf, shots / pdf.name)

"""The synthetic years written as Word minutes, so the minutes path runs on the bundled data.

`write_minutes(folder, 2023)` writes one set of minutes per residential group (263 for 2023)
and one per ward conference (18), in a folder per ward, from `hbt_analysis.synth.generate`:
the same groups, dates, counts and opinion texts as data/2023. The secretaries' habits vary
between documents (seven layouts: numbered opinions with a block of answers, named speakers
with answers in between, an attendance table and '-' bullets, "Ý kiến N:" items with "* Trả
lời:", an opinions table, '+' items with tab-aligned headers, opinions under field headings;
Word's automatic numbering; split runs, soft line breaks, a tracked correction; several
date and attendance phrasings). Every file is marked synthetic in its properties, so an
import of them is labelled synthetic too. `hbt import-minutes` on the folder gives back the
year's published totals exactly (a test checks it).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from hbt_analysis import synth
from hbt_analysis import synth_text as st
from hbt_analysis.minutes.reader import SYNTHETIC_MARK
from hbt_analysis.text import fold

TEMPLATES = ("A", "B", "C", "D", "E", "F", "G")
_FIELD_HEADINGS = {
    "moi_truong": "Về vệ sinh môi trường",
    "giao_thong": "Về giao thông",
    "an_ninh_trat_tu": "Về an ninh trật tự",
    "pccc": "Về phòng cháy chữa cháy",
    "trat_tu_do_thi": "Về trật tự đô thị, xây dựng",
    "ha_tang": "Về hạ tầng, điện, nước",
    "dat_dai_quy_hoach": "Về đất đai, quy hoạch",
    "an_sinh_xa_hoi": "Về chính sách, an sinh xã hội",
    "van_hoa_van_minh": "Về văn hóa, xây dựng nếp sống văn minh",
    "chinh_quyen": "Về công tác của chính quyền",
    "khac": "Các ý kiến khác",
}


def write_minutes(folder: Path | str, year: int = 2023, seed: int = synth.DEFAULT_SEED,
                  ) -> list[Path]:
    """Write the year's conferences as .docx minutes under folder/<ward>/; return the paths."""
    folder = Path(folder)
    tables = synth.generate(year, seed, with_truth=True)
    gc, wc, ops = tables["group_conferences"], tables["ward_conferences"], tables["opinions"]
    topics = dict(zip(tables["opinions_truth"]["opinion_id"], tables["opinions_truth"]["topic"],
                      strict=True))
    households = synth.groups(seed).set_index("group_code")["households"]
    rng = np.random.default_rng([seed, year, 77])
    written: list[Path] = []
    by_group = {k: v for k, v in ops[ops["level"] == "to_dan_pho"].groupby("group_code")}
    by_ward = {k: v for k, v in ops[ops["level"] == "phuong"].groupby("ward_code")}
    empty = ops.iloc[0:0]
    for g in gc.itertuples(index=False):
        template = TEMPLATES[int(rng.integers(len(TEMPLATES)))]
        group_ops = by_group.get(g.group_code, empty)
        items = [(r.text, _answer(r), topics.get(r.opinion_id, "khac"))
                 for r in group_ops.itertuples(index=False)]
        doc = _GroupMinutes(rng, g, items, round(households.get(g.group_code, 0)),
                            template).build()
        path = folder / _folder_name(g.ward_name) / _file_name(rng, g)
        written.append(_save(doc, path, year))
    for w in wc.itertuples(index=False):
        ward_ops = by_ward.get(w.ward_code, empty)
        items = [(r.text, _answer(r), topics.get(r.opinion_id, "khac"))
                 for r in ward_ops.itertuples(index=False)]
        doc = _ward_minutes(rng, w, items)
        name = f"BB HN DBND phuong {fold(w.ward_name).title()}.docx"
        path = folder / _folder_name(w.ward_name) / name
        written.append(_save(doc, path, year))
    return written


def _answer(row) -> str:
    response = getattr(row, "response", None)
    return response if isinstance(response, str) and response.strip() else ""


def _folder_name(ward_name: str) -> str:
    return "Phuong " + fold(ward_name).title()


def _file_name(rng: np.random.Generator, g) -> str:
    n = int(g.group_code[-2:])
    ward = fold(g.ward_name).title()
    initials = "P" + "".join(w[0] for w in fold(g.ward_name).split()).upper()
    choices = (f"BB HN TDP {n} {ward}.docx", f"Bien ban hoi nghi to {n}.docx",
               f"TDP so {n:02d} - {initials}.docx", f"bien ban tdp {n} ({ward}).docx",
               f"BB TDP {n} ban chinh thuc.docx")
    return choices[int(rng.integers(len(choices)))]


def _save(doc, path: Path, year: int) -> Path:
    doc.core_properties.comments = f"{SYNTHETIC_MARK}: made by hbt_analysis.minutes.synth"
    doc.core_properties.title = f"Biên bản hội nghị đại biểu Nhân dân năm {year}"
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


# --- writing helpers ---------------------------------------------------------------------

def _new_document():
    import docx
    from docx.shared import Pt

    doc = docx.Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    return doc


def _para(doc, text: str = "", *, bold: bool = False, center: bool = False, rng=None,
          split: bool = False, style: str | None = None):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = doc.add_paragraph(style=style) if style else doc.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if split and rng is not None and len(text) > 20:
        # Word's habit: one text in several runs, cut inside words
        cuts = sorted(set(int(c) for c in rng.integers(1, len(text) - 1, 3)))
        pieces, last = [], 0
        for c in cuts:
            pieces.append(text[last:c])
            last = c
        pieces.append(text[last:])
        for piece in pieces:
            p.add_run(piece).bold = bold
    else:
        p.add_run(text).bold = bold
    return p


def _soft_break_para(doc, text: str):
    """A paragraph with a soft line break (Shift+Enter) in place of one space."""
    p = doc.add_paragraph()
    words = text.split(" ")
    cut = max(1, len(words) // 2)
    run = p.add_run(" ".join(words[:cut]))
    run.add_break()
    p.add_run(" ".join(words[cut:]))
    return p


def _tracked_para(doc, text: str, rng):
    """A paragraph with a tracked correction: a deleted word, then the accepted text."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    p = doc.add_paragraph()
    words = text.split(" ")
    cut = int(rng.integers(1, max(2, len(words))))
    p.add_run(" ".join(words[:cut]) + " ")
    deleted = OxmlElement("w:del")
    deleted.set(qn("w:id"), "1")
    deleted.set(qn("w:author"), "Thư ký")
    r = OxmlElement("w:r")
    t = OxmlElement("w:delText")
    t.set(qn("xml:space"), "preserve")
    t.text = "sai chữ "
    r.append(t)
    deleted.append(r)
    p._p.append(deleted)
    inserted = OxmlElement("w:ins")
    inserted.set(qn("w:id"), "2")
    inserted.set(qn("w:author"), "Thư ký")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = " ".join(words[cut:])
    r.append(t)
    inserted.append(r)
    p._p.append(inserted)
    return p


def _header_table(doc, left: str, place_date: str | None):
    table = doc.add_table(rows=2 if place_date else 1, cols=2)
    table.cell(0, 0).text = left
    table.cell(0, 1).text = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                             "-------------------------------")
    if place_date:
        table.cell(1, 1).text = place_date
    return table


def _date_words(d: dt.date) -> str:
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def _rate(att: int, inv: int) -> str:
    return f"{100 * att / inv:.1f}".replace(".", ",") + "%"


def _name(rng) -> tuple[str, str]:
    honorific, name = st.person_name(rng)
    return honorific.capitalize(), name


class _GroupMinutes:
    """One group's minutes in one of the layouts."""

    def __init__(self, rng, g, items: list[tuple[str, str, str]], households: int,
                 template: str) -> None:
        self.rng, self.g, self.items, self.households, self.t = rng, g, items, households, template
        self.n = int(g.group_code[-2:])
        self.date = pd.Timestamp(g.conference_date).date()
        self.inv, self.att = int(g.households_invited), int(g.households_attended)

    def build(self):
        doc = _new_document()
        getattr(self, f"_{self.t}")(doc)
        return doc

    # layouts
    def _A(self, doc):
        rng, g = self.rng, self.g
        _header_table(doc, f"ỦY BAN MTTQ PHƯỜNG {g.ward_name.upper()}\nBAN CÔNG TÁC MẶT TRẬN "
                      f"TDP SỐ {self.n}\n-----------", None)
        _para(doc, f"Hà Nội, {_date_words(self.date)}", center=True)
        _para(doc, "BIÊN BẢN", bold=True, center=True)
        _para(doc, "HỘI NGHỊ ĐẠI BIỂU NHÂN DÂN", bold=True, center=True)
        _para(doc, f"Bàn việc xây dựng đời sống văn hóa ở cơ sở năm {self.date.year}",
              center=True)
        _para(doc, "I. THỜI GIAN, ĐỊA ĐIỂM", bold=True)
        _para(doc, f"Vào hồi 19 giờ 30 phút ngày {self.date:%d/%m/%Y}, tại Nhà văn hóa tổ dân "
                   f"phố số {self.n}, phường {g.ward_name}.")
        _para(doc, "II. THÀNH PHẦN", bold=True)
        _para(doc, "- Đại diện lãnh đạo UBND phường, Ủy ban MTTQ phường, Cảnh sát khu vực;")
        _para(doc, f"Tổng số hộ được mời: {self.inv} hộ; số hộ có mặt: {self.att} hộ, đạt "
                   f"{_rate(self.att, self.inv)}.", rng=rng, split=True)
        _para(doc, "III. NỘI DUNG HỘI NGHỊ", bold=True)
        _para(doc, f"1. Báo cáo kết quả thực hiện cuộc vận động năm {self.date.year - 1}; "
                   f"phương hướng năm {self.date.year}.")
        _para(doc, "2. Bình xét, đề nghị công nhận danh hiệu \"Gia đình văn hóa\".")
        _para(doc, "3. Hội nghị thảo luận, đóng góp ý kiến vào báo cáo và nêu kiến nghị.")
        _para(doc, "IV. Ý KIẾN PHÁT BIỂU CỦA ĐẠI BIỂU", bold=True)
        if self.items:
            _para(doc, f"Hội nghị đã nghe {len(self.items)} ý kiến phát biểu, cụ thể như sau:")
        else:
            _para(doc, "Hội nghị nhất trí với báo cáo, không có ý kiến phát biểu thêm.")
        auto = bool(rng.random() < 0.4)
        for k, (text, _, _) in enumerate(self.items, start=1):
            if auto:
                _para(doc, text, style="List Number", rng=rng, split=True)
            else:
                self._two_paragraphs(doc, f"{k}. ", text)
        answered = [(t, a) for t, a, _ in self.items if a]
        if answered:
            _para(doc, "Đồng chí Tổ trưởng tiếp thu và giải đáp một số nội dung đại biểu nêu:")
            for text, answer in answered:
                about = " ".join(text.split()[:8]).rstrip(",.;:")
                _para(doc, f"- Về việc {about[:1].lower() + about[1:]}: {answer}")
        _para(doc, "V. HỘI NGHỊ THỐNG NHẤT", bold=True)
        _para(doc, f"1. Nhất trí với báo cáo kết quả năm {self.date.year - 1}.")
        _para(doc, "2. Giao Ban công tác Mặt trận tổng hợp ý kiến báo cáo Ủy ban MTTQ phường.")
        _para(doc, "Hội nghị kết thúc vào hồi 21 giờ 15 phút cùng ngày.")
        self._signatures(doc)

    def _B(self, doc):
        rng, g = self.rng, self.g
        _header_table(doc, f"ỦY BAN MTTQ PHƯỜNG {g.ward_name.upper()}\nBAN CÔNG TÁC MẶT TRẬN "
                      f"TDP SỐ {self.n}\n-----------", None)
        _para(doc, "BIÊN BẢN HỘI NGHỊ ĐẠI BIỂU NHÂN DÂN", bold=True, center=True)
        _para(doc, f"TỔ DÂN PHỐ SỐ {self.n} – NĂM {self.date.year}", bold=True, center=True)
        _para(doc, f"Hôm nay, vào hồi 19h30 ngày {self.date.day}/{self.date.month}/"
                   f"{self.date.year}, tại Nhà văn hóa tổ dân phố số {self.n}, phường "
                   f"{g.ward_name}, Ban công tác Mặt trận tổ chức Hội nghị đại biểu Nhân dân.")
        _para(doc, "* Thành phần:")
        _para(doc, f"- Số hộ được mời: {self.inv} hộ, có mặt: {self.att} hộ (đạt "
                   f"{_rate(self.att, self.inv)}).")
        _para(doc, "* Nội dung hội nghị:")
        _para(doc, "- Thông qua báo cáo kết quả xây dựng đời sống văn hóa ở khu dân cư.")
        _para(doc, "* Ý kiến phát biểu của đại biểu:")
        self._none(doc)
        for text, answer, _ in self.items:
            honorific, name = _name(rng)
            house = int(rng.integers(1, 150))
            form = int(rng.integers(3))
            prefix = (f"{honorific} {name} (số nhà {house}) phát biểu: ",
                      f"{honorific} {name} – số {house} ngõ {int(rng.integers(2, 300))} – ý "
                      "kiến: ", f"{honorific} {name}, hội viên Chi hội Người cao tuổi, phát "
                      "biểu: ")[form]
            if rng.random() < 0.15:
                _soft_break_para(doc, prefix + text)
            elif rng.random() < 0.1:
                _tracked_para(doc, prefix + text, rng)
            else:
                _para(doc, prefix + text, rng=rng, split=True)
            if answer:
                _para(doc, f"Đồng chí Tổ trưởng trả lời: {answer}")
        _para(doc, "* Hội nghị thống nhất:")
        _para(doc, "Hội nghị nhất trí thông qua báo cáo; giao Ban công tác Mặt trận tổng hợp "
                   "các ý kiến, kiến nghị báo cáo Ủy ban MTTQ phường.")
        _para(doc, "Hội nghị kết thúc hồi 21h40 cùng ngày.")
        _para(doc, f"Hà Nội, {_date_words(self.date)}")
        self._signatures(doc)

    def _C(self, doc):
        g = self.g
        _para(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, center=True)
        _para(doc, "Độc lập - Tự do - Hạnh phúc", center=True)
        _para(doc, f"UBMTTQ VIỆT NAM PHƯỜNG {g.ward_name.upper()}")
        _para(doc, f"BAN CTMT TỔ DÂN PHỐ SỐ {self.n:02d}")
        _para(doc, f"Hà Nội, {_date_words(self.date)}")
        _para(doc, "BIÊN BẢN", bold=True, center=True)
        _para(doc, f"HỘI NGHỊ ĐẠI BIỂU NHÂN DÂN NĂM {self.date.year}", bold=True, center=True)
        _para(doc, f"1. Thời gian: 19 giờ 30 phút, ngày {self.date:%d/%m/%Y}.")
        _para(doc, "2. Địa điểm: Nhà văn hóa khu dân cư.")
        _para(doc, "3. Thành phần tham dự:")
        table = doc.add_table(rows=5, cols=4)
        rows = (("STT", "Nội dung", "Số lượng", "Ghi chú"),
                ("1", "Tổng số hộ trong tổ dân phố", str(max(self.households, self.inv)), ""),
                ("2", "Số hộ được mời dự hội nghị", str(self.inv), ""),
                ("3", "Số hộ có mặt", str(self.att), f"Đạt {_rate(self.att, self.inv)}"),
                ("4", "Đại biểu khách mời", "03", "Phường, MTTQ phường"))
        for r, values in enumerate(rows):
            for c, v in enumerate(values):
                table.cell(r, c).text = v
        _para(doc, "4. Nội dung hội nghị:")
        _para(doc, "- Thông qua báo cáo kết quả thực hiện cuộc vận động.")
        _para(doc, "5. Các ý kiến, kiến nghị của Nhân dân:")
        self._none(doc)
        for text, answer, _ in self.items:
            if answer and self.rng.random() < 0.5:
                text = f"{text} (Đồng chí Tổ trưởng đã giải đáp tại hội nghị: {answer})"
            _para(doc, f"- {text}", rng=self.rng, split=True)
        _para(doc, "6. Nghị quyết hội nghị:")
        _para(doc, "- Hội nghị nhất trí 100% với báo cáo.")
        _para(doc, "- Các ý kiến, kiến nghị của Nhân dân được tổng hợp gửi Ủy ban MTTQ phường.")
        _para(doc, "Hội nghị kết thúc lúc 21 giờ 50 phút cùng ngày.")
        self._signatures(doc)

    def _D(self, doc):
        g = self.g
        _header_table(doc, f"UBND PHƯỜNG {g.ward_name.upper()}\nTỔ DÂN PHỐ SỐ {self.n}\n"
                      "-----------", f"Hà Nội, ngày {self.date.day} tháng {self.date.month} "
                      f"năm {self.date.year}")
        _para(doc, "BIÊN BẢN", bold=True, center=True)
        _para(doc, f"Hội nghị đại biểu Nhân dân tổ dân phố số {self.n:02d} năm "
                   f"{self.date.year}", center=True)
        _para(doc, f"Thời gian: 14 giờ 00 phút, ngày {self.date:%d/%m/%Y}.")
        _para(doc, f"Địa điểm: Nhà văn hóa tổ dân phố, phường {g.ward_name}.")
        _para(doc, f"Thành phần: Có mặt {self.att}/{self.inv} hộ được mời (đạt "
                   f"{_rate(self.att, self.inv)}).")
        _para(doc, "NỘI DUNG", bold=True)
        _para(doc, "Phần 1: Ban công tác Mặt trận báo cáo kết quả thực hiện các cuộc vận động.")
        _para(doc, "Phần 2: Thảo luận", bold=True)
        self._none(doc)
        for k, (text, answer, _) in enumerate(self.items, start=1):
            if self.rng.random() < 0.3:
                honorific, name = _name(self.rng)
                _para(doc, f"Ý kiến {k} ({honorific} {name}, tổ dân phố số {self.n}): {text}")
            else:
                self._two_paragraphs(doc, f"Ý kiến {k}: ", text)
            if answer:
                _para(doc, f"* Trả lời: {answer}")
        _para(doc, "Phần 3: Kết luận", bold=True)
        _para(doc, "Hội nghị thống nhất thông qua báo cáo; các kiến nghị vượt thẩm quyền được "
                   "tổng hợp báo cáo lên phường.")
        _para(doc, "Hội nghị kết thúc hồi 16h30 cùng ngày.")
        self._signatures(doc)

    def _E(self, doc):
        g = self.g
        _header_table(doc, f"UBMTTQ VIỆT NAM PHƯỜNG {g.ward_name.upper()}\nBAN CTMT TỔ DÂN "
                      f"PHỐ SỐ {self.n}\n-----------",
                      f"Hà Nội, {_date_words(self.date)}")
        _para(doc, "BIÊN BẢN HỘI NGHỊ ĐẠI BIỂU NHÂN DÂN", bold=True, center=True)
        _para(doc, f"Tổ dân phố số {self.n} – phường {g.ward_name} – năm {self.date.year}",
              center=True)
        _para(doc, f"I. Thời gian, địa điểm: 19h30 ngày {self.date:%d/%m/%Y} tại Nhà văn hóa "
                   f"tổ dân phố số {self.n}.")
        absent = self.inv - self.att
        _para(doc, f"II. Thành phần: Tổng số hộ trong danh sách mời: {self.inv} hộ. Có mặt: "
                   f"{self.att} hộ; vắng mặt: {absent} hộ. Tỷ lệ tham dự: "
                   f"{_rate(self.att, self.inv)}.")
        _para(doc, "III. Nội dung: Nghe báo cáo tổng kết năm; thảo luận.")
        if not self.items:
            _para(doc, "IV. Ý kiến của đại biểu: không có ý kiến.")
        else:
            self._opinion_table(doc)
        _para(doc, "V. Kết luận: Hội nghị thống nhất các nội dung đã thảo luận; giao Ban công tác "
                   "Mặt trận tổng hợp ý kiến gửi Ủy ban MTTQ phường.")
        _para(doc, "Hội nghị kết thúc vào 21h20 cùng ngày.")
        self._signatures(doc)

    def _opinion_table(self, doc) -> None:
        _para(doc, "IV. Ý kiến đóng góp của đại biểu (tổng hợp theo bảng dưới đây):")
        table = doc.add_table(rows=1 + len(self.items), cols=4)
        for c, h in enumerate(("STT", "Người phát biểu", "Nội dung ý kiến, kiến nghị",
                               "Trả lời tại hội nghị")):
            table.cell(0, c).text = h
        for k, (text, answer, _) in enumerate(self.items, start=1):
            honorific, name = _name(self.rng)
            table.cell(k, 0).text = str(k)
            table.cell(k, 1).text = f"{honorific} {name}\n(số nhà {int(self.rng.integers(1, 99))})"
            table.cell(k, 2).text = text
            table.cell(k, 3).text = answer or "Tổng hợp báo cáo phường"

    def _F(self, doc):
        g = self.g
        _para(doc, f"ỦY BAN MTTQ PHƯỜNG {g.ward_name.upper()}\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA "
                   "VIỆT NAM")
        _para(doc, f"BAN CTMT TỔ DÂN PHỐ SỐ {self.n}\t\t\tĐộc lập - Tự do - Hạnh phúc")
        _para(doc, f"\t\t\t\t\tHà Nội, {_date_words(self.date)}")
        _para(doc, f"BIÊN BẢN HỘI NGHỊ ĐẠI BIỂU NHÂN DÂN NĂM {self.date.year}", bold=True)
        _para(doc, f"Hồi 19h30 tối ngày {self.date:%d/%m/%Y} tại nhà văn hóa tổ dân phố số "
                   f"{self.n}, Ban công tác Mặt trận tổ chức hội nghị đại biểu nhân dân.")
        _para(doc, f"Thành phần: Số hộ được mời {self.inv} hộ, có mặt {self.att} hộ, đạt "
                   f"{_rate(self.att, self.inv)}.")
        _para(doc, "Nội dung:")
        _para(doc, "+ Đồng chí tổ trưởng đọc báo cáo tổng kết công tác năm.")
        _para(doc, "+ Công khai các khoản thu chi, bình xét gia đình văn hóa.")
        _para(doc, "Ý kiến của đại biểu:")
        self._none(doc)
        for text, _, _ in self.items:
            _para(doc, f"+ {text}", rng=self.rng, split=True)
        _para(doc, "Hội nghị nhất trí:")
        _para(doc, "+ Thông qua báo cáo của tổ dân phố.")
        _para(doc, "+ Giao tổ trưởng tổng hợp các kiến nghị gửi phường.")
        _para(doc, "Hội nghị kết thúc hồi 22h00 cùng ngày.")
        _para(doc, "\tThư ký\t\t\t\t\tChủ tọa")

    def _G(self, doc):
        g = self.g
        _header_table(doc, f"UBMTTQ VIỆT NAM PHƯỜNG {g.ward_name.upper()}\nBAN CTMT TỔ DÂN "
                      f"PHỐ SỐ {self.n}\n-----------", f"Hà Nội, {_date_words(self.date)}")
        _para(doc, "BIÊN BẢN", bold=True, center=True)
        _para(doc, f"Hội nghị đại biểu Nhân dân tổ dân phố số {self.n} năm {self.date.year}",
              center=True)
        _para(doc, f"Hội nghị được tiến hành vào 19h30 ngày {self.date:%d/%m/%Y} tại Nhà văn "
                   f"hóa phường {g.ward_name}.")
        _para(doc, f"Thành phần: {self.att}/{self.inv} hộ được mời có mặt (tỷ lệ "
                   f"{_rate(self.att, self.inv)}).")
        _para(doc, "I. NỘI DUNG", bold=True)
        _para(doc, "Hội nghị nghe báo cáo kết quả thực hiện cuộc vận động.")
        _para(doc, "II. Ý KIẾN THẢO LUẬN", bold=True)
        if self.items:
            _para(doc, "Hội nghị nhất trí cao với báo cáo. Các ý kiến tập trung vào một số vấn "
                       "đề sau:")
        self._none(doc)
        order = sorted(range(len(self.items)), key=lambda i: list(_FIELD_HEADINGS).index(
            self.items[i][2]) if self.items[i][2] in _FIELD_HEADINGS else 99)
        last = None
        letters = "abcdefghijk"
        for i in order:
            text, _, topic = self.items[i]
            heading = _FIELD_HEADINGS.get(topic, "Các ý kiến khác")
            if heading != last:
                k = len({_FIELD_HEADINGS.get(self.items[j][2]) for j in order[: order.index(i)]})
                _para(doc, f"{letters[min(k, 10)]}) {heading}:")
                last = heading
            _para(doc, f"- {text}")
        _para(doc, "III. HỘI NGHỊ THỐNG NHẤT", bold=True)
        _para(doc, "- Nhất trí thông qua báo cáo và các chỉ tiêu thi đua.")
        _para(doc, "Hội nghị kết thúc hồi 21h50 cùng ngày.")
        self._signatures(doc)

    # pieces
    def _none(self, doc) -> None:
        if not self.items:
            _para(doc, "Hội nghị không có ý kiến phát biểu.")

    def _two_paragraphs(self, doc, marker: str, text: str) -> None:
        """Long opinions sometimes run over two paragraphs, split between sentences."""
        sentences = text.split(". ")
        if len(sentences) > 2 and self.rng.random() < 0.3:
            cut = len(sentences) // 2
            _para(doc, marker + ". ".join(sentences[:cut]) + ".", rng=self.rng, split=True)
            _para(doc, ". ".join(sentences[cut:]), rng=self.rng, split=True)
        else:
            _para(doc, marker + text, rng=self.rng, split=True)

    def _signatures(self, doc) -> None:
        table = doc.add_table(rows=1, cols=2)
        _, secretary = _name(self.rng)
        _, chair = _name(self.rng)
        table.cell(0, 0).text = f"THƯ KÝ\n\n\n\n{secretary}"
        table.cell(0, 1).text = f"CHỦ TRÌ\n\n\n\n{chair}"


def _ward_minutes(rng, w, items: list[tuple[str, str, str]]):
    doc = _new_document()
    d = pd.Timestamp(w.conference_date).date()
    inv, att = int(w.households_invited), int(w.households_attended)
    _header_table(doc, f"ỦY BAN MTTQ VIỆT NAM\nPHƯỜNG {w.ward_name.upper()}\n-----------",
                  f"Hà Nội, {_date_words(d)}")
    _para(doc, "BIÊN BẢN", bold=True, center=True)
    _para(doc, f"HỘI NGHỊ ĐẠI BIỂU NHÂN DÂN PHƯỜNG {w.ward_name.upper()} NĂM {d.year}",
          bold=True, center=True)
    _para(doc, f"Vào hồi 8 giờ 00 ngày {d:%d/%m/%Y}, tại Hội trường UBND phường {w.ward_name}, "
               "Ban Thường trực Ủy ban MTTQ phường tổ chức Hội nghị đại biểu Nhân dân phường.")
    _para(doc, f"Thành phần: tổng số đại biểu được mời: {inv} đại biểu; có mặt: {att} đại biểu, "
               f"đạt {_rate(att, inv)}.")
    _para(doc, "I. NỘI DUNG HỘI NGHỊ", bold=True)
    _para(doc, "Hội nghị nghe báo cáo tổng hợp kết quả hội nghị các tổ dân phố.")
    _para(doc, "II. Ý KIẾN CỦA ĐẠI BIỂU", bold=True)
    if not items:
        _para(doc, "Hội nghị không có ý kiến phát biểu.")
    for k, (text, answer, _) in enumerate(items, start=1):
        _para(doc, f"{k}. {text}", rng=rng, split=True)
        if answer:
            _para(doc, f"Đồng chí Chủ tịch UBND phường trả lời: {answer}")
    _para(doc, "III. HỘI NGHỊ THỐNG NHẤT", bold=True)
    _para(doc, "Hội nghị nhất trí thông qua báo cáo và nghị quyết hội nghị.")
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "THƯ KÝ\n\n\n\nNgười ghi"
    table.cell(0, 1).text = "TM. BAN THƯỜNG TRỰC\nCHỦ TỊCH\n\n\nChủ tịch"
    return doc

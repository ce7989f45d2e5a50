"""The official report leadership files and signs: a Word *Báo cáo* in the administrative
format of Nghị định 30/2020/NĐ-CP (Phụ lục I), drafted from the data, edited by staff.

Layout (Phụ lục I, Phần I): A4 portrait; margins top and bottom 20 mm, left 30 mm, right
15 mm; Times New Roman; the issuing body top left (caps, bold, 13) with a short rule under
it and "Số: …/BC-UBND" below; the Quốc hiệu top right ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
caps, bold, 13), the tiêu ngữ under it ("Độc lập - Tự do - Hạnh phúc", bold, 14) with a rule
as long as the words, then place and date in italics (14); the title "BÁO CÁO" (caps,
bold, 14) and its subject (bold, 14) with a short rule; the body in 14, justified, first
lines indented 1,27 cm, 6 pt between paragraphs; "Nơi nhận:" (bold italic 12, its list in
11) bottom left and the signature block bottom right; page numbers at the top centre from
page 2. Numbers, dates and everything else that comes from data are written the
Vietnamese way (51.477; 68,6%; 28/02/2023); what staff must supply is left as "…".

Every figure is computed here from the loaded year, for the area or one ward. The opinions
section lists topics with counts and, for each, its main requests: :func:`main_requests`
is the one function to replace when the requests are consolidated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from hbt_analysis.fmt import fmt_date, fmt_int, fmt_pct, fmt_pp
from hbt_analysis.labels import label, unit_words_of
from hbt_analysis.scope import Scope, resolve

FONT = "Times New Roman"
BODY_PT = 14
FILE_NAME = "bao_cao_hoi_nghi_{year}.docx"
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
DOTS = "…"
#: The issuing body of a report: the people's committee of the area or the ward.
ISSUER = "Ủy ban nhân dân"
#: Kinds of area with a people's committee that can issue an area-wide report.
COMMITTEE_KINDS = ("quận", "huyện", "thị xã", "thành phố", "tỉnh")


# --- what the report says (data only; tested without Word) --------------------------------

@dataclass
class Table:
    """A numbered table: its title, header rows (text, column span) and body rows."""

    title: str
    header: list[list[tuple[str, int]]]
    rows: list[list[str]]
    total: list[str] | None = None
    widths_cm: list[float] = field(default_factory=list)


@dataclass
class Content:
    """Everything the Word report states, as text: built from a Scope, rendered by render()."""

    issuer: list[str]
    number: str
    place_date: str
    title: str
    subject: str
    note: str | None
    intro: str
    sections: list[tuple[str, list[Any]]]  # (heading, paragraphs, sub-headings and tables)
    recipients: list[str]
    signer: list[str]


@dataclass
class Heading:
    text: str


def _level_row(frame: pd.DataFrame) -> dict[str, float]:
    invited = pd.to_numeric(frame["households_invited"]).sum(min_count=1)
    attended = pd.to_numeric(frame["households_attended"]).sum(min_count=1)
    opinions = pd.to_numeric(frame.get("opinions_count", pd.Series(dtype=float))).sum()
    return {"units": len(frame), "invited": invited, "attended": attended,
            "rate": attended / invited if invited and not pd.isna(invited) else float("nan"),
            "opinions": opinions}


def _period(frame: pd.DataFrame) -> str:
    dates = pd.to_datetime(frame["conference_date"]).dropna()
    if dates.empty:
        return ""
    if dates.min() == dates.max():  # one conference, or all on one day
        return f"ngày {fmt_date(dates.min())}"
    return f"từ ngày {fmt_date(dates.min())} đến ngày {fmt_date(dates.max())}"


def level_kind(s: Scope) -> str:
    """The kind of the conferences above the groups: the unit's own in one unit's report
    ('thị trấn' in a huyện of xã and thị trấn), the area's units ('xã, thị trấn') else."""
    if s.ward is None:
        return s.area.units()
    return s.area.kind_of(s.ward) or s.area.units()


def summary_table(s: Scope) -> Table:
    """Bảng 1: both levels, units held, invited, attended, rate and opinions."""
    rows = []
    kind = level_kind(s)
    upper = label("phuong") if s.ward is None else kind[:1].upper() + kind[1:]
    for name, frame in ((label("to_dan_pho"), s.groups), (upper, s.ward_conferences)):
        if frame.empty:
            continue
        r = _level_row(frame)
        rows.append([str(len(rows) + 1), name, fmt_int(r["units"]), fmt_int(r["invited"]),
                     fmt_int(r["attended"]), fmt_pct(r["rate"]), fmt_int(r["opinions"])])
    return Table(
        "Bảng 1. Tổng hợp kết quả tổ chức hội nghị ở hai cấp",
        [[("STT", 1), ("Cấp hội nghị", 1), ("Số đơn vị tổ chức", 1), ("Số hộ được mời", 1),
          ("Số hộ dự", 1), ("Tỷ lệ dự", 1), ("Số ý kiến", 1)]],
        rows, widths_cm=[1.3, 3.1, 2.3, 2.4, 2.2, 2.0, 2.0])


def units_table(s: Scope) -> Table:
    """Bảng 2: for the area, each ward at both levels; for a ward, each of its groups."""
    if s.ward is None:
        return _wards_table(s)
    gc = s.groups.sort_values("group_code")
    rows = []
    for i, g in enumerate(gc.itertuples(), 1):
        invited, attended = g.households_invited, g.households_attended
        rows.append([str(i), str(g.group_name), fmt_date(g.conference_date), fmt_int(invited),
                     fmt_int(attended), fmt_pct(attended / invited if invited else None),
                     fmt_int(g.opinions_count)])
    t = _level_row(gc)
    return Table(
        f"Bảng 2. Kết quả hội nghị theo tổ dân phố, {s.name}",
        [[("STT", 1), ("Tổ dân phố", 1), ("Ngày họp", 1), ("Số hộ được mời", 1),
          ("Số hộ dự", 1), ("Tỷ lệ dự", 1), ("Số ý kiến", 1)]],
        rows, ["", "Cộng", "", fmt_int(t["invited"]), fmt_int(t["attended"]),
               fmt_pct(t["rate"]), fmt_int(t["opinions"])],
        widths_cm=[1.3, 3.7, 2.4, 2.3, 2.0, 1.9, 1.8])


def _wards_table(s: Scope) -> Table:
    gc, wc = s.groups, s.ward_conferences
    rows = []
    for i, w in enumerate(s.ds.wards.itertuples(), 1):
        g = _level_row(gc[gc["ward_code"] == w.ward_code])
        p = _level_row(wc[wc["ward_code"] == w.ward_code])
        rows.append([str(i), str(w.ward_name), fmt_int(g["units"]), fmt_int(g["invited"]),
                     fmt_int(g["attended"]), fmt_pct(g["rate"]), fmt_int(g["opinions"]),
                     fmt_int(p["invited"]), fmt_int(p["attended"]), fmt_pct(p["rate"]),
                     fmt_int(p["opinions"])])
    g, p = _level_row(gc), _level_row(wc)
    return Table(
        f"Bảng 2. Kết quả hội nghị theo {s.area.units()}",
        [[("STT", 1), (unit_words_of(s.area)["vi"]["Unit"], 1), ("Hội nghị tổ dân phố", 5),
          (f"Hội nghị cấp {s.area.units()}", 4)],
         [("", 1), ("", 1), ("Số tổ", 1), ("Hộ được mời", 1), ("Hộ dự", 1), ("Tỷ lệ", 1),
          ("Ý kiến", 1), ("Được mời", 1), ("Dự", 1), ("Tỷ lệ", 1), ("Ý kiến", 1)]],
        rows, ["", s.area.whole(), fmt_int(g["units"]), fmt_int(g["invited"]),
               fmt_int(g["attended"]), fmt_pct(g["rate"]), fmt_int(g["opinions"]),
               fmt_int(p["invited"]), fmt_int(p["attended"]), fmt_pct(p["rate"]),
               fmt_int(p["opinions"])],
        widths_cm=[1.05, 2.75, 0.95, 1.55, 1.45, 1.65, 1.15, 1.4, 1.2, 1.65, 1.1])


def topic_counts(s: Scope) -> pd.DataFrame:
    """Opinions per topic (both levels), most raised first: topic, topic_name, count, share."""
    from hbt_analysis.opinions import count_by_topic

    ops = s.opinions
    if ops.empty:
        return pd.DataFrame(columns=["topic", "topic_name", "count", "share"])
    counts = count_by_topic(ops, lang="vi", all_topics=False)
    out = counts.groupby(["topic", "topic_name"], as_index=False)["count"].sum()
    out = out[out["count"] > 0].sort_values(["count", "topic"], ascending=[False, True])
    out["share"] = out["count"] / len(ops)
    return out.reset_index(drop=True)


def main_requests(s: Scope, topic: str, n: int = 3, redact: bool = True) -> list[str]:
    """The main requests under a topic: for now its most typical opinions (masked).

    The one function to replace by the consolidated requests (what people asked, how many
    times, of whom) when the opinions module provides them.
    """
    from hbt_analysis.opinions import representative_opinions

    ops = s.opinions[s.opinions["topic_primary"] == topic]
    if ops.empty:
        return []
    examples = representative_opinions(ops, n=n, redact=redact, lang="vi")
    return [str(t).strip() for t in examples["text"].head(n)]


def topics_table(counts: pd.DataFrame) -> Table:
    rows = [[str(i), r.topic_name, fmt_int(r.count), fmt_pct(r.share)]
            for i, r in enumerate(counts.itertuples(), 1)]
    total = int(counts["count"].sum()) if len(counts) else 0
    return Table("Bảng 3. Ý kiến, kiến nghị theo lĩnh vực",
                 [[("STT", 1), ("Lĩnh vực", 1), ("Số ý kiến", 1), ("Tỷ lệ", 1)]], rows,
                 ["", "Cộng", fmt_int(total), fmt_pct(1.0 if total else None)],
                 widths_cm=[1.3, 9.2, 2.5, 2.5])


def _assessment(s: Scope) -> tuple[list[str], list[str], list[str]]:
    """(what went well, where attendance was low, proposals), from the data."""
    from hbt_analysis.attendance import outside_window, planned_window, ward_rates
    from hbt_analysis.funnel import unusual_points

    good, low, proposals = [], [], []
    g = _level_row(s.groups)
    where = s.name
    if s.groups.empty:
        return good, low, proposals
    start, end, _ = planned_window(s.ds)
    late = len(outside_window(s.groups, start, end)) if not pd.isna(start) else 0
    good.append(f"{fmt_int(g['units'])} tổ dân phố của {where} đã tổ chức hội nghị"
                + (f"; {fmt_int(late)} tổ họp ngoài thời gian kế hoạch." if late
                   else ", đúng thời gian kế hoạch."))
    if s.previous is not None:
        before = _level_row(_scope(s.previous.group_conferences, s.ward))
        if not pd.isna(before["rate"]) and not pd.isna(g["rate"]):
            change = g["rate"] - before["rate"]
            points = fmt_pp(abs(change)).lstrip("+")
            verb = (f"tăng {points}" if points != fmt_pp(0) and change > 0 else
                    f"giảm {points}" if points != fmt_pp(0) else "tương đương")
            good.append(f"Tỷ lệ hộ dự đạt {fmt_pct(g['rate'])}, {verb} so với năm "
                        f"{s.previous.year} ({fmt_pct(before['rate'])}).")
    p = _level_row(s.ward_conferences)
    if p["units"]:
        good.append(f"Hội nghị cấp {level_kind(s)} đạt tỷ lệ dự {fmt_pct(p['rate'])} "
                    f"({fmt_int(p['attended'])}/{fmt_int(p['invited'])} đại biểu).")
    if s.ward is None:
        wr = ward_rates(s.ds.group_conferences).dropna(subset=["rate"]).sort_values("rate")
        top = ", ".join(f"{r.ward_name} ({fmt_pct(r.rate)})" for r in wr.tail(3)[::-1]
                        .itertuples())
        bottom = ", ".join(f"{r.ward_name} ({fmt_pct(r.rate)})" for r in wr.head(3).itertuples())
        if top:
            good.append(f"Các {s.area.units()} có tỷ lệ hộ dự cao: {top}.")
        if bottom:
            low.append(f"Các {s.area.units()} có tỷ lệ hộ dự thấp: {bottom}.")
    pts = unusual_points(s.ds.group_conferences, s.ward)
    lows = pts[pts["signal"] == "unusually_low"].sort_values("z_adjusted")
    if len(lows):
        names = "; ".join(f"{r.group_name} ({'' if s.ward else r.ward_name + ', '}"
                          f"{fmt_pct(r.rate)})" for r in lows.itertuples())
        low.append(f"{fmt_int(len(lows))} tổ dân phố có tỷ lệ dự thấp bất thường so với các tổ "
                   f"cùng quy mô: {names}.")
        proposals.append(f"Tìm hiểu nguyên nhân và có giải pháp nâng tỷ lệ hộ dự tại: {names}.")
    else:
        worst = pts.sort_values("rate").head(3)
        if len(worst):
            names = "; ".join(f"{r.group_name} ({fmt_pct(r.rate)})" for r in worst.itertuples())
            low.append(f"Không có tổ dân phố nào có tỷ lệ dự thấp bất thường so với các tổ cùng "
                       f"quy mô; các tổ có tỷ lệ thấp nhất: {names}.")
    counts = topic_counts(s)
    if len(counts):
        fields = ", ".join(counts["topic_name"].head(3).str.lower())
        proposals.append(f"Tập trung giải quyết, trả lời các ý kiến, kiến nghị về {fields}.")
    low.append(DOTS)
    proposals.append(DOTS)
    return good, low, proposals


def _scope(frame: pd.DataFrame, ward: str | None) -> pd.DataFrame:
    return frame if ward is None else frame[frame["ward_code"] == ward]


def build_content(s: Scope, verbatim: bool = True, redact: bool = True) -> Content:
    """What the report says for a scope (every figure from the data)."""
    area = s.area
    is_area = s.ward is None
    # an area that is no administrative unit ('khu vực': the new wards after 07/2025, or
    # wards with no common parent) has no one committee to issue the report: its name and
    # place are left for staff to fill
    no_issuer = is_area and (area.kind not in COMMITTEE_KINDS or not area.name)
    issuer = [ISSUER.upper(), DOTS if no_issuer else s.name.upper()]
    place = DOTS if no_issuer else area.name if is_area else s.ward_name
    g, p = _level_row(s.groups), _level_row(s.ward_conferences)
    body: list[tuple[str, list[Any]]] = []
    part1: list[Any] = [Heading("1. Hội nghị ở tổ dân phố")]
    if len(s.groups):
        part1.append(
            f"{_period(s.groups).capitalize()}, {fmt_int(g['units'])} tổ dân phố của {s.name} "
            f"đã tổ chức Hội nghị đại biểu Nhân dân. Số hộ được mời: {fmt_int(g['invited'])}; "
            f"số hộ dự: {fmt_int(g['attended'])}, đạt {fmt_pct(g['rate'])}. Các hội nghị đã "
            f"ghi nhận {fmt_int(g['opinions'])} ý kiến, kiến nghị.")
    else:
        part1.append(f"Năm {s.year} không có số liệu hội nghị tổ dân phố của {s.name}.")
    kind = level_kind(s)  # a thị trấn's report: 'cấp thị trấn' throughout
    part1.append(Heading(f"2. Hội nghị cấp {kind}"))
    if len(s.ward_conferences):
        units = f"{fmt_int(p['units'])} {area.units()}" if is_area else s.name
        part1.append(
            f"{_period(s.ward_conferences).capitalize()}, {units} đã tổ chức hội nghị với "
            f"{fmt_int(p['attended'])}/{fmt_int(p['invited'])} đại biểu tham dự, đạt "
            f"{fmt_pct(p['rate'])}; {fmt_int(p['opinions'])} ý kiến, kiến nghị.")
    else:
        part1.append(f"Năm {s.year} không có số liệu hội nghị cấp {kind} của "
                     f"{s.name}.")
    part1 += [summary_table(s), units_table(s)]
    body.append(("I. KẾT QUẢ TỔ CHỨC HỘI NGHỊ", part1))

    counts = topic_counts(s)
    part2: list[Any] = []
    if len(counts):
        part2.append(
            f"Tổng số {fmt_int(int(counts['count'].sum()))} ý kiến, kiến nghị "
            f"({fmt_int(g['opinions'])} ở tổ dân phố, {fmt_int(p['opinions'])} ở cấp "
            f"{kind}), tập trung vào các lĩnh vực sau:")
        part2.append(topics_table(counts))
        for i, r in enumerate(counts.head(5).itertuples(), 1):
            part2.append(Heading(f"{i}. {r.topic_name} ({fmt_int(r.count)} ý kiến)"))
            if verbatim:
                part2 += [f"- {text}" for text in main_requests(s, r.topic, redact=redact)]
            else:
                part2.append("(Báo cáo này không trích dẫn nguyên văn ý kiến.)")
    else:
        part2.append("Không có ý kiến, kiến nghị nào được ghi nhận.")
    body.append(("II. Ý KIẾN, KIẾN NGHỊ CỦA NHÂN DÂN", part2))

    good, low, proposals = _assessment(s)
    body.append(("III. ĐÁNH GIÁ CHUNG", [Heading("1. Ưu điểm"), *[f"- {t}" for t in good],
                                         Heading("2. Hạn chế"),
                                         *[f"- {t}" if t != DOTS else DOTS for t in low]]))
    body.append(("IV. ĐỀ XUẤT, KIẾN NGHỊ",
                 [f"- {t}" if t != DOTS else DOTS for t in proposals]))
    note = (f"{label('synthetic_title')}: {label('synthetic_body')}" if s.ds.synthetic
            else None)
    who = f"{ISSUER} {DOTS if no_issuer else s.name}"
    return Content(
        issuer=issuer, number=f"Số: {DOTS}/BC-UBND",
        place_date=f"{place}, ngày {DOTS} tháng {DOTS} năm {DOTS}",
        title="BÁO CÁO",
        subject=f"Kết quả tổ chức Hội nghị đại biểu Nhân dân năm {s.year}",
        note=note,
        intro=(f"Thực hiện {DOTS}, {who} báo cáo kết quả tổ chức Hội nghị đại biểu Nhân dân ở "
               f"tổ dân phố và cấp {kind} năm {s.year} như sau:"),
        sections=body,
        recipients=[f"- {DOTS};", f"- {DOTS};", "- Lưu: VT."],
        signer=[f"TM. {ISSUER.upper()}", "CHỦ TỊCH", "", "", "", DOTS],
    )


# --- Word ------------------------------------------------------------------------------------

def _font(run: Any, size: float, bold: bool = False, italic: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(container: Any, text: str, size: float = BODY_PT, bold: bool = False,
          italic: bool = False, align: str = "justify", indent: bool = False,
          before: float = 0, after: float = 6) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    p = container.add_paragraph()
    p.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    fmt.line_spacing = 1.15
    if indent:
        fmt.first_line_indent = Cm(1.27)
    _font(p.add_run(text), size, bold, italic)
    return p


def _rule(container: Any, indent_cm: float) -> Any:
    """A solid line (a bordered empty paragraph), `indent_cm` in from each side."""
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Cm(indent_cm)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(3)
    _font(paragraph.add_run(""), 2)
    ppr = paragraph._p.get_or_add_pPr()
    border = ppr.makeelement(qn("w:pBdr"), {})
    bottom = border.makeelement(qn("w:bottom"), {qn("w:val"): "single", qn("w:sz"): "6",
                                                 qn("w:space"): "1", qn("w:color"): "000000"})
    border.append(bottom)
    ppr.append(border)
    return paragraph


def _no_borders(table: Any) -> None:
    from docx.oxml.ns import qn

    tblpr = table._tbl.tblPr
    borders = tblpr.makeelement(qn("w:tblBorders"), {})
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(borders.makeelement(qn(f"w:{side}"), {qn("w:val"): "nil"}))
    tblpr.append(borders)


Line = tuple[str, float, bool, bool, float]  # text, size, bold, italic, points before


def _cell(cell: Any, lines: list[Line], rule_cm: float | None = None,
          rule_after: int = -1) -> None:
    """Centred lines in a cell; a rule under line `rule_after` (index) when rule_cm is set."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    for i, (text, size, bold, italic, before) in enumerate(lines):
        p = cell.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.space_before = Pt(before)
        _font(p.add_run(text), size, bold, italic)
        if rule_cm is not None and i == (rule_after % len(lines)):
            _rule(cell, rule_cm)


def _page_number_header(section: Any) -> None:
    """Page numbers at the top centre, not on the first page (Phụ lục I, I.7)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    _font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        else:
            el = run._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            el.text = text
        run._r.append(el)


def _footer_note(section: Any, note: str) -> None:
    """The data note at the foot of every page (the first one too)."""
    for footer in (section.footer, section.first_page_footer):
        _para(footer, note, size=9, italic=True, align="left", after=0)


def _table(doc: Any, table: Table) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT

    _para(doc, table.title, size=13, bold=True, align="center", before=6, after=3)
    n_cols = sum(span for _, span in table.header[0])
    t = doc.add_table(rows=0, cols=n_cols)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = 10.5 if n_cols > 8 else 12
    if n_cols > 8:  # narrow columns: less padding, so "100,0%" and "STT" stay on one line
        _cell_margins(t, left_cm=0.1, right_cm=0.1)
    for r, header in enumerate(table.header):
        row_obj = t.add_row()
        _repeat_header(row_obj)
        cells = row_obj.cells
        col = 0
        for text, span in header:
            cell = cells[col]
            if span > 1:
                cell = cell.merge(cells[col + span - 1])
            if text or r == 0:
                _cell_text(cell, text, size, bold=True, align="center")
            col += span
    if len(table.header) > 1:  # a column with no second-row label spans both header rows
        col = 0
        for text, span in table.header[1]:
            if not text:
                t.cell(0, col).merge(t.cell(1, col))
            col += span
    for row in table.rows:
        cells = t.add_row().cells
        for col, text in enumerate(row):
            _cell_text(cells[col], text, size, align="left" if col == 1 else
                       "center" if col == 0 else "right")
    if table.total:
        cells = t.add_row().cells
        for col, text in enumerate(table.total):
            _cell_text(cells[col], text, size, bold=True,
                       align="left" if col == 1 else "right")
    _widths(t, table.widths_cm)
    _para(doc, "", size=6, after=0)


def _cell_margins(table: Any, left_cm: float, right_cm: float) -> None:
    """The table's default left and right cell padding (w:tblCellMar)."""
    from docx.oxml.ns import qn

    tblpr = table._tbl.tblPr
    mar = tblpr.makeelement(qn("w:tblCellMar"), {})
    for side, cm in (("left", left_cm), ("right", right_cm)):
        mar.append(mar.makeelement(qn(f"w:{side}"), {qn("w:w"): str(round(cm * 567)),
                                                     qn("w:type"): "dxa"}))
    tblpr.append(mar)


def _repeat_header(row: Any) -> None:
    """The header rows repeated at the top of each page a table runs over."""
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    trpr.append(trpr.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))


def _widths(table: Any, widths_cm: list[float]) -> None:
    """Fixed column widths (Word reads the cells', LibreOffice the grid's)."""
    from docx.shared import Cm

    if not widths_cm:
        return
    table.autofit = False
    for col, width in enumerate(widths_cm):
        table.columns[col].width = Cm(width)
        for cell in table.columns[col].cells:
            cell.width = Cm(width)


def _cell_text(cell: Any, text: str, size: float, bold: bool = False,
               align: str = "left") -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = cell.paragraphs[0]
    p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                   "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
    p.paragraph_format.space_after = Pt(0)
    if text:
        _font(p.add_run(text), size, bold)


def render(content: Content) -> Any:
    """The Word document of a report's content, in the decree's layout."""
    from docx import Document
    from docx.shared import Mm

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = section.footer_distance = Mm(10)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    _page_number_header(section)
    if content.note:
        _footer_note(section, content.note)

    head = doc.add_table(rows=1, cols=2)
    _no_borders(head)
    _widths(head, [6.2, 10.3])
    left, right = head.rows[0].cells
    _cell(left, [(content.issuer[0], 13, False, False, 0), (content.issuer[1], 13, True, False, 0),
                 (content.number, 13, False, False, 8)], rule_cm=2.0, rule_after=1)
    _cell(right, [(QUOC_HIEU, 13, True, False, 0), (TIEU_NGU, 14, True, False, 0),
                  (content.place_date, 14, False, True, 8)], rule_cm=1.75, rule_after=1)
    _para(doc, "", after=6)
    _para(doc, content.title, size=14, bold=True, align="center", after=0)
    _para(doc, content.subject, size=14, bold=True, align="center", after=0)
    _rule(doc, 6.0)
    _para(doc, "", size=6, after=0)
    if content.note:
        _para(doc, content.note, size=11, italic=True, align="justify", after=6)
    _para(doc, content.intro, indent=True)
    for heading, items in content.sections:
        _para(doc, heading, bold=True, align="left", before=6)
        for item in items:
            if isinstance(item, Heading):
                _para(doc, item.text, bold=True, align="left", indent=True)
            elif isinstance(item, Table):
                _table(doc, item)
            else:
                _para(doc, str(item), indent=True)
    _para(doc, f"Trên đây là báo cáo kết quả tổ chức Hội nghị đại biểu Nhân dân năm "
               f"{content.subject.rsplit(' ', 1)[-1]}./.", indent=True)
    end = doc.add_table(rows=1, cols=2)
    _no_borders(end)
    _widths(end, [7.5, 9.0])
    left, right = end.rows[0].cells
    left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)
    _para(left, "Nơi nhận:", size=12, bold=True, italic=True, align="left", after=0)
    for line in content.recipients:
        _para(left, line, size=11, align="left", after=0)
    _cell(right, [(line, 14, bool(line and line != DOTS), False, 0) for line in content.signer])
    return doc


def build_report(year: int, ward: str | None = None, data_dir: str | None = None,
                 verbatim: bool = True, redact: bool = True) -> Any:
    """The Word report of a year for the area (ward None) or one ward."""
    return render(build_content(resolve(year, ward, "vi", data_dir), verbatim, redact))


def write_report(year: int, ward: str | None, folder: Path, data_dir: Any = None,
                 verbatim: bool = True, redact: bool = True) -> Path:
    """Write `bao_cao_hoi_nghi_<year>.docx` in `folder`; returns its path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME.format(year=year)
    doc = build_report(year, ward, None if data_dir is None else str(data_dir), verbatim,
                       redact)
    partial = path.with_name(f".{path.name}.part")
    doc.save(str(partial))
    partial.replace(path)
    return path

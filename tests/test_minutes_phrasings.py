"""The ways secretaries write attendance and dates, each in a real .docx read back.

Every case is a whole set of minutes (header, title, time, attendance, opinions, resolution,
signatures) built with python-docx in this file's own wording, so what is tested is the
reading of the document, not of a string. Where a careful clerk could not be sure of a
figure, the reader must leave it empty and say so (a flag), never fill it in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from hbt_analysis.minutes import read_document
from tests import minutes_docs as md

Part = str | list | Callable  # a paragraph, a list of runs, or a builder(doc)


def _minutes(tmp_path, parts: list[Part], *, date_line: str | None = (
        "Thời gian: 19 giờ 30 phút ngày 14/01/2023."), name: str = "bien ban.docx",
             ward: str = "QUỲNH MAI", group: int | None = 3):
    doc = md.new(ward, group)
    md.para(doc, "BIÊN BẢN HỘI NGHỊ ĐẠI BIỂU NHÂN DÂN NĂM 2023")
    if date_line:
        md.para(doc, date_line)
    md.para(doc, "Địa điểm: Nhà văn hóa tổ dân phố.")
    for part in parts:
        if callable(part):
            part(doc)
        elif isinstance(part, list):
            md.para(doc, *part)
        else:
            md.para(doc, part)
    md.para(doc, "Chủ trì: Ông Trần Văn Bình. Thư ký: Bà Lê Thị Cúc.")
    md.para(doc, "Ý kiến của các hộ gia đình:")
    md.para(doc, "1. Đề nghị phường lắp thêm đèn chiếu sáng ở cuối ngõ 18, buổi tối rất tối.")
    md.para(doc, "2. Rác thải bị vứt bừa bãi ở bãi đất trống cạnh trường học, đề nghị xử lý.")
    md.para(doc, "Hội nghị biểu quyết nhất trí 100% thông qua báo cáo.")
    md.table(doc, [["THƯ KÝ\n\nLê Thị Cúc", "CHỦ TRÌ\n\nTrần Văn Bình"]])
    return read_document(md.save(doc, tmp_path / name))


def _table(rows: list[list[str]], merges: list[tuple[int, int, int, int]] = ()) -> Callable:
    """A table builder; each merge is (row, col, row2, col2) of python-docx's cell.merge."""
    def build(doc):
        t = md.table(doc, rows)
        for r1, c1, r2, c2 in merges:
            t.cell(r1, c1).merge(t.cell(r2, c2))
    return build


def _codes(r) -> set[str]:
    return {f.code for f in r.flags}


# (what it exercises, parts, invited, attended)
SENTENCES = [
    ("part before 'trên tổng số', whole after",
     ["Tham dự có 96 hộ trên tổng số 125 hộ được mời, đạt 76,8%."], 125, 96),
    ("'trong số' between part and whole",
     ["Có 112 hộ trong số 150 hộ được mời đã đến dự hội nghị."], 150, 112),
    ("'trong tổng số' and 'về dự'",
     ["Về dự hội nghị có 99 hộ trong tổng số 130 hộ được mời."], 130, 99),
    ("triệu tập / về dự, with the households in the group left aside",
     ["Tổng số hộ trong tổ dân phố: 212 hộ; triệu tập 180 hộ; số hộ về dự: 151 hộ."], 180, 151),
    ("counts in words",
     ["Ban công tác Mặt trận đã mời một trăm linh năm hộ, có mặt tám mươi hai hộ."], 105, 82),
    ("counts in words with thousands and 'lẻ'",
     ["Số hộ được mời: một nghìn hai trăm lẻ tư hộ; số hộ tham dự: chín trăm mười hai hộ."],
     1204, 912),
    ("x/y with the rate before it",
     ["Tỷ lệ hộ tham dự đạt 74,7% (112/150 hộ)."], 150, 112),
    ("'số đại biểu được mời' in people",
     ["Số đại biểu được mời: 95 người; số đại biểu có mặt: 80 người; vắng 15 người."], 95, 80),
    ("'hộ dự' at the end of a clause",
     ["Kết quả: mời 150 hộ, 112 hộ dự (vắng 38 hộ, trong đó có lý do 30 hộ)."], 150, 112),
    ("sentence split in many runs",
     [["Số hộ được ", "mời: 1", "48 hộ; số hộ có", " mặt: 12", "1 hộ."]], 148, 121),
    ("invited and attended in two paragraphs",
     ["Hộ gia đình được triệu tập: 160.", "Hộ gia đình đến dự: 120, đạt 75%."], 160, 120),
    ("'có sự tham dự của … trên …'",
     ["Hội nghị có sự tham dự của 88 đại diện hộ trên 117 hộ được mời."], 117, 88),
    ("households registered are not households present",
     ["Số hộ được mời: 180 hộ. Đã có 150 hộ đăng ký tham dự, thực tế có mặt 142 hộ."],
     180, 142),
    ("households that did not come are not households present",
     ["Số hộ không đến dự: 38 hộ; số hộ có mặt: 112 hộ; số hộ được mời: 150 hộ."], 150, 112),
    ("the invited count in brackets after its label",
     ["Đến dự hội nghị có 112 hộ, đạt 74,7% số hộ được mời (150 hộ)."], 150, 112),
    ("a list of who came after 'tham dự:'",
     ["Thành phần tham dự: 3 đại biểu phường, 2 khách mời và 112 hộ gia đình; số hộ được "
      "mời: 150 hộ."], 150, 112),
    ("a fraction after two labels",
     ["Số hộ tham dự/số hộ được mời: 112/150 (74,7%)."], 150, 112),
    ("words with the digits in brackets",
     ["Số hộ được mời: một trăm năm mươi (150) hộ; có mặt: một trăm mười hai (112) hộ."],
     150, 112),
    ("labels and counts split by tabs",
     ["Hộ mời: 150\tHộ dự: 112\tVắng: 38"], 150, 112),
    ("em dash between the parts",
     ["Mời 150 hộ — dự 112 hộ — vắng 38 hộ."], 150, 112),
    ("'hộ gia đình' as the unit",
     ["Đại biểu tham dự: 112/150 hộ gia đình được mời."], 150, 112),
]


@pytest.mark.parametrize(("what", "parts", "invited", "attended"), SENTENCES,
                         ids=[c[0] for c in SENTENCES])
def test_attendance_written_in_sentences(tmp_path, what, parts, invited, attended):
    r = _minutes(tmp_path, parts)
    assert (r.invited, r.attended) == (invited, attended), what
    assert not _codes(r) & {"missing_attendance", "attendance_conflict", "percentage_mismatch"}


TABLES = [
    ("label and number in separate cells, rate row",
     _table([["Số hộ được mời", "150"], ["Số hộ có mặt", "112"], ["Tỷ lệ", "74,7%"]]),
     150, 112),
    ("label over two cells, number with its unit",
     _table([["Số hộ", "được mời", "150 hộ"], ["Số hộ", "có mặt", "112 hộ"]]), 150, 112),
    ("label cell merged down over two rows",
     _table([["Số hộ", "Được mời", "150"], ["", "Có mặt", "112"]], [(0, 0, 1, 0)]), 150, 112),
    ("headers over one row of numbers",
     _table([["Được mời", "Có mặt", "Vắng", "Tỷ lệ"], ["150", "112", "38", "74,7%"]]), 150, 112),
    ("a merged header over two header rows",
     _table([["Số hộ", "", "", "Ghi chú"], ["Trong tổ", "Được mời", "Tham dự", ""],
             ["200", "150", "112", ""]], [(0, 0, 0, 2)]), 150, 112),
    ("numbered rows: STT | content | number",
     _table([["STT", "Nội dung", "Số lượng"], ["1", "Hộ được mời", "150"],
             ["2", "Hộ dự", "112"], ["3", "Hộ vắng", "38"]]), 150, 112),
    ("a part of the whole in one cell",
     _table([["Số hộ có mặt/được mời", "112/150"], ["Tỷ lệ", "74,7%"]]), 150, 112),
    ("label and number in the same cell",
     _table([["Số hộ được mời: 150 hộ", "Số hộ có mặt: 112 hộ"]]), 150, 112),
    ("a row for households and a row for people under role headers",
     _table([["", "Được mời", "Có mặt"], ["Số người", "160", "120"], ["Số hộ", "150", "112"]]),
     150, 112),
    ("'hộ gia đình' after the number in its cell",
     _table([["Hộ được mời", "150 hộ gia đình"], ["Hộ có mặt", "112 hộ gia đình"]]), 150, 112),
    ("counts in words in cells",
     _table([["Hộ được mời", "một trăm năm mươi hộ"], ["Hộ có mặt", "một trăm mười hai hộ"]]),
     150, 112),
]


@pytest.mark.parametrize(("what", "build", "invited", "attended"), TABLES,
                         ids=[c[0] for c in TABLES])
def test_attendance_in_small_tables(tmp_path, what, build, invited, attended):
    r = _minutes(tmp_path, ["Thành phần tham dự:", build])
    assert (r.invited, r.attended) == (invited, attended), what
    assert not _codes(r) & {"missing_attendance", "attendance_conflict", "percentage_mismatch"}
    assert [o.text.split(",")[0] for o in r.opinions] == [
        "Đề nghị phường lắp thêm đèn chiếu sáng ở cuối ngõ 18", "Rác thải bị vứt bừa bãi ở bãi "
        "đất trống cạnh trường học"]


# what must NOT be read as attendance: the figure stays empty and is flagged
TRAPS = [
    ("only those present and absent: nothing invited is written",
     ["Có mặt 112 hộ, vắng mặt 38 hộ."], None, 112),
    ("households in the group are not households invited",
     ["Tổng số hộ trong tổ: 176 hộ. Số hộ tham dự: 150 hộ."], None, 150),
    ("a bare total of households is not the number invited",
     ["Tổng số hộ: 176 hộ; có mặt 150 hộ."], None, 150),
    ("groups held are not households",
     ["Đã có 17/17 tổ dân phố tổ chức hội nghị; có mặt 95 hộ."], None, 95),
    ("a vote is not attendance",
     ["Hội nghị đã biểu quyết: 112/112 hộ nhất trí thông qua quy ước."], None, None),
    ("cultural families are not attendance",
     ["Gia đình văn hóa năm 2022: 140/150 hộ (93,3%)."], None, None),
    ("officials present are not households present",
     ["Tham dự hội nghị có 3 đồng chí lãnh đạo phường, 2 cán bộ công an và 4 vị khách mời."],
     None, None),
    ("'một số hộ' is 'some households', not one",
     ["Một số hộ có mặt muộn do trời mưa."], None, None),
]


@pytest.mark.parametrize(("what", "parts", "invited", "attended"), TRAPS,
                         ids=[c[0] for c in TRAPS])
def test_figures_that_are_not_attendance_stay_empty_and_flagged(
        tmp_path, what, parts, invited, attended):
    r = _minutes(tmp_path, parts)
    assert (r.invited, r.attended) == (invited, attended), what
    assert "missing_attendance" in _codes(r)


def test_a_total_is_taken_as_invited_only_when_the_printed_rate_is_counted_against_it(
        tmp_path):
    r = _minutes(tmp_path, ["Tổng số hộ: 180 hộ; có mặt 150 hộ, đạt 83,3%."])
    assert (r.invited, r.attended) == (180, 150)
    assert "invited_from_total" in _codes(r) and "missing_attendance" not in _codes(r)
    r = _minutes(tmp_path, ["Tổng số hộ: 180 hộ; có mặt 150 hộ, đạt 90%."], name="b.docx")
    assert (r.invited, r.attended) == (None, 150) and "missing_attendance" in _codes(r)


def test_a_printed_rate_that_disagrees_with_the_counts_is_flagged(tmp_path):
    r = _minutes(tmp_path, ["Số hộ được mời 131, có mặt 113, đạt 68,5%."])
    assert (r.invited, r.attended) == (131, 113)
    assert "percentage_mismatch" in _codes(r)


def test_two_different_figures_for_the_same_count_are_a_conflict(tmp_path):
    r = _minutes(tmp_path, ["Số hộ được mời: 150 hộ; có mặt: 112 hộ.",
                            _table([["Số hộ được mời", "150"], ["Số hộ có mặt", "121"]])])
    assert "attendance_conflict" in _codes(r)


DATES = [
    ("ngày … tháng … năm …", "Vào hồi 19h30 ngày 08 tháng 01 năm 2023, tại nhà văn hóa.",
     dt.date(2023, 1, 8)),
    ("dd-mm-yy", "Thời gian: 19h30, 08-01-23.", dt.date(2023, 1, 8)),
    ("the lunar date in words first, the solar one after 'tức'",
     "Hồi 19h30 tối ngày 17 tháng Chạp năm Nhâm Dần (tức ngày 08/01/2023).",
     dt.date(2023, 1, 8)),
    ("the date of the plan the meeting carries out is not the meeting's",
     "Thực hiện Kế hoạch số 12/KH-MTTQ ngày 20/12/2022 của Ban Thường trực, hồi 19h30 ngày "
     "08/01/2023, Ban công tác Mặt trận tổ chức hội nghị.", dt.date(2023, 1, 8)),
    ("year first", "Thời gian: 19h30 ngày 2023-01-08.", dt.date(2023, 1, 8)),
    ("'ngày mồng'", "Vào hồi 19h30 ngày mồng 8 tháng 1 năm 2023.", dt.date(2023, 1, 8)),
    ("day, month, year without 'ngày'", "Hồi 19h30, Chủ nhật, 08 tháng 01 năm 2023.",
     dt.date(2023, 1, 8)),
    ("dd.mm.yyyy after 'giờ … phút'", "Hồi 19 giờ 30 phút, ngày 14.01.2023.",
     dt.date(2023, 1, 14)),
    ("'Hôm nay, ngày …' is the meeting, not the place line",
     "Hôm nay, ngày 08 tháng 01 năm 2023, hồi 19h30, tổ dân phố tổ chức hội nghị.",
     dt.date(2023, 1, 8)),
    ("the lunar date after 'tức' is left out",
     "Vào lúc 19h00 ngày 15/01/2023 (tức ngày 24/12/2022 âm lịch).", dt.date(2023, 1, 15)),
    ("the lunar date first, the solar one after 'tức'",
     "Tối ngày 24/12/2022 (ÂL), tức ngày 15/01/2023, tại nhà văn hóa.", dt.date(2023, 1, 15)),
]


@pytest.mark.parametrize(("what", "line", "date"), DATES, ids=[c[0] for c in DATES])
def test_the_meeting_date_in_the_forms_secretaries_write(tmp_path, what, line, date):
    r = _minutes(tmp_path, ["Số hộ được mời: 150 hộ; có mặt: 112 hộ."], date_line=line)
    assert r.date == date, what


def test_the_meeting_date_wins_over_the_date_the_minutes_were_signed(tmp_path):
    doc_line = "Hôm nay, ngày 08/01/2023, hồi 19h30, tổ dân phố số 3 tổ chức hội nghị."
    r = _minutes(tmp_path, ["Quỳnh Mai, ngày 09 tháng 01 năm 2023",
                            "Số hộ được mời: 150 hộ; có mặt: 112 hộ."], date_line=doc_line)
    assert r.date == dt.date(2023, 1, 8)


def test_a_meeting_day_without_its_year_takes_the_year_of_the_signing_date(tmp_path):
    r = _minutes(tmp_path, ["Số hộ được mời: 150 hộ; có mặt: 112 hộ.",
                            "Quỳnh Mai, ngày 02 tháng 01 năm 2023"],
                 date_line="Thời gian: 19h30 tối thứ Bảy, ngày 31/12, tại nhà văn hóa.")
    assert r.date == dt.date(2022, 12, 31)
    # signed months later: the meeting's year is not certain, and the signing date is not
    # the meeting's: left empty and flagged
    r = _minutes(tmp_path, ["Số hộ được mời: 150 hộ; có mặt: 112 hộ.",
                            "Quỳnh Mai, ngày 02 tháng 06 năm 2023"],
                 date_line="Thời gian: 19h30 tối thứ Bảy, ngày 31/12, tại nhà văn hóa.",
                 name="b.docx")
    assert r.date is None and "missing_date" in _codes(r)


def test_a_legal_basis_alone_gives_no_meeting_date(tmp_path):
    r = _minutes(tmp_path, ["Số hộ được mời: 150 hộ; có mặt: 112 hộ."],
                 date_line="Căn cứ Hướng dẫn số 05/HD-MTTQ ngày 02/12/2022 của Ủy ban MTTQ "
                           "phường;")
    assert r.date is None and "missing_date" in _codes(r)


def test_no_date_is_left_empty_and_flagged(tmp_path):
    r = _minutes(tmp_path, ["Số hộ được mời: 150 hộ; có mặt: 112 hộ."],
                 date_line="Thời gian: buổi tối, tại nhà văn hóa (tức ngày 24/12/2022 âm lịch).")
    assert r.date is None and "missing_date" in _codes(r)


def test_ward_and_group_from_the_file_name_when_the_header_is_silent(tmp_path):
    doc = md.new(group=None)
    md.para(doc, "BIÊN BẢN HỘI NGHỊ ĐẠI BIỂU NHÂN DÂN")
    md.para(doc, "Hồi 19h30 ngày 10/01/2023, tại nhà văn hóa, hội nghị được tổ chức.")
    md.para(doc, "Số hộ được mời: 150 hộ; có mặt: 112 hộ.")
    md.para(doc, "Ý kiến:")
    md.para(doc, "- Đề nghị sửa mặt ngõ bị sụt lún trước mùa mưa năm nay.")
    r = read_document(md.save(doc, tmp_path / "TDP 12 - Thanh Nhan.docx"))
    assert (r.ward_name, r.group) == ("Thanh Nhàn", "12")


def _summary_head(doc, title: str, subtitle: str) -> None:
    md.table(doc, [["ỦY BAN MTTQ VIỆT NAM\nPHƯỜNG THANH NHÀN\nBAN THƯỜNG TRỰC",
                    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"],
                   ["", "Thanh Nhàn, ngày 10 tháng 3 năm 2023"]])
    md.para(doc, title)
    md.para(doc, subtitle)


def test_a_report_titled_bao_cao_over_a_line_naming_the_opinions_is_a_ward_summary(tmp_path):
    doc = md.new(group=None)
    _summary_head(doc, "BÁO CÁO", "Kết quả hội nghị đại biểu Nhân dân năm 2023 và tổng hợp ý "
                                  "kiến, kiến nghị của Nhân dân")
    md.para(doc, "Từ ngày 03/01/2023 đến ngày 26/02/2023, các tổ dân phố đã tổ chức hội nghị:")
    md.table(doc, [["Số TDP", "Hộ được mời", "Hộ tham dự", "Tỷ lệ"],
                   ["25/25", "5.120", "3.870", "75,6%"]])
    md.para(doc, "Ý KIẾN, KIẾN NGHỊ CỦA NHÂN DÂN")
    md.para(doc, "1. Về trật tự đô thị:")
    md.para(doc, "- Xử lý lấn chiếm vỉa hè phố Thanh Nhàn. (Tổ dân phố số 3, 5)")
    md.para(doc, "- Lắp đèn tín hiệu ở ngã tư Kim Ngưu. (Tổ dân phố số 12)")
    md.para(doc, "Ban Thường trực Ủy ban MTTQ phường kính đề nghị UBND phường xem xét, giải "
                 "quyết.")
    r = read_document(md.save(doc, tmp_path / "bao cao phuong.docx"))
    assert r.kind == "ward_summary" and r.ward_name == "Thanh Nhàn"
    assert (r.date, r.invited, r.attended) == (dt.date(2023, 3, 10), 5120, 3870)
    assert [(o.text, o.groups) for o in r.opinions] == [
        ("Xử lý lấn chiếm vỉa hè phố Thanh Nhàn.", ["3", "5"]),
        ("Lắp đèn tín hiệu ở ngã tư Kim Ngưu.", ["12"])]


def test_a_summary_without_an_opening_line_starts_at_its_first_marked_item(tmp_path):
    doc = md.new(group=None)
    _summary_head(doc, "TỔNG HỢP Ý KIẾN, KIẾN NGHỊ CỦA NHÂN DÂN",
                  "Tại hội nghị đại biểu Nhân dân các tổ dân phố năm 2023")
    md.para(doc, "25/25 tổ dân phố tổ chức hội nghị; số hộ được mời 5.120 hộ, số hộ tham dự "
                 "3.870 hộ, đạt 75,6%.")
    md.para(doc, "I. Về trật tự đô thị")
    md.para(doc, "1. Tổ 3, 5: Đề nghị xử lý lấn chiếm vỉa hè phố Thanh Nhàn.")
    md.para(doc, "II. Về môi trường")
    md.para(doc, "1. Đề nghị thu gom rác đúng giờ [Tổ 7, 9].")
    md.para(doc, "Trên đây là tổng hợp ý kiến, kiến nghị của Nhân dân.")
    r = read_document(md.save(doc, tmp_path / "tong hop.docx"))
    assert (r.invited, r.attended) == (5120, 3870) and "percentage_mismatch" not in _codes(r)
    assert [(o.text, o.groups) for o in r.opinions] == [
        ("Đề nghị xử lý lấn chiếm vỉa hè phố Thanh Nhàn.", ["3", "5"]),
        ("Đề nghị thu gom rác đúng giờ.", ["7", "9"])]


def test_answers_written_in_after_an_opinion_are_not_part_of_it(tmp_path):
    doc = md.new("QUỲNH MAI", 3)
    md.para(doc, "BIÊN BẢN HỘI NGHỊ ĐẠI BIỂU NHÂN DÂN")
    md.para(doc, "Hồi 19h30 ngày 10/01/2023 tại nhà văn hóa. Số hộ được mời 150, có mặt 112.")
    md.para(doc, "Thảo luận:")
    md.para(doc, "Bà Đỗ Thu Mai phát biểu: Vỉa hè trước chợ bị lấn chiếm. Đề nghị phường dẹp. "
                 "(Phường đã lên kế hoạch ra quân trong tháng 3.)")
    md.para(doc, "Ông Vũ Văn Hải phát biểu: Đề nghị thêm thùng rác ở đầu ngõ. (Tổ 3, 5)")
    md.para(doc, "Đồng chí Tổ trưởng tiếp thu các ý kiến và sẽ báo cáo phường.")
    md.para(doc, "IV. Hội nghị thống nhất thông qua báo cáo và các kiến nghị.")
    r = read_document(md.save(doc, tmp_path / "bb.docx"))
    assert [o.text for o in r.opinions] == [
        "Vỉa hè trước chợ bị lấn chiếm. Đề nghị phường dẹp.",
        "Đề nghị thêm thùng rác ở đầu ngõ. (Tổ 3, 5)"]
    assert r.opinions[0].response == "Phường đã lên kế hoạch ra quân trong tháng 3."

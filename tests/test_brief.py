"""The leadership brief on small hand-made years whose answers can be checked by hand."""

from __future__ import annotations

import re

import pandas as pd

from hbt_analysis import brief
from hbt_analysis.scope import Scope

WARDS = pd.DataFrame({"ward_code": ["00241", "00244"], "ward_name": ["Nguyễn Du", "Bạch Đằng"]})
NAMES = dict(zip(WARDS.ward_code, WARDS.ward_name, strict=True))


class FakeYear:
    """A loaded year's attributes, made by hand."""

    def __init__(self, year: int, groups: list[tuple], wards: list[tuple],
                 opinions: list[tuple] = ()) -> None:
        gc = pd.DataFrame(groups, columns=["ward_code", "group_code", "households_invited",
                                           "households_attended", "opinions_count"])
        gc["group_name"] = "Tổ " + gc["group_code"].str[-2:]
        gc["ward_name"] = gc["ward_code"].map(NAMES)
        gc["conference_date"] = pd.Timestamp(f"{year}-01-10")
        self.year, self.group_conferences, self.wards = year, gc, WARDS
        self.ward_conferences = pd.DataFrame(wards, columns=[
            "ward_code", "households_invited", "households_attended", "opinions_count"])
        self.opinions = pd.DataFrame(list(opinions), columns=[
            "opinion_id", "level", "ward_code", "group_code", "text", "status"])
        self.content_hash, self.synthetic = f"fake{year}", True

    def ward_name(self, code: str | None) -> str:
        return NAMES.get(code, "Toàn quận")


PREV = FakeYear(2022, [("00241", "00241-TDP01", 100, 60, 2), ("00244", "00244-TDP01", 100, 70, 1)],
                [("00241", 10, 9, 1), ("00244", 10, 10, 0)])
NOW = FakeYear(2023, [("00241", "00241-TDP01", 100, 80, 3), ("00244", "00244-TDP01", 100, 70, 0)],
               [("00241", 10, 10, 2), ("00244", 10, 10, 0)])


def scope(ds: FakeYear, previous: FakeYear | None, ward: str | None = None,
          lang: str = "vi") -> Scope:
    return Scope(ds.year, ward, lang, ds, prior=previous)


def test_cards_give_the_headline_figures_and_the_change_in_points():
    cards = brief.cards(scope(NOW, PREV))
    assert [(c.value, c.label) for c in cards] == [
        ("150", "hộ dự hội nghị tổ dân phố"), ("75,0%", "tỷ lệ hộ dự (tổ dân phố)"),
        ("100,0%", "tỷ lệ dự hội nghị cấp phường"), ("5", "ý kiến, kiến nghị")]
    assert cards[1].note == "tăng 10,0 điểm % so với 2022"
    assert cards[2].note == "20/20 đại biểu"
    assert cards[3].note == "3 ở tổ dân phố, 2 ở phường"


def test_a_small_count_is_written_as_a_count_not_a_share():
    ward = brief.cards(scope(NOW, PREV, ward="00241"))  # 10/10 at ward level: a share
    assert ward[2].value == "100,0%"
    small = FakeYear(2023, [("00241", "00241-TDP01", 8, 6, 0)], [("00241", 7, 5, 0)])
    cards = brief.cards(scope(small, None))
    assert cards[1].value == "6/8" and cards[2].value == "5/7"
    assert cards[1].note == "năm đầu có dữ liệu"
    assert brief.share_text(3, 7) == "3/7" and brief.share_text(7, 10) == "70,0%"


def test_share_resolved_only_where_the_data_record_an_outcome():
    assert all(c.label != "ý kiến đã giải quyết" for c in brief.cards(scope(NOW, PREV)))
    ops = [(f"o{i}", "to_dan_pho", "00241", "00241-TDP01", "Đề nghị sửa đường ngõ 5.",
            "Đã giải quyết" if i < 9 else "Đang giải quyết") for i in range(12)]
    with_status = FakeYear(2023, [("00241", "00241-TDP01", 100, 80, 12)],
                           [("00241", 10, 10, 0)], ops)
    cards = brief.cards(scope(with_status, None))
    assert (cards[-1].value, cards[-1].label) == ("75,0%", "ý kiến đã giải quyết")
    assert cards[-1].note == "trong 12 ý kiến có ghi kết quả"


def test_attention_names_only_the_groups_unusually_low_for_their_size():
    groups = [("00241", f"00241-TDP{i:02d}", 200, 132 + (i % 5) * 4, 0) for i in range(1, 21)]
    groups.append(("00244", "00244-TDP01", 200, 40, 0))  # 20% against ~68%: far below
    ds = FakeYear(2023, groups, [("00241", 10, 10, 0)])
    text = brief.attention_bullet(scope(ds, None), brief.BriefOptions())
    assert text.startswith("Cần quan tâm: 1 tổ dân phố có tỷ lệ dự thấp bất thường so với các tổ "
                           "cùng quy mô — Tổ 01, Bạch Đằng (20,0%).")
    assert "Phường có tỷ lệ thấp nhất: Bạch Đằng (20,0%)." in text
    calm = brief.attention_bullet(scope(NOW, PREV, ward="00241"), brief.BriefOptions())
    assert calm.startswith("Không có tổ dân phố nào")
    assert "Phường có tỷ lệ thấp nhất" not in calm  # a ward's brief names no ward


def test_change_against_the_previous_year_in_plain_words():
    text = brief.change_bullet(scope(NOW, PREV), brief.BriefOptions())
    assert text == ("So với năm 2022: tỷ lệ dự 65,0% → 75,0% (tăng 10,0 điểm %); số hộ dự 130 → "
                    "150; số ý kiến 3 → 3.")
    fall = brief.change_bullet(scope(PREV, NOW), brief.BriefOptions())
    assert "số hộ dự 150 → 130;" in fall and not re.search(r"số hộ dự [-+]", fall)
    assert "(giảm 10,0 điểm %)" in fall and not re.search(r"\([-+]", fall)
    first = brief.change_bullet(scope(PREV, None), brief.BriefOptions())
    assert first == "Năm 2022 là năm đầu tiên có dữ liệu: chưa có năm trước để so sánh."
    assert brief.change_bullet(scope(NOW, PREV, lang="en"), brief.BriefOptions()).startswith(
        "Against 2022: rate 65.0% → 75.0% (up 10.0 pp)")


def test_topics_name_the_most_raised_with_counts_and_one_masked_example():
    texts = ["Rác thải ùn ứ ở đầu ngõ 12, đề nghị thu gom đúng giờ, liên hệ 0912 345 678.",
             "Đề nghị tăng chuyến thu gom rác ở ngõ 7.", "Rác thải tập kết sai giờ ở chợ.",
             "Đề nghị lắp đèn chiếu sáng ngõ 3, tối quá đi lại khó."]
    ops = [(f"o{i}", "to_dan_pho", "00241", "00241-TDP01", t, None) for i, t in enumerate(texts)]
    ds = FakeYear(2023, [("00241", "00241-TDP01", 100, 80, 4)], [("00241", 10, 10, 0)], ops)
    text = brief.topics_bullet(scope(ds, None), brief.BriefOptions())
    assert text.startswith("Nhân dân nêu nhiều nhất về: Vệ sinh môi trường (3 ý kiến)")
    assert "%" not in text.split(" Ví dụ")[0]  # 4 opinions: counts, not shares
    assert " Ví dụ: “" in text and "0912 345 678" not in text
    quiet = brief.topics_bullet(scope(ds, None), brief.BriefOptions(verbatim=False))
    assert "Ví dụ" not in quiet


def test_a_new_sentence_is_one_function_in_the_list():
    def requests(s, options):
        return f"Kiến nghị của {s.name}."

    s = scope(NOW, PREV, ward="00244")
    out = brief.bullets(s, which=[requests, *brief.BULLETS])
    assert out[0] == "Kiến nghị của phường Bạch Đằng." and len(out) == 1 + len(brief.bullets(s))

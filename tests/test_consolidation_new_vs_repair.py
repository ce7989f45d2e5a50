"""A new one asked and a repair asked are two requests, even where one names no action
(issue 11, session 22: what fresh authors' sets kept apart and the machine merged)."""

from __future__ import annotations

import pandas as pd
import pytest

from hbt_analysis.opinions import similarity as sim
from hbt_analysis.opinions.yearly import YearRequests


@pytest.mark.parametrize("text, broken, absent", [
    ("Đèn ngõ 42 tắt ngúm cả tuần nay.", True, False),
    ("Den ngo 42 tat ngum ca tuan nay, di lai rat so.", True, False),
    ("Bóng đèn ngõ 9 hỏng, tối đen như mực.", True, False),
    ("Máy tập ở vườn hoa gãy tay cầm, han gỉ.", True, False),
    ("Nhà văn hoá tổ xuống cấp, mưa là dột.", True, False),
    ("Bà con mong có chỗ sinh hoạt chung, các hội không có nơi hội họp.", False, True),
    ("Người cao tuổi muốn có vài máy tập ở sân khu tập thể.", False, True),
    # typed without accents, one syllable is another word: "nut" is nút (a junction),
    # "gay" gây; "tat ca" is tất cả
    ("Nut giao Kim Nguu tac cung gio cao diem, de nghi phan luong.", False, False),
    ("Cong truong gay on ca dem, tat ca cac ho deu mat ngu.", False, False),
    ("Đề nghị lắp thêm đèn chiếu sáng cho ngách 31.", False, False),
])
def test_what_an_opinion_says_of_its_objects_state(text, broken, absent):
    concepts = sim.request_concepts(text)
    assert (concepts.broken, concepts.absent) == (broken, absent)


def _frame(texts: list[tuple[str, str]]) -> pd.DataFrame:
    """One opinion per group, in as many wards as the list names, all of one topic."""
    return pd.DataFrame({
        "opinion_id": [f"o{i}" for i in range(len(texts))], "year": 2023,
        "level": "to_dan_pho", "ward_code": [w for w, _ in texts],
        "group_code": [f"{w}-TDP{i:02d}" for i, (w, _) in enumerate(texts)],
        "topic_primary": "ha_tang", "text": [t for _, t in texts]})


def _items(texts: list[tuple[str, str]]) -> list[str]:
    _, members = YearRequests(_frame(texts), 2023).items("area")
    return members.set_index("opinion_id").loc[[f"o{i}" for i in range(len(texts))],
                                               "item"].tolist()


def test_lamps_out_and_lamps_missing_are_two_items():
    """Lamps to install where there are none, lamps out where there are some: the second
    kind often names no action ("tắt ngúm cả tuần nay"), and the two shared one item."""
    item = _items([
        ("00271", "Ngách 42/17 chưa hề có bóng đèn nào, đề nghị lắp mới 2 cột đèn."),
        ("00283", "Đề nghị lắp thêm đèn chiếu sáng ở ngách 31/2, hiện cả ngách không có đèn."),
        ("00286", "Bà con mong được lắp đèn cho đoạn cuối ngõ, xưa nay chưa có đèn công cộng."),
        ("00292", "Đèn ngõ 42 Thanh Nhàn tắt ngúm cả tuần nay."),
        ("00298", "Mấy cột đèn trong ngách 12/250 tắt từ Tết, tối đi về phải soi điện thoại."),
        ("00262", "Bóng đèn đường ngõ 9 hỏng, tối đen như mực."),
    ])
    assert item[0] == item[1] == item[2]
    assert item[3] == item[4] == item[5]
    assert item[0] != item[3]


def test_a_place_to_meet_wished_for_is_not_the_community_house_to_repair():
    """"Mong có chỗ sinh hoạt chung" (there is none) and the repair of a community house
    that leaks are two requests, one of the district, one of the ward."""
    item = _items([
        ("00271", "Bà con mong có chỗ sinh hoạt chung, các hội đoàn thể không có nơi hội họp."),
        ("00283", "Tổ dân phố mong muốn có nhà sinh hoạt cộng đồng, hiện họp phải mượn nhà dân."),
        ("00286", "Nhà văn hoá tổ dột nát, mưa là phải mang chậu hứng."),
        ("00292", "Nhà sinh hoạt cộng đồng của tổ xuống cấp, cửa hỏng, quạt hỏng."),
    ])
    assert item[0] == item[1] != item[2] == item[3]


def test_a_repair_said_two_ways_stays_one_item():
    """The rule parts a new one from a repair, never two ways of asking the repair."""
    item = _items([
        ("00271", "Đèn ngõ 42 Thanh Nhàn tắt ngúm cả tuần nay."),
        ("00283", "Đề nghị thay bóng đèn hỏng ở ngõ 651 Minh Khai."),
        ("00286", "Đèn chiếu sáng ngõ 35 chập chờn, đề nghị sửa chữa."),
    ])
    assert item[0] == item[1] == item[2]

"""A ward's own list (issue 11, item 1: "within a ward"): how its items are made from the
district's clustering (ward_items.WARD_SPLIT_GROUP_TWICE; session 22)."""

from __future__ import annotations

import pandas as pd
import pytest

from hbt_analysis.opinions import ward_items
from hbt_analysis.opinions.yearly import YearRequests

#: Other wards' lamp requests, each asking both repair and new lamps: close to a repair and
#: to a new lamp alike, so the district's clustering puts every lamp opinion in one item.
_OTHER_WARDS = [
    ("00286", 2, "Đèn chiếu sáng trong ngõ hỏng, tối om, đề nghị sửa chữa, thay bóng, lắp bổ "
                 "sung đèn."),
    ("00286", 5, "Đề nghị sửa chữa, lắp bổ sung đèn chiếu sáng trong ngõ, nhiều bóng hỏng, tối "
                 "om."),
    ("00283", 1, "Đèn chiếu sáng ngõ tối om, nhiều bóng hỏng, đề nghị thay bóng và lắp thêm đèn."),
    ("00283", 3, "Đề nghị thay bóng đèn hỏng, lắp bổ sung đèn chiếu sáng cho ngõ tối om."),
]


#: TDP 4 asks both to replace the burnt-out lamps of ngõ 281 and to put lamps where it has
#: none (two requests, as its conference listed them); TDP 7 asks the repair.
_ONE_GROUP_TWICE = [
    ("00271", 4, "Mấy bóng đèn chiếu sáng trong ngõ 281 cháy từ tháng trước, tối om, đề "
                 "nghị thay bóng."),
    ("00271", 4, "Đoạn cuối ngõ 281 chưa có bóng đèn nào, đề nghị lắp mới đèn chiếu sáng."),
    ("00271", 7, "Đèn chiếu sáng ngõ 281 hỏng mấy bóng, tối đi lại rất sợ, đề nghị sửa."),
]


def _items(rows: list[tuple[str, int, str]]) -> tuple[pd.Series, pd.Series]:
    """(area item, ward item) of each opinion o0, o1, … through the year's pipeline."""
    frame = pd.DataFrame({
        "opinion_id": [f"o{i}" for i in range(len(rows))], "year": 2023,
        "level": "to_dan_pho", "ward_code": [r[0] for r in rows],
        "group_code": [f"{r[0]}-TDP{r[1]:02d}" for r in rows],
        "topic_primary": "ha_tang", "text": [r[2] for r in rows]})
    yr = YearRequests(frame, 2023)
    return (yr.items("area")[1].set_index("opinion_id")["item"],
            yr.items("ward")[1].set_index("opinion_id")["item"])


def test_two_requests_of_one_group_at_one_place_are_two_ward_items():
    """TDP 4 asks both to replace the burnt-out lamps of ngõ 281 and to put lamps where it
    has none: two requests, as its conference listed them. The district joins both with
    TDP 7's repair (other wards ask both at once); the ward's list keeps the group's two
    apart and its repair with TDP 7's."""
    area, ward = _items([*_ONE_GROUP_TWICE, *_OTHER_WARDS])
    assert area["o0"] == area["o1"] == area["o2"] == area["o3"]  # one district item
    assert ward["o0"] == ward["o2"] != ward["o1"]


def test_the_rule_is_what_splits_them(monkeypatch):
    """Without WARD_SPLIT_GROUP_TWICE the ward's piece of the district item stays whole."""
    monkeypatch.setattr(ward_items, "WARD_SPLIT_GROUP_TWICE", False)
    _, ward = _items([*_ONE_GROUP_TWICE, *_OTHER_WARDS])
    assert ward["o0"] == ward["o1"] == ward["o2"]


def test_one_routine_request_raised_for_two_places_stays_one_ward_item():
    """A group that asks the same repair for two of its alleys raises one routine request
    twice, once per place: the ward's item keeps both."""
    area, ward = _items([
        _ONE_GROUP_TWICE[0],
        ("00271", 4, "Đèn chiếu sáng ngõ 12 Kim Ngưu cháy mấy bóng, tối om, đề nghị thay bóng."),
        ("00271", 7, "Đèn chiếu sáng ngõ 35 hỏng mấy bóng, tối đi lại rất sợ, đề nghị sửa."),
        *_OTHER_WARDS,
    ])
    assert area["o0"] == area["o1"] == area["o2"]
    assert ward["o0"] == ward["o1"] == ward["o2"]


@pytest.mark.parametrize("second", [
    "Bà con trong tổ bức xúc vì hàng quán lấn chiếm vỉa hè, lòng đường, người đi bộ phải đi "
    "xuống lòng đường.",
    "Cử tri hỏi: bao giờ phường mới ra quân xử lý lấn chiếm vỉa hè, lòng đường?",
])
def test_a_request_recorded_twice_among_many_stays_whole(second):
    """Minutes that record speaker by speaker may list one group's request twice; where the
    ward's other groups make the same request, the piece is close enough to stay one item."""
    rows = [("00271", g, f"Hàng quán lấn chiếm vỉa hè, lòng đường ở tổ {g}, đề nghị phường xử "
                         "lý dứt điểm.") for g in (2, 3, 5, 6, 8)]
    rows.append(("00271", 3, second))
    rows += [(w, g, "Đề nghị phường xử lý lấn chiếm vỉa hè, lòng đường kinh doanh.")
             for w, g in (("00286", 1), ("00283", 2))]
    _, ward = _items(rows)
    assert ward[[f"o{i}" for i in range(6)]].nunique() == 1

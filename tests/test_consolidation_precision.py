"""Different requests kept apart (issue 11, session 21: precision on new authors)."""

from __future__ import annotations

import pandas as pd
import pytest

import hbt_analysis as hbt
from hbt_analysis.opinions import similarity as sim
from hbt_analysis.opinions import ward_items
from tests.conftest import needs_bundled_data


@pytest.mark.parametrize("text, asked", [
    # what was done describes the object; what is asked is the other verb
    ("Camera ở đầu ngõ lắp từ năm 2019 nay đã hỏng, đề nghị sửa.", {"sua_chua"}),
    ("Đề nghị bảo dưỡng hệ thống camera đã lắp ở các ngõ.", {"sua_chua"}),
    ("Đề nghị lắp đèn chiếu sáng cho đoạn ngõ mới mở rộng.", {"lap_moi"}),
    ("Ngõ 5 vừa được lát lại nhưng cứ mưa là ngập, đề nghị làm thêm cống.", {"lap_moi"}),
    ("Nha ben canh dang sua chua, dap pha ca dem, de nghi xu phat", {"giai_toa"}),
    ("Bà con cảm ơn phường đã sửa xong ngõ.", frozenset()),
])
def test_an_action_already_done_is_not_what_is_asked(text, asked):
    assert sim.request_concepts(text).actions == asked


@pytest.mark.parametrize("text, asked", [
    ("Đèn ngõ 12 hỏng đã lâu chưa được sửa.", {"sua_chua"}),
    ("Khu tái định cư mới chưa có cây xanh, đề nghị trồng.", {"lap_moi", "trong_cay"}),
    ("Khu tập thể đã xuống cấp, bao giờ mới được cải tạo?", {"cai_tao"}),
    ("Đề nghị thay cột điện mới hoặc dời sang vị trí khác.", {"sua_chua", "di_doi"}),
    ("Đề nghị đưa ngõ 19 vào kế hoạch cải tạo năm 2025.", {"cai_tao"}),
])
def test_an_action_not_yet_done_or_asked_stays(text, asked):
    assert sim.request_concepts(text).actions == asked


def test_repairing_what_was_installed_is_not_installing():
    repair = sim.request_concepts("Mấy camera lắp từ 2019 ở ngõ đã hỏng, đề nghị sửa.")
    install = sim.request_concepts("Đề nghị lắp camera an ninh ở các đầu ngõ.")
    assert sim.concept_conflict(repair, install) == (False, True)


@needs_bundled_data
def test_a_wards_items_are_the_areas_items_cut_to_the_ward(monkeypatch):
    """A ward's list groups its opinions as the district's list does: each ward item is
    the members of one area item raised in that ward (below AREA_AT_ONCE requests); the
    area's clustering is computed once for both and gives what it gives alone."""
    from hbt_analysis.opinions.yearly import YearRequests, year_requests

    monkeypatch.setenv("HBT_NO_DISK_CACHE", "1")
    yr = year_requests(hbt.load(2023))
    _, ward = yr.items("ward")
    _, area = yr.items("area")
    alone = YearRequests(yr.opinions, 2023)
    pd.testing.assert_frame_equal(alone.items("area")[1], area)
    area_item = dict(zip(area["opinion_id"], area["item"], strict=True))
    ward_of = dict(zip(area["opinion_id"], area["ward_code"], strict=True))
    by_ward_item = ward.groupby("item")["opinion_id"].apply(frozenset)
    by_area_and_ward = {}
    for oid in area["opinion_id"]:
        by_area_and_ward.setdefault((area_item[oid], ward_of[oid]), set()).add(oid)
    pieces = {frozenset(m) for m in by_area_and_ward.values()}
    # each piece is in one ward item (with others joined at one place), unless it holds two
    # opinions of one group (WARD_SPLIT_GROUP_TWICE); each ward item is within one ward
    ward_item = dict(zip(ward["opinion_id"], ward["item"], strict=True))
    group_of = dict(zip(yr.opinions["opinion_id"], yr.opinions["group_code"], strict=True))
    split = [p for p in pieces if len({ward_item[o] for o in p}) > 1]
    assert set(by_ward_item) and len(split) < len(pieces) / 10
    assert all(len({group_of[o] for o in p}) < len(p) for p in split)
    assert all(len({ward_of[o] for o in m}) == 1 for m in by_ward_item)
    assert sum(len(m) for m in by_ward_item) == sum(len(p) for p in pieces)
    monkeypatch.setattr(ward_items, "WARD_JOIN_AT_ONE_PLACE", False)
    monkeypatch.setattr(ward_items, "WARD_SPLIT_GROUP_TWICE", False)
    cut = YearRequests(yr.opinions, 2023).items("ward")[1]
    assert set(cut.groupby("item")["opinion_id"].apply(frozenset)) == pieces


def _market_frame(ward_market: str):
    """Two groups of one ward on one market (chợ Đồng Tâm): rubbish and waste water from it,
    and its management's cleaning. Two other wards raise waste water from eateries and
    cleaning at their own markets: the area keeps those two routine requests apart."""
    rows = [
        ("00271", 3, "Rác thải và nước thải từ khu chợ Đồng Tâm chảy ra đường phố Vọng, mùi "
                     "hôi, đề nghị xử lý."),
        ("00271", 5, f"Đề nghị ban quản lý chợ {ward_market} làm tốt vệ sinh, cuối buổi chợ "
                     "rác vứt bừa bãi."),
        ("00286", 2, "Nước thải các quán ăn chảy tràn ra đường, mùi hôi, đề nghị xử lý."),
        ("00286", 4, "Cống thoát nước thải ngõ 12 Bạch Mai tắc, nước thải tràn ra đường bốc "
                     "mùi."),
        ("00283", 1, "Đề nghị ban quản lý chợ Mơ làm tốt vệ sinh, cuối buổi chợ rác vứt bừa "
                     "bãi."),
        ("00283", 6, "Cuối buổi chợ Hôm rác vứt bừa bãi, đề nghị ban quản lý chợ dọn vệ sinh."),
    ]
    return pd.DataFrame({
        "opinion_id": [f"o{i}" for i in range(len(rows))], "year": 2023,
        "level": "to_dan_pho", "ward_code": [r[0] for r in rows],
        "group_code": [f"{r[0]}-TDP{r[1]:02d}" for r in rows],
        "topic_primary": "moi_truong", "text": [r[2] for r in rows]})


def test_one_wards_request_about_one_site_is_one_ward_item():
    """The area puts the ward's two opinions on chợ Đồng Tâm into two routine items (waste
    water; market cleaning), each with other wards' opinions; in the ward's own list they
    name one place and are close enough: one item. Two different markets stay apart."""
    from hbt_analysis.opinions.yearly import YearRequests

    yr = YearRequests(_market_frame("Đồng Tâm"), 2023)
    area = yr.items("area")[1].set_index("opinion_id")["item"]
    ward = yr.items("ward")[1].set_index("opinion_id")["item"]
    assert area["o0"] == area["o2"] != area["o1"] == area["o4"]
    assert ward["o0"] == ward["o1"]
    assert ward["o2"] == ward["o3"] != ward["o0"] and ward["o4"] == ward["o5"] != ward["o0"]
    other = YearRequests(_market_frame("Hàng Da"), 2023).items("ward")[1]
    other = other.set_index("opinion_id")["item"]
    assert other["o0"] != other["o1"]

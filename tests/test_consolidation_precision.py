"""Different requests kept apart (issue 11, session 21: precision on new authors)."""

from __future__ import annotations

import pandas as pd
import pytest

import hbt_analysis as hbt
from hbt_analysis.opinions import similarity as sim
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
    assert set(by_ward_item) and {frozenset(m) for m in by_area_and_ward.values()} == set(
        by_ward_item)

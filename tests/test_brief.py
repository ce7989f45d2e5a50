"""The leadership brief on small hand-made years whose answers can be checked by hand."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from hbt_analysis import brief

WARDS = pd.DataFrame({"ward_code": ["00241", "00244"], "ward_name": ["Nguyễn Du", "Bạch Đằng"]})


def _year(year: int, groups: list[tuple], wards: list[tuple]) -> SimpleNamespace:
    gc = pd.DataFrame(groups, columns=["ward_code", "group_code", "households_invited",
                                       "households_attended", "opinions_count"])
    gc["group_name"] = "Tổ " + gc["group_code"].str[-2:]
    gc["ward_name"] = gc["ward_code"].map(dict(zip(WARDS.ward_code, WARDS.ward_name, strict=True)))
    wc = pd.DataFrame(wards, columns=["ward_code", "households_invited", "households_attended",
                                      "opinions_count"])
    return SimpleNamespace(year=year, group_conferences=gc, ward_conferences=wc, wards=WARDS)


PREV = _year(2022, [("00241", "00241-TDP01", 100, 60, 2), ("00244", "00244-TDP01", 100, 70, 1)],
             [("00241", 10, 9, 1), ("00244", 10, 10, 0)])
NOW = _year(2023, [("00241", "00241-TDP01", 100, 80, 3), ("00244", "00244-TDP01", 100, 70, 0)],
            [("00241", 10, 10, 2), ("00244", 10, 10, 0)])


def test_kpi_table_puts_both_years_and_the_change_side_by_side():
    table = brief.kpi_table(NOW, PREV).set_index("Chỉ tiêu")
    assert table.loc["Số hộ dự (cấp tổ dân phố)"].tolist() == ["130", "150", "+20"]
    assert table.loc["Tỷ lệ hộ dự (cấp tổ dân phố)"].tolist() == ["65,0%", "75,0%", "+10,0 điểm %"]
    assert table.loc["Tỷ lệ dự (cấp phường)"].tolist() == ["95,0%", "100,0%", "+5,0 điểm %"]
    assert table.loc["Số ý kiến (cấp tổ dân phố)"].tolist() == ["3", "3", "0"]


def test_kpi_table_for_a_ward_and_without_a_previous_year():
    table = brief.kpi_table(NOW, None, ward="00241", lang="en")
    assert list(table.columns) == ["Indicator", "2023"]
    assert table.set_index("Indicator").loc["Attendance rate (group level)", "2023"] == "80.0%"


def test_headline_compares_with_last_year_in_points():
    assert brief.headline(NOW, PREV) == (
        "Quận Hai Bà Trưng năm 2023: 2 tổ dân phố họp, 150 hộ dự, đạt 75,0% "
        "(+10,0 điểm % so với năm 2022)."
    )


def test_a_scope_without_groups_says_so():
    empty = _year(2023, [("00241", "00241-TDP01", 100, 80, 0)], [("00241", 10, 10, 0)])
    assert "không có số liệu" in brief.headline(empty, None, ward="00244")


def test_attention_groups_lists_only_groups_below_the_funnel_limits():
    groups = [("00241", f"00241-TDP{i:02d}", 200, 140, 0) for i in range(1, 11)]
    groups.append(("00244", "00244-TDP01", 200, 60, 0))  # 30% against ~66%: far below
    ds = _year(2023, groups, [("00241", 10, 10, 0)])
    table = brief.attention_groups(ds)
    assert table["Tổ dân phố"].tolist() == ["Tổ 01 (00244-TDP01)"]
    assert table["Mức"].iloc[0] == "dưới giới hạn 99,8%"
    assert brief.attention_sentence(table).startswith("1 tổ dân phố có tỷ lệ dự dưới giới hạn")
    assert "Không có" in brief.attention_sentence(brief.attention_groups(NOW))

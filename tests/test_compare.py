"""Year-on-year comparison on small hand-made datasets whose answers are checked by hand."""

from __future__ import annotations

import math
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from hbt_analysis import compare as cmp
from hbt_analysis.fmt import fmt_pp
from hbt_analysis.stats import wilson_interval


def groups(rows: list[tuple], year: int) -> pd.DataFrame:
    """rows: (group_code, invited, attended, opinions); ward = the code's first 5 chars."""
    return pd.DataFrame(
        {
            "year": year,
            "ward_code": [r[0][:5] for r in rows],
            "ward_name": [f"W{r[0][3:5]}" for r in rows],
            "group_code": [r[0] for r in rows],
            "group_name": [f"Tổ {r[0][-2:]}" for r in rows],
            "conference_date": pd.Timestamp(f"{year}-01-15"),
            "households_invited": pd.array([r[1] for r in rows], dtype="Int64"),
            "households_attended": pd.array([r[2] for r in rows], dtype="Int64"),
            "opinions_count": pd.array([r[3] for r in rows], dtype="Int64"),
        }
    )


def dataset(year, gc, published=None, ward_rows=None):
    wc = pd.DataFrame(ward_rows or [], columns=["ward_code", "households_invited",
                                                "households_attended", "opinions_count"])
    wc["year"] = year
    wc["ward_name"] = "x"
    wards = pd.DataFrame({"ward_code": ["00241", "00244"], "ward_name": ["W41", "W44"]})
    if published is None:
        published = pd.DataFrame(columns=["year", "level", "units_held", "households_invited",
                                          "households_attended", "attended_qualifier",
                                          "rate_pct", "opinions"])
    return SimpleNamespace(year=year, group_conferences=gc, ward_conferences=wc,
                           published=published, wards=wards, synthetic=True)


# Ward 00241: base 100 invited / 80 attended (0.8), new 50/40 (0.8).
# Ward 00244: base 100/40 (0.4), new 150/75 (0.5).   District 0.6 -> 0.575.
BASE = groups([("00241-TDP01", 60, 50, 3), ("00241-TDP02", 40, 30, 2),
               ("00244-TDP01", 100, 40, 4)], 2023)
NEW = groups([("00241-TDP01", 50, 40, 1), ("00244-TDP01", 100, 45, 2),
              ("00244-TDP02", 50, 30, 0)], 2024)


def test_decomposition_hand_checked_and_sums():
    parts = cmp.rate_decomposition(BASE, NEW).set_index("ward_code")
    # shares 0.5/0.5 -> 0.25/0.75; rates 0.8->0.8 and 0.4->0.5
    assert parts.loc["00241", "within_part"] == pytest.approx(0.0)
    assert parts.loc["00244", "within_part"] == pytest.approx((0.5 + 0.75) / 2 * 0.1)
    assert parts.loc["00241", "mix_part"] == pytest.approx(0.8 * -0.25)
    assert parts.loc["00244", "mix_part"] == pytest.approx(0.45 * 0.25)
    s = cmp.rate_decomposition_summary(BASE, NEW).iloc[0]
    assert s["rate_base"] == pytest.approx(0.6) and s["rate_new"] == pytest.approx(0.575)
    assert s["within_part"] + s["mix_part"] == pytest.approx(s["total_change"], abs=1e-15)
    assert s["total_change"] == pytest.approx(-0.025)
    text = cmp.decomposition_sentence(cmp.rate_decomposition_summary(BASE, NEW))
    assert text.startswith("Tỷ lệ dự giảm 2,5 điểm % (60,0% → 57,5%): ")
    assert "giảm 8,8 điểm %" in text and not re.search(r"[-+−]\d", text)
    # the within part, rounded by the one formatter, in words
    assert "tăng " + fmt_pp(0.0625).lstrip("+") in text


def test_decomposition_sums_with_units_in_one_year_only():
    rng = np.random.default_rng(7)
    rows_b = [(f"00{241 + i}-TDP01", int(n), int(rng.integers(0, n)), 0)
              for i, n in enumerate(rng.integers(20, 300, 6))]
    rows_n = [(f"00{241 + i}-TDP01", int(n), int(rng.integers(0, n)), 0)
              for i, n in enumerate(rng.integers(20, 300, 8)) if i != 2]
    b, n = groups(rows_b, 2023), groups(rows_n, 2024)
    s = cmp.rate_decomposition_summary(b, n).iloc[0]
    assert s["within_part"] + s["mix_part"] == pytest.approx(s["total_change"], abs=1e-12)
    by_group = cmp.rate_decomposition(b, n, by="group_code")
    assert by_group["total_change"].sum() == pytest.approx(s["total_change"], abs=1e-12)


def test_difference_interval_matches_newcombe():
    # Newcombe (1998) Stat Med 17:873, Table II, method 10 (hybrid score)
    cases = [((56, 70, 48, 80), (0.0524, 0.3339)), ((9, 10, 3, 10), (0.1705, 0.8090)),
             ((6, 7, 2, 7), (0.0582, 0.8062)), ((5, 56, 0, 29), (-0.0381, 0.1926))]
    for args, (lo, hi) in cases:
        got = cmp.difference_interval(*args)
        assert (round(got[0], 4), round(got[1], 4)) == (lo, hi)


def test_paired_changes_and_extremes():
    ch = cmp.paired_changes(BASE, NEW).set_index("group_code")
    assert list(ch.index) == ["00241-TDP01", "00244-TDP01"]  # sorted by change
    assert ch.loc["00244-TDP01", "change"] == pytest.approx(0.45 - 0.40)
    assert ch.loc["00241-TDP01", "change"] == pytest.approx(0.8 - 50 / 60)
    lo, _hi = cmp.difference_interval(45, 100, 40, 100)
    assert ch.loc["00244-TDP01", "change_low"] == pytest.approx(lo)
    assert not ch["significant"].any()
    ch = ch.reset_index()
    assert cmp.most_improved(ch, 1)["group_code"].iloc[0] == "00244-TDP01"
    assert cmp.most_declined(ch, 1)["group_code"].iloc[0] == "00241-TDP01"
    sentence = cmp.paired_sentence(ch)
    assert sentence.startswith("Trong 2 tổ có ở cả hai năm")


def test_membership_new_and_discontinued():
    m = cmp.group_membership(BASE, NEW)
    assert dict(zip(m["group_code"], m["status"], strict=True)) == {
        "00244-TDP02": "new", "00241-TDP02": "discontinued"}
    s = cmp.membership_sentence(m, 2024, 2023)
    assert "Tổ mới năm 2024: Tổ 02 (W44, 00244-TDP02)." in s
    assert "00241-TDP02" in s
    none = cmp.group_membership(BASE, BASE)
    assert none.empty
    assert "Không có tổ mới" in cmp.membership_sentence(none, 2024, 2023)


def test_trends_district_and_ward():
    dsets = [dataset(2024, NEW, ward_rows=[("00241", 10, 9, 1)]),
             dataset(2023, BASE, ward_rows=[("00241", 20, 19, 2), ("00244", 10, 10, 0)])]
    t = cmp.trends(dsets)
    assert list(t["year"]) == [2023, 2024]
    assert list(t["attended"]) == [120, 115] and list(t["invited"]) == [200, 200]
    assert list(t["opinions"]) == [9, 3]
    assert t["ward_attended"].tolist() == [29, 9]
    assert t["ward_rate"].iloc[0] == pytest.approx(29 / 30)
    w = cmp.trends({2023: dsets[1], 2024: dsets[0]}, scope="ward").set_index(["year", "ward_code"])
    assert w.loc[(2024, "00244"), "invited"] == 150
    assert w.loc[(2023, "00241"), "opinions_per_100"] == pytest.approx(100 * 5 / 80)
    one = cmp.trends(dsets, ward="00244")
    assert list(one["attended"]) == [40, 75]
    with pytest.raises(ValueError):
        cmp.trends(dsets, scope="city")


def test_base_year_choice():
    assert cmp.base_year_for(2024, None, [2022, 2023, 2024]) == 2023
    assert cmp.base_year_for(2024, 2022, [2022, 2023, 2024]) == 2022
    assert cmp.base_year_for(2022, None, [2022, 2023, 2024]) is None
    assert cmp.base_year_for(2024, 2019, [2022, 2023, 2024]) is None
    assert "2021" in cmp.no_base_sentence(2022, None)


def test_comparison_sentence():
    b, n = dataset(2023, BASE), dataset(2024, NEW)
    s = cmp.comparison_sentence(b, n)
    assert s == ("So với năm 2023, năm 2024 có 3 → 3 tổ dân phố tổ chức hội nghị; số hộ dự "
                 "120 → 115 (giảm 5); tỷ lệ dự 60,0% → 57,5% (giảm 2,5 điểm %); số ý kiến "
                 "9 → 3.")
    # a leader reads words, not signs: '(-5)' reads as a typo on a phone
    assert not re.search(r"\([-+−]", s)
    en = cmp.comparison_sentence(b, n, "en")
    assert "households attending 120 → 115 (down 5)" in en and "(down 2.5 pp)" in en
    assert "số hộ dự 115 → 120 (tăng 5)" in cmp.comparison_sentence(
        dataset(2023, NEW), dataset(2024, BASE))
    assert cmp.comparison_sentence(b, n, ward="00299") == (
        "Năm 2024 không có dữ liệu hội nghị tổ dân phố của phường 00299.")
    assert cmp.comparison_sentence(None, n) == cmp.no_base_sentence(2024, None)


def test_published_vs_data_never_fills_missing():
    pub = pd.DataFrame({
        "year": [2024], "level": ["to_dan_pho"], "units_held": [3],
        "households_invited": pd.array([pd.NA], dtype="Int64"),
        "households_attended": [100], "attended_qualifier": ["nearly"],
        "rate_pct": [np.nan], "opinions": [3]})
    t = cmp.published_vs_data([dataset(2024, NEW, pub), dataset(2023, BASE)])
    row = t[(t["year"] == 2024) & (t["level"] == "to_dan_pho")].set_index("metric")
    assert pd.isna(row.loc["households_invited", "published"])
    assert row.loc["households_invited", "data"] == 200
    assert pd.isna(row.loc["households_invited", "difference"])
    assert row.loc["households_invited", "note"] == "Chưa công bố"
    assert pd.isna(row.loc["rate_pct", "published"])
    assert row.loc["rate_pct", "note"] == "Chưa công bố"
    assert row.loc["rate_pct", "data"] == pytest.approx(100 * 115 / 200)
    assert "gần" in row.loc["households_attended", "note"]
    assert row.loc["households_attended", "difference"] == 15
    assert row.loc["opinions", "note"] == "Khớp"
    y23 = t[t["year"] == 2023]
    assert y23["published"].isna().all()
    assert (y23["note"] == "Không có số liệu công bố cho năm này").all()


CROSSWALK = pd.DataFrame({
    "old_ward_code": ["00241", "00241", "00244", "00247"],
    "old_ward_name": ["A", "A", "B", "C"],
    "new_ward_name": ["X", "Y", "X", "Y"],
    "part": ["part", "remainder", "whole", "whole"],
    "clause": [1, 2, 1, 2],
})


def test_merger_regroups_whole_wards_and_keeps_split_apart():
    wt = pd.DataFrame({
        "year": 2023, "ward_code": ["00241", "00244", "00247", "00274"],
        "ward_name": ["A", "B", "C", "D"], "groups": [3, 4, 5, 6],
        "invited": [300.0, 400.0, 500.0, 600.0], "attended": [150.0, 300.0, 400.0, 60.0],
        "opinions": [1, 2, 3, 4]})
    r = cmp.regroup_new_wards(wt, CROSSWALK).set_index("new_ward_name")
    assert r.loc["X", "invited"] == 400 and r.loc["X", "old_wards_split"] == "A"
    assert r.loc["Y", "attended"] == 400 and r.loc["Y", "groups"] == 5
    assert not r["complete"].any()  # both receive part of A, which is not allocated
    assert r["invited"].sum() == 900  # A (300) and unmapped D (600) are not shared out
    split = cmp.split_old_wards(wt, CROSSWALK)
    assert split["old_ward_name"].tolist() == ["A"]
    assert split["goes_to"].iloc[0] == "X, Y" and split["invited"].iloc[0] == 300
    assert cmp.unmapped_wards(wt, CROSSWALK)["ward_code"].tolist() == ["00274"]
    assert "không phân bổ" in cmp.merger_note("vi")
    assert "not allocated" in cmp.merger_note("en")


def test_merger_whole_only_new_ward_is_complete():
    wt = pd.DataFrame({"year": [2022, 2023], "ward_code": ["00244", "00244"],
                       "ward_name": ["B", "B"], "groups": [1, 1], "invited": [10.0, 20.0],
                       "attended": [5.0, 10.0], "opinions": [0, 1]})
    cw = CROSSWALK[CROSSWALK["old_ward_code"] == "00244"]
    r = cmp.regroup_new_wards(wt, cw)
    assert r["complete"].all() and r["rate"].tolist() == [0.5, 0.5]
    assert math.isclose(r["ci_low"].iloc[0], wilson_interval(5, 10)[0])

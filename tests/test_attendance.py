"""Attendance statistics against published textbook values and hand-checkable frames."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from hbt_analysis import attendance as att


def make_groups(rows: list[tuple], year: int = 2023) -> pd.DataFrame:
    """rows: (ward_code, group_no, invited, attended, opinions, date)."""
    return pd.DataFrame(
        {
            "year": year,
            "ward_code": [r[0] for r in rows],
            "ward_name": [f"W{r[0][-2:]}" for r in rows],
            "group_code": [f"{r[0]}-TDP{r[1]:02d}" for r in rows],
            "group_name": [f"Tổ {r[1]}" for r in rows],
            "conference_date": pd.to_datetime([r[5] for r in rows]),
            "households_invited": pd.array([r[2] for r in rows], dtype="int64"),
            "households_attended": pd.array([r[3] for r in rows], dtype="int64"),
            "opinions_count": pd.array([r[4] for r in rows], dtype="int64"),
            "notes": pd.NA,
        }
    )


def fake_ds(gc: pd.DataFrame, wc: pd.DataFrame | None = None, published=None, year=2023):
    wards = pd.DataFrame(
        {
            "ward_code": sorted(set(gc["ward_code"]) | {"00299"}),
        }
    )
    wards["ward_name"] = [f"W{c[-2:]}" for c in wards["ward_code"]]
    wards["households_2019"] = 1000
    wards["population_2019"] = 3000
    if wc is None:
        wc = gc.iloc[0:0][["year", "ward_code", "ward_name", "conference_date",
                           "households_invited", "households_attended", "opinions_count"]]
    if published is None:
        published = pd.DataFrame(columns=["year", "level", "period_start", "period_end"])
    return SimpleNamespace(year=year, group_conferences=gc, ward_conferences=wc, wards=wards,
                           published=published, synthetic=True)


# -- Wilson --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "n", "lo", "hi"),
    [  # Newcombe (1998) Stat Med 17:857, Table I, method 3 (score interval without CC)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe_table(x, n, lo, hi):
    got_lo, got_hi = att.wilson_interval(x, n)
    assert round(got_lo, 4) == lo
    assert round(got_hi, 4) == hi


def test_wilson_is_vectorised_and_handles_edges():
    lo, hi = att.wilson_interval(pd.Series([81, 0, 10, 0]), pd.Series([263, 20, 10, 0]))
    assert lo.shape == (4,)
    assert round(lo[0], 4) == 0.2553
    assert hi[2] == 1.0 and lo[1] == 0.0
    assert math.isnan(lo[3]) and math.isnan(hi[3])
    # a wider level gives a wider interval
    lo99, hi99 = att.wilson_interval(81, 263, level=0.99)
    assert lo99 < 0.2553 and hi99 > 0.3662
    with pytest.raises(ValueError):
        att.wilson_interval(1, 2, level=95)


# -- funnel limits ---------------------------------------------------------------------------


def _direct_limit(p0: float, n: int, prob: float) -> float:
    """Spiegelhalter's interpolated binomial limit from the binomial sums, no scipy."""
    cdf = np.cumsum([math.comb(n, k) * p0**k * (1 - p0) ** (n - k) for k in range(n + 1)])
    r = int(np.argmax(cdf >= prob - 1e-12))
    below = cdf[r - 1] if r > 0 else 0.0
    alpha = (cdf[r] - prob) / (cdf[r] - below)
    return min(max((r - alpha) / n, 0.0), 1.0)


def test_funnel_limit_hand_computed():
    # Binomial(10, 0.5): P(X<=1) = 11/1024 < 0.025 <= P(X<=2) = 56/1024, so r = 2 and
    # alpha = (56/1024 - 0.025) / (45/1024) = 30.4/45; limit = (2 - alpha) / 10.
    got = att.funnel_limits(0.5, [10])["lower_95"].iloc[0]
    assert got == pytest.approx((2 - 30.4 / 45) / 10, abs=1e-12)


@pytest.mark.parametrize("p0", [0.3, 0.686, 0.95])
def test_funnel_limits_match_direct_binomial(p0):
    ns = [5, 20, 57, 120, 400]
    lim = att.funnel_limits(p0, ns)
    assert list(lim.columns) == ["n", "p0", "lower_95", "upper_95", "lower_998", "upper_998"]
    for i, n in enumerate(ns):
        assert lim["lower_95"].iloc[i] == pytest.approx(_direct_limit(p0, n, 0.025), abs=1e-9)
        assert lim["upper_95"].iloc[i] == pytest.approx(_direct_limit(p0, n, 0.975), abs=1e-9)
        assert lim["lower_998"].iloc[i] == pytest.approx(_direct_limit(p0, n, 0.001), abs=1e-9)
        assert lim["upper_998"].iloc[i] == pytest.approx(_direct_limit(p0, n, 0.999), abs=1e-9)
    # the funnel narrows with size, and 99.8% lies outside 95%
    assert (lim["lower_998"] <= lim["lower_95"]).all()
    assert (lim["upper_998"] >= lim["upper_95"]).all()
    assert lim["upper_95"].iloc[-1] - lim["lower_95"].iloc[-1] < (
        lim["upper_95"].iloc[0] - lim["lower_95"].iloc[0]
    )


def test_funnel_limits_rejects_bad_rate():
    with pytest.raises(ValueError, match="p0"):
        att.funnel_limits(1.5, [10])


# -- rates ------------------------------------------------------------------------------------


@pytest.fixture
def small():
    rows = [
        ("00241", 1, 10, 10, 2, "2023-01-03"),
        ("00241", 2, 100, 50, 5, "2023-01-10"),
        ("00244", 1, 40, 30, 3, "2023-02-27"),
        ("00244", 2, 50, 40, 0, "2023-03-05"),  # after the window
    ]
    gc = make_groups(rows)
    wc = pd.DataFrame(
        {
            "year": 2023,
            "ward_code": ["00241", "00244"],
            "ward_name": ["W41", "W44"],
            "conference_date": pd.to_datetime(["2023-03-02", "2023-03-01"]),
            "households_invited": [120, 80],
            "households_attended": [118, 76],
            "opinions_count": [3, 4],
        }
    )
    published = pd.DataFrame(
        {
            "year": [2023],
            "level": ["to_dan_pho"],
            "period_start": pd.to_datetime(["2023-01-02"]),
            "period_end": pd.to_datetime(["2023-02-28"]),
        }
    )
    return fake_ds(gc, wc, published)


def test_district_rate_is_pooled_not_mean(small):
    d = att.district_rate(small.group_conferences).iloc[0]
    assert d["invited"] == 200 and d["attended"] == 130 and d["groups"] == 4
    assert d["rate"] == pytest.approx(130 / 200)
    assert d["rate"] != pytest.approx(np.mean([1.0, 0.5, 0.75, 0.8]))
    lo, hi = att.wilson_interval(130, 200)
    assert d["ci_low"] == pytest.approx(lo) and d["ci_high"] == pytest.approx(hi)
    assert d["opinions"] == 10


def test_ward_and_group_rates(small):
    w = att.ward_rates(small.group_conferences).set_index("ward_code")
    assert w.loc["00241", "rate"] == pytest.approx(60 / 110)
    assert w.loc["00244", "invited"] == 90 and w.loc["00244", "groups"] == 2
    g = att.group_rates(small.group_conferences)
    assert len(g) == 4
    assert {"invited", "attended", "rate", "ci_low", "ci_high"} <= set(g.columns)
    assert g.loc[g["group_code"] == "00241-TDP01", "ci_high"].iloc[0] == 1.0


def test_empty_scope_does_not_fail(small):
    empty = small.group_conferences.iloc[0:0]
    d = att.district_rate(empty).iloc[0]
    assert d["groups"] == 0 and math.isnan(d["rate"])
    assert att.ward_rates(empty).empty
    assert att.funnel_outliers(empty).empty


def test_opinions_per_100(small):
    w = att.opinions_per_100(small.group_conferences, by="ward").set_index("ward_code")
    assert w.loc["00241", "opinions_per_100"] == pytest.approx(100 * 7 / 60)
    g = att.opinions_per_100(small.group_conferences, by="group")
    assert g["opinions_per_100"].iloc[0] == pytest.approx(100 * 2 / 10)
    with pytest.raises(ValueError):
        att.opinions_per_100(small.group_conferences, by="district")


def test_level_summary_puts_ward_level_beside_groups(small):
    s = att.level_summary(small).set_index("level")
    assert s.loc["to_dan_pho", "units"] == 4
    assert s.loc["phuong", "attended"] == 194 and s.loc["phuong", "invited"] == 200
    assert s.loc["phuong", "level_label"] == "Phường"


# -- funnel outliers ---------------------------------------------------------------------------


def test_funnel_outliers_finds_planted_groups():
    rows = [("00241", i, 100, 70, 1, "2023-01-10") for i in range(1, 30)]
    rows += [("00244", 1, 100, 20, 0, "2023-01-10"),  # far below
             ("00244", 2, 200, 196, 0, "2023-01-10"),  # far above
             ("00244", 3, 10, 6, 0, "2023-01-10")]  # small and ordinary
    gc = make_groups(rows)
    out = att.funnel_outliers(gc, scope="district")
    pos = dict(zip(out["group_code"], out["position"], strict=True))
    assert pos["00244-TDP01"] == "below_998"
    assert pos["00244-TDP02"] == "above_998"
    assert "00244-TDP03" not in pos
    assert out["group_code"].iloc[0] == "00244-TDP01"  # most serious first
    # p0 is the pooled district rate
    total = 29 * 70 + 20 + 196 + 6
    assert out["p0"].iloc[0] == pytest.approx(total / (29 * 100 + 310))
    sentence = att.outlier_sentence(out)
    assert "Tổ 1 (W44" in sentence and "Dưới giới hạn 99,8%" in sentence


def test_funnel_ward_scope_uses_ward_rate():
    rows = [("00241", i, 100, 90, 0, "2023-01-10") for i in range(1, 6)]
    rows += [("00244", i, 100, 40, 0, "2023-01-10") for i in range(1, 6)]
    gc = make_groups(rows)
    district = att.funnel_outliers(gc, "district")
    ward = att.funnel_outliers(gc, "ward")
    assert len(district) == 10  # every group is far from the pooled 65%
    assert ward.empty  # but each sits exactly at its own ward's rate
    with pytest.raises(ValueError):
        att.funnel_points(gc, scope="city")


# -- coverage, schedule, sentences ---------------------------------------------------------------


def test_census_coverage(small):
    cov = att.census_coverage(small.group_conferences, small.wards).set_index("ward_code")
    assert cov.loc["00241", "invited_share"] == pytest.approx(110 / 1000)
    assert cov.loc["00244", "attended_share"] == pytest.approx(70 / 1000)
    assert math.isnan(cov.loc["00299", "invited_share"])  # a ward with no groups
    assert cov["approximation"].all()



def test_the_coverage_caveat_is_said_from_the_data(small):
    """How many units' census figures are estimates is counted, not written in; an area
    without census figures (another area, wards formed after 2019) is told so."""
    wards = small.wards.copy()
    wards["census_note"] = ["estimated: split by population"] + [""] * (len(wards) - 1)
    vi = att.coverage_note(wards, "vi")
    assert "2019" in vi and "số của 1 phường là số ước tính" in vi
    assert "1 of the wards are estimates" in att.coverage_note(wards, "en")
    wards["census_note"] = ""
    plain = att.coverage_note(wards, "vi")
    assert "Ước tính gần đúng" in plain and "số của" not in plain
    wards["households_2019"] = pd.NA
    assert att.coverage_note(wards, "vi").startswith("Không có số hộ theo Tổng điều tra")


def test_planned_window_published_or_data(small):
    start, end, src = att.planned_window(small)
    assert (start, end, src) == (pd.Timestamp("2023-01-02"), pd.Timestamp("2023-02-28"),
                                 "published")
    no_pub = fake_ds(small.group_conferences)
    start, end, src = att.planned_window(no_pub)
    assert (start, end, src) == (pd.Timestamp("2023-01-03"), pd.Timestamp("2023-03-05"), "data")
    assert "trong dữ liệu" in att.window_sentence(no_pub)


def test_schedule(small):
    s = att.schedule(small.group_conferences, small.ward_conferences, "2023-01-02", "2023-02-28")
    per_week = s["per_week"]
    assert per_week["conferences"].sum() == 4
    assert per_week["week_start"].iloc[0] == pd.Timestamp("2023-01-02")  # a Monday
    assert (per_week["week_start"].dt.day_of_week == 0).all()
    # 05/03/2023 is a Sunday: its week starts 27/02, which overlaps the window
    assert per_week["week_start"].iloc[-1] == pd.Timestamp("2023-02-27")
    assert per_week["conferences"].iloc[-1] == 2
    assert per_week["cumulative_share"].iloc[-1] == 1.0
    late = att.conferences_per_week(small.group_conferences, "2023-01-09", "2023-02-28")
    assert not late["in_window"].iloc[0] and late["in_window"].iloc[1]
    out = s["outside_window"]
    assert list(out["group_code"]) == ["00244-TDP02"] and out["where"].iloc[0] == "after"
    wv = s["ward_vs_groups"].set_index("ward_code")
    assert wv.loc["00241", "days_after_last_group"] == (
        pd.Timestamp("2023-03-02") - pd.Timestamp("2023-01-10")).days
    assert not wv.loc["00244", "ward_after_groups"]  # ward met before its last group


def _published_like_district() -> SimpleNamespace:
    """263 groups summing to the published 2023 totals; 18 wards at 2.142/2.203."""
    inv = np.full(263, 51477 // 263)
    inv[: 51477 - inv.sum()] += 1
    attd = np.full(263, 35323 // 263)
    attd[: 35323 - attd.sum()] += 1
    codes = [f"{241 + (i % 18) * 3:05d}" for i in range(263)]
    rows = [(codes[i], i, int(inv[i]), int(attd[i]), 5, "2023-01-15") for i in range(263)]
    gc = make_groups(rows)
    wcodes = sorted(set(codes))
    w_inv = np.full(18, 2203 // 18)
    w_inv[: 2203 - w_inv.sum()] += 1
    w_att = np.full(18, 2142 // 18)
    w_att[: 2142 - w_att.sum()] += 1
    wc = pd.DataFrame({"year": 2023, "ward_code": wcodes, "ward_name": "x",
                       "conference_date": pd.Timestamp("2023-03-05"),
                       "households_invited": w_inv, "households_attended": w_att,
                       "opinions_count": 3})
    return fake_ds(gc, wc)


def test_sentences_reproduce_published_wording():
    ds = _published_like_district()
    assert att.district_sentence(ds) == (
        "Năm 2023 có 263 tổ dân phố tổ chức hội nghị với 35.323/51.477 hộ dự, đạt 68,6%."
    )
    assert "2.142/2.203" in att.ward_level_sentence(ds)
    assert "97,2%" in att.ward_level_sentence(ds)
    assert "18 phường" in att.ward_level_sentence(ds)
    en = att.district_sentence(ds, "en")
    assert "35,323/51,477" in en and "68.6%" in en


def test_ward_sentences_and_missing_ward(small):
    s = att.district_sentence(small, ward="00241")
    assert s == "Năm 2023 phường W41 có 2 tổ dân phố tổ chức hội nghị với 60/110 hộ dự, đạt 54,5%."
    none = att.district_sentence(small, ward="00299")
    assert "không có dữ liệu" in none and "W99" in none
    assert "no residential-group" in att.district_sentence(small, "en", ward="00299")
    assert not att.has_data(small, "00299")
    assert att.check_ward(small, "241") == "00241"
    with pytest.raises(ValueError, match="no ward '99999'"):
        att.check_ward(small, "99999")


def test_opinions_sentence(small):
    assert att.opinions_sentence(small) == (
        "Các hội nghị tổ dân phố ghi nhận 10 ý kiến, tức 7,7 ý kiến trên 100 hộ dự."
    )


def test_rate_uses_only_groups_with_known_invited(small):
    gc = small.group_conferences.copy()
    gc["households_invited"] = pd.array([10, 100, 40, None], dtype="Int64")
    d = att.district_rate(gc).iloc[0]
    assert d["attended"] == 130  # every attending household is counted...
    assert d["invited"] == 150
    assert d["rate"] == pytest.approx(90 / 150)  # ...but the rate only where invited is known
    assert att.district_sentence(fake_ds(gc)) == (
        "Năm 2023 có 4 tổ dân phố tổ chức hội nghị với 130 hộ dự; tỷ lệ dự 60,0% (90/150) "
        "tính trên 3 tổ có số hộ được mời.")

"""Overdispersion-aware funnel limits (Spiegelhalter 2005) against computations by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from hbt_analysis import funnel


def test_winsorising_five_z_scores():
    # quantiles at 10% and 90% of (-2, -1, 0, 1, 2), linearly interpolated: -1.6 and 1.6
    assert funnel.winsorise([2, -1, 0, 1, -2]).tolist() == pytest.approx([1.6, -1, 0, 1, -1.6])
    assert funnel.winsorise([3.0, 1.0], trim=0).tolist() == [3.0, 1.0]
    with pytest.raises(ValueError, match="trim"):
        funnel.winsorise([1, 2], trim=0.5)


def test_phi_and_tau2_by_hand():
    # five groups of 100 households: s = 1/(2*sqrt(100)) = 0.05, w = 1/s^2 = 400
    disp = funnel.dispersion([-2, -1, 0, 1, 2], [0.05] * 5)
    phi = (1.6**2 + 1 + 0 + 1 + 1.6**2) / 5  # 1.424
    assert disp.phi == pytest.approx(phi)
    # tau2 = (I*phi - (I-1)) / (sum w - sum w^2 / sum w) = (7.12 - 4) / (2000 - 400) = 0.00195
    assert disp.tau2 == pytest.approx((5 * phi - 4) / (2000 - 5 * 400**2 / 2000))
    assert disp.tau2 == pytest.approx(0.00195)
    assert disp.overdispersed and disp.groups == 5


def test_no_overdispersion_when_chance_explains_the_spread():
    disp = funnel.dispersion([-0.5, 0.2, 0.1, -0.3, 0.4], [0.05] * 5)
    assert disp.tau2 == 0 and not disp.overdispersed
    assert disp.p_value > 0.5


def test_additive_and_multiplicative_limits_by_hand():
    disp = funnel.Dispersion(groups=5, phi=1.424, tau2=0.00195, p_value=0.2)
    target = math.asin(math.sqrt(0.64))  # asin(0.8)
    q95 = 1.959963984540054
    add = funnel.adjusted_limits(0.64, [100], disp, "additive").iloc[0]
    half = q95 * math.sqrt(0.05**2 + 0.00195)
    assert add["lower_95_od"] == pytest.approx(math.sin(target - half) ** 2)
    assert add["upper_95_od"] == pytest.approx(math.sin(target + half) ** 2)
    mult = funnel.adjusted_limits(0.64, [100], disp, "multiplicative").iloc[0]
    half = q95 * math.sqrt(1.424) * 0.05
    assert mult["lower_95_od"] == pytest.approx(math.sin(target - half) ** 2)
    plain = funnel.adjusted_limits(0.64, [100], disp, "none").iloc[0]
    assert plain["upper_95_od"] == pytest.approx(math.sin(target + q95 * 0.05) ** 2)
    # wider than chance alone, and still inside [0, 1] for a tiny group
    assert add["lower_95_od"] < plain["lower_95_od"] < plain["upper_95_od"] < add["upper_95_od"]
    tiny = funnel.adjusted_limits(0.99, [2], disp)
    assert tiny["upper_998_od"].iloc[0] <= 1 and tiny["lower_998_od"].iloc[0] >= 0


def _groups(rates: list[float], invited: int = 200) -> pd.DataFrame:
    return pd.DataFrame({
        "ward_code": ["00241"] * len(rates), "ward_name": ["Nguyễn Du"] * len(rates),
        "group_code": [f"00241-TDP{i:02d}" for i in range(len(rates))],
        "group_name": [f"Tổ {i}" for i in range(len(rates))],
        "households_invited": invited,
        "households_attended": [round(r * invited) for r in rates], "opinions_count": 0})


def test_a_few_unusual_groups_out_of_many_overdispersed_ones():
    rng = np.random.default_rng(7)
    # 60 groups whose true rates differ (overdispersed around 68%), two planted far below
    rates = [*np.clip(rng.normal(0.68, 0.08, 60), 0.3, 0.97), 0.12, 0.15]
    gc = _groups(rates)
    pts = funnel.unusual_points(gc)
    disp = pts.attrs["dispersion"]
    assert disp.phi > 3 and disp.overdispersed
    low = pts[pts["signal"] == "unusually_low"]
    assert set(low["group_name"]) == {"Tổ 60", "Tổ 61"}
    # the raw binomial limits flag many more: the list the adjusted limits shorten
    from hbt_analysis.attendance import funnel_points

    raw = funnel_points(gc)
    raw_flagged = raw["position"].isin(["below_998", "above_998"]).sum()
    adjusted = pts["signal"].isin(["unusually_low", "unusually_high"]).sum()
    assert raw_flagged >= 3 * adjusted, (raw_flagged, adjusted)
    # z_adjusted is (y - target) / sqrt(s^2 + tau2), by hand for the lowest group
    r = pts.loc[pts["group_name"] == "Tổ 60"].iloc[0]
    y = math.asin(math.sqrt(r["attended"] / 200))
    target = math.asin(math.sqrt(gc["households_attended"].sum() / gc["households_invited"].sum()))
    assert r["z_adjusted"] == pytest.approx((y - target) / math.sqrt(1 / 800 + disp.tau2))
    listed = funnel.unusual_groups(gc)
    assert listed["group_name"].tolist()[:2] == ["Tổ 60", "Tổ 61"]


def test_sentence_names_the_unusual_groups_in_plain_words():
    rates = [0.68, 0.7, 0.66, 0.69, 0.67, 0.71, 0.65, 0.7, 0.68, 0.1]
    pts = funnel.unusual_points(_groups(rates))
    text = funnel.unusual_sentence(pts)
    assert text.startswith("1 tổ dân phố có tỷ lệ dự thấp bất thường so với các tổ cùng quy mô")
    assert "Tổ 9 (Nguyễn Du, 10,0% của 200 hộ được mời)" in text
    assert "phễu" not in text and "99,8" not in text  # no jargon for leadership
    calm = funnel.unusual_points(_groups(rates[:-1]))
    assert funnel.unusual_sentence(calm).startswith("Không có tổ dân phố nào")
    assert "unusually low" in funnel.unusual_sentence(pts, "en")


def test_a_ward_keeps_the_district_target_and_dispersion():
    gc = _groups([0.6, 0.7, 0.8, 0.65, 0.75])
    other = _groups([0.5, 0.55, 0.6]).assign(ward_code="00244", ward_name="Bạch Đằng")
    other["group_code"] = other["group_code"].str.replace("00241", "00244")
    both = pd.concat([gc, other], ignore_index=True)
    all_pts = funnel.unusual_points(both)
    ward = funnel.unusual_points(both, ward="00244")
    assert len(ward) == 3 and set(ward["ward_code"]) == {"00244"}
    assert ward["p0"].iloc[0] == pytest.approx(all_pts["p0"].iloc[0])
    assert ward.attrs["dispersion"] == all_pts.attrs["dispersion"]
    assert funnel.unusual_points(both.iloc[0:0]).empty

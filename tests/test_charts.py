"""Every chart returns a styled figure; empty input says so instead of failing."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from hbt_analysis import attendance as att
from hbt_analysis import charts
from hbt_analysis import compare as cmp
from hbt_analysis.labels import label


def gc(year: int, shift: int = 0) -> pd.DataFrame:
    rows = []
    for w, code in enumerate(("00241", "00244", "00247")):
        for g in range(1, 9):
            invited = 80 + 20 * g
            attended = int(invited * (0.5 + 0.04 * g + 0.02 * w)) - shift
            rows.append((code, f"{code}-TDP{g:02d}", invited, attended, g))
    rows.append(("00247", "00247-TDP20", 300, 30, 1))  # a planted low outlier
    return pd.DataFrame({
        "year": year, "ward_code": [r[0] for r in rows], "ward_name": [f"P{r[0]}" for r in rows],
        "group_code": [r[1] for r in rows], "group_name": [f"Tổ {r[1][-2:]}" for r in rows],
        "conference_date": pd.date_range(f"{year}-01-02", periods=len(rows), freq="2D"),
        "households_invited": [r[2] for r in rows], "households_attended": [r[3] for r in rows],
        "opinions_count": [r[4] for r in rows]})


def _frames():
    a, b = gc(2023), gc(2024, shift=5)
    wr = att.ward_rates(a)
    return {
        "ward_rates": (charts.ward_rates_chart, wr),
        "funnel": (charts.funnel_chart, att.funnel_points(a)),
        "schedule": (charts.schedule_chart,
                     att.conferences_per_week(a, "2023-01-02", "2023-02-28")),
        "paired": (charts.paired_change_chart, cmp.paired_changes(a, b)),
        "decomposition": (charts.decomposition_chart, cmp.rate_decomposition_summary(a, b)),
        "opinions": (charts.opinions_chart, att.opinions_per_100(a)),
        "coverage": (charts.coverage_chart, att.census_coverage(a, pd.DataFrame({
            "ward_code": ["00241", "00244", "00247"], "ward_name": ["A", "B", "C"],
            "households_2019": [3000, 4000, 5000]}))),
    }


@pytest.mark.parametrize("name", list(_frames()))
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_chart_is_styled(name, lang):
    fn, frame = _frames()[name]
    fig = fn(frame, lang)
    assert isinstance(fig, go.Figure)
    assert fig.layout.separators == (",." if lang == "vi" else ".,")
    assert "Be Vietnam Pro" in fig.layout.template.layout.font.family
    assert fig.layout.title.text == label(f"title_{name}", lang)
    assert len(fig.data) >= 1
    # the empty frame gives a figure with the no-data note, not an error
    empty = fn(frame.iloc[0:0], lang)
    assert empty.layout.annotations[0].text == label("no_data", lang)


def test_trends_chart_district_and_ward():
    dsets = []
    for y, shift in ((2022, 0), (2023, 3), (2024, 6)):
        dsets.append(type("D", (), {"year": y, "group_conferences": gc(y, shift),
                                    "ward_conferences": gc(y).iloc[0:0]})())
    fig = charts.trends_chart(cmp.trends(dsets))
    assert fig.layout.separators == ",."
    assert fig.layout.yaxis.tickformat == ",.1%" and fig.layout.yaxis2.tickformat == ",d"
    ward = charts.trends_chart(cmp.trends(dsets, scope="ward"))
    assert {t.name for t in ward.data} == {"P00241", "P00244", "P00247"}


def test_funnel_names_strong_outliers_and_hovers_in_vietnamese():
    fig = charts.funnel_chart(att.funnel_points(gc(2023)))
    named = [t for t in fig.data if t.text is not None]
    assert any("Tổ 20 (P00247)" in list(t.text) for t in named)
    hover = " ".join(t.hovertemplate or "" for t in fig.data)
    assert "Số hộ được mời" in hover and "Tỷ lệ dự" in hover
    assert fig.layout.yaxis.tickformat == ",.1%" and fig.layout.xaxis.tickformat == ",d"


def test_the_rate_decomposition_names_the_units_it_splits_by():
    """The district's change splits by ward; a ward's by its groups (compare._auto_by), so
    a ward's chart must not say "giữa các phường"."""
    from hbt_analysis.dataset import load

    before, now = load(2022).group_conferences, load(2023).group_conferences
    ward = "00271"
    one = cmp.rate_decomposition_summary(before[before["ward_code"] == ward],
                                         now[now["ward_code"] == ward])
    names = " ".join(str(x) for x in charts.decomposition_chart(one, base=2022, year=2023)
                     .data[0].x).replace("<br>", " ")
    assert "tổ dân phố" in names and "phường" not in names
    whole = cmp.rate_decomposition_summary(before, now)
    names = " ".join(str(x) for x in charts.decomposition_chart(whole, base=2022, year=2023)
                     .data[0].x).replace("<br>", " ")
    assert "phường" in names and "tổ dân phố" not in names

"""Plotly figures for the attendance, comparison and opinion analyses.

Each function takes a DataFrame produced by attendance.py, compare.py or opinions.py and returns a
go.Figure in the "hbt" style; titles and axis labels come from labels.py, hover texts are
Vietnamese by default. An empty frame gives a figure that says "Không có dữ liệu".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from hbt_analysis.attendance import funnel_limits
from hbt_analysis.fmt import Lang, fmt_pct, fmt_pp
from hbt_analysis.labels import label
from hbt_analysis.opinions import column_label, level_label
from hbt_analysis.schema import LEVELS
from hbt_analysis.style import (
    ACCENT,
    HIGH_COLOR,
    LOW_COLOR,
    OTHER_COLOR,
    apply_style,
    topic_color,
    ward_color,
)

RATE_FORMAT = ",.1%"
COUNT_FORMAT = ",d"


def _empty(title: str, lang: Lang) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=label("no_data", lang), showarrow=False, x=0.5, y=0.5,
                       xref="paper", yref="paper", font={"size": 16})
    fig.update_layout(title=title, xaxis={"visible": False}, yaxis={"visible": False})
    return apply_style(fig, lang)


def _hover(lang: Lang, *rows: tuple[str, str]) -> str:
    """A hovertemplate: each row (label key, plotly value expression)."""
    return "<br>".join(f"{label(k, lang)}: {v}" for k, v in rows) + "<extra></extra>"


def ward_rates_chart(ward_rates: pd.DataFrame, lang: Lang = "vi",
                     district_rate: float | None = None) -> go.Figure:
    """Attendance rate by ward, sorted, with the 95% Wilson interval and the overall rate."""
    title = label("title_ward_rates", lang)
    df = ward_rates.dropna(subset=["rate"]).sort_values("rate")
    if df.empty:
        return _empty(title, lang)
    fig = go.Figure(
        go.Bar(
            x=df["rate"], y=df["ward_name"], orientation="h",
            marker_color=[ward_color(c) for c in df["ward_code"]],
            error_x={"type": "data", "symmetric": False,
                     "array": df["ci_high"] - df["rate"],
                     "arrayminus": df["rate"] - df["ci_low"], "color": "#444"},
            customdata=np.stack([df["attended"], df["invited"], df["ci_low"], df["ci_high"]],
                                axis=1),
            hovertemplate=_hover(
                lang, ("ward_name", "%{y}"), ("rate", "%{x:,.1%}"),
                ("attended", "%{customdata[0]:,d}"), ("invited", "%{customdata[1]:,d}"),
                ("ci_low", "%{customdata[2]:,.1%}"), ("ci_high", "%{customdata[3]:,.1%}"),
            ),
            name=label("rate", lang),
        )
    )
    if district_rate is not None and not pd.isna(district_rate):
        fig.add_vline(x=district_rate, line_dash="dash", line_color=ACCENT,
                      annotation_text=label("district_rate_line", lang),
                      annotation_position="top")
    fig.update_layout(title=title, height=max(320, 28 * len(df) + 120), showlegend=False,
                      xaxis={"title": label("rate", lang), "tickformat": RATE_FORMAT,
                             "range": [0, 1.02]},
                      yaxis={"title": ""})
    return apply_style(fig, lang)


def funnel_chart(points: pd.DataFrame, lang: Lang = "vi", max_labels: int = 6) -> go.Figure:
    """Rate against households invited, with 95% and 99.8% limits.

    Every group beyond the 99.8% limits is marked and named in its hover; the `max_labels`
    furthest from the target on each side also carry their name on the chart (more would
    overprint; the outlier table lists them all).
    """
    title = label("title_funnel", lang)
    if points.empty:
        return _empty(title, lang)
    gap = (points["rate"] - points["p0"]).abs()
    labelled = set()
    for pos in ("below_998", "above_998"):
        side = gap[points["position"] == pos].sort_values(ascending=False)
        labelled |= set(side.index[:max_labels])
    fig = go.Figure()
    p0s = points["p0"].dropna().unique()
    if len(p0s) == 1:
        p0 = float(p0s[0])
        n = np.unique(np.linspace(max(1, points["invited"].min() * 0.8),
                                  points["invited"].max() * 1.05, 200).round())
        lim = funnel_limits(p0, n)
        for key, dash in (("95", "dash"), ("998", "dot")):
            for side in ("lower", "upper"):
                fig.add_trace(go.Scatter(
                    x=lim["n"], y=lim[f"{side}_{key}"], mode="lines",
                    line={"color": "#666", "dash": dash, "width": 1},
                    name=label(f"limit_{key}", lang), legendgroup=key,
                    showlegend=side == "lower", hoverinfo="skip"))
        fig.add_hline(y=p0, line_color=ACCENT, line_width=1,
                      annotation_text=label("district_rate_line", lang))
    colors = {"below_998": LOW_COLOR, "below_95": "#e59866", "within": OTHER_COLOR,
              "above_95": "#82e0aa", "above_998": HIGH_COLOR}
    for pos in ("within", "below_95", "above_95", "below_998", "above_998"):
        sub = points[points["position"] == pos]
        if sub.empty:
            continue
        strong = pos.endswith("998")
        names = (sub["group_name"] + " (" + sub["ward_name"] + ")").where(
            sub.index.isin(labelled), "")
        fig.add_trace(go.Scatter(
            x=sub["invited"], y=sub["rate"], mode="markers+text" if strong else "markers",
            text=names if strong else None,
            textposition="top center", textfont={"size": 11},
            marker={"color": colors[pos], "size": 9 if strong else 7,
                    "line": {"width": 0.5, "color": "#333"}},
            name=label(pos, lang),
            customdata=np.stack([sub["group_name"], sub["ward_name"], sub["attended"]], axis=1),
            hovertemplate=_hover(
                lang, ("group_name", "%{customdata[0]}"), ("ward_name", "%{customdata[1]}"),
                ("invited", "%{x:,d}"), ("attended", "%{customdata[2]:,d}"),
                ("rate", "%{y:,.1%}")),
        ))
    fig.update_layout(title=title, height=520,
                      xaxis={"title": label("invited", lang), "tickformat": COUNT_FORMAT},
                      yaxis={"title": label("rate", lang), "tickformat": RATE_FORMAT})
    return apply_style(fig, lang)


def schedule_chart(per_week: pd.DataFrame, lang: Lang = "vi") -> go.Figure:
    """Conferences per week; weeks outside the planned window in a warning colour."""
    title = label("title_schedule", lang)
    if per_week.empty:
        return _empty(title, lang)
    colors = [ACCENT if w else LOW_COLOR for w in per_week["in_window"]]
    fig = go.Figure(go.Bar(
        x=per_week["week_start"], y=per_week["conferences"], marker_color=colors,
        customdata=per_week["cumulative_share"],
        hovertemplate=_hover(lang, ("week_start", "%{x|%d/%m/%Y}"),
                             ("conferences", "%{y:,d}"),
                             ("cumulative_share", "%{customdata:,.1%}")),
    ))
    fig.update_layout(title=title, showlegend=False,
                      xaxis={"title": label("week_start", lang), "tickformat": "%d/%m/%Y"},
                      yaxis={"title": label("conferences", lang), "tickformat": COUNT_FORMAT})
    return apply_style(fig, lang)


def trends_chart(trends: pd.DataFrame, lang: Lang = "vi") -> go.Figure:
    """Invited and attended households (bars) and the rate (line) per year.

    With a ward_code column, one rate line per ward in the ward's colour.
    """
    title = label("title_trends", lang)
    if trends.empty:
        return _empty(title, lang)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        row_heights=[0.55, 0.45])
    years = trends["year"].astype(int)
    if "ward_code" in trends.columns:
        for code, sub in trends.groupby("ward_code"):
            name = str(sub["ward_name"].iloc[0])
            fig.add_trace(go.Scatter(
                x=sub["year"], y=sub["rate"], mode="lines+markers", name=name,
                line={"color": ward_color(code)},
                hovertemplate=_hover(lang, ("ward_name", name), ("year", "%{x}"),
                                     ("rate", "%{y:,.1%}"))), row=1, col=1)
            fig.add_trace(go.Scatter(
                x=sub["year"], y=sub["attended"], mode="lines+markers", name=name,
                showlegend=False, line={"color": ward_color(code)},
                hovertemplate=_hover(lang, ("ward_name", name), ("year", "%{x}"),
                                     ("attended", "%{y:,d}"))), row=2, col=1)
    else:
        fig.add_trace(go.Scatter(
            x=years, y=trends["rate"], mode="lines+markers+text", name=label("rate", lang),
            line={"color": ACCENT},
            error_y={"type": "data", "symmetric": False,
                     "array": trends["ci_high"] - trends["rate"],
                     "arrayminus": trends["rate"] - trends["ci_low"]},
            hovertemplate=_hover(lang, ("year", "%{x}"), ("rate", "%{y:,.1%}"))),
            row=1, col=1)
        for key, color in (("invited", "#a9cce3"), ("attended", ACCENT)):
            fig.add_trace(go.Bar(
                x=years, y=trends[key], name=label(key, lang), marker_color=color,
                hovertemplate=_hover(lang, ("year", "%{x}"), (key, "%{y:,d}"))),
                row=2, col=1)
    fig.update_xaxes(tickmode="array", tickvals=sorted(years.unique()), tickformat="d")
    fig.update_yaxes(title_text=label("rate", lang), tickformat=RATE_FORMAT, row=1, col=1)
    fig.update_yaxes(title_text=label("attended", lang) if "ward_code" in trends.columns
                     else label("households_invited", lang) + " / " + label("attended", lang),
                     tickformat=COUNT_FORMAT, row=2, col=1)
    fig.update_layout(title=title, height=560, barmode="group")
    return apply_style(fig, lang)


def paired_change_chart(changes: pd.DataFrame, lang: Lang = "vi") -> go.Figure:
    """Each group's rate in the base year against the new year; the diagonal is no change."""
    title = label("title_paired", lang)
    df = changes.dropna(subset=["rate_base", "rate_new"])
    if df.empty:
        return _empty(title, lang)
    fig = go.Figure()
    lo = float(min(df["rate_base"].min(), df["rate_new"].min()))
    fig.add_trace(go.Scatter(x=[lo, 1], y=[lo, 1], mode="lines", hoverinfo="skip",
                             line={"color": "#888", "dash": "dash"}, showlegend=False))
    for code, sub in df.groupby("ward_code"):
        fig.add_trace(go.Scatter(
            x=sub["rate_base"], y=sub["rate_new"], mode="markers",
            name=str(sub["ward_name"].iloc[0]),
            marker={"color": ward_color(code), "size": 7,
                    "symbol": ["diamond" if s else "circle" for s in sub["significant"]]},
            customdata=np.stack([sub["group_name"], sub["ward_name"], sub["change"],
                                 sub["change_low"], sub["change_high"]], axis=1),
            hovertemplate=_hover(
                lang, ("group_name", "%{customdata[0]}"), ("ward_name", "%{customdata[1]}"),
                ("rate_base", "%{x:,.1%}"), ("rate_new", "%{y:,.1%}"),
                ("change", "%{customdata[2]:+,.1%}"),
                ("change_low", "%{customdata[3]:+,.1%}"),
                ("change_high", "%{customdata[4]:+,.1%}")),
        ))
    fig.update_layout(title=title, height=560,
                      xaxis={"title": label("rate_base", lang), "tickformat": RATE_FORMAT},
                      yaxis={"title": label("rate_new", lang), "tickformat": RATE_FORMAT})
    return apply_style(fig, lang)


def _pp(x: float, lang: Lang) -> str:
    """A change in points; one that rounds to zero reads 0,0, not -0,0."""
    return fmt_pp(x if abs(x) >= 5e-4 else 0.0, lang=lang)


def decomposition_chart(summary: pd.DataFrame, lang: Lang = "vi") -> go.Figure:
    """Waterfall: base-year rate, + within-ward part, + mix part = new rate.

    `summary` is compare.rate_decomposition_summary(): one row with rate_base, within_part,
    mix_part, rate_new.
    """
    title = label("title_decomposition", lang)
    if summary.empty or summary[["rate_base", "rate_new"]].isna().any(axis=None):
        return _empty(title, lang)
    r = summary.iloc[0]
    names = [label("rate_base", lang), label("within_part", lang), label("mix_part", lang),
             label("rate_new", lang)]
    fig = go.Figure(go.Waterfall(
        x=names, measure=["absolute", "relative", "relative", "total"],
        y=[r["rate_base"], r["within_part"], r["mix_part"], r["rate_new"]],
        text=[fmt_pct(r["rate_base"], lang=lang), _pp(r["within_part"], lang),
              _pp(r["mix_part"], lang), fmt_pct(r["rate_new"], lang=lang)],
        textinfo="text", textposition="outside",
        decreasing={"marker": {"color": LOW_COLOR}}, increasing={"marker": {"color": HIGH_COLOR}},
        totals={"marker": {"color": ACCENT}},
        hovertemplate="%{x}: %{y:,.2%}<extra></extra>",
    ))
    lo = min(r["rate_base"], r["rate_new"]) - abs(r["within_part"]) - abs(r["mix_part"])
    hi = max(r["rate_base"], r["rate_new"]) + abs(r["within_part"]) + abs(r["mix_part"])
    fig.update_layout(title=title, showlegend=False,
                      yaxis={"title": label("rate", lang), "tickformat": RATE_FORMAT,
                             "range": [max(0, lo - 0.02), min(1, hi + 0.02)]})
    return apply_style(fig, lang)


def opinions_chart(per_100: pd.DataFrame, lang: Lang = "vi") -> go.Figure:
    """Opinions per 100 attending households by ward (ward colours)."""
    title = label("title_opinions", lang)
    df = per_100.dropna(subset=["opinions_per_100"]).sort_values("opinions_per_100")
    if df.empty:
        return _empty(title, lang)
    fig = go.Figure(go.Bar(
        x=df["opinions_per_100"], y=df["ward_name"], orientation="h",
        marker_color=[ward_color(c) for c in df["ward_code"]],
        customdata=np.stack([df["opinions"], df["attended"]], axis=1),
        hovertemplate=_hover(lang, ("ward_name", "%{y}"), ("opinions_per_100", "%{x:,.1f}"),
                             ("opinions", "%{customdata[0]:,d}"),
                             ("attended", "%{customdata[1]:,d}")),
    ))
    fig.update_layout(title=title, showlegend=False, height=max(320, 28 * len(df) + 120),
                      xaxis={"title": label("opinions_per_100", lang), "tickformat": ",.1f"},
                      yaxis={"title": ""})
    return apply_style(fig, lang)


def coverage_chart(coverage: pd.DataFrame, lang: Lang = "vi") -> go.Figure:
    """Invited and attended as shares of 2019 census households (an approximation)."""
    title = label("title_coverage", lang)
    df = coverage.dropna(subset=["invited_share"]).sort_values("invited_share")
    if df.empty:
        return _empty(title, lang)
    fig = go.Figure()
    for key, color in (("invited_share", "#a9cce3"), ("attended_share", ACCENT)):
        fig.add_trace(go.Bar(
            x=df[key], y=df["ward_name"], orientation="h", name=label(key, lang),
            marker_color=color, customdata=df["households_2019"],
            hovertemplate=_hover(lang, ("ward_name", "%{y}"), (key, "%{x:,.1%}"),
                                 ("households_2019", "%{customdata:,d}"))))
    fig.update_layout(title=title, barmode="group", height=max(360, 34 * len(df) + 120),
                      xaxis={"title": "", "tickformat": RATE_FORMAT}, yaxis={"title": ""})
    return apply_style(fig, lang)


def topic_chart(shares: pd.DataFrame, lang: Lang = "vi") -> go.Figure:
    """Horizontal bars: each topic's share of opinions with its 95% interval, per level.

    Takes opinions.topic_shares; topics keep their house colours (style.topic_color).
    """
    title = label("title_topics", lang)
    df = shares[shares["n"] > 0]
    if df.empty or df["count"].sum() == 0:
        return _empty(title, lang)
    order = (df.groupby("topic_name")["count"].sum().sort_values().index.tolist())
    fig = go.Figure()
    patterns = {"to_dan_pho": "", "phuong": "/"}
    for lv in [lv for lv in LEVELS if lv in set(df["level"])]:
        sub = df[df["level"] == lv].set_index("topic_name").reindex(order).dropna(subset=["n"])
        fig.add_trace(go.Bar(
            x=sub["share"], y=sub.index, orientation="h", name=level_label(lv, lang),
            marker={"color": [topic_color(c) for c in sub["topic"]],
                    "pattern": {"shape": patterns[lv]}},
            error_x={"type": "data", "symmetric": False,
                     "array": sub["ci_high"] - sub["share"],
                     "arrayminus": sub["share"] - sub["ci_low"], "color": "#555"},
            customdata=np.stack([sub["count"], sub["n"]], axis=1),
            hovertemplate=(
                "%{y}<br>" + column_label("share", lang) + ": %{x:.1%}<br>"
                + column_label("count", lang) + ": %{customdata[0]:,d} / %{customdata[1]:,d}"
                + "<extra>" + level_label(lv, lang) + "</extra>"
            ),
        ))
    fig.update_layout(
        title=title, barmode="group", height=max(360, 34 * len(order) * len(fig.data) + 120),
        xaxis={"title": column_label("share", lang), "tickformat": ".0%"},
        yaxis={"title": ""}, legend={"orientation": "h", "y": -0.15},
    )
    return apply_style(fig, lang)


def topic_ward_heatmap(table: pd.DataFrame, lang: Lang = "vi") -> go.Figure:
    """The topic × ward heat table as a heatmap (takes opinions.topic_ward_table)."""
    title = label("title_topic_ward", lang)
    topic_cols = [c for c in table.columns if c not in ("ward_code", "ward_name", "total")]
    if table.empty or not topic_cols or table["total"].sum() == 0:
        return _empty(title, lang)
    z = table[topic_cols].astype("float64").to_numpy()
    fig = go.Figure(go.Heatmap(
        z=z, x=topic_cols, y=table["ward_name"], colorscale="Blues", zmin=0,
        texttemplate="%{z:.0%}", colorbar={"tickformat": ".0%"},
        hovertemplate="%{y}<br>%{x}: %{z:.1%}<extra></extra>",
    ))
    fig.update_layout(title=title, height=max(320, 26 * len(table) + 160),
                      yaxis={"autorange": "reversed", "title": ""}, xaxis={"title": ""})
    return apply_style(fig, lang)

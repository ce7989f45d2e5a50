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
from hbt_analysis.fmt import Lang, fmt_int, fmt_pct, fmt_pp
from hbt_analysis.labels import label
from hbt_analysis.opinions import column_label, level_label
from hbt_analysis.schema import LEVELS
from hbt_analysis.style import (
    ACCENT,
    HIGH_COLOR,
    LOW_COLOR,
    OTHER_COLOR,
    apply_style,
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


def _ward_marker(codes: pd.Series, highlight: str | None) -> dict:
    """Each ward's fixed colour, or, when a reader's ward is highlighted, that ward in the
    accent colour and larger, the others quiet."""
    if highlight is None:
        return {"color": [ward_color(c) for c in codes], "size": 11}
    hit = codes.astype(str) == str(highlight)
    return {"color": [ACCENT if h else "#b0bec5" for h in hit],
            "size": [15 if h else 10 for h in hit],
            "line": {"width": [2 if h else 0 for h in hit], "color": "#111"}}


def _zoomed_range(values: pd.Series, extra: list[float] | None = None) -> list[float]:
    """An axis range around the values (rates of wards differ by a few points: an axis from
    0 makes every bar the same length), with room for a dot at either end; the labels
    beside the dots have their own room (:func:`_label_room`)."""
    data = [float(v) for v in values.dropna()] + [float(v) for v in (extra or [])
                                                   if v is not None and not pd.isna(v)]
    lo, hi = min(data), max(data)
    pad = max(0.02, (hi - lo) * 0.08)
    return [max(0.0, lo - pad), min(1.0, hi + pad)]


#: Width of one character of a point's label (11 px font, digits and ",%"), in pixels.
_LABEL_CHAR_PX = 7


def _label_room(labels: list[str], marker_px: float = 15) -> int:
    """Pixels kept to the right of the plot for the labels printed right of the points
    ("76,5%"): the right-most point's label runs past the plot's edge by at most its own
    width and half its dot, whatever the chart's width. A phone's page shrinks the side
    margins but keeps this room (report.js: layout.meta.label_room)."""
    longest = max((len(t) for t in labels), default=0)
    return round(_LABEL_CHAR_PX * longest + marker_px / 2 + 8)


def ward_rates_chart(ward_rates: pd.DataFrame, lang: Lang = "vi",
                     district_rate: float | None = None, highlight: str | None = None,
                     compact: bool = False) -> go.Figure:
    """Attendance rate by ward as dots on a zoomed axis, sorted, each labelled with its
    rate; the reader's ward (`highlight`) stands out; the dashed line is the overall rate.
    `compact` (the brief) leaves out the 95% intervals and tightens the rows."""
    title = label("title_ward_rates", lang)
    df = ward_rates.dropna(subset=["rate"]).sort_values("rate")
    if df.empty:
        return _empty(title, lang)
    error = None if compact else {
        "type": "data", "symmetric": False, "array": df["ci_high"] - df["rate"],
        "arrayminus": df["rate"] - df["ci_low"], "color": "#78909c", "thickness": 1}
    rates = [fmt_pct(r, lang=lang) for r in df["rate"]]
    fig = go.Figure(
        go.Scatter(
            x=df["rate"], y=df["ward_name"], mode="markers+text" if compact else "markers",
            marker=_ward_marker(df["ward_code"], highlight), error_x=error,
            text=rates, textposition="middle right", textfont={"size": 11},
            customdata=np.stack([df["attended"], df["invited"], df["ci_low"], df["ci_high"]],
                                axis=1),
            hovertemplate=_hover(
                lang, ("ward_name", "%{y}"), ("rate", "%{x:,.1%}"),
                ("attended", "%{customdata[0]:,d}"), ("invited", "%{customdata[1]:,d}"),
            ),
            name=label("rate", lang), cliponaxis=False,
        )
    )
    if not compact:  # each rate right of its interval, not across its whisker (spaced
        # from the whisker's end, which may be the dot itself at 100%)
        rates = ["\u00a0\u00a0" + r for r in rates]
        fig.add_trace(go.Scatter(
            x=df["ci_high"], y=df["ward_name"], mode="text", text=rates,
            textposition="middle right", textfont={"size": 11}, hoverinfo="skip",
            cliponaxis=False, showlegend=False))
    xr = _zoomed_range(df["ci_low"] if not compact else df["rate"],
                       [district_rate, *(df["ci_high"] if not compact else df["rate"])])
    if district_rate is not None and not pd.isna(district_rate):
        # its label above the plot, on the side of the line with room: not over an edge
        side = "left" if district_rate > (xr[0] + xr[1]) / 2 else "right"
        fig.add_vline(x=district_rate, line_dash="dash", line_color=ACCENT, line_width=1,
                      layer="below",
                      annotation_text=f"{label('district_rate_line', lang)} "
                                      f"{fmt_pct(district_rate, lang=lang)}",
                      annotation_position=f"top {side}", annotation_yanchor="bottom",
                      annotation_font_size=11)
    row = 20 if compact else 28
    room = _label_room(rates)
    fig.update_layout(title=title, height=max(300, row * len(df) + 90), showlegend=False,
                      xaxis={"title": label("rate", lang), "tickformat": ",.0%", "range": xr},
                      yaxis={"title": "", "type": "category"},
                      margin={"t": 50, "r": room, "b": 50}, meta={"label_room": room})
    if highlight is not None:  # the reader's ward named in bold on the axis too
        names = list(df["ward_name"])
        hit = df["ward_code"].astype(str) == str(highlight)
        fig.update_yaxes(tickvals=names, ticktext=[f"<b>{n}</b>" if h else n
                                                   for n, h in zip(names, hit, strict=True)])
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


def unusual_chart(points: pd.DataFrame, lang: Lang = "vi", max_labels: int = 6) -> go.Figure:
    """Rate against households invited, with the usual range for each size (the limits that
    allow for how much groups really differ: funnel.unusual_points) shaded; groups
    unusually low or high are coloured and the most extreme named."""
    from hbt_analysis.funnel import adjusted_limits

    title = label("title_unusual", lang)
    if points.empty:
        return _empty(title, lang)
    disp = points.attrs.get("dispersion")
    fig = go.Figure()
    p0 = float(points["p0"].iloc[0])
    if disp is not None:
        n = np.unique(np.linspace(max(1, points["invited"].min() * 0.8),
                                  points["invited"].max() * 1.05, 120).round())
        lim = adjusted_limits(p0, n, disp)
        fig.add_trace(go.Scatter(x=lim["n"], y=lim["upper_998_od"], mode="lines",
                                 line={"width": 0}, hoverinfo="skip", showlegend=False))
        fig.add_trace(go.Scatter(x=lim["n"], y=lim["lower_998_od"], mode="lines",
                                 line={"width": 0}, fill="tonexty",
                                 fillcolor="rgba(31,78,121,0.10)", hoverinfo="skip",
                                 name=label("limit_usual", lang)))
    fig.add_hline(y=p0, line_color=ACCENT, line_width=1, line_dash="dash",
                  annotation_text=f"{label('district_rate_line', lang)} {fmt_pct(p0, lang=lang)}",
                  annotation_font_size=11)
    colors = {"unusually_low": LOW_COLOR, "lower_usual": "#e59866", "usual": "#9eaab3",
              "higher_usual": "#82e0aa", "unusually_high": HIGH_COLOR}
    gap = points["z_adjusted"].abs()
    for sig in ("usual", "lower_usual", "higher_usual", "unusually_low", "unusually_high"):
        sub = points[points["signal"] == sig]
        if sub.empty:
            continue
        strong = sig.startswith("unusually")
        most = max_labels if sig == "unusually_low" else max(1, max_labels // 2)
        named = set(gap[sub.index].sort_values(ascending=False).index[:most])
        names = sub["group_name"].where(sub.index.isin(named), "") if strong else None
        fig.add_trace(go.Scatter(
            x=sub["invited"], y=sub["rate"], mode="markers+text" if strong else "markers",
            text=names, textposition="bottom center" if sig == "unusually_low" else
            "top center", textfont={"size": 10},
            meta="names" if strong else None,  # the page hides these labels on a phone
            marker={"color": colors[sig], "size": 10 if strong else 7,
                    "line": {"width": 0.5, "color": "#333"}},
            name=label(sig, lang),
            customdata=np.stack([sub["group_name"], sub["ward_name"], sub["attended"]], axis=1),
            hovertemplate=_hover(
                lang, ("group_name", "%{customdata[0]}"), ("ward_name", "%{customdata[1]}"),
                ("invited", "%{x:,d}"), ("attended", "%{customdata[2]:,d}"),
                ("rate", "%{y:,.1%}")),
        ))
    fig.update_layout(title=title, height=480,
                      xaxis={"title": label("invited", lang), "tickformat": COUNT_FORMAT},
                      yaxis={"title": label("rate", lang), "tickformat": ",.0%"})
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


def trends_chart(trends: pd.DataFrame, lang: Lang = "vi",
                 highlight: str | None = None) -> go.Figure:
    """Invited and attended households (bars) and the rate (line) per year.

    With a ward_code column, one rate line per ward in the ward's colour (with a unit_id
    column, compare.trends, one line per ward as the registry knows it, so a code reused by
    a new ward after a merger starts a new line); with `highlight`, that ward's line stands
    out and the others are quiet and unnamed.
    """
    title = label("title_trends", lang)
    if trends.empty:
        return _empty(title, lang)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        row_heights=[0.55, 0.45])
    years = trends["year"].astype(int)
    if "ward_code" in trends.columns:
        key = trends["ward_code"].astype(str)
        if "unit_id" in trends.columns:
            key = trends["unit_id"].astype("string").fillna(key)
        for _, sub in trends.groupby(key, sort=False):
            code, name = str(sub["ward_code"].iloc[0]), str(sub["ward_name"].iloc[-1])
            color = sub["color"].iloc[0] if "color" in sub and pd.notna(sub["color"].iloc[0]) \
                else ward_color(code)
            quiet = highlight is not None and str(code) != str(highlight)
            line = ({"color": "#cfd8dc", "width": 1} if quiet else
                    {"color": ACCENT, "width": 3} if highlight is not None else
                    {"color": color})
            fig.add_trace(go.Scatter(
                x=sub["year"], y=sub["rate"], mode="lines+markers", name=name,
                line=line, showlegend=not quiet,
                hovertemplate=_hover(lang, ("ward_name", name), ("year", "%{x}"),
                                     ("rate", "%{y:,.1%}"))), row=1, col=1)
            fig.add_trace(go.Scatter(
                x=sub["year"], y=sub["attended"], mode="lines+markers", name=name,
                showlegend=False, line=line,
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


def paired_change_chart(changes: pd.DataFrame, lang: Lang = "vi", base: int | None = None,
                        year: int | None = None, highlight: str | None = None) -> go.Figure:
    """Each group's rate in the base year against the new year; the diagonal is no change.
    Axes name the years; with `highlight`, that ward's groups stand out."""
    title = label("title_paired", lang)
    df = changes.dropna(subset=["rate_base", "rate_new"])
    if df.empty:
        return _empty(title, lang)
    fig = go.Figure()
    lo = float(min(df["rate_base"].min(), df["rate_new"].min()))
    fig.add_trace(go.Scatter(x=[lo, 1], y=[lo, 1], mode="lines", hoverinfo="skip",
                             line={"color": "#888", "dash": "dash"}, showlegend=False))
    for code, sub in df.groupby("ward_code"):
        quiet = highlight is not None and str(code) != str(highlight)
        fig.add_trace(go.Scatter(
            x=sub["rate_base"], y=sub["rate_new"], mode="markers",
            name=str(sub["ward_name"].iloc[0]), showlegend=False,
            marker={"color": "#cfd8dc" if quiet else (ACCENT if highlight else ward_color(code)),
                    "size": 6 if quiet else 8,
                    "symbol": ["diamond" if s else "circle" for s in sub["significant"]]},
            customdata=np.stack([sub["group_name"], sub["ward_name"], sub["change"]], axis=1),
            hovertemplate=_hover(
                lang, ("group_name", "%{customdata[0]}"), ("ward_name", "%{customdata[1]}"),
                ("rate_base", "%{x:,.1%}"), ("rate_new", "%{y:,.1%}"),
                ("change", "%{customdata[2]:+,.1%}")).replace(
                label("rate_base", lang), label("rate_base", lang, base=base)).replace(
                label("rate_new", lang), label("rate_new", lang, year=year)),
        ))
    fig.update_layout(title=title, height=520,
                      xaxis={"title": label("rate_base", lang, base=base),
                             "tickformat": ",.0%"},
                      yaxis={"title": label("rate_new", lang, year=year), "tickformat": ",.0%"})
    return apply_style(fig, lang)


def _pp(x: float, lang: Lang) -> str:
    """A change in points; one that rounds to zero reads 0,0, not -0,0."""
    return fmt_pp(x if abs(x) >= 5e-4 else 0.0, lang=lang)


def decomposition_chart(summary: pd.DataFrame, lang: Lang = "vi", base: int | None = None,
                        year: int | None = None) -> go.Figure:
    """Waterfall: base-year rate, + within-ward part, + mix part = new rate (real years).

    `summary` is compare.rate_decomposition_summary(): one row with rate_base, within_part,
    mix_part, rate_new.
    """
    title = label("title_decomposition", lang)
    if summary.empty or summary[["rate_base", "rate_new"]].isna().any(axis=None):
        return _empty(title, lang)
    r = summary.iloc[0]
    if summary.attrs.get("not_comparable"):  # no unit in both years: the two rates only
        fig = go.Figure(go.Bar(
            x=[label("rate_base", lang, base=base), label("rate_new", lang, year=year)],
            y=[r["rate_base"], r["rate_new"]], marker_color=ACCENT,
            text=[fmt_pct(r["rate_base"], lang=lang), fmt_pct(r["rate_new"], lang=lang)],
            textposition="outside", hovertemplate="%{x}: %{y:,.2%}<extra></extra>"))
        fig.update_layout(title=title, showlegend=False,
                          yaxis={"title": label("rate", lang), "tickformat": RATE_FORMAT,
                                 "range": [0, 1]})
        return apply_style(fig, lang)
    # wrapped: four long names side by side overlapped on a phone
    groups = "_groups" if summary.attrs.get("by") == "group_code" else ""  # a ward's page
    names = [_wrap(n, 14) for n in (label("rate_base", lang, base=base),
                                    label("within_part" + groups, lang),
                                    label("mix_part" + groups, lang),
                                    label("rate_new", lang, year=year))]
    # floating bars (a waterfall drawn with plain bars: the reports' plotly.js build has
    # bar and scatter traces only)
    steps = [r["rate_base"], r["within_part"], r["mix_part"], r["rate_new"]]
    bases = [0.0, r["rate_base"], r["rate_base"] + r["within_part"], 0.0]
    tops = [steps[0], steps[1], steps[2], steps[3]]
    colors = [ACCENT, HIGH_COLOR if r["within_part"] >= 0 else LOW_COLOR,
              HIGH_COLOR if r["mix_part"] >= 0 else LOW_COLOR, ACCENT]
    fig = go.Figure(go.Bar(
        x=names, y=tops, base=bases, marker_color=colors,
        text=[fmt_pct(r["rate_base"], lang=lang), _pp(r["within_part"], lang),
              _pp(r["mix_part"], lang), fmt_pct(r["rate_new"], lang=lang)],
        textposition="outside", cliponaxis=False,
        hovertemplate="%{x}: %{text}<extra></extra>",
    ))
    lo = min(r["rate_base"], r["rate_new"]) - abs(r["within_part"]) - abs(r["mix_part"])
    hi = max(r["rate_base"], r["rate_new"]) + abs(r["within_part"]) + abs(r["mix_part"])
    fig.update_layout(title=title, showlegend=False,
                      yaxis={"title": label("rate", lang), "tickformat": RATE_FORMAT,
                             "range": [max(0, lo - 0.02), min(1, hi + 0.02)]},
                      xaxis={"type": "category"})
    return apply_style(fig, lang)


def opinions_chart(per_100: pd.DataFrame, lang: Lang = "vi",
                   highlight: str | None = None) -> go.Figure:
    """Opinions per 100 attending households by ward (ward colours; the reader's ward
    highlighted)."""
    title = label("title_opinions", lang)
    df = per_100.dropna(subset=["opinions_per_100"]).sort_values("opinions_per_100")
    if df.empty:
        return _empty(title, lang)
    fig = go.Figure(go.Bar(
        x=df["opinions_per_100"], y=df["ward_name"], orientation="h",
        marker_color=_ward_marker(df["ward_code"], highlight)["color"],
        customdata=np.stack([df["opinions"], df["attended"]], axis=1),
        hovertemplate=_hover(lang, ("ward_name", "%{y}"), ("opinions_per_100", "%{x:,.1f}"),
                             ("opinions", "%{customdata[0]:,d}"),
                             ("attended", "%{customdata[1]:,d}")),
    ))
    fig.update_layout(title=title, showlegend=False, height=max(320, 28 * len(df) + 120),
                      xaxis={"title": label("opinions_per_100", lang), "tickformat": ",.1f"},
                      yaxis={"title": ""})
    return apply_style(fig, lang)


def coverage_chart(coverage: pd.DataFrame, lang: Lang = "vi",
                   highlight: str | None = None) -> go.Figure:
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
    fig.update_layout(title=title, barmode="group", height=max(360, 34 * len(df) + 140),
                      xaxis={"title": "", "tickformat": ",.0%"}, yaxis={"title": ""})
    if highlight is not None:
        name = df.loc[df["ward_code"].astype(str) == str(highlight), "ward_name"]
        if len(name):
            fig.update_yaxes(tickvals=list(df["ward_name"]),
                             ticktext=[f"<b>{n}</b>" if n == name.iloc[0] else n
                                       for n in df["ward_name"]])
    return apply_style(fig, lang)


def _wrap(text: str, width: int = 22) -> str:
    """A long axis label on two or three lines (phones have no room for one long line)."""
    import textwrap

    return "<br>".join(textwrap.wrap(str(text), width)) or str(text)


def topic_chart(shares: pd.DataFrame, lang: Lang = "vi") -> go.Figure:
    """Horizontal bars: how many opinions each topic drew, one colour per level, stacked,
    most raised at the top; each bar labelled with its count.

    Takes opinions.topic_shares (shares and their intervals are in its table).
    """
    title = label("title_topics", lang)
    df = shares[shares["n"] > 0]
    if df.empty or df["count"].sum() == 0:
        return _empty(title, lang)
    totals = df.groupby("topic_name")["count"].sum()
    order = totals[totals > 0].sort_values(kind="stable").index.tolist()
    fig = go.Figure()
    colors = {"to_dan_pho": ACCENT, "phuong": "#e59866"}
    for lv in [lv for lv in LEVELS if lv in set(df["level"])]:
        sub = df[df["level"] == lv].set_index("topic_name").reindex(order).fillna(
            {"count": 0, "n": 0, "share": 0.0})
        fig.add_trace(go.Bar(
            x=sub["count"], y=[_wrap(t) for t in sub.index], orientation="h",
            name=level_label(lv, lang), marker={"color": colors.get(lv, OTHER_COLOR)},
            text=[fmt_int(c, lang) if c else "" for c in sub["count"]],
            textposition="inside" if lv == "to_dan_pho" else "outside",
            insidetextanchor="end", cliponaxis=False,
            customdata=np.stack([sub["share"]], axis=1),
            hovertemplate=(
                "%{y}<br>" + column_label("count", lang) + ": %{x:,d}<br>"
                + column_label("share", lang) + ": %{customdata[0]:.1%}"
                + "<extra>" + level_label(lv, lang) + "</extra>"
            ),
        ))
    # a row tall enough for its name wrapped on three lines ("Chính quyền, thủ tục hành
    # chính, công tác Mặt trận"): at 34 px such names overlapped their neighbours
    lines = max((_wrap(t).count("<br>") + 1 for t in order), default=1)
    row = max(34, 15 * lines + 6)
    fig.update_layout(
        title=title, barmode="stack", height=max(320, row * len(order) + 130),
        xaxis={"title": column_label("count", lang), "tickformat": COUNT_FORMAT},
        yaxis={"title": ""}, showlegend=len(fig.data) > 1,
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

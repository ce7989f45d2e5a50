"""Attendance: rates with honest uncertainty, size-aware outliers, coverage and the schedule.

Every function takes the tables of a loaded year (or the Dataset itself) and returns a
DataFrame, so notebooks only show results and tests can check them by hand. Rates are
pooled (sum attended / sum invited) wherever groups are combined: a mean of rates would
let a 20-household group weigh as much as a 400-household one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from hbt_analysis.fmt import Lang, fmt_date, fmt_int, fmt_num, fmt_pct
from hbt_analysis.labels import label, unit_words
from hbt_analysis.stats import wilson_interval
from hbt_analysis.units import check_ward  # noqa: F401  (the notebooks call att.check_ward)

RATE_COLUMNS = ["invited", "attended", "rate", "ci_low", "ci_high"]
GROUP_KEYS = ["ward_code", "ward_name", "group_code", "group_name"]


# ---------------------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------------------


def _with_rate(df: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Add rate and its Wilson interval to a frame with invited and attended."""
    out = df.copy()
    invited = out["invited"].astype("float64")
    # groups without an invited count have no rate: leave their attendance out of it
    rated = "attended_rated" if "attended_rated" in out else "attended"
    attended = out.pop(rated).astype("float64") if rated != "attended" else out[
        "attended"].astype("float64")
    out["rate"] = (attended / invited).where(invited > 0)
    lo, hi = wilson_interval(attended.to_numpy(), invited.to_numpy(), level)
    out["ci_low"] = np.atleast_1d(lo)
    out["ci_high"] = np.atleast_1d(hi)
    return out


def _sums(gc: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Pooled counts per `by` (no `by`: one district row)."""
    invited = pd.to_numeric(gc["households_invited"]).astype("float64")
    attended = pd.to_numeric(gc["households_attended"]).astype("float64")
    work = gc.assign(
        invited=invited,
        attended=attended,
        # the rate's numerator: only rows whose invited count is known
        attended_rated=attended.where(invited.notna()),
        opinions=pd.to_numeric(gc["opinions_count"]) if "opinions_count" in gc else 0,
    )
    agg = {
        "groups": ("invited", "size"),
        "invited": ("invited", lambda s: s.sum(min_count=1)),
        "attended": ("attended", lambda s: s.sum(min_count=1)),
        "attended_rated": ("attended_rated", lambda s: s.sum(min_count=1)),
        "opinions": ("opinions", "sum"),
    }
    if by:
        out = work.groupby(by, sort=True, dropna=False).agg(**agg).reset_index()
    else:
        out = pd.DataFrame(
            {
                "groups": [len(work)],
                "invited": [work["invited"].sum(min_count=1) if len(work) else 0],
                "attended": [work["attended"].sum(min_count=1) if len(work) else 0],
                "attended_rated": [work["attended_rated"].sum(min_count=1) if len(work)
                                   else 0],
                "opinions": [work["opinions"].sum() if len(work) else 0],
            }
        )
    return out


def group_rates(group_conferences: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """One row per residential group: invited, attended, rate and its Wilson interval."""
    gc = group_conferences
    keys = [k for k in GROUP_KEYS if k in gc.columns]
    out = gc[keys].copy()
    out["invited"] = pd.to_numeric(gc["households_invited"]).astype("Float64")
    out["attended"] = pd.to_numeric(gc["households_attended"]).astype("Float64")
    out["opinions"] = pd.to_numeric(gc["opinions_count"]).astype("Int64")
    out = _with_rate(out.astype({"invited": "float64", "attended": "float64"}), level)
    return out.sort_values(["ward_code", "group_code"]).reset_index(drop=True)


def ward_rates(group_conferences: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """One row per ward, its groups pooled: groups held, invited, attended, rate, interval."""
    by = [c for c in ("ward_code", "ward_name") if c in group_conferences.columns]
    return _with_rate(_sums(group_conferences, by), level)


def district_rate(group_conferences: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """The district's pooled rate (sum attended / sum invited), one row."""
    return _with_rate(_sums(group_conferences, []), level)


def level_summary(ds: Any, ward: str | None = None, lang: Lang = "vi") -> pd.DataFrame:
    """Group level beside ward level: units, invited, attended, rate, interval, opinions.

    In 2023 the ward conferences reached 2.142/2.203 (97,2%) against 68,6% in the groups:
    the ward conference invites representatives, not every household.
    """
    gc = scope_frame(ds.group_conferences, ward)
    wc = scope_frame(ds.ward_conferences, ward)
    rows = []
    for level_code, frame in (("to_dan_pho", gc), ("phuong", wc)):
        row = district_rate(frame).iloc[0].to_dict()
        rows.append({"level": level_code, "level_label": label(level_code, lang), **row})
    out = pd.DataFrame(rows).rename(columns={"groups": "units"})
    return out[["level", "level_label", "units", *RATE_COLUMNS, "opinions"]]


def opinions_per_100(
    group_conferences: pd.DataFrame, by: Literal["group", "ward"] = "ward"
) -> pd.DataFrame:
    """Opinions raised per 100 attending households, by group or by ward (pooled)."""
    if by == "group":
        out = group_rates(group_conferences)
    elif by == "ward":
        out = ward_rates(group_conferences)
    else:
        raise ValueError(f'by phải là "group" hoặc "ward" / by must be "group" or "ward": {by}')
    attended = out["attended"].astype("float64")
    out["opinions_per_100"] = (100 * out["opinions"].astype("float64") / attended).where(
        attended > 0
    )
    return out


# ---------------------------------------------------------------------------------------
# Funnel plot (Spiegelhalter 2005)
# ---------------------------------------------------------------------------------------


def _level_key(level: float) -> str:
    """0.95 -> '95', 0.998 -> '998' (column suffixes)."""
    return f"{100 * level:g}".replace(".", "")


def binomial_limit(p0: float, n: Any, prob: float) -> np.ndarray:
    """The `prob` quantile of Binomial(n, p0)/n, interpolated between the discrete steps.

    Spiegelhalter (2005), Statistics in Medicine 24:1185, appendix A.1.1: with r the
    quantile, alpha = (F(r) - prob) / (F(r) - F(r-1)) and the limit is (r - alpha) / n.
    The interpolation gives smooth funnels instead of a staircase.
    """
    n = np.asarray(n, dtype=float)
    r = stats.binom.ppf(prob, n, p0)
    f_r = stats.binom.cdf(r, n, p0)
    f_below = stats.binom.cdf(r - 1, n, p0)
    with np.errstate(invalid="ignore", divide="ignore"):
        step = f_r - f_below
        alpha = np.where(step > 0, (f_r - prob) / np.where(step > 0, step, 1), 0.0)
        return np.clip((r - alpha) / n, 0, 1)


def funnel_limits(
    p0: float, n_range: Sequence[float] | np.ndarray, levels: Sequence[float] = (0.95, 0.998)
) -> pd.DataFrame:
    """Control limits around the target rate p0 for each size n: lower_95, upper_95, ...

    A group is only surprising if its rate falls outside what chance alone gives a group of
    its size: small groups scatter widely, large ones hardly at all.
    """
    if not 0 <= p0 <= 1:
        raise ValueError(f"p0 phải nằm trong [0, 1] / p0 must be in [0, 1]: {p0}")
    n = np.asarray(n_range, dtype=float)
    out = pd.DataFrame({"n": n, "p0": p0})
    for level in levels:
        tail = (1 - level) / 2
        key = _level_key(level)
        out[f"lower_{key}"] = binomial_limit(p0, n, tail)
        out[f"upper_{key}"] = binomial_limit(p0, n, 1 - tail)
    return out


FUNNEL_POSITIONS = ("below_998", "below_95", "within", "above_95", "above_998")


def funnel_points(
    group_conferences: pd.DataFrame,
    scope: Literal["district", "ward"] = "district",
    levels: tuple[float, float] = (0.95, 0.998),
    ward: str | None = None,
) -> pd.DataFrame:
    """Every group with its target rate, its limits at its own size, and its position.

    scope="district": the target is the district's pooled rate; scope="ward": each group
    is held against its own ward's pooled rate. `ward` keeps only that ward's groups (the
    target is still computed from the whole frame).
    """
    if scope not in ("district", "ward"):
        raise ValueError(f'scope phải là "district" hoặc "ward" / must be: {scope}')
    pts = group_rates(group_conferences)
    pts = pts[pts["invited"] > 0].reset_index(drop=True)
    if scope == "district":
        p0 = district_rate(group_conferences)["rate"].iloc[0]
        pts["p0"] = p0
    else:
        wr = ward_rates(group_conferences)[["ward_code", "rate"]].rename(columns={"rate": "p0"})
        pts = pts.merge(wr, on="ward_code", how="left")
    inner, outer = sorted(levels)
    ki, ko = _level_key(inner), _level_key(outer)
    for level in (inner, outer):
        key = _level_key(level)
        tail = (1 - level) / 2
        lo = np.full(len(pts), np.nan)
        hi = np.full(len(pts), np.nan)
        for p0, idx in pts.groupby("p0").groups.items():
            rows = pts.index.get_indexer(idx)
            lo[rows] = binomial_limit(p0, pts.loc[idx, "invited"], tail)
            hi[rows] = binomial_limit(p0, pts.loc[idx, "invited"], 1 - tail)
        pts[f"lower_{key}"] = lo
        pts[f"upper_{key}"] = hi
    r = pts["rate"]
    pts["position"] = np.select(
        [r < pts[f"lower_{ko}"], r < pts[f"lower_{ki}"], r > pts[f"upper_{ko}"],
         r > pts[f"upper_{ki}"]],
        ["below_998", "below_95", "above_998", "above_95"],
        default="within",
    )
    pts["scope"] = scope
    if ward is not None:
        pts = scope_frame(pts, ward)
    return pts


def funnel_outliers(
    group_conferences: pd.DataFrame,
    scope: Literal["district", "ward"] = "district",
    levels: tuple[float, float] = (0.95, 0.998),
    ward: str | None = None,
) -> pd.DataFrame:
    """Groups outside the 95% limits, named, most extreme first (below, then above).

    position says which limit they pass: below_998 is the strongest signal of a low rate.
    """
    pts = funnel_points(group_conferences, scope, levels, ward)
    out = pts[pts["position"] != "within"].copy()
    order = {p: i for i, p in enumerate(("below_998", "below_95", "above_998", "above_95"))}
    out["_o"] = out["position"].map(order)
    out["_gap"] = (out["rate"] - out["p0"]).abs()
    out = out.sort_values(["_o", "_gap"], ascending=[True, False])
    return out.drop(columns=["_o", "_gap"]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# Coverage against the 2019 census
# ---------------------------------------------------------------------------------------

def coverage_note(wards: pd.DataFrame, lang: Lang = "vi") -> str:
    """The caveat over the census coverage, said from the data: how many units' 2019
    figures are estimates (a `census_note` starting 'estimated'), or that there are none
    (another area, or wards formed after the census)."""
    unit = unit_words(lang)["unit" if lang == "vi" else "units"]
    hh = pd.to_numeric(wards["households_2019"], errors="coerce") \
        if "households_2019" in wards else pd.Series(dtype="float64")
    if hh.notna().sum() == 0:
        return (f"Không có số hộ theo Tổng điều tra dân số 2019 cho các {unit} này, nên không "
                "tính được độ bao phủ." if lang == "vi" else
                f"There are no 2019 census household counts for these {unit}, so coverage "
                "cannot be computed.")
    notes = wards["census_note"].fillna("").astype(str) if "census_note" in wards \
        else pd.Series([""] * len(wards))
    estimated = int((notes.str.strip().str.lower().str.startswith("estimated")
                     & hh.notna().to_numpy()).sum())
    if lang == "vi":
        text = ("Ước tính gần đúng: mẫu số là số hộ theo Tổng điều tra dân số 2019, không phải "
                "số hộ của năm hội nghị")
        return text + (f"; số của {fmt_int(estimated)} {unit} là số ước tính." if estimated
                       else ".")
    text = ("Approximation: the denominator is the 2019 census household count, not the "
            "households in the conference year")
    return text + (f"; {estimated} of the {unit} are estimates." if estimated else ".")


def census_coverage(group_conferences: pd.DataFrame, wards: pd.DataFrame) -> pd.DataFrame:
    """Invited and attended households as shares of the 2019 census households, per ward.

    An approximation (households change, the census counts differently): the column
    `approximation` is True on every row so no table can drop the caveat unnoticed.
    """
    wr = ward_rates(group_conferences)[["ward_code", "groups", "invited", "attended"]]
    w = wards[["ward_code", "ward_name", "households_2019"]].copy()
    if "census_note" in wards:
        w["census_note"] = wards["census_note"]
    out = w.merge(wr, on="ward_code", how="left")
    hh = pd.to_numeric(out["households_2019"]).astype("float64")
    out["invited_share"] = out["invited"].astype("float64") / hh
    out["attended_share"] = out["attended"].astype("float64") / hh
    out["approximation"] = True
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# Schedule
# ---------------------------------------------------------------------------------------


def planned_window(ds: Any, level: str = "to_dan_pho") -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """The planned window (start, end, source): published period if known, else the data's.

    source is "published" or "data", so a report can say which it used.
    """
    pub = getattr(ds, "published", None)
    if pub is not None and len(pub) and {"period_start", "period_end"} <= set(pub.columns):
        row = pub[pub["level"].astype(str) == level]
        if len(row) and pd.notna(row["period_start"].iloc[0]) and pd.notna(
            row["period_end"].iloc[0]
        ):
            return (
                pd.Timestamp(row["period_start"].iloc[0]),
                pd.Timestamp(row["period_end"].iloc[0]),
                "published",
            )
    frame = ds.group_conferences if level == "to_dan_pho" else ds.ward_conferences
    dates = pd.to_datetime(frame["conference_date"]).dropna()
    if dates.empty:
        return pd.NaT, pd.NaT, "data"
    return dates.min().normalize(), dates.max().normalize(), "data"


def conferences_per_week(
    group_conferences: pd.DataFrame, window_start: Any, window_end: Any
) -> pd.DataFrame:
    """Conferences held per ISO week (Monday start) through the window, empty weeks kept."""
    dates = pd.to_datetime(group_conferences["conference_date"]).dropna()
    start = pd.Timestamp(window_start) if pd.notna(window_start) else dates.min()
    end = pd.Timestamp(window_end) if pd.notna(window_end) else dates.max()
    if pd.isna(start) or pd.isna(end):
        return pd.DataFrame({"week_start": pd.Series([], dtype="datetime64[ns]"),
                             "conferences": pd.Series([], dtype="int64"),
                             "in_window": pd.Series([], dtype="bool")})
    lo = min(start, dates.min()) if len(dates) else start
    hi = max(end, dates.max()) if len(dates) else end
    week = (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).dt.normalize()
    first = (lo - pd.Timedelta(days=lo.day_of_week)).normalize()
    weeks = pd.date_range(first, hi, freq="7D")
    counts = week.value_counts().reindex(weeks, fill_value=0)
    out = pd.DataFrame({"week_start": weeks, "conferences": counts.to_numpy().astype("int64")})
    week_end = out["week_start"] + pd.Timedelta(days=6)
    out["in_window"] = (week_end >= start.normalize()) & (out["week_start"] <= end)
    cumulative = out["conferences"].cumsum()
    out["cumulative_share"] = cumulative / max(int(cumulative.iloc[-1]) if len(out) else 0, 1)
    return out


def outside_window(
    group_conferences: pd.DataFrame, window_start: Any, window_end: Any
) -> pd.DataFrame:
    """Groups whose conference date is before the window, after it, or missing."""
    gc = group_conferences
    keys = [k for k in GROUP_KEYS if k in gc.columns]
    d = pd.to_datetime(gc["conference_date"])
    start, end = pd.Timestamp(window_start), pd.Timestamp(window_end)
    where = np.select(
        [d.isna(), d < start.normalize(), d.dt.normalize() > end.normalize()],
        ["missing", "before", "after"],
        default="inside",
    )
    out = gc[keys].assign(conference_date=d, where=where)
    return out[out["where"] != "inside"].sort_values("conference_date").reset_index(drop=True)


def ward_after_groups(
    group_conferences: pd.DataFrame, ward_conferences: pd.DataFrame
) -> pd.DataFrame:
    """Each ward's conference date beside its last group conference (it should come after)."""
    dates = pd.to_datetime(group_conferences["conference_date"])
    g = group_conferences.assign(conference_date=dates)
    last = g.groupby("ward_code")["conference_date"].agg(["min", "max", "size"]).reset_index()
    last.columns = ["ward_code", "first_group_date", "last_group_date", "groups"]
    w = ward_conferences[["ward_code", "ward_name", "conference_date"]].rename(
        columns={"conference_date": "ward_date"}
    )
    w["ward_date"] = pd.to_datetime(w["ward_date"])
    out = w.merge(last, on="ward_code", how="outer")
    out["days_after_last_group"] = (out["ward_date"] - out["last_group_date"]).dt.days
    out["ward_after_groups"] = out["days_after_last_group"] > 0
    return out.sort_values("ward_code").reset_index(drop=True)


def schedule(
    group_conferences: pd.DataFrame,
    ward_conferences: pd.DataFrame,
    window_start: Any,
    window_end: Any,
) -> dict[str, pd.DataFrame]:
    """The three schedule tables: per_week, outside_window, ward_vs_groups."""
    return {
        "per_week": conferences_per_week(group_conferences, window_start, window_end),
        "outside_window": outside_window(group_conferences, window_start, window_end),
        "ward_vs_groups": ward_after_groups(group_conferences, ward_conferences),
    }


# ---------------------------------------------------------------------------------------
# Scope and sentences
# ---------------------------------------------------------------------------------------


def ward_name(ds: Any, ward: str | None, lang: Lang = "vi") -> str:
    """'phường An Bình' / 'An Bình ward'; the area's title when ward is None: names and
    kinds from the unit registry (`Dataset.scope_name`)."""
    if hasattr(ds, "scope_name"):
        return ds.scope_name(None if ward is None else str(ward), lang)
    if ward is None:  # a frame-only dataset: the area of the registry in use
        from hbt_analysis.registry import registry

        return registry().area(ds.year).title(lang)
    names = dict(zip(ds.wards["ward_code"].astype(str), ds.wards["ward_name"], strict=False))
    name = names.get(str(ward), str(ward))
    return f"phường {name}" if lang == "vi" else f"{name} ward"


def scope_frame(frame: pd.DataFrame, ward: str | None) -> pd.DataFrame:
    """The rows of one ward (all rows when ward is None)."""
    if ward is None:
        return frame
    return frame[frame["ward_code"].astype(str) == str(ward)].reset_index(drop=True)


def has_data(ds: Any, ward: str | None = None) -> bool:
    """Whether the year has any group conference in this scope."""
    return len(scope_frame(ds.group_conferences, ward)) > 0


def no_data_sentence(ds: Any, ward: str | None = None, lang: Lang = "vi") -> str:
    """What a report says instead of failing when a scope has no conferences that year."""
    where = ward_name(ds, ward, lang)
    if lang == "vi":
        return f"Năm {ds.year} không có dữ liệu hội nghị tổ dân phố của {where}."
    return f"There are no residential-group conference data for {where} in {ds.year}."


def district_sentence(ds: Any, lang: Lang = "vi", ward: str | None = None) -> str:
    """The headline: 'Năm 2023 có 263 tổ dân phố tổ chức hội nghị với 35.323/51.477 hộ dự,
    đạt 68,6%.' (for a ward: '... phường Nguyễn Du có ...')."""
    gc = scope_frame(ds.group_conferences, ward)
    if gc.empty:
        return no_data_sentence(ds, ward, lang)
    row = district_rate(gc).iloc[0]
    groups, att, inv = fmt_int(row["groups"], lang), row["attended"], row["invited"]
    where = "" if ward is None else " " + ward_name(ds, ward, lang)
    if pd.isna(inv):
        if lang == "vi":
            return (f"Năm {ds.year}{where} có {groups} tổ dân phố tổ chức hội nghị với "
                    f"{fmt_int(att, lang)} hộ dự (dữ liệu không có số hộ được mời).")
        where_en = "" if ward is None else f" in {ward_name(ds, ward, lang)}"
        return (f"In {ds.year}{where_en}, {groups} residential groups held conferences with "
                f"{fmt_int(att, lang)} households attending (households invited not in the data).")
    invited_known = pd.to_numeric(gc["households_invited"]).notna()
    if not invited_known.all():  # the rate only where the data has the invited count
        k = fmt_int(invited_known.sum(), lang)
        rated = fmt_int(pd.to_numeric(gc["households_attended"])[invited_known].sum(), lang)
        rate = fmt_pct(row["rate"], lang=lang)
        if lang == "vi":
            return (f"Năm {ds.year}{where} có {groups} tổ dân phố tổ chức hội nghị với "
                    f"{fmt_int(att, lang)} hộ dự; tỷ lệ dự {rate} ({rated}/{fmt_int(inv)}) "
                    f"tính trên {k} tổ có số hộ được mời.")
        where_en = "" if ward is None else f" in {ward_name(ds, ward, lang)}"
        return (f"In {ds.year}{where_en}, {groups} residential groups held conferences with "
                f"{fmt_int(att, lang)} households attending; the rate, {rate} "
                f"({rated}/{fmt_int(inv, lang)}), covers the {k} groups with an invited count.")
    if lang == "vi":
        return (f"Năm {ds.year}{where} có {groups} tổ dân phố tổ chức hội nghị với "
                f"{fmt_int(att, lang)}/{fmt_int(inv, lang)} hộ dự, đạt {fmt_pct(row['rate'])}.")
    where_en = "" if ward is None else f" in {ward_name(ds, ward, lang)}"
    return (f"In {ds.year}{where_en}, {groups} residential groups held conferences with "
            f"{fmt_int(att, lang)}/{fmt_int(inv, lang)} households attending, "
            f"{fmt_pct(row['rate'], lang=lang)}.")


def ward_level_sentence(ds: Any, lang: Lang = "vi", ward: str | None = None) -> str:
    """The ward conferences: 'Hội nghị cấp phường năm 2023 (<n> phường): 2.142/2.203 hộ
    dự, đạt 97,2%.' (the count and the kind of unit from the registry)"""
    wc = scope_frame(ds.ward_conferences, ward)
    if wc.empty:
        where = ward_name(ds, ward, lang)
        if lang == "vi":
            return (f"Năm {ds.year} không có dữ liệu hội nghị cấp {unit_words()['unit']} của "
                    f"{where}.")
        return (f"There are no {unit_words('en')['unit']}-level conference data for {where} in "
                f"{ds.year}.")
    row = district_rate(wc).iloc[0]
    att, inv = fmt_int(row["attended"], lang), fmt_int(row["invited"], lang)
    rate = fmt_pct(row["rate"], lang=lang)
    if lang == "vi":
        kind = ds.area.units("vi") if hasattr(ds, "area") else unit_words()["unit"]
        units = f"{fmt_int(row['groups'])} {kind}" if ward is None else ward_name(ds, ward)
        return f"Hội nghị cấp {kind} năm {ds.year} ({units}): {att}/{inv} hộ dự, đạt {rate}."
    kind = ds.area.units("en") if hasattr(ds, "area") else "wards"
    units = f"{fmt_int(row['groups'], lang)} {kind}" if ward is None else ward_name(ds, ward, lang)
    return (f"{unit_words('en')['Unit']}-level conferences in {ds.year} ({units}): "
            f"{att}/{inv} households, {rate}.")


def outlier_sentence(outliers: pd.DataFrame, lang: Lang = "vi", max_names: int = 10) -> str:
    """Names the groups outside the 99.8% limits, most extreme first (at most `max_names`
    per side, then how many more: the table lists them all), and counts those outside 95%."""
    strong = outliers[outliers["position"].isin(["below_998", "above_998"])]
    n95 = len(outliers)

    def names(frame: pd.DataFrame) -> str:
        more = len(frame) - max_names
        text = names_of(frame.head(max_names))
        if more > 0:
            text += (f" và {fmt_int(more)} tổ khác (xem bảng)" if lang == "vi"
                     else f" and {fmt_int(more, lang)} more (see the table)")
        return text

    def names_of(frame: pd.DataFrame) -> str:
        return "; ".join(
            f"{r.group_name} ({r.ward_name}, {fmt_pct(r.rate, lang=lang)} của "
            f"{fmt_int(r.invited, lang)} hộ)" if lang == "vi" else
            f"{r.group_name} ({r.ward_name}, {fmt_pct(r.rate, lang=lang)} of "
            f"{fmt_int(r.invited, lang)})"
            for r in frame.itertuples()
        )

    low = strong[strong["position"] == "below_998"]
    high = strong[strong["position"] == "above_998"]
    if lang == "vi":
        parts = [f"{fmt_int(n95)} tổ nằm ngoài giới hạn 95%."]
        parts.append(f"Dưới giới hạn 99,8%: {names(low)}." if len(low) else
                     "Không có tổ nào dưới giới hạn 99,8%.")
        parts.append(f"Trên giới hạn 99,8%: {names(high)}." if len(high) else
                     "Không có tổ nào trên giới hạn 99,8%.")
    else:
        parts = [f"{fmt_int(n95, lang)} groups lie outside the 95% limits."]
        parts.append(f"Below the 99.8% limit: {names(low)}." if len(low) else
                     "No group is below the 99.8% limit.")
        parts.append(f"Above the 99.8% limit: {names(high)}." if len(high) else
                     "No group is above the 99.8% limit.")
    return " ".join(parts)


def window_sentence(ds: Any, lang: Lang = "vi", ward: str | None = None) -> str:
    """Where the planned window comes from, and how many groups met outside it."""
    start, end, source = planned_window(ds)
    gc = scope_frame(ds.group_conferences, ward)
    if pd.isna(start):
        return ("Không có ngày hội nghị trong dữ liệu." if lang == "vi"
                else "The data have no conference dates.")
    n_out = len(outside_window(gc, start, end))
    if lang == "vi":
        src = ("theo số liệu đã công bố" if source == "published"
               else "chưa có kế hoạch công bố, lấy theo khoảng ngày trong dữ liệu")
        return (f"Thời gian tổ chức {fmt_date(start)}–{fmt_date(end)} ({src}); "
                f"{fmt_int(n_out)} tổ họp ngoài khoảng này.")
    src = ("as published" if source == "published"
           else "no published plan: the range of dates in the data")
    return (f"Planned window {fmt_date(start)}–{fmt_date(end)} ({src}); "
            f"{fmt_int(n_out, lang)} groups met outside it.")


def opinions_sentence(ds: Any, lang: Lang = "vi", ward: str | None = None) -> str:
    """Opinions raised and their rate per 100 attending households."""
    gc = scope_frame(ds.group_conferences, ward)
    if gc.empty:
        return no_data_sentence(ds, ward, lang)
    row = district_rate(gc).iloc[0]
    total_op, total_att = row["opinions"], row["attended"]
    per100 = 100 * total_op / total_att if total_att else float("nan")
    if lang == "vi":
        return (f"Các hội nghị tổ dân phố ghi nhận {fmt_int(total_op)} ý kiến, "
                f"tức {fmt_num(per100, 1)} ý kiến trên 100 hộ dự.")
    return (f"The group conferences recorded {fmt_int(total_op, lang)} opinions, "
            f"{fmt_num(per100, 1, lang)} per 100 attending households.")


def rates_table(ds: Any, ward: str | None = None) -> pd.DataFrame:
    """The rates a report lists: each ward for the whole area, each group for a ward
    (name, invited, attended, rate), highest rate first."""
    if ward is None:
        out = ward_rates(ds.group_conferences)[["ward_name", "groups", "invited", "attended",
                                                 "rate"]]
    else:
        out = group_rates(scope_frame(ds.group_conferences, ward))[
            ["group_name", "invited", "attended", "rate"]]
    return out.sort_values("rate", ascending=False, kind="stable").reset_index(drop=True)

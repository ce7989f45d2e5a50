"""Year-on-year: trends, groups matched by code, a decomposition of the district change,
published figures beside the data, and the 2022–2024 figures on the 2025 wards.

Groups are matched by `group_code` (stable across years). Nothing missing is filled in:
a figure that was not published stays <NA> with a note, and a ward split by the 2025
merger is reported on its own rather than shared out by a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from hbt_analysis.attendance import (
    district_rate,
    no_data_sentence,
    scope_frame,
    ward_name,
    ward_rates,
    wilson_interval,
)
from hbt_analysis.fmt import Lang, fmt_int, fmt_pct, fmt_pp, fmt_signed
from hbt_analysis.stats import difference_interval


def _as_dict(datasets: Mapping[int, Any] | Iterable[Any]) -> dict[int, Any]:
    """{year: Dataset}, sorted by year, from a dict or any iterable of datasets."""
    if isinstance(datasets, Mapping):
        items = {int(y): d for y, d in datasets.items()}
    else:
        items = {int(d.year): d for d in datasets}
    return dict(sorted(items.items()))


def base_year_for(year: int, base_year: int | None, available: Iterable[int]) -> int | None:
    """The year to compare with: base_year, else the latest available year before `year`.

    None when there is nothing to compare with (a report then says so).
    """
    years = sorted(int(y) for y in available)
    if base_year is not None:
        return int(base_year) if int(base_year) in years and int(base_year) != year else None
    earlier = [y for y in years if y < year]
    return earlier[-1] if earlier else None


def no_base_sentence(year: int, base_year: int | None, lang: Lang = "vi") -> str:
    """What a report says when there is no year to compare with."""
    wanted = base_year if base_year is not None else year - 1
    if lang == "vi":
        return f"Không có dữ liệu năm {wanted} để so sánh với năm {year}."
    return f"There are no data for {wanted} to compare {year} with."


# ---------------------------------------------------------------------------------------
# Trends
# ---------------------------------------------------------------------------------------


def trends(
    datasets: Mapping[int, Any] | Iterable[Any],
    scope: str = "district",
    ward: str | None = None,
) -> pd.DataFrame:
    """Invited, attended, rate (with Wilson interval) and opinions per year.

    scope="district": one row per year, the group level and the ward-level conferences
    (ward_invited, ward_attended, ward_rate, ward_opinions) side by side; with `ward`, that
    ward only. scope="ward": one row per year and ward.
    """
    rows = []
    for year, ds in _as_dict(datasets).items():
        gc = scope_frame(ds.group_conferences, ward)
        if scope == "ward":
            wr = ward_rates(gc)
            wr.insert(0, "year", year)
            rows.append(wr)
            continue
        if scope != "district":
            raise ValueError(f'scope phải là "district" hoặc "ward" / must be: {scope!r}')
        d = district_rate(gc).iloc[0].to_dict()
        w = district_rate(scope_frame(ds.ward_conferences, ward)).iloc[0]
        rows.append(pd.DataFrame([{
            "year": year, **d,
            "ward_units": w["groups"], "ward_invited": w["invited"],
            "ward_attended": w["attended"], "ward_rate": w["rate"],
            "ward_opinions": w["opinions"],
        }]))
    if not rows:
        return pd.DataFrame()
    out = pd.concat(rows, ignore_index=True)
    if scope == "ward" and len(out):
        out["opinions_per_100"] = (100 * out["opinions"] / out["attended"]).where(
            out["attended"] > 0
        )
    return out


# ---------------------------------------------------------------------------------------
# Groups matched by code
# ---------------------------------------------------------------------------------------


def _group_table(gc: pd.DataFrame) -> pd.DataFrame:
    keys = ["group_code", "ward_code", "ward_name", "group_name"]
    out = gc[[k for k in keys if k in gc.columns]].copy()
    out["invited"] = pd.to_numeric(gc["households_invited"]).astype("float64")
    out["attended"] = pd.to_numeric(gc["households_attended"]).astype("float64")
    out["opinions"] = pd.to_numeric(gc["opinions_count"]).astype("float64")
    out["rate"] = (out["attended"] / out["invited"]).where(out["invited"] > 0)
    return out


def scoped_groups(ds: Any | None, ward: str | None = None) -> pd.DataFrame | None:
    """The group conferences of a year in a scope; None when there is no such year."""
    return None if ds is None else scope_frame(ds.group_conferences, ward)


PAIRED_COLUMNS = ["ward_code", "ward_name", "group_code", "group_name", "invited_base",
                  "attended_base", "rate_base", "invited_new", "attended_new", "rate_new",
                  "change", "change_low", "change_high", "significant"]


def paired_changes(
    gc_base: pd.DataFrame | None, gc_new: pd.DataFrame, level: float = 0.95
) -> pd.DataFrame:
    """Groups present in both years: rates, change, its 95% interval, and `significant`
    (the interval excludes 0). Sorted by change, largest fall first. Empty without a base."""
    if gc_base is None:
        return pd.DataFrame(columns=PAIRED_COLUMNS)
    b = _group_table(gc_base)
    n = _group_table(gc_new)
    m = n.merge(b.drop(columns=["ward_code", "ward_name", "group_name"], errors="ignore"),
                on="group_code", suffixes=("_new", "_base"))
    m["change"] = m["rate_new"] - m["rate_base"]
    lo, hi = difference_interval(m["attended_new"], m["invited_new"], m["attended_base"],
                                 m["invited_base"], level)
    m["change_low"] = np.atleast_1d(lo) if len(m) else []
    m["change_high"] = np.atleast_1d(hi) if len(m) else []
    m["significant"] = (m["change_low"] > 0) | (m["change_high"] < 0)
    return m[PAIRED_COLUMNS].sort_values("change").reset_index(drop=True)


def most_improved(changes: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The n groups whose rate rose most (ties: larger groups first)."""
    df = changes.dropna(subset=["change"])
    return df.sort_values(["change", "invited_new"], ascending=[False, False]).head(n)


def most_declined(changes: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The n groups whose rate fell most (ties: larger groups first)."""
    df = changes.dropna(subset=["change"])
    return df.sort_values(["change", "invited_new"], ascending=[True, False]).head(n)


def group_membership(gc_base: pd.DataFrame | None, gc_new: pd.DataFrame) -> pd.DataFrame:
    """Groups in only one of the two years: status "new" or "discontinued" (empty without
    a base year: nothing is "new" when there is nothing to compare with)."""
    keys = ["group_code", "ward_code", "ward_name", "group_name"]
    if gc_base is None:
        return pd.DataFrame(columns=[*keys, "status"])
    b = gc_base[[k for k in keys if k in gc_base.columns]]
    n = gc_new[[k for k in keys if k in gc_new.columns]]
    new = n[~n["group_code"].isin(b["group_code"])].assign(status="new")
    gone = b[~b["group_code"].isin(n["group_code"])].assign(status="discontinued")
    return pd.concat([new, gone], ignore_index=True).sort_values(
        ["status", "group_code"], ascending=[False, True]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------
# Decomposition of the rate change
# ---------------------------------------------------------------------------------------


def _auto_by(gc_base: pd.DataFrame, gc_new: pd.DataFrame, by: str | None) -> str:
    """Wards for a district; groups when both frames hold a single ward."""
    if by is not None:
        return by
    wards = set(gc_base["ward_code"].astype(str)) | set(gc_new["ward_code"].astype(str))
    return "group_code" if len(wards) <= 1 else "ward_code"


def rate_decomposition(
    gc_base: pd.DataFrame, gc_new: pd.DataFrame, by: str | None = None
) -> pd.DataFrame:
    """Split the pooled rate change into a within part and a mix part, per unit of `by`.

    The pooled rate is Σ w·r (w = the unit's share of invited households, r its rate), so
    Δrate = Σ w̄·Δr + Σ r̄·Δw exactly (w̄, r̄: means of the two years). A unit present in
    one year only has no rate change of its own: its r is taken as the same in both years,
    so it counts wholly in the mix part. by=None: wards, or groups within a single ward.
    """
    by = _auto_by(gc_base, gc_new, by)

    def shares(gc: pd.DataFrame) -> pd.DataFrame:
        g = _group_table(gc).dropna(subset=["invited"])
        s = g.groupby(by, sort=True)[["invited", "attended"]].sum()
        s["share"] = s["invited"] / s["invited"].sum()
        s["rate"] = (s["attended"] / s["invited"]).where(s["invited"] > 0)
        return s

    b, n = shares(gc_base), shares(gc_new)
    m = b.join(n, how="outer", suffixes=("_base", "_new"))
    m["share_base"] = m["share_base"].fillna(0.0)
    m["share_new"] = m["share_new"].fillna(0.0)
    rate_base = m["rate_base"].fillna(m["rate_new"]).fillna(0.0)
    rate_new = m["rate_new"].fillna(m["rate_base"]).fillna(0.0)
    m["rate_base"], m["rate_new"] = rate_base, rate_new
    m["within_part"] = (m["share_base"] + m["share_new"]) / 2 * (rate_new - rate_base)
    m["mix_part"] = (rate_base + rate_new) / 2 * (m["share_new"] - m["share_base"])
    m["total_change"] = m["within_part"] + m["mix_part"]
    m = m.reset_index().rename(columns={"index": by})
    names = {}
    for gc in (gc_base, gc_new):
        name_col = "ward_name" if by == "ward_code" else "group_name"
        if name_col in gc.columns:
            names.update(dict(zip(gc[by], gc[name_col], strict=False)))
    name_col = "ward_name" if by == "ward_code" else "group_name"
    m.insert(1, name_col, m[by].map(names))
    return m[[by, name_col, "invited_base", "invited_new", "share_base", "share_new",
              "rate_base", "rate_new", "within_part", "mix_part", "total_change"]]


def rate_decomposition_summary(
    gc_base: pd.DataFrame | None, gc_new: pd.DataFrame, by: str | None = None
) -> pd.DataFrame:
    """One row: the two pooled rates, their difference, and its within and mix parts
    (no row without a base year)."""
    if gc_base is None or gc_base.empty or gc_new.empty:
        return pd.DataFrame(columns=["rate_base", "rate_new", "total_change", "within_part",
                                     "mix_part"])
    parts = rate_decomposition(gc_base, gc_new, by)
    rb = district_rate(gc_base)["rate"].iloc[0]
    rn = district_rate(gc_new)["rate"].iloc[0]
    return pd.DataFrame([{
        "rate_base": rb, "rate_new": rn, "total_change": rn - rb,
        "within_part": parts["within_part"].sum(), "mix_part": parts["mix_part"].sum(),
    }])


def decomposition_sentence(summary: pd.DataFrame, lang: Lang = "vi") -> str:
    """'Tỷ lệ dự toàn quận thay đổi −1,9 điểm %: −1,7 điểm % do ... và −0,2 điểm % do ...'"""
    if summary.empty:
        return ("Không đủ dữ liệu của hai năm để phân tách thay đổi." if lang == "vi"
                else "Two years of data are needed to decompose the change.")
    r = summary.iloc[0]
    if pd.isna(r["total_change"]):
        return ("Không tính được thay đổi tỷ lệ dự (thiếu số hộ được mời)." if lang == "vi"
                else "The rate change cannot be computed (households invited missing).")
    # a part that rounds to 0,0 is shown as 0,0, not -0,0
    tot, win, mix = (fmt_pp(r[k] if abs(r[k]) >= 5e-4 else 0.0, lang=lang)
                     for k in ("total_change", "within_part", "mix_part"))
    if lang == "vi":
        return (f"Tỷ lệ dự thay đổi {tot} ({fmt_pct(r['rate_base'])} → "
                f"{fmt_pct(r['rate_new'])}): {win} do tỷ lệ dự trong từng đơn vị thay đổi, "
                f"{mix} do cơ cấu số hộ được mời giữa các đơn vị thay đổi.")
    return (f"The rate changed by {tot} ({fmt_pct(r['rate_base'], lang=lang)} → "
            f"{fmt_pct(r['rate_new'], lang=lang)}): {win} from rates within units and "
            f"{mix} from the mix of invited households between units.")


# ---------------------------------------------------------------------------------------
# Sentences for the comparison
# ---------------------------------------------------------------------------------------


def comparison_table(ds_base: Any, ds_new: Any, ward: str | None = None) -> pd.DataFrame:
    """Groups, invited, attended, rate and opinions of the two years, and the change."""
    b = district_rate(scope_frame(ds_base.group_conferences, ward)).iloc[0]
    n = district_rate(scope_frame(ds_new.group_conferences, ward)).iloc[0]
    rows = []
    for metric in ("groups", "invited", "attended", "rate", "opinions"):
        rows.append({"metric": metric, "base": b[metric], "new": n[metric],
                     "change": n[metric] - b[metric]})
    out = pd.DataFrame(rows)
    out.attrs["years"] = (ds_base.year, ds_new.year)
    return out


def comparison_sentence(ds_base: Any | None, ds_new: Any, lang: Lang = "vi",
                        ward: str | None = None, base_year: int | None = None) -> str:
    """'So với năm 2023, năm 2024 có 263 → 264 tổ dân phố tổ chức hội nghị; số hộ dự
    35.323 → 29.712 (-5.611); tỷ lệ dự 68,6% → 65,1% (-3,5 điểm %); 1.435 → 1.056 ý kiến.'

    Without a base year (ds_base None) it says there is nothing to compare with.
    """
    if ds_base is None:
        return no_base_sentence(ds_new.year, base_year, lang)
    for ds in (ds_new, ds_base):
        if scope_frame(ds.group_conferences, ward).empty:
            return no_data_sentence(ds, ward, lang)
    t = comparison_table(ds_base, ds_new, ward).set_index("metric")
    yb, yn = ds_base.year, ds_new.year
    where = "" if ward is None else " " + ward_name(ds_new, ward, lang)

    def arrow(metric: str) -> str:
        r = t.loc[metric]
        if metric == "rate":
            if pd.isna(r["new"]) or pd.isna(r["base"]):
                return f"{fmt_pct(r['base'], lang=lang)} → {fmt_pct(r['new'], lang=lang)}"
            return (f"{fmt_pct(r['base'], lang=lang)} → {fmt_pct(r['new'], lang=lang)} "
                    f"({fmt_pp(r['change'], lang=lang)})")
        return f"{fmt_int(r['base'], lang)} → {fmt_int(r['new'], lang)}"

    att = t.loc["attended"]
    att_change = fmt_signed(att["change"], lang=lang)
    if lang == "vi":
        return (f"So với năm {yb}, năm {yn}{where} có {arrow('groups')} tổ dân phố tổ chức "
                f"hội nghị; số hộ dự {arrow('attended')} ({att_change}); tỷ lệ dự "
                f"{arrow('rate')}; số ý kiến {arrow('opinions')}.")
    where_en = "" if ward is None else f" in {ward_name(ds_new, ward, lang)}"
    return (f"From {yb} to {yn}{where_en}: {arrow('groups')} groups held conferences; "
            f"households attending {arrow('attended')} ({att_change}); rate {arrow('rate')}; "
            f"opinions {arrow('opinions')}.")


def membership_sentence(membership: pd.DataFrame, year: int, base_year: int | None,
                        lang: Lang = "vi") -> str:
    """Names the new and the discontinued groups."""
    if base_year is None:
        return no_base_sentence(year, None, lang)
    def names(status: str) -> str:
        sub = membership[membership["status"] == status]
        return "; ".join(f"{r.group_name} ({r.ward_name}, {r.group_code})"
                         for r in sub.itertuples())

    new, gone = names("new"), names("discontinued")
    if lang == "vi":
        a = (f"Tổ mới năm {year}: {new}." if new
             else f"Không có tổ mới so với năm {base_year}.")
        b = (f"Tổ có năm {base_year} nhưng không có năm {year}: {gone}." if gone
             else f"Mọi tổ của năm {base_year} đều tổ chức hội nghị năm {year}.")
    else:
        a = f"New groups in {year}: {new}." if new else f"No new groups since {base_year}."
        b = (f"Groups of {base_year} absent in {year}: {gone}." if gone
             else f"Every group of {base_year} held a conference in {year}.")
    return a + " " + b


def paired_sentence(changes: pd.DataFrame, lang: Lang = "vi") -> str:
    """How many matched groups rose or fell beyond chance."""
    if changes.empty:
        return ("Không có tổ dân phố nào để so sánh giữa hai năm." if lang == "vi"
                else "No residential group to compare between the two years.")
    n = len(changes.dropna(subset=["change"]))
    up = int(((changes["change_low"] > 0)).sum())
    down = int(((changes["change_high"] < 0)).sum())
    if lang == "vi":
        return (f"Trong {fmt_int(n)} tổ có ở cả hai năm, tỷ lệ dự tăng rõ ở {fmt_int(up)} tổ và "
                f"giảm rõ ở {fmt_int(down)} tổ (khoảng tin cậy 95% của thay đổi không chứa 0).")
    return (f"Of {fmt_int(n, lang)} groups present in both years, the rate rose clearly in "
            f"{fmt_int(up, lang)} and fell clearly in {fmt_int(down, lang)} (95% interval of "
            "the change excludes 0).")


# ---------------------------------------------------------------------------------------
# Published figures beside the data
# ---------------------------------------------------------------------------------------

_NOTES = {
    "not_published": ("Chưa công bố", "Not published"),
    "no_publication": ("Không có số liệu công bố cho năm này", "No published figures this year"),
    "nearly": ("Số công bố là số làm tròn (\"gần\")", "Published figure is rounded (\"nearly\")"),
    "match": ("Khớp", "Matches"),
    "differs": ("Khác số công bố", "Differs from the published figure"),
    "rate_rounded": ("Số công bố làm tròn 1 chữ số thập phân", "Published to one decimal"),
}


def _note(key: str, lang: Lang) -> str:
    vi, en = _NOTES[key]
    return vi if lang == "vi" else en


def published_vs_data(datasets: Mapping[int, Any] | Iterable[Any] | Any,
                      lang: Lang = "vi") -> pd.DataFrame:
    """Per year, level and measure: the published figure, the data's, and a note.

    The rate is in percent (rate_pct), as published, so one column can hold every measure.

    A figure that was not published stays <NA> with the note "Chưa công bố": it is never
    filled in from the data.
    """
    if hasattr(datasets, "group_conferences"):
        datasets = [datasets]
    rows = []
    for year, ds in _as_dict(datasets).items():
        pub = ds.published if ds.published is not None else pd.DataFrame()
        for level, frame in (("to_dan_pho", ds.group_conferences),
                             ("phuong", ds.ward_conferences)):
            d = district_rate(frame).iloc[0]
            p = pub[pub["level"].astype(str) == level] if len(pub) else pub
            prow = p.iloc[0] if len(p) else None
            data_vals = {"units_held": d["groups"], "households_invited": d["invited"],
                         "households_attended": d["attended"], "rate_pct": 100 * d["rate"],
                         "opinions": d["opinions"]}
            for metric, dv in data_vals.items():
                if prow is None:
                    pv, note = pd.NA, _note("no_publication", lang)
                else:
                    raw = prow.get(metric, pd.NA)
                    pv = pd.NA if pd.isna(raw) else float(raw)
                    if pd.isna(pv):
                        note = _note("not_published", lang)
                    elif (metric == "households_attended"
                          and str(prow.get("attended_qualifier", "")) == "nearly"):
                        note = _note("nearly", lang)
                    elif metric == "rate_pct":  # published to one decimal
                        same = not pd.isna(dv) and round(dv, 1) == round(pv, 1)
                        note = _note("match" if same else "differs", lang)
                    else:
                        note = _note("match" if not pd.isna(dv) and dv == pv else "differs",
                                     lang)
                diff = pd.NA if pd.isna(pv) or pd.isna(dv) else dv - pv
                rows.append({"year": year, "level": level, "metric": metric,
                             "published": pv, "data": dv, "difference": diff, "note": note})
    out = pd.DataFrame(rows)
    for c in ("published", "data", "difference"):
        out[c] = pd.to_numeric(out[c]).astype("Float64")
    return out


# ---------------------------------------------------------------------------------------
# The 2025 merger
# ---------------------------------------------------------------------------------------

MERGER_NOTE = {
    "vi": (
        "Theo Nghị quyết 1656/NQ-UBTVQH15 (hiệu lực 01/07/2025). Chỉ cộng các phường cũ "
        "chuyển toàn bộ về một phường mới. Phường cũ bị chia cho nhiều phường mới được báo "
        "cáo riêng, không phân bổ: bảng chuyển đổi không cho biết tổ dân phố nào về phường "
        "mới nào. Cầu Dền, Đống Mác, Quỳnh Lôi đã được sáp nhập từ 01/01/2025 theo một văn "
        "bản khác, không có trong bảng chuyển đổi, nên không được gán."
    ),
    "en": (
        "Per Resolution 1656/NQ-UBTVQH15 (effective 01/07/2025). Only old wards that moved "
        "whole into one new ward are added up. Old wards split between new wards are "
        "reported separately, not allocated: the crosswalk does not say which residential "
        "groups went where. Cầu Dền, Đống Mác and Quỳnh Lôi were merged on 01/01/2025 by "
        "another act that is not in the crosswalk, so they are not assigned."
    ),
}


def _crosswalk(crosswalk: pd.DataFrame) -> pd.DataFrame:
    cw = crosswalk.copy()
    cw["old_ward_code"] = cw["old_ward_code"].astype(str).str.zfill(5)
    cw["part"] = cw["part"].astype(str)
    return cw


def _ward_figures(ward_trends: pd.DataFrame) -> pd.DataFrame:
    cols = ["year", "ward_code", "ward_name", "groups", "invited", "attended", "opinions"]
    return ward_trends[cols].assign(ward_code=ward_trends["ward_code"].astype(str))


def regroup_new_wards(ward_trends: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Per year and 2025 ward: the sums of the old wards it received whole, and the split
    old wards it also received (listed, not counted). `complete` is False when any part
    of the new ward comes from a split ward, so its figures are a lower bound.

    `ward_trends` is trends(datasets, scope="ward").
    """
    cw = _crosswalk(crosswalk)
    figs = _ward_figures(ward_trends)
    rows = []
    for year, yf in figs.groupby("year"):
        by_code = yf.set_index("ward_code")
        for new_name, sub in cw.groupby("new_ward_name", sort=True):
            whole = sub[sub["part"] == "whole"]["old_ward_code"].tolist()
            split = sub[sub["part"] != "whole"]
            present = [c for c in whole if c in by_code.index]
            sums = by_code.loc[present, ["groups", "invited", "attended", "opinions"]].sum()
            inv = float(sums["invited"]) if present else np.nan
            rows.append({
                "year": year, "new_ward_name": new_name,
                "old_wards_whole": ", ".join(sub[sub["part"] == "whole"]["old_ward_name"]),
                "old_wards_split": ", ".join(split["old_ward_name"]),
                "groups": int(sums["groups"]) if present else 0,
                "invited": inv,
                "attended": float(sums["attended"]) if present else np.nan,
                "opinions": float(sums["opinions"]) if present else np.nan,
                "complete": split.empty,
            })
    out = pd.DataFrame(rows)
    if len(out):
        out["rate"] = (out["attended"] / out["invited"]).where(out["invited"] > 0)
        lo, hi = wilson_interval(out["attended"].fillna(0), out["invited"].fillna(0))
        out["ci_low"], out["ci_high"] = lo, hi
    return out


def split_old_wards(ward_trends: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """The old wards divided between several 2025 wards, with their own figures and where
    their area went. Not allocated: which groups went where is not in the crosswalk."""
    cw = _crosswalk(crosswalk)
    split = cw[cw["part"] != "whole"]
    goes = split.groupby(["old_ward_code", "old_ward_name"])["new_ward_name"].agg(
        lambda s: ", ".join(s)).reset_index().rename(columns={"new_ward_name": "goes_to"})
    figs = _ward_figures(ward_trends).drop(columns=["ward_name"])
    out = goes.merge(figs, left_on="old_ward_code", right_on="ward_code", how="left")
    out["rate"] = (out["attended"] / out["invited"]).where(out["invited"] > 0)
    return out.drop(columns=["ward_code"]).sort_values(["year", "old_ward_code"]).reset_index(
        drop=True)


def unmapped_wards(ward_trends: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Wards with data that the crosswalk does not name (not assigned to any 2025 ward)."""
    cw = _crosswalk(crosswalk)
    figs = _ward_figures(ward_trends)
    return figs[~figs["ward_code"].isin(cw["old_ward_code"])].reset_index(drop=True)


def merger_note(lang: Lang = "vi") -> str:
    """The caveat every merger table carries."""
    return MERGER_NOTE[lang]

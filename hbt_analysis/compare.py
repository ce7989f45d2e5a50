"""Year-on-year: trends, groups matched by code, a decomposition of the area's change,
published figures beside the data; across a change of wards, see `merger`.

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
)
from hbt_analysis.fmt import Lang, fmt_change, fmt_int, fmt_pct, fmt_pp_change
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

    A ward whose code named another ward in an earlier year (a merger): that year's row is
    the old groups that are now the ward's, through the group crosswalk of the last year
    (`basis` "by_group"; no ward-level conference: it was another ward's), and no row when
    there is no group crosswalk. `basis` is "same_ward" otherwise.
    """
    rows = []
    items = _as_dict(datasets)
    across: dict[int, pd.DataFrame] = {}
    if ward is not None and items:  # only the years in which the code names this ward
        last = list(items.values())[-1]
        reg = getattr(last, "registry", None)
        if reg is not None:
            same = {y: d for y, d in items.items() if reg.same_unit(ward, y, last.year)}
            if scope == "district":
                for y, d in items.items():
                    regrouped = None if y in same else groups_in_new_units(d, last, ward)
                    if regrouped is not None and len(regrouped):
                        across[y] = regrouped
            items = same
    for year, gc in sorted(across.items()):
        d = district_rate(gc).iloc[0].to_dict()
        d["groups"] = gc["old_group_codes"].str.split("; ").explode().nunique()  # that met
        rows.append(pd.DataFrame([{"year": year, **d, "ward_units": np.nan,
                                   "ward_invited": np.nan, "ward_attended": np.nan,
                                   "ward_rate": np.nan, "ward_opinions": np.nan,
                                   "basis": "by_group"}]))
    for year, ds in items.items():
        gc = scope_frame(ds.group_conferences, ward)
        if scope == "ward":
            wr = ward_rates(gc)
            wr.insert(0, "year", year)
            reg = getattr(ds, "registry", None)
            if reg is not None:  # which ward each code means that year (codes get reused)
                wr["unit_id"] = pd.array([reg.identity(c, year) for c in wr["ward_code"]],
                                         dtype="Int64")
                colors = reg.row_colors()
                wr["color"] = [colors.get(i) if pd.notna(i) else None for i in wr["unit_id"]]
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
            "ward_opinions": w["opinions"], "basis": "same_ward",
        }]))
    if not rows:
        return pd.DataFrame()
    out = pd.concat(rows, ignore_index=True)
    if scope == "ward" and len(out):
        out["opinions_per_100"] = (100 * out["opinions"] / out["attended"]).where(
            out["attended"] > 0
        )
    if ward is None or scope == "ward":
        return out.drop(columns="basis", errors="ignore")
    out = out.sort_values("year", kind="stable").reset_index(drop=True)
    out.attrs["across"] = sorted(across)
    return out


def trends_caption(trend: pd.DataFrame, lang: Lang = "vi") -> str | None:
    """What the years before a merger stand for in a new ward's trend table (None: the
    table holds the ward's own years only)."""
    years = trend.attrs.get("across") if trend is not None else None
    if not years:
        return None
    listed = ", ".join(str(y) for y in years)
    if lang == "vi":
        return (f"Năm {listed}: số của các tổ dân phố khi đó nay thuộc phường này, theo bảng "
                "chuyển đổi tổ dân phố; không có số hội nghị cấp phường (khi đó là phường khác).")
    return (f"{listed}: the groups of that year that are now in this ward, through the group "
            "crosswalk; no ward-level conference figures (it was another ward then).")


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
    """The group conferences of a year in a scope; None when there is no such year.

    The frame carries (in `attrs["ward_ids"]`) which ward each code means that year, so
    the comparisons below never pair a group with another ward's group of the same code
    across a merger (codes are reused). Across a merger, use
    `groups_in_new_units(ds_base, ds_new)` for the base year."""
    if ds is None:
        return None
    frame = scope_frame(ds.group_conferences, ward)
    return stamp_units(frame, ds)


def stamp_units(frame: pd.DataFrame, ds: Any, year: int | None = None) -> pd.DataFrame:
    """Record in frame.attrs which registry unit each ward code means in `year` (ds.year)."""
    reg = getattr(ds, "registry", None)
    if reg is None or "ward_code" not in frame:
        return frame
    y = ds.year if year is None else year
    frame = frame.copy() if frame is ds.group_conferences else frame
    frame.attrs["ward_ids"] = {c: reg.identity(c, y) for c in
                               frame["ward_code"].dropna().astype(str).unique()}
    return frame


def _same_wards(gc_base: pd.DataFrame, gc_new: pd.DataFrame) -> set[str] | None:
    """Ward codes that mean the same ward in both frames; None when the frames do not say
    (frames made by hand): then codes are taken at their word."""
    a, b = gc_base.attrs.get("ward_ids"), gc_new.attrs.get("ward_ids")
    if a is None or b is None:
        return None
    return {c for c, i in b.items() if i is not None and a.get(c) == i}


NOT_COMPARABLE = {
    "vi": ("Các phường đã được sắp xếp lại giữa hai năm: tổ dân phố không so sánh trực tiếp "
           "được theo mã. Cần bảng chuyển đổi tổ dân phố (group_crosswalk.csv: mã tổ cũ → mã "
           "tổ mới) trong thư mục dữ liệu của năm mới."),
    "en": ("The wards were reorganised between the two years: groups cannot be compared by "
           "code. A group crosswalk (group_crosswalk.csv: old group code → new group code) in "
           "the new year's data folder is needed."),
}


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
    same = _same_wards(gc_base, gc_new)
    if same is not None:  # a group code in a ward that is another ward now is not a pair
        n = n[n["ward_code"].astype(str).isin(same)]
        b = b[b["ward_code"].astype(str).isin(same)]
        if not same and len(gc_base) and len(gc_new):
            out = pd.DataFrame(columns=PAIRED_COLUMNS)
            out.attrs["not_comparable"] = True
            return out
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
    same = _same_wards(gc_base, gc_new)
    if same is not None and not same and len(b) and len(n):
        out = pd.DataFrame(columns=[*keys, "status"])
        out.attrs["not_comparable"] = True
        return out
    new = n[~n["group_code"].isin(b["group_code"])].assign(status="new")
    gone = b[~b["group_code"].isin(n["group_code"])].assign(status="discontinued")
    out = pd.concat([new, gone], ignore_index=True).sort_values(
        ["status", "group_code"], ascending=[False, True]).reset_index(drop=True)
    if "old_group_codes" in gc_base.columns:  # the base year regrouped (merger.base_groups)
        olds = gc_base["old_group_codes"].fillna("").str.split("; ")
        out.attrs["regrouped"] = (int(olds.str.len().sum()), len(gc_base),
                                  len(gc_base.attrs.get("unmapped", [])))
    return out


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

    b, n = shares(_qualified(gc_base, gc_new, by)), shares(gc_new)
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


def _qualified(gc_base: pd.DataFrame, gc_new: pd.DataFrame, by: str) -> pd.DataFrame:
    """The base frame with the codes of wards that are other wards now marked apart (so
    a merged ward is not taken for its namesake: it counts in the mix part)."""
    same = _same_wards(gc_base, gc_new)
    if same is None:
        return gc_base
    other = ~gc_base["ward_code"].astype(str).isin(same)
    if not other.any():
        return gc_base
    out = gc_base.copy()
    out.loc[other, by] = out.loc[other, by].astype(str) + "*"
    return out


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
    out = pd.DataFrame([{
        "rate_base": rb, "rate_new": rn, "total_change": rn - rb,
        "within_part": parts["within_part"].sum(), "mix_part": parts["mix_part"].sum(),
    }])
    out.attrs["by"] = _auto_by(gc_base, gc_new, by)  # a ward's page: its groups
    same = _same_wards(gc_base, gc_new)
    if same is not None and not same:
        out.attrs["not_comparable"] = True  # no unit in both years: no within part
    return out


def decomposition_sentence(summary: pd.DataFrame, lang: Lang = "vi") -> str:
    """'Tỷ lệ dự giảm 1,9 điểm % (…): giảm 1,7 điểm % do ..., giảm 0,2 điểm % do ...'"""
    if summary.empty:
        return ("Không đủ dữ liệu của hai năm để phân tách thay đổi." if lang == "vi"
                else "Two years of data are needed to decompose the change.")
    r = summary.iloc[0]
    if summary.attrs.get("not_comparable"):
        tot = fmt_pp_change(r["total_change"], lang=lang)
        if lang == "vi":
            return (f"Tỷ lệ dự {tot} ({fmt_pct(r['rate_base'])} → "
                    f"{fmt_pct(r['rate_new'])}); không phân tách được theo đơn vị vì các phường "
                    "đã được sắp xếp lại giữa hai năm.")
        return (f"The rate is {tot} ({fmt_pct(r['rate_base'], lang=lang)} → "
                f"{fmt_pct(r['rate_new'], lang=lang)}); it cannot be split by unit because the "
                "wards were reorganised between the two years.")
    if pd.isna(r["total_change"]):
        return ("Không tính được thay đổi tỷ lệ dự (thiếu số hộ được mời)." if lang == "vi"
                else "The rate change cannot be computed (households invited missing).")
    # in words, not signs ('giảm 1,7 điểm %'); a part that rounds to 0,0 reads 'không đổi'
    tot, win, mix = (fmt_pp_change(r[k], lang=lang)
                     for k in ("total_change", "within_part", "mix_part"))
    if lang == "vi":
        return (f"Tỷ lệ dự {tot} ({fmt_pct(r['rate_base'])} → "
                f"{fmt_pct(r['rate_new'])}): {win} do tỷ lệ dự trong từng đơn vị thay đổi, "
                f"{mix} do cơ cấu số hộ được mời giữa các đơn vị thay đổi.")
    return (f"The rate is {tot} ({fmt_pct(r['rate_base'], lang=lang)} → "
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
    35.323 → 29.712 (giảm 5.611); tỷ lệ dự 68,6% → 65,1% (giảm 3,5 điểm %); 1.435 → 1.056 ý
    kiến.'

    Without a base year (ds_base None) it says there is nothing to compare with.
    """
    if ds_base is None:
        return no_base_sentence(ds_new.year, base_year, lang)
    reg = getattr(ds_new, "registry", None)
    if ward is not None and reg is not None and not reg.same_unit(ward, ds_base.year,
                                                                   ds_new.year):
        name = ward_name(ds_new, ward, lang)
        row = across_change(ds_base, ds_new, ward)
        if row is not None and row["comparable"]:  # through the crosswalk
            return across_sentence(row, name, ds_base.year, lang)
        if lang == "vi":
            return (f"Mã {ward} năm {ds_base.year} không phải {name} của năm {ds_new.year} (các "
                    "phường đã được sắp xếp lại): không so sánh trực tiếp; xem bảng so sánh "
                    "theo phường mới.")
        return (f"Code {ward} in {ds_base.year} is not {name} of {ds_new.year} (the wards were "
                "reorganised): no direct comparison; see the comparison by new ward.")
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
                    f"({fmt_pp_change(r['change'], lang=lang)})")
        return f"{fmt_int(r['base'], lang)} → {fmt_int(r['new'], lang)}"

    att = t.loc["attended"]
    att_change = fmt_change(att["change"], lang=lang)  # 'giảm 74', not '(-74)
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
    if membership.attrs.get("not_comparable"):
        return NOT_COMPARABLE[lang]

    def names(status: str) -> str:
        sub = membership[membership["status"] == status]
        return "; ".join(f"{r.group_name} ({r.ward_name}, {r.group_code})"
                         for r in sub.itertuples())

    new, gone = names("new"), names("discontinued")
    regrouped = membership.attrs.get("regrouped")
    if regrouped is not None:  # across a merger: the old groups went into the new ones
        n_old, n_new, unmapped = regrouped
        if lang == "vi":
            a = (f"Các phường đã được sắp xếp lại: {fmt_int(n_old)} tổ năm {base_year} ứng với "
                 f"{fmt_int(n_new)} tổ năm {year} theo bảng chuyển đổi tổ dân phố"
                 + (f" ({fmt_int(unmapped)} tổ năm {base_year} không có trong bảng)."
                    if unmapped else "."))
            b = (f"Tổ năm {year} không nhận tổ nào của năm {base_year}: {new}." if new
                 else f"Mọi tổ năm {year} đều nhận tổ của năm {base_year}.")
        else:
            a = (f"The wards were reorganised: {n_old} groups of {base_year} make {n_new} "
                 f"groups of {year} through the group crosswalk"
                 + (f" ({unmapped} groups of {base_year} are not in it)." if unmapped else "."))
            b = (f"Groups of {year} with no group of {base_year}: {new}." if new
                 else f"Every group of {year} received groups of {base_year}.")
        return a + " " + b
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
    if changes.attrs.get("not_comparable"):
        return NOT_COMPARABLE[lang]
    if changes.empty:
        return ("Không có tổ dân phố nào để so sánh giữa hai năm." if lang == "vi"
                else "No residential group to compare between the two years.")
    n = len(changes.dropna(subset=["change"]))
    up = int(((changes["change_low"] > 0)).sum())
    down = int(((changes["change_high"] < 0)).sum())
    if lang == "vi":
        return (f"Trong {fmt_int(n)} tổ có ở cả hai năm, tỷ lệ dự tăng rõ ở {fmt_int(up)} tổ và "
                f"giảm rõ ở {fmt_int(down)} tổ (thay đổi lớn hơn mức dao động thường gặp với "
                "tổ cùng quy mô).")
    return (f"Of {fmt_int(n, lang)} groups present in both years, the rate rose clearly in "
            f"{fmt_int(up, lang)} and fell clearly in {fmt_int(down, lang)} (a change larger "
            "than chance gives a group of its size).")


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


# The comparisons across a change of wards (the 2025 merger) live in `merger`; they are
# also reachable from here, where the notebooks look for them.
from hbt_analysis.merger import (  # noqa: E402  (merger uses the helpers above)
    MERGER_BASIS,
    WARD_COMPARISON_COLUMNS,
    WARD_COMPARISON_SHOWN,
    across_change,
    across_sentence,
    base_groups,
    groups_in_new_units,
    merger_note,
    regroup_new_wards,
    split_old_wards,
    unmapped_wards,
    ward_comparison,
    ward_comparison_sentence,
)

__all__ = [
    "MERGER_BASIS", "NOT_COMPARABLE", "WARD_COMPARISON_COLUMNS", "WARD_COMPARISON_SHOWN",
    "across_change",
    "across_sentence", "base_groups",
    "base_year_for", "comparison_sentence", "comparison_table", "decomposition_sentence",
    "difference_interval", "group_membership",
    "groups_in_new_units", "membership_sentence", "merger_note", "most_declined",
    "most_improved", "no_base_sentence", "paired_changes", "paired_sentence",
    "published_vs_data", "rate_decomposition", "rate_decomposition_summary",
    "regroup_new_wards", "scoped_groups", "split_old_wards", "stamp_units", "trends",
    "trends_caption",
    "unmapped_wards", "ward_comparison", "ward_comparison_sentence",
]

"""Comparisons across a change of wards: the merger of 01/07/2025, or any that a registry
records.

A code means a ward only within its period (a new ward may be given the code of an old one:
the registry's periods say which), so nothing here matches codes across a change. At
ward level an old ward that went whole into a new ward is added to it; one split between
new wards is allocated only group by group, through the group crosswalk of the new year
(`group_crosswalk.csv`: old group code → new group code, several old groups to one new group
for a merger); without it the new wards it fed are shown as not comparable. At group level
the group crosswalk is the only link.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from hbt_analysis.attendance import wilson_interval
from hbt_analysis.fmt import Lang
from hbt_analysis.labels import unit_words

#: How a new ward's base-year figures were obtained (vi, en).
MERGER_BASIS = {
    "same_ward": ("cùng {unit}", "same {unit}"),
    "by_group": ("theo bảng chuyển đổi tổ dân phố", "through the group crosswalk"),
    "whole_wards": ("cộng các {unit} cũ chuyển nguyên", "sum of old {units} moved whole"),
    "not_comparable": ("không so sánh được", "not comparable"),
}
COUNTS = ("households_invited", "households_attended", "opinions_count")


def basis_label(basis: str, lang: Lang = "vi") -> str:
    """MERGER_BASIS in the reader's language, naming the area's units ('cùng xã')."""
    return MERGER_BASIS[basis][0 if lang == "vi" else 1].format(**unit_words(lang))


def _registry(ds: Any | None = None):
    from hbt_analysis.registry import registry

    reg = getattr(ds, "registry", None)
    return reg if reg is not None else registry()


# --- the note every merger table carries -------------------------------------------------

def merger_note(lang: Lang = "vi", units: Any = None) -> str:
    """The caveat of the merger tables, from the registry (the act, its date, the wards it
    does not cover): nothing here names a ward."""
    reg = units if units is not None else _registry()
    f = reg.frame
    from hbt_analysis.registry import WARD_KINDS

    new = f[f["valid_from"].notna() & f["kind"].isin(WARD_KINDS)]
    date = new["valid_from"].min() if len(new) else None
    acts = list(dict.fromkeys(str(s).split(" Điều")[0].split(" (")[0].strip()
                              for s in new["source"] if str(s).strip()))
    act = acts[0] if acts else ""
    late = f[f["successor"] == "?"]
    names = ", ".join(late["name"])
    when = late["valid_to"].max() + pd.Timedelta(days=1) if len(late) else None
    if lang == "vi":
        head = (f"Theo {act}" if act else "Theo bảng chuyển đổi") + (
            f" (hiệu lực {date:%d/%m/%Y})." if date is not None else ".")
        tail = (f" {names} đã được sáp nhập từ {when:%d/%m/%Y} theo một văn bản khác, không có "
                "trong bảng chuyển đổi, nên không được gán." if names else "")
        return (f"{head} Chỉ cộng các phường cũ chuyển toàn bộ về một phường mới. Phường cũ bị "
                "chia cho nhiều phường mới được báo cáo riêng, không phân bổ: bảng chuyển đổi "
                "không cho biết tổ dân phố nào về phường mới nào (trừ khi có bảng chuyển đổi "
                f"tổ dân phố).{tail}")
    head = (f"Per {act}" if act else "Per the crosswalk") + (
        f" (effective {date:%d/%m/%Y})." if date is not None else ".")
    tail = (f" {names} were merged on {when:%d/%m/%Y} by another act that is not in the "
            "crosswalk, so they are not assigned." if names else "")
    return (f"{head} Only old wards that moved whole into one new ward are added up. Old wards "
            "split between new wards are reported separately, not allocated: the crosswalk "
            "does not say which residential groups went where (unless a group crosswalk is "
            f"given).{tail}")


# --- ward trends on the new wards (the ward crosswalk) ------------------------------------

def _crosswalk(crosswalk: pd.DataFrame) -> pd.DataFrame:
    cw = crosswalk.copy()
    cw["old_ward_code"] = cw["old_ward_code"].astype(str).str.zfill(5)
    cw["part"] = cw["part"].astype(str)
    return cw


def _ward_figures(ward_trends: pd.DataFrame) -> pd.DataFrame:
    cols = ["year", "ward_code", "ward_name", "groups", "invited", "attended", "opinions"]
    if "unit_id" in ward_trends:
        cols.append("unit_id")
    return ward_trends[cols].assign(ward_code=ward_trends["ward_code"].astype(str))


def _is_old(figs: pd.DataFrame, cw: pd.DataFrame) -> pd.Series:
    """Rows that are the crosswalk's old wards (by registry row when both say which)."""
    if "unit_id" in figs and "old_unit_id" in cw:
        ids = set(cw["old_unit_id"].dropna().astype(int))
        return figs["unit_id"].isin(ids).fillna(False).astype(bool)
    return figs["ward_code"].isin(cw["old_ward_code"])


def regroup_new_wards(ward_trends: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Per year and new ward: the sums of the old wards it received whole, and the split
    old wards it also received (listed, not counted). `complete` is False when any part
    of the new ward comes from a split ward, so its figures are a lower bound. Years already
    organised by the new wards are left out (their codes are the new wards').

    `ward_trends` is trends(datasets, scope="ward").
    """
    cw = _crosswalk(crosswalk)
    figs = _ward_figures(ward_trends)
    figs = figs[_is_old(figs, cw)]
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
    """The old wards divided between several new wards, with their own figures and where
    their area went. Not allocated: which groups went where is not in the crosswalk."""
    cw = _crosswalk(crosswalk)
    split = cw[cw["part"] != "whole"]
    goes = split.groupby(["old_ward_code", "old_ward_name"])["new_ward_name"].agg(
        lambda s: ", ".join(s)).reset_index().rename(columns={"new_ward_name": "goes_to"})
    figs = _ward_figures(ward_trends)
    figs = figs[_is_old(figs, cw)].drop(columns=["ward_name", "unit_id"], errors="ignore")
    out = goes.merge(figs, left_on="old_ward_code", right_on="ward_code", how="left")
    out["rate"] = (out["attended"] / out["invited"]).where(out["invited"] > 0)
    return out.drop(columns=["ward_code"]).sort_values(["year", "old_ward_code"]).reset_index(
        drop=True)


def unmapped_wards(ward_trends: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Wards with data that the crosswalk does not name (not assigned to any new ward);
    the new wards themselves are not listed."""
    cw = _crosswalk(crosswalk)
    figs = _ward_figures(ward_trends)
    unmapped = ~_is_old(figs, cw)
    if "unit_id" in figs and "new_unit_id" in cw:
        unmapped &= ~figs["unit_id"].isin(set(cw["new_unit_id"].dropna().astype(int))).fillna(
            False).astype(bool)
    return figs[unmapped].drop(columns=["unit_id"], errors="ignore").reset_index(drop=True)


# --- the base year in the new year's units ------------------------------------------------

def groups_in_new_units(ds_base: Any | None, ds_new: Any, ward: str | None = None
                        ) -> pd.DataFrame | None:
    """The base year's group conferences expressed in the new year's groups and wards, for
    `paired_changes`, `group_membership` and `rate_decomposition_summary`.

    No change of wards between the years: the base year's groups as they are. A change: each
    new group gets the sum of the old groups the group crosswalk maps to it (a merger); a new
    group fed by an old group that was split, or by an old group absent from the base year,
    is left out; old groups of a ward that did not change keep their code. Without a group
    crosswalk across a change: None (not comparable). attrs: "unmapped" (old groups the
    crosswalk does not place), "split" (old groups mapped to several new ones).
    """
    from hbt_analysis.compare import scoped_groups, stamp_units

    if ds_base is None:
        return None
    reg = _registry(ds_new)
    changed = set(reg.changed_between(ds_base.year, ds_new.year))
    if not changed:
        return scoped_groups(ds_base, ward)
    cw = getattr(ds_new, "group_crosswalk", None)
    if cw is None or cw.empty:
        return None
    gb, gn = ds_base.group_conferences, ds_new.group_conferences
    pairs = cw[["old_group_code", "new_group_code"]].drop_duplicates()
    same = gb[~gb["ward_code"].astype(str).isin(changed)
              & gb["ward_code"].astype(str).map(lambda c: reg.same_unit(c, ds_base.year,
                                                                        ds_new.year))]
    kept = same[~same["group_code"].isin(pairs["old_group_code"])
                & same["group_code"].isin(gn["group_code"])]
    pairs = pd.concat([pairs, pd.DataFrame({"old_group_code": kept["group_code"],
                                            "new_group_code": kept["group_code"]})])
    fan = pairs.groupby("old_group_code")["new_group_code"].nunique()
    split = sorted(fan[fan > 1].index)
    absent = set(pairs["old_group_code"]) - set(gb["group_code"])
    bad_new = set(pairs[pairs["old_group_code"].isin([*split, *absent])]["new_group_code"])
    ok = pairs[~pairs["new_group_code"].isin(bad_new)]
    m = ok.merge(gb[["group_code", *COUNTS]], left_on="old_group_code", right_on="group_code")
    sums = m.groupby("new_group_code")[list(COUNTS)].sum()
    olds = m.groupby("new_group_code")["old_group_code"].agg(lambda s: "; ".join(sorted(s)))
    info = gn[["group_code", "ward_code", "ward_name", "group_name"]].set_index("group_code")
    out = info.join(sums, how="inner").join(olds.rename("old_group_codes"))
    out = out.reset_index().rename(columns={"index": "group_code"})
    out.insert(0, "year", ds_base.year)
    for c in COUNTS:
        out[c] = out[c].astype("int64")
    if ward is not None:
        out = out[out["ward_code"].astype(str) == str(ward)].reset_index(drop=True)
    out = stamp_units(out, ds_new)
    out.attrs["unmapped"] = sorted(set(gb["group_code"]) - set(pairs["old_group_code"]))
    out.attrs["split"] = split
    out.attrs["base_year"] = ds_base.year
    return out


def base_groups(ds_base: Any | None, ds_new: Any, ward: str | None = None
                ) -> pd.DataFrame | None:
    """The base year's groups to compare with `ds_new`'s: in the new year's groups across a
    change of wards when a group crosswalk allows it (`groups_in_new_units`), else as they
    are — across a change the comparisons then say they cannot pair them."""
    from hbt_analysis.compare import scoped_groups

    out = groups_in_new_units(ds_base, ds_new, ward)
    return out if out is not None else scoped_groups(ds_base, ward)


WARD_COMPARISON_COLUMNS = ["ward_name", "basis_label", "groups_base", "groups_new",
                           "rate_base", "rate_new", "change", "change_low", "change_high",
                           "reason"]
#: What a leader's page shows of it: the interval of the change is the analyst's.
WARD_COMPARISON_SHOWN = [c for c in WARD_COMPARISON_COLUMNS
                         if c not in ("change_low", "change_high")]


def ward_comparison(ds_base: Any | None, ds_new: Any, level: float = 0.95,
                    lang: Lang = "vi", ward: str | None = None) -> pd.DataFrame:
    """Each ward of the new year beside its base-year figures: the same ward when nothing
    changed; across a change, through the group crosswalk when there is one (only groups
    found in both years are counted on either side), else the sum of the old wards that
    moved into it whole — and not comparable when it also received part of a split ward,
    or when old wards the crosswalk does not place may belong to it. `basis` says which
    (MERGER_BASIS), `reason` why a ward is not comparable. `ward`: that ward only. Empty
    without a base year.
    """
    from hbt_analysis.compare import difference_interval

    if ds_base is None:
        return pd.DataFrame(columns=["ward_code", *WARD_COMPARISON_COLUMNS, "basis",
                                     "comparable"])

    reg = _registry(ds_new)
    changed = set(reg.changed_between(ds_base.year, ds_new.year))
    gb, gn = ds_base.group_conferences, ds_new.group_conferences
    regrouped = groups_in_new_units(ds_base, ds_new) if changed else None
    cw = ds_new.crosswalk if getattr(ds_new, "crosswalk", None) is not None else None
    base_ids = {c: reg.identity(c, ds_base.year) for c in gb["ward_code"].astype(str).unique()}
    mapped_old = set(cw["old_unit_id"].dropna().astype(int)) if cw is not None and \
        "old_unit_id" in cw else set()
    unplaced = sorted(c for c, i in base_ids.items() if i not in mapped_old
                      and not reg.same_unit(c, ds_base.year, ds_new.year))
    names_base = dict(zip(gb["ward_code"].astype(str), gb["ward_name"], strict=False))
    rows = []
    for code, name in zip(ds_new.wards["ward_code"], ds_new.wards["ward_name"], strict=True):
        new_rows = gn[gn["ward_code"].astype(str) == code]
        row = {"ward_code": code, "ward_name": name, "reason": ""}
        if code not in changed:
            base_rows = gb[gb["ward_code"].astype(str) == code]
            basis = "same_ward"
        elif regrouped is not None:
            base_rows = regrouped[regrouped["ward_code"].astype(str) == code]
            new_rows = new_rows[new_rows["group_code"].isin(base_rows["group_code"])]
            basis = "by_group"
        else:
            here = cw[cw["new_unit_id"] == reg.identity(code, ds_new.year)] if cw is not None \
                and "new_unit_id" in cw else pd.DataFrame(columns=["part", "old_ward_code"])
            split = here[here["part"] != "whole"]
            base_rows = gb[gb["ward_code"].astype(str).isin(set(here["old_ward_code"]))]
            basis = "whole_wards"
            why = []
            if here.empty:
                why.append("không có trong bảng chuyển đổi" if lang == "vi"
                           else "not in the crosswalk")
            if len(split):
                listed = ", ".join(split["old_ward_name"])
                why.append(f"nhận một phần phường {listed} (bị chia)" if lang == "vi"
                           else f"receives part of {listed} (split)")
            if unplaced:
                listed = ", ".join(names_base.get(c, c) for c in unplaced)
                why.append(f"có thể nhận {listed} (không có trong bảng chuyển đổi)"
                           if lang == "vi" else f"may receive {listed} (not in the crosswalk)")
            if why:
                basis, base_rows = "not_comparable", gb.iloc[0:0]
                row["reason"] = "; ".join(why)
        row["basis"] = basis
        row["comparable"] = basis != "not_comparable"
        for side, frame in (("base", base_rows), ("new", new_rows)):
            inv = float(frame["households_invited"].sum()) if len(frame) else np.nan
            att = float(frame["households_attended"].sum()) if len(frame) else np.nan
            row[f"groups_{side}"] = len(frame)
            row[f"invited_{side}"] = inv
            row[f"attended_{side}"] = att
            row[f"rate_{side}"] = att / inv if inv and inv > 0 else np.nan
        rows.append(row)
    out = pd.DataFrame(rows)
    out["change"] = out["rate_new"] - out["rate_base"]
    ok = out["comparable"] & out["invited_base"].gt(0) & out["invited_new"].gt(0)
    lo = np.full(len(out), np.nan)
    hi = np.full(len(out), np.nan)
    if ok.any():
        a, b = difference_interval(out.loc[ok, "attended_new"], out.loc[ok, "invited_new"],
                                   out.loc[ok, "attended_base"], out.loc[ok, "invited_base"],
                                   level)
        lo[ok.to_numpy()], hi[ok.to_numpy()] = np.atleast_1d(a), np.atleast_1d(b)
    out["change_low"], out["change_high"] = lo, hi
    out["basis_label"] = out["basis"].map(lambda b: basis_label(b, lang))
    out.attrs["years"] = (ds_base.year, ds_new.year)
    out.attrs["changed"] = bool(changed)
    out.attrs["unmapped_groups"] = [] if regrouped is None else regrouped.attrs["unmapped"]
    if ward is not None:
        out = out[out["ward_code"].astype(str) == str(ward)].reset_index(drop=True)
    return out


def across_change(ds_base: Any | None, ds_new: Any, ward: str) -> pd.Series | None:
    """One new ward's row of `ward_comparison` when its code named another ward (or none) in
    the base year: its figures of both years through the crosswalk, or why they cannot be
    compared. None when there is no base year or the ward is the same unit in both."""
    if ds_base is None or ward is None:
        return None
    if _registry(ds_new).same_unit(str(ward), ds_base.year, ds_new.year):
        return None
    rows = ward_comparison(ds_base, ds_new, ward=str(ward))
    return None if rows.empty else rows.iloc[0]


def across_sentence(row: pd.Series, name: str, base_year: int, lang: Lang = "vi") -> str:
    """A new ward against the base year through the crosswalk: 'So với năm 2024 (theo bảng
    chuyển đổi tổ dân phố: các tổ năm 2024 nay là 79 tổ của phường An Bình): tỷ lệ dự 58,6% →
    58,7% (tăng 0,1 điểm %); số hộ dự 8.754 → 8.670 (giảm 84).' — or, when it cannot be, why."""
    from hbt_analysis.fmt import fmt_change, fmt_int, fmt_pct, fmt_pp_change

    yb = base_year
    vi = lang == "vi"
    cap = name[:1].upper() + name[1:]
    rate_ok = pd.notna(row.get("rate_base")) and pd.notna(row.get("rate_new"))
    if not row.get("comparable", False) or not rate_ok:
        why = row.get("reason") or ""
        if vi:
            return (f"{cap} là đơn vị mới sau sắp xếp: không so sánh được với năm {yb}"
                    + (f" ({why})" if why else "") + ".")
        return (f"{cap} is a new unit after the reorganisation: not comparable with {yb}"
                + (f" ({why})" if why else "") + ".")
    basis = basis_label(row["basis"], "vi" if vi else "en")
    rate = (f"{fmt_pct(row['rate_base'], lang=lang)} → {fmt_pct(row['rate_new'], lang=lang)} "
            f"({fmt_pp_change(row['change'], lang=lang)})")
    att = (f"{fmt_int(row['attended_base'], lang)} → {fmt_int(row['attended_new'], lang)} "
           f"({fmt_change(row['attended_new'] - row['attended_base'], lang=lang)})")
    n = fmt_int(row["groups_new"], lang)
    if vi:
        what = (f"các tổ năm {yb} nay là {n} tổ của {name}" if row["basis"] == "by_group"
                else f"các phường cũ nay thuộc {name}")
        return f"So với năm {yb} ({basis}: {what}): tỷ lệ dự {rate}; số hộ dự {att}."
    what = (f"the groups of {yb} that are now the {n} groups of {name}"
            if row["basis"] == "by_group" else f"the old wards now in {name}")
    return f"Against {yb} ({basis}: {what}): rate {rate}; households attending {att}."


def ward_comparison_sentence(comparison: pd.DataFrame, lang: Lang = "vi") -> str:
    """'So sánh 2024 → 2026 theo phường của năm 2026 (các phường đã được sắp xếp lại): 9 phường
    so sánh được qua bảng chuyển đổi tổ dân phố; …' — what the ward table rests on."""
    from hbt_analysis.fmt import fmt_int

    if comparison.empty or "years" not in comparison.attrs:
        return ("Không có năm so sánh." if lang == "vi" else "No base year to compare with.")
    yb, yn = comparison.attrs["years"]
    counts = comparison["basis"].value_counts()
    parts = []
    for basis in ("same_ward", "by_group", "whole_wards", "not_comparable"):
        n = int(counts.get(basis, 0))
        if n:
            parts.append(f"{fmt_int(n, lang)} {basis_label(basis, lang)}")
    changed = comparison.attrs.get("changed", False)
    unmapped = len(comparison.attrs.get("unmapped_groups", []))
    unit = unit_words(lang)
    if lang == "vi":
        head = (f"So sánh {yb} → {yn} theo {unit['unit']} của năm {yn}"
                + (f" (các {unit['unit']} đã được sắp xếp lại giữa hai năm)" if changed else "")
                + ": ")
        tail = (f" {fmt_int(unmapped, lang)} tổ dân phố năm {yb} không có trong bảng chuyển "
                "đổi tổ dân phố nên không được tính." if unmapped else "")
        return head + "; ".join(parts) + "." + tail
    head = (f"{yb} → {yn} by the {unit['units']} of {yn}"
            + (f" (the {unit['units']} were reorganised between the two years)" if changed
               else "") + ": ")
    tail = (f" {unmapped} groups of {yb} are not in the group crosswalk and are not counted."
            if unmapped else "")
    return head + "; ".join(parts) + "." + tail

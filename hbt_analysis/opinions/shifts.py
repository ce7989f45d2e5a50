"""Year on year: how each topic's share changed, and whether by more than chance."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from hbt_analysis.fmt import fmt_pct
from hbt_analysis.opinions.counts import _levels_of, count_by_topic
from hbt_analysis.opinions.display import level_label
from hbt_analysis.opinions.scope import prepare
from hbt_analysis.schema import LEVELS, normalize_ward_code
from hbt_analysis.stats import two_proportion_z


def topic_shifts(
    before: pd.DataFrame, after: pd.DataFrame, multi: bool = False, alpha: float = 0.05,
    lang: str = "vi", levels: Iterable[str] | None = None,
) -> pd.DataFrame:
    """How each topic's share changed between two years, and whether it is more than noise.

    Per level and topic: a two-proportion z-test of share_before vs share_after (pooled
    variance), and p-values adjusted for testing every topic at once (Benjamini–Hochberg,
    scipy.stats.false_discovery_control, within each level). `significant` means the
    adjusted p is below `alpha`. Column `change` is in share points (0.05 = 5 points).
    """
    cols = ["level", "topic", "topic_name", "count_before", "n_before", "share_before",
            "count_after", "n_after", "share_after", "change", "z", "p_value", "p_adjusted",
            "significant"]
    lv_before = set(_levels_of(before, None)) if len(before) else set()
    lv_after = set(_levels_of(after, None)) if len(after) else set()
    use = list(levels) if levels is not None else [
        lv for lv in LEVELS if lv in lv_before and lv in lv_after
    ]
    b = count_by_topic(before, multi=multi, lang=lang, levels=use)
    a = count_by_topic(after, multi=multi, lang=lang, levels=use)
    merged = b.merge(
        a, on=["level", "topic", "topic_name"], how="outer", suffixes=("_before", "_after")
    )
    if merged.empty:
        return pd.DataFrame(columns=cols)
    for side in ("before", "after"):
        n = merged.groupby("level")[f"n_{side}"].transform("max")
        merged[f"n_{side}"] = n.fillna(0).astype("int64")
        merged[f"count_{side}"] = merged[f"count_{side}"].fillna(0).astype("int64")
        merged[f"share_{side}"] = merged[f"count_{side}"] / merged[f"n_{side}"].where(
            merged[f"n_{side}"] > 0
        )
    merged = merged[(merged["count_before"] + merged["count_after"]) > 0].copy()
    z, p = two_proportion_z(
        merged["count_before"], merged["n_before"], merged["count_after"], merged["n_after"]
    )
    merged["change"] = merged["share_after"] - merged["share_before"]
    merged["z"] = z
    merged["p_value"] = p
    merged["p_adjusted"] = np.nan
    for lv in merged["level"].unique():
        mask = (merged["level"] == lv) & merged["p_value"].notna()
        if mask.any():
            merged.loc[mask, "p_adjusted"] = stats.false_discovery_control(
                merged.loc[mask, "p_value"].to_numpy(), method="bh"
            )
    merged["significant"] = (merged["p_adjusted"] < alpha).fillna(False).astype(bool)
    order = {lv: i for i, lv in enumerate(LEVELS)}
    merged["_lv"] = merged["level"].map(order)
    merged["_abs"] = -merged["change"].abs()
    merged = merged.sort_values(["_lv", "_abs", "topic"])
    return merged[cols].reset_index(drop=True)


def shift_note(lang: str = "vi", alpha: float = 0.05) -> str:
    """What the test behind `significant` means, for the reader (the multiple-comparison note)."""
    pct = fmt_pct(alpha, 0, lang)
    if lang == "vi":
        return (
            "Mỗi lĩnh vực được kiểm định bằng phép kiểm định z hai tỷ lệ. Vì kiểm định nhiều "
            "lĩnh vực cùng lúc, giá trị p được hiệu chỉnh theo Benjamini–Hochberg; \"khác biệt "
            f"rõ\" nghĩa là p hiệu chỉnh dưới {pct}, tức thay đổi khó có thể chỉ do ngẫu nhiên. "
            "Tỷ lệ ý kiến còn phụ thuộc cách ghi biên bản và nội dung hội nghị từng năm."
        )
    return (
        "Each topic is tested with a two-proportion z-test. Because many topics are tested at "
        "once, p-values are adjusted with Benjamini–Hochberg; a \"clear change\" has an "
        f"adjusted p below {pct}, i.e. is unlikely to be chance alone. Shares also depend on "
        "how minutes were taken and on each year's agenda."
    )


def previous_year(year: int, data_dir: str | Path | None = None) -> int | None:
    """The latest year in the data before `year`, or None."""
    from hbt_analysis.dataset import available_years

    earlier = [y for y in available_years(data_dir) if y < year]
    return max(earlier) if earlier else None


def compare_with_previous(
    year: int, ward: str | None = None, level: str = "all",
    data_dir: str | Path | None = None, multi: bool = False, lang: str = "vi",
) -> pd.DataFrame:
    """:func:`topic_shifts` between the previous year in the data and `year`, in scope.

    Empty (with the usual columns) when the data has no earlier year; columns year_before
    and year_after are added otherwise.
    """
    from hbt_analysis.dataset import load

    prev = previous_year(year, data_dir)
    if prev is None:
        return topic_shifts(_EMPTY_OPINIONS, _EMPTY_OPINIONS, lang=lang).assign(
            year_before=pd.Series(dtype="int64"), year_after=pd.Series(dtype="int64")
        )
    ds_now = load(year, data_dir)
    now = prepare(ds_now, ward, level)
    reg = getattr(ds_now, "registry", None)
    if ward is not None and reg is not None and not reg.same_unit(
            normalize_ward_code(ward), prev, year):
        before = _before_in_new_ward(load(prev, data_dir), ds_now, normalize_ward_code(ward),
                                     level)
        if before is None:  # the code named another ward then, and no group crosswalk
            out = topic_shifts(_EMPTY_OPINIONS, _EMPTY_OPINIONS, lang=lang).assign(
                year_before=pd.Series(dtype="int64"), year_after=pd.Series(dtype="int64"))
            out.attrs["not_comparable"] = prev
            return out
    else:
        before = prepare(load(prev, data_dir), ward, level)
    out = topic_shifts(before, now, multi=multi, lang=lang)
    return out.assign(year_before=prev, year_after=year)


def _before_in_new_ward(ds_prev: Any, ds_now: Any, ward: str, level: str
                        ) -> pd.DataFrame | None:
    """The previous year's group-level opinions of the groups that became `ward`'s (the
    group crosswalk; an old group split between new groups is left out); None without a
    group crosswalk. Ward-level opinions of the old wards cannot be placed and are left out."""
    cw = getattr(ds_now, "group_crosswalk", None)
    if cw is None or cw.empty:
        return None
    gc = ds_now.group_conferences
    mine = set(gc.loc[gc["ward_code"].astype(str) == ward, "group_code"])
    fan = cw.groupby("old_group_code")["new_group_code"].nunique()
    olds = set(cw.loc[cw["new_group_code"].isin(mine), "old_group_code"]) - set(fan[fan > 1].index)
    before = prepare(ds_prev, None, level)
    return before[before["group_code"].isin(olds)].reset_index(drop=True)


_EMPTY_OPINIONS = pd.DataFrame(
    {c: pd.Series(dtype="object") for c in ("opinion_id", "level", "ward_code", "text",
                                            "topic_primary", "topic_secondary")}
)


def shift_sentence(shifts: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """One sentence on the year-on-year comparison: which topics changed clearly, if any."""
    if shifts.attrs.get("not_comparable"):
        prev = shifts.attrs["not_comparable"]
        if lang == "vi":
            return (f"Các phường đã được sắp xếp lại giữa năm {prev} và năm {year}, không có bảng "
                    "chuyển đổi tổ dân phố: không so sánh ý kiến của phường này với năm trước.")
        return (f"The wards were reorganised between {prev} and {year} and there is no group "
                "crosswalk: this ward's opinions are not compared with the year before.")
    if shifts.empty or "year_before" not in shifts or shifts["year_before"].isna().all():
        if lang == "vi":
            return f"Dữ liệu không có năm trước năm {year} để so sánh."
        return f"The data has no year before {year} to compare with."
    prev = int(shifts["year_before"].iloc[0])
    clear = shifts[shifts["significant"]]
    if clear.empty:
        if lang == "vi":
            return (
                f"So với năm {prev}, ý kiến năm {year} chia theo lĩnh vực gần như không đổi: "
                "không lĩnh vực nào tăng hay giảm rõ rệt."
            )
        return (
            f"Compared with {prev}, no topic's share in {year} changed by more than chance "
            "would explain."
        )
    parts = [
        f"{r.topic_name} ({level_label(r.level, lang).lower()}: "
        f"{fmt_pct(r.share_before, lang=lang)} → {fmt_pct(r.share_after, lang=lang)})"
        for r in clear.head(4).itertuples()
    ]
    if lang == "vi":
        return f"So với năm {prev}, thay đổi rõ nhất năm {year}: " + "; ".join(parts) + "."
    return f"Compared with {prev}, the clearest changes in {year}: " + "; ".join(parts) + "."

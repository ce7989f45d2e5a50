"""Counts and shares: opinions per topic, ward, group and level, the topic × ward table, and
opinions per 100 attending households. Every function takes an opinions frame that already
carries its topics and returns a tidy frame with raw numbers.

An opinion may carry two topics. "Primary" counts give each opinion to one topic (shares
add up to 100%); "multi-label" counts (`multi=True`) count it under both.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from hbt_analysis.opinions.display import OpinionsInputError, _all_topic_codes, topic_label
from hbt_analysis.opinions.scope import check_level
from hbt_analysis.schema import LEVELS
from hbt_analysis.stats import wilson_interval


def topic_long(opinions: pd.DataFrame, multi: bool = False) -> pd.DataFrame:
    """One row per (opinion, topic): the primary topic, plus the second one if `multi`."""
    keep = [c for c in ("opinion_id", "level", "ward_code", "group_code") if c in opinions]
    first = opinions[keep].assign(topic=opinions["topic_primary"], topic_rank=1)
    parts = [first]
    if multi and "topic_secondary" in opinions:
        second = opinions[keep].assign(topic=opinions["topic_secondary"], topic_rank=2)
        parts.append(second[second["topic"].notna()])
    out = pd.concat(parts, ignore_index=True)
    return out[out["topic"].notna()].reset_index(drop=True)


def _levels_of(opinions: pd.DataFrame, levels: Iterable[str] | None) -> list[str]:
    if levels is not None:
        return list(levels)
    present = set(opinions["level"].dropna()) if len(opinions) else set()
    return [lv for lv in LEVELS if lv in present] or list(LEVELS)


def count_by_topic(
    opinions: pd.DataFrame,
    multi: bool = False,
    lang: str = "vi",
    levels: Iterable[str] | None = None,
    all_topics: bool = True,
) -> pd.DataFrame:
    """Opinions per topic and level: level, topic, topic_name, count, n, share.

    `n` is the number of opinions of the level, so primary shares add up to 1 and
    multi-label shares to more. With `all_topics`, topics nobody raised appear with 0.
    """
    long = topic_long(opinions, multi)
    codes = _all_topic_codes() if all_topics else []
    rows = []
    for lv in _levels_of(opinions, levels):
        n = int((opinions["level"] == lv).sum())
        counts = long.loc[long["level"] == lv, "topic"].value_counts()
        topics = list(dict.fromkeys([*counts.index, *codes]))
        for code in topics:
            rows.append({"level": lv, "topic": code, "count": int(counts.get(code, 0)), "n": n})
    out = pd.DataFrame(rows, columns=["level", "topic", "count", "n"])
    out["count"] = out["count"].astype("int64")
    out["n"] = out["n"].astype("int64")
    out["share"] = np.where(out["n"] > 0, out["count"] / out["n"].where(out["n"] > 0, 1), np.nan)
    out.insert(2, "topic_name", out["topic"].map(lambda c: topic_label(c, lang)))
    order = {lv: i for i, lv in enumerate(LEVELS)}
    out = out.sort_values(
        ["level", "count", "topic"], key=lambda s: s.map(order) if s.name == "level" else s,
        ascending=[True, False, True],
    )
    return out.reset_index(drop=True)


def topic_shares(
    opinions: pd.DataFrame, multi: bool = False, confidence: float = 0.95, lang: str = "vi",
    levels: Iterable[str] | None = None,
) -> pd.DataFrame:
    """:func:`count_by_topic` with a Wilson interval for each share (ci_low, ci_high).

    The interval says how much a share could move by chance alone if the year's opinions
    were a sample of what residents think; read it as a guide, not a census fact.
    """
    out = count_by_topic(opinions, multi=multi, lang=lang, levels=levels)
    low, high = wilson_interval(out["count"], out["n"], confidence)
    return out.assign(ci_low=low, ci_high=high)


def count_by_ward(
    opinions: pd.DataFrame, wards: pd.DataFrame | None = None,
    levels: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Opinions per ward and level: level, ward_code, ward_name, count, share (of level).

    With `wards` (ds.wards) every ward appears, with 0 where nobody spoke.
    """
    rows = []
    names = _ward_names(opinions, wards)
    for lv in _levels_of(opinions, levels):
        sub = opinions[opinions["level"] == lv]
        counts = sub["ward_code"].value_counts()
        codes = list(wards["ward_code"]) if wards is not None else sorted(counts.index)
        for code in codes:
            rows.append({"level": lv, "ward_code": code, "ward_name": names.get(code, code),
                         "count": int(counts.get(code, 0))})
    out = pd.DataFrame(rows, columns=["level", "ward_code", "ward_name", "count"])
    out["count"] = out["count"].astype("int64")
    totals = out.groupby("level")["count"].transform("sum")
    out["share"] = out["count"] / totals.where(totals > 0)
    return out.sort_values(["level", "count"], ascending=[False, False]).reset_index(drop=True)


def _ward_names(opinions: pd.DataFrame, wards: pd.DataFrame | None) -> dict[str, str]:
    names: dict[str, str] = {}
    if "ward_name" in opinions:
        names.update(
            opinions.dropna(subset=["ward_name"]).drop_duplicates("ward_code")
            .set_index("ward_code")["ward_name"].to_dict()
        )
    if wards is not None:
        names.update(dict(zip(wards["ward_code"], wards["ward_name"], strict=True)))
    return names


def count_by_group(
    opinions: pd.DataFrame, groups: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Group-level opinions per residential group: ward_code, group_code, group_name, count.

    With `groups` (ds.group_conferences) every group that met appears, with 0 if silent.
    """
    sub = opinions[opinions["level"] == "to_dan_pho"]
    counts = sub.groupby("group_code").size()
    if groups is not None:
        cols = [c for c in ("ward_code", "ward_name", "group_code", "group_name") if c in groups]
        out = groups[cols].drop_duplicates("group_code").copy()
    else:
        out = sub[["ward_code", "group_code"]].drop_duplicates("group_code").copy()
    out["count"] = out["group_code"].map(counts).fillna(0).astype("int64")
    return out.sort_values(["count", "group_code"], ascending=[False, True]).reset_index(
        drop=True
    )


def topic_ward_table(
    opinions: pd.DataFrame,
    wards: pd.DataFrame | None = None,
    values: str = "count",
    multi: bool = False,
    lang: str = "vi",
) -> pd.DataFrame:
    """The topic × ward heat table: one row per ward, one column per topic (by name).

    values="count": opinions; values="share": each row divided by the ward's opinions
    (so rows add to 100% with primary topics). A `total` column holds the ward's opinions.
    """
    if values not in ("count", "share"):
        raise OpinionsInputError(
            f"values phải là 'count' hoặc 'share' / values must be 'count' or 'share': {values!r}"
        )
    long = topic_long(opinions, multi)
    names = _ward_names(opinions, wards)
    codes = (
        list(wards["ward_code"]) if wards is not None else sorted(opinions["ward_code"].unique())
    )
    present = long["topic"].value_counts()
    topic_order = [c for c in _all_topic_codes() if c in present.index] or list(present.index)
    topic_order += [c for c in present.index if c not in topic_order]
    table = pd.crosstab(long["ward_code"], long["topic"]).reindex(
        index=codes, columns=topic_order, fill_value=0
    )
    totals = opinions["ward_code"].value_counts().reindex(codes, fill_value=0)
    if values == "share":
        table = table.div(totals.where(totals > 0), axis=0)
    table.columns = [topic_label(c, lang) for c in table.columns]
    table.columns.name = None
    table.insert(0, "ward_name", [names.get(c, c) for c in table.index])
    table["total"] = totals.astype("int64").to_numpy()
    table.index.name = "ward_code"
    return table.reset_index()


def opinions_per_100(
    opinions: pd.DataFrame,
    group_conferences: pd.DataFrame,
    ward_conferences: pd.DataFrame,
    by: str = "ward",
    level: str = "all",
    ward: str | None = None,
) -> pd.DataFrame:
    """Opinions per 100 attending households, so big and small wards can be compared.

    by="ward": per ward and level (group-level opinions over the households that attended
    the ward's group conferences; ward-level over the ward conference's). by="group": per
    residential group (group level only). `ward` keeps one ward's rows. Columns: level,
    ward_code, ward_name,
    [group_code, group_name,] opinions, attended, opinions_per_100 (as charts expect).
    """
    check_level(level)
    if by == "group":
        counts = count_by_group(opinions, group_conferences)
        att = group_conferences.groupby("group_code")["households_attended"].sum()
        out = counts.rename(columns={"count": "opinions"})
        out["attended"] = out["group_code"].map(att).astype("Int64")
        out.insert(0, "level", "to_dan_pho")
    elif by == "ward":
        parts = []
        group_att = group_conferences.groupby("ward_code")["households_attended"].sum()
        ward_att = ward_conferences.groupby("ward_code")["households_attended"].sum()
        for lv, att in (("to_dan_pho", group_att), ("phuong", ward_att)):
            sub = opinions[opinions["level"] == lv]["ward_code"].value_counts()
            frame = pd.DataFrame({"ward_code": att.index, "attended": att.to_numpy()})
            frame.insert(0, "level", lv)
            frame["opinions"] = frame["ward_code"].map(sub).fillna(0).astype("int64")
            parts.append(frame)
        out = pd.concat(parts, ignore_index=True)
        source = ward_conferences if "ward_name" in ward_conferences else group_conferences
        names = (
            dict(zip(source["ward_code"], source["ward_name"], strict=True))
            if "ward_name" in source else {}
        )
        out.insert(2, "ward_name", out["ward_code"].map(lambda c: names.get(c, c)))
        out = out[["level", "ward_code", "ward_name", "opinions", "attended"]]
    else:
        raise OpinionsInputError(
            f"by phải là 'ward' hoặc 'group' / by must be 'ward' or 'group': {by!r}"
        )
    if level != "all":
        out = out[out["level"] == level]
    if ward is not None:
        out = out[out["ward_code"] == ward]
    attended = out["attended"].astype("float64")
    out = out.assign(opinions_per_100=100 * out["opinions"] / attended.where(attended > 0))
    return out.reset_index(drop=True)



def where_table(ds, scope: pd.DataFrame, ward: str | None = None) -> pd.DataFrame:
    """Where opinions came from: per ward for the district, per residential group for a ward."""
    if ward is None:
        return count_by_ward(scope, ds.wards)
    groups = ds.group_conferences[ds.group_conferences["ward_code"] == ward]
    return count_by_group(scope, groups)

"""The data's own totals beside the published ones, and a warning for each that disagrees."""

from __future__ import annotations

import pandas as pd

from hbt_analysis.problems import Problem
from hbt_analysis.schema import Table


def reconcile(ds: object) -> pd.DataFrame:
    """Each published figure of the year beside the data's own, and whether they agree.

    A figure the source did not publish is shown as missing, never filled in; "nearly"
    figures ("gần 30.000") agree when the data lies within 2% below them.
    """
    rows = []
    published = ds.published  # type: ignore[attr-defined]
    for _, pub in published.iterrows():
        level = pub["level"]
        conf = ds.group_conferences if level == "to_dan_pho" else ds.ward_conferences  # type: ignore[attr-defined]
        ops = ds.opinions  # type: ignore[attr-defined]
        n_ops = int((ops["level"] == level).sum()) if ops is not None and len(ops) else None
        if n_ops in (None, 0) and conf is not None and len(conf):
            n_ops = int(conf["opinions_count"].sum())
        data = {
            "units_held": len(conf) if conf is not None else None,
            "households_invited": _sum(conf, "households_invited"),
            "households_attended": _sum(conf, "households_attended"),
            "rate_pct": None,
            "opinions": n_ops,
        }
        if data["households_invited"]:
            data["rate_pct"] = round(
                100 * data["households_attended"] / data["households_invited"], 1
            )
        for figure in ("units_held", "households_invited", "households_attended",
                       "rate_pct", "opinions"):
            value = pub[figure]
            qualifier = pub["attended_qualifier"] if figure == "households_attended" else "exact"
            published_value = None if pd.isna(value) else value
            rows.append({
                "year": int(pub["year"]), "level": level, "figure": figure,
                "published": published_value, "data": data[figure],
                "qualifier": qualifier if published_value is not None else "not_published",
                "agrees": _agrees(published_value, data[figure], qualifier),
                "source": pub["source"],
            })
    return pd.DataFrame(rows, columns=["year", "level", "figure", "published", "data",
                                       "qualifier", "agrees", "source"])


def _sum(frame: pd.DataFrame | None, col: str) -> int | None:
    if frame is None or frame.empty:
        return None
    return int(frame[col].sum())


def _agrees(published: object, data: object, qualifier: str) -> bool | None:
    if published is None:
        return None  # nothing published: nothing to agree with
    if data is None:
        return False
    if qualifier == "nearly":
        return 0.98 * float(published) <= float(data) < float(published)
    return abs(float(published) - float(data)) < 1e-9


def reconciliation_problems(table: pd.DataFrame, where: str) -> list[Problem]:
    """Disagreements with the published totals, as warnings that show both values."""
    out = []
    for _, r in table[table["agrees"] == False].iterrows():  # noqa: E712 (None = not published)
        out.append(Problem(
            "warning", where, None, r["figure"],
            f"{r['level']} {r['year']}: số đã công bố là {r['published']}, dữ liệu cho "
            f"{r['data']} ({r['figure']}).",
            f"{r['level']} {r['year']}: published {r['published']}, the data gives "
            f"{r['data']} ({r['figure']}).",
            "reconciliation",
        ))
    return out


def level_of(table: Table) -> str:
    return "to_dan_pho" if table.name == "group_conferences" else "phuong"


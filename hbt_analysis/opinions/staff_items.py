"""Where the office has already grouped its opinions (tổng hợp by hand), theirs wins.

Staff record, per opinion, the number or label of the request they consolidated it into
(the optional column ``staff_item``: "Nhóm kiến nghị", "Số TT tổng hợp", …): opinions with
the same key in a year are one request. :func:`follow_staff` builds the year's items from
those keys — across the area a key is one item whatever its wards, within a ward its ward's
part is the ward's item — and consolidates the opinions staff left blank by the machine,
among themselves, as before. Wording, topic, places and reasons are made by the same item
builder as the machine's items (consolidate.py), so every report reads them the same way.

Each member row says where its item came from (``source``: "staff" or "machine"), its staff
key and the item the machine gives it when it consolidates every opinion itself
(``machine_item``): :func:`agreement` scores the machine against the staff on the opinions
staff grouped (pairwise precision/recall/F1, as against a labelled set).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from hbt_analysis.opinions.consolidate import (
    ITEM_COLUMNS,
    MEMBER_COLUMNS,
    consolidate,
    items_of_groups,
    order_items,
)
from hbt_analysis.opinions.places import Place
from hbt_analysis.opinions.similarity import RequestVectorizer
from hbt_analysis.schema import staff_item_key

__all__ = ["STAFF_COLUMN", "agreement", "agreement_table", "follow_staff", "grouped_by_staff",
           "grouping_sentence", "staff_keys", "staff_reason"]

#: The opinions' column holding the office's item key (schema.OPINIONS).
STAFF_COLUMN = "staff_item"


def staff_keys(opinions: pd.DataFrame) -> np.ndarray:
    """Each opinion's staff key as compared ("KN-03" and "kn-03" are one), None if blank."""
    if STAFF_COLUMN not in opinions:
        return np.full(len(opinions), None, dtype=object)
    return np.array([staff_item_key(k) for k in opinions[STAFF_COLUMN].tolist()], dtype=object)


def grouped_by_staff(opinions: pd.DataFrame) -> bool:
    """Whether staff grouped any of these opinions."""
    return any(k is not None for k in staff_keys(opinions))


def _staff_parts(keys: np.ndarray, wards: Sequence[str], scope: str) -> list[np.ndarray]:
    """The rows of each staff item: a key across the area, a key's part in each ward."""
    parts: dict[tuple, list[int]] = {}
    for i, key in enumerate(keys):
        if key is not None:
            parts.setdefault((key,) if scope == "area" else (key, wards[i]), []).append(i)
    return [np.array(rows) for rows in parts.values()]


def follow_staff(
    opinions: pd.DataFrame, features: sp.csr_matrix, places: Sequence[Sequence[Place]],
    vectorizer: RequestVectorizer | None, threshold: float, scope: str,
    machine_members: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(items, members) as consolidate.consolidate returns them, the staff's grouping where
    given. `machine_members`: consolidate's members for the same opinions (every one
    grouped by the machine), kept as each opinion's ``machine_item``.

    Items gain ``source`` and ``staff_item`` (the key as staff wrote it, None for the
    machine's); members gain ``source``, ``staff_item`` and ``machine_item``."""
    frame = opinions.reset_index(drop=True)
    keys = staff_keys(frame)
    written = frame[STAFF_COLUMN].tolist()
    parts = _staff_parts(keys, frame["ward_code"].astype(str).tolist(), scope)
    items, members = items_of_groups(frame, parts, features, places, vectorizer, scope)
    label = {item["item"]: written[idx[0]] for item, idx in zip(items, parts, strict=True)}
    for row in items + members:
        row.update(source="staff", staff_item=label[row["item"]])
    blank = np.flatnonzero(keys == None)  # noqa: E711 (an object array)
    if len(blank):
        m_items, m_members = consolidate(frame.iloc[blank], features[blank],
                                         [places[i] for i in blank], vectorizer, threshold,
                                         scope)
        offset = len(items)
        items += m_items.assign(item=m_items["item"] + offset, source="machine",
                                staff_item=None).to_dict("records")
        members += m_members.assign(item=m_members["item"] + offset, source="machine",
                                    staff_item=None).to_dict("records")
    item_frame = pd.DataFrame(items, columns=[*ITEM_COLUMNS, "source", "staff_item"])
    member_frame = pd.DataFrame(members, columns=[*MEMBER_COLUMNS, "source", "staff_item"])
    item_frame, member_frame = order_items(item_frame, member_frame)
    machine = dict(zip(machine_members["opinion_id"].astype(str), machine_members["item"],
                       strict=True))
    member_frame["machine_item"] = member_frame["opinion_id"].astype(str).map(machine)
    return item_frame, member_frame


def agreement(members: pd.DataFrame, scope: str = "area") -> dict[str, float]:
    """How far the machine's own grouping agrees with the staff's, on the opinions staff
    grouped: evaluate.pair_scores of the machine's items against the staff keys (pairs
    within a ward when scope="ward"), plus how many opinions and staff items that is.
    Empty when staff grouped nothing."""
    from hbt_analysis.opinions.evaluate import pair_scores

    if "source" not in members:
        return {}
    staff = members[members["source"] == "staff"]
    if staff.empty:
        return {}
    keys = staff_keys(staff)
    block = staff["ward_code"].astype(str) if scope == "ward" else None
    scores = pair_scores(keys, staff["machine_item"], block)
    parts = (set(zip(keys, staff["ward_code"].astype(str), strict=True)) if scope == "ward"
             else set(keys))
    scores.update(opinions=len(staff), staff_items=len(parts),
                  machine_items=int(staff["machine_item"].nunique()))
    return scores


# --------------------------------------------------------------------------------------
# What readers see
# --------------------------------------------------------------------------------------
def staff_reason(item: pd.Series | dict, lang: str = "vi") -> str:
    """Why an item's opinions belong together when staff grouped them."""
    key = item.get("staff_item")
    if lang == "vi":
        return f"Cán bộ đã tổng hợp các ý kiến này thành một kiến nghị (số {key})."
    return f"Staff consolidated these opinions into one request (no. {key})."


def grouping_sentence(items: pd.DataFrame, lang: str = "vi") -> str:
    """One plain sentence over a list of items where staff grouped some of its opinions
    ("Danh sách theo tổng hợp của cán bộ cho 1.210 ý kiến; 225 ý kiến còn lại do máy
    gộp."); "" when the list is the machine's alone."""
    from hbt_analysis.fmt import fmt_int

    if "source" not in items or items.empty:
        return ""
    staff = items["source"] == "staff"
    n_staff = int(items.loc[staff, "n_opinions"].sum())
    n_rest = int(items.loc[~staff, "n_opinions"].sum())
    if n_staff == 0:
        return ""
    if lang == "vi":
        head = f"Danh sách theo tổng hợp của cán bộ cho {fmt_int(n_staff)} ý kiến"
        return head + (f"; {fmt_int(n_rest)} ý kiến còn lại do máy gộp." if n_rest else ".")
    head = f"The list follows the staff's own grouping for {fmt_int(n_staff, 'en')} opinions"
    return head + (f"; the other {fmt_int(n_rest, 'en')} were grouped by the machine."
                   if n_rest else ".")


def agreement_table(ds, ward: str | None = None, lang: str = "vi",
                    threshold: float | None = None) -> pd.DataFrame:
    """For the analyst: how far the machine's grouping agrees with the staff's, on the
    opinions staff grouped (across the area, and within wards; `ward` keeps one ward's).
    Empty when staff grouped none of the scope's opinions."""
    from hbt_analysis.fmt import fmt_int, fmt_num
    from hbt_analysis.opinions.yearly import year_requests

    yr = year_requests(ds)
    vi = lang == "vi"
    rows = []
    for scope in ("ward",) if ward is not None else ("area", "ward"):
        _, members = yr.items(scope, threshold)
        if ward is not None:
            members = members[members["ward_code"].astype(str) == str(ward)]
        score = agreement(members, scope)
        if not score:
            continue
        rows.append({
            ("Máy so với cán bộ tổng hợp" if vi else "Machine against staff grouping"): (
                ("Toàn khu vực" if vi else "Whole area") if scope == "area"
                else ("Trong từng phường" if vi else "Within each ward")),
            ("Ý kiến cán bộ đã tổng hợp" if vi else "Opinions staff grouped"):
                fmt_int(score["opinions"], lang),
            ("Kiến nghị của cán bộ" if vi else "Staff's requests"):
                fmt_int(score["staff_items"], lang),
            ("Nhóm của máy" if vi else "Machine's items"): fmt_int(score["machine_items"], lang),
            "P": fmt_num(score["precision"], 2, lang),
            "R": fmt_num(score["recall"], 2, lang),
            "F1": fmt_num(score["f1"], 2, lang),
            "ARI": fmt_num(score["ari"], 2, lang),
        })
    return pd.DataFrame(rows)

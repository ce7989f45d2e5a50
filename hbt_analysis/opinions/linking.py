"""Group level → ward level: which group-level opinions each ward-level opinion carries
forward, and which consolidated requests never reached the ward conference.

A ward-level opinion is linked to the group-level opinions of its ward that make the same
request (the similarity of similarity.py: what is asked, the same place, the same topic;
at least ``threshold``). Ward summaries often name the groups ("Cử tri tổ dân phố số 3, số
7 phản ánh ...", or a `source_groups` column from the Word minutes import): then the best
match in each named group is linked down to a lower bar (NAMED_THRESHOLD), and marked.

Where the office gave a ward-level opinion the same key (the column ``staff_item``) as
group-level opinions of its ward, that is the link: staff's sources replace the machine's for
that ward opinion (``source`` "staff"; the similarity is still given), and
:func:`link_agreement` reports how far the machine's own links agree — as routing does for
``addressed_to``. A ward opinion whose key no group opinion of its ward shares, or that has
none, is linked by the machine as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from hbt_analysis.fmt import fmt_int
from hbt_analysis.labels import unit_words
from hbt_analysis.opinions.consolidate import group_label
from hbt_analysis.opinions.similarity import Concepts, Place, pair_similarity, request_concepts
from hbt_analysis.opinions.staff_items import STAFF_COLUMN, staff_keys
from hbt_analysis.text import fold, normalize

__all__ = [
    "DEFAULT_LINK_THRESHOLD",
    "LINK_COLUMNS",
    "NAMED_THRESHOLD",
    "link_agreement",
    "link_ward_opinions",
    "named_groups",
    "reach_sentence",
    "similarity_between",
    "unreached_items",
]

#: A ward-level opinion is linked to a group-level one at least this similar.
DEFAULT_LINK_THRESHOLD = 0.25
#: ... or this similar, when the ward opinion names that group.
NAMED_THRESHOLD = 0.15

LINK_COLUMNS = ["ward_opinion_id", "ward_code", "opinion_id", "group_code", "similarity",
                "named", "rank"]

_GROUPS_RE = re.compile(
    r"(?<!\w)(?:to dan pho|tdp|to)\s*(?:so\s*)?((?:\d+[a-z]?)(?:\s*(?:,|va|;|-)\s*(?:so\s*|tdp\s*|"
    r"to\s*)?\d+[a-z]?)*)", re.IGNORECASE)


def named_groups(text: str) -> list[str]:
    """The group numbers a ward-level opinion names: "Cử tri tổ dân phố số 3, số 7 và số 12"
    -> ["3", "7", "12"]; "TDP 5, 9" -> ["5", "9"]."""
    folded = fold(normalize(text or ""))
    out: list[str] = []
    for m in _GROUPS_RE.finditer(folded):
        for n in re.findall(r"\d+[a-z]?", m.group(1)):
            n = n.lstrip("0") or "0"
            if n not in out:
                out.append(n)
    return out


def _named_codes(row: pd.Series, labels: dict[str, str]) -> set[str]:
    """Group codes a ward-level opinion names (source_groups column, else its text)."""
    given = row.get("source_groups")
    if isinstance(given, str) and given.strip():
        return {g.strip() for g in re.split(r"[;,]", given) if g.strip()}
    by_label: dict[str, list[str]] = {}
    for code, label in labels.items():
        by_label.setdefault(label, []).append(code)
    return {c for n in named_groups(str(row.get("text") or "")) for c in by_label.get(n, [])}


def similarity_between(f_ward: sp.csr_matrix, f_group: sp.csr_matrix,
                       p_ward: Sequence[Sequence[Place]], p_group: Sequence[Sequence[Place]],
                       t_ward: Sequence[object], t_group: Sequence[object],
                       c_ward: Sequence[Concepts] | None = None,
                       c_group: Sequence[Concepts] | None = None) -> np.ndarray:
    """The similarity of each opinion of one set (rows: ward-level, or this year's) to each
    of another (columns: group-level, or an earlier year's): similarity.pair_similarity,
    as linking and repeats (repeats.raised_again, evaluate) both score a pair."""
    return pair_similarity(f_ward, p_ward, t_ward, f_group, p_group, t_group, c_ward, c_group)


def link_ward_opinions(opinions: pd.DataFrame, features: sp.csr_matrix,
                       places: Sequence[Sequence[Place]],
                       threshold: float = DEFAULT_LINK_THRESHOLD,
                       staff: bool = True) -> pd.DataFrame:
    """For each ward-level opinion, the group-level opinions of its ward it carries forward,
    best first (LINK_COLUMNS). `features` and `places` are row-aligned with `opinions`.

    Where `opinions` has the column staff_item (and `staff`), a ward opinion keyed like
    group opinions of its ward is linked to exactly those, and every row says where its link
    came from (a column ``source``: "staff" or "machine"); `staff=False` gives the machine's
    own links (what :func:`link_agreement` compares with)."""
    frame = opinions.reset_index(drop=True)
    keyed = STAFF_COLUMN in frame
    keys = staff_keys(frame) if keyed and staff else np.full(len(frame), None, dtype=object)
    rows: list[dict] = []
    level = frame["level"].astype(str).to_numpy()
    ward = frame["ward_code"].astype(str).to_numpy()
    topics = frame["topic_primary"].tolist() if "topic_primary" in frame else [None] * len(
        frame)
    concepts = [request_concepts(t) for t in frame["text"].fillna("").astype(str)]
    for w in sorted(set(ward[level == "phuong"])):
        wi = np.flatnonzero((ward == w) & (level == "phuong"))
        gi = np.flatnonzero((ward == w) & (level == "to_dan_pho"))
        if len(gi) == 0:
            continue
        sim = similarity_between(features[wi], features[gi], [places[i] for i in wi],
                                 [places[i] for i in gi], [topics[i] for i in wi],
                                 [topics[i] for i in gi], [concepts[i] for i in wi],
                                 [concepts[i] for i in gi])
        g_codes = frame["group_code"].iloc[gi].astype(str).to_numpy()
        names = (frame["group_name"].iloc[gi].tolist() if "group_name" in frame
                 else [None] * len(gi))
        labels = {c: group_label(c, n) for c, n in zip(g_codes, names, strict=True)}
        g_keys = keys[gi]
        for k, i in enumerate(wi):
            named = _named_codes(frame.iloc[i], labels)
            chosen: dict[int, bool] = {}
            own = np.flatnonzero(g_keys == keys[i]) if keys[i] is not None else []
            if len(own):  # staff gave it the key of these group opinions: their link
                chosen = {int(j): g_codes[j] in named for j in own}
            else:
                for j in np.flatnonzero(sim[k] >= threshold):
                    chosen[int(j)] = g_codes[j] in named
                for code in named:
                    cand = np.flatnonzero(g_codes == code)
                    if len(cand):
                        j = int(cand[np.argmax(sim[k, cand])])
                        if sim[k, j] >= NAMED_THRESHOLD:
                            chosen[j] = True
            order = sorted(chosen, key=lambda j: (-sim[k, j], j))
            for rank, j in enumerate(order, start=1):
                rows.append({
                    "ward_opinion_id": str(frame["opinion_id"].iloc[i]), "ward_code": w,
                    "opinion_id": str(frame["opinion_id"].iloc[gi[j]]),
                    "group_code": g_codes[j], "similarity": float(sim[k, j]),
                    "named": chosen[j], "rank": rank,
                    "source": "staff" if len(own) else "machine",
                })
    out = pd.DataFrame(rows, columns=[*LINK_COLUMNS, "source"])
    return out if keyed else out.drop(columns="source")


def link_agreement(links: pd.DataFrame, machine_links: pd.DataFrame) -> dict[str, float]:
    """How far the machine's own links agree with the staff's, on the ward-level opinions
    staff linked: pairwise precision (of the machine's links of those opinions, how many
    staff made), recall (of staff's links, how many the machine makes) and F1, with the
    counts. Empty when staff linked nothing; precision NaN when the machine links none of
    those opinions. `links` as :func:`link_ward_opinions` gives
    them with staff's, `machine_links` with ``staff=False``."""
    if "source" not in links:
        return {}
    staff = links[links["source"] == "staff"]
    if staff.empty:
        return {}
    ward_ops = set(staff["ward_opinion_id"])
    machine = machine_links[machine_links["ward_opinion_id"].isin(ward_ops)]
    said = set(zip(staff["ward_opinion_id"], staff["opinion_id"], strict=True))
    found = set(zip(machine["ward_opinion_id"], machine["opinion_id"], strict=True))
    both = len(said & found)
    # no link found: no precision to speak of (NaN, shown "—"), and no agreement (F1 0)
    precision = both / len(found) if found else float("nan")
    recall = both / len(said)
    f1 = 2 * precision * recall / (precision + recall) if both else 0.0
    return {"ward_opinions": len(ward_ops), "staff_links": len(said),
            "machine_links": len(found), "both": both,
            "precision": precision, "recall": recall, "f1": f1}


def unreached_items(items: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """`items` (ward scope) with `reached` (some member was carried to the ward conference)
    and `ward_opinion_id` (the first ward-level opinion that carried it, else None)."""
    carried = links.drop_duplicates("opinion_id").set_index("opinion_id")["ward_opinion_id"]
    reached, by = [], []
    for members in items["members"]:
        hits = [carried[m] for m in members if m in carried.index]
        reached.append(bool(hits))
        by.append(hits[0] if hits else None)
    return items.assign(reached=reached, ward_opinion_id=by)


def reach_sentence(items: pd.DataFrame, min_groups: int = 2, lang: str = "vi") -> str:
    """How many requests raised by several groups reached the ward conference, and how
    many did not. `items` as :func:`unreached_items` returns them."""
    if items.empty or "reached" not in items:
        return (f"Không có kiến nghị nào để đối chiếu với hội nghị {unit_words(lang)['unit']}."
                if lang == "vi" else "There are no requests to check against the "
                f"{unit_words(lang)['unit']} conferences.")
    many = items[(items["n_groups"] >= min_groups) & items["request"]]
    missed = int((~many["reached"]).sum())
    reached_all = int(items.loc[items["request"], "reached"].sum())
    unit = unit_words(lang)["unit"]
    if lang == "vi":
        return (f"{fmt_int(reached_all)} kiến nghị từ tổ dân phố được đưa lên hội nghị {unit}. "
                f"Trong {fmt_int(len(many))} kiến nghị được từ {min_groups} tổ dân phố trở lên "
                f"nêu, {fmt_int(missed)} kiến nghị chưa được đưa lên hội nghị {unit}.")
    return (f"{fmt_int(reached_all, lang='en')} requests from the residential groups reached "
            f"the {unit} conferences. Of the {fmt_int(len(many), lang='en')} raised by "
            f"{min_groups} or more groups, {fmt_int(missed, lang='en')} did not.")

"""Consolidation (tổng hợp ý kiến): the group-level opinions that make the same request become
one item, "12 tổ dân phố (TDP 3, 5, 9, …) đề nghị …", with its member opinions.

How (deterministic; one threshold):

1. Every pair of the area's group-level opinions gets a similarity in [0, 1]: what is
   asked (TF-IDF, see similarity.py), plus a bonus for the same place or the same object,
   minus a penalty where places, objects or actions differ (similarity.pair_similarity).
   Two opinions of one group are pushed apart (SAME_GROUP_SIMILARITY): a group's conference
   usually lists a request once.
2. Opinions are merged bottom-up (average linkage, scipy): two groups of opinions join while
   the mean similarity between them is at least ``threshold``. Average linkage, not "any
   pair above the threshold", so a chain of loosely similar opinions does not snowball.
3. The area's opinions are clustered all together (every pair, whatever its wards), so a
   request raised in several wards is one item with its wards, and a ward's items are the
   area's items cut to the ward (WARD_ITEMS_FROM_AREA): both lists group opinions alike;
   within a ward, a cut piece holding two opinions of one group is clustered again on its
   own, and cut pieces that name one place are joined at the same threshold (ward_items.py).
   Above AREA_AT_ONCE requests (a city) each ward is clustered on its own and the wards'
   items are merged (each item's mean TF-IDF row and its places), which needs no matrix of
   every pair.

Opinions that only agree with the report ("Nhất trí với báo cáo ...") ask for nothing: each
stays an item of its own, marked ``request=False``, after the requests.

Each item says why its opinions belong together (:func:`item_reason`): the words they
share, the place they name, their topic and how similar they are.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from hbt_analysis.opinions.represent import choose as choose_wording
from hbt_analysis.opinions.represent import site_names
from hbt_analysis.opinions.same_group import SAME_GROUP_SIMILARITY, same_group_pairs
from hbt_analysis.opinions.similarity import (
    Concepts,
    Place,
    RequestVectorizer,
    content_tokens,
    pair_similarity,
    request_concepts,
)
from hbt_analysis.opinions.ward_items import ward_pieces
from hbt_analysis.text import normalize

__all__ = [
    "DEFAULT_THRESHOLD",
    "ITEM_COLUMNS",
    "MEMBER_COLUMNS",
    "cluster",
    "consolidate",
    "group_label",
    "is_request",
    "item_reason",
    "items_of_groups",
    "order_items",
]

#: Opinions join an item while their mean similarity is at least this (see the module doc).
DEFAULT_THRESHOLD = 0.2

ITEM_COLUMNS = [
    "item", "scope", "ward_code", "wards", "n_wards", "topic", "text", "opinion_id",
    "n_opinions", "n_groups", "groups", "place", "key_terms", "similarity", "min_similarity",
    "request", "members", "example",
]
MEMBER_COLUMNS = ["opinion_id", "item", "ward_code", "group_code", "similarity",
                  "representative"]

def is_request(text: str) -> bool:
    """False for an opinion that only agrees with, thanks for or praises the report or the
    ward's work ("Nhất trí với báo cáo, không có ý kiến gì thêm"), True for anything that
    asks, complains or reports. The words are data: `not_a_request` in
    resources/topics.yaml, the rule that also gives such an opinion the topic khac."""
    from hbt_analysis.topics import load_taxonomy

    return load_taxonomy().is_request(normalize(text or "").lower())


# --------------------------------------------------------------------------------------
# Clustering
# --------------------------------------------------------------------------------------
def cluster(features: sp.csr_matrix, places: Sequence[Sequence[Place]],
            threshold: float = DEFAULT_THRESHOLD, topics: Sequence[object] | None = None,
            concepts: Sequence[Concepts] | None = None,
            groups: Sequence[object] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Labels 0..k-1 (in order of first member) and the pair similarity matrix used.

    Average linkage over 1 − similarity, cut at 1 − threshold; the same input gives the
    same labels. Two opinions of one group (`groups`, its code) count as
    SAME_GROUP_SIMILARITY to each other (:func:`same_group_pairs`).
    """
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    n = features.shape[0]
    if n == 0:
        return np.zeros(0, dtype=int), np.zeros((0, 0))
    sim = pair_similarity(features, places, topics, concepts=concepts)
    if n == 1:
        return np.zeros(1, dtype=int), sim
    dist = 1.0 - sim
    apart = same_group_pairs(groups)
    if apart is not None:  # two opinions of one group: pushed apart, reported as 0
        sim[apart] = 0.0
        dist[apart] = 1.0 - SAME_GROUP_SIMILARITY
    dist = squareform(dist, checks=False)
    raw = fcluster(linkage(dist, method="average"), t=1.0 - threshold + 1e-9,
                   criterion="distance")
    first: dict[int, int] = {}
    labels = np.array([first.setdefault(int(c), len(first)) for c in raw], dtype=int)
    return labels, sim


#: An item merged across wards with more members than this is scored (its representative,
#: its members' similarity) without the pair-by-pair place check, which is Python per pair.
LARGE_ITEM = 400
#: Up to this many requests, an area's items are clustered from its opinions directly, as
#: a ward's are (average linkage over every pair, whatever the ward). Above it (a city), each
#: ward is clustered first and the wards' items merged (:func:`_merge_across`), which needs
#: no matrix of every pair of opinions. Clustering opinions directly lets a pair across
#: wards count as much as a pair within one, instead of each ward's item standing for its
#: members by their mean: area pairwise F1 on six independent sets, 0.825 → 0.84 on
#: average, most on the three sets last scored as honest (benchmarks/results/
#: consolidation.md, session 19).
AREA_AT_ONCE = 2500
#: A ward's items are the area's items cut to the ward (up to AREA_AT_ONCE requests), not
#: a clustering of the ward's opinions alone: two requests of one ward that the area's
#: other paraphrases keep apart stay apart in the ward, and a ward's list groups its
#: opinions as the district's list does. Within a ward, a dozen or two opinions are too few
#: to tell two neighbouring requests apart: ward pairwise precision 0,63–0,77 on the
#: newest authors' sets against 0,85–0,93 for the area's items cut by ward (thirteen
#: labelled sets, ward F1 0,831 → 0,856 on average; benchmarks/results/consolidation.md,
#: session 21).
WARD_ITEMS_FROM_AREA = True
#: Above this many items, an area's items are merged within each topic only (see
#: :func:`cluster_large`); the bundled district stays far below it.
SPLIT_ABOVE = 2500


def cluster_large(features: sp.csr_matrix, places: Sequence[Sequence[Place]],
                  threshold: float = DEFAULT_THRESHOLD,
                  topics: Sequence[object] | None = None,
                  concepts: Sequence[Concepts] | None = None) -> np.ndarray:
    """The labels of :func:`cluster` for up to SPLIT_ABOVE rows; above it (a city's tens of
    thousands of ward items, whose n × n matrix and average linkage would not fit in memory)
    each topic's rows are clustered on their own, so two items of different primary topics
    are never merged. Opinions are far too connected for an exact split (their graph of
    pairs above the threshold is one component), so this is a stated approximation: within
    a topic the result is exactly `cluster`'s. Labels in order of first member."""
    n = features.shape[0]
    if n <= SPLIT_ABOVE or topics is None:
        return cluster(features, places, threshold, topics, concepts)[0]
    codes = np.array([t if isinstance(t, str) else "" for t in topics], dtype=object)
    raw = np.empty(n, dtype=int)
    offset = 0
    for code in sorted(set(codes)):
        idx = np.flatnonzero(codes == code)
        sub, _ = cluster(features[idx], [places[i] for i in idx], threshold,
                         [topics[i] for i in idx],
                         None if concepts is None else [concepts[i] for i in idx])
        raw[idx] = sub + offset
        offset += int(sub.max()) + 1
    first: dict[int, int] = {}
    return np.array([first.setdefault(int(c), len(first)) for c in raw], dtype=int)


# --------------------------------------------------------------------------------------
# Items
# --------------------------------------------------------------------------------------
_GROUP_NUMBER_RE = re.compile(r"(\d+[A-Za-z]?)\s*$")


def group_label(code: object, name: object = None) -> str:
    """How a group is named in a list: its number ("3" for "Tổ dân phố số 3" or
    "<ward code>-TDP03"), else its name or code."""
    for value in (name, code):
        if isinstance(value, str) and value.strip():
            m = _GROUP_NUMBER_RE.search(value.strip())
            if m:
                return m.group(1).lstrip("0") or "0"
    for value in (name, code):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return "?"


def _places_named(places: Sequence[Sequence[Place]], idx: np.ndarray, limit: int = 5) -> str:
    """The places the members name, the most named first, as one of them wrote it ("ngõ 46
    Lò Đúc, ngõ 12 Vân Đồn, …"): a routine request raised in several alleys is one item with
    its places listed."""
    counts: Counter[tuple[str, str, str]] = Counter()
    written: dict[tuple[str, str, str], str] = {}
    for i in idx:
        for p in {(p.kind, p.name, p.number): p for p in places[i]}.values():
            key = (p.kind, p.name, p.number)
            counts[key] += 1
            written.setdefault(key, p.text)
    names = [written[k] for k, _ in counts.most_common()]
    return ", ".join(names[:limit]) + (", …" if len(names) > limit else "")


def _key_terms(texts: Sequence[str], rep: int, n: int = 4) -> str:
    """What most members say in the same words, as the representative wording says it
    ("điểm tập kết rác, mùi hôi"): the longest runs of its words whose pairs most members
    share (places and formulas left out: the place is shown apart). Empty for one opinion."""
    if len(texts) < 2:
        return ""
    need = max(2, int(np.ceil(0.5 * len(texts))))
    tokens = [content_tokens(t) for t in texts]
    pairs: Counter[tuple[str, str]] = Counter()
    singles: Counter[str] = Counter()
    for toks in tokens:
        kept = [(f, k) for _, f, k in toks]
        pairs.update({(a[0], b[0]) for a, b in itertools.pairwise(kept) if a[1] and b[1]})
        singles.update({f for f, k in kept if k})
    own = tokens[rep]
    shared = [False] * len(own)
    for k in range(len(own) - 1):
        if own[k][2] and own[k + 1][2] and pairs[(own[k][1], own[k + 1][1])] >= need:
            shared[k] = shared[k + 1] = True
    runs: list[str] = []
    k = 0
    while k < len(own):
        if not shared[k]:
            k += 1
            continue
        end = k
        while end + 1 < len(own) and shared[end + 1]:
            end += 1
        runs.append(" ".join(w for w, _, _ in own[k:end + 1]))
        k = end + 1
    if not runs:  # no pair in common: the single words most share
        runs = [w for w, f, keep in own if keep and singles[f] >= need]
    ordered = sorted(dict.fromkeys(runs), key=lambda r: (-len(r.split()), runs.index(r)))
    return ", ".join(ordered[:n])


def _mode(values: Sequence[object]) -> object:
    clean = [v for v in values if isinstance(v, str) and v]
    return Counter(clean).most_common(1)[0][0] if clean else None


@dataclass
class _Columns:
    """The opinions' columns as lists, read once (items are built from many small subsets)."""

    ids: list[str]
    texts: list[str]
    wards: list[str]
    groups: list[object]
    topics: list[object]
    requests: list[bool]

    @classmethod
    def of(cls, frame: pd.DataFrame) -> _Columns:
        n = len(frame)
        return cls(
            frame["opinion_id"].astype(str).tolist(),
            frame["text"].fillna("").astype(str).tolist(),
            frame["ward_code"].astype(str).tolist(),
            frame["group_code"].tolist() if "group_code" in frame else [None] * n,
            frame["topic_primary"].tolist() if "topic_primary" in frame else [None] * n,
            frame["text"].fillna("").map(is_request).tolist(),
        )


def _item(cols: _Columns, idx: np.ndarray, sim: np.ndarray, features: sp.csr_matrix,
          places: Sequence[Sequence[Place]], vectorizer: RequestVectorizer | None,
          scope: str, item_no: int) -> tuple[dict, list[dict]]:
    """One item of the opinions at rows `idx` (sim: their pair similarities)."""
    texts = [cols.texts[i] for i in idx]
    choice = choose_wording(sim, texts, [places[i] for i in idx],
                            [cols.groups[i] for i in idx], site_names(places),
                            [frozenset(request_concepts(t).objects) for t in texts])
    local = choice.index
    rep = int(idx[local])
    to_rep = sim[:, local]
    others = to_rep[np.arange(len(idx)) != local]
    member_groups = list(dict.fromkeys(g for g in (cols.groups[i] for i in idx)
                                       if isinstance(g, str) and g))
    member_wards = list(dict.fromkeys(cols.wards[i] for i in idx))
    item = {
        "item": item_no, "scope": scope,
        "ward_code": member_wards[0] if len(member_wards) == 1 else None,
        "wards": member_wards, "n_wards": len(member_wards),
        "topic": _mode([cols.topics[i] for i in idx]) or cols.topics[rep],
        "text": cols.texts[rep], "opinion_id": cols.ids[rep], "n_opinions": len(idx),
        "n_groups": len(member_groups), "groups": member_groups,
        "place": _places_named(places, idx),
        "key_terms": _key_terms(texts, local),
        "similarity": float(others.mean()) if len(others) else np.nan,
        "min_similarity": float(others.min()) if len(others) else np.nan,
        "request": bool(cols.requests[rep]),
        "members": [cols.ids[i] for i in idx],
        "example": choice.example,
    }
    members = [{"opinion_id": cols.ids[i], "item": item_no, "ward_code": cols.wards[i],
                "group_code": cols.groups[i], "similarity": float(s),
                "representative": bool(i == rep)}
               for i, s in zip(idx.tolist(), to_rep.tolist(), strict=True)]
    return item, members


def items_of_groups(
    opinions: pd.DataFrame, groups: Sequence[np.ndarray], features: sp.csr_matrix,
    places: Sequence[Sequence[Place]], vectorizer: RequestVectorizer | None, scope: str,
) -> tuple[list[dict], list[dict]]:
    """Items made of groups of rows decided elsewhere (e.g. by the office's own grouping,
    opinions/staff_items.py), worded, topiced and placed exactly as :func:`consolidate`
    makes its own: (item rows, member rows), numbered 1.. in the order of `groups` (pass
    them through :func:`order_items` with any other items)."""
    frame = opinions.reset_index(drop=True)
    cols = _Columns.of(frame)
    items: list[dict] = []
    members: list[dict] = []
    for idx in groups:
        item_places = [places[i] for i in idx] if len(idx) <= LARGE_ITEM else [()] * len(idx)
        sim = pair_similarity(features[idx], item_places, [cols.topics[i] for i in idx],
                              concepts=[request_concepts(cols.texts[i]) for i in idx])
        item, rows = _item(cols, idx, sim, features, places, vectorizer, scope,
                           len(items) + 1)
        items.append(item)
        members += rows
    return items, members


def order_items(items: pd.DataFrame,
                members: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Requests first, then by groups, opinions and wards raising them; renumbered 1.."""
    if items.empty:
        return items, members
    items = items.sort_values(
        ["request", "n_groups", "n_opinions", "n_wards", "opinion_id"],
        ascending=[False, False, False, False, True], kind="stable").reset_index(drop=True)
    renumber = dict(zip(items["item"], range(1, len(items) + 1), strict=True))
    items["item"] = items["item"].map(renumber)
    members = members.assign(item=members["item"].map(renumber))
    members = members.sort_values(["item", "representative", "similarity"],
                                  ascending=[True, False, False], kind="stable")
    return items, members.reset_index(drop=True)


def consolidate(
    opinions: pd.DataFrame, features: sp.csr_matrix, places: Sequence[Sequence[Place]],
    vectorizer: RequestVectorizer | None = None, threshold: float = DEFAULT_THRESHOLD,
    scope: str = "ward", shared: dict | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The consolidated items of `opinions` and their members.

    `shared`: a dict the caller keeps for these opinions and this threshold (YearRequests
    does), so the area's clustering, which both scopes cut, is computed once.

    `features` and `places` are row-aligned with `opinions` (see YearRequests, which
    computes them once per year). scope="ward": items within each ward (the area's items cut
    to each ward, up to AREA_AT_ONCE requests); scope="area": items across the area (above
    AREA_AT_ONCE requests, the wards' items merged across wards). Returns (items, members)
    with ITEM_COLUMNS and MEMBER_COLUMNS; items are numbered 1.. with the requests raised by
    most groups first.
    """
    if scope not in ("ward", "area"):
        raise ValueError(f"scope must be 'ward' or 'area': {scope!r}")
    frame = opinions.reset_index(drop=True)
    if frame.empty:
        return pd.DataFrame(columns=ITEM_COLUMNS), pd.DataFrame(columns=MEMBER_COLUMNS)
    cols = _Columns.of(frame)
    wards = np.array(cols.wards, dtype=object)
    requests = np.array(cols.requests, dtype=bool)
    concepts = [request_concepts(t) for t in cols.texts]
    clusters: list[np.ndarray] = []  # rows of each item
    blocks: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # row -> (rows of its block, sim)
    # up to AREA_AT_ONCE requests, the area's opinions are clustered all together (every
    # pair, whatever its wards) and a ward's items are the area's items cut to the ward
    # (WARD_ITEMS_FROM_AREA); above it each ward is clustered apart and the area's items
    # are the wards' items merged (_merge_across)
    at_once = (scope == "area" or WARD_ITEMS_FROM_AREA) and (
        0 < int(requests.sum()) <= AREA_AT_ONCE)
    parts = ([np.ones(len(frame), dtype=bool)] if at_once
             else [wards == ward for ward in sorted(set(cols.wards))])
    reused = at_once and shared is not None and "area" in shared
    if reused:  # the other scope's clustering, used once (then its n × n similarity is freed)
        kept_clusters, kept_blocks = shared.pop("area")
        clusters, blocks, parts = [*kept_clusters], dict(kept_blocks), []
    for part in parts:
        for request in (True, False):
            idx = np.flatnonzero(part & (requests == request))
            if len(idx) == 0:
                continue
            if request:
                labels, sim = cluster(features[idx], [places[i] for i in idx], threshold,
                                      [cols.topics[i] for i in idx],
                                      [concepts[i] for i in idx],
                                      [cols.groups[i] for i in idx])
            else:  # agreeing with the report asks for nothing: each stays on its own
                labels, sim = np.arange(len(idx)), np.eye(len(idx))
            for i in idx:
                blocks[int(i)] = (idx, sim)
            clusters += [idx[labels == k] for k in range(int(labels.max()) + 1)]
    if at_once and shared is not None and not reused:
        shared["area"] = (tuple(clusters), dict(blocks))
    if scope == "ward" and at_once:  # each area item cut to its wards
        clusters = ward_pieces(clusters, blocks, wards, requests, cols.groups, places,
                               threshold)
    if scope == "area" and not at_once:
        clusters = _merge_across(clusters, requests, features, places, threshold, cols.topics,
                                 concepts)
    items: list[dict] = []
    members: list[dict] = []
    for idx in clusters:
        block, block_sim = blocks[int(idx[0])]
        if np.isin(idx, block).all():  # within one block: the similarities are known
            where = np.searchsorted(block, idx)
            sim = block_sim[np.ix_(where, where)]
        else:  # a large item (a city's): what is asked and the topic only, no place check
            item_places = ([places[i] for i in idx] if len(idx) <= LARGE_ITEM
                           else [()] * len(idx))
            sim = pair_similarity(features[idx], item_places, [cols.topics[i] for i in idx],
                                  concepts=[concepts[i] for i in idx])
        item, rows = _item(cols, idx, sim, features, places, vectorizer, scope,
                           len(items) + 1)
        items.append(item)
        members += rows
    return order_items(pd.DataFrame(items, columns=ITEM_COLUMNS),
                  pd.DataFrame(members, columns=MEMBER_COLUMNS))


def _merge_across(clusters: list[np.ndarray], requests: np.ndarray,
                  features: sp.csr_matrix, places: Sequence[Sequence[Place]],
                  threshold: float, topics: Sequence[object],
                  concepts: Sequence[Concepts]) -> list[np.ndarray]:
    """The wards' items merged across wards: each item is its members' mean TF-IDF row
    (renormalised) and the places its members name; requests and agreements apart."""
    from sklearn.preprocessing import normalize as l2

    merged: list[np.ndarray] = []
    merged += [c for c in clusters if not requests[c[0]]]
    for request in (True,):
        rows = [c for c in clusters if bool(requests[c[0]]) == request]
        if not rows:
            continue
        pick = sp.csr_matrix(
            (np.concatenate([np.full(len(r), 1.0 / len(r)) for r in rows]),
             (np.repeat(np.arange(len(rows)), [len(r) for r in rows]), np.concatenate(rows))),
            shape=(len(rows), features.shape[0]))
        centroids = l2(pick @ features)
        # each place once: only whether two items share, relate or differ in place counts
        item_places = [tuple(dict.fromkeys(p for i in r for p in places[i])) for r in rows]
        item_topics = [_mode([topics[i] for i in r]) for r in rows]
        item_concepts = [_shared_concepts([concepts[i] for i in r]) for r in rows]
        labels = cluster_large(centroids, item_places, threshold, item_topics, item_concepts)
        for k in range(int(labels.max()) + 1):
            merged.append(np.sort(np.concatenate([rows[w] for w in np.flatnonzero(labels == k)])))
    return merged


def _shared_concepts(members: Sequence[Concepts]) -> Concepts:
    """An item's objects and actions: those most of its members name (all of one member's)."""
    need = len(members) / 2
    objects = Counter(x for c in members for x in c.objects)
    actions = Counter(x for c in members for x in c.actions)
    return Concepts(frozenset(x for x, n in objects.items() if n >= need),
                    frozenset(x for x, n in actions.items() if n >= need))


# --------------------------------------------------------------------------------------
# Why together
# --------------------------------------------------------------------------------------
def item_reason(item: pd.Series | dict, lang: str = "vi") -> str:
    """Why an item's opinions belong together, in words: shared words, place, topic and
    how similar they are ("Cùng nội dung: diem tap ket, boc mui; cùng địa điểm: ngõ 46 Lò
    Đúc; lĩnh vực: Vệ sinh môi trường; độ tương đồng với ý kiến đại diện trung bình 0,62")."""
    from hbt_analysis.fmt import fmt_num
    from hbt_analysis.opinions.display import topic_label

    n = int(item["n_opinions"])
    if n == 1:
        return ("Chỉ một ý kiến." if lang == "vi" else "A single opinion.")
    parts = []
    vi = lang == "vi"
    if item.get("key_terms"):
        parts.append(("cùng nội dung: " if vi else "shared words: ") + str(item["key_terms"]))
    if item.get("place"):
        parts.append(("địa điểm: " if vi else "places: ") + str(item["place"]))
    if item.get("topic"):
        parts.append(("lĩnh vực: " if vi else "topic: ") + topic_label(item["topic"], lang))
    sim = item.get("similarity")
    if sim is not None and not pd.isna(sim):
        parts.append(f"độ tương đồng với ý kiến đại diện trung bình {fmt_num(sim, 2)}" if vi
                     else f"mean similarity to the representative {fmt_num(sim, 2, lang='en')}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."

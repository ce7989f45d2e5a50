"""A ward's items (consolidation within a ward): the area's items cut to the ward, then the
pieces that hold two opinions of one group clustered again on their own
(WARD_SPLIT_GROUP_TWICE) and the pieces that name one place joined (WARD_JOIN_AT_ONE_PLACE).
consolidate.consolidate calls :func:`ward_pieces` up to AREA_AT_ONCE requests; above it (a
city) each ward is clustered on its own and none of this applies.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from hbt_analysis.opinions.same_group import SAME_GROUP_SIMILARITY, same_group_pairs
from hbt_analysis.opinions.similarity import Place, place_relation

__all__ = [
    "WARD_JOIN_AT_ONE_PLACE",
    "WARD_SPLIT_GROUP_TWICE",
    "join_at_one_place",
    "split_group_twice",
    "ward_pieces",
]

#: Within a ward, two pieces of the area's items that name one place (a member of each names
#: it: "chợ Đồng Tâm", "ngõ 651 Minh Khai") are joined while their mean similarity is at
#: least the threshold (average linkage, continued within the ward from the cut). The
#: district's other wards cannot tell two paraphrases about one of this ward's sites apart:
#: each joins a different district item of a routine request (rubbish at the market, a
#: market in the alley), and the cut splits one ward's request in two. Without the shared
#: place, the join costs more than it brings (a ward's neighbouring requests: 59 of 75
#: candidate joins wrong on fifteen labelled sets); with it, mean ward F1 0,866 → 0,879,
#: precision kept (benchmarks/results/consolidation.md, session 21, second round).
WARD_JOIN_AT_ONE_PLACE = True
#: Within a ward, a piece of an area item holding two opinions of one group at one place (or
#: where one names none) is clustered again on its own: average linkage over the piece at the
#: same threshold, two of one group at SAME_GROUP_SIMILARITY, as the area was clustered. A
#: group's conference lists a request once, so such a pair is two requests (a repair and a
#: new lamp in one alley); the area let both in because the district's other members of the
#: item outweighed the soft push. Those members are not in the ward, so the piece's own
#: opinions decide; a piece close enough despite the pair stays whole. Two of one group at
#: two places may be one routine request raised for each: they alone split nothing.
#: Seventeen labelled sets: 10 of 10 pairs taken apart are two requests, mean ward F1 0,8782
#: → 0,8832, no set down (benchmarks/results/consolidation.md, session 22).
WARD_SPLIT_GROUP_TWICE = True


def ward_pieces(clusters: Sequence[np.ndarray], blocks: dict, wards: np.ndarray,
                requests: np.ndarray, groups: Sequence[object],
                places: Sequence[Sequence[Place]], threshold: float) -> list[np.ndarray]:
    """The area's items (`clusters`: rows of each; `blocks`: row -> (rows of its block, their
    similarity matrix)) cut to each ward, then split (WARD_SPLIT_GROUP_TWICE) and joined
    (WARD_JOIN_AT_ONE_PLACE) within the ward: the rows of each ward item."""
    clusters = [idx[wards[idx] == w] for idx in clusters for w in dict.fromkeys(wards[idx])]
    if WARD_SPLIT_GROUP_TWICE:
        clusters = [part for idx in clusters
                    for part in split_group_twice(idx, blocks, groups, places, threshold)]
    if WARD_JOIN_AT_ONE_PLACE:
        by_ward: dict[str, list[np.ndarray]] = {}
        for idx in clusters:
            if requests[idx[0]]:
                by_ward.setdefault(wards[idx[0]], []).append(idx)
        clusters = [idx for idx in clusters if not requests[idx[0]]] + [
            idx for pieces in by_ward.values()
            for idx in join_at_one_place(pieces, blocks, groups, places, threshold)]
    return clusters


def split_group_twice(piece: np.ndarray, blocks: dict, groups: Sequence[object],
                       places: Sequence[Sequence[Place]], threshold: float) -> list[np.ndarray]:
    """A ward's piece of an area item, or its parts when it holds two opinions of one group:
    the piece clustered on its own (WARD_SPLIT_GROUP_TWICE), parts in order of first member."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    apart = same_group_pairs([groups[i] for i in piece]) if len(piece) > 1 else None
    if apart is None or not any(
            place_relation(places[piece[a]], places[piece[b]])[0] in ("same", "unknown")
            for a, b in zip(*np.nonzero(np.triu(apart)), strict=True)):
        return [piece]  # no two of one group, or only one routine request at two places
    block, block_sim = blocks[int(piece[0])]
    where = np.searchsorted(block, piece)
    dist = 1.0 - block_sim[np.ix_(where, where)]
    dist[apart] = 1.0 - SAME_GROUP_SIMILARITY
    np.fill_diagonal(dist, 0.0)
    raw = fcluster(linkage(squareform(dist, checks=False), method="average"),
                   t=1.0 - threshold + 1e-9, criterion="distance")
    return [piece[raw == k] for k in dict.fromkeys(raw.tolist())]


def join_at_one_place(pieces: list[np.ndarray], blocks: dict, groups: Sequence[object],
                       places: Sequence[Sequence[Place]], threshold: float) -> list[np.ndarray]:
    """One ward's pieces (the area's items cut to the ward, all requests) after joining,
    by average linkage at `threshold`, those that name one place (WARD_JOIN_AT_ONE_PLACE)."""
    named = [k for k, p in enumerate(pieces) if any(places[i] for i in p)]
    if len(named) < 2:
        return pieces
    share = np.zeros((len(pieces), len(pieces)), dtype=bool)
    for a, b in itertools.combinations(named, 2):
        share[a, b] = share[b, a] = any(
            place_relation(places[i], places[j])[0] == "same"
            for i in pieces[a] for j in pieces[b])
    if not share.any():
        return pieces
    rows = np.concatenate(pieces)
    block, block_sim = blocks[int(rows[0])]
    where = np.searchsorted(block, rows)
    sim = block_sim[np.ix_(where, where)].copy()
    apart = same_group_pairs([groups[i] for i in rows])
    if apart is not None:  # as when the area was clustered
        sim[apart] = SAME_GROUP_SIMILARITY
    owner = np.repeat(np.arange(len(pieces)), [len(p) for p in pieces])
    onehot = np.zeros((len(pieces), len(rows)))
    onehot[owner, np.arange(len(rows))] = 1.0
    total = onehot @ sim @ onehot.T  # sums of the pairs' similarities between pieces
    size = np.array([len(p) for p in pieces], dtype=float)
    members = [list(p) for p in pieces]
    alive = np.ones(len(pieces), dtype=bool)
    while True:
        mean = np.where(share & np.outer(alive, alive), total / np.outer(size, size), -np.inf)
        a, b = sorted(np.unravel_index(int(np.argmax(mean)), mean.shape))
        if mean[a, b] < threshold - 1e-9:
            break
        members[a] += members[b]
        total[a, :] += total[b, :]
        total[:, a] += total[:, b]
        size[a] += size[b]
        share[a, :] |= share[b, :]
        share[:, a] |= share[:, b]
        share[a, a] = False
        alive[b] = False
    return [np.sort(np.array(members[k])) for k in np.flatnonzero(alive)]

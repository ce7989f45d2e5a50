"""Which member's words stand for a consolidated item (the wording a leader reads).

Kept apart from the clustering (consolidate.py): how opinions group is one question, what a
reader is shown of a group is another.

The rule is a ward officer's. An item raised by one group, or by groups that all speak of
one site, is quoted as its most typical member says it, site and all. An item raised by
several groups at different places ("44 tổ dân phố ở 16 phường": cars blocking alleys,
each its own alley) must not read as a request about one group's street: its wording is
that of a member that names no site, when one is typical enough of the item
(PLACELESS_MIN_CENTRALITY); when every member names its own site, the most typical member
is quoted and marked as an *example* (``example=True``: the report says "ví dụ, TDP 3 (Bạch
Mai): “…”", opinions.display.request_wording). The text shown is always one member's
words, never a composed sentence.

Which members name a site is the package's place detection (places.find_places, read
once per year) plus the year's own place names: a member whose places the patterns miss
("nút Trương Định – Tam Trinh", a typo in "đường") but which names a street or landmark
that other opinions of the year name is not taken for one that names none.

What the wording asks must be what the item is about: where objects are named by at least
half of the members (and two or more), the wording is taken among the members that name one
of them (``objects``), so a list item and its "why together" line speak of the same thing.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hbt_analysis.opinions.place_index import relation, summary
from hbt_analysis.opinions.places import Place
from hbt_analysis.text import fold, has_diacritics

__all__ = ["PLACELESS_MIN_CENTRALITY", "Choice", "choose", "misspelt", "names_a_site",
           "on_the_main_object", "one_site", "representative", "site_names"]

#: A member naming no site represents an item raised at several sites only when its mean
#: similarity to the other members is at least this share of the most typical member's:
#: below it the member is on the item's edge (a short aside), and quoting it would
#: misstate the request. On the bundled 2023 area items the members chosen this way stand
#: at 0,62–1,0 of the best; those left out below 0,5 asked something narrower.
PLACELESS_MIN_CENTRALITY = 0.5
#: Taken from the score of a member written without accents (it is what the reader sees).
UNACCENTED_PENALTY = 0.1
#: Taken from the score of a member with a misspelt word ("kẻ vcạh", "đườgn"): the reader
#: sees that too; another member nearly as typical reads better.
MISSPELT_PENALTY = 0.1

_WORD_RE = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Choice:
    """The member chosen (its position among the item's members) and whether its words are
    shown as an example of a request raised at several sites."""

    index: int
    example: bool = False


def _centrality(sim: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Each member's mean similarity to the other members."""
    sub = sim[np.ix_(idx, idx)]
    return (sub.sum(axis=1) - 1.0) / (len(idx) - 1)


@functools.lru_cache(maxsize=200_000)  # a text is ranked in its ward's item and the area's
def misspelt(text: str) -> bool:
    """Whether an accented text has a lower-case accented word that is no Vietnamese
    syllable ("vcạh", "đườgn"): a typo the reader would see. Words without accents
    (abbreviations, names, other languages) are not judged."""
    from hbt_analysis.legacy import is_syllable

    return any(w.islower() and has_diacritics(w) and not is_syllable(w)
               for w in _WORD_RE.findall(text))


def _ranked(mean: np.ndarray, idx: np.ndarray, texts: Sequence[str]) -> list[int]:
    """Positions in `idx`, most typical first: one written without accents, or with a
    misspelt word, only if clearly more central; ties: the shorter text, then the first."""
    plain = np.array([not has_diacritics(texts[i]) for i in idx], dtype=float)
    typo = np.array([misspelt(texts[i]) for i in idx], dtype=float)
    score = mean - UNACCENTED_PENALTY * plain - MISSPELT_PENALTY * typo
    return sorted(range(len(idx)), key=lambda k: (-round(float(score[k]), 3),
                                                  len(texts[idx[k]]), k))


def representative(sim: np.ndarray, idx: np.ndarray, texts: Sequence[str]) -> int:
    """The member most like the others (see :func:`_ranked`), as an index of `texts`."""
    if len(idx) == 1:
        return int(idx[0])
    return int(idx[_ranked(_centrality(sim, idx), idx, texts)[0]])


# --------------------------------------------------------------------------------------
# Sites
# --------------------------------------------------------------------------------------
_NAME_HOLDER: list[object] = [None, frozenset()]  # the last places list read, its names


def site_names(places: Sequence[Sequence[Place]]) -> frozenset[str]:
    """The names (folded, two words or more) of the streets, alleys, blocks, junctions and
    landmarks the opinions of `places` name. Read once per list (the last one is kept:
    consolidation asks for the same year's list item after item)."""
    if _NAME_HOLDER[0] is places:
        return _NAME_HOLDER[1]  # type: ignore[return-value]
    names: set[str] = set()
    for row in places:
        for p in row:
            for name in p.name.split(" | "):
                name = name.strip()
                if len(name.split()) >= 2 and any(c.isalpha() for c in name):
                    names.add(name)
    out = frozenset(names)
    _NAME_HOLDER[0], _NAME_HOLDER[1] = places, out
    return out


@functools.lru_cache(maxsize=8)
def _names_re(names: frozenset[str]) -> re.Pattern[str] | None:
    if not names:
        return None
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")


def names_a_site(text: str, places: Sequence[Place],
                 names: frozenset[str] = frozenset()) -> bool:
    """Whether an opinion names a site: a place found in it, or one of `names` (the year's
    place names, :func:`site_names`) in its words."""
    if places:
        return True
    rx = _names_re(names)
    return bool(rx is not None and rx.search(fold(text)))


def one_site(places: Sequence[Sequence[Place]]) -> bool:
    """Whether the members that name places all speak of one site: each names the place most
    of them name, or one related to it (an alley of that street). True when at most one
    member names a place."""
    named = [tuple(p) for p in places if p]
    if len(named) <= 1:
        return True
    counts = Counter((p.kind, p.name, p.number) for row in named for p in dict.fromkeys(row))
    key = counts.most_common(1)[0][0]
    anchor = next(p for row in named for p in row if (p.kind, p.name, p.number) == key)
    common = summary((anchor,))
    return all(relation(summary(row), common) != "different" for row in named)


def on_the_main_object(objects: Sequence[frozenset[str]]) -> list[int]:
    """Positions of the members that name an object most members name (named by at least
    half of them and by two or more: what the item's "why together" line names); all
    positions when no object is that common."""
    n = len(objects)
    counts = Counter(o for row in objects for o in row)
    need = max(2, -(-n // 2))
    common = {o for o, c in counts.items() if c >= need}
    if not common:
        return list(range(n))
    return [k for k in range(n) if common & objects[k]]


def choose(sim: np.ndarray, texts: Sequence[str], places: Sequence[Sequence[Place]],
           groups: Sequence[object], names: frozenset[str] = frozenset(),
           objects: Sequence[frozenset[str]] | None = None) -> Choice:
    """The wording of one item (all arguments are its members', in order; `sim` their pair
    similarities; `objects` the objects each names, request_words.request_concepts): see
    the module's doc."""
    n = len(texts)
    if n == 1:
        return Choice(0)
    idx = np.arange(n)
    mean = _centrality(sim, idx)
    ranked = _ranked(mean, idx, texts)
    if objects is not None:
        about = set(on_the_main_object(objects))
        ranked = [k for k in ranked if k in about]
    distinct_groups = {g for g in groups if isinstance(g, str) and g}
    if len(distinct_groups) <= 1 or one_site(places):
        return Choice(ranked[0])
    best = float(mean.max())
    for k in ranked:
        if names_a_site(texts[k], places[k], names):
            continue
        if mean[k] >= PLACELESS_MIN_CENTRALITY * best:
            return Choice(k)
        break  # the most typical member naming no site is on the item's edge
    return Choice(ranked[0], example=True)

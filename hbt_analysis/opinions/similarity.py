"""When do two opinions make the same request? What is asked (the words) and where (the place).

An opinion is read in two parts:

- **where**: the places it names, found by their shape ("ngõ 46 Lò Đúc", "ngách 12/5",
  "phố Lò Đúc", "khu tập thể Mai Động", "chợ Mơ", "nút giao Kim Ngưu – Lạc Trung"). Sharing
  one adds to two opinions' similarity; naming different ones takes nothing away
  (PLACE_PENALTY): a routine request raised in two alleys, or two wards, is one request, and
  a request about one site says so in its words as well.
- **what**: the rest, once the places, who speaks and who is asked ("Cử tri đề nghị UBND
  phường ...": resources/request_boilerplate.txt) are taken out. Compared with TF-IDF
  (scikit-learn) over words, counted as syllables and pairs of syllables (a Vietnamese word
  is one to three syllables), and over character 3–5-grams of the text without accents, so
  a typo, a missing accent or "hoà"/"hòa" changes little.

- **about what, asking what**: the objects, actions and problems of
  resources/request_synonyms.yaml (:func:`request_concepts`), each kind matched on its own
  (an action's phrase never hides an object's). Two opinions that name different objects
  (a lamp, a manhole) or ask different actions (repair, install; repairing and upgrading
  what exists count as one: `same_action`) lose OBJECT_PENALTY / ACTION_PENALTY; sharing
  objects with no action apart adds OBJECT_BONUS, in proportion to the objects shared
  (an object one of them names only as context adds part of it). One that asks for a new
  one (or says it is missing) and one that asks a repair (or says it is broken: "đèn ngõ 42
  tắt ngúm") ask different actions, though one names none (NEW_VS_REPAIR). The file also says
  which phrases are trusted only with their accents (`unaccented_ambiguous`: "doi",
  "o to") and when an alley is itself the object (`alley_as_object`: "cải tạo ngõ 95").
  Where the topics agree and one of the two names no object, the topic is the
  only sign left: TOPIC_BONUS_NO_OBJECT.
- A place's kind word ("chợ", "hồ", "khu tập thể") stays part of what is asked; only its
  name and number are the place.

:class:`RequestVectorizer` is fitted once on a year's opinions (every scope reuses it);
:func:`pair_similarity` combines what and where into one number in [0, 1]. Reading the
places is :mod:`hbt_analysis.opinions.places`; reading what is asked (words, objects,
actions) is :mod:`hbt_analysis.opinions.request_words`; their public names are importable
from here as before.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

from hbt_analysis.opinions.places import Place, find_places, place_relation
from hbt_analysis.opinions.request_words import (
    Concepts,
    _action_kinds,
    _synonyms,
    concept_conflict,
    content_tokens,
    request_concepts,
    request_text,
)

__all__ = [
    "ACTION_PENALTY",
    "OBJECT_PENALTY",
    "PLACE_BONUS",
    "Concepts",
    "Place",
    "RequestVectorizer",
    "concept_conflict",
    "content_tokens",
    "find_places",
    "pair_similarity",
    "place_relation",
    "request_concepts",
    "request_text",
]

#: Added to the similarity of two opinions that name the same place.
PLACE_BONUS = 0.1
#: Taken from it where both name places and none agrees. None: a routine request (a broken
#: lamp, a collection point) is one item whatever alley it is in, and across wards places
#: always differ, so a penalty only split one request by where it was raised (area F1 at
#: 0.0 vs 0.05, three independent sets: 0.956 / 0.937, 0.884 / 0.877, 0.844 / 0.844;
#: links, repeats and ward items unchanged). A request about one site (a market, a plot,
#: a project) says so in its words; the same place still adds PLACE_BONUS.
PLACE_PENALTY = 0.0
#: Taken from the similarity of two opinions whose (primary) topics differ.
TOPIC_PENALTY = 0.1
#: Taken where both name objects of resources/request_synonyms.yaml and share none (a lamp
#: and a manhole in one alley are two requests, however alike "hỏng, đề nghị thay" reads).
OBJECT_PENALTY = 0.3
#: Taken where both ask actions of that file and share none (repair a lamp / install one: one
#: answer does not settle both).
ACTION_PENALTY = 0.2
#: Added where both name the same objects and no action sets them apart: "the lamp is out"
#: and "please change the bulb" share few words but one answer settles both. Scaled by the
#: share of objects in common, out of the larger set: where one opinion names a second
#: object only as context ("ô tô đỗ chắn lối, xe gom rác không vào được" and "giờ thu gom
#: rác") one of its two objects is shared and half the bonus is added. A full bonus for any
#: object in common merged such pairs across wards (session 19: area F1 on six independent
#: sets 0.843 → 0.853 on average, the three last honest sets +0.01 to +0.03; at most −0.01
#: on the others).
OBJECT_BONUS = 0.1
#: Added where two opinions have the same topic and one of them names no object of
#: request_synonyms.yaml ("cứ mưa là cả xóm phải kê đồ lên cao" names none): the topic is
#: then the only sign of what it is about — a weak one. Eight labelled sets, area F1 up on
#: six, down on none (benchmarks/results/consolidation.md, session 19 part two).
TOPIC_BONUS_NO_OBJECT = 0.03
#: Whether one opinion asking for something new (install, build; or saying it is missing)
#: and another asking to repair it (or saying it is broken) count as asking different
#: actions when both name the same object, even where one of them names no action: "ngách
#: 42/17 chưa hề có bóng đèn nào, đề nghị lắp mới" and "đèn ngõ 42 tắt ngúm cả tuần nay".
NEW_VS_REPAIR = True
#: Pairs less similar than this are not checked for places (no bonus could lift them to a
#: threshold; checking every pair would cost more than it changes).
PLACE_CHECK_FLOOR = 0.1


def _syllable_terms(what: str) -> list[str]:
    """Content syllables and neighbouring pairs ("thu gom", "gom rac"): Vietnamese words
    without a segmenter's cost or its mistakes."""
    words = what.split()
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


class RequestVectorizer:
    """TF-IDF of what opinions ask: syllables and syllable pairs (weight ``word_weight``)
    plus character 3–5-grams without accents, each part L2-normalised, so the dot product
    of two rows is a weighted mean of the two cosines (in [0, 1])."""

    def __init__(self, word_weight: float = 0.5) -> None:
        self.word_weight = word_weight

    def fit(self, texts: Iterable[str]) -> RequestVectorizer:
        self._fit(texts)
        return self

    def _fit(self, texts: Iterable[str]) -> tuple[sp.csr_matrix | None, sp.csr_matrix | None]:
        """Fit both parts; return their TF-IDF of `texts` (what fit_transform needs: the
        texts are counted once, not again by transform)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        whats = [request_text(t) for t in texts]
        self.words_ = TfidfVectorizer(analyzer=_syllable_terms, sublinear_tf=True)
        self.chars_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5),
                                      sublinear_tf=True)
        docs = [w if w.strip() else "_" for w in whats]
        words = chars = None
        try:
            words = self.words_.fit_transform(docs)
            self.vocabulary_words_ = self.words_.get_feature_names_out()
        except ValueError:  # no syllable at all (few, empty or non-Vietnamese texts)
            self.words_ = None
            self.vocabulary_words_ = np.array([], dtype=object)
        try:
            chars = self.chars_.fit_transform(docs)
        except ValueError:  # no opinions at all
            self.chars_ = None
        return words, chars

    def _combine(self, words: sp.csr_matrix | None, chars: sp.csr_matrix | None,
                 n: int) -> sp.csr_matrix:
        from sklearn.preprocessing import normalize as l2

        words = (l2(words) if words is not None
                 else sp.csr_matrix((n, 0))) * np.sqrt(self.word_weight)
        chars = (l2(chars) if chars is not None
                 else sp.csr_matrix((n, 0))) * np.sqrt(1 - self.word_weight)
        return sp.hstack([words, chars], format="csr")

    def transform(self, texts: Iterable[str]) -> sp.csr_matrix:
        whats = [request_text(t) for t in texts]
        docs = [w if w.strip() else "_" for w in whats]
        words = self.words_.transform(docs) if self.words_ is not None else None
        chars = self.chars_.transform(docs) if self.chars_ is not None else None
        return self._combine(words, chars, len(docs))

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        texts = list(texts)
        words, chars = self._fit(texts)
        return self._combine(words, chars, len(texts))

    def word_terms(self, row: sp.csr_matrix) -> dict[str, float]:
        """The syllable terms of one transformed row and their weights."""
        vocab = self.vocabulary_words_
        sub = row[:, :len(vocab)].tocoo()
        return {str(vocab[j]): float(v) for j, v in zip(sub.col, sub.data, strict=True)}


def _codes(topics: Sequence[object] | None, n: int) -> np.ndarray:
    if topics is None:
        return np.full(n, "", dtype=object)
    return np.array([t if isinstance(t, str) and t != "khac" else "" for t in topics],
                    dtype=object)


def pair_similarity(features: sp.csr_matrix, places: Sequence[Sequence[Place]],
                    topics: Sequence[object] | None = None,
                    other_features: sp.csr_matrix | None = None,
                    other_places: Sequence[Sequence[Place]] | None = None,
                    other_topics: Sequence[object] | None = None,
                    concepts: Sequence[Concepts] | None = None,
                    other_concepts: Sequence[Concepts] | None = None) -> np.ndarray:
    """Similarity of every pair (rows of `features` × rows of `other_features`, or of
    `features` with itself), in [0, 1]: what is asked (the dot product of the TF-IDF rows),
    plus PLACE_BONUS where both name the same place, minus PLACE_PENALTY where both name
    places and none agrees, minus TOPIC_PENALTY where their topics differ ("khac" and a
    missing topic never differ), minus OBJECT_PENALTY / ACTION_PENALTY where both name
    objects / actions (`concepts`, see :func:`request_concepts`) and share none, plus
    TOPIC_BONUS_NO_OBJECT where the topics agree and one of the two names no object. With
    itself, the diagonal is 1."""
    square = other_features is None
    if square:
        other_features, other_places, other_topics = features, places, topics
        other_concepts = concepts
    sim = np.asarray((features @ other_features.T).todense(), dtype=float)
    if not sim.size:
        return sim
    a, b = _codes(topics, sim.shape[0]), _codes(other_topics, sim.shape[1])
    if TOPIC_PENALTY:
        differ = (a[:, None] != b[None, :]) & (a[:, None] != "") & (b[None, :] != "")
        sim -= TOPIC_PENALTY * differ
    if concepts is not None and other_concepts is not None:
        sim -= _concept_penalties(concepts, other_concepts)
        if TOPIC_BONUS_NO_OBJECT:
            none_a = np.array([not c.objects for c in concepts], dtype=bool)
            none_b = np.array([not c.objects for c in other_concepts], dtype=bool)
            same = (a[:, None] == b[None, :]) & (a[:, None] != "")
            sim += TOPIC_BONUS_NO_OBJECT * (same & (none_a[:, None] | none_b[None, :]))
    has_a = np.array([bool(p) for p in places], dtype=bool)
    has_b = np.array([bool(p) for p in other_places], dtype=bool)
    check = (sim >= PLACE_CHECK_FLOOR) & has_a[:, None] & has_b[None, :]
    if square:
        check = np.triu(check, k=1)
    from hbt_analysis.opinions.place_index import relations  # place_relation, many pairs

    rows, cols = np.nonzero(check)
    if len(rows):
        bonus = {"same": PLACE_BONUS, "different": -PLACE_PENALTY}
        delta = np.array([bonus.get(rel, 0.0) for rel in
                          relations(places, other_places, rows.tolist(), cols.tolist())])
        sim[rows, cols] += delta  # each pair once (the upper triangle when square)
        if square:
            sim[cols, rows] += delta
    if square:
        np.fill_diagonal(sim, 1.0)
    return np.clip(sim, 0.0, 1.0)


def _indicator(sets: Sequence[frozenset[str]], vocab: dict[str, int]) -> np.ndarray:
    """Which of `vocab` each set holds (dense: a ward's opinions name a few dozen)."""
    out = np.zeros((len(sets), len(vocab)), dtype=np.float32)
    for r, items in enumerate(sets):
        for x in items:
            out[r, vocab[x]] = 1.0
    return out


def _concept_penalties(a: Sequence[Concepts], b: Sequence[Concepts]) -> np.ndarray:
    """OBJECT_PENALTY and ACTION_PENALTY for every pair (rows of a × rows of b), less
    OBJECT_BONUS × (objects shared / objects of the one naming more) where their actions do
    not differ."""
    out = np.zeros((len(a), len(b)))
    conflict: dict[str, np.ndarray] = {}
    share = np.zeros(out.shape)  # objects: shared / the larger of the two sets
    for part in ("objects", "actions"):
        sa = [getattr(c, part) for c in a]
        sb = [getattr(c, part) for c in b]
        if part == "actions":
            sa, sb = [_action_kinds(x) for x in sa], [_action_kinds(x) for x in sb]
        vocab = {x: k for k, x in enumerate(sorted(set().union(*sa, *sb)))}
        if not vocab:
            conflict[part] = np.zeros(out.shape, dtype=bool)
            continue
        ind_a, ind_b = _indicator(sa, vocab), _indicator(sb, vocab)
        shared = ind_a @ ind_b.T
        n_a, n_b = ind_a.sum(axis=1), ind_b.sum(axis=1)
        conflict[part] = (n_a[:, None] > 0) & (n_b[None, :] > 0) & (shared == 0)
        if part == "objects":
            larger = np.maximum(n_a[:, None], n_b[None, :])
            share = np.divide(shared, larger, out=share, where=larger > 0)
    if NEW_VS_REPAIR:  # a new one asked of what the other says is there: actions differ
        new_a, repair_a = _asks_new(a), _asks_repair(a)
        new_b, repair_b = _asks_new(b), _asks_repair(b)
        conflict["actions"] = conflict["actions"] | ((share > 0) & (
            (new_a[:, None] & repair_b[None, :]) | (repair_a[:, None] & new_b[None, :])))
    out += OBJECT_PENALTY * conflict["objects"] + ACTION_PENALTY * conflict["actions"]
    out -= OBJECT_BONUS * share * ~conflict["actions"]
    return out


def _asks_new(concepts: Sequence[Concepts]) -> np.ndarray:
    """Which opinions ask for something new: they ask to install or build (and nothing
    else), or name no action and say the thing is missing ("không có chỗ", "mong có") —
    and call nothing broken."""
    new = _asked(_synonyms().new_action)
    return np.array([bool(new) and not c.broken and (_action_kinds(c.actions) == new
                                                     or (not c.actions and c.absent))
                     for c in concepts], dtype=bool)


def _asks_repair(concepts: Sequence[Concepts]) -> np.ndarray:
    """Which opinions ask to repair what is there: they ask to repair (or upgrade, equip),
    or name no action and say the thing is broken or worn ("đèn ngõ 42 tắt ngúm") — and
    say nothing is missing."""
    repair = _asked(_synonyms().repair_action)
    return np.array([bool(repair) and not c.absent and (_action_kinds(c.actions) == repair
                                                        or (not c.actions and c.broken))
                     for c in concepts], dtype=bool)


def _asked(action: str) -> frozenset[str]:
    """`states.new_action` / `repair_action` of request_synonyms.yaml as actions are
    compared (`same_action`: repairing, upgrading and equipping count as one); empty where
    the file names none."""
    return _action_kinds(frozenset({action})) if action else frozenset()

"""Opinion topics: the taxonomy as packaged data, an explainable phrase classifier, and a
supervised TF-IDF model for datasets that carry a staff-coded topic column.

Why rule-based first: leadership must see *why* an opinion was put under a topic, the
classifier must run offline and fast (millions of opinions), and it must work on day one
without training data. The phrase lists live in ``resources/topics.yaml`` so an analyst
can change them without touching code.

How an opinion is classified (:class:`TopicClassifier`; the rules are also described at
the top of ``resources/topics.yaml``):

1. NFC and the tone placement of :func:`hbt_analysis.text.normalize`, lower case. An
   opinion typed without any Vietnamese accents is folded ("rac thai") and matched
   against the folded phrases of two or more words (a lone folded syllable is too
   ambiguous); an accented opinion in which nothing reaches ``min_score`` is read once
   more that way, so a wrong tone mark ("ùn tăc") does not hide a phrase.
2. One regular expression, built as a trie of every phrase, reads the text left to right
   and takes, at each word, the longest phrase starting there (whole words only); the
   scan goes on after it, so matches never overlap ("lát lại vỉa hè" is one hạ tầng
   phrase, not also "vỉa hè"). Abbreviations (ATGT, PCCC, ...) are phrases standing for
   their expansion.
   ``ignore`` phrases ("trường hợp", "đất nước") consume text and score nothing.
3. Each distinct phrase scores ``(1 + 0.5 * (syllables - 1)) * weight`` for its topic(s).
   The topic of the first phrase scoring >= 1 gets ``first_mention_bonus``. Primary =
   highest score (tie: mentioned first) if it reaches ``min_score``; secondary = the
   next topic if it reaches ``secondary_min_score``; otherwise ``khac``.

The ``matched`` column lists the phrases of the chosen topic(s) in the order they occur.

The module is split along its seams; every public name is importable from here:
:mod:`hbt_analysis.topic_taxonomy` (the taxonomy file, its checks, staff-coded columns),
:mod:`hbt_analysis.topic_text` (the matched form of a text, the phrases' trie regex),
:mod:`hbt_analysis.topic_model` (the supervised model, ``evaluate``, ``agreement``); this
module holds the phrase matcher and its ranking, :class:`TopicClassifier` and
:func:`classify_opinions`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from hbt_analysis.text import ABBREVIATIONS, UNAMBIGUOUS_ABBREVIATIONS, fold, string_array
from hbt_analysis.topic_closecall import (
    CLOSE_CALL_MARGIN,
    LONE_TOPIC_MAX,
    CloseCallModel,
    close_call_model,
)
from hbt_analysis.topic_model import SupervisedTopicModel, agreement, evaluate
from hbt_analysis.topic_taxonomy import (
    OTHER,
    TOPIC_CODES,
    Taxonomy,
    TaxonomyError,  # noqa: F401  (importable from here, as before the split)
    Topic,
    load_taxonomy,
    parse_staff_topics,
    topic_name,
)
from hbt_analysis.topic_text import match_form, matching_text, text_list, trie_regex

__all__ = [
    "TOPIC_CODES",
    "SupervisedTopicModel",
    "Taxonomy",
    "Topic",
    "TopicClassifier",
    "agreement",
    "classify_opinions",
    "default_classifier",
    "evaluate",
    "load_taxonomy",
    "matching_text",
    "parse_staff_topics",
    "topic_name",
]

# The old private name, for opinions.routing and opinions.request_words (they build their
# own phrase regexes with the trie).
_trie_regex = trie_regex


# --------------------------------------------------------------------------------------
# Phrase matching and ranking (kept here: it reads CLOSE_CALL_MARGIN from this module's
# globals, which benchmarks/topics_harness.py and bench_closecall.py set to try others)
# --------------------------------------------------------------------------------------
class _Matcher:
    """Compiled phrase index for one taxonomy (accented and folded forms)."""

    def __init__(self, taxonomy: Taxonomy, close_calls: CloseCallModel | bool | None = True
                 ) -> None:
        self.taxonomy = taxonomy
        self.order = {code: i for i, code in enumerate(taxonomy.codes)}
        model = close_call_model() if close_calls is True else close_calls or None
        # only for the taxonomy it was trained on (a custom topics.yaml has other codes)
        self.close_calls = (model if model is not None
                            and set(model.classes_) == set(taxonomy.codes) else None)
        accented: dict[str, list[tuple[str, float, str]]] = {}
        folded: dict[str, list[tuple[str, float, str]]] = {}
        for topic in taxonomy.topics:
            for phrase, weight in topic.phrases:
                score = (1.0 + 0.5 * (len(phrase.split()) - 1)) * weight
                entry = (topic.code, score, phrase)
                accented.setdefault(phrase, []).append(entry)
                if " " in phrase or phrase.isascii():
                    # one accented syllable folds onto many others ("ồn" ~ "ơn", "đất"
                    # ~ "đạt"): without accents only longer phrases are trusted
                    folded.setdefault(fold(phrase), []).append(entry)
        for phrase in taxonomy.ignore:
            accented.setdefault(phrase, [])
            folded.setdefault(fold(phrase), [])
        self.accented, self.folded = accented, folded
        # the opening of an opinion that asks nothing, and the words that still ask
        # (Taxonomy.is_request; bound here: one call per opinion)
        rx = taxonomy.not_a_request_patterns
        self._opens = rx[0].match if rx is not None else None
        self._asks = rx[1].search if rx is not None else None
        self.re_accented = self._compile(accented)
        self.re_folded = self._compile(folded)
        # Abbreviations (ATGT, PCCC, ...) stand for the phrases of their expansion: scoring
        # them directly spares spelling them out in every opinion.
        aliases: dict[str, list[tuple[str, float, str]]] = {}
        for abbr in sorted(UNAMBIGUOUS_ABBREVIATIONS):  # same explanation in every process
            expansion = ABBREVIATIONS[abbr]
            entries = []
            for key in self._select(expansion, self.re_accented):
                for code, score, _ in accented[key]:
                    entries.append((code, score, abbr))
            if entries:
                aliases[abbr.lower()] = entries
        for key, entries in aliases.items():
            accented.setdefault(key, entries)
            folded.setdefault(fold(key), entries)
        self.re_accented = self._compile(accented)
        self.re_folded = self._compile(folded)

    @staticmethod
    def _compile(table: dict) -> re.Pattern[str] | None:
        if not table:
            return None
        # leftmost-longest, non-overlapping, whole words (the trie tries longer phrases
        # before shorter ones at each place)
        trie = trie_regex(table)
        if all(re.search(r"\w\Z", key) for key in table):
            # A phrase starts after a non-word character: reading that character (in the
            # text with a space put in front, see _select) instead of looking behind lets
            # the engine jump in C from one candidate place to the next (10% fewer steps). The
            # same matches, since a phrase that ends with a letter or digit cannot have
            # its last character read again as the start of the next one.
            return re.compile(r"\W(" + trie + r")(?!\w)")
        return re.compile(r"(?<!\w)(" + trie + r")(?!\w)")

    @staticmethod
    def _select(m_text: str, rx: re.Pattern[str]) -> list[str]:
        """The phrases as matched, in text order (``findall``: no match objects to build,
        the single biggest cost of the classifier once the regex has run)."""
        if rx.pattern.startswith("\\W"):
            return rx.findall(" " + m_text)
        return rx.findall(m_text)

    def scores(self, text: str) -> tuple[dict[str, float], dict[str, int], list[str], str]:
        """Per-topic scores, first positions (ranks, see _score_form), matched phrases and
        the matched text."""
        scores, first, hits, m_text = self._score(text)
        return scores, first, list(dict.fromkeys(p for p, _ in hits)), m_text

    def _score(self, text: str, normalized: bool = False
               ) -> tuple[dict[str, float], dict[str, int], list[tuple[str, str]], str]:
        """Per-topic scores, first positions, (phrase, topic) hits in text order, and the
        matched text.

        A topic's first position is that of its first phrase scoring >= 1 (weak words
        only count, after every such topic, when the topic has nothing stronger).
        An accented text in which nothing reaches ``min_score`` is read once more with
        its accents folded away, so a wrong tone mark ("ùn tăc", "chiêu sáng") does not
        hide a phrase.
        """
        m_text, folded = match_form(text, normalized)
        result = self._score_form(m_text, folded)
        if not folded and max(result[0].values(), default=0.0) < self.taxonomy.min_score:
            again = self._score_form(fold(m_text), True)
            if max(again[0].values(), default=0.0) >= self.taxonomy.min_score:
                return again
        return result

    def _score_form(self, m_text: str, folded: bool
                    ) -> tuple[dict[str, float], dict[str, int], list[tuple[str, str]], str]:
        # Positions are ranks: the k-th distinct phrase of the text has position k. Only
        # their order matters (who was mentioned first), and ranks keep it.
        if folded:
            rx, table = self.re_folded, self.folded
        else:
            rx, table = self.re_accented, self.accented
        scores: dict[str, float] = {}
        first: dict[str, int] = {}
        hits: list[tuple[str, str]] = []
        if rx is None:
            return scores, first, hits, m_text
        first_weak: dict[str, int] = {}
        lead: str | None = None
        # dict.fromkeys: each distinct phrase once, at its first occurrence
        for start, key in enumerate(dict.fromkeys(self._select(m_text, rx))):
            entries = table.get(key)
            if entries is None:  # matched across doubled spaces or a newline
                entries = table[" ".join(key.split())]
            for code, score, phrase in entries:
                scores[code] = scores.get(code, 0.0) + score
                if score >= 1.0:
                    if code not in first:
                        first[code] = start
                    if lead is None:
                        lead = code
                elif code not in first_weak:
                    first_weak[code] = start
                hits.append((phrase, code))
        if lead is not None:
            scores[lead] += self.taxonomy.first_mention_bonus
        for code, start in first_weak.items():
            first.setdefault(code, 10**9 + start)
        return scores, first, hits, m_text

    def classify(self, text: str, normalized: bool = False) -> tuple[str, object, str]:
        """(primary, secondary or NA, matched phrases) for one text (raw unless
        `normalized`)."""
        scores, first, hits, m_text = self._score(text, normalized)
        if not scores or (self._opens is not None and self._opens(m_text)
                          and not self._asks(m_text)):  # asks nothing: not a request
            return OTHER, pd.NA, ""
        # a quarter of all opinions have one topic: nothing to rank, no call
        ranked = list(scores) if len(scores) == 1 else self.rank(scores, first)
        primary = ranked[0]
        top = scores[primary]
        if self.close_calls is not None and (
                top < self.taxonomy.min_score
                or (top <= LONE_TOPIC_MAX if len(ranked) == 1
                    else top - scores[ranked[1]] <= CLOSE_CALL_MARGIN)):
            chosen = self._close_call(m_text, ranked, top < self.taxonomy.min_score)
            if chosen != primary:
                if chosen == OTHER:
                    return OTHER, pd.NA, ""
                ranked = [chosen] + [c for c in ranked if c != chosen]
                primary = chosen
                top = max(scores[primary], self.taxonomy.min_score)
        if top < self.taxonomy.min_score or primary == OTHER:
            # khac's own phrases (topics.yaml) win it the opinion; as before, khac has no
            # second topic and shows no phrases
            return OTHER, pd.NA, ""
        secondary: object = pd.NA
        if OTHER in scores:
            ranked = [c for c in ranked if c != OTHER]  # khac is never a second topic
        if len(ranked) > 1 and scores[ranked[1]] >= self.taxonomy.secondary_min_score:
            secondary = ranked[1]
        if secondary is pd.NA:
            shown = [p for p, c in hits if c == primary]
        else:
            shown = [p for p, c in hits if c in (primary, secondary)]
        return primary, secondary, "; ".join(dict.fromkeys(shown))

    def rank(self, scores: dict[str, float], first: dict[str, int]) -> list[str]:
        """The topics the rules found, best first: highest score, then mentioned first, then
        taxonomy order (each topic has its own place there, so no two keys tie). The one
        ranking of ``classify`` and ``TopicClassifier.explain``."""
        if len(scores) < 2:
            return list(scores)
        # sorting the key tuples themselves spares a Python call per topic
        order = self.order
        keyed = sorted([(-s, first[c], order.get(c, 99), c) for c, s in scores.items()])
        return [k[3] for k in keyed]

    def _close_call(self, m_text: str, ranked: list[str], weak: bool) -> str:
        """The close-call model's pick between the rules' two best topics, or (`weak`: the
        best is below min_score) between the best and khac."""
        if weak or len(ranked) == 1:
            return self.close_calls.prefer(m_text, ranked[0], OTHER)
        return self.close_calls.prefer(m_text, ranked[0], ranked[1])

    def _entries(self, phrase: str) -> list[tuple[str, float, str]]:
        return (self.accented.get(phrase) or self.accented.get(phrase.lower())
                or self.folded.get(fold(phrase), []))


class TopicClassifier:
    """Explainable phrase classifier with a scikit-learn-like API.

    ``fit`` learns nothing (the phrases are the model); it accepts ``texts, y`` so the
    class fits the same workflows as :class:`SupervisedTopicModel`. ``taxonomy`` is a
    :class:`Taxonomy`, a path to a YAML file, or None for the packaged one.
    ``close_calls``: the second opinion on the rules' close calls
    (:mod:`hbt_analysis.topic_closecall`): True for the packaged model, a
    :class:`~hbt_analysis.topic_closecall.CloseCallModel` of one's own, or None / False
    for the rules alone. A model is used only with the taxonomy it was trained on.
    """

    def __init__(self, taxonomy: Taxonomy | str | Path | None = None,
                 close_calls: CloseCallModel | bool | None = True) -> None:
        if taxonomy is None or isinstance(taxonomy, (str, Path)):
            taxonomy = load_taxonomy(taxonomy)
        self.taxonomy = taxonomy
        self._matcher = _Matcher(taxonomy, close_calls)
        self.classes_ = np.array(taxonomy.codes, dtype=object)

    def fit(self, texts: Iterable[str] | None = None, y: Iterable[str] | None = None):
        """No-op (rule-based); returns self."""
        return self

    def _classify_columns(self, texts: list[str], normalized: bool = False
                          ) -> tuple[list[str], list[object], list[str]]:
        """Primary, secondary and matched per text, classifying each distinct text once.

        Results are kept as three lists, not one tuple per text: a million long-lived
        tuples would keep Python's garbage collector busy (6% of the time).
        """
        cls = self._matcher.classify
        where = dict.fromkeys(texts)  # distinct texts in order -> their row in the lists
        primary: list[str] = []
        secondary: list[object] = []
        matched: list[str] = []
        for i, t in enumerate(where):
            p, s, m = cls(t, normalized)
            primary.append(p)
            secondary.append(s)
            matched.append(m)
            where[t] = i
        if len(where) < len(texts):  # repeated texts: copy the result of each distinct one
            rows = [where[t] for t in texts]
            primary = [primary[i] for i in rows]
            secondary = [secondary[i] for i in rows]
            matched = [matched[i] for i in rows]
        return primary, secondary, matched

    def predict(self, texts: Iterable[str], normalized: bool = False) -> list[str]:
        """Primary topic code per text."""
        items, _ = text_list(texts)
        return self._classify_columns(items, normalized)[0]

    def predict_topics(self, texts: Iterable[str], normalized: bool = False) -> pd.DataFrame:
        """``topic_primary``, ``topic_secondary`` (<NA> if none) and ``matched`` (the
        phrases that decided it, "; "-joined; empty for ``khac``).

        `normalized=True` says the texts already went through text.normalize (loaded
        datasets have): their letters are not checked a second time.
        """
        items, index = text_list(texts)
        primary, secondary, matched = self._classify_columns(items, normalized)
        out = pd.DataFrame(
            {
                "topic_primary": string_array(primary),
                "topic_secondary": string_array(secondary),
                "matched": string_array(matched),
            }
        )
        if index is not None:
            out.index = index
        return out

    def explain(self, text: str) -> dict[str, object]:
        """Per-topic scores and phrases for one text (for a reader who asks "why?")."""
        scores, first, phrases, m_text = self._matcher.scores(text)
        detail: dict[str, list[str]] = {}
        for phrase in phrases:
            for code, _, _ in self._matcher._entries(phrase):
                detail.setdefault(code, []).append(phrase)
        primary, secondary, matched = self._matcher.classify(text)
        # the rules' own first, ranked as classify ranks them
        rules_first = next(iter(self._matcher.rank(scores, first)), OTHER)
        return {"text": m_text, "scores": scores, "phrases": detail,
                "topic_primary": primary, "topic_secondary": secondary, "matched": matched,
                # the close-call model chose otherwise than the rules' best topic
                "close_call": primary != rules_first and bool(scores)}


@functools.cache
def default_classifier() -> TopicClassifier:
    """The packaged taxonomy's classifier, built once per process (compiling its phrase
    index takes ~0.1 s; classifying is stateless, so one instance serves every caller)."""
    return TopicClassifier()


def classify_opinions(opinions: pd.DataFrame, classifier=None,
                      text_column: str = "text", staff_column: str = "topic") -> pd.DataFrame:
    """The opinions with ``topic_primary``, ``topic_secondary``, ``matched``,
    ``topic_source`` and ``topic_predicted``.

    Where the staff-coded ``topic`` column has a value it wins (``topic_source="staff"``,
    ``matched`` empty); elsewhere the classifier decides (``"classifier"``).
    ``topic_predicted`` always holds the classifier's primary, for :func:`agreement`.
    """
    if text_column not in opinions.columns:
        raise KeyError(
            f"Thiếu cột văn bản '{text_column}' / the opinions have no '{text_column}' column"
        )
    classifier = classifier or default_classifier()
    out = opinions.copy()
    texts = out[text_column]
    if hasattr(classifier, "predict_topics"):
        pred = classifier.predict_topics(texts)
    else:
        prim = classifier.predict(texts)
        pred = pd.DataFrame(
            {"topic_primary": pd.array(prim, dtype="string"),
             "topic_secondary": pd.array([pd.NA] * len(prim), dtype="string"),
             "matched": pd.array([""] * len(prim), dtype="string")},
            index=texts.index,
        )
    pred.index = out.index
    primary = pred["topic_primary"].astype("string")
    secondary = pred["topic_secondary"].astype("string")
    matched = pred["matched"].astype("string")
    source = pd.Series("classifier", index=out.index, dtype="string")
    if staff_column in out.columns:
        tax = getattr(classifier, "taxonomy", None)
        staff = parse_staff_topics(out[staff_column], tax)
        has = staff["topic_primary"].notna()
        primary = primary.where(~has, staff["topic_primary"])
        secondary = secondary.where(~has, staff["topic_secondary"])
        matched = matched.where(~has, "")
        source = source.where(~has, "staff")
    out["topic_primary"] = primary
    out["topic_secondary"] = secondary
    out["matched"] = matched
    out["topic_source"] = source
    out["topic_predicted"] = pred["topic_primary"].astype("string")
    return out

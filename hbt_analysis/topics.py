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
"""

from __future__ import annotations

import functools
import math
import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from hbt_analysis.text import (
    _VIET_MARKED,
    ABBREVIATIONS,
    UNAMBIGUOUS_ABBREVIATIONS,
    expand_abbreviations,
    fold,
    normalize,
    string_array,
    tone_and_nfc,
)
from hbt_analysis.topic_closecall import (
    CLOSE_CALL_MARGIN,
    LONE_TOPIC_MAX,
    CloseCallModel,
    close_call_model,
)

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

OTHER = "khac"


# --------------------------------------------------------------------------------------
# Taxonomy
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Topic:
    """One topic: its code, names, scope and (phrase, weight) pairs."""

    code: str
    name_vi: str
    name_en: str
    scope: str = ""
    phrases: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    """The topics in display order, plus matching settings."""

    topics: tuple[Topic, ...]
    ignore: tuple[str, ...] = ()
    secondary_min_score: float = 1.0
    min_score: float = 0.7
    first_mention_bonus: float = 0.5
    source: str = ""
    #: `not_a_request`: how an opinion that asks nothing opens (who speaks, then agreement,
    #: thanks or praise) and the words that still make it ask (see :meth:`asks`).
    speakers: tuple[str, ...] = ()
    agreement: tuple[str, ...] = ()
    asks: tuple[str, ...] = ()
    _by_code: dict[str, Topic] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_code.update({t.code: t for t in self.topics})

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.topics)

    def __getitem__(self, code: str) -> Topic:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(
                f"Mã chủ đề không có trong danh mục / unknown topic code: {code!r} "
                f"(có / known: {', '.join(self.codes)})"
            ) from None

    def name(self, code: str, lang: str = "vi") -> str:
        t = self[code]
        return t.name_en if lang == "en" else t.name_vi

    @functools.cached_property
    def _not_a_request_re(self) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
        if not self.agreement:
            return None

        def alt(words: Iterable[str]) -> str:
            forms = {w for w in words} | {fold(w) for w in words}
            return "|".join(re.escape(w) for w in sorted(forms, key=len, reverse=True))

        speaker = rf"(?:(?:{alt(self.speakers)})\s+)?" if self.speakers else ""
        opens = re.compile(rf"\W*{speaker}(?:(?:cơ bản|co ban|rất|rat)\s+)?"
                           rf"(?:{alt(self.agreement)})(?!\w)")
        asks = re.compile(rf"(?<!\w)(?:{alt(self.asks)})(?!\w)|\?")
        return opens, asks

    def is_request(self, text: str) -> bool:
        """False for an opinion that only agrees, thanks or praises ("Nhất trí với báo
        cáo", "Cảm ơn phường đã sửa đèn ngõ 46", "Bà con phấn khởi …") and asks nothing:
        not a request, so of no topic (khac). `text` normalised and in lower case, with
        or without accents."""
        rx = self._not_a_request_re
        if rx is None or not rx[0].match(text):  # the opening only: one step for most
            return True
        return bool(rx[1].search(text))


class TaxonomyError(ValueError):
    """A taxonomy file that cannot be used (message in Vietnamese and English)."""


def _clean_phrase(p: str) -> str:
    return normalize(p).lower()


def _parse_taxonomy(data: object, source: str) -> Taxonomy:
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise TaxonomyError(
            f"{source}: thiếu danh sách 'topics' / the file has no 'topics' list"
        )
    weak_weight = float(data.get("weak_weight", 0.4))
    topics: list[Topic] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["topics"], start=1):
        if not isinstance(raw, dict) or not raw.get("code"):
            problems.append(f"chủ đề thứ {i} không có 'code' / topic #{i} has no 'code'")
            continue
        code = str(raw["code"]).strip()
        if code in seen:
            problems.append(f"mã trùng / duplicate code: {code}")
        seen.add(code)
        phrases: dict[str, float] = {}
        for key, default in (("phrases", 1.0), ("weak", weak_weight)):
            for item in raw.get(key) or []:
                if isinstance(item, dict):
                    text, weight = item.get("phrase"), item.get("weight", default)
                else:
                    text, weight = item, default
                if not isinstance(text, str) or not text.strip():
                    problems.append(
                        f"{code}: cụm từ rỗng hoặc sai / empty or invalid phrase {item!r}"
                    )
                    continue
                try:
                    phrases[_clean_phrase(text)] = float(weight)
                except (TypeError, ValueError):
                    problems.append(f"{code}: trọng số sai / bad weight for {text!r}")
        topics.append(
            Topic(
                code=code,
                name_vi=str(raw.get("name_vi") or code),
                name_en=str(raw.get("name_en") or raw.get("name_vi") or code),
                scope=" ".join(str(raw.get("scope") or "").split()),
                phrases=tuple(phrases.items()),
            )
        )
    if OTHER not in seen:
        problems.append(f"thiếu chủ đề '{OTHER}' / the taxonomy needs a '{OTHER}' topic")
    if problems:
        raise TaxonomyError(f"{source}:\n- " + "\n- ".join(problems))
    return Taxonomy(
        topics=tuple(topics),
        ignore=tuple(_clean_phrase(p) for p in data.get("ignore") or [] if isinstance(p, str)),
        secondary_min_score=float(data.get("secondary_min_score", 1.0)),
        min_score=float(data.get("min_score", 0.7)),
        first_mention_bonus=float(data.get("first_mention_bonus", 0.5)),
        source=source,
        **_not_a_request(data.get("not_a_request")),
    )


def _not_a_request(raw: object) -> dict[str, tuple[str, ...]]:
    """The `not_a_request` section of topics.yaml: speakers, agreement, asks."""
    if not isinstance(raw, dict):
        return {}
    return {key: tuple(_clean_phrase(str(w)) for w in raw.get(key) or [] if str(w).strip())
            for key in ("speakers", "agreement", "asks")}


@functools.lru_cache(maxsize=8)
def _load_cached(path: str | None) -> Taxonomy:
    if path is None:
        ref = resources.files("hbt_analysis").joinpath("resources", "topics.yaml")
        text, source = ref.read_text("utf-8"), "topics.yaml (packaged)"
    else:
        p = Path(path)
        if not p.exists():
            raise FileNotFoundError(
                f"Không tìm thấy tệp danh mục chủ đề / taxonomy file not found: {p}"
            )
        text, source = p.read_text("utf-8"), str(p)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{source}: YAML lỗi / invalid YAML: {exc}") from None
    return _parse_taxonomy(data, source)


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """The packaged taxonomy (``path=None``) or an analyst's own YAML file of the same shape."""
    return _load_cached(None if path is None else str(Path(path).resolve()))


TOPIC_CODES: tuple[str, ...] = load_taxonomy().codes


def topic_name(code: str, lang: str = "vi") -> str:
    """Display name of a topic code in Vietnamese (default) or English (``lang="en"``)."""
    return load_taxonomy().name(code, lang)


# --------------------------------------------------------------------------------------
# Phrase matching
# --------------------------------------------------------------------------------------
def _trie_regex(words: Iterable[str]) -> str:
    """A regex alternation shaped as a trie: the engine walks it character by character,
    which is far faster than trying hundreds of alternatives in turn. Longer continuations
    are tried before ending, so the longest phrase at a position wins."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        ends = "" in node
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + build(sub)
                    for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        if ends:
            # "(?:a|b|)": an empty last alternative ends the phrase here; the same as
            # "(?:a|b)?" but cheaper for the engine (no repeat bookkeeping)
            return "(?:" + "|".join(branches) + "|)"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(trie)


def _match_form(text: str, normalized: bool = False) -> tuple[str, bool]:
    """(text to match, whether it was folded because it carries no Vietnamese accents).

    `normalized`: the text already went through text.normalize (as loaded data has), so
    its letters need no second pass.
    """
    t = text if normalized else tone_and_nfc(text)
    if t.isascii() or not _VIET_MARKED.search(t):
        return fold(t), True
    return t.lower(), False


def matching_text(text: str) -> str:
    """The string phrases are matched against: the normalised text in lower case, or
    folded (no accents) when the opinion was typed without any Vietnamese accents.

    Every phrase in a ``matched`` explanation occurs in it (abbreviations such as "ATGT"
    are matched as they are written, standing for their expansion).
    """
    return _match_form(normalize(text))[0]


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
        rx = taxonomy._not_a_request_re
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
        trie = _trie_regex(table)
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
        m_text, folded = _match_form(text, normalized)
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


def _as_list(texts: Iterable[str] | str) -> tuple[list[str], pd.Index | None]:
    if isinstance(texts, str):
        raise TypeError(
            "Cần một danh sách văn bản, không phải một chuỗi / expected a list of texts, "
            "not a single string (wrap it: [text])"
        )
    if isinstance(texts, pd.Series):
        values = texts.tolist()
        if texts.hasnans:
            values = ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else v
                      for v in values]
        return [v if isinstance(v, str) else str(v) for v in values], texts.index
    return ["" if t is None or (isinstance(t, float) and math.isnan(t)) else str(t)
            for t in texts], None


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
        items, _ = _as_list(texts)
        return self._classify_columns(items, normalized)[0]

    def predict_topics(self, texts: Iterable[str], normalized: bool = False) -> pd.DataFrame:
        """``topic_primary``, ``topic_secondary`` (<NA> if none) and ``matched`` (the
        phrases that decided it, "; "-joined; empty for ``khac``).

        `normalized=True` says the texts already went through text.normalize (loaded
        datasets have): their letters are not checked a second time.
        """
        items, index = _as_list(texts)
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


# --------------------------------------------------------------------------------------
# Supervised model
# --------------------------------------------------------------------------------------
def _prepare_for_tfidf(text: str) -> str:
    # abbreviations spelt out and accents folded, so "ATGT", "an toàn giao thông" and
    # "an toan giao thong" share features
    return fold(expand_abbreviations(normalize(text)))


class SupervisedTopicModel:
    """TF-IDF (words 1-2 + character 2-5 grams) and a linear SVM (``LinearSVC``).

    A linear SVM rather than a logistic regression: as accurate on our labelled set and
    some 30 times faster to fit on character n-grams.

    For datasets with a staff-coded topic column: it learns the staff's own habits.
    Texts are normalised, abbreviations spelt out and accents folded, so "UBND",
    "ủy ban nhân dân" and "uy ban nhan dan" give the same features.
    """

    def __init__(self, C: float = 1.0, random_state: int = 0) -> None:
        self.C = C
        self.random_state = random_state
        self.pipeline_ = None

    def _make_pipeline(self):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion, make_pipeline
        from sklearn.svm import LinearSVC

        features = FeatureUnion(
            [
                ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
                ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5),
                                          sublinear_tf=True, min_df=1)),
            ]
        )
        clf = LinearSVC(C=self.C, class_weight="balanced")
        return make_pipeline(features, clf)

    def fit(self, texts: Iterable[str], y: Iterable[str]):
        items, _ = _as_list(texts)
        labels = [str(v) for v in y]
        if len(items) != len(labels):
            raise ValueError(
                f"Số văn bản ({len(items)}) khác số nhãn ({len(labels)}) / "
                f"{len(items)} texts but {len(labels)} labels"
            )
        if len(set(labels)) < 2:
            raise ValueError("Cần ít nhất hai chủ đề để huấn luyện / need at least two topics")
        self.pipeline_ = self._make_pipeline()
        self.pipeline_.fit([_prepare_for_tfidf(t) for t in items], labels)
        self.classes_ = self.pipeline_.classes_
        return self

    def predict(self, texts: Iterable[str]) -> list[str]:
        if self.pipeline_ is None:
            raise RuntimeError("Mô hình chưa được huấn luyện / call fit() first")
        items, _ = _as_list(texts)
        return [str(v) for v in self.pipeline_.predict([_prepare_for_tfidf(t) for t in items])]

    def cross_validate(self, texts: Sequence[str], labels: Sequence[str], folds: int = 5,
                       ) -> dict[str, object]:
        """Stratified k-fold cross-validated accuracy and macro-F1 (plus per-fold values).

        ``folds`` is lowered (with a warning) when a topic has fewer examples than folds.
        """
        from sklearn.metrics import accuracy_score, f1_score
        from sklearn.model_selection import StratifiedKFold

        items, _ = _as_list(texts)
        y = np.array([str(v) for v in labels], dtype=object)
        smallest = int(pd.Series(y).value_counts().min())
        k = max(2, min(folds, smallest))
        if k < folds:
            warnings.warn(
                f"Giảm số phần xuống {k} vì có chủ đề ít ví dụ / folds lowered to {k}: "
                f"a topic has only {smallest} examples",
                UserWarning,
                stacklevel=2,
            )
        prepared = np.array([_prepare_for_tfidf(t) for t in items], dtype=object)
        skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=self.random_state)
        pred = np.empty(len(y), dtype=object)
        accs, f1s = [], []
        for train, test in skf.split(prepared, y):
            pipe = self._make_pipeline().fit(list(prepared[train]), y[train])
            p = pipe.predict(list(prepared[test]))
            pred[test] = p
            accs.append(accuracy_score(y[test], p))
            f1s.append(f1_score(y[test], p, average="macro", zero_division=0))
        return {
            "folds": k,
            "n": len(y),
            "accuracy": float(accuracy_score(y, pred)),
            "macro_f1": float(f1_score(y, pred, average="macro", zero_division=0)),
            "accuracy_per_fold": [float(a) for a in accs],
            "macro_f1_per_fold": [float(f) for f in f1s],
        }


# --------------------------------------------------------------------------------------
# Evaluation, staff columns, agreement
# --------------------------------------------------------------------------------------
def evaluate(classifier, texts: Sequence[str], labels: Sequence[str]) -> dict[str, object]:
    """Accuracy, macro-F1 and a per-topic table (precision, recall, F1, support).

    ``per_topic`` is a DataFrame indexed by topic code, over the codes present in the
    labels or the predictions.
    """
    from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

    y_true = [str(v) for v in labels]
    y_pred = [str(v) for v in classifier.predict(list(texts))]
    codes = [c for c in TOPIC_CODES if c in set(y_true) | set(y_pred)]
    codes += sorted((set(y_true) | set(y_pred)) - set(codes))
    p, r, f, s = precision_recall_fscore_support(
        y_true, y_pred, labels=codes, zero_division=0
    )
    per_topic = pd.DataFrame(
        {"precision": p, "recall": r, "f1": f, "support": s}, index=pd.Index(codes, name="topic")
    )
    return {
        "n": len(y_true),
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "macro_f1": float(f1_score(y_true, y_pred, labels=codes, average="macro",
                                   zero_division=0)),
        "per_topic": per_topic,
        "predicted": y_pred,
    }


def _staff_lookup(taxonomy: Taxonomy) -> dict[str, str]:
    table: dict[str, str] = {}
    for t in taxonomy.topics:
        for label in (t.code, t.name_vi, t.name_en):
            table[fold(label)] = t.code
    return table


def parse_staff_topics(values: pd.Series, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Split a staff column ("code" or "code;code", codes or vi/en names) into primary and
    secondary codes. Unknown labels raise one error listing them all."""
    taxonomy = taxonomy or load_taxonomy()
    lookup = _staff_lookup(taxonomy)
    primary, secondary, unknown = [], [], set()
    for v in values.tolist():
        if v is None or (not isinstance(v, str) and pd.isna(v)) or not str(v).strip():
            primary.append(pd.NA)
            secondary.append(pd.NA)
            continue
        parts = [p.strip() for p in re.split(r"[;|,]", str(v)) if p.strip()]
        codes = []
        for p in parts:
            code = lookup.get(fold(p))
            if code is None:
                unknown.add(p)
            elif code not in codes:
                codes.append(code)
        primary.append(codes[0] if codes else pd.NA)
        secondary.append(codes[1] if len(codes) > 1 else pd.NA)
    if unknown:
        raise ValueError(
            "Cột chủ đề của cán bộ có nhãn không có trong danh mục / the staff topic column "
            f"has labels not in the taxonomy: {', '.join(sorted(unknown))}"
        )
    return pd.DataFrame(
        {"topic_primary": pd.array(primary, dtype="string"),
         "topic_secondary": pd.array(secondary, dtype="string")},
        index=values.index,
    )


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


def agreement(staff: pd.Series, predicted: pd.Series) -> dict[str, object]:
    """How often the classifier agrees with staff coding (rows where staff coded a topic).

    Staff values may be "code;code": ``share`` counts agreement with the staff's primary
    code, ``share_any`` with any staff code. ``per_topic`` maps each staff primary code to
    its share agreeing (the classifier's recall of that staff topic); ``kappa`` is Cohen's.
    """
    from sklearn.metrics import cohen_kappa_score

    staff = pd.Series(staff).reset_index(drop=True)
    predicted = pd.Series(predicted).reset_index(drop=True).astype("string")
    parsed = parse_staff_topics(staff)
    has = parsed["topic_primary"].notna() & predicted.notna()
    if not has.any():
        return {"n": 0, "share": float("nan"), "share_any": float("nan"), "kappa": float("nan"),
                "per_topic": {}}
    s1 = parsed.loc[has, "topic_primary"].astype(str)
    s2 = parsed.loc[has, "topic_secondary"]
    p = predicted[has].astype(str)
    same = s1 == p
    any_same = same | (s2.fillna("").astype(str) == p)
    per_topic = {code: float(same[s1 == code].mean()) for code in TOPIC_CODES if (s1 == code).any()}
    kappa = float(cohen_kappa_score(s1, p)) if s1.nunique() > 1 or p.nunique() > 1 else 1.0
    return {"n": int(has.sum()), "share": float(same.mean()), "share_any": float(any_same.mean()),
            "kappa": kappa, "per_topic": per_topic}

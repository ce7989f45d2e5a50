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
  (an object one of them names only as context adds part of it). The file also says
  which phrases are trusted only with their accents (`unaccented_ambiguous`: "doi",
  "o to") and when an alley is itself the object (`alley_as_object`: "cải tạo ngõ 95").
  Where the topics agree and one of the two names no object, the topic is the
  only sign left: TOPIC_BONUS_NO_OBJECT.
- A place's kind word ("chợ", "hồ", "khu tập thể") stays part of what is asked; only its
  name and number are the place.

:class:`RequestVectorizer` is fitted once on a year's opinions (every scope reuses it);
:func:`pair_similarity` combines what and where into one number in [0, 1].
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
import scipy.sparse as sp

from hbt_analysis.text import STOPWORDS, expand_abbreviations, fold, has_diacritics, normalize

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
#: Pairs less similar than this are not checked for places (no bonus could lift them to a
#: threshold; checking every pair would cost more than it changes).
PLACE_CHECK_FLOOR = 0.1

# --------------------------------------------------------------------------------------
# Where: places
# --------------------------------------------------------------------------------------
_VI_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệfghiìíỉĩịjklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụ" \
    "ưừứửữựvwxyỳýỷỹỵz"
_NUMBER = r"\d+[a-zA-Z]?(?:/\d+[a-zA-Z]?)*"
#: The words that introduce a place, as written (accented); an opinion typed without accents
#: is read with the same words folded.
_WORDS = {
    "alley": "ngõ|ngách|hẻm|kiệt",
    "so": "số",
    "street_word": "phố|đường",
    "street": "tuyến phố|đường phố|phố|đường|dốc",
    "junction": "nút giao|ngã tư|ngã ba|giao cắt",
    "with": "với|và",
    "stretch": "đoạn",
    "crosses": "giao",
    "block": "khu tập thể|tập thể|ktt|chung cư mini|chung cư|tòa nhà|khu đô thị|khu nhà ở",
    "building": "nhà|tòa|dãy|khu",
    "landmark": "chợ|công viên|vườn hoa|hồ|bệnh viện|trường|cầu|ga|đình|chùa|đền|nhà thờ|"
                "nhà văn hóa|sân|bãi|cung thể thao|rạp|bến|trạm|đê",
}


def _place_patterns(accented: bool) -> dict[str, re.Pattern[str]]:
    """The place regexes, for accented text or (accented=False) text without accents. Only
    capitalised words make a name ("Lò Đúc", "Times City", "28"), so "hồ Gươm" is a place
    and "để UBND" (folded: "de UBND", like "đê") is not read in accented text."""
    if accented:
        lower, upper = _VI_LOWER, _VI_LOWER.upper()
        words = _WORDS
    else:
        lower, upper = "a-z", "A-Z"
        words = {k: fold(v) for k, v in _WORDS.items()}
    cap = rf"[{upper}0-9][{lower}{upper}0-9]*"
    name = rf"{cap}(?:[ \t]+{cap}){{0,4}}"
    sw = rf"(?:(?:{words['street_word']})[ \t]+)"
    w = words
    flags = re.IGNORECASE
    return {
        "alley": re.compile(
            rf"(?<!\w)({w['alley']})[ \t]+(?:{w['so']}[ \t]+)?({_NUMBER})(?!\w)"
            rf"(?:[ \t]+{sw}?(?-i:({name})))?", flags),
        "junction": re.compile(
            rf"(?<!\w)(?:{w['junction']})[ \t]+{sw}?(?-i:({name}))"
            rf"[ \t]*(?:[–—-]|{w['with']})[ \t]*{sw}?(?-i:({name}))"
            rf"|(?<!\w){w['stretch']}[ \t]+{sw}?(?-i:({name}))[ \t]+{w['crosses']}[ \t]+"
            rf"(?:(?:{w['with']})[ \t]+)?{sw}?(?-i:({name}))", flags),
        "block": re.compile(
            rf"(?<!\w)({w['block']})[ \t]+(?:{w['so']}[ \t]+)?(?-i:({name}|\d+))"
            rf"(?:,?[ \t]+(?:{w['building']})[ \t]+(?-i:([A-Z]?\d+[A-Z]?|[A-Z](?!\w))))?",
            flags),
        "landmark": re.compile(rf"(?<!\w)({w['landmark']})[ \t]+(?-i:({name}))", flags),
        "street": re.compile(rf"(?<!\w)(?:{w['street']})[ \t]+(?-i:({name}))", flags),
    }


_ACCENTED = _place_patterns(True)
_FOLDED = _place_patterns(False)


@dataclass(frozen=True)
class Place:
    """A place an opinion names: its kind, name (folded: no accents, lower case), number
    (alleys, blocks) and the words as written."""

    kind: str  # alley | street | junction | block | landmark
    name: str
    number: str = ""
    text: str = ""

    def relation(self, other: Place) -> str:
        """"same" place, "related" (an alley of that street, a street of that junction) or
        "other"."""
        a, b = (self, other) if self.kind <= other.kind else (other, self)
        if a.kind == b.kind == "alley":
            if not _numbers_agree(a.number, b.number):
                return "other"
            return "same" if (a.name == b.name or not a.name or not b.name) else "other"
        if a.kind == b.kind:
            if a.name != b.name:
                return "other"
            if a.number and b.number and a.number != b.number:
                return "related"  # two buildings of one block
            return "same"
        if (a.kind, b.kind) == ("alley", "street"):
            return "related" if a.name and a.name == b.name else "other"
        if (a.kind, b.kind) == ("junction", "street"):
            return "related" if b.name in a.name.split(" | ") else "other"
        if (a.kind, b.kind) == ("alley", "junction"):
            return "related" if a.name and a.name in b.name.split(" | ") else "other"
        return "other"


def _numbers_agree(a: str, b: str) -> bool:
    """"46" and "46/12" agree (ngách 12 of ngõ 46); "46" and "48" do not."""
    pa, pb = a.lower().split("/"), b.lower().split("/")
    n = min(len(pa), len(pb))
    return pa[:n] == pb[:n]


def _clean_name(name: str | None) -> str:
    """A place name folded; "Phố Huế" and "phố Phố Huế" give the same "hue"."""
    folded = fold(name or "").strip()
    for word in ("pho ", "duong "):
        if folded.startswith(word) and len(folded) > len(word):
            folded = folded[len(word):]
    return folded


def _place_matches(text: str, accented: bool | None = None) -> list[tuple[int, int, Place]]:
    """Every place found, the more specific kind first where two overlap ("ngõ 281 phố Đại
    La" is an alley of Đại La, not also the street). Text typed without accents is read
    with the words folded."""
    rx = _ACCENTED if (has_diacritics(text) if accented is None else accented) else _FOLDED
    found: list[tuple[int, int, int, Place]] = []

    def written(m: re.Match[str]) -> str:
        return m.group(0).strip()

    for m in rx["alley"].finditer(text):
        found.append((0, *m.span(), Place("alley", _clean_name(m.group(3)), m.group(2),
                                          written(m))))
    for m in rx["junction"].finditer(text):
        a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        names = sorted({_clean_name(a), _clean_name(b)})
        found.append((1, *m.span(), Place("junction", " | ".join(names), "", written(m))))
    for m in rx["block"].finditer(text):
        found.append((2, *m.span(), Place("block", _clean_name(m.group(2)), m.group(3) or "",
                                          written(m))))
    for m in rx["landmark"].finditer(text):
        name = f"{fold(m.group(1))} {_clean_name(m.group(2))}"
        found.append((3, *m.span(), Place("landmark", name, "", written(m))))
    for m in rx["street"].finditer(text):
        found.append((4, *m.span(), Place("street", _clean_name(m.group(1)), "", written(m))))
    kept: list[tuple[int, int, Place]] = []
    for _, start, end, place in sorted(found, key=lambda f: (f[0], f[1])):
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, place))
    return sorted(kept, key=lambda k: k[0])


@functools.lru_cache(maxsize=200_000)
def find_places(text: str) -> tuple[Place, ...]:
    """The places a (normalised) opinion names, in text order, without repeats."""
    seen: dict[tuple[str, str, str], Place] = {}
    for _, _, p in _place_matches(text):
        seen.setdefault((p.kind, p.name, p.number), p)
    return tuple(seen.values())


def place_relation(a: Sequence[Place], b: Sequence[Place]) -> tuple[str, Place | None]:
    """How two opinions' places relate: ("same", the shared place), ("related", None),
    ("different", None) when both name places and none agrees, or ("unknown", None) when
    one names none."""
    if not a or not b:
        return "unknown", None
    related = False
    for p in a:
        for q in b:
            rel = p.relation(q)
            if rel == "same":
                return "same", p
            related = related or rel == "related"
    return ("related", None) if related else ("different", None)


#: Kinds of place whose first word says what the place is ("chợ", "hồ", "ngõ", "khu tập
#: thể"): that word stays part of what is asked ("rác của chợ Đồng Tâm" is about a market,
#: "mặt ngõ 128" about an alley's surface); only the name and number are the place.
_KIND_WORD_KEPT = ("block", "landmark")
_KIND_WORD_RE = {k: re.compile(rf"(?i)(?:{v})(?!\w)") for k, v in (
    ("alley", _WORDS["alley"]), ("block", _WORDS["block"]), ("landmark", _WORDS["landmark"]))}
_KIND_WORD_RE_FOLDED = {k: re.compile(rf"(?i)(?:{fold(v)})(?!\w)") for k, v in (
    ("alley", _WORDS["alley"]), ("block", _WORDS["block"]), ("landmark", _WORDS["landmark"]))}


def _place_spans(text: str, accented: bool | None = None) -> list[tuple[int, int]]:
    """Where the places are, less the word that says what kind of place each is (see
    _KIND_WORD_KEPT)."""
    spans = []
    for start, end, place in _place_matches(text, accented):
        if place.kind in _KIND_WORD_KEPT:
            rx = (_KIND_WORD_RE if (has_diacritics(text) if accented is None else accented)
                  else _KIND_WORD_RE_FOLDED)[place.kind]
            m = rx.match(text, start)
            if m:
                start = m.end()
        spans.append((start, end))
    return spans


# --------------------------------------------------------------------------------------
# What: the request without its places and its formulas
# --------------------------------------------------------------------------------------
@functools.cache
def _boilerplate_re(accented: bool = False) -> re.Pattern[str]:
    """The phrases of resources/request_boilerplate.txt: in lower case with their accents
    (for accented text: "vẫn" is not the "văn" of "văn hóa"), or without them (for text
    typed without, where they cannot be told apart)."""
    raw = resources.files("hbt_analysis").joinpath("resources", "request_boilerplate.txt")
    written = {
        " ".join(normalize(line.strip()).lower().split())
        for line in raw.read_text("utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    return _alternation(written if accented else {fold(p) for p in written})


@dataclass(frozen=True)
class _Lexicon:
    """resources/request_synonyms.yaml compiled: each phrase -> its group's name ("den_chieu_sang"),
    matched with its accents in accented text and without them in text typed without. One
    pattern per kind (objects, actions, problems), each matched on its own, so an action's
    phrase ("thay nắp") never hides an object's ("nắp hố ga") that overlaps it."""

    accented: tuple[re.Pattern[str], ...]
    folded: tuple[re.Pattern[str], ...]
    by_accented: dict[str, str]  # "object:đèn đường" -> name, per kind
    by_folded: dict[str, str]
    kind: dict[str, str]  # name -> "object" | "action" | "problem"
    kinds: tuple[str, ...] = ("object", "action", "problem")
    #: `alley_as_object`: an alley named with one of `alley_with` (repair, upgrade,
    #: degraded) and no other object is itself what the request is about (its surface).
    alley_object: str = ""
    alley_with: frozenset[str] = frozenset()
    #: `same_action`: action name -> the first of its group (compared as one action)
    same_action: dict[str, str] = field(default_factory=dict)


def _alternation(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """Whole-word phrases, the longest at a position first, as a trie (topics._trie_regex):
    the engine walks it character by character instead of trying each phrase in turn."""
    from hbt_analysis.topics import _trie_regex

    phrases = set(phrases)
    if not phrases:
        return None
    return re.compile(rf"(?<!\w)(?:{_trie_regex(phrases)})(?!\w)")


@functools.cache
def _synonyms() -> _Lexicon:
    """resources/request_synonyms.yaml: `objects` and `actions` (named groups) and `groups`
    (problems, named by their first phrase)."""
    import yaml

    raw = resources.files("hbt_analysis").joinpath("resources", "request_synonyms.yaml")
    data = yaml.safe_load(raw.read_text("utf-8")) or {}
    named: list[tuple[str, str, list[object]]] = []
    for kind, section in (("object", "objects"), ("action", "actions")):
        for name, phrases in (data.get(section) or {}).items():
            named.append((str(name), kind, list(phrases or [])))
    for group in data.get("groups") or []:
        phrases = [str(p) for p in group if str(p).strip()]
        if phrases:
            named.append((fold(normalize(phrases[0])).replace(" ", "_"), "problem", phrases))
    ambiguous = {fold(str(w)) for w in data.get("unaccented_ambiguous") or []}
    by_accented: dict[str, str] = {}
    by_folded: dict[str, str] = {}
    kind: dict[str, str] = {}
    for name, k, phrases in named:
        kind.setdefault(name, k)
        for p in phrases:
            written = " ".join(normalize(str(p)).lower().split())
            if not written:
                continue
            by_accented.setdefault(f"{k}:{written}", name)
            folded = fold(written)
            if folded not in ambiguous and (" " in written or folded not in _FUNCTION_WORDS):
                by_folded.setdefault(f"{k}:{folded}", name)
    kinds = ("object", "action", "problem")

    def patterns(table: dict[str, str]) -> tuple[re.Pattern[str], ...]:
        return tuple(_alternation(key.split(":", 1)[1] for key in table
                                  if key.startswith(k + ":")) for k in kinds)

    alley = data.get("alley_as_object") or {}
    return _Lexicon(patterns(by_accented), patterns(by_folded), by_accented, by_folded,
                    kind, kinds, str(alley.get("object") or ""),
                    frozenset(str(w) for w in alley.get("with") or []),
                    {str(name): str(group[0]) for group in data.get("same_action") or []
                     for name in group})


#: Single-syllable function words of the project's stopword list (resources/stopwords_vi.txt).
_FUNCTION_WORDS_ACCENTED = frozenset(w for w in STOPWORDS if " " not in w and "_" not in w)
_FUNCTION_WORDS = frozenset(fold(w) for w in _FUNCTION_WORDS_ACCENTED)
_WORD_RE = re.compile(r"[^\W\d_]+(?:_[^\W\d_]+)*")


_TOKEN_RE = re.compile(r"[^\W_]+")


def _token_range(starts: list[int], start: int, end: int) -> tuple[int, int]:
    """The tokens [i, j) that the characters [start, end) of the joined tokens cover."""
    return bisect.bisect_right(starts, start) - 1, bisect.bisect_left(starts, end)


#: A word folded once per process (an opinion has tens of words, a year a few thousand
#: distinct ones).
_fold_word = functools.lru_cache(maxsize=100_000)(fold)


@functools.lru_cache(maxsize=200_000)
def _tokens(text: str) -> tuple[tuple[str, str, str], ...]:
    """An opinion's words as (written in lower case, folded, role): role "what" for a word
    that says what is asked, "place", "formula" (who speaks, who is asked, politeness),
    "function" (a function word), or "synonym:<name>" for the first word of a phrase of
    resources/request_synonyms.yaml ("synonym:" for the others).

    Function words are recognised with their accents ("đến" is one, "đèn" is not; "cho" is
    one, "chợ" is not); in a text typed without accents, by their folded form."""
    norm = normalize(text or "")
    accented = has_diacritics(norm)  # as typed: "UBND" spelt out must not make it accented
    norm = expand_abbreviations(norm)
    places = _place_spans(norm, accented)
    function_words = _FUNCTION_WORDS_ACCENTED if accented else _FUNCTION_WORDS
    words: list[list[str]] = []
    for m in _TOKEN_RE.finditer(norm):
        low = m.group(0).lower()
        folded = _fold_word(low)
        if any(s <= m.start() < e for s, e in places):
            role = "place"
        elif (low if accented else folded) in function_words:
            role = "function"
        else:
            role = "what"
        words.append([low, folded, role])
    # objects, actions, problems first (a formula's words may be part of one: "trả lời kiến
    # nghị", "thành lập tổ dân phố"), matched on the words left once places are out ("đèn
    # [ngõ 46] hỏng" reads "đèn hỏng"), with accents where the text has them ("đèn" is not
    # "đến", "lắp" is not "lập"); then the formulas among the other words
    column = 0 if accented else 1  # words as written (lower case) or folded
    lexicon = _synonyms()
    patterns, table = ((lexicon.accented, lexicon.by_accented) if accented
                       else (lexicon.folded, lexicon.by_folded))
    keep = [k for k, w in enumerate(words) if w[2] != "place"]
    if keep:
        starts, pos = [], 0
        for k in keep:
            starts.append(pos)
            pos += len(words[k][column]) + 1
        joined_kept = " ".join(words[k][column] for k in keep)
        heads: dict[int, list[str]] = {}
        inside: set[int] = set()
        for kind, rx in zip(lexicon.kinds, patterns, strict=True):
            if rx is None:
                continue
            for m in rx.finditer(joined_kept):
                i, j = _token_range(starts, m.start(), m.end())
                heads.setdefault(keep[i], []).append(table[f"{kind}:{m.group(0)}"])
                inside.update(keep[k] for k in range(i + 1, j))
        for k in inside:
            words[k][2] = "synonym:"
        for k, names in heads.items():
            words[k][2] = "synonym:" + "|".join(names)
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w[column]) + 1
    joined = " ".join(w[column] for w in words)
    for m in _boilerplate_re(accented).finditer(joined):
        i, j = _token_range(starts, m.start(), m.end())
        for k in range(i, j):
            if words[k][2] in ("what", "function"):
                words[k][2] = "formula"
    return tuple((w[0], w[1], w[2]) for w in words)


@functools.lru_cache(maxsize=200_000)
def request_text(text: str) -> str:
    """What an opinion asks, without accents, in lower case: its places, who speaks, who is
    asked, the formulas of minutes and function words taken out, and the phrases of
    resources/request_synonyms.yaml written as their group's name ("Cử tri đề nghị UBND
    phường sửa đèn đường ngõ 46 Lò Đúc" -> "sua_chua den_chieu_sang"). Without accents, so
    an opinion typed without them (or with a wrong one) reads the same."""
    out = []
    for _, folded, role in _tokens(text):
        if role == "what" and not folded.isdigit():
            out.append(folded)
        elif role.startswith("synonym:") and role != "synonym:":
            out.extend(role[len("synonym:"):].split("|"))
    return " ".join(out)


def content_tokens(text: str) -> list[tuple[str, str, bool]]:
    """The words of an opinion as (written in lower case, folded, whether it says what is
    asked): places, formulas and function words are not."""
    return [(low, folded, (role == "what" or role.startswith("synonym"))
             and not folded.isdigit()) for low, folded, role in _tokens(text)]


@dataclass(frozen=True)
class Concepts:
    """What a request is about and the action it asks (names of the groups of
    resources/request_synonyms.yaml): ``objects`` ("den_chieu_sang"), ``actions``
    ("sua_chua")."""

    objects: frozenset[str] = frozenset()
    actions: frozenset[str] = frozenset()

    def union(self, other: Concepts) -> Concepts:
        return Concepts(self.objects | other.objects, self.actions | other.actions)


@functools.lru_cache(maxsize=200_000)
def request_concepts(text: str) -> Concepts:
    """The objects and actions an opinion names ("Đề nghị thay bóng đèn đường ngõ 46 bị hỏng"
    -> objects {den_chieu_sang}, actions {sua_chua})."""
    lexicon = _synonyms()
    kind = lexicon.kind
    objects: set[str] = set()
    actions: set[str] = set()
    named: set[str] = set()
    for _, _, role in _tokens(text):
        if role.startswith("synonym:") and role != "synonym:":
            for name in role[len("synonym:"):].split("|"):
                named.add(name)
                if kind.get(name) == "object":
                    objects.add(name)
                elif kind.get(name) == "action":
                    actions.add(name)
    if (not objects and lexicon.alley_object and named & lexicon.alley_with
            and any(p.kind == "alley" for p in find_places(normalize(text or "")))):
        objects.add(lexicon.alley_object)  # "cải tạo ngõ 95", "ngõ 158 xuống cấp"
    return Concepts(frozenset(objects), frozenset(actions))


def _action_kinds(actions: frozenset[str]) -> frozenset[str]:
    """Actions as compared: those of one `same_action` group of request_synonyms.yaml count
    as one (repairing and upgrading what exists: sửa chữa ~ cải tạo)."""
    same = _synonyms().same_action
    return frozenset(same.get(x, x) for x in actions) if same else actions


def concept_conflict(a: Concepts, b: Concepts) -> tuple[bool, bool]:
    """(different objects, different actions): both name some and share none."""
    acts_a, acts_b = _action_kinds(a.actions), _action_kinds(b.actions)
    return (bool(a.objects) and bool(b.objects) and not (a.objects & b.objects),
            bool(acts_a) and bool(acts_b) and not (acts_a & acts_b))


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
    out += OBJECT_PENALTY * conflict["objects"] + ACTION_PENALTY * conflict["actions"]
    out -= OBJECT_BONUS * share * ~conflict["actions"]
    return out

"""What an opinion asks: its words without places, who speaks and who is asked
(:func:`request_text`), and the objects and actions of resources/request_synonyms.yaml it
names (:func:`request_concepts`).

Each kind of phrase (objects, actions, problems) is matched on its own, so an action's phrase
never hides an object's; with accents where the opinion has them ("đèn" is not "đến"), on the
words left once places are out ("đèn [ngõ 46 phố Vọng] chập chờn"). The file also says which
phrases are trusted only with their accents (`unaccented_ambiguous`), when an alley is itself
the object (`alley_as_object`), which actions count as one (`same_action`) and which
phrases name a thing only as the channel, the body asked or the reason (`not_objects`:
"thông báo qua loa phường"), where no object is read, and which name their object only where
the opinion names no other (`context_only`: "cải tạo hệ thống thoát nước" asks for the drains,
"ngập vì hệ thống thoát nước quá tải" for the flooding).

Part of the pair similarity of :mod:`hbt_analysis.opinions.similarity`, which re-exports the
public names.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from hbt_analysis.opinions.places import _place_spans, find_places
from hbt_analysis.text import STOPWORDS, expand_abbreviations, fold, has_diacritics, normalize

__all__ = [
    "Concepts",
    "VocabularyError",
    "concept_conflict",
    "content_tokens",
    "object_phrases",
    "read_request_synonyms",
    "request_concepts",
    "request_text",
    "word_roles",
]


class VocabularyError(ValueError):
    """A request_synonyms.yaml that cannot be used (what is wrong and where, in Vietnamese
    and English)."""


#: Words between a `states.absent` phrase and one of `states.absent_not_before` ("cần có
#: những biện pháp", "mong có một kế hoạch"), folded.
_QUANTIFIERS = ("nhung", "cac", "mot")


@dataclass(frozen=True)
class _StatePhrases:
    """One list of `states` (what an opinion says of its object: broken, absent) compiled:
    the phrases with their accents, and folded where that is no other word (two syllables
    or more, not in `unaccented_ambiguous`), each folded form with the phrases it stands
    for ("tat ngum" -> "tắt ngúm"), so a text with some accents left out ("tăt ngum") is
    read as what it can only be; and what, right after a phrase, says it is no such state
    (`absent_not_before`: "cần có biện pháp" asks how, not that something is missing)."""

    accented: re.Pattern[str] | None = None
    folded: re.Pattern[str] | None = None
    written: dict[str, tuple[str, ...]] = field(default_factory=dict)
    not_before: re.Pattern[str] | None = None


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
    #: "context": an object's phrase of `context_only`, which names its object only where
    #: the opinion names no other ("vì hệ thống thoát nước" in a flooding complaint)
    kinds: tuple[str, ...] = ("object", "context", "action", "problem")
    #: `alley_as_object`: an alley named with one of `alley_with` (repair, upgrade,
    #: degraded) and no other object is itself what the request is about (its surface).
    alley_object: str = ""
    alley_with: frozenset[str] = frozenset()
    #: `alley_as_object.heads`: words that say which part of the alley ("tuyến", "đoạn"),
    #: folded; any other unknown word before the alley names another object
    alley_heads: frozenset[str] = frozenset()
    #: `same_action`: action name -> the first of its group (compared as one action)
    same_action: dict[str, str] = field(default_factory=dict)
    #: `not_objects`: phrases naming a thing only as the channel, the body asked or the
    #: reason ("thông báo qua loa phường"), accented and folded; no object is read inside
    masks: tuple[re.Pattern[str] | None, re.Pattern[str] | None] = (None, None)
    #: `states`: the problems that say a thing is broken or worn, and phrases saying it is
    #: broken / missing
    broken_problems: frozenset[str] = frozenset()
    broken: _StatePhrases = _StatePhrases()
    absent: _StatePhrases = _StatePhrases()
    #: `states.new_action`, `states.repair_action`: the actions that ask for something new
    #: / repair what is there ("lap_moi", "sua_chua"; "" where the file names none)
    new_action: str = ""
    repair_action: str = ""


def _alternation(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """Whole-word phrases, the longest at a position first, as a trie (topics._trie_regex):
    the engine walks it character by character instead of trying each phrase in turn."""
    from hbt_analysis.topics import _trie_regex

    phrases = set(phrases)
    if not phrases:
        return None
    return re.compile(rf"(?<!\w)(?:{_trie_regex(phrases)})(?!\w)")


def load_phrases_yaml(text: str) -> object:
    """YAML read the way a file of phrases means it: only true / false are booleans, so an
    unaccented syllable written bare ("on" for ồn / ổn, "no", "yes", "off") stays the word
    it is (YAML 1.1, PyYAML's default, reads them as True / False: "on" in
    `unaccented_ambiguous` was read as True and never trusted only with its accents)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    bool_tag = "tag:yaml.org,2002:bool"
    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != bool_tag]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    Loader.add_implicit_resolver(bool_tag, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                 list("tTfF"))
    return yaml.load(text, Loader=Loader)  # a SafeLoader: no arbitrary objects


@functools.cache
def _synonyms() -> _Lexicon:
    """resources/request_synonyms.yaml, read once."""
    raw = resources.files("hbt_analysis").joinpath("resources", "request_synonyms.yaml")
    return read_request_synonyms(raw.read_text("utf-8"), "resources/request_synonyms.yaml")


def read_request_synonyms(text: str, source: str = "request_synonyms.yaml") -> _Lexicon:
    """A request_synonyms.yaml's text compiled: `objects` and `actions` (named groups) and
    `groups` (problems, named by their first phrase), and the rest of the file. A
    :class:`VocabularyError` where `states` names what the file does not have (a list read
    as nothing would switch a rule off in silence)."""
    data = load_phrases_yaml(text) or {}
    named: list[tuple[str, str, list[object]]] = []
    for kind, section in (("object", "objects"), ("action", "actions")):
        for name, phrases in (data.get(section) or {}).items():
            named.append((str(name), kind, list(phrases or [])))
    for group in data.get("groups") or []:
        phrases = [str(p) for p in group if str(p).strip()]
        if phrases:
            named.append((fold(normalize(phrases[0])).replace(" ", "_"), "problem", phrases))
    ambiguous = {fold(str(w)) for w in data.get("unaccented_ambiguous") or []}
    # `context_only`: written with accents, in both forms; written without, only unaccented
    context_only = [" ".join(normalize(str(p)).lower().split())
                    for p in data.get("context_only") or []]
    context_accented = {p for p in context_only if has_diacritics(p)}
    context_folded = {fold(p) for p in context_only}
    by_accented: dict[str, str] = {}
    by_folded: dict[str, str] = {}
    kind: dict[str, str] = {}
    for name, k, phrases in named:
        kind.setdefault(name, k)
        for p in phrases:
            written = " ".join(normalize(str(p)).lower().split())
            if not written:
                continue
            weak = k == "object" and written in context_accented
            by_accented.setdefault(f"{'context' if weak else k}:{written}", name)
            folded = fold(written)
            if folded not in ambiguous and (" " in written or folded not in _FUNCTION_WORDS):
                weak = k == "object" and folded in context_folded
                by_folded.setdefault(f"{'context' if weak else k}:{folded}", name)
    kinds = ("object", "context", "action", "problem")

    def patterns(table: dict[str, str]) -> tuple[re.Pattern[str], ...]:
        return tuple(_alternation(key.split(":", 1)[1] for key in table
                                  if key.startswith(k + ":")) for k in kinds)

    alley = data.get("alley_as_object") or {}
    masks = [" ".join(normalize(str(p)).lower().split()) for p in data.get("not_objects") or []]
    masks = [p for p in masks if p]
    states = _read_states(data.get("states") or {}, kind, ambiguous, source)
    return _Lexicon(patterns(by_accented), patterns(by_folded), by_accented, by_folded,
                    kind, kinds, str(alley.get("object") or ""),
                    frozenset(str(w) for w in alley.get("with") or []),
                    frozenset(fold(normalize(str(w))).lower() for w in alley.get("heads") or []),
                    {str(name): str(group[0]) for group in data.get("same_action") or []
                     for name in group},
                    (_alternation(masks), _alternation(fold(p) for p in masks)),
                    *states)


#: The keys of `states` in request_synonyms.yaml.
_STATE_KEYS = ("new_action", "repair_action", "broken_problems", "broken", "absent",
               "absent_not_before")


def _read_states(states: object, kind: dict[str, str], ambiguous: set[str], source: str
                 ) -> tuple[frozenset[str], _StatePhrases, _StatePhrases, str, str]:
    """The `states` section: (broken problems, broken, absent, new action, repair action).
    Every problem or action it names must be one of the file's, every key one it reads."""
    if not isinstance(states, dict):
        raise VocabularyError(f"{source}: 'states' phải là một bảng (khóa: giá trị) / "
                              "'states' must be a mapping")
    problems: list[str] = []
    unknown = sorted(str(k) for k in states if str(k) not in _STATE_KEYS)
    if unknown:
        problems.append(f"khóa lạ / unknown keys: {', '.join(unknown)} "
                        f"(dùng / use: {', '.join(_STATE_KEYS)})")
    broken_problems = []
    for p in states.get("broken_problems") or []:
        name = fold(normalize(str(p))).replace(" ", "_")
        if kind.get(name) != "problem":
            problems.append(f"broken_problems: '{p}' không là cụm đầu của nhóm nào trong "
                            f"'groups' / is the first phrase of no problem group of 'groups'")
        broken_problems.append(name)
    actions = []
    for key in ("new_action", "repair_action"):
        name = str(states.get(key) or "")
        if name and kind.get(name) != "action":
            problems.append(f"{key}: '{name}' không là nhóm nào trong 'actions' / "
                            f"is no group of 'actions'")
        actions.append(name)
    if problems:
        raise VocabularyError(f"{source}, states:\n  " + "\n  ".join(problems))

    def phrases(key: str) -> list[str]:
        written = [" ".join(normalize(str(p)).lower().split()) for p in states.get(key) or []]
        return [p for p in written if p]

    def state(key: str, not_before: Iterable[str] = ()) -> _StatePhrases:
        """Phrases with their accents, and folded where that is no other word: two
        syllables or more, not in `unaccented_ambiguous` ("vỡ" folds to "vo": vợ, võ)."""
        written = phrases(key)
        by_folded: dict[str, tuple[str, ...]] = {}
        for p in written:
            if " " in p and fold(p) not in ambiguous:
                by_folded[fold(p)] = (*by_folded.get(fold(p), ()), p)
        after = _alternation(fold(p) for p in not_before)
        return _StatePhrases(
            _alternation(written), _alternation(by_folded), by_folded,
            None if after is None else re.compile(
                rf" (?:(?:{'|'.join(_QUANTIFIERS)}) )?(?:{after.pattern})"))

    return (frozenset(broken_problems), state("broken"),
            state("absent", phrases("absent_not_before")), actions[0], actions[1])


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
        masked: set[int] = set()  # words of a `not_objects` phrase: no object read there
        mask_rx = lexicon.masks[column]
        for m in mask_rx.finditer(joined_kept) if mask_rx is not None else ():
            i, j = _token_range(starts, m.start(), m.end())
            masked.update(range(i, j))
        found: list[tuple[str, int, int, str]] = []
        for kind, rx in zip(lexicon.kinds, patterns, strict=True):
            if rx is None:
                continue
            for m in rx.finditer(joined_kept):
                i, j = _token_range(starts, m.start(), m.end())
                if kind in ("object", "context") and masked.intersection(range(i, j)):
                    continue
                found.append((kind, i, j, table[f"{kind}:{m.group(0)}"]))
        # a `context_only` phrase names its object where no object is named outside it
        # ("bãi đỗ xe" alone is the car park, not the "đỗ xe" inside it); "~": for want of
        # another
        spans = [(i, j) for kind, i, j, _ in found if kind == "context"]
        alone = spans and not any(kind == "object" and not any(a <= i and j <= b for a, b in spans)
                                  for kind, i, j, _ in found)
        for kind, i, j, name in found:
            if kind == "context" and not alone:
                continue
            if kind == "object" and alone and any(a <= i and j <= b for a, b in spans):
                continue
            heads.setdefault(keep[i], []).append("~" + name if kind == "context" else name)
            inside.update(keep[k] for k in range(i + 1, j))
        for k in inside:
            words[k][2] = "synonym:"
        for k, names in heads.items():
            words[k][2] = "synonym:" + "|".join(names)
        for k in masked:  # how it is announced, who is asked: like a formula
            if words[keep[k]][2] in ("what", "function"):
                words[keep[k]][2] = "formula"
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


def word_roles(text: str) -> tuple[tuple[str, str, str], ...]:
    """An opinion's words as (written in lower case, folded, role), as the vocabulary reads
    them: role "what", "place", "formula", "function", or "synonym:<names>" on the first word
    of a phrase of request_synonyms.yaml ("synonym:" on its other words; a `context_only`
    phrase's name is written "~name"). For tools that weigh the vocabulary
    (benchmarks/vocab_evidence.py)."""
    return _tokens(text)


def object_phrases(text: str) -> list[tuple[str, str]]:
    """The phrases of `objects` an opinion is read to name, as (phrase as matched, object):
    none inside a `not_objects` phrase, a `context_only` one only where no other object is
    named. For tools that weigh the vocabulary (benchmarks/vocab_evidence.py)."""
    tokens = [t for t in _tokens(text) if t[2] != "place"]
    column = 0 if has_diacritics(normalize(text or "")) else 1
    lexicon = _synonyms()
    patterns, table = ((lexicon.accented, lexicon.by_accented) if column == 0
                       else (lexicon.folded, lexicon.by_folded))
    starts, pos = [], 0
    for t in tokens:
        starts.append(pos)
        pos += len(t[column]) + 1
    joined = " ".join(t[column] for t in tokens)
    out = []
    for kind, rx in zip(lexicon.kinds, patterns, strict=True):
        if kind not in ("object", "context") or rx is None:
            continue
        for m in rx.finditer(joined):
            name = table[f"{kind}:{m.group(0)}"]
            role = tokens[_token_range(starts, m.start(), m.end())[0]][2]
            if (name if kind == "object" else "~" + name) in role[len("synonym:"):].split("|"):
                out.append((m.group(0), name))
    return out


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
            out.extend(name.lstrip("~") for name in role[len("synonym:"):].split("|"))
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
    #: it says its object is there but broken or worn ("hỏng", "tắt ngúm", "xuống cấp":
    #: `states` of request_synonyms.yaml): something to repair, whether or not it says so
    broken: bool = False
    #: it says its object is missing or wished for ("không có chỗ", "mong có")
    absent: bool = False

    def union(self, other: Concepts) -> Concepts:
        return Concepts(self.objects | other.objects, self.actions | other.actions,
                        self.broken or other.broken, self.absent or other.absent)


@functools.lru_cache(maxsize=200_000)
def request_concepts(text: str) -> Concepts:
    """The objects and actions an opinion names ("Đề nghị thay bóng đèn đường ngõ 46 bị hỏng"
    -> objects {den_chieu_sang}, actions {sua_chua})."""
    lexicon = _synonyms()
    kind = lexicon.kind
    objects: set[str] = set()
    actions: set[str] = set()
    named: set[str] = set()
    context: set[str] = set()  # objects of `context_only` phrases (the opinion names no other)
    tokens = _tokens(text)
    for k, (_, _, role) in enumerate(tokens):
        if role.startswith("synonym:") and role != "synonym:":
            for name in role[len("synonym:"):].split("|"):
                if name.startswith("~"):
                    context.add(name[1:])
                    continue
                named.add(name)
                if kind.get(name) == "object":
                    objects.add(name)
                elif kind.get(name) == "action" and not _action_done(tokens, k):
                    actions.add(name)
    if (not objects and lexicon.alley_object and named & lexicon.alley_with
            and any(p.kind == "alley" for p in find_places(normalize(text or "")))
            and _alley_is_asked(_tokens(text), lexicon)):
        objects.add(lexicon.alley_object)  # "cải tạo ngõ 95", "ngõ 158 xuống cấp"
    if not objects:  # "đề nghị cải tạo hệ thống thoát nước", not "ngập vì hệ thống thoát nước"
        objects |= context
    return Concepts(frozenset(objects), frozenset(actions),
                    bool(named & lexicon.broken_problems) or _says(lexicon.broken, tokens),
                    _says(lexicon.absent, tokens))


def _says(state: _StatePhrases, tokens: tuple[tuple[str, str, str], ...]) -> bool:
    """Whether an opinion's words, places out ("đèn [ngõ 42] tắt ngúm" reads "đèn tắt
    ngúm"), hold one of a `states` list's phrases: with its accents, or folded where the
    words written are the phrase's with some accents left out ("tăt ngum", "tat ngum"; not
    "tất cả" for "tắt cả") — and not followed by what says it is no such state ("cần có
    biện pháp")."""
    kept = [(low, folded) for low, folded, role in tokens if role != "place"]
    if not kept:
        return False
    written = " ".join(low for low, _ in kept)
    folded = " ".join(f for _, f in kept)
    # the folded words have the written ones' lengths (one letter each), so a span of one
    # is the same span of the other
    same_spans = len(written) == len(folded)
    found: list[tuple[int, int, str | None]] = []  # (start, end, folded phrase or None)
    if state.accented is not None:
        found += [(m.start(), m.end(), None) for m in state.accented.finditer(written)]
    if state.folded is not None and same_spans:
        found += [(m.start(), m.end(), m.group(0)) for m in state.folded.finditer(folded)]
    for start, end, phrase in found:
        if phrase is not None and not any(
                _written_as(written[start:end], p) for p in state.written.get(phrase, ())):
            continue
        if state.not_before is not None and same_spans and state.not_before.match(folded, end):
            continue
        return True
    return False


def _written_as(text: str, phrase: str) -> bool:
    """Whether `text` is `phrase` written with some of its accents left out ("tăt ngum",
    "tat ngum" for "tắt ngúm"), none added or changed ("tất cả" is not "tắt cả")."""
    if len(text) != len(phrase):
        return False
    for a, b in zip(text, phrase, strict=True):
        if a == b:
            continue
        if a == "đ":  # written with the stroke the phrase does not have
            return False
        da = unicodedata.normalize("NFD", a)
        db = unicodedata.normalize("NFD", "d" if b == "đ" else b)
        if da[0] != db[0] or not set(da[1:]) <= set(db[1:]):
            return False
    return True


#: Words before a verb that say it has happened or is under way (đã lắp, vừa sửa, mới mở
#: rộng, đang xây; "đã được lắp"): the verb describes the object, it is not what is asked.
#: Without accents only the forms that are no other common word before a verb ("moi" is
#: also mọi / mời / mỗi).
_DONE_ACCENTED = frozenset({"đã", "vừa", "mới", "đang"})
_DONE_FOLDED = frozenset({"da", "vua", "dang"})


def _action_done(tokens: tuple[tuple[str, str, str], ...], k: int) -> bool:
    """Whether the action named at token `k` is what was done, not what is asked: right
    after "đã / vừa / mới / đang" (or "… được": "đã được lắp"), or followed by since when
    ("lắp từ 2019", "làm từ năm 2008"). "Mấy camera lắp từ 2019 đã hỏng, đề nghị sửa" asks
    a repair, not an installation. Not a phrase that says what is missing ("mới chưa có
    cây": chưa có), nor "bao giờ / khi nào mới được cải tạo" (a question that asks it)."""
    if tokens[k][1] == "chua":
        return False

    def done(j: int) -> bool:
        if j < 0 or tokens[j][2] == "place":
            return False
        low, folded, _ = tokens[j]
        if not (low in _DONE_ACCENTED or (low == folded and folded in _DONE_FOLDED)):
            return False
        return not (folded == "moi" and j > 0 and tokens[j - 1][1] in ("gio", "nao"))

    if done(k - 1) or (k >= 1 and tokens[k - 1][1] == "duoc" and done(k - 2)):
        return True
    end = k + 1
    while end < len(tokens) and tokens[end][2] == "synonym:":  # the rest of the phrase
        end += 1
    after = [t[1] for t in tokens[end:end + 2]]
    return len(after) == 2 and after[0] == "tu" and (
        after[1].isdigit() or after[1] in ("nam", "nhung", "hoi", "thoi"))


def _alley_is_asked(tokens: tuple[tuple[str, str, str], ...], lexicon: _Lexicon) -> bool:
    """Whether the alley itself is what is repaired or degraded: the action comes right
    before a place ("cải tạo lại ngõ 95") or the trouble after one whose head is no other
    word ("ngõ 158 xuống cấp"). A word the vocabulary does not know in that spot names
    another object ("sửa chữa bảng tin ngõ 12", "bảng tin ngõ 12 xuống cấp"): not the
    alley's surface."""
    seq: list[tuple[str, frozenset[str]]] = []  # ("place" | "word" | "name", names)
    for _, folded, role in tokens:
        if role == "place":
            if not seq or seq[-1][0] != "place":
                seq.append(("place", frozenset()))
        elif role.startswith("synonym:") and role != "synonym:":
            seq.append(("name", frozenset(role[len("synonym:"):].split("|"))))
        elif role == "what" and not folded.isdigit() and folded not in lexicon.alley_heads:
            seq.append(("word", frozenset()))
    for k, (what, names) in enumerate(seq):
        if what != "name" or not names & lexicon.alley_with:
            continue
        if k + 1 < len(seq) and seq[k + 1][0] == "place":
            return True
        before = [j for j in range(k) if seq[j][0] == "place"]
        if before and (before[-1] == 0 or seq[before[-1] - 1][0] != "word"):
            return True
    return False


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

"""Where an opinion's request is: the places it names, found by their shape ("ngõ 46 Lò Đúc",
"ngách 12/5", "phố Lò Đúc", "khu tập thể Mai Động", "chợ Mơ", "nút giao Kim Ngưu – Lạc
Trung"), and how two opinions' places relate (the same, related, other).

Part of the pair similarity of :mod:`hbt_analysis.opinions.similarity` (which re-exports
:class:`Place`, :func:`find_places` and :func:`place_relation`): sharing a place adds to two
opinions' similarity; the words of the places are not part of what is asked
(:mod:`hbt_analysis.opinions.request_words`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from hbt_analysis.text import fold, has_diacritics

__all__ = ["Place", "find_places", "place_relation"]

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

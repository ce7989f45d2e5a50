"""Legacy Vietnamese encodings (TCVN3/ABC, VNI-Windows) and UTF-8 mojibake: detect, convert.

Why: ward offices still keep workbooks and minutes typed before Unicode, in the 8-bit fonts of
TCVN3 (ABC: .VnTime, .VnArial, and the capital fonts .VnTimeH, .VnArialH …) or VNI-Windows
(VNI-Times …). Excel, Word, openpyxl, python-docx and xlrd hand such text over as the
Windows-1252 characters of its bytes: "Hai Bµ Tr­ng" (TCVN3), "Vieät Nam" (VNI, a base letter
followed by one or two mark characters). Read as it is, it never matches a ward name and counts
as nonsense words. This module tells such text from ordinary text and converts it.

What it decides on: the words that hold characters of a legacy code. A word is evidence for an
encoding when it converts to a Vietnamese syllable (``resources/vietnamese_syllables.txt``)
while it is not one as written ("Tr­ng" → "Trưng"); it counts twice as much when it holds a
character that no ordinary word holds (µ, ¸, a soft hyphen…) or converts to a letter Windows-1252
lacks (ư, ơ, đ, ệ…). A word that is a syllable both ways ("Tô" → "Tụ") proves nothing; one that
holds a character the code never uses, or does not convert to a syllable, is evidence against.
Text holding any character outside Windows-1252 (ư, ạ, combining marks: ordinary Unicode
Vietnamese, NFC or NFD, and decoded Windows-1258) is never legacy. A text is *certain* with
three points, or two from two words, and at most one word against for three for; with less
evidence it is "uncertain" and :func:`detect` answers None: a short cell ("NguyÔn Du") is
settled by its column (:func:`detect_column` pools the evidence of the distinct values).

UTF-8 read as Windows-1252 ("Nguyá»…n") is repaired too (encoding "utf8-as-cp1252").
Windows-1258 text is not legacy: decoded, it is Unicode (decomposed; NFC composes it).

The conversion itself, its tables and their sources are in :mod:`hbt_analysis.legacy_codes`
(tables in ``resources/legacy_tcvn3.tsv`` and ``legacy_vni.tsv``, from UniKey's VnConv tables,
TCVN 5712:1993 VN3 for TCVN3, checked against duydev/vietnamese-conversion).

How to use it (a reader of office files):

- a column (or a row, a sheet, a document: any iterable of cells): ``repair_column(values)``
  converts it with the column's verdict, so that short cells follow their column; pass
  ``encoding=`` when the sheet's verdict (``detect_column`` over all its cells) or the cells'
  font (:func:`encoding_of_font`) says it, and ``upper=True`` for a TCVN3 capital font
  (:func:`is_capital_font`). It tells which cells it converted and which look garbled;
- one text: ``repair(text)`` converts only what is certain; :func:`looks_garbled` flags
  what it leaves that is damaged;
- bytes of a text file: :func:`decode_bytes`.

Use ``repair`` (or ``repair_column``) BEFORE ``text.normalize``: normalising removes the soft
hyphen that is TCVN3's "ư".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from hbt_analysis.legacy_codes import (
    _CP1252_CHARS,
    _LATIN1_TO_1252,
    _OUTSIDE_1252,
    _TCVN3_CHARS,
    _TCVN3_TRANS,
    _UNPAIRED_RE,
    _VNI_CHARS,
    _VNI_UNPAIRED,
    ENCODINGS,
    MOJIBAKE,
    Encoding,
    _1252_bytes,
    _fix_mojibake,
    _resource,
    _tcvn3_to_unicode,
    _vni_decode_part,
    _vni_decode_words,
    from_unicode,
    to_unicode,
)

__all__ = [
    "Assessment",
    "ColumnRepair",
    "Evidence",
    "assess",
    "assess_column",
    "decode_bytes",
    "detect",
    "detect_column",
    "encoding_of_font",
    "from_unicode",
    "is_capital_font",
    "is_syllable",
    "looks_garbled",
    "repair",
    "repair_column",
    "to_unicode",
]

_ALPHABET = {"tcvn3": _TCVN3_CHARS, "vni": _VNI_CHARS}

# --------------------------------------------------------------------------------------
# Vietnamese syllables
# --------------------------------------------------------------------------------------
_TONE_MARKS = "\u0301\u0300\u0309\u0303\u0323"  # sắc huyền hỏi ngã nặng
_VOWELS = "aăâeêioôơuưy"


def _build_tone_tables() -> tuple[dict[int, str], str, str]:
    strip: dict[int, str] = {}
    toned, stopped_ok = [], []
    for base in _VOWELS:
        for i, mark in enumerate(_TONE_MARKS):
            ch = unicodedata.normalize("NFC", base + mark)
            strip[ord(ch)] = base
            toned.append(ch)
            if i in (0, 4):  # sắc, nặng: the tones a syllable ending in c, ch, p, t takes
                stopped_ok.append(ch)
    return strip, "".join(toned), "".join(stopped_ok)


_STRIP_TONE, _TONED, _STOPPED_TONES = _build_tone_tables()
_TONED_RE = re.compile("[" + _TONED + "]")
_VOWEL_RE = re.compile("[" + _VOWELS + _TONED + "]", re.IGNORECASE)


def _build_syllable_re() -> re.Pattern[str]:
    initials: list[str] = []
    rhymes: list[str] = []
    for line in _resource("vietnamese_syllables.txt").split("\n"):
        if line.startswith("initials:"):
            initials += line.split(":", 1)[1].split()
        elif line.startswith("rhymes:"):
            rhymes += line.split(":", 1)[1].split()
    by_length = functools.partial(sorted, key=len, reverse=True)
    initial = "|".join(i if i != "q" else "q(?=u)" for i in by_length(initials))
    return re.compile(f"(?:{initial})?(?P<rhyme>{'|'.join(by_length(rhymes))})")


_SYLLABLE_RE = _build_syllable_re()
_STOPPED_RE = re.compile("(?:c|ch|p|t)$")


@functools.lru_cache(maxsize=65_536)
def is_syllable(word: str) -> bool:
    """Whether ``word`` (NFC, any case) has the shape of one Vietnamese syllable ("Nguyễn")."""
    w = word.lower()
    tones = _TONED_RE.findall(w)
    if len(tones) > 1:
        return False
    m = _SYLLABLE_RE.fullmatch(w.translate(_STRIP_TONE))
    if m is None:
        return False
    return not (tones and tones[0] not in _STOPPED_TONES and _STOPPED_RE.search(m["rhyme"]))


# --------------------------------------------------------------------------------------
# Evidence
# --------------------------------------------------------------------------------------
# letters of ordinary Latin-script words (French, German, Spanish, Nordic…): a legacy word made
# only of these could, in principle, be a word of some language; anything else in a word could not
_LATIN_LETTERS = set(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿŒœŠšŽžŸ"
)
# the characters a word can hold: letters and the encoding's codes (assess only sees text
# made of Windows-1252 characters, so an explicit class covers them, and is fast)
_1252_LETTERS = "".join(ch for ch in _CP1252_CHARS if ch.isalpha())
_WORD_RE = {
    enc: re.compile("[" + re.escape("".join(sorted(set(_1252_LETTERS + chars)))) + "]+")
    for enc, chars in _ALPHABET.items()
}
_MAX_WORDS = 60  # words weighed per text: enough to decide, and long texts stay fast


@dataclass(frozen=True)
class Evidence:
    """What the words of a text (or a column) say for one legacy encoding.

    ``points``: weight of the words that read as Vietnamese only once converted (1 or 2 each);
    ``words_for`` their number; ``words_against``: words the encoding cannot have produced;
    ``ambiguous``: words that read as Vietnamese both as written and converted; ``strong``:
    words for that count 2 points.
    """

    points: int = 0
    words_for: int = 0
    words_against: int = 0
    ambiguous: int = 0
    strong: int = 0

    def __add__(self, other: Evidence) -> Evidence:
        return Evidence(
            self.points + other.points,
            self.words_for + other.words_for,
            self.words_against + other.words_against,
            self.ambiguous + other.ambiguous,
            self.strong + other.strong,
        )

    @property
    def certain(self) -> bool:
        enough = self.points >= 3 or (self.points >= 2 and self.words_for >= 2)
        return enough and self.words_against * 3 <= self.words_for

    @property
    def some(self) -> bool:
        return self.points > 0 and self.words_against <= self.words_for


Verdict = Literal["tcvn3", "vni", "utf8-as-cp1252", "uncertain"] | None


@dataclass(frozen=True)
class Assessment:
    """The verdict on a text or column, with the evidence behind it.

    ``verdict``: "tcvn3", "vni", "utf8-as-cp1252" (mojibake), "uncertain" (some evidence of a
    legacy encoding, not enough to convert), or None (nothing to convert).
    """

    verdict: Verdict
    tcvn3: Evidence = field(default_factory=Evidence)
    vni: Evidence = field(default_factory=Evidence)
    mojibake: int = 0  # texts (cells) that are UTF-8 read as Windows-1252


def _convert_word(word: str, enc: Encoding) -> str | None:
    """The word converted, or None when the encoding cannot have produced it."""
    alphabet = _ALPHABET[enc]
    for ch in word:
        if ch >= "\x80" and ch not in alphabet:
            return None  # a character this code never uses ("à" is no TCVN3 code)
    if enc == "tcvn3":
        return word.translate(_TCVN3_TRANS)
    if _UNPAIRED_RE.search(word):
        return None  # a mark with no letter before it to carry it
    return _vni_decode_part(word)


@functools.lru_cache(maxsize=200_000)
def _weigh(word: str, enc: Encoding) -> Evidence:
    converted = _convert_word(word, enc)
    if converted is None:
        return Evidence(words_against=1)
    if converted == word:
        return Evidence()
    if not is_syllable(converted):
        if converted.isupper() and not _VOWEL_RE.search(converted):
            return Evidence()  # an abbreviation ("H§ND" → "HĐND"): not a syllable either way
        return Evidence(words_against=1)
    if is_syllable(word):
        return Evidence(ambiguous=1)
    if len(word) == 1 and not word.isalpha():
        return Evidence()  # a lone sign ("«", "·") is punctuation as often as a letter
    odd = any(ch >= "\x80" and ch not in _LATIN_LETTERS for ch in word)
    vietnamese_only = bool(_OUTSIDE_1252.search(converted))
    strong = (odd or vietnamese_only) and len(word) > 1
    return Evidence(points=2 if strong else 1, words_for=1, strong=int(strong))


def _evidence(text: str, enc: Encoding, max_words: int = _MAX_WORDS) -> Evidence:
    points = words_for = against = ambiguous = strong = weighed = 0
    # a word averages under 12 characters: reading that far gives max_words words or fewer
    for word in _WORD_RE[enc].findall(text, 0, max_words * 12):
        if word.isascii():
            continue
        ev = _weigh(word, enc)
        points += ev.points
        words_for += ev.words_for
        against += ev.words_against
        ambiguous += ev.ambiguous
        strong += ev.strong
        weighed += 1
        if weighed >= max_words:
            break
    return Evidence(points, words_for, against, ambiguous, strong)


def _decide(tcvn3: Evidence, vni: Evidence) -> Verdict:
    if tcvn3.certain and not (vni.certain and vni.points >= tcvn3.points):
        return "tcvn3"
    if vni.certain and not tcvn3.certain:
        return "vni"
    if tcvn3.some or vni.some:
        return "uncertain"
    return None


@functools.lru_cache(maxsize=65_536)
def assess(text: str) -> Assessment:
    """The verdict on one text, with the evidence for TCVN3 and VNI (see the module doc)."""
    if not isinstance(text, str):
        raise TypeError(f"assess() expects a str, got {type(text).__name__}")
    if text.isascii() or _OUTSIDE_1252.search(text):
        return Assessment(None)
    if _fix_mojibake(text) is not None:
        return Assessment(MOJIBAKE, mojibake=1)
    tcvn3, vni = _evidence(text, "tcvn3"), _evidence(text, "vni")
    return Assessment(_decide(tcvn3, vni), tcvn3, vni)


def detect(text: str) -> Encoding | None:
    """"tcvn3" or "vni" when ``text`` is certainly in that encoding, else None.

    None also for text too short to tell ("NguyÔn"): :func:`assess` says "uncertain" there,
    and :func:`detect_column` decides it with the rest of its column.
    """
    verdict = assess(text).verdict
    return verdict if verdict in ENCODINGS else None  # type: ignore[return-value]


_MAX_COLUMN_TEXTS = 2_000  # distinct texts weighed per column: a verdict, and bounded time


def assess_column(values: Iterable[object]) -> Assessment:
    """The verdict on a column (or a row, a sheet): the evidence of its distinct texts pooled.

    Non-strings and ASCII text are skipped; at most 2.000 distinct texts are weighed.
    """
    tcvn3, vni, mojibake, seen = Evidence(), Evidence(), 0, set()
    for value in values:
        if not isinstance(value, str) or value.isascii() or value in seen:
            continue
        seen.add(value)
        a = assess(value)
        tcvn3, vni, mojibake = tcvn3 + a.tcvn3, vni + a.vni, mojibake + a.mojibake
        if len(seen) >= _MAX_COLUMN_TEXTS:
            break
    verdict = _decide(tcvn3, vni)
    if mojibake and verdict not in ENCODINGS:
        verdict = MOJIBAKE
    return Assessment(verdict, tcvn3, vni, mojibake)


def detect_column(values: Iterable[object]) -> str | None:
    """"tcvn3", "vni" or "utf8-as-cp1252" when the column's texts, pooled, say so; else None."""
    verdict = assess_column(values).verdict
    return verdict if verdict in (*ENCODINGS, MOJIBAKE) else None


# --------------------------------------------------------------------------------------
# Repair
# --------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=100_000)
def repair(text: str) -> tuple[str, str | None]:
    """(converted text, encoding found) — or (``text`` unchanged, None).

    Converts what is certainly TCVN3, VNI or UTF-8 read as Windows-1252 ("utf8-as-cp1252";
    repeated up to three times for text garbled twice); leaves everything else alone,
    uncertain text included (see :func:`looks_garbled`, :func:`repair_column`).
    """
    if not isinstance(text, str):
        raise TypeError(f"repair() expects a str, got {type(text).__name__}")
    if text.isascii():
        return text, None
    fixed = _fix_mojibake(text)
    if fixed is not None:
        for _ in range(2):
            again = _fix_mojibake(fixed)
            if again is None:
                break
            fixed = again
        return unicodedata.normalize("NFC", fixed), MOJIBAKE
    encoding = detect(text)
    if encoding is None:
        return text, None
    return to_unicode(text, encoding), encoding


@dataclass(frozen=True)
class ColumnRepair:
    """A column after :func:`repair_column`.

    ``values``: the column, converted cells replaced; ``encoding``: the column's verdict
    (as :func:`assess_column`); ``converted``: positions of the cells changed, with the
    encoding each was read in; ``garbled``: positions of cells left unchanged that
    :func:`looks_garbled` flags (refuse or report them).
    """

    values: list[object]
    encoding: Verdict
    converted: dict[int, str]
    garbled: list[int]


def repair_column(
    values: Iterable[object], *, encoding: str | None = None, upper: bool = False
) -> ColumnRepair:
    """Repair a column with the column's verdict, so that short, ambiguous cells follow it.

    In a TCVN3 or VNI column every text cell the encoding can have produced is converted
    ("Sè 5" as well as "NguyÔn Du"); Unicode cells in it (any letter outside Windows-1252) and
    cells with evidence against it stay as they are. Elsewhere each cell is repaired on its
    own (:func:`repair`). ``encoding``: the verdict when the caller knows it (the sheet's
    verdict, or the cells' font: :func:`encoding_of_font`); ``upper``: the column is in a
    TCVN3 capital font (.VnTimeH …), which shows every letter, ASCII ones too, as a capital.
    """
    values = list(values)
    if encoding is not None:
        verdict, pure = encoding, True  # the caller knows: every cell that can be is converted
    else:
        column = assess_column(values)
        verdict = column.verdict
        evidence = column.tcvn3 if verdict == "tcvn3" else column.vni
        pure = evidence.words_against * 20 <= evidence.words_for  # no mixed cells seen
    if verdict is not None and verdict not in (*ENCODINGS, MOJIBAKE, "uncertain"):
        raise ValueError(f"unknown encoding {verdict!r}: expected 'tcvn3', 'vni' or {MOJIBAKE!r}")
    done: dict[str, tuple[str, str | None, bool]] = {}  # per distinct text
    out: list[object] = []
    converted: dict[int, str] = {}
    garbled: list[int] = []
    capitals = upper and verdict == "tcvn3"  # a …H font shows every letter as a capital
    for i, value in enumerate(values):
        if not isinstance(value, str) or value.isascii():
            if capitals and isinstance(value, str) and value.upper() != value:
                converted[i] = "tcvn3"
                value = value.upper()
            out.append(value)
            continue
        result = done.get(value)
        if result is None:
            if (
                verdict not in ENCODINGS
                and _OUTSIDE_1252.search(value)
                and ((value.isprintable() and "\ufffd" not in value)
                     or not _CONTROL_RE.search(value))
            ):
                result = done[value] = (value, None, False)  # Unicode text: nothing to do
            else:
                if verdict in ENCODINGS:
                    new, enc = _repair_in(value, verdict, pure)  # type: ignore[arg-type]
                else:
                    new, enc = repair(value)
                if enc == "tcvn3" and capitals:
                    new = unicodedata.normalize("NFC", new.upper())
                result = done[value] = (new, enc, enc is None and looks_garbled(value))
        new, enc, bad = result
        if enc is not None and new != value:
            converted[i] = enc
        elif bad:
            garbled.append(i)
        out.append(new)
    return ColumnRepair(out, verdict, converted, garbled)


_CELL_WORDS = 12  # words weighed to tell whether a cell of a legacy column fits it


def _repair_in(text: str, verdict: Encoding, pure: bool) -> tuple[str, str | None]:
    """One cell of a column whose verdict is ``verdict``, repaired.

    ``pure``: the column showed (almost) no evidence against its encoding, so a cell that the
    encoding can have produced is converted without weighing its words (fast); otherwise its
    first words are weighed, and a cell with evidence against the encoding is left to
    :func:`repair` on its own.
    """
    if _UNLIKE[verdict].search(text):
        return repair(text)  # a Unicode cell, or a letter the encoding never writes
    data = _1252_bytes(text)
    try:
        data.decode("utf-8")
        return repair(text)  # non-ASCII and valid UTF-8: mojibake
    except UnicodeDecodeError:
        pass
    if not pure:
        ev = _evidence(text, verdict, _CELL_WORDS)
        if ev.words_against > ev.words_for:
            return repair(text)
    if verdict == "tcvn3":
        return _tcvn3_to_unicode(text, data), verdict  # NFC already: see _TCVN3_CHARMAP
    words = text.split(" ")
    out = _vni_decode_words(words)
    if _VNI_UNPAIRED and not _VNI_UNPAIRED.isdisjoint(words):
        return repair(text)  # a mark with no letter to carry it: not VNI
    return unicodedata.normalize("NFC", out), verdict


# what an encoding cannot have written: a character outside Windows-1252 (Unicode text), a
# Windows-1252 letter it has no use for (TCVN3: "à", "Á"…), or, in VNI, a mark with no letter
# before it to carry it
def _unlike(alphabet: str) -> str:
    unused = "".join(c for c in _1252_LETTERS if c not in alphabet and not c.isascii())
    return "[^" + re.escape(_CP1252_CHARS) + "]|[" + re.escape(unused) + "]"


_UNLIKE = {
    "tcvn3": re.compile(_unlike(_TCVN3_CHARS)),
    "vni": re.compile(_unlike(_VNI_CHARS)),  # and marks with no letter: see _repair_in
}


_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")


def looks_garbled(text: str) -> bool:
    """Whether ``text`` looks damaged and is not certainly TCVN3/VNI nor ordinary text.

    True for UTF-8 read as Windows-1252 (which :func:`repair` fixes), replacement characters
    and control characters, and for text with strong but insufficient signs of a legacy
    encoding ("Lª" alone). False for Unicode Vietnamese, ASCII, other ordinary text, and text
    that is certainly TCVN3 or VNI. Call :func:`repair` first; what it leaves and this flags
    should be reported, not accepted.
    """
    if not isinstance(text, str) or (text.isascii() and not _CONTROL_RE.search(text)):
        return False
    if _CONTROL_RE.search(text) or _fix_mojibake(text) is not None:
        return True
    a = assess(text)
    if a.verdict != "uncertain":
        return False
    return any(ev.strong and not ev.words_against for ev in (a.tcvn3, a.vni))


# --------------------------------------------------------------------------------------
# Fonts and bytes
# --------------------------------------------------------------------------------------
def encoding_of_font(font_name: str | None) -> Encoding | None:
    """The legacy encoding a font's name implies: ".VnTime" → "tcvn3", "VNI-Times" → "vni"."""
    name = (font_name or "").strip()
    if name.lower().startswith(".vn"):
        return "tcvn3"
    if name.upper().startswith("VNI-") or name.upper().startswith("VNI "):
        return "vni"
    return None


def is_capital_font(font_name: str | None) -> bool:
    """Whether a TCVN3 font shows every letter as a capital (.VnTimeH, .VnArialH …)."""
    name = (font_name or "").strip()
    return encoding_of_font(name) == "tcvn3" and name.endswith("H")


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Text from the bytes of a text file (CSV), and how it was read.

    Returns (text, how): how is "utf-8", "utf-16", "tcvn3", "vni" (8-bit legacy bytes,
    converted) or "cp1258" (Windows-1258, composed to NFC). The legacy verdict is taken on
    the whole text, so a file's short cells are settled by the rest of the file.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if len(data) >= 4 and data[1:2] == b"\x00" and data[3:4] == b"\x00":
        return data.decode("utf-16-le"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    as_1252 = data.decode("latin-1").translate(_LATIN1_TO_1252)
    verdict = assess_column(as_1252.split("\n")).verdict
    if verdict in ENCODINGS:
        return to_unicode(as_1252, verdict), verdict
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")), "cp1258"

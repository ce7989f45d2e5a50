"""The legacy Vietnamese code tables, both ways: TCVN3 (ABC) and VNI-Windows ↔ Unicode.

What a program hands over for a legacy text is the Windows-1252 characters of its bytes
("Hai Bµ Tr­ng", "Vieät Nam"); the functions here convert such text once its encoding is
known (:mod:`hbt_analysis.legacy` decides that) and write Unicode in a legacy encoding (for
tests and fixtures).

Tables: ``resources/legacy_tcvn3.tsv`` and ``resources/legacy_vni.tsv``, taken from UniKey's
VnConv tables (``unikey/data.cpp``, Pham Kim Long, GPL; as in fcitx/fcitx5-unikey: TCVN3 is
TCVN 5712:1993 code table VN3) and checked entry by entry against the independent tables of
duydev/vietnamese-conversion (``src/charsets.ts``): the 134 letters agree. The same tables
drive :func:`to_unicode` and its inverse :func:`from_unicode`.

TCVN3 has codes for lower-case letters and for Ă Â Ê Ô Ơ Ư Đ only: a capital with a tone is
typed with the lower-case code in a capital (…H) font, and .VnTime users type the small
letter where a capital belongs. :func:`to_unicode` writes such a letter as a capital at the
start of a sentence ("ñy ban" → "Ủy ban") and in a word whose other letters are capitals
("NGHÞ" → "NGHỊ"), and the whole text in capitals when it has no small letter beside such
words; ``upper=True`` (a text in a …H font) writes all of it in capitals, as the font shows it.
Elsewhere the case is lost ("Đề nghị ủy ban", for "Ủy ban"): the letter stays small.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from importlib import resources
from typing import Literal

__all__ = ["ENCODINGS", "MOJIBAKE", "Encoding", "from_unicode", "to_unicode"]

Encoding = Literal["tcvn3", "vni"]
ENCODINGS: tuple[Encoding, ...] = ("tcvn3", "vni")
MOJIBAKE = "utf8-as-cp1252"

# --------------------------------------------------------------------------------------
# Windows-1252, as Windows reads it: the five undefined bytes become U+0081 … U+009D
# --------------------------------------------------------------------------------------
_UNDEFINED_1252 = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_CP1252 = {
    b: (chr(b) if b in _UNDEFINED_1252 else bytes([b]).decode("cp1252")) for b in range(256)
}
_CP1252_BYTE = {ch: b for b, ch in _CP1252.items()}
_CP1252_CHARS = "".join(_CP1252.values())
_LATIN1_TO_1252 = str.maketrans({chr(b): _CP1252[b] for b in range(0x80, 0xA0)})
# a character no 8-bit text read as Windows-1252 can hold: a Unicode text, not legacy
_OUTSIDE_1252 = re.compile("[^" + re.escape(_CP1252_CHARS) + "]")


def _1252_bytes(text: str) -> bytes:
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        return bytes(_CP1252_BYTE[ch] for ch in text)  # U+0081 …; KeyError if outside


def _resource(name: str) -> str:
    return resources.files("hbt_analysis").joinpath("resources", name).read_text("utf-8")


def _read_table(name: str) -> dict[str, str]:
    """Unicode letter -> its legacy code as Windows-1252 characters, from a TSV resource."""
    table: dict[str, str] = {}
    lines = [ln for ln in _resource(name).split("\n") if ln and not ln.startswith("#")]
    for line in lines[1:]:  # lines[0] is the header
        letter, codes, _shown = line.split("\t")
        table[letter] = "".join(_CP1252[b] for b in bytes.fromhex(codes))
    return table


# --------------------------------------------------------------------------------------
# TCVN3: one byte a letter
# --------------------------------------------------------------------------------------
_TCVN3_ENCODE = _read_table("legacy_tcvn3.tsv")
_TCVN3_DECODE = {code: letter for letter, code in _TCVN3_ENCODE.items()}
_TCVN3_TRANS = str.maketrans(_TCVN3_DECODE)
_TCVN3_CHARS = "".join(_TCVN3_DECODE)
# codes of the seven capitals TCVN3 has (Ă Â Ê Ô Ơ Ư Đ): everything else is a lower-case code
_TCVN3_CAPITAL_CODES = "".join(c for c, letter in _TCVN3_DECODE.items() if letter.isupper())
_TCVN3_LOWER_CODES = "".join(c for c, letter in _TCVN3_DECODE.items() if letter.islower())

# --------------------------------------------------------------------------------------
# VNI-Windows: a base letter and a mark, or one byte
# --------------------------------------------------------------------------------------
_VNI_ENCODE = _read_table("legacy_vni.tsv")
_VNI_DECODE: dict[str, str] = {}
for _letter, _code in _VNI_ENCODE.items():
    if _code == _letter:  # Í í Ì ì are the same characters in VNI
        continue
    _VNI_DECODE[_code] = _letter
    if len(_code) == 2:  # a mark typed in the other case than its base ("Aù") reads the same
        _VNI_DECODE.setdefault(_code[0] + _code[1].swapcase(), _letter)
_VNI_MARKS = "".join(sorted({c[1] for c in _VNI_DECODE if len(c) == 2}))
_VNI_BASES = "".join(sorted({c[0] for c in _VNI_DECODE if len(c) == 2}))
_VNI_SINGLES = "".join(sorted(c for c in _VNI_DECODE if len(c) == 1))
_VNI_CHARS = "".join(sorted(set(_VNI_MARKS + _VNI_SINGLES + "ÍíÌì")))
# one pass, pairs first: "ôù" is ớ, and the "ò" that "oø" becomes must not be read again as ị
_VNI_RE = re.compile(
    "[" + re.escape(_VNI_BASES) + "][" + re.escape(_VNI_MARKS) + "]|["
    + re.escape(_VNI_SINGLES) + "]"
)


assert not set(_VNI_MARKS) & set(_VNI_SINGLES)


_VNI_SPLIT_RE = re.compile(f"({_VNI_RE.pattern})")


def _vni_decode_part(text: str) -> str:
    """The table applied as it reads: each pair, then each single code."""
    parts = _VNI_SPLIT_RE.split(text)  # codes at the odd places: faster than a sub callback
    get = _VNI_DECODE.get
    parts[1::2] = [get(code, code) for code in parts[1::2]]
    return "".join(parts)


_VNI_WORDS: dict[str, str] = {}  # word -> decoded: a column's texts share their words
_VNI_UNPAIRED: set[str] = set()  # words of those with a mark no letter carries
_UNPAIRED_RE = re.compile(
    f"[{re.escape(_VNI_MARKS)}](?<![{re.escape(_VNI_BASES)}][{re.escape(_VNI_MARKS)}])"
)


def _vni_decode(text: str) -> str:
    return _vni_decode_words(text.split(" "))


def _vni_decode_words(words: list[str]) -> str:
    # a code never spans a space, so a text decodes word by word, each distinct word once
    if len(_VNI_WORDS) > 200_000:
        _VNI_WORDS.clear()
        _VNI_UNPAIRED.clear()
    get = _VNI_WORDS.get
    return " ".join([get(word) or _vni_decode_new(word) for word in words])


def _vni_decode_new(word: str) -> str:
    decoded = _VNI_WORDS[word] = _vni_decode_part(word)
    if _UNPAIRED_RE.search(word):
        _VNI_UNPAIRED.add(word)
    return decoded


# --------------------------------------------------------------------------------------
# Conversion, and the case of TCVN3's toned capitals
# --------------------------------------------------------------------------------------
_TCVN3_WORD_CHARS = "A-Za-z" + re.escape(_TCVN3_CHARS)
_CAPS = "A-Z" + re.escape(_TCVN3_CAPITAL_CODES)
_CAPS_LOW = _CAPS + re.escape(_TCVN3_LOWER_CODES)
# a word of capitals that holds a lower-case code: typed in a capital (…H) font ("NGHÞ")
_CAPITAL_WORD_RE = re.compile(
    f"(?<![{_TCVN3_WORD_CHARS}])(?=[{_CAPS_LOW}]*[{re.escape(_TCVN3_LOWER_CODES)}])"
    f"[{_CAPS_LOW}]*[{_CAPS}][{_CAPS_LOW}]*[{_CAPS}][{_CAPS_LOW}]*(?![{_TCVN3_WORD_CHARS}])"
)
_TWO_CAPITALS_RE = re.compile(f"[{_CAPS}][{_CAPS_LOW}]*[{_CAPS}]")  # cheap test first
_ASCII_LOWER_RE = re.compile("[a-z]")
# a toned vowel's code at the start of a sentence: .VnTime has no capital for it, so the typist
# could not type one ("ñy ban" is "Ủy ban"); Ă Â Ê Ô Ơ Ư Đ have capitals and stay as typed
_OPENERS = "[\\s\"'“‘(\\[+*•–-]*"
_TONED_CODES = re.escape("".join(c for c in _TCVN3_LOWER_CODES if c not in "¨©ª«¬\xad®"))
_TEXT_START_RE = re.compile(f"{_OPENERS}([{_TONED_CODES}])")
_SENTENCE_START_RE = re.compile(f"[.!?…\\n]{_OPENERS}([{_TONED_CODES}])")
# TCVN3 as a charmap: decoding the Windows-1252 bytes of a text in C
_TCVN3_CHARMAP = "".join(_TCVN3_DECODE.get(_CP1252[b], _CP1252[b]) for b in range(256))
# every character of the map is NFC on its own, and none combines: its output needs no NFC
assert all(
    unicodedata.is_normalized("NFC", c) and not unicodedata.combining(c) for c in _TCVN3_CHARMAP
)


def _tcvn3_to_unicode(text: str, data: bytes | None = None) -> str:
    """TCVN3 to Unicode; ``data``: the text's Windows-1252 bytes when the caller has them."""
    if data is None:
        try:
            data = text.encode("cp1252")
        except UnicodeEncodeError:  # a character outside Windows-1252 (or U+0081 …)
            data = None
    # one character for one: positions stay the same
    if data is not None:
        out = codecs.charmap_decode(data, "strict", _TCVN3_CHARMAP)[0]
    else:
        out = text.translate(_TCVN3_TRANS)
    starts = [m.start(1) for m in _SENTENCE_START_RE.finditer(text)]
    first = _TEXT_START_RE.match(text)
    if first:
        starts.append(first.start(1))
    spans = (
        [m.span() for m in _CAPITAL_WORD_RE.finditer(text)]
        if _TWO_CAPITALS_RE.search(text) else []
    )
    if spans and not _ASCII_LOWER_RE.search(text):
        return out.upper()  # a text of capitals: its lone lower-case codes are capitals too
    if starts or spans:
        chars = list(out)
        for i in starts:
            chars[i] = chars[i].upper()
        for start, end in spans:
            chars[start:end] = out[start:end].upper()
        out = "".join(chars)
    return out


def to_unicode(text: str, encoding: str, *, upper: bool = False) -> str:
    """``text`` converted from ``encoding`` ("tcvn3", "vni" or "utf8-as-cp1252"), NFC.

    ``upper=True``: the text was typed in a TCVN3 capital font (.VnTimeH …), which shows
    every letter as a capital. Characters that are not codes of the encoding stay as they are.
    """
    if encoding == "tcvn3":
        out = _tcvn3_to_unicode(text)
    elif encoding == "vni":
        out = _vni_decode(text)
    elif encoding == MOJIBAKE:
        fixed = _fix_mojibake(text)
        out = text if fixed is None else fixed
    else:
        raise ValueError(f"unknown encoding {encoding!r}: expected 'tcvn3', 'vni' or {MOJIBAKE!r}")
    if upper:
        out = out.upper()
    return unicodedata.normalize("NFC", out)


def from_unicode(text: str, encoding: Encoding) -> str:
    """``text`` written in ``encoding``, as Windows-1252 characters (the inverse of to_unicode).

    TCVN3 writes a capital with a tone with its lower-case code, as a .VnTimeH user types it.
    Characters the encoding has no code for stay as they are.
    """
    table = _TCVN3_ENCODE if encoding == "tcvn3" else _VNI_ENCODE if encoding == "vni" else None
    if table is None:
        raise ValueError(f"unknown encoding {encoding!r}: expected 'tcvn3' or 'vni'")
    out = []
    for ch in unicodedata.normalize("NFC", text):
        code = table.get(ch)
        if code is None and encoding == "tcvn3" and ch.isupper():
            code = table.get(ch.lower())
        out.append(ch if code is None else code)
    return "".join(out)


# --------------------------------------------------------------------------------------
# UTF-8 read as Windows-1252
# --------------------------------------------------------------------------------------
def _fix_mojibake(text: str) -> str | None:
    """The text re-read as UTF-8 when it is UTF-8 read as Windows-1252, else None."""
    if text.isascii():
        return None
    try:
        fixed = _1252_bytes(text).decode("utf-8")
    except (KeyError, UnicodeDecodeError):
        return None  # not Windows-1252 characters, or not UTF-8 bytes
    return fixed if fixed != text else None

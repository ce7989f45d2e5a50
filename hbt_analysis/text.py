"""Vietnamese text normalisation, folding and word segmentation for opinions.

Why one normalisation: the same word reaches us spelt several ways (precomposed or
combining accents, "hoà" or "hòa", doubled spaces). Counting, searching and classifying
need one form, so every opinion passes through :func:`normalize` on the way in.

Tone-mark placement: we use the widespread ("classic") style in which, for the open
syllables *oa*, *oe* and *uy*, the tone sits on the first vowel: "hòa", "khỏe", "thủy".
The second-vowel style ("hoà", "khoẻ", "thuỷ") is rewritten to it. "qu" is a consonant,
so "quý" keeps its mark on the y. Only these three clusters differ between the two
styles, so the rewrite is a single regular expression (fast, and it never touches text
without Vietnamese tone marks).

Segmentation: :func:`segment` returns words with their syllables joined by "_"
("khu_dân_cư"), the convention of underthesea's ``format="text"`` and the one that
survives scikit-learn's default token pattern. It runs underthesea's segmentation
(``word_tokenize`` with ``use_token_normalize=False`` and the domain words of
``resources/fixed_words.txt``; through :mod:`hbt_analysis.wordseg`, same words, cheaper)
on our normalised text, written for that call in the second-vowel tone style its model
was trained on ("sức khoẻ" is one word to it, "sức khỏe" sometimes two), and maps the
words back; a domain word glued to a neighbour ("lấn_chiếm_vỉa_hè") is split off.
Results are cached in-process (LRU) and on disk (SQLite keyed by a hash of the text and
of the domain-word list) under ``$HBT_CACHE_DIR`` or ``~/.cache/hbt-analysis``; set
``HBT_NO_DISK_CACHE=1`` to keep the disk untouched.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import re
import sqlite3
import sys
import threading
import unicodedata
import warnings
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import pandas as pd
import pyarrow as pa
from pandas.api.types import pandas_dtype
from pandas.arrays import ArrowStringArray

__all__ = [
    "ABBREVIATIONS",
    "FIXED_WORDS",
    "STOPWORDS",
    "UNAMBIGUOUS_ABBREVIATIONS",
    "content_words",
    "expand_abbreviations",
    "fold",
    "fold_series",
    "forget_segmentations",
    "has_diacritics",
    "normalize",
    "normalize_series",
    "segment",
    "segment_many",
    "tone_and_nfc",
]

# --------------------------------------------------------------------------------------
# Tone marks
# --------------------------------------------------------------------------------------
_TONE_COMBINING = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # huyền sắc hỏi ngã nặng


def _toned(base: str) -> dict[str, str]:
    """Map each toned form of a base vowel to the combining tone mark it carries."""
    return {unicodedata.normalize("NFC", base + mark): mark for mark in _TONE_COMBINING}


_TONED_A = {**_toned("a"), **_toned("A")}
_TONED_E = {**_toned("e"), **_toned("E")}
_TONED_Y = {**_toned("y"), **_toned("Y")}


def _move_tone(first: str, toned_second: str, table: dict[str, str]) -> str:
    mark = table[toned_second]
    plain = unicodedata.normalize("NFD", toned_second)[0]
    return unicodedata.normalize("NFC", first + mark) + plain


def _build_tone_map() -> dict[str, str]:
    out: dict[str, str] = {}
    for first in "oO":
        for second, table in ((_TONED_A, _TONED_A), (_TONED_E, _TONED_E)):
            for ch in second:
                out[first + ch] = _move_tone(first, ch, table)
    for first in "uU":
        for ch in _TONED_Y:
            out[first + ch] = _move_tone(first, ch, _TONED_Y)
    return out


_TONE_MAP = _build_tone_map()
# o + toned a/e, or u + toned y, at the end of a syllable. The pattern starts with one
# character class ([oOuU]) and pairs the vowels with a look-behind: a leading class lets
# the regex engine skip ahead in C to the next o/u, whereas two alternatives each starting
# with a class ("[oO][àá..]|[uU][ỳý..]") are tried at every position (3 times slower).
# "qu" + y (a consonant + a vowel, "quý") is excluded by the replacement function, which
# looks at the letter before. A combining mark after the pair (a stacked, second tone:
# "oà\u0300") leaves it alone: moving the tone would let NFC compose the stray mark onto
# the bare vowel, and a second pass would then change the text again.
_TONE_RE = re.compile(
    "[oOuU](?:[" + "".join(_TONED_A) + "".join(_TONED_E) + "](?<=[oO].)|["
    + "".join(_TONED_Y) + "](?<=[uU].))(?![\\w\u0300-\u036f])"
)


def _fix_tones(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        start = m.start()
        if start and text[start - 1] in "qQ":
            return m.group(0)
        return _TONE_MAP[m.group(0)]

    return _TONE_RE.sub(repl, text)
# The inverse, used only to feed underthesea: its CRF was trained on text that mostly
# writes "khoẻ", "xoá", and it segments "sức khoẻ", "xoá bỏ" better in that style.
_MODEL_STYLE_MAP = {v: k for k, v in _TONE_MAP.items()}
_MODEL_STYLE_RE = re.compile(
    "(?<![qQ])(?:" + "|".join(re.escape(k) for k in _MODEL_STYLE_MAP) + ")(?!\\w)"
)


def _to_model_style(text: str) -> str:
    return _MODEL_STYLE_RE.sub(lambda m: _MODEL_STYLE_MAP[m.group(0)], text)


def _from_model_style(text: str) -> str:
    return _fix_tones(text)

# --------------------------------------------------------------------------------------
# Whitespace and punctuation
# --------------------------------------------------------------------------------------
_ZERO_WIDTH = ("\u200b", "\ufeff", "\u00ad")
_SPACES_RE = re.compile(r"\s+")
# cheap checks that tell whether the punctuation rules have anything to do
_SPACE_THEN_PUNCT = re.compile(r" [,.;:!?)\]}…]")  # starts with a literal: fast scan
# Everything the punctuation rules of _normalize_one react to, in one regex: a space
# before closing punctuation, a space after an opening bracket, doubled ",;!?", and "," or
# ";" glued to the next word. Every alternative starts with a literal character, so the
# engine jumps in C from one candidate character to the next.
_NEEDS_TIDY = re.compile(r" [,.;:!?)\]}…]|\( |\[ |\{ |,[,\w]|;[;\w]|!!|\?\?")
_SPACE_BEFORE_PUNCT_RE = re.compile(r" +(?=[,.;:!?)\]}…])")
_SPACE_AFTER_OPEN_RE = re.compile(r"(?<=[(\[{]) +")
_REPEATED_PUNCT_RE = re.compile(r"([,;!?])\1+")
_MISSING_SPACE_RE = re.compile(r"([,;])(?=[^\W\d_])")
_VIET_MARKED = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]",
    re.IGNORECASE,
)


def _normalize_one(text: str) -> str:
    # Written for speed (millions of opinions): each rule first checks cheaply whether it
    # has anything to do, since most opinions are already clean. A rule's check is true
    # whenever its substitution would change the text, so skipping it changes nothing.
    printable = text.isprintable()
    if not printable:  # zero-width characters are not printable, nor tabs and newlines
        for zw in _ZERO_WIDTH:
            if zw in text:
                text = text.replace(zw, "")
        printable = text.isprintable()
    if not unicodedata.is_normalized("NFC", text):  # after the zero-width characters go:
        text = unicodedata.normalize("NFC", text)  # "a\u200b\u0301" composes to "á"
    if not text.isascii() and _TONE_RE.search(text):
        text = _fix_tones(text)  # letters only: what is printable stays printable
    if not printable or "  " in text or text[:1] == " " or text[-1:] == " ":
        text = " ".join(text.split())  # any whitespace run -> one space, trimmed
    if _NEEDS_TIDY.search(text):  # most opinions stop here
        if _SPACE_THEN_PUNCT.search(text):
            text = _SPACE_BEFORE_PUNCT_RE.sub("", text)
        if "( " in text or "[ " in text or "{ " in text:
            text = _SPACE_AFTER_OPEN_RE.sub("", text)
        if ",," in text or ";;" in text or "!!" in text or "??" in text:
            text = _REPEATED_PUNCT_RE.sub(r"\1", text)
        if ("," in text or ";" in text) and _MISSING_SPACE_RE.search(text):
            text = _MISSING_SPACE_RE.sub(r"\1 ", text)
    return text


@functools.lru_cache(maxsize=200_000)
def normalize(text: str) -> str:
    """One spelling for one text: NFC, classic tone placement, tidy spaces and punctuation.

    Idempotent (``normalize(normalize(t)) == normalize(t)``). Digits, phone numbers
    ("0912.345.678"), times ("10:30") and decimals ("1,5") are left alone; a space is added
    after "," or ";" only when a letter follows. Non-strings (None, NaN) raise TypeError:
    use :func:`normalize_series` for columns with missing values.
    """
    if not isinstance(text, str):
        raise TypeError(
            f"normalize() cần một chuỗi văn bản / expects a str, got {type(text).__name__}"
        )
    return _normalize_one(text)


def _map_unique(s: pd.Series, func) -> pd.Series:
    """Apply ``func`` once per distinct non-missing value (opinions repeat a lot)."""
    values = s.tolist()
    table: dict[str, str] = {}
    out = []
    for v in values:
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            out.append(v)
            continue
        r = table.get(v)
        if r is None:
            r = table[v] = func(v if isinstance(v, str) else str(v))
        out.append(r)
    if isinstance(s.dtype, pd.StringDtype):
        return pd.Series(string_array(out, s.dtype), index=s.index, name=s.name)
    return pd.Series(out, index=s.index, name=s.name, dtype=s.dtype)


def string_array(values: list, dtype: object = "string") -> pd.api.extensions.ExtensionArray:
    """A pandas string array of `values` (None / NaN / NA missing) in `dtype`.

    For the pyarrow-backed string dtypes (pandas' defaults) the array is built by pyarrow
    directly: pandas' own conversion checks every element in Python and cost a tenth of
    normalising and classifying a million opinions. Same values, same dtype.
    """
    dtype = pandas_dtype(dtype)
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        try:
            arr = pa.array(values, type=pa.large_string(), from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all strings: the general path
            pass
        else:
            return ArrowStringArray(arr, dtype=dtype)
    return pd.array(values, dtype=dtype)


def tone_and_nfc(text: str) -> str:
    """Only the parts of :func:`normalize` that change letters (NFC and tone placement).

    The classifier's hot path uses it: whitespace and punctuation do not matter to phrase
    matching, so it skips that work.
    """
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if not text.isascii() and _TONE_RE.search(text):
        text = _fix_tones(text)
    return text


def normalize_series(s: pd.Series) -> pd.Series:
    """:func:`normalize` over a Series, computing each distinct value once; NA stays NA.

    A column of pyarrow strings (what the loaders make) is first scanned in C++ for
    anything normalising could change (:func:`_maybe_changed_pattern`); only the texts it
    flags go through Python, the others are kept as they are (most loaded opinions are
    already clean: the scan costs a fraction of the per-text checks).
    """
    dtype = s.dtype
    if (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"
            and len(s) >= _ARROW_SCAN_MIN):
        return _normalize_arrow(s)
    return _map_unique(s, _normalize_one)


#: Below this many rows the per-text path is used: building the scan's pattern (~40 ms,
#: once per process) costs more than it saves on a district's few thousand opinions.
_ARROW_SCAN_MIN = 10_000
#: Code points past this one (planes 3-16) hold no character normalising can change: CJK
#: ideographs, tags and variation selectors (combining class 0, NFC-stable) and unassigned
#: or private-use ones (tests/test_text_fastpath.py checks every code point).
_SCAN_LAST_CODE_POINT = 0x2FFFF


def _class_of(code_points: Iterable[int]) -> str:
    """An RE2 character class of `code_points`, as ranges."""
    points = sorted(set(code_points))
    ranges: list[tuple[int, int]] = []
    for cp in points:
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return "[" + "".join(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}"
                         for a, b in ranges) + "]"


@functools.cache
def _maybe_changed_pattern() -> str:
    """An RE2 pattern that matches every text :func:`_normalize_one` would change (and
    some it would not): built from this Python's Unicode database, rule by rule.

    - not NFC: a text is NFC when every character is NFC_QC=Yes with combining class 0;
      flagged: combining marks, characters NFC rewrites, characters that compose with
      the one before (second of a canonical pair; Hangul vowels and finals);
    - whitespace: any whitespace but a single inner space (``str.split``'s set), the
      zero-width characters removed;
    - tone placement: o/u followed by a toned a/e/y (the rule itself looks at more);
    - punctuation: the literal openings of ``_NEEDS_TIDY`` ("," or ";" before anything
      but ASCII whitespace stands for ",\\w" / ";\\w").
    """
    suspect: set[int] = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    for cp in range(_SCAN_LAST_CODE_POINT + 1):
        ch = chr(cp)
        if ((ch.isspace() and ch != " ") or unicodedata.combining(ch)
                or not unicodedata.is_normalized("NFC", ch)):
            suspect.add(cp)
        else:
            d = unicodedata.decomposition(ch)
            if d and not d.startswith("<") and len(d.split()) == 2:
                suspect.add(int(d.split()[1], 16))
    suspect.update(ord(z) for z in _ZERO_WIDTH)
    ae, y = "".join(_TONED_A) + "".join(_TONED_E), "".join(_TONED_Y)
    word = [cp for cp in range(0x3000) if re.match(r"[\w\u0300-\u036f]", chr(cp))]
    end = "(?:$|" + _class_of(word).replace("[", "[^", 1) + ")"
    return "|".join([
        _class_of(suspect),
        "^ ", " $", "  ",
        # o + toned a/e, u + toned y, not followed by a letter, digit, "_" or combining
        # mark (the class lists those of Python's \\w below U+3000 that RE2 may see
        # otherwise: a superset of the rule's matches)
        "[oO]" + _class_of(map(ord, ae)) + end, "[uU]" + _class_of(map(ord, y)) + end,
        r" [,.;:!?)\]}…]", r"\( ", r"\[ ", r"\{ ", r",\S", r";\S", "!!", r"\?\?",
    ])


def _normalize_arrow(s: pd.Series) -> pd.Series:
    import numpy as np
    import pyarrow.compute as pc

    arr = pa.array(s.array)  # the column's own Arrow data (no copy of the strings)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    flagged = pc.fill_null(pc.match_substring_regex(arr, _maybe_changed_pattern()), False)
    rows = np.flatnonzero(flagged.to_numpy(zero_copy_only=False))
    if len(rows):
        todo = pc.take(arr, pa.array(rows)).to_pylist()
        done: dict[str, str] = {}
        fixed = [done[t] if t in done else done.setdefault(t, _normalize_one(t))
                 for t in todo]
        arr = pc.replace_with_mask(arr, flagged, pa.array(fixed, type=arr.type))
    return pd.Series(ArrowStringArray(arr, dtype=s.dtype), index=s.index, name=s.name)


# --------------------------------------------------------------------------------------
# Folding (diacritic-insensitive search)
# --------------------------------------------------------------------------------------
_COMBINING_RE = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
# anything but ASCII and the common combining accents (all Vietnamese ones are there)
_NOT_ASCII_OR_ACCENT = re.compile("[^\x00-\x7f\u0300-\u036f]")


def fold(text: str) -> str:
    """Lower-case, no diacritics, đ -> d, single spaces: "Rác  thải" -> "rac thai".

    For search that ignores accents and tone placement; not for display. Letters of other
    scripts are kept (recomposed after the accents are stripped).
    """
    if not text.isascii():
        text = text.replace("đ", "d").replace("Đ", "D")
        decomposed = unicodedata.normalize("NFD", text)
        if not _NOT_ASCII_OR_ACCENT.search(decomposed):
            # Vietnamese in Latin letters (nearly always): ASCII letters plus combining
            # accents, which dropping every non-ASCII character removes (twice as fast)
            text = decomposed.encode("ascii", "ignore").decode("ascii")
        else:
            for zw in _ZERO_WIDTH:
                if zw in text:
                    text = text.replace(zw, "")
            text = _COMBINING_RE.sub("", unicodedata.normalize("NFD", text))
            if not text.isascii():
                text = unicodedata.normalize("NFC", text)
    return " ".join(text.lower().split())


def fold_series(s: pd.Series) -> pd.Series:
    """:func:`fold` over a Series (each distinct value once); NA stays NA."""
    return _map_unique(s, fold)


def has_diacritics(text: str) -> bool:
    """True if the text carries Vietnamese accents (then accent-exact matching is safe)."""
    return bool(_VIET_MARKED.search(text))


# --------------------------------------------------------------------------------------
# Abbreviations
# --------------------------------------------------------------------------------------
#: Abbreviations of local-government minutes and what they stand for (lower case).
ABBREVIATIONS: dict[str, str] = {
    "UBND": "ủy ban nhân dân",
    "HĐND": "hội đồng nhân dân",
    "HDND": "hội đồng nhân dân",
    "UBMTTQ": "ủy ban mặt trận tổ quốc",
    "MTTQVN": "mặt trận tổ quốc việt nam",
    "MTTQ": "mặt trận tổ quốc",
    "TDP": "tổ dân phố",
    "TDPVH": "tổ dân phố văn hóa",
    "KDC": "khu dân cư",
    "KTX": "khu tập thể",
    "ATGT": "an toàn giao thông",
    "ANTT": "an ninh trật tự",
    "ANTTXH": "an ninh trật tự xã hội",
    "TTATXH": "trật tự an toàn xã hội",
    "TTATGT": "trật tự an toàn giao thông",
    "TTĐT": "trật tự đô thị",
    "TTDT": "trật tự đô thị",
    "TTXD": "trật tự xây dựng",
    "PCCC": "phòng cháy chữa cháy",
    "PCCC&CNCH": "phòng cháy chữa cháy và cứu nạn cứu hộ",
    "CNCH": "cứu nạn cứu hộ",
    "VSMT": "vệ sinh môi trường",
    "BVMT": "bảo vệ môi trường",
    "VSATTP": "vệ sinh an toàn thực phẩm",
    "ATTP": "an toàn thực phẩm",
    "CSGT": "cảnh sát giao thông",
    "CAP": "công an phường",
    "CAQ": "công an quận",
    "BHYT": "bảo hiểm y tế",
    "BHXH": "bảo hiểm xã hội",
    "GPMB": "giải phóng mặt bằng",
    "GCN": "giấy chứng nhận",
    "QSDĐ": "quyền sử dụng đất",
    "QSDD": "quyền sử dụng đất",
    "GPXD": "giấy phép xây dựng",
    "NVH": "nhà văn hóa",
    "GĐVH": "gia đình văn hóa",
    "GDVH": "gia đình văn hóa",
    "NCC": "người có công",
    "NCT": "người cao tuổi",
    "CCB": "cựu chiến binh",
    "TTHC": "thủ tục hành chính",
    "CCHC": "cải cách hành chính",
    "DVC": "dịch vụ công",
    "CCCD": "căn cước công dân",
    "HTX": "hợp tác xã",
    "THCS": "trung học cơ sở",
    "THPT": "trung học phổ thông",
    "TYT": "trạm y tế",
    "HN": "hà nội",
    "TP": "thành phố",
    "BQL": "ban quản lý",
    "BĐD": "ban đại diện",
    "BCH": "ban chấp hành",
    "CB": "cán bộ",
    "ĐVHC": "đơn vị hành chính",
}
_ABBR_KEYS = sorted(ABBREVIATIONS, key=len, reverse=True)
_ABBR_RE = re.compile(
    r"(?<![\w&])(" + "|".join(re.escape(k) for k in _ABBR_KEYS) + r")(?![\w&])"
)
# Lower-case forms that are unambiguous in minutes typed without capitals.
_ABBR_LOWER_OK = {
    "ubnd", "hđnd", "hdnd", "mttq", "tdp", "atgt", "antt", "pccc", "vsmt", "bvmt", "csgt",
    "bhyt", "bhxh", "gpmb", "qsdđ", "qsdd", "tthc", "cchc", "cccd", "ttđt", "ttdt", "gđvh",
    "ubmttq", "vsattp",
}
#: Abbreviations safe to recognise in lower case too (not ordinary Vietnamese syllables).
UNAMBIGUOUS_ABBREVIATIONS: frozenset[str] = frozenset(
    k for k in ABBREVIATIONS if k.lower() in _ABBR_LOWER_OK
)
_ABBR_LOWER = {k.lower(): v for k, v in ABBREVIATIONS.items() if k.lower() in _ABBR_LOWER_OK}
_ABBR_LOWER_RE = re.compile(
    r"(?<![\w&])(" + "|".join(re.escape(k) for k in sorted(_ABBR_LOWER, key=len, reverse=True))
    + r")(?![\w&])"
)
_ABBR_PREFILTER = re.compile(r"[A-ZĐ]{2}|" + _ABBR_LOWER_RE.pattern)


def expand_abbreviations(text: str) -> str:
    """Spell out UBND, TDP, MTTQ, ATGT, ANTT, PCCC, VSMT, HĐND, ... (in lower case).

    Upper-case abbreviations are expanded whole-word; a short list of unambiguous ones is
    also expanded when typed in lower case ("pccc"). Used before phrase matching.
    """
    if not _ABBR_PREFILTER.search(text):
        return text
    text = _ABBR_RE.sub(lambda m: ABBREVIATIONS[m.group(1)], text)
    return _ABBR_LOWER_RE.sub(lambda m: _ABBR_LOWER[m.group(1)], text)


# --------------------------------------------------------------------------------------
# Resources: stopwords and domain words
# --------------------------------------------------------------------------------------
def _read_resource_lines(name: str) -> list[str]:
    raw = resources.files("hbt_analysis").joinpath("resources", name).read_text("utf-8")
    out = []
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(_normalize_one(line).lower())
    return out


def _load_stopwords() -> frozenset[str]:
    words = _read_resource_lines("stopwords_vi.txt")
    # both spellings: "đề nghị" (as written) and "đề_nghị" (as segment() returns it)
    return frozenset(words) | frozenset(w.replace(" ", "_") for w in words)


#: Vietnamese function words, in spaced ("đề nghị") and segmented ("đề_nghị") forms.
#: Deliberately keeps content words that matter in minutes: nước, nhà, rác, giờ, sáng.
STOPWORDS: frozenset[str] = _load_stopwords()
#: Domain words kept whole by segmentation (resources/fixed_words.txt).
FIXED_WORDS: tuple[str, ...] = tuple(dict.fromkeys(_read_resource_lines("fixed_words.txt")))

# --------------------------------------------------------------------------------------
# Segmentation
# --------------------------------------------------------------------------------------
_FIXED_SYLLABLES = sorted(
    (tuple(w.split()) for w in FIXED_WORDS if " " in w), key=len, reverse=True
)
_FIXED_SET = {tuple(w.split()) for w in FIXED_WORDS}
_MAX_FIXED = max((len(t) for t in _FIXED_SYLLABLES), default=1)


def _split_on_fixed(word: str) -> list[str]:
    """underthesea may glue a fixed word to a neighbour ("lấn_chiếm_vỉa_hè"): split it so
    each domain word stands alone and the rest stays together."""
    syl = word.split()
    if len(syl) < 3 or tuple(s.lower() for s in syl) in _FIXED_SET:
        return [word]
    low = [s.lower() for s in syl]
    out: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(syl):
        for n in range(min(_MAX_FIXED, len(syl) - i), 1, -1):
            if tuple(low[i : i + n]) in _FIXED_SET:
                if rest:
                    out.append(" ".join(rest))
                    rest = []
                out.append(" ".join(syl[i : i + n]))
                i += n
                break
        else:
            rest.append(syl[i])
            i += 1
    if rest:
        out.append(" ".join(rest))
    return out


_CACHE_VERSION = "2"  # bump when segmentation output changes


def _cache_key_salt() -> str:
    return hashlib.sha1(
        ("\n".join(FIXED_WORDS) + _CACHE_VERSION).encode("utf-8")
    ).hexdigest()[:12]


class _DiskCache:
    """A tiny SQLite store of segmentations keyed by a hash of the normalised text."""

    def __init__(self) -> None:
        self._conn: sqlite3.Connection | None = None
        self._failed = False
        self._lock = threading.Lock()
        self._salt = _cache_key_salt()

    @staticmethod
    def directory() -> Path:
        env = os.environ.get("HBT_CACHE_DIR")
        return Path(env) if env else Path.home() / ".cache" / "hbt-analysis"

    def _connect(self) -> sqlite3.Connection | None:
        if self._failed or os.environ.get("HBT_NO_DISK_CACHE"):
            return None
        if self._conn is None:
            try:
                d = self.directory()
                d.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(d / "segment.sqlite3", timeout=10, check_same_thread=False)
                conn.execute("CREATE TABLE IF NOT EXISTS seg (k TEXT PRIMARY KEY, v TEXT)")
                conn.commit()
                self._conn = conn
            except (OSError, sqlite3.Error) as exc:  # read-only home, locked file, ...
                warnings.warn(f"segment cache disabled: {exc}", RuntimeWarning, stacklevel=3)
                self._failed = True
                return None
        return self._conn

    def key(self, text: str) -> str:
        return hashlib.sha1((self._salt + text).encode("utf-8")).hexdigest()

    def get_many(self, texts: list[str]) -> dict[str, list[str]]:
        conn = self._connect()
        if conn is None or not texts:
            return {}
        keys = {self.key(t): t for t in texts}
        found: dict[str, list[str]] = {}
        with self._lock:
            ks = list(keys)
            for i in range(0, len(ks), 500):
                chunk = ks[i : i + 500]
                q = "SELECT k, v FROM seg WHERE k IN (" + ",".join("?" * len(chunk)) + ")"
                for k, v in conn.execute(q, chunk):
                    found[keys[k]] = v.split(" ") if v else []
        return found

    def put_many(self, items: dict[str, list[str]]) -> None:
        conn = self._connect()
        if conn is None or not items:
            return
        try:
            with self._lock, conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO seg (k, v) VALUES (?, ?)",
                    [(self.key(t), " ".join(v)) for t, v in items.items()],
                )
        except sqlite3.Error as exc:
            warnings.warn(f"segment cache not written: {exc}", RuntimeWarning, stacklevel=3)


_DISK = _DiskCache()
#: How many texts were actually passed to underthesea in this process (for tests/benchmarks).
SEGMENT_STATS = {"tokenized": 0}
#: The domain words as underthesea is given them (its tone style), computed once.
_MODEL_FIXED_WORDS = [_to_model_style(w) for w in FIXED_WORDS]


def _words_of(model_words: list[str]) -> tuple[str, ...]:
    out: list[str] = []
    for w in model_words:
        parts = _WORD_PARTS.get(w)
        if parts is None:
            if len(_WORD_PARTS) > _MEMO_MAX:
                _WORD_PARTS.clear()
            parts = _WORD_PARTS[w] = tuple(
                sys.intern(part.replace(" ", "_"))
                for part in _split_on_fixed(_from_model_style(w)))
        out.extend(parts)
    return tuple(out)


#: A word as underthesea returns it -> our words (tone style back, domain words split off):
#: words repeat, so each distinct one is mapped once.
_WORD_PARTS: dict[str, tuple[str, ...]] = {}


def _tokenize_many(norms: list[str]) -> list[tuple[str, ...]]:
    """underthesea's segmentation of normalised texts (wordseg: word_tokenize's output,
    faster), in its tone style and back, domain words split off."""
    from hbt_analysis.wordseg import tokenize_many  # lazy: underthesea takes ~0.5 s

    SEGMENT_STATS["tokenized"] += len(norms)
    model = tokenize_many([_to_model_style(n) for n in norms], _MODEL_FIXED_WORDS)
    return [_words_of(words) for words in model]


def _tokenize(norm: str) -> tuple[str, ...]:
    return _tokenize_many([norm])[0]


#: Segmentations of this process, normalised text -> words: one table that segment(),
#: segment_many() and every analysis sharing them read, so a year's texts are segmented
#: once per process whichever function asks first (words are interned: a year of city
#: opinions holds a few thousand distinct ones). Oldest entries go past _MEMO_MAX.
_MEMO: dict[str, tuple[str, ...]] = {}
_MEMO_MAX = 400_000


def _remember(items: dict[str, tuple[str, ...]]) -> None:
    if len(_MEMO) + len(items) > _MEMO_MAX:
        for key in list(itertools.islice(_MEMO, len(_MEMO) + len(items) - _MEMO_MAX)):
            del _MEMO[key]
    _MEMO.update(items)


def _segment_norms(norms: list[str]) -> dict[str, tuple[str, ...]]:
    """The words of each distinct normalised text: memory, then the disk cache (one
    query), then underthesea for the rest (written back to both)."""
    table: dict[str, tuple[str, ...]] = {}
    todo = []
    for n in dict.fromkeys(norms):
        hit = _MEMO.get(n)
        if hit is not None:
            table[n] = hit
        elif n:
            todo.append(n)
    if todo:
        found = {n: tuple(sys.intern(w) for w in v) for n, v in _DISK.get_many(todo).items()}
        missing = [n for n in todo if n not in found]
        new = dict(zip(missing, _tokenize_many(missing), strict=True))
        _DISK.put_many({n: list(v) for n, v in new.items()})
        table.update(found)
        table.update(new)
        _remember({**found, **new})
    return table


def forget_segmentations() -> None:
    """Empty this process's table of segmentations (the disk cache stays): the next
    segment() reads the disk or segments afresh."""
    _MEMO.clear()


def segment(text: str) -> list[str]:
    """Vietnamese words of ``text`` (normalised first), syllables joined by "_".

    "Xử lý lấn chiếm vỉa hè" -> ["Xử_lý", "lấn_chiếm", "vỉa_hè"]. Case is kept; domain
    words from resources/fixed_words.txt always come out whole and alone. Cached in
    memory and on disk, so a re-run does not segment the same text again.
    """
    norm = _normalize_one(text)
    if not norm:
        return []
    return list(_segment_norms([norm])[norm])


def segment_many(texts: Iterable[str]) -> list[list[str]]:
    """:func:`segment` for many texts: each distinct text once, the disk cache read and
    written in one go."""
    norms = [_normalize_one(t) if isinstance(t, str) else "" for t in texts]
    table = _segment_norms(norms)
    return [list(table[n]) if n else [] for n in norms]


def _is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def content_words(text: str) -> list[str]:
    """Segmented, lower-cased words without stopwords, punctuation or bare numbers."""
    out = []
    for tok in segment(text):
        low = tok.lower()
        if low in STOPWORDS or not _is_word(low) or low.replace("_", "").isdigit():
            continue
        out.append(low)
    return out

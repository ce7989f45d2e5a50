"""The word lists redaction relies on, read once from `resources/names/`, and the text forms
they are matched in.

Every list is matched in a *folded* form (lower case, no diacritics, đ -> d) so that
"NGUYỄN", "Nguyen" and "nguyễn" are one surname. Folding keeps the length of the text (one
character in, one out), so a span found in the folded text is the same span in the text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources

#: Characters that separate words like a space does (no-break, thin, figure spaces, tabs).
_SPACES = "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u3000\t\r\f\v"
#: Characters with no width that typists and copy-paste leave inside words and numbers.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    low = base.lower()
    return low if len(low) == 1 else ch


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x41, 0x2000):  # Latin letters and their accented forms
        ch = chr(code)
        if ch.isalpha():
            folded = _fold_char(ch)
            if folded != ch:
                table[code] = folded
    for ch in _SPACES:
        table[ord(ch)] = " "
    return table


_FOLD = _fold_table()
_SPACE_TABLE = {ord(ch): " " for ch in _SPACES}


def fold(text: str) -> str:
    """Lower case without diacritics, same length: "Nguyễn Văn  An" -> "nguyen van  an"."""
    return text.translate(_FOLD)


def unify_spaces(text: str) -> str:
    """Every kind of space as a plain one, same length (no-break spaces inside numbers)."""
    return text.translate(_SPACE_TABLE)


def _lines(name: str) -> list[str]:
    path = resources.files("hbt_analysis") / "resources" / "names" / name
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(unicodedata.normalize("NFC", line))
    return out


def _key(words: str) -> str:
    return " ".join(fold(words).split())


@cache
def surnames() -> frozenset[str]:
    """Folded surnames, compound ones as "ton nu"."""
    return frozenset(_key(w) for w in _lines("surnames.txt"))


@cache
def compound_surname_firsts() -> frozenset[str]:
    return frozenset(s.split()[0] for s in surnames() if " " in s)


@cache
def given_names() -> frozenset[str]:
    return frozenset(_key(w) for w in _lines("given_names.txt"))


@cache
def middle_names() -> frozenset[str]:
    return frozenset(_key(w) for w in _lines("middle_names.txt"))


#: The sexagenary cycle names years ("Tết Giáp Thìn"): stems and branches, some of them
#: surnames and given names.
_STEMS = ("Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý")
_BRANCHES = ("Tý", "Sửu", "Dần", "Mão", "Mẹo", "Thìn", "Tỵ", "Tị", "Ngọ", "Mùi", "Thân", "Dậu",
             "Tuất", "Hợi")


@cache
def name_words_exact() -> frozenset[str]:
    """Words of surnames, middle and given names in lower case with their diacritics
    ("phú" is a name, "phụ" is not)."""
    words = set()
    for name in ("surnames.txt", "given_names.txt", "middle_names.txt"):
        for line in _lines(name):
            words.update(lower(line).split())
    return frozenset(words)


@cache
def places() -> frozenset[str]:
    """Folded place names that look like people's names ("le dai hanh", "thanh nhan"), and
    the names of years ("giap thin")."""
    years = {_key(f"{s} {b}") for s in _STEMS for b in _BRANCHES}
    return frozenset({_key(w) for w in _lines("places.txt")} | years)


@cache
def banks() -> frozenset[str]:
    """Folded bank and e-wallet names ("vietcombank", "mb bank")."""
    return frozenset(_key(w) for w in _lines("banks.txt"))


@cache
def figures() -> dict[str, tuple[str, ...]]:
    """Folded figure names -> context words (empty: always a figure)."""
    out: dict[str, tuple[str, ...]] = {}
    for line in _lines("figures.txt"):
        name, _, context = line.partition("|")
        out[_key(name)] = tuple(_key(c) for c in context.split(",") if c.strip())
    return out


@cache
def triggers(folded: bool = True) -> dict[str, frozenset[str]]:
    """Sections of triggers.txt: honorific, plural, title, label, compound.

    folded=True: "ong", "cau" (for text typed without diacritics); False: lower case with
    diacritics, so "cầu" (a bridge) is not "cậu" (an uncle) and "Cồ" is not "cô".
    """
    sections: dict[str, set[str]] = {}
    current = ""
    for line in _lines("triggers.txt"):
        m = re.fullmatch(r"\[(\w+)\]", line)
        if m:
            current = m.group(1)
            sections.setdefault(current, set())
        else:
            sections[current].add(_key(line) if folded else " ".join(lower(line).split()))
    return {k: frozenset(v) for k, v in sections.items()}


_LOWER = {code: chr(code).lower() for code in range(0x41, 0x2000)
          if chr(code).isupper() and len(chr(code).lower()) == 1}


def lower(text: str) -> str:
    """Lower case, same length (diacritics kept)."""
    return text.translate(_LOWER)


def max_words(phrases: frozenset[str]) -> int:
    return max((p.count(" ") + 1 for p in phrases), default=1)

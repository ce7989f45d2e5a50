"""Counts written in words, as some secretaries write them: "một trăm linh năm hộ" -> 105.

Only a run of number words directly followed by what it counts (hộ, đại biểu, người) is
read: "năm" is also "year" and "một số hộ" is "some households", so a number word with no
unit after it stays a word. Words that do not form a well-made number ("hai ba trăm") are
left alone rather than guessed.
"""

from __future__ import annotations

import re

_DIGITS = {
    "không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
    "nhăm": 5, "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9,
}
_WORDS = sorted([*_DIGITS, "mười", "mươi", "trăm", "nghìn", "ngàn", "linh", "lẻ"],
                key=len, reverse=True)
_WORD = "(?:" + "|".join(_WORDS) + ")"
#: A run of number words and the unit after it (the text is NFC, compared lower-cased).
_RUN = re.compile(rf"(?<![\w])({_WORD}(?:\s+{_WORD})*)(?=\s+(?:hộ|đại\s+biểu|người)\b)",
                  re.IGNORECASE)


def parse(words: str) -> int | None:
    """The value of a run of Vietnamese number words, or None when it is not a number."""
    tokens = words.lower().split()
    if not tokens:
        return None
    parts = _split(tokens, ("nghìn", "ngàn"))
    if len(parts) > 2:
        return None
    if len(parts) == 2:
        thousands, rest = parts
        high = _below_thousand(thousands)
        low = _below_thousand(rest) if rest else 0
        if high is None or low is None or high == 0:
            return None
        return high * 1000 + low
    return _below_thousand(parts[0])


def _split(tokens: list[str], seps: tuple[str, ...]) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for t in tokens:
        if t in seps:
            out.append([])
        else:
            out[-1].append(t)
    return out


def _below_thousand(tokens: list[str]) -> int | None:
    if not tokens:
        return None
    hundreds = 0
    if "trăm" in tokens:
        i = tokens.index("trăm")
        if i != 1 or tokens[0] not in _DIGITS or tokens[0] in ("mốt", "lăm", "nhăm", "tư"):
            return None
        hundreds = _DIGITS[tokens[0]] * 100
        tokens = tokens[2:]
        if not tokens:
            return hundreds
        if tokens[0] in ("linh", "lẻ"):
            if len(tokens) != 2 or tokens[1] not in _DIGITS or tokens[1] in ("mốt", "lăm"):
                return None
            return hundreds + _DIGITS[tokens[1]]
        if len(tokens) == 1 and tokens[0] != "mười":
            return None  # "một trăm năm": 150 as spoken, 105 as a misspelling: not read
    rest = _below_hundred(tokens)
    return None if rest is None else hundreds + rest


def _below_hundred(tokens: list[str]) -> int | None:
    if len(tokens) == 1:
        t = tokens[0]
        if t == "mười":
            return 10
        return _DIGITS[t] if t in _DIGITS and t not in ("mốt", "lăm", "nhăm", "tư") else None
    if tokens[0] == "mười":
        if len(tokens) == 2 and tokens[1] in _DIGITS and tokens[1] not in ("mốt", "không", "tư"):
            return 10 + _DIGITS[tokens[1]]
        return None
    if len(tokens) >= 2 and tokens[1] == "mươi" and tokens[0] in _DIGITS and \
            _DIGITS[tokens[0]] >= 2 and tokens[0] not in ("mốt", "lăm", "nhăm"):
        tens = _DIGITS[tokens[0]] * 10
        if len(tokens) == 2:
            return tens
        if len(tokens) == 3 and tokens[2] in _DIGITS and tokens[2] != "không":
            return tens + _DIGITS[tokens[2]]
    return None


#: Words, then the same count in digits in brackets: "một trăm năm mươi (150) hộ".
_RUN_DIGITS = re.compile(rf"(?<![\w])({_WORD}(?:\s+{_WORD})*)\s*\(\s*(\d{{1,3}}(?:\.\d{{3}})*|\d+)"
                         r"\s*\)", re.IGNORECASE)


def spell_out(text: str) -> str:
    """The text with each count written in words replaced by its digits.

    Words followed by the digits in brackets become the digits when both say the same;
    when they differ, both are left as written (and so neither is read as a count).
    """
    def with_digits(m: re.Match) -> str:
        value = parse(m.group(1))
        return m.group(2) if value == int(m.group(2).replace(".", "")) else m.group(0)

    def repl(m: re.Match) -> str:
        value = parse(m.group(1))
        return m.group(0) if value is None else str(value)

    return _RUN.sub(repl, _RUN_DIGITS.sub(with_digits, text))

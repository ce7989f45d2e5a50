"""Numbers and dates written the way Vietnamese reports write them (35.323; 68,6%; 28/02/2023).

Every sentence, table and chart label goes through these helpers, so the
Vietnamese/English choice lives in one place.
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Literal

import pandas as pd

Lang = Literal["vi", "en"]
MISSING = "—"


def _is_missing(x: object) -> bool:
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _separators(lang: Lang) -> tuple[str, str]:
    """(thousands, decimal) separators for a language."""
    return (".", ",") if lang == "vi" else (",", ".")


def fmt_num(x: float | int | None, digits: int = 0, lang: Lang = "vi") -> str:
    """A number with grouped thousands: 35323 -> '35.323', 68.56 (digits=1) -> '68,6'."""
    if _is_missing(x):
        return MISSING
    x = float(x)
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    x = round(x, digits) + 0.0  # "-0,0" reads as a fall: a rounded zero has no sign
    text = f"{x:,.{digits}f}"  # English form first: 35,323.5
    thousands, decimal = _separators(lang)
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def fmt_int(x: float | int | None, lang: Lang = "vi") -> str:
    """An integer count: 35323 -> '35.323' (vi) or '35,323' (en)."""
    return fmt_num(x, 0, lang)


def fmt_pct(fraction: float | None, digits: int = 1, lang: Lang = "vi") -> str:
    """A share given as a fraction: 0.6862 -> '68,6%'."""
    if _is_missing(fraction):
        return MISSING
    return fmt_num(100 * float(fraction), digits, lang) + "%"


def fmt_pp(points: float | None, digits: int = 1, lang: Lang = "vi") -> str:
    """A signed change in percentage points: 0.012 -> '+1,2 điểm %'."""
    if _is_missing(points):
        return MISSING
    value = round(100 * float(points), digits) + 0.0
    sign = "+" if value > 0 else ""
    unit = " điểm %" if lang == "vi" else " pp"
    return sign + fmt_num(value, digits, lang) + unit


def fmt_signed(x: float | int | None, digits: int = 0, lang: Lang = "vi") -> str:
    """A signed change: -379 -> '-379', 1200 -> '+1.200'."""
    if _is_missing(x):
        return MISSING
    x = round(float(x), digits) + 0.0
    sign = "+" if x > 0 else ""
    return sign + fmt_num(x, digits, lang)


_CHANGE_WORDS = {"vi": ("tăng", "giảm", "không đổi"), "en": ("up", "down", "unchanged")}


def fmt_change(x: float | int | None, digits: int = 0, lang: Lang = "vi",
               unit: str = "") -> str:
    """A change in words for a leader's sentence: -74 -> 'giảm 74', 1116 -> 'tăng 1.116',
    0 -> 'không đổi' ('down 74', 'up 1,116', 'unchanged'); a sign before a number reads as
    a typo or a hyphen on a phone. The analyst's tables keep `fmt_signed`."""
    if _is_missing(x):
        return MISSING
    x = round(float(x), digits) + 0.0
    up, down, same = _CHANGE_WORDS[lang]
    if x == 0:
        return same
    return f"{up if x > 0 else down} {fmt_num(abs(x), digits, lang)}{unit}"


def fmt_pp_change(points: float | None, digits: int = 1, lang: Lang = "vi") -> str:
    """A change in percentage points in words: -0.035 -> 'giảm 3,5 điểm %' ('down 3.5 pp')."""
    if _is_missing(points):
        return MISSING
    unit = " điểm %" if lang == "vi" else " pp"
    return fmt_change(100 * float(points), digits, lang, unit)


def fmt_date(d: _dt.date | pd.Timestamp | str | None, lang: Lang = "vi") -> str:
    """A date as dd/mm/yyyy (both languages: the reports' readers expect it)."""
    if _is_missing(d):
        return MISSING
    return pd.Timestamp(d).strftime("%d/%m/%Y")

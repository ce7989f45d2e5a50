"""The date of a set of minutes, as a careful clerk reads it.

A line gives the meeting's own date ("Hồi 19h30 ngày 8/1/2023", "Hôm nay, ngày …"), the day
the minutes were signed ("Hà Nội, ngày …"), or some other date (a report's, a period "từ
ngày … đến ngày …"); the reader prefers the meeting's. Dates are written as "ngày 8 tháng 1
năm 2023", 08/01/2023, 8-1-23, 08.01.2023 or 2023-01-08; a lunar-calendar date ("tức ngày
17/12 âm lịch", "năm Nhâm Dần") is never the meeting's.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from hbt_analysis.text import fold

_DATE_WORDS = re.compile(
    r"(?:ngay\s*(?:mong\s*|mung\s*)?|(?<![\d/.\-])(?=\d{1,2}\s*thang\s*\d{1,2}\s*nam\s*\d{4}))"
    r"(\d{1,2})\s*(?:thang|/|-|\.)\s*(\d{1,2})\s*(?:nam|/|-|\.)\s*(\d{4})")
_DATE_NUM = re.compile(
    r"(?<![\d/.\-])(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?![\d/])")
_DATE_ISO = re.compile(r"(?<![\d/.\-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d/])")
_HELD_CUES = re.compile(
    r"\b(?:vao\s+(?:hoi|luc|ngay)|hoi\s+\d|luc\s+\d|thoi\s+gian|hom\s+nay|to\s+chuc|"
    r"tien\s+hanh|dien\s+ra|khai\s+mac|hop\s+vao|\d{1,2}\s*(?:h|gio)\s*\d{0,2}|"
    r"(?:toi|sang|chieu|trua)\s+(?:thu\s+\w+\s+|chu\s+nhat\s+)?(?:ngay\s+)?\d|"
    r"thu\s+(?:hai|ba|tu|nam|sau|bay)\b|chu\s+nhat)")
_PLACE_DATE = re.compile(r"^[\W\d]*[a-z][a-z .]{1,30},\s*ngay\s*\d")
_RANGE = re.compile(r"\btu\s+ngay\b.*\bden\s+ngay\b")


@dataclass(frozen=True)
class DateCandidate:
    date: dt.date
    kind: str  # "held" (the meeting's own time), "place" ("Hà Nội, ngày …"), "other"
    line: int


_LUNAR_BEFORE = re.compile(
    r"(?:\btuc(?:\s+la)?|\bnham|am\s+lich|\bal\)?\s*:?)\s*(?:ngay\s*)?$")
#: What says a date is of the lunar calendar: "âm lịch", "ÂL", "tháng Chạp", "năm Nhâm Dần".
_LUNAR_MARK = re.compile(
    r"am\s+lich|\bal\b|thang\s+(?:gieng|chap)|\bnam\s+(?:giap|at|binh|dinh|mau|ky|canh|tan|"
    r"nham|quy)\s+(?:ty|suu|dan|mao|thin|ngo|mui|than|dau|tuat|hoi)\b")
_LUNAR_AFTER = re.compile(r"^\W{0,3}(?:am\s+lich|al)\b(?!\s*[:\-]?\s*(?:ngay\s*)?\d)")


def dates_in(text: str) -> list[dt.date]:
    """Every real date written in a line (see `_dates_at`)."""
    return [d for _, d in _dates_at(text)]


def _dates_at(text: str) -> list[tuple[int, dt.date]]:
    """Every real date written in a line: 'ngày 8 tháng 1 năm 2023', 08/01/2023, 8-1-23.

    A date of the lunar calendar ("tức ngày 17/12/2022 âm lịch", "(ÂL)") is not the
    meeting's date and is left out.
    """
    folded = fold(text)
    found: list[tuple[int, dt.date]] = []
    lunar: list[tuple[int, int]] = []
    matches = sorted([(m, (3, 2, 1), 4) for m in _DATE_WORDS.finditer(folded)]
                     + [(m, (4, 3, 1), 0) for m in _DATE_NUM.finditer(folded)]
                     + [(m, (1, 2, 3), 0) for m in _DATE_ISO.finditer(folded)],
                     key=lambda x: x[0].start())
    for m, order, into in matches:
        if any(s <= m.start() < e for s, e in lunar):
            continue
        before = folded[max(0, m.start() - 14):m.start() + into]
        if _LUNAR_AFTER.match(folded[m.end():m.end() + 12]):
            lunar.append((m.start(), m.end()))
            continue
        if _LUNAR_BEFORE.search(before) and not (
                re.search(r"\btuc(?:\s+la)?\s*(?:ngay\s*)?$", before)
                and _LUNAR_MARK.search(folded[:m.start()])):
            lunar.append((m.start(), m.end()))  # ("tức ngày …" after a lunar date: solar)
            continue
        d = _make_date(*(m.group(g) for g in order))
        if d and not any(abs(pos - m.start()) < 12 and fd == d for pos, fd in found):
            found.append((m.start(), d))
    return sorted(found, key=lambda x: x[0])


def _make_date(year: str, month: str, day: str) -> dt.date | None:
    y = int(year)
    if y < 100:
        y += 2000
    try:
        d = dt.date(y, int(month), int(day))
    except ValueError:
        return None
    return d if 2000 <= d.year <= 2100 else None


_BASIS = re.compile(
    r"(?:\bcan\s+cu|\bke\s+hoach|\bcong\s+van|\bquyet\s+dinh|\bhuong\s+dan|\bthong\s+bao|"
    r"\bchi\s+thi|\bnghi\s+quyet|\bso\s*:?\s*\d+\s*/|/\s*(?:kh|cv|qd|tb|hd|bc|ct|nq)\b)"
    r"[^,;()]*$")


def date_candidates(lines: list[str]) -> list[DateCandidate]:
    out = []
    for i, line in enumerate(lines):
        folded = fold(line)
        found = _dates_at(line)
        if not found:
            continue
        if _RANGE.search(folded):
            kind = "other"
        elif (_PLACE_DATE.match(folded) and not re.match(r"\W*hom\s+nay\b", folded)) or (
                folded.startswith("ngay") and len(folded) < 40):
            kind = "place"
        elif _HELD_CUES.search(folded):
            kind = "held"
        else:
            kind = "other"
        for pos, d in found:
            # "Thực hiện Kế hoạch số 12/KH-MTTQ ngày 20/12/2022 …": another paper's date
            basis = bool(_BASIS.search(folded[max(0, pos - 60):pos]))
            out.append(DateCandidate(d, "basis" if basis else kind, i))
    if not any(c.kind == "held" for c in out):
        out += _held_without_year(lines, out)
    return out


_DAY_MONTH = re.compile(r"ngay\s*(?:mong\s*|mung\s*)?(\d{1,2})\s*(?:thang\s*|/|-|\.)\s*"
                        r"(\d{1,2})(?!\d)(?!\s*(?:nam|/|-|\.)\s*\d)(?!\s*nam\s+[a-z])")
# (a year in words, "năm Nhâm Dần", is the lunar calendar's)


def _held_without_year(lines: list[str], dated: list[DateCandidate]) -> list[DateCandidate]:
    """"Hồi 19h30 ngày 8/1" with no year: the year of the date the minutes were signed,
    when that makes the meeting fall within the 60 days before it (else nothing)."""
    references = [c.date for c in dated if c.kind == "place"]
    if not references:
        return []
    signed = references[0]
    for i, day, month in held_days_without_year(lines):
        fits = [d for y in (signed.year, signed.year - 1)
                if (d := _make_date(str(y), str(month), str(day)))
                and 0 <= (signed - d).days <= 60]
        if len(fits) == 1:
            return [DateCandidate(fits[0], "held", i)]
    return []


def held_days_without_year(lines: list[str]) -> list[tuple[int, int, int]]:
    """(line, day, month) of each meeting day written without its year."""
    out = []
    for i, line in enumerate(lines):
        folded = fold(line)
        if not _HELD_CUES.search(folded) or _RANGE.search(folded):
            continue
        for m in _DAY_MONTH.finditer(folded):
            if _LUNAR_AFTER.match(folded[m.end():m.end() + 12]) or _LUNAR_BEFORE.search(
                    folded[max(0, m.start() - 14):m.start() + 4]):
                continue
            out.append((i, int(m.group(1)), int(m.group(2))))
    return out


def pick_date(candidates: list[DateCandidate], prefer: tuple[str, ...]) -> DateCandidate | None:
    """The first candidate of the most preferred kind present."""
    for kind in prefer:
        for c in candidates:
            if c.kind == kind:
                return c
    return None

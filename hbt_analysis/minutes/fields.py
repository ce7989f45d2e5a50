"""The attendance in a set of minutes: households invited and attended, the printed rate.

Read as a careful clerk reads them: a number is what the words next to it say it is ("hộ
được mời: 196", "có mặt 101/146 hộ", a table row "Số hộ có mặt | 80"), the nearest words
deciding; a number near "vắng", "khách mời", "trong tổ" or "Gia đình văn hóa" is something
else. Nothing is inferred from other figures: a count that is not written stays missing.
(The date is read by `dates`.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hbt_analysis.minutes import numwords
from hbt_analysis.text import fold

# --- attendance --------------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\d.,/])(\d{1,3}(?:\.\d{3})+|\d+)(?![\d])(?![.,]\d)")
_FRACTION = re.compile(r"(?<![\d.,/])(\d{1,3}(?:\.\d{3})*|\d+)\s*(?:ho|dai\s+bieu|nguoi)?\s*/"
                       r"\s*(\d{1,3}(?:\.\d{3})*|\d+)(?![\d])(?!\s*/\s*\d)")
_PERCENT = re.compile(r"(?<![\d.,])(\d{1,3}(?:[.,]\d{1,2})?)\s*%")
#: Words that say what a number counts, in the folded text. The exclusions come first in the
#: alternation only for readability: the leftmost match wins, so "khach moi" is one cue.
_CUES: tuple[tuple[str, str], ...] = (
    ("other", r"vang(?:\s+mat)?(?:\s+co\s+ly\s+do|\s+khong\s+ly\s+do)?|khach\s+moi|"
              r"khong\s+(?:den\s+du|den|tham\s+du|tham\s+gia|co\s+mat|du(?:\s+hop)?)|"
              r"chua\s+(?:den|co\s+mat)|"
              r"dai\s+bieu\s+(?:cap\s+tren|phuong|quan|khach(?:\s+moi)?)|gia\s+dinh\s+van\s+hoa|gdvh|"
              r"dat\s+(?:danh\s+hieu|tieu\s+chuan)|nhan\s+khau|y\s+kien|luot|"
              r"so\s+nha|ngo|ngach|khu\s+dan\s+cu|khu\s+vuc|"
              r"tong\s+so\s+ho\s+(?:dan|trong|cua|toan|thuong\s+tru)|ho\s+trong\s+to|toan\s+to|"
              r"trong\s+to|ho\s+khau|nguoi\s+dan\s+toc|uy\s+vien|thanh\s+vien|"
              # a vote counts hands, not who came
              r"nhat\s+tri|tan\s+thanh|bieu\s+quyet|dong\s+y|khong\s+dong\s+y|thong\s+qua|"
              # registrations and last year's figures are other counts
              r"dang\s+ky(?:\s+(?:tham\s+)?du(?:\s+hop)?)?|nam\s+truoc|nam\s+ngoai|cung\s+ky"),
    ("invited", r"(?:duoc\s+|da\s+|gui\s+giay\s+)?(?:moi|trieu\s*tap)(?:\s+(?:tham\s+)?du"
                r"(?:\s+(?:hoi\s+nghi|hop))?)?|danh\s+sach\s+moi"),
    # "96 hộ trên tổng số 125": the number before is the part, the number after the whole
    ("outof", r"tren\s+(?:tong\s+)?so|trong\s+tong\s+so|trong\s+so(?=\s+\d)|"
              r"/\s*tong\s+so|tren(?=\s+\d)"),
    ("attended", r"co\s+mat|tham\s+du|tham\s+gia|(?:den|ve)\s+du|du\s+hop|du\s+hoi\s+nghi|"
                 r"hien\s+dien|(?<![a-z])(?<!day\s)du(?=\s*[:\d]|\s+la\b|\s*$)|den\s+hop"),
    ("total", r"tong\s+so\s+ho|tong\s+so\s+dai\s+bieu|tong\s+so"),
)
_CUE_RE = re.compile("|".join(f"(?<![a-z])(?P<{name}>{pat})(?![a-z])" for name, pat in _CUES))
_GROUPS_AFTER = re.compile(r"^\s*(?:to\b|tdp\b|khu\b|cum\b|chi\s+hoi|phuong\b)")
_UNIT_AFTER = re.compile(r"^\s*(ho|dai\s+bieu|db|nguoi|dai\s+dien)\b")
_NOT_A_COUNT_AFTER = re.compile(
    r"^\s*(?:gio|h\b|h\d|phut|:|ngay|thang|nam\b|tuoi|m2|m\b|km|trieu|dong|%|[.,]\d|"
    # officials and guests counted beside the households ("3 đồng chí", "2 cán bộ")
    r"d/c|can\s+bo|vi\b|thanh\s+vien|uy\s+vien|khach|doan\s+the)")
_CLAUSE_SPLIT = re.compile(r";|\.(?=\s+[A-Za-z(])|,(?=\s)|\)|\(|\n|\t|\|")
RIGHT_PENALTY = 3


@dataclass
class Figure:
    value: int
    role: str  # invited / attended / total
    unit: str  # "hộ" / "đại biểu" / ""
    line: int
    source: str  # the clause it came from


@dataclass
class Attendance:
    invited: int | None = None
    attended: int | None = None
    unit: str | None = None
    rate_printed: float | None = None
    rate_decimals: int = 1
    rate_text: str = ""
    conflicts: list[str] = field(default_factory=list)
    invited_from_total: bool = False
    total_seen: int | None = None  # a total of households written where invited was not
    evidence: list[str] = field(default_factory=list)


_LIST_INTRO = re.compile(r"(?:(?P<attended>tham\s+du|co\s+mat|(?:den|ve)\s+du)|"
                         r"(?P<invited>duoc\s+moi|trieu\s*tap))(?:\s+hoi\s+nghi)?(?:\s+gom)?\s*:")
_HOUSEHOLDS_ITEM = re.compile(r"(?:^\s*|\bva\s+)(\d{1,3}(?:\.\d{3})+|\d+)\s*(?:ho|dai\s+dien\s+ho)"
                              r"(?:\s+gia\s+dinh)?[\s.]*$")
_BARE_COUNT = re.compile(r"^\s*(\d{1,3}(?:\.\d{3})+|\d+)\s*(?:ho|nguoi|dai\s+bieu)?\s*$")


def _clauses(folded: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for m in _CLAUSE_SPLIT.finditer(folded):
        out.append((start, folded[start:m.start()]))
        start = m.end()
    out.append((start, folded[start:]))
    return [(s, c) for s, c in out if c.strip()]


def _cues(clause: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.lastgroup) for m in _CUE_RE.finditer(clause)]


def _role_of(start: int, end: int, cues: list[tuple[int, int, str]],
             numbers: list[tuple[int, int]]) -> str | None:
    """The role whose cue is nearest the number, not reaching past another number."""
    best: tuple[int, str] | None = None
    for cs, ce, role in cues:
        if ce <= start:
            if any(ce <= ns and ne <= start for ns, ne in numbers if (ns, ne) != (start, end)):
                continue
            dist = start - ce
        elif cs >= end:
            if any(end <= ns and ne <= cs for ns, ne in numbers if (ns, ne) != (start, end)):
                continue
            dist = cs - end + RIGHT_PENALTY
        else:
            continue
        if role == "outof":  # the whole after it, the part before it
            role = "invited" if ce <= start else "attended"
        if best is None or dist < best[0]:
            best = (dist, role)
    return best[1] if best else None


def _to_int(text: str) -> int:
    return int(text.replace(".", ""))


def figures_in_line(line: str, index: int) -> tuple[list[Figure], list[tuple[float, int, str]]]:
    """Counts with their roles, and printed attendance rates (value, decimals, text)."""
    folded = fold(numwords.spell_out(line))
    figures: list[Figure] = []
    rates: list[tuple[float, int, str]] = []
    previous = ""
    list_role = None  # "Thành phần tham dự: 3 đại biểu phường, 112 hộ gia đình"
    for at, clause in _clauses(folded):
        before, previous = previous, clause
        if at == 0 or folded[at - 1] in ";.\n\t|":
            list_role = None
        if list_role and (m := _HOUSEHOLDS_ITEM.search(clause)):
            figures.append(Figure(_to_int(m.group(1)), list_role, "hộ", index, clause.strip()))
            continue
        if lm := _LIST_INTRO.search(clause):
            list_role = lm.lastgroup
        if (m := _BARE_COUNT.match(clause)) and folded[:at].rstrip().endswith("("):
            # "… số hộ được mời (150 hộ)": the label is at the end of the words before
            role = _label_role(before) if _ENDS_WITH_CUE.search(before) else None
            if role in ("invited", "attended"):
                figures.append(Figure(_to_int(m.group(1)), role, _unit(clause[m.end(1):]),
                                      index, (before + " (" + clause).strip()))
            continue
        cues = _cues(clause)
        taken: list[tuple[int, int]] = []
        for m in _FRACTION.finditer(clause):
            a, b = _to_int(m.group(1)), _to_int(m.group(2))
            if b >= 1900 and b <= 2100 and a <= 12:
                continue  # a month/year
            if _GROUPS_AFTER.match(clause[m.end():]):
                continue  # "17/17 tổ dân phố đã tổ chức": groups, not households
            role = _role_of(m.start(), m.end(), cues, [])
            unit = _unit(clause[m.end():])
            # "Đại biểu các hộ gia đình: 145/180 hộ": a count of households out of a count
            if role is None and unit and a <= b:
                role = "attended"
            if role in ("attended", "invited") and b > 0 and a <= b * 2:
                figures.append(Figure(a, "attended", unit, index, clause.strip()))
                figures.append(Figure(b, "invited", unit, index, clause.strip()))
                taken.append((m.start(), m.end()))
        numbers = [(m.start(), m.end()) for m in _NUMBER.finditer(clause)
                   if not any(s <= m.start() < e for s, e in taken)]
        percents = [(m.start(), m.end()) for m in _PERCENT.finditer(clause)]
        for s, e in numbers:
            if any(ps <= s < pe for ps, pe in percents):
                continue
            if _NOT_A_COUNT_AFTER.match(clause[e:]) or _numbered_thing(clause[:s]):
                continue  # a time, a date, an amount, a year, "tổ số 9"
            if (after := _cues(clause[e:])) and after[0][2] == "other" and re.fullmatch(
                    r"\s*(?:(?:ho|nguoi)\s+)?", clause[e:e + after[0][0]]) and not re.match(
                    r"\s*[:\d]", clause[e + after[0][1]:]):
                continue  # "3 đại biểu phường", "5 khách mời": named by the words after it
            role = _role_of(s, e, cues, numbers)
            if role in ("invited", "attended", "total"):
                figures.append(Figure(_to_int(clause[s:e]), role, _unit(clause[e:]), index,
                                      clause.strip()))
    if figures or _RATE_CUE.search(folded):
        rates = _rates(folded, line, has_attended=any(f.role == "attended" for f in figures))
    return figures, rates


_ENDS_WITH_CUE = re.compile(
    r"(?:duoc\s+moi|trieu\s*tap|co\s+mat|tham\s+du|(?:den|ve)\s+du|du\s+hop)\s*(?:la|:)?\s*$")
_RATE_CUE = re.compile(r"ty\s+le\s+(?:tham\s+du|co\s+mat|du\s+hop|ho\s+du)")
_RATE_NOT = re.compile(r"gia\s+dinh\s+van\s+hoa|gdvh|tieu\s+chuan|nhat\s+tri|thong\s+qua|"
                       r"bieu\s+quyet|tan\s+thanh|so\s+voi|tong\s+so\s+ho|ke\s+hoach|"
                       r"chi\s+tieu|dan\s+so|nam\s+truoc|cung\s+ky")
_RATE_GOOD = re.compile(r"(?:dat|ty\s+le|chiem|tham\s+du|co\s+mat|du\s+hop)\W*$")


def _rates(folded: str, line: str, has_attended: bool) -> list[tuple[float, int, str, int]]:
    """Printed rates with how surely each is the attendance rate (higher first)."""
    out = []
    for m in _PERCENT.finditer(folded):
        left = folded[max(0, m.start() - 40):m.start()]
        sentence_left = re.split(r"[.;,()](?=\s|$)|[()]", left)[-1]
        right = re.split(r"[.;,()]", folded[m.end():m.end() + 30])[0]
        if _RATE_NOT.search(sentence_left) or _RATE_NOT.search(right):
            continue
        score = 2 if _RATE_GOOD.search(sentence_left.rstrip(" (:")) or _RATE_CUE.search(
            sentence_left) else (1 if has_attended else 0)
        if score == 0:
            continue
        raw = m.group(1)
        decimals = len(re.split(r"[.,]", raw)[1]) if re.search(r"[.,]", raw) else 0
        out.append((float(raw.replace(",", ".")), decimals, line.strip(), score))
    return out


def _numbered_thing(before: str) -> bool:
    """'năm 2023', 'tổ dân phố số 9' (but 'tổng số 150', 'trên số 150' are counts)."""
    words = before.split()[-2:]
    if not words:
        return False
    if words[-1] == "nam":
        return True
    return words[-1] == "so" and (len(words) < 2 or words[0] not in ("tong", "tren", "trong"))


def _unit(after: str) -> str:
    m = _UNIT_AFTER.match(after)
    if not m:
        return ""
    return "hộ" if m.group(1) == "ho" else "đại biểu"


_CELL_COUNT = re.compile(
    r"^\s*(\d{1,3}(?:\.\d{3})+|\d+)\s*(?:(ho|nguoi|dai\s+bieu)\b(?:\s+gia\s+dinh)?\.?)?\s*"
    r"(?:\(\s*\d{1,3}(?:[.,]\d{1,2})?\s*%\s*\))?\s*$")
_CELL_FRACTION = re.compile(
    r"^\s*(\d{1,3}(?:\.\d{3})+|\d+)\s*(?:ho\s*)?/\s*(\d{1,3}(?:\.\d{3})+|\d+)\s*"
    r"(?:(ho|nguoi|dai\s+bieu)\b(?:\s+gia\s+dinh)?\.?)?\s*$")


def _cell_value(cell: str) -> tuple[str, tuple[int, ...], str] | None:
    """('count', (n,), unit) / ('fraction', (a, b), unit) for a cell that holds only a
    count ("150", "150 hộ", "một trăm năm mươi hộ", "112 (74,7%)") or a part of a whole
    ("112/150"); None for any other cell."""
    folded = fold(numwords.spell_out(cell))
    if m := _CELL_COUNT.match(folded):
        return "count", (_to_int(m.group(1)),), _unit(m.group(2) or "")
    if m := _CELL_FRACTION.match(folded):
        return "fraction", (_to_int(m.group(1)), _to_int(m.group(2))), _unit(m.group(3) or "")
    return None


def _dedupe_row(row: list[str]) -> list[str]:
    """A row's cells with a merged cell's repeats (and empty cells) taken out."""
    out: list[str] = []
    for c in row:
        c = c.strip()
        if c and (not out or c != out[-1]):
            out.append(c)
    return out


def _table_rate(cell: str, label: str) -> tuple[float, int, str] | None:
    m = _PERCENT.search(cell)
    if not m or re.search(r"gia\s+dinh\s+van\s+hoa|gdvh", fold(label)):
        return None
    raw = m.group(1)
    decimals = len(re.split(r"[.,]", raw)[1]) if re.search(r"[.,]", raw) else 0
    return float(raw.replace(",", ".")), decimals, f"{label}: {cell}".strip(": ")


def table_figures(rows: list[list[str]], index: int) -> tuple[list[Figure], list]:
    """Figures of a small table, in the layouts secretaries use.

    - label and number in one row: "Số hộ được mời | 150", the label over several cells
      ("Số hộ | được mời | 150"), a part of a whole ("Có mặt / được mời | 112/150");
    - a label and its number in the same cell ("Số hộ có mặt: 112"), read as a sentence;
    - column headers, over one or more rows (merged), above one row of numbers; with
      several rows of numbers only a row labelled as the total ("Tổng cộng") is read.
    A number whose label says nothing about attendance is not read.
    """
    figures: list[Figure] = []
    rates: list[tuple[float, int, str]] = []
    if not rows:
        return figures, rates
    read_rows: set[int] = set()
    # label and number in one row
    for r, row in enumerate(rows):
        cells = _dedupe_row(row)
        label_parts: list[str] = []
        row_role = None
        for cell in cells:
            value = _cell_value(cell)
            if value is None:
                if _PERCENT.search(cell) and not re.search(r"[a-zA-Z]{2}", fold(cell)):
                    label = fold(" ".join(label_parts))
                    if (row_role == "attended" or re.search(r"ty\s+le|\bdat\b", label)) and (
                            rate := _table_rate(cell, " ".join(label_parts))):
                        rates.append(rate)
                    continue
                if re.search(r"\d", cell) and re.search(r"[a-zA-Z]{2}", fold(cell)):
                    f, rr = figures_in_line(cell, index)  # "Số hộ có mặt: 112 hộ"
                    figures += f
                    rates += rr
                    if f:
                        read_rows.add(r)
                label_parts.append(cell)
                continue
            label = " ".join(label_parts)
            role = _label_role(label) if label else None
            kind, numbers, unit = value
            unit = unit or _unit(fold(label.split()[-1])) if label else unit
            if kind == "fraction" and role in ("attended", "invited") and \
                    numbers[0] <= 2 * numbers[1]:
                figures.append(Figure(numbers[0], "attended", unit, index, fold(label)))
                figures.append(Figure(numbers[1], "invited", unit, index, fold(label)))
                read_rows.add(r)
            elif kind == "count" and role:
                figures.append(Figure(numbers[0], role, unit, index, fold(label)))
                read_rows.add(r)
            row_role = role
            label_parts = []
    # column headers over a row of numbers
    value_rows = [r for r, row in enumerate(rows)
                  if sum(_cell_value(c) is not None for c in row) >= 1 and r not in read_rows]
    if not value_rows or value_rows[0] == 0:
        return figures, rates
    first = value_rows[0]
    if len(value_rows) > 1:
        labels = {r: fold(next((c for c in rows[r] if c), "")) for r in value_rows}
        totals = [r for r in value_rows
                  if re.search(r"^\W*(?:tong|cong|toan\s+(?:phuong|to))", labels[r])]
        households = [r for r in value_rows if re.fullmatch(r"\W*(?:so\s+)?ho(?:\s+gia\s+dinh)?"
                                                            r"\W*", labels[r])]
        if len(totals) == 1:
            first = totals[0]
        elif len(households) == 1:  # a row of households beside a row of people
            first = households[0]
        else:
            return figures, rates
    width = max(len(row) for row in rows)
    for col in range(width):
        cell = rows[first][col] if col < len(rows[first]) else ""
        parts = []
        for row in rows[:value_rows[0]]:
            text = row[col].strip() if col < len(row) else ""
            if text and text not in parts:
                parts.append(text)
        header = " ".join(parts)
        if not header or not cell.strip():
            continue
        value = _cell_value(cell)
        role = _label_role(header)
        if value is not None and role:
            kind, numbers, unit = value
            unit = unit or ("hộ" if "ho" in fold(header).split() else "")
            if kind == "fraction" and role in ("attended", "invited"):
                figures.append(Figure(numbers[0], "attended", unit, index, fold(header)))
                figures.append(Figure(numbers[1], "invited", unit, index, fold(header)))
            elif kind == "count":
                figures.append(Figure(numbers[0], role, unit, index, fold(header)))
        elif value is None and "ty le" in fold(header) and (
                rate := _table_rate(cell, header)) and (rate[0], rate[1]) not in [
                (x[0], x[1]) for x in rates]:
            rates.append(rate)
    return figures, rates


def _label_role(label: str) -> str | None:
    folded = fold(label)
    if re.search(r"ty\s+le", folded) and not re.search(r"\bso\b", folded):
        return None
    cues = _cues(folded)
    if not cues:
        return None
    # the cue nearest the end of the label (where the number follows) decides
    role = max(cues, key=lambda c: c[1])[2]
    return None if role == "outof" else role


def combine(figures: list[Figure], rates: list[tuple[float, int, str]]) -> Attendance:
    """One invited and one attended figure, or the conflict named."""
    att = Attendance()
    for role in ("invited", "attended"):
        values = [f for f in figures if f.role == role]
        distinct = list(dict.fromkeys(f.value for f in values))
        if len(distinct) > 1:
            att.conflicts.append(
                f"{role}: " + ", ".join(str(v) for v in distinct))
        if values:
            setattr(att, role, values[0].value)
            att.evidence.append(values[0].source)
            if values[0].unit and att.unit is None:
                att.unit = values[0].unit
    if rates:
        best = max(rates, key=lambda r: r[3] if len(r) > 3 else 1)  # first of the surest
        att.rate_printed, att.rate_decimals, att.rate_text = best[:3]
    if att.invited is None:
        # a total of households is not the number invited ("Tổng số hộ 198, mời 160"); it is
        # taken as such only when the printed rate shows the minutes counted against it
        totals = [f for f in figures if f.role == "total"]
        if totals and att.attended is not None:
            att.total_seen = totals[0].value
            att.invited = totals[0].value
            if att.rate_printed is None or rate_disagrees(att):
                att.invited = None
            else:
                att.invited_from_total = True
                att.evidence.append(totals[0].source)
                if totals[0].unit and att.unit is None:
                    att.unit = totals[0].unit
    if att.unit is None and (att.invited is not None or att.attended is not None):
        att.unit = "hộ"
    return att


RATE_SLACK = 0.05  # percentage points, beyond the printed rounding


def rate_disagrees(att: Attendance) -> bool:
    """A printed rate that is not 100 x attended / invited rounded to the printed decimals.

    68,9% for 135/196 (68,88) agrees; 68,8% does not; 69% agrees. Halves may round either way.
    """
    if att.rate_printed is None or not att.invited or att.attended is None:
        return False
    from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

    exact = Decimal(100 * att.attended) / Decimal(att.invited)
    step = Decimal(1).scaleb(-att.rate_decimals)
    printed = Decimal(str(att.rate_printed))
    return all(abs(printed - exact.quantize(step, rounding=mode)) > Decimal(str(RATE_SLACK))
               for mode in (ROUND_HALF_UP, ROUND_HALF_EVEN))

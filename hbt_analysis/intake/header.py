"""Finding a table's header in a sheet, as a person reading the printed report would.

The header may sit under a title block of any length, span two or three rows (a merged
"Số hộ" over "Được mời" | "Tham dự"), carry years ("Số hộ được mời (2022)", or a band
"Năm 2022" | "Năm 2023" over two blocks of the same columns) and be followed by a row of
column numbers "(1) (2) … (10)". Each candidate (start row, one to three rows) is scored for
each table by the columns it names; the best one wins, the shallowest on a tie.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import yaml

from hbt_analysis.schema import YEARLY_TABLES, Table, header_key, header_lookup
from hbt_analysis.units import group_number

HEADER_SCAN_ROWS = 80
_YEAR_RE = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_NUMBER_CELL = re.compile(r"^\(?\s*([0-9]{1,2}|[A-Za-z])\s*\)?$")
#: A computed column's number: "4=3/2", "(6) = (5)/(4)", "7=6/5*100".
_FORMULA_NUMBER_CELL = re.compile(r"^\(?\s*([0-9]{1,2})\s*\)?\s*=\s*[\d()\s/*x×:+\-%.,]+$")

#: Columns that identify a unit in each table: a header must name at least one of each set.
MINIMUM: dict[str, tuple[frozenset[str], ...]] = {
    "group_conferences": (
        frozenset({"households_invited"}), frozenset({"households_attended"}),
        frozenset({"group_code", "group_name"}),
    ),
    "ward_conferences": (
        frozenset({"households_invited"}), frozenset({"households_attended"}),
        frozenset({"ward_code", "ward_name"}),
    ),
    "opinions": (frozenset({"text"}),),
}


@cache
def header_patterns() -> dict[str, list[tuple[str, re.Pattern]]]:
    """The patterns of resources/headers.yaml, per table, in the order roles are tried."""
    raw = yaml.safe_load(resources.files("hbt_analysis").joinpath(
        "resources/headers.yaml").read_text(encoding="utf-8"))
    return {
        table: [(role, re.compile(p)) for role, pats in roles.items() for p in pats]
        for table, roles in raw.items()
    }


@dataclass
class HeaderColumn:
    """One column of a header: where it is, how it reads, what it is, and its year."""

    index: int
    label: str
    role: str | None
    year: int | None = None

    @property
    def letter(self) -> str:
        return column_letter(self.index)


@dataclass
class Header:
    table: Table
    rows: list[int]  # 0-based sheet rows of the header
    columns: list[HeaderColumn]
    score: float
    complete: bool = True
    number_row: int | None = None
    chosen: dict[str, HeaderColumn] = field(default_factory=dict)
    set_aside: list[tuple[HeaderColumn, str, str]] = field(default_factory=list)  # col, vi, en
    conflicts: list[tuple[str, list[HeaderColumn]]] = field(default_factory=list)

    @property
    def last_row(self) -> int:
        return self.number_row if self.number_row is not None else self.rows[-1]


def column_letter(index: int) -> str:
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return " ".join(str(cell).split())


def label_role(label: str, table: Table) -> str | None:
    """What a header label is in a table: a column name, an extra role, or None."""
    return _label_role(label, table.name)


@lru_cache(maxsize=65536)
def _label_role(label: str, table_name: str) -> str | None:
    text = _YEAR_RE.sub(" ", label)
    if text != label:  # "Năm 2022 / Số hộ được mời": the band's "Năm" goes with its year
        text = re.sub(r"\b(năm|nam)\b\s*(?=/|$)", " ", text, flags=re.I)
    text = _RELATIVE_YEAR.sub(" ", text)
    key = header_key(text)
    if not key:
        return None
    exact = _exact(table_name).get(key)
    if exact:
        return exact
    for role, pattern in header_patterns()[table_name]:
        if pattern.search(key):
            return role
    return None


@cache
def _exact(table_name: str) -> dict[str, str]:
    return header_lookup(YEARLY_TABLES[table_name])


#: Words that make a column another year's without a number: "năm trước", "cùng kỳ", …
_RELATIVE_YEAR = re.compile(r"\b(năm|nam)\s+(trước|truoc|ngoái|ngoai|cũ|cu)\b|"
                            r"\b(cùng kỳ|cung ky|kỳ trước|ky truoc)(\s+năm)?(\s+trước)?\b",
                            re.I)
PREVIOUS_YEAR = -1  # a column marked "năm trước": the year before the folder's


def label_year(texts: list[str]) -> int | None:
    years = {int(y) for t in texts for y in _YEAR_RE.findall(t)}
    if not years and any(_RELATIVE_YEAR.search(t) for t in texts):
        return PREVIOUS_YEAR
    return years.pop() if len(years) == 1 else None


def _score(columns: list[HeaderColumn], table: Table) -> tuple[bool, float]:
    """(complete, score): complete when the header names what identifies the table."""
    roles = {c.role for c in columns if c.role}
    complete = all(roles & needed for needed in MINIMUM[table.name])
    own = set(table.names)
    score = 0.0
    for role in roles:
        if role in own:
            score += 3.0 if table.column(role).required else 1.0
        else:
            score += 0.5
    if table.name == "ward_conferences" and roles & {"group_code", "group_name",
                                                     "groups_count"}:
        # a table of groups, or the groups' sums per ward ('Số TDP' | 'Số hộ được mời' …)
        return False, 0.0
    if not complete and len(roles & own) < 3:
        return False, 0.0
    labels = [(c.role, c.label) for c in columns if c.role in own]
    score -= 0.5 * (len(labels) - len(set(labels)))  # same label twice: the header goes deeper
    return complete, score


def find_header(rows: list[list[object]], table: Table, start: int = 0,
                stop: int | None = None) -> Header | None:
    """The best header for `table` in rows[start:stop] (one to three rows), or None."""
    stop = min(len(rows), stop if stop is not None else start + HEADER_SCAN_ROWS)
    best: Header | None = None
    texts = [[cell_text(c) for c in r] for r in rows[start:stop + 2]]
    for r in range(start, stop):
        row_texts = texts[r - start]
        if len({t for t in row_texts if t}) < 2 or _value_share(rows[r]) > 0.3:
            continue  # a title (one text, perhaps spread over a merged range) is no header
        for depth in (1, 2, 3):
            if r + depth > len(rows):
                break
            block = texts[r - start:r - start + depth]
            if depth > 1 and (not any(block[-1]) or _value_share(rows[r + depth - 1]) > 0.3):
                break
            columns = _columns(block, table)
            _units_by_values(columns, rows, r + depth)
            complete, score = _score(columns, table)
            if score and (best is None or (complete, score) > (best.complete,
                                                                best.score + 1e-9)):
                best = Header(table, list(range(r, r + depth)), columns, score, complete)
    if best is None:
        return None
    _add_years_from_above(best, texts, start)
    nxt = best.rows[-1] + 1
    if nxt < len(rows) and is_number_row(rows[nxt]):
        best.number_row = nxt
    return best


def _columns(block: list[list[str]], table: Table) -> list[HeaderColumn]:
    width = max(len(r) for r in block)
    out = []
    for j in range(width):
        parts: list[str] = []
        for row in block:
            t = row[j] if j < len(row) else ""
            if t and (not parts or parts[-1] != t):
                parts.append(t)
        if not parts:
            continue
        label = " / ".join(parts)
        out.append(HeaderColumn(j, label, label_role(" ".join(parts), table),
                                label_year(parts)))
    return out


def _units_by_values(columns: list[HeaderColumn], rows: list[list[object]], below: int) -> None:
    """A generic 'Tên đơn vị' column whose rows name groups ("Tổ dân phố số 1") holds the
    groups, the ward headings between them notwithstanding."""
    if any(c.role in ("group_code", "group_name") for c in columns):
        return
    for col in columns:
        if col.role != "ward_name":
            continue
        values = [cell_text(row[col.index]) for row in rows[below:below + 80]
                  if col.index < len(row)]
        named = [v for v in values if v and not v.replace(".", "").isdigit()]
        groups = [v for v in named if any(ch.isalpha() for ch in v) and group_number(v)]
        if len(groups) >= 3 and len(groups) >= 0.5 * len(named):
            col.role = "group_name"


def _add_years_from_above(header: Header, texts: list[list[str]], start: int) -> None:
    """A year band above the header ("Năm 2022" | "Năm 2023") gives its columns their year."""
    first = header.rows[0]
    for r in range(max(start, first - 3), first):
        row = texts[r - start]
        filled = [t for t in row if t]
        if not filled or (len(set(filled)) == 1 and len(filled) > 2):
            continue  # empty, or one title spread across the width
        for col in header.columns:
            if col.year is None and col.index < len(row):
                col.year = label_year([row[col.index]]) if row[col.index] else None


_VALUE_TEXT = re.compile(r"^[\d\s.,%/\-:]+$|^\d{3,5}\s*[-_]\s*\w+$")


def _value_share(row: list[object]) -> float:
    """The share of a row's cells that are values (numbers, dates, codes), not labels."""
    filled = [c for c in row if c is not None and cell_text(c)]
    if not filled:
        return 0.0
    values = sum(1 for c in filled if not isinstance(c, str) or (
        _VALUE_TEXT.match(c.strip()) and not _NUMBER_CELL.match(c.strip())))
    return values / len(filled)


def is_number_row(row: list[object]) -> bool:
    """A row of column numbers under a header: "(1) (2) (3)…", "1 2 3…" or "A B C…"."""
    if any((isinstance(c, str) and len(c) > 6) or (isinstance(c, int | float) and c > 60)
           for c in row):
        return False
    values = [cell_text(c) for c in row if cell_text(c)]
    if len(values) < 3:
        return False
    hits = [m.group(1) for v in values
            if (m := _NUMBER_CELL.match(v) or _FORMULA_NUMBER_CELL.match(v))]
    if len(hits) < 0.8 * len(values):
        return False
    # letters for the text columns, then numbers: "A B 1 2 3 4=3/2 5"
    letters = list(itertools.takewhile(str.isalpha, hits))
    digits = hits[len(letters):]
    if not digits:
        return True
    if not all(h.isdigit() for h in digits) or len(letters) > 3:
        return False
    nums = [int(h) for h in digits]
    return nums == sorted(nums) and len(set(nums)) == len(nums)


def choose_columns(header: Header, year: int | None) -> None:
    """One column per role. Two candidates: the one of this year, never the first found."""
    by_role: dict[str, list[HeaderColumn]] = {}
    for col in header.columns:
        if col.year == PREVIOUS_YEAR:
            col.year = year - 1 if year is not None else None
        if col.role:
            by_role.setdefault(col.role, []).append(col)
    own = set(header.table.names) | UNIT_NAMES
    for role, cols in by_role.items():
        if role not in own:
            continue
        if len(cols) == 1:
            col = cols[0]
            if year is not None and col.year is not None and col.year != year and \
                    role in COUNT_ROLES:
                header.conflicts.append((role, cols))
                continue
            header.chosen[role] = col
            continue
        totals = [c for c in cols if _TOTAL_OF_BREAKDOWN.search(c.label)]
        parts = [c for c in cols if _BREAKDOWN.search(c.label)]
        if len(totals) == 1 and len(parts) == len(cols) - 1 and totals[0] not in parts:
            # "Ý kiến / Tổng số" beside "Ý kiến / Trong đó / Đã giải quyết": the total
            header.chosen[role] = totals[0]
            for other in parts:
                header.set_aside.append((other, "chi tiết của cột tổng", "a breakdown of the "
                                         "total column"))
            continue
        this_year = [c for c in cols if year is not None and c.year == year]
        no_year = [c for c in cols if c.year is None]
        other_year = [c for c in cols if c.year is not None and c.year != year]
        pick = None
        if len(this_year) == 1:
            pick = this_year[0]
        elif not this_year and len(no_year) == 1 and other_year:
            pick = no_year[0]
        if pick is None:
            header.conflicts.append((role, cols))
            continue
        header.chosen[role] = pick
        for other in cols:
            if other is not pick:
                header.set_aside.append((
                    other,
                    f"cột của năm {other.year}" if other.year else "cột trùng tên",
                    f"a column of {other.year}" if other.year else "a column with the same "
                    "name",
                ))


_TOTAL_OF_BREAKDOWN = re.compile(r"(tổng\s*số|tổng\s*cộng|\btổng\b|\bcộng\b|total)", re.I)
_BREAKDOWN = re.compile(r"(trong\s*đó|gồm|chia\s*ra|of which|\bđã\b|\bchưa\b|\bđang\b)",
                        re.I)
COUNT_ROLES = frozenset({"households_invited", "households_attended", "opinions_count"})
#: Names of units, read in every table (an opinions list may name its ward and group).
UNIT_NAMES = frozenset({"ward_name", "group_name"})


def is_header_repeat(row: list[object], header: Header,
                     texts: list[str] | None = None) -> bool:
    """A data row that repeats the header (ward blocks pasted with their own headers).
    `texts`: the row's cell_text values, when the caller has them already."""
    for role in COUNT_ROLES:
        col = header.chosen.get(role)
        if col is not None and col.index < len(row) and isinstance(row[col.index], int | float):
            return False  # a header has words, not numbers, over its counts
    if texts is None:
        texts = [cell_text(c) for c in row]
    hits = 0
    for col in header.columns:
        t = texts[col.index] if col.index < len(texts) else ""
        if t and t in _label_parts(col.label):
            hits += 1
    return hits >= max(2, len(header.columns) // 2)


@lru_cache(maxsize=4096)
def _label_parts(label: str) -> frozenset[str]:
    """The texts a header cell may be repeated as ('Mã phường / ward_code' → both)."""
    return frozenset(label.split(" / "))

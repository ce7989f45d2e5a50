"""The rows under a header: which are data, which are headings, subtotals, totals or notes.

A report sheet (biểu mẫu) interleaves data rows with ward headings ("I. PHƯỜNG NGUYỄN DU"),
subtotals ("Cộng phường"), blank rows, repeated headers, a grand total ("TỔNG CỘNG") and a
signature block. Only data rows are read; every subtotal and total is checked against the
rows it sums (a mismatch is an error naming the row and both figures); everything skipped is
recorded so that `hbt validate --explain` can show how the sheet was read.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field

from hbt_analysis.intake.header import (
    COUNT_ROLES,
    Header,
    cell_text,
    is_header_repeat,
    is_number_row,
)
from hbt_analysis.io import CellError, parse_number
from hbt_analysis.text import fold
from hbt_analysis.units import WardResolver, group_number

_SUM_RE = re.compile(r"^(?:[ivxlc]+\s*[.)]?\s+|[a-z]\s*[.)]\s*)?"
                     r"(cong|tong|total|toan\s+(quan|phuong))\b")
#: A label that may start a subtotal or total row, before accents are folded away.
_SUM_START = re.compile(r"^\s*(?:[IVXLCivxlc]+\s*[.)]?\s+|[A-Za-z]\s*[.)]\s*)?"
                        r"(c[ộo]ng|t[ổo]ng|total|to[àa]n)", re.I | re.M)
_TOTAL_WORDS = re.compile(r"tong\s*cong|tong\s*so|toan\s*(quan|khu|thanh|huyen)|cong\s*toan|"
                          r"grand|^total|tong\s*hop|cong\s*chung|tong\s*chung")
_SIGNATURE_RE = re.compile(r"nguoi\s*lap|\bky\b|tm\.|t/m|chu\s*tich|truong\s*ban|thu\s*ky|"
                           r"xac\s*nhan|noi\s*nhan|ngay\s*\d+\s*thang|can\s*bo|pho\s*ban|"
                           r"dong\s*dau|ghi\s*ro\s*ho\s*ten")
#: '17 TDP', '17/17 tổ': a ward heading's count of its groups, not a group's name.
_GROUPS_COUNT_RE = re.compile(r"^\d+\s*(?:/\s*\d+\s*)?(?:to|tdp)\b")
_SECTION_RE = re.compile(r"^(?:[ivxlc]+|[a-h]|\d{1,2})\s*[.)/:\-–]\s*\S|^(linh\s*vuc|nhom|phan)\b")


@dataclass
class RowNote:
    """A row that was not read as data, and why."""

    row: int  # spreadsheet row (1-based)
    kind: str  # heading, section, subtotal, total, repeat_header, number_row, other
    text: str
    agrees: bool | None = None  # for subtotals and totals
    detail_vi: str = ""
    detail_en: str = ""


@dataclass
class SumCheck:
    row: int
    label: str
    kind: str  # subtotal or total
    figures: dict[str, tuple[float, float]]  # role -> (written, computed)

    @property
    def agrees(self) -> bool:
        return all(abs(w - c) < 0.5 for w, c in self.figures.values())


@dataclass
class Block:
    """A table read from one sheet: its header, its data records and what was skipped."""

    header: Header
    records: list[dict[str, object]] = field(default_factory=list)
    notes: list[RowNote] = field(default_factory=list)
    sums: list[SumCheck] = field(default_factory=list)
    filled_down: dict[str, int] = field(default_factory=dict)

    def data_rows(self) -> list[int]:
        """The spreadsheet rows read as data."""
        return [rec["_row"] for rec in self.records]


def read_rows(rows: list[list[object]], header: Header, resolver: WardResolver,
              context_ward: str | None) -> Block:
    """Classify every row under the header; keep data rows with their ward context."""
    block = Block(header)
    chosen = header.chosen
    is_opinions = header.table.name == "opinions"
    count_cols = {role: c.index for role, c in chosen.items() if role in COUNT_ROLES}
    label_cols = sorted({c.index for c in header.columns
                         if c.role not in COUNT_ROLES | {"conference_date", "rate"}})
    ward_ctx = context_ward
    section_start = 0  # index into block.records where the current ward block starts
    last_total = 0
    carried: dict[str, object] = {}
    fill_roles = [r for r in ("year", "ward_code", "ward_name") if r in chosen]
    pending: tuple[int, str, dict] | None = None  # a heading row that carries its totals
    top_total: tuple[int, str, dict] | None = None  # "TỔNG CỘNG" written above the rows
    chosen_items = [(role, c.index) for role, c in chosen.items()]
    after_total = False  # rows under a grand total that name no unit are notes
    # the groups' sums per ward ('Phường' | 'Số TDP' | …): one row per ward, checked later
    summary = any(c.role == "groups_count" for c in header.columns)
    for i in range(header.last_row + 1, len(rows)):
        row = rows[i]
        n = i + 1
        if all(c is None for c in row):
            continue
        counts = {role: row[j] if j < len(row) else None for role, j in count_cols.items()}
        numeric = [v for v in counts.values() if isinstance(v, int | float)
                   and not isinstance(v, bool)]
        label_texts = "\n".join(row[j] for j in label_cols
                                if j < len(row) and type(row[j]) is str)
        if (numeric and len(numeric) == len(counts) and not is_opinions
                and not _SUM_START.search(label_texts)):
            # the common case, a plain data row: numbers in every count column, no sum label,
            # and (in a table of groups) a group named: not a ward heading with its totals
            values = {role: (row[j] if j < len(row) else None) for role, j in chosen_items}
            if header.table.name == "group_conferences" and not _has_unit(values) \
                    and not summary:
                values = None
        else:
            values = None
        if values is not None:
            _carry(values, carried, fill_roles, block)
            values["_ward_ctx"] = ward_ctx
            values["_row"] = n
            block.records.append(values)
            continue
        texts = [cell_text(c) for c in row]
        if not any(texts):
            continue
        if is_header_repeat(row, header, texts):
            block.notes.append(RowNote(n, "repeat_header", _snippet(texts)))
            continue
        if is_number_row(row):
            block.notes.append(RowNote(n, "number_row", _snippet(texts)))
            continue
        if is_opinions:  # no counts, no sums: the label and its folding are not needed
            label = folded = ""
            has_counts = is_sum = False
        else:
            label = _label(texts, label_cols)
            folded = fold(label)
            has_counts = any(_is_number(v) for v in counts.values())
            # a sum label in any label cell: a ward's name merged down its block spreads
            # into the block's 'Cộng' row beside it
            is_sum = bool(_SUM_RE.match(folded)) or any(
                _SUM_RE.match(fold(texts[j])) for j in label_cols
                if j < len(texts) and texts[j])
        if not is_opinions and has_counts and is_sum and not _has_code(row, chosen):
            kind = "total" if _TOTAL_WORDS.search(folded) else "subtotal"
            _close_pending(block, pending, section_start)
            pending = None
            if kind == "total" and not block.records:
                top_total = (n, label, counts)  # a total above the rows: checked at the end
                block.notes.append(RowNote(n, "total", label))
                continue
            check = _check_sum(block, counts, n, label, kind, section_start, last_total)
            block.sums.append(check)
            block.notes.append(RowNote(n, check.kind, label, check.agrees))
            if check.kind == "subtotal":
                section_start = len(block.records)
            else:
                last_total = section_start = len(block.records)
                after_total = True
            continue
        values = {role: (row[c.index] if c.index < len(row) else None)
                  for role, c in chosen.items()}
        if is_opinions:
            text = cell_text(values.get("text"))
            others = [cell_text(v) for r, v in values.items() if r != "text" and cell_text(v)]
            if not text:
                block.notes.append(RowNote(n, "other", _snippet(texts)))
                continue
            if not others and len(text.split()) <= 8:
                ward = resolver.find_in(text)
                if ward and _looks_like_heading(text):
                    ward_ctx = ward
                    block.notes.append(RowNote(n, "heading", text))
                    continue
                if _SECTION_RE.match(fold(text)) or (text.isupper() and len(text) > 3):
                    block.notes.append(RowNote(n, "section", text))
                    continue
        else:
            ward_row = header.table.name == "ward_conferences"
            if summary and cell_text(values.get("ward_name") or values.get("ward_code")):
                _carry(values, carried, fill_roles, block)  # a ward's sums: checked later
                values["_ward_ctx"] = ward_ctx
                values["_row"] = n
                block.records.append(values)
                continue
            if after_total and not _has_unit(values, ward_row) and not (
                    label and _looks_like_heading(label) and resolver.find_in(label)):
                # under the grand total: notes ("Số TDP tổ chức hội nghị: 263"), not groups
                block.notes.append(RowNote(n, "after_total", _snippet(texts)))
                continue
            is_data = has_counts or _has_unit(values, ward_row)
            if has_counts and not _has_unit(values, ward_row) and label:
                ward = resolver.find_in(label)
                if ward and _looks_like_heading(label) and not cell_text(values.get(
                        "ward_code")) and not ward_row and not _names_other_group(
                        values, resolver):
                    # a ward heading that carries its ward's totals: checked at the next break
                    _close_pending(block, pending, section_start)
                    pending = (n, label, counts)
                    ward_ctx = ward
                    carried = {}
                    section_start = len(block.records)
                    block.notes.append(RowNote(n, "heading", label))
                    continue
            if not is_data:
                ward = resolver.find_in(label) if label else None
                if ward and _looks_like_heading(label):
                    _close_pending(block, pending, section_start)
                    pending = None
                    ward_ctx = ward
                    carried = {}
                    section_start = len(block.records)
                    block.notes.append(RowNote(n, "heading", label))
                elif _SIGNATURE_RE.search(folded):
                    block.notes.append(RowNote(n, "signature", _snippet(texts)))
                else:
                    block.notes.append(RowNote(n, "other", _snippet(texts)))
                continue
        _carry(values, carried, fill_roles, block)
        values["_ward_ctx"] = ward_ctx
        values["_row"] = n
        block.records.append(values)
    _close_pending(block, pending, section_start)
    if top_total is not None:
        row, label, counts = top_total
        check = _check_sum(block, counts, row, label, "total", 0, 0)
        block.sums.append(check)
        for note in block.notes:
            if note.row == row:
                note.agrees = check.agrees
    return block


def _carry(values: dict, carried: dict, fill_roles: list[str], block: Block) -> None:
    """Year and ward written once per ward block: the blank cells under them take them."""
    for role in fill_roles:
        value = values.get(role)
        if value is not None and (type(value) is not str or not value.isspace()):
            carried[role] = value
        elif role in carried:
            values[role] = carried[role]
            block.filled_down[role] = block.filled_down.get(role, 0) + 1


def _close_pending(block: Block, pending: tuple[int, str, dict] | None, start: int) -> None:
    """Check a heading row's own totals against the rows under it, once they are read."""
    if pending is None:
        return
    row, label, counts = pending
    check = _check_sum(block, counts, row, label, "subtotal", start, start)
    block.sums.append(check)
    for note in block.notes:
        if note.row == row:
            note.kind, note.agrees = "heading_subtotal", check.agrees


def _label(texts: list[str], cols: list[int]) -> str:
    seen: list[str] = []
    for j in cols:
        if j < len(texts) and texts[j] and texts[j] not in seen:
            seen.append(texts[j])
    if not seen:  # a label in a column without a header (left of the table)
        seen = [t for t in texts if t and not _is_number(t)][:2]
    return " ".join(seen)


def _snippet(texts: list[str]) -> str:
    parts: list[str] = []
    for t in texts:
        if t and t not in parts:
            parts.append(t)
    text = " | ".join(parts)
    return text if len(text) <= 80 else text[:77] + "…"


def _is_number(value: object) -> bool:
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    try:
        return parse_number(value) is not None
    except CellError:
        return False


def _has_code(row: list[object], chosen: dict) -> bool:
    col = chosen.get("group_code")
    if col is None or col.index >= len(row):
        return False
    return bool(re.match(r"^\d{3,5}\s*[-_]", cell_text(row[col.index])))


def _has_unit(values: dict[str, object], ward_table: bool = False) -> bool:
    """A data row names its group (or, in a ward table, its ward) even with counts missing."""
    if ward_table:
        return bool(cell_text(values.get("ward_code")) or cell_text(values.get(
            "conference_date")))
    code = cell_text(values.get("group_code"))
    if code and (re.match(r"^\d{3,5}\s*[-_]", code) or group_number(code) is not None):
        return True
    name = values.get("group_name")
    return bool(cell_text(name) and group_number(name) is not None)


def _names_other_group(values: dict[str, object], resolver: WardResolver) -> bool:
    """The group cell names something that is not a ward ('Khu tập thể A' beside the ward
    'Nguyễn Du'): a group row whose name has no number, not a ward heading with totals — the
    reader then asks for the group's number instead of checking a subtotal that is none."""
    text = cell_text(values.get("group_name")) or cell_text(values.get("group_code"))
    folded = fold(text)
    return bool(text) and resolver.find_in(text) is None and not _SUM_RE.match(folded) \
        and not _GROUPS_COUNT_RE.match(folded)


def _looks_like_heading(text: str) -> bool:
    """A ward heading is short: 'I. PHƯỜNG NGUYỄN DU', 'Phường Bạch Đằng', 'Bạch Mai'."""
    return len(text.split()) <= 8


def _check_sum(block: Block, counts: dict[str, object], row: int, label: str, kind: str,
               section_start: int, last_total: int) -> SumCheck:
    """Compare a subtotal or total row with the data rows it covers.

    A subtotal covers the rows since the last heading or subtotal; a total covers every row
    since the previous total. A row labelled ambiguously ("Cộng") that matches the whole sheet
    rather than its section is taken as a total.
    """
    def sums(start: int) -> dict[str, tuple[float, float]]:
        out = {}
        for role, written in counts.items():
            if not _is_number(written):
                continue
            total = 0.0
            for rec in block.records[start:]:
                with contextlib.suppress(CellError):
                    total += parse_number(rec.get(role)) or 0.0
            out[role] = (float(parse_number(written)), total)
        return out

    section = SumCheck(row, label, "subtotal", sums(section_start))
    whole = SumCheck(row, label, "total", sums(last_total))
    if kind == "total":
        return whole
    if section.agrees or not whole.agrees:
        return section
    return whole

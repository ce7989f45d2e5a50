"""Plain CSV tables read by columns (pyarrow), with the row-wise reader's every decision.

A year of a whole city holds a million opinions in one plain CSV: a header on the first
line, then one opinion per line (and ten thousand groups in another, each named by its full
code). Reading it row by row (Python lists, dicts, then a frame)
costs about a minute and 3 GB; pyarrow reads the same bytes into Arrow string columns in a
second. This module takes that path only when it can prove that the row-wise reader
(`reader`, `layout`) would read the file the same way: every row a data row (no ward
heading, section, subtotal, repeated header, column-number row, row without text or group
without its full code), no legacy
TCVN3/VNI cell, UTF-8 bytes, a one-line header on the first line. Anything it cannot prove
returns None and the file goes to the row-wise reader. Rare rows that need the row-wise
reader's judgement (a ward named by its name, a code it must resolve) are handed to the
row-wise functions themselves, one row at a time, so that values and problems are the same.

`HBT_READER=rows` in the environment (or `read_files(..., columnar=False)`) turns the path
off: the tests load every plain file both ways and compare.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from hbt_analysis import units as nm
from hbt_analysis.arrow_text import (
    _CONTROL_PY,
    ascii_whitespace_irregular,
    maybe_legacy,
    maybe_legacy_text,
    normalize_arrow,
    python_whitespace_only,
)
from hbt_analysis.intake.header import _label_parts, cell_text, is_header_repeat, is_number_row
from hbt_analysis.intake.layout import _SECTION_RE, Block, _looks_like_heading
from hbt_analysis.io import ROW, SRC, RawTable
from hbt_analysis.problems import Problem
from hbt_analysis.schema import Table
from hbt_analysis.text import fold, normalize

#: Tables read by columns when their file is plain (the large ones).
COLUMNAR_TABLES = ("opinions", "group_conferences")
#: Problems of the header that hold for the whole file (the others send it row-wise).
_HEADER_CODES = ("other_year_column", "ambiguous_column", "column_set_aside")
#: A group code that names its ward (`layout._has_code`): the row is a group's.
_FULL_GROUP_CODE = r"^[0-9]{3,5}[-_]"
_TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


def enabled() -> bool:
    """False when `HBT_READER=rows` asks for the row-wise reader everywhere."""
    return os.environ.get("HBT_READER", "").strip().lower() not in ("rows", "row", "rowwise")


@dataclass
class ColumnarBlock(Block):
    """A sheet's data rows held as Arrow columns (role -> array) instead of dicts."""

    columns: dict[str, pa.Array] = field(default_factory=dict)
    rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def data_rows(self) -> list[int]:
        return self.rows.tolist()


@dataclass
class PlainFile:
    """A file read by columns: its sheet reading, the header's problems, the file's notes."""

    reading: object  # readings.SheetReading
    problems: list[Problem]
    notes_vi: list[str]
    notes_en: list[str]


def read_plain(path: Path, year: int | None, resolver: nm.WardResolver) -> PlainFile | None:
    """The file read by columns when it is plain, else None (the row-wise reader reads it)."""
    from hbt_analysis import legacy
    from hbt_analysis.intake.sheet import _read_sheet
    from hbt_analysis.intake.sources import peek_text, sniff_delimiter

    if path.suffix.lower() not in _TEXT_SUFFIXES:
        return None
    head = peek_text(path)
    if head is None or not head.sheets or len(head.sheets[0].rows) < 2:
        return None
    with path.open("rb") as fh:
        start = fh.read(65536)
    if legacy.decode_bytes(start[: start.rfind(b"\n") + 1] or start)[1] != "utf-8":
        return None
    own: list[Problem] = []
    sr = _read_sheet(head, head.sheets[0], year, resolver, own, None)
    if sr.table not in COLUMNAR_TABLES or sr.header is None or sr.header.rows != [0] \
            or sr.header.number_row is not None or sr.encodings or sr.merges \
            or sr.context_ward is not None:
        return None
    if any(p.code not in _HEADER_CODES for p in own):
        return None
    delimiter = sniff_delimiter(_head_text(path))
    body = _read_body(path, delimiter)
    if body is None:
        return None
    columns, rows = body
    header_cells = head.sheets[0].rows[0]
    if any(isinstance(c, str) and maybe_legacy_text(c) and not _legacy_free(c)
           for c in header_cells):
        return None
    block = _classify(columns, rows, sr.header, resolver)
    if block is None:
        return None
    sr.block = block
    return PlainFile(sr, own, list(head.notes_vi), list(head.notes_en))


def _head_text(path: Path) -> str:
    from hbt_analysis import legacy

    with path.open("rb") as fh:
        data = fh.read(65536)
    return legacy.decode_bytes(data[: data.rfind(b"\n") + 1] or data)[0]


def _read_body(path: Path, delimiter: str) -> tuple[list[pa.Array], np.ndarray] | None:
    """Every column under the header as Arrow strings (blank cells null), and the
    spreadsheet row of each line; None when the bytes are not a plain UTF-8 table."""
    data = path.read_bytes()
    if b"\x00" in data:
        return None
    buffer = pa.py_buffer(data)
    if data.startswith(b"\xef\xbb\xbf"):
        buffer = buffer.slice(3)
    end = data.find(b"\n")
    if b'"' in data[:end if end >= 0 else len(data)]:
        return None  # a quoted header may span lines: the row-wise reader counts them
    try:
        table = pacsv.read_csv(
            buffer,
            read_options=pacsv.ReadOptions(skip_rows=1, autogenerate_column_names=True,
                                           block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                             ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(strings_can_be_null=False,
                                                 column_types=_all_strings(data, delimiter)),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError, ValueError):
        return None
    del data, buffer
    if any(not pa.types.is_large_string(t) for t in table.schema.types):
        return None  # more columns than named as text: pyarrow would have typed them
    columns = []
    for col in table.columns:
        arr = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
        arr = arr.cast(pa.large_string())
        blank = python_whitespace_only(arr)
        if pc.any(blank).as_py():
            arr = pc.if_else(blank, pa.scalar(None, pa.large_string()), arr)
        columns.append(arr)
    rows = np.arange(2, table.num_rows + 2, dtype=np.int64)
    return columns, rows


def _all_strings(data: bytes, delimiter: str) -> dict[str, pa.DataType]:
    """Every column read as text: the reader parses values, not pyarrow."""
    start = data.find(b"\n") + 1
    end = data.find(b"\n", start)
    line = data[start:end if end >= 0 else len(data)] if start else b""
    n = max(64, line.count(delimiter.encode()) + 1)
    return {f"f{i}": pa.large_string() for i in range(n)}


def _classify(columns: list[pa.Array], rows: np.ndarray, header, resolver: nm.WardResolver
              ) -> ColumnarBlock | None:
    """The rows as `layout.read_rows` classifies them (an opinions list, a table of groups),
    or None when some row is not a plain data row (heading, section, subtotal, repeated
    header, number row, no text, a group without its full code)."""
    width = len(columns)
    n = len(rows)
    if n == 0 or any(c.index >= width for c in header.chosen.values()):
        return None
    valid = [pc.is_valid(c) for c in columns]
    any_cell = valid[0]
    for v in valid[1:]:
        any_cell = pc.or_(any_cell, v)
    keep = any_cell.to_numpy(zero_copy_only=False)
    if not keep.all():  # lines of empty cells: the row-wise reader skips them
        idx = pa.array(np.flatnonzero(keep))
        columns = [c.take(idx) for c in columns]
        rows = rows[keep]
        valid = [pc.is_valid(c) for c in columns]
        n = len(rows)
        if n == 0:
            return None
    # cells as the row-wise reader holds them: Unicode checked for legacy text, normalised
    for c in columns:
        flagged = maybe_legacy(c)
        if pc.any(flagged).as_py() and not all(
                _legacy_free(v) for v in pc.unique(pc.filter(c, flagged)).to_pylist()):
            return None
    columns = [normalize_arrow(c, only_non_ascii=True) for c in columns]
    suspects = np.zeros(n, dtype=bool)
    # a repeated header: at least two of its cells equal to the header's labels
    hits = np.zeros(n, dtype=np.int64)
    for col in header.columns:
        parts = sorted(_label_parts(col.label))
        arr = columns[col.index]
        hit = pc.is_in(arr, value_set=pa.array(parts, pa.large_string()))
        odd = ascii_whitespace_irregular(arr)
        hits += pc.fill_null(pc.or_(hit, odd), False).to_numpy(zero_copy_only=False)
    suspects |= hits >= max(2, len(header.columns) // 2)
    # a column-number row: every cell short
    short = None
    for c in columns:
        s = pc.or_kleene(pc.is_null(c), pc.less_equal(pc.utf8_length(c), 6))
        short = s if short is None else pc.and_(short, s)
    suspects |= pc.fill_null(short, True).to_numpy(zero_copy_only=False)
    if header.table.name != "opinions":
        # a table of groups: plain when every row names its group by a full code (then the
        # row-wise reader takes it as data whatever its counts say: no heading, no subtotal)
        code = header.chosen.get("group_code")
        if code is None or any(c.role == "groups_count" for c in header.columns):
            return None
        if not pc.all(pc.fill_null(pc.match_substring_regex(
                columns[code.index], _FULL_GROUP_CODE), False)).as_py():
            return None
        return _block(columns, rows, suspects, header, resolver)
    # a row without text, or a short text alone (a ward heading, a section title)
    text = columns[header.chosen["text"].index]
    others = None
    for role, col in header.chosen.items():
        if role == "text":
            continue
        # a cell that normalising emptied ('\u200b') is "" (not blank): no text either
        v = pc.fill_null(pc.not_equal(columns[col.index], ""), False)
        others = v if others is None else pc.or_(others, v)
    alone = pc.invert(others) if others is not None else pa.array(np.ones(n, dtype=bool))
    suspects |= pc.fill_null(pc.equal(text, ""), True).to_numpy(zero_copy_only=False)
    suspects |= pc.fill_null(alone, True).to_numpy(zero_copy_only=False)
    return _block(columns, rows, suspects, header, resolver)


def _block(columns: list[pa.Array], rows: np.ndarray, suspects: np.ndarray, header,
           resolver: nm.WardResolver) -> ColumnarBlock | None:
    """The block of data rows, once each suspect row is proven a data row (else None)."""
    for i in np.flatnonzero(suspects):
        row = [c[i].as_py() for c in columns]
        if not _plain_row(row, header, resolver):
            return None
    block = ColumnarBlock(header)
    block.columns = {role: columns[col.index] for role, col in header.chosen.items()}
    block.rows = rows
    firsts = []  # (first row filled, role order): the order the row-wise reader counts in
    for order, role in enumerate(("year", "ward_code", "ward_name")):
        if role in block.columns:
            arr = block.columns[role]
            filled = pc.fill_null_forward(arr)
            n_filled = arr.null_count - filled.null_count
            if n_filled:
                took = pc.and_(pc.is_null(arr), pc.is_valid(filled))
                firsts.append((int(np.argmax(took.to_numpy(zero_copy_only=False))), order,
                               role, n_filled))
                block.columns[role] = filled
    for _, _, role, n_filled in sorted(firsts):
        block.filled_down[role] = n_filled
    return block


def _legacy_free(text: str) -> bool:
    """A non-ASCII text of Windows-1252 characters only that gives the legacy detector no
    points for either encoding ("Mat ngo – de nghi", "Ông Ngô"): the sheet's verdict stays
    None, so the row-wise reader leaves it as it is and does not flag it."""
    from hbt_analysis import legacy

    if _CONTROL_PY.search(text):
        return False
    a = legacy.assess(text)  # no points: pooled with any other texts, still no verdict
    return a.verdict is None and a.mojibake == 0 and a.tcvn3.points == 0 \
        and a.vni.points == 0


def _plain_row(row: list[object], header, resolver: nm.WardResolver) -> bool:
    """The row-wise reader's tests of one row, in its order: a data row?"""
    if all(c is None for c in row):
        return True
    texts = [cell_text(c) for c in row]
    if not any(texts):
        return False  # skipped row by row
    if is_header_repeat(row, header, texts) or is_number_row(row):
        return False
    if header.table.name != "opinions":
        return True  # its group code is a full one (checked by columns): a data row
    values = {role: (row[c.index] if c.index < len(row) else None)
              for role, c in header.chosen.items()}
    text = cell_text(values.get("text"))
    others = [cell_text(v) for r, v in values.items() if r != "text" and cell_text(v)]
    if not text:
        return False
    if not others and len(text.split()) <= 8:
        ward = resolver.find_in(text)
        if ward and _looks_like_heading(text):
            return False
        if _SECTION_RE.match(fold(text)) or (text.isupper() and len(text) > 3):
            return False
    return True


# --- the raw table ----------------------------------------------------------------------

def raw_table(table: Table, piece, resolver: nm.WardResolver, year: int | None,
              problems: list[Problem], mapped: dict[str, dict[str, str]]) -> RawTable | None:
    """`frame._raw_table` for one columnar piece: codes checked by columns, the rows that
    need the resolver resolved by its own function; None to read the file row-wise."""
    from hbt_analysis.intake.codes import _resolve_units_once
    from hbt_analysis.intake.frame import _DAY_MONTH, _note

    block: ColumnarBlock = piece.block
    cols = dict(block.columns)
    n = len(block.rows)
    headers = {role: col.label for role, col in piece.header.chosen.items()}
    if year is not None and "year" in headers and cols["year"].null_count == n:
        return None  # a blank year column: the row-wise reader fills it in and says so
    if "conference_date" in cols and any(
            _DAY_MONTH.match(normalize(cell_text(v)))
            for v in pc.unique(cols["conference_date"]).to_pylist() if v is not None):
        return None  # dates without a year ('15/1'): completed row by row, with a warning
    names_in_table = set(table.names)
    null = pa.nulls(n, pa.large_string())
    ward = cols.get("ward_code", null)
    group = cols.get("group_code", null)
    ward_name = cols.get("ward_name", null)
    group_name = cols.get("group_name", null)
    known = pa.array(sorted(resolver.names), pa.large_string())
    ctx = piece.context_ward
    plain = pc.fill_null(pc.is_in(ward, value_set=known), False)
    plain = pc.and_(plain, pc.is_null(ward_name))
    if ctx is not None:
        plain = pc.and_(plain, pc.fill_null(pc.equal(ward, ctx), False))
    prefix_ok = _prefix_matches(group, ward)
    sep = pc.utf8_slice_codeunits(group, 5, 6)
    group_ok = pc.and_(prefix_ok, pc.fill_null(pc.is_in(sep, value_set=pa.array(
        ["", "-", "_"], pa.large_string())), False))
    ward_level = pc.and_(pc.is_null(group), pc.is_null(group_name))
    plain = pc.and_(plain, pc.or_(ward_level, pc.fill_null(group_ok, False)))
    plain_np = plain.to_numpy(zero_copy_only=False)
    ward_out = ward
    group_out = pc.if_else(ward_level, null, group)
    odd = np.flatnonzero(~plain_np)
    if len(odd):
        ward_fix: list[object] = []
        group_fix: list[object] = []
        name_fix: list[object] = []
        resolved: dict[tuple, dict[str, object]] = {}
        for i in odd:
            rec = {role: arr[int(i)].as_py() for role, arr in cols.items()}
            rec["_ward_ctx"] = ctx
            rec["_row"] = int(block.rows[i])
            out: dict[str, object] = {k: rec[k] for k in rec if k in names_in_table}
            _resolve_units_once(out, rec, piece, table, resolver, problems, mapped, resolved)
            ward_fix.append(out.get("ward_code"))
            group_fix.append(out.get("group_code"))
            name_fix.append(out.get("ward_name"))
        mask = pa.array(~plain_np)
        if "ward_name" in cols and "ward_name" in names_in_table:
            cols["ward_name"] = pc.replace_with_mask(cols["ward_name"], mask,
                                                     pa.array(name_fix, pa.large_string()))
        ward_out = pc.replace_with_mask(ward_out, mask, pa.array(ward_fix, pa.large_string()))
        group_out = pc.replace_with_mask(group_out, mask,
                                         pa.array(group_fix, pa.large_string()))
    cols["ward_code"] = ward_out
    cols["group_code"] = group_out
    if table.name == "opinions" and "opinion_id" not in headers:
        cols["opinion_id"] = pa.array([f"{year or 'x'}-{i:05d}" for i in range(1, n + 1)],
                                      pa.large_string())
        block.notes.append(_note("opinion_id"))
    if table.name == "opinions" and "level" not in headers:
        cols["level"] = pc.if_else(pc.fill_null(pc.not_equal(group_out, ""), False),
                                   "to_dan_pho", "phuong").cast(pa.large_string())
        block.notes.append(_note("level"))
    names = [c.name for c in table.columns if c.name in cols]
    frame = pd.DataFrame({ROW: block.rows, SRC: np.full(n, piece.where(), dtype=object)})
    for name in names:
        frame[name] = pd.Series(pd.arrays.ArrowStringArray(cols[name]), copy=False)
    header_row = piece.header.rows[-1] + 1
    return RawTable(piece.path, table, frame, headers, header_row, [], piece.sheet, set(),
                    {c for c in ("ward_code", "group_code") if c not in headers},
                    columnar=True)


def _prefix_matches(group: pa.Array, ward: pa.Array) -> pa.Array:
    """group.startswith(ward) for each row (both strings; null when either is)."""
    lengths = pc.utf8_length(ward)
    out = None
    for k in pc.unique(pc.drop_null(lengths)).to_pylist():
        head = pc.utf8_slice_codeunits(group, 0, k)
        same = pc.and_(pc.equal(lengths, k), pc.equal(head, ward))
        out = same if out is None else pc.or_(out, same)
    if out is None:
        return pa.nulls(len(group), pa.bool_())
    return out


__all__ = ["COLUMNAR_TABLES", "ColumnarBlock", "PlainFile", "enabled", "raw_table",
           "read_plain"]

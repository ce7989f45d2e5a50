"""`validate.cells.coerce` of a table read by columns: the same values and the same problems.

A column of Arrow strings (null = blank cell) is typed without a loop over its rows: text
columns through `arrow_text.normalize_arrow`, the others by parsing each distinct value once
with the row-wise parser (`validate.cells._parse_cell`). The cells that parse to a good value
are done; every other cell (blank, unreadable, below its minimum) goes, with its row, through
the row-wise coercion itself (`validate.cells._coerce_column`), so that its problems are word
for word those of the row-wise path, in the same order (the good cells add none).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hbt_analysis.arrow_text import normalize_arrow
from hbt_analysis.io import ROW, SRC, CellError, RawTable
from hbt_analysis.schema import Column

#: Columns whose text the row-wise parser maps to a code (never normalised text only).
_CODED = ("ward_code", "old_ward_code", "level", "status", "staff_item")
#: Beyond this many distinct values a non-text column is coerced row by row.
MAX_DISTINCT = 200_000


def column_array(frame: pd.DataFrame, name: str) -> pa.Array:
    """A frame's Arrow-backed text column as one Arrow array."""
    arr = pa.array(frame[name].array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.large_string())


def coerce_column(raw: RawTable, col: Column,
                  rowwise: Callable[[RawTable, Column], tuple[pd.Series, list]],
                  parse: Callable[[Column, object], object]) -> tuple[pd.Series, list]:
    """(typed values, problems) of one column of a columnar RawTable."""
    if col.dtype == "date":  # the order of day and month is decided on the whole column
        return rowwise(_objects(raw, None, col.name), col)
    arr = column_array(raw.frame, col.name)
    if col.dtype == "str" and col.name not in _CODED:
        values = normalize_arrow(arr, only_ascii=True)  # the reader normalised the others
        good = pc.fill_null(pc.not_equal(values, ""), False)
        kind = "str"
    else:
        uniques = pc.unique(pc.drop_null(arr))
        if len(uniques) > MAX_DISTINCT:
            return rowwise(_objects(raw, None, col.name), col)
        parsed, ok = [], []
        for cell in uniques.to_pylist():
            try:
                value = parse(col, cell)
            except CellError:
                value = None
            fine = value is not None and not (
                col.min_value is not None and isinstance(value, int | float)
                and value < col.min_value)
            parsed.append(value if fine else None)
            ok.append(fine)
        index = pc.index_in(arr, value_set=uniques)
        good = pc.fill_null(pc.take(pa.array(ok, pa.bool_()), index), False)
        kind = "int" if col.dtype == "int" else "str"
        typed = pa.array(parsed, pa.int64() if kind == "int" else pa.large_string())
        values = pc.take(typed, index)
    if not col.required and col.name != "opinions_count":
        # a blank optional cell is None, with no problem (a blank count is read as 0 and
        # said so: the row-wise path does that)
        good = pc.or_(good, pc.is_null(arr))
    rest = np.flatnonzero(~good.to_numpy(zero_copy_only=False))
    problems: list = []
    if len(rest):
        fixed, problems = rowwise(_objects(raw, rest, col.name), col)
        patch = pa.array(fixed.astype(object).where(fixed.notna(), None).tolist(),
                         values.type)
        values = pc.replace_with_mask(values, pa.array(~good.to_numpy(
            zero_copy_only=False)), patch)
    if kind == "int":
        return pd.Series(pd.array(values.to_pandas(types_mapper=pd.ArrowDtype)
                                  .astype("Int64"), dtype="Int64")), problems
    return pd.Series(pd.arrays.ArrowStringArray(values), dtype="str"), problems


def _objects(raw: RawTable, rows: np.ndarray | None, name: str) -> RawTable:
    """The RawTable's column `name` (with its rows and files), or the given rows of it, as
    Python objects, None for blank cells: what the row-wise coercion reads."""
    keep = [c for c in (ROW, SRC, name) if c in raw.frame.columns]
    frame = raw.frame[keep] if rows is None else raw.frame[keep].iloc[rows]
    out = pd.DataFrame(index=range(len(frame)))
    for c in keep:
        s = frame[c]
        if isinstance(s.dtype, pd.StringDtype | pd.ArrowDtype):
            out[c] = pd.Series(s.astype(object).where(s.notna(), None).tolist(), dtype=object)
        else:
            out[c] = s.to_numpy()
    return replace(raw, frame=out, columnar=False)

"""`text.normalize` and the reader's cell tests over Arrow string arrays, exactly.

Each function answers what its Python twin answers for every cell; the vectorised part only
proves that a cell needs no work (a superset test picks the cells that might), and those
cells go through the Python function itself, once per distinct value. Used by the columnar
reader (`intake.columnar`) and the columnar coercion (`coerce_arrow`).
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from hbt_analysis.legacy_codes import _CP1252_CHARS
from hbt_analysis.text import _TONED_A, _TONED_E, _TONED_Y, _normalize_one


def _cls(chars: str) -> str:
    """An RE2 character-class body naming the characters by code point, runs as ranges."""
    points = sorted({ord(c) for c in chars})
    out, i = [], 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        a, b = points[i], points[j]
        out.append(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}")
        i = j + 1
    return "".join(out)


#: What Python's str.isspace() (and so str.strip, str.split) calls whitespace.
_PY_SPACE = "".join(c for c in map(chr, range(0x3001)) if c.isspace())
_BLANK_RE = f"^[{_cls(_PY_SPACE)}]*$"
#: ASCII cells whose `cell_text` (whitespace collapsed) differs from the cell.
_ASCII_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "
_IRREGULAR_RE = (f"^[{_cls(_ASCII_SPACE)}]|[{_cls(_ASCII_SPACE)}]$|  |"
                 f"[{_cls(_ASCII_SPACE.replace(' ', ''))}]")
#: Characters no legacy-encoded cell is made of only (see legacy: Unicode text is never
#: legacy); control characters make a cell garbled.
_OUTSIDE_1252_RE = f"[^{_cls(_CP1252_CHARS)}]"
_CONTROL = "".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32), *range(0x7F, 0xA0)])) + \
    "\ufffd"
_CONTROL_RE = f"[{_cls(_CONTROL)}]"
_CONTROL_PY = re.compile(f"[{re.escape(_CONTROL)}]")
_OUTSIDE_1252_PY = re.compile("[^" + re.escape(_CP1252_CHARS) + "]")

#: Characters `normalize` leaves alone wherever they stand: printable ASCII, the precomposed
#: Latin letters Vietnamese uses (and the other Latin-1/Extended-A/B letters), a little
#: typographic punctuation. Anything else (combining marks, zero-width, non-space
#: whitespace) sends the cell to `normalize`.
SAFE_CHARS = (
    "".join(map(chr, range(0x20, 0x7F)))
    + "".join(map(chr, range(0xC0, 0x250)))
    + "".join(map(chr, range(0x1EA0, 0x1EFA)))
    + "“”‘’–—…•°«»"
)
#: The safe characters that Python's regex counts as word characters (\w): a tone pair
#: followed by one of them is inside a syllable ("toàn"), which `normalize` leaves alone.
SAFE_WORD_CHARS = "".join(c for c in SAFE_CHARS if re.match(r"\w", c))
_END = f"(?:$|[^{_cls(SAFE_WORD_CHARS)}])"
#: A superset of what `normalize` rewrites: outside the safe characters, a tone-placement
#: pair ending a syllable, leading, trailing or doubled spaces, and its punctuation rules
#: (their look-arounds left out, which only widens them).
_MAY_CHANGE_RE = (
    f"[^{_cls(SAFE_CHARS)}]|[oO][{_cls(''.join(_TONED_A) + ''.join(_TONED_E))}]{_END}|"
    f"[uU][{_cls(''.join(_TONED_Y))}]{_END}|^ | $|  |"
    r" [,.;:!?)\]}" + "\\x{2026}" + r"]|\( |\[ |\{ |,[^ ]|;[^ ]|!!|\?\?"
)


def python_whitespace_only(arr: pa.Array) -> pa.Array:
    """True where the cell is empty or whitespace only (Python's meaning): a blank cell."""
    return pc.fill_null(pc.match_substring_regex(arr, _BLANK_RE), False)


def ascii_whitespace_irregular(arr: pa.Array) -> pa.Array:
    """True where an ASCII cell's collapsed text (`cell_text`) may differ from the cell."""
    return pc.match_substring_regex(arr, _IRREGULAR_RE)


def maybe_legacy(arr: pa.Array) -> pa.Array:
    """True where the legacy repair might touch or flag a cell: non-ASCII text made only of
    Windows-1252 characters, or with control characters (null cells: False)."""
    non_ascii = pc.invert(pc.string_is_ascii(arr))
    unicode_text = pc.match_substring_regex(arr, _OUTSIDE_1252_RE)
    control = pc.match_substring_regex(arr, _CONTROL_RE)
    out = pc.and_(non_ascii, pc.or_(pc.invert(unicode_text), control))
    return pc.fill_null(out, False)


def maybe_legacy_text(text: str) -> bool:
    """`maybe_legacy` for one Python string."""
    return not text.isascii() and (not _OUTSIDE_1252_PY.search(text)
                                   or bool(_CONTROL_PY.search(text)))


def normalize_arrow(arr: pa.Array, only_non_ascii: bool = False,
                    only_ascii: bool = False) -> pa.Array:
    """`text.normalize` of every non-null cell, computed once per distinct changed value.

    `only_non_ascii`: of the non-ASCII cells (as the reader normalises a sheet's cells);
    `only_ascii`: of the ASCII cells (the others are normalised already: normalize is
    idempotent, so the result is `normalize` of every cell)."""
    if only_ascii:
        ascii_ = pc.fill_null(pc.string_is_ascii(arr), False)
        flag = pc.fill_null(pc.match_substring_regex(pc.filter(arr, ascii_), _MAY_CHANGE_RE),
                            False)
        if not pc.any(flag).as_py():
            return arr
        flag = pc.replace_with_mask(pa.array(np.zeros(len(arr), dtype=bool)), ascii_, flag)
    else:
        flag = pc.fill_null(pc.match_substring_regex(arr, _MAY_CHANGE_RE), False)
    if only_non_ascii:
        flag = pc.and_(flag, pc.invert(pc.fill_null(pc.string_is_ascii(arr), True)))
    if not pc.any(flag).as_py():
        return arr
    picked = pc.filter(arr, flag)
    uniques = pc.unique(picked)
    fixed = pa.array([_normalize_one(v) for v in uniques.to_pylist()], pa.large_string())
    index = pc.index_in(picked, value_set=uniques)
    return pc.replace_with_mask(arr, flag, pc.take(fixed, index))

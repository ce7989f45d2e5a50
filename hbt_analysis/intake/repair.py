"""A sheet's cells made readable before anything reads them: legacy TCVN3/VNI text to Unicode,
one Unicode form for every text, merged ranges spread to each of their cells."""

from __future__ import annotations

import re

from hbt_analysis.intake.header import HEADER_SCAN_ROWS, column_letter
from hbt_analysis.text import normalize

#: Letters of Vietnamese that no legacy encoding read as Windows-1252 can produce.
_VIET_ONLY_UNICODE = re.compile("[ăĂơƠưƯđĐạ-ỹẠ-Ỹ]")


def _repair_legacy(rows: list[list[object]]) -> tuple[list[tuple[str, str, int]], list[str]]:
    """TCVN3/VNI text to Unicode. The sheet decides the encoding (a short header cell alone
    cannot), then each column is repaired with it; cells that are garbled beyond repair are
    returned (column letters) so that they are reported, never read as they are."""
    from hbt_analysis import legacy

    width = max((len(r) for r in rows), default=0)
    texts = [c for r in rows for c in r if isinstance(c, str) and not c.isascii()]
    if not texts:
        return [], []
    verdict = legacy.detect_column(texts)
    sheet_encoding = verdict if verdict in ("tcvn3", "vni") else None
    unicode_text = any(_VIET_ONLY_UNICODE.search(t) for t in texts)
    found: list[tuple[str, str, int]] = []
    garbled: list[str] = []
    unclear: dict[int, set[str]] = {}  # column -> texts no encoding could be proven for
    n_rows = 0
    done: set[tuple[int, int]] = set()  # cells converted by their row: never twice
    # title and header rows (no figures in them) decide together, as a line
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cells = [c for c in row if isinstance(c, str) and not c.isascii()]
        if sheet_encoding is None or len(cells) < 2 or any(
                isinstance(c, int | float) for c in row) or \
                legacy.assess_column(cells).verdict != sheet_encoding:
            continue
        fixed = legacy.repair_column(row)
        for i in fixed.converted:
            row[i] = fixed.values[i]
            done.add((r, i))
            n_rows += 1
    if n_rows:
        found.append(("", sheet_encoding, n_rows))  # title and header rows
    for j in range(width):
        column = [r[j] if j < len(r) and (i, j) not in done else None
                  for i, r in enumerate(rows)]
        distinct = list(dict.fromkeys(c for c in column if isinstance(c, str)))
        if not any(not c.isascii() for c in distinct):
            continue
        own = legacy.assess_column(distinct).verdict
        # a column decides for itself; one that cannot tell follows the sheet only when the
        # sheet is legacy throughout (no Unicode Vietnamese elsewhere in it)
        encoding = sheet_encoding if own == "uncertain" and not unicode_text else None
        fixed = legacy.repair_column(distinct, encoding=encoding)  # each text once
        if not fixed.converted and not fixed.garbled:
            continue
        new = {distinct[i]: (fixed.values[i], enc) for i, enc in fixed.converted.items()}
        bad = {distinct[i] for i in fixed.garbled}
        n = 0
        encodings: set[str] = set()
        for i, c in enumerate(column):
            if isinstance(c, str) and c in new:
                rows[i][j], enc = new[c]
                encodings.add(enc)
                n += 1
        if n:
            found.append((column_letter(j), encodings.pop() if len(encodings) == 1
                          else "mixed", n))
        if bad:
            unclear[j] = bad
    seen = {enc for _, enc, _ in found if enc in ("tcvn3", "vni")}
    for j, bad in unclear.items():
        # a short cell ('Thanh L­¬ng') cannot prove its encoding alone; in a sheet whose other
        # cells are certainly of one legacy encoding, it is read in it when every word then
        # is a Vietnamese syllable, else reported as garbled
        fixed = {}
        if len(seen) == 1:
            enc = next(iter(seen))
            for text in bad:
                new_text = legacy.to_unicode(text, enc)
                words = re.findall(r"[^\W\d_]+", new_text)
                if words and all(legacy.is_syllable(w.lower()) for w in words):
                    fixed[text] = new_text
        n = 0
        for row in rows:
            if j < len(row) and isinstance(row[j], str) and row[j] in fixed:
                row[j] = fixed[row[j]]
                n += 1
        if n:
            found.append((column_letter(j), enc, n))
        if set(bad) - set(fixed):
            garbled.append(column_letter(j))
    return found, garbled


def _normalize_text(rows: list[list[object]]) -> None:
    """One form for every text cell (NFC, one tone placement): 'hoà' and 'hòa' read alike."""
    cache: dict[str, str] = {}
    for row in rows:
        for j, cell in enumerate(row):
            if isinstance(cell, str) and not cell.isascii():
                fixed = cache.get(cell)
                if fixed is None:
                    fixed = cache[cell] = normalize(cell)
                row[j] = fixed


def _spread_merges(rows: list[list[object]], merged: list[tuple[int, int, int, int]]) -> int:
    """Give every cell of a merged range the value shown in it (its top-left cell)."""
    n = 0
    height = len(rows)
    for r0, c0, r1, c1 in merged:
        if r0 >= height or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        if value is None:
            continue
        for r in range(r0, min(r1, height - 1) + 1):
            row = rows[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if row[c] is None:
                    row[c] = value
                    n += 1
    return n


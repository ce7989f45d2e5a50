"""One path from an analysis frame to what a reader sees: labelled headers, numbers written
the Vietnamese way (35.323; 68,6%; +1,2 điểm %; 28/02/2023), codes in words.

Every table of every report and notebook goes through :func:`format_frame` (the notebooks
through `style.table`, the opinion analyses through `opinions.display_table`), so a column
is formatted and labelled the same way wherever it appears. What kind each column is, is
declared once here; its label once in `labels.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from hbt_analysis.fmt import Lang, fmt_date, fmt_int, fmt_num, fmt_pct, fmt_pp
from hbt_analysis.labels import LABELS, label
from hbt_analysis.schema import LEVEL_LABELS

#: Shares and rates (fractions shown as 68,6%).
PCT_COLUMNS = frozenset({
    "rate", "ci_low", "ci_high", "rate_base", "rate_new", "invited_share", "attended_share",
    "p0", "lower_95", "upper_95", "lower_998", "upper_998", "cumulative_share", "share_base",
    "share_new", "ward_rate", "share", "share_before", "share_after", "dominant_share",
    "other_share", "lower_95_od", "upper_95_od", "lower_998_od", "upper_998_od",
})
#: Changes of a share, in percentage points.
PP_COLUMNS = frozenset({"change", "change_low", "change_high", "within_part", "mix_part",
                        "total_change"})
#: Whole counts even when the frame holds them as floats.
INT_COLUMNS = frozenset({
    "count", "n", "opinions", "households_attended", "households_invited", "attended",
    "invited", "total", "count_before", "n_before", "count_after", "n_after", "rank", "theme",
    "groups", "units", "conferences",
})
YEAR_COLUMNS = frozenset({"year", "base_year", "clause", "year_before", "year_after"})
DECIMALS = {"opinions_per_100": 1, "score": 3, "similarity": 2, "z": 2, "p_value": 3,
            "p_adjusted": 3, "z_raw": 1, "z_adjusted": 1}
#: Columns holding codes that have a label ("below_998" -> "Dưới giới hạn 99,8%").
VALUE_LABEL_COLUMNS = frozenset({"position", "position_od", "status", "where", "level",
                                 "component", "metric", "signal"})
#: A share over fewer than 10 is written as a count ("3/7"), not a percentage: the share's
#: (numerator, denominator) columns.
SHARE_PARTS = {
    "share": ("count", "n"), "share_before": ("count_before", "n_before"),
    "share_after": ("count_after", "n_after"), "rate": ("attended", "invited"),
}
SMALL_N = 10


def format_value(column: str, value: Any, lang: Lang = "vi") -> str:
    """One cell as a person reads it (35.323; 68,6%; +1,2 điểm %; 28/02/2023)."""
    if isinstance(value, str):
        if column in VALUE_LABEL_COLUMNS:
            if value in LABELS:
                return label(value, lang)
            if column == "level":
                return LEVEL_LABELS["vi" if lang == "vi" else "en"].get(value, value)
        return value
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return "—"
    if isinstance(value, (bool, np.bool_)):
        return ("có" if value else "không") if lang == "vi" else ("yes" if value else "no")
    if isinstance(value, pd.Timestamp):
        return fmt_date(value, lang)
    if column in YEAR_COLUMNS:
        return str(int(value))  # 2023, never 2.023
    if column in PCT_COLUMNS:
        return fmt_pct(value, lang=lang)
    if column in PP_COLUMNS:
        return fmt_pp(value, lang=lang)
    if column in DECIMALS:
        return fmt_num(value, DECIMALS[column], lang)
    if column in INT_COLUMNS:
        return fmt_int(value, lang)
    if isinstance(value, float) and not float(value).is_integer():
        return fmt_num(value, 1, lang)
    if isinstance(value, (int, float)) or hasattr(value, "__int__"):
        return fmt_int(value, lang)
    return str(value)


def column_label(column: str, lang: Lang = "vi", base: int | None = None,
                 year: int | None = None) -> str:
    """The header of a column (its name when it has no label: a topic column, say)."""
    return label(column, lang, base=base, year=year) if column in LABELS else column


def _small_share(frame: pd.DataFrame, column: str, lang: Lang) -> pd.Series | None:
    """'3/7' where the share's denominator is below SMALL_N (None: nothing to replace)."""
    parts = SHARE_PARTS.get(column)
    if parts is None or not set(parts) <= set(frame.columns):
        return None
    num = pd.to_numeric(frame[parts[0]], errors="coerce")
    den = pd.to_numeric(frame[parts[1]], errors="coerce")
    small = den.notna() & (den > 0) & (den < SMALL_N)
    if not small.any():
        return None
    text = num.map(lambda x: fmt_int(x, lang)) + "/" + den.map(lambda x: fmt_int(x, lang))
    return text.where(small)


def format_frame(df: pd.DataFrame, lang: Lang = "vi", columns: Iterable[str] | None = None,
                 hide: Iterable[str] = (), base: int | None = None,
                 year: int | None = None) -> pd.DataFrame:
    """A frame of display strings with labelled headers (the columns given, or all but
    `hide`). Comparison headers name their years when `base`/`year` are given."""
    hidden = set(hide)
    cols = [c for c in (columns if columns is not None else df.columns) if c not in hidden]
    out = {}
    for c in cols:
        values = [format_value(c, v, lang) for v in df[c]]
        small = _small_share(df, c, lang)
        if small is not None:
            values = [s if isinstance(s, str) else v for s, v in zip(small, values, strict=True)]
        out[column_label(c, lang, base, year)] = values
    return pd.DataFrame(out, index=range(len(df)))

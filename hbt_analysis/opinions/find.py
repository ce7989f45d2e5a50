"""Search: opinions containing a query, whatever the diacritics, tone placement or case."""

from __future__ import annotations

import re

import pandas as pd

from hbt_analysis.opinions.display import texts_for_showing, topic_label


def search(opinions: pd.DataFrame, query: str, column: str = "text") -> pd.DataFrame:
    """Opinions whose text contains `query`, ignoring diacritics, tone placement, case and
    repeated spaces: "rac thai", "rác thải" and "Rác  thải" find the same opinions.

    The query matches whole syllables ("rac" does not find "trắc"). An empty query
    finds nothing.
    """
    from hbt_analysis.text import fold, fold_series

    needle = fold(query or "")
    if not needle:
        return opinions.iloc[0:0]
    pattern = r"(?<!\w)" + re.escape(needle) + r"(?!\w)"
    folded = fold_series(opinions[column].fillna("").astype("str"))
    mask = folded.str.contains(pattern, regex=True).fillna(False).astype(bool)
    return opinions[mask.to_numpy()]


def search_results(
    opinions: pd.DataFrame, query: str, redact: bool = True, limit: int | None = 20,
    lang: str = "vi", verbatim: bool = True,
) -> pd.DataFrame:
    """:func:`search` ready to show: opinion_id, level, ward_name, topic_name, text
    (redacted unless `redact=False`), at most `limit` rows (none with `verbatim=False`)."""
    found = search(opinions, query)
    if not verbatim:
        found = found.iloc[0:0]
    if limit is not None:
        found = found.head(limit)
    out = pd.DataFrame({
        "opinion_id": found.get("opinion_id", pd.Series(found.index, index=found.index)),
        "level": found.get("level", pd.NA),
        "ward_name": found["ward_name"] if "ward_name" in found else found.get("ward_code"),
        "topic_name": found["topic_primary"].map(lambda c: topic_label(c, lang))
        if "topic_primary" in found else pd.NA,
        "text": texts_for_showing(found, redact) if len(found) else [],
    }, index=found.index)
    return out.reset_index(drop=True)

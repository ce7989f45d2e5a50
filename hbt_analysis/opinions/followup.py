"""Follow-up: what the data records about how the opinions were answered (status)."""

from __future__ import annotations

import pandas as pd

from hbt_analysis.fmt import fmt_int, fmt_pct
from hbt_analysis.schema import STATUS_ALIASES, STATUSES, header_key

_STATUS_NAMES = {
    "vi": {"resolved": "Đã giải quyết", "in_progress": "Đang giải quyết",
           "forwarded": "Chuyển cấp trên"},
    "en": {"resolved": "Resolved", "in_progress": "In progress", "forwarded": "Forwarded"},
}


def status_code(value: object) -> str | None:
    """A status as written ("Đã giải quyết", "resolved", …) -> its code, or None."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    key = header_key(value).replace("_", " ")
    for code, aliases in STATUS_ALIASES.items():
        if key in {header_key(a).replace("_", " ") for a in aliases}:
            return code
    return None


def has_status(opinions: pd.DataFrame) -> bool:
    """True when the opinions carry a status column with at least one value."""
    return "status" in opinions and opinions["status"].notna().any()


def status_shares(opinions: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Share of opinions resolved, in progress and forwarded (of those with a status).

    Empty when the data records no status (see :func:`status_sentence`). Values the
    schema does not know are counted under status "other".
    """
    cols = ["status", "status_name", "count", "share"]
    if not has_status(opinions):
        return pd.DataFrame(columns=cols)
    codes = opinions["status"].map(status_code, na_action="ignore")
    known = codes.where(codes.notna() | opinions["status"].isna(), "other").dropna()
    counts = known.value_counts()
    other = ("Khác", "Other")[lang != "vi"]
    rows = [
        {"status": c, "status_name": _STATUS_NAMES["vi" if lang == "vi" else "en"].get(c, other),
         "count": int(counts.get(c, 0))}
        for c in (*STATUSES, "other") if c != "other" or counts.get("other", 0)
    ]
    out = pd.DataFrame(rows, columns=cols[:-1])
    out["share"] = out["count"] / max(int(counts.sum()), 1)
    return out


def status_sentence(opinions: pd.DataFrame, lang: str = "vi") -> str:
    """"Of the n opinions with a status, x% were resolved, ..." or that the data has none."""
    if not has_status(opinions):
        if lang == "vi":
            return "Dữ liệu không có thông tin về kết quả giải quyết ý kiến."
        return "The data has no information on how the opinions were followed up."
    table = status_shares(opinions, lang)
    n = int(table["count"].sum())
    parts = ", ".join(
        f"{fmt_pct(r.share, lang=lang)} {r.status_name.lower()}" for r in table.itertuples()
    )
    if lang == "vi":
        return f"Trong {fmt_int(n)} ý kiến có ghi tình trạng: {parts}."
    return f"Of the {fmt_int(n, lang='en')} opinions with a status: {parts}."

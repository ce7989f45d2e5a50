"""What a reader sees: the Vietnamese (or English) labels of this package's columns, topic
and level names, and :func:`display_table`, which writes any of its frames the local way
(35.323; 68,6%). Texts meant to be shown go through :func:`texts_for_showing` (redacted).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from hbt_analysis.fmt import fmt_int, fmt_num, fmt_pct, fmt_pp
from hbt_analysis.schema import LEVEL_LABELS, LEVELS

TOPIC_COLUMNS = ("topic_primary", "topic_secondary")
LEVEL_CHOICES = (*LEVELS, "all")



class OpinionsInputError(ValueError):
    """A parameter a user typed (level, ward, year) that the data cannot answer."""


# --------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------
#: Reader-facing labels of the columns this module returns (vi, en).
COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "level": ("Cấp hội nghị", "Level"),
    "topic": ("Mã lĩnh vực", "Topic code"),
    "topic_name": ("Lĩnh vực", "Topic"),
    "count": ("Số ý kiến", "Opinions"),
    "n": ("Tổng số ý kiến", "All opinions"),
    "share": ("Tỷ lệ", "Share"),
    "ci_low": ("Cận dưới 95%", "95% CI low"),
    "ci_high": ("Cận trên 95%", "95% CI high"),
    "ward_code": ("Mã phường", "Ward code"),
    "ward_name": ("Phường", "Ward"),
    "group_code": ("Mã tổ dân phố", "Group code"),
    "group_name": ("Tổ dân phố", "Residential group"),
    "opinions": ("Số ý kiến", "Opinions"),
    "households_attended": ("Số hộ dự", "Households attended"),
    "attended": ("Số hộ dự", "Households attended"),
    "opinions_per_100": ("Ý kiến / 100 hộ dự", "Opinions per 100 attending"),
    "total": ("Tổng", "Total"),
    "term": ("Từ, cụm từ", "Word or phrase"),
    "kind": ("Loại", "Kind"),
    "score": ("Điểm TF-IDF", "TF-IDF score"),
    "rank": ("Thứ tự", "Rank"),
    "words": ("Từ nổi bật", "Top words"),
    "phrases": ("Cụm từ nổi bật", "Top phrases"),
    "theme": ("Chủ đề", "Theme"),
    "dominant_topic": ("Lĩnh vực chiếm nhiều nhất", "Main taxonomy topic"),
    "dominant_share": ("Tỷ lệ lĩnh vực đó", "Its share"),
    "other_share": ("Tỷ lệ \"Khác\"", "Share \"other\""),
    "examples": ("Ý kiến tiêu biểu", "Example opinions"),
    "opinion_id": ("Mã ý kiến", "Opinion ID"),
    "text": ("Nội dung ý kiến", "Opinion text"),
    "similarity": ("Độ tương đồng", "Similarity"),
    "year_before": ("Năm trước", "Earlier year"),
    "year_after": ("Năm sau", "Later year"),
    "count_before": ("Số ý kiến (năm trước)", "Opinions (earlier)"),
    "n_before": ("Tổng (năm trước)", "All (earlier)"),
    "share_before": ("Tỷ lệ (năm trước)", "Share (earlier)"),
    "count_after": ("Số ý kiến (năm sau)", "Opinions (later)"),
    "n_after": ("Tổng (năm sau)", "All (later)"),
    "share_after": ("Tỷ lệ (năm sau)", "Share (later)"),
    "change": ("Thay đổi", "Change"),
    "z": ("z", "z"),
    "p_value": ("p", "p"),
    "p_adjusted": ("p hiệu chỉnh (BH)", "p adjusted (BH)"),
    "significant": ("Khác biệt rõ", "Clear change"),
    "status": ("Mã tình trạng", "Status code"),
    "status_name": ("Tình trạng", "Status"),
    "matched": ("Cụm từ quyết định", "Matched phrases"),
    "topic_secondary_name": ("Lĩnh vực thứ hai", "Second topic"),
}

_INT_COLUMNS = {
    "count", "n", "opinions", "households_attended", "attended", "total", "count_before",
    "n_before", "count_after", "n_after", "rank", "theme",
}
_YEAR_COLUMNS = {"year", "year_before", "year_after"}
_PCT_COLUMNS = {
    "share", "ci_low", "ci_high", "share_before", "share_after", "dominant_share",
    "other_share",
}
_DECIMALS = {
    "opinions_per_100": 1, "score": 3, "similarity": 2, "z": 2, "p_value": 3, "p_adjusted": 3,
}

def column_label(column: str, lang: str = "vi") -> str:
    """The reader's header for one of this module's columns (or the column name itself)."""
    pair = COLUMN_LABELS.get(column)
    if pair is None:
        return column
    return pair[0] if lang == "vi" else pair[1]


def level_label(level: str, lang: str = "vi") -> str:
    """'to_dan_pho' -> 'Tổ dân phố' (vi) / 'Residential group' (en)."""
    return LEVEL_LABELS["vi" if lang == "vi" else "en"].get(level, level)


def topic_label(code: object, lang: str = "vi") -> str:
    """A topic code's name from the taxonomy; the code itself if the taxonomy lacks it."""
    if code is None or (not isinstance(code, str) and pd.isna(code)):
        return "—"
    try:
        from hbt_analysis.topics import topic_name
    except ImportError:  # the taxonomy module is optional for this module's arithmetic
        return str(code)
    try:
        return topic_name(str(code), lang=lang)
    except (KeyError, ValueError):
        return str(code)


def _all_topic_codes() -> list[str]:
    try:
        from hbt_analysis.topics import TOPIC_CODES
    except ImportError:
        return []
    return list(TOPIC_CODES)


def display_table(
    frame: pd.DataFrame, lang: str = "vi", hide: Iterable[str] = ("topic", "status"),
) -> pd.DataFrame:
    """`frame` as a reader sees it: labelled headers and numbers written the local way.

    Counts -> "1.435", shares -> "68,6%", changes -> "+1,2 điểm %", levels and booleans in
    words; the internal codes in `hide` (topic and status codes, which have their names
    beside them) are left out. The input is not modified; the result is strings.
    """
    frame = frame.drop(columns=[c for c in hide if c in frame.columns])
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        s = frame[col]
        if col in _YEAR_COLUMNS:
            out[col] = s.map(lambda x: "—" if pd.isna(x) else str(int(x)))
        elif col in _INT_COLUMNS:
            out[col] = s.map(lambda x: fmt_int(x, lang=lang))
        elif col in _PCT_COLUMNS:
            out[col] = s.map(lambda x: fmt_pct(x, lang=lang))
        elif col == "change":
            out[col] = s.map(lambda x: fmt_pp(x, lang=lang))
        elif col in _DECIMALS:
            out[col] = s.map(lambda x, d=_DECIMALS[col]: fmt_num(x, d, lang=lang))
        elif col == "level":
            out[col] = s.map(lambda x: level_label(x, lang))
        elif col == "significant":
            words = ("Có", "Không") if lang == "vi" else ("Yes", "No")
            out[col] = s.map(lambda x, w=words: w[0] if x is True or x == 1 else w[1])
        elif pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            out[col] = s.map(lambda x: fmt_int(x, lang=lang))  # topic columns of wide tables
        else:
            out[col] = s.astype("object").where(s.notna(), "—")
    return out.rename(columns={c: column_label(c, lang) for c in frame.columns})



def texts_for_showing(opinions: pd.DataFrame, redact: bool) -> list[str]:
    texts = opinions["text"].fillna("")
    if redact:
        from hbt_analysis.privacy import redact_series

        texts = redact_series(texts)
    return texts.tolist()

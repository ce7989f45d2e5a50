"""What a reader sees: the Vietnamese (or English) labels of this package's columns, topic
and level names, and :func:`display_table`, which writes any of its frames the local way
(35.323; 68,6%). Texts meant to be shown go through :func:`texts_for_showing` (redacted).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from hbt_analysis import display
from hbt_analysis.labels import LABELS, label
from hbt_analysis.schema import LEVEL_LABELS, LEVELS

TOPIC_COLUMNS = ("topic_primary", "topic_secondary")
LEVEL_CHOICES = (*LEVELS, "all")



class OpinionsInputError(ValueError):
    """A parameter a user typed (level, ward, year) that the data cannot answer."""


# --------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------
#: Reader-facing labels of the columns this package returns (vi, en): the one label table
#: (labels.LABELS), kept under this name for callers of the first version.
COLUMN_LABELS: dict[str, tuple[str, str]] = LABELS


def column_label(column: str, lang: str = "vi") -> str:
    """The reader's header for one of this package's columns (or the column name itself)."""
    return display.column_label(column, lang)


def level_label(level: str, lang: str = "vi") -> str:
    """'to_dan_pho' -> 'Tổ dân phố' (vi) / 'Residential group' (en)."""
    if level in LABELS:  # 'phuong' says the area's units ('Xã, thị trấn' in a huyện)
        return label(level, lang)
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

    Counts -> "1.435", shares -> "68,6%" (a count such as "3/7" when fewer than 10),
    changes -> "+1,2 điểm %", levels and booleans in words; the internal codes in `hide`
    (topic and status codes, which have their names beside them) are left out. The input
    is not modified; the result is strings. The one formatter: display.format_frame.
    """
    base = _first_year(frame, "year_before")
    year = _first_year(frame, "year_after")
    return display.format_frame(frame, lang, hide=hide, base=base, year=year)


def _first_year(frame: pd.DataFrame, column: str) -> int | None:
    if column not in frame or frame[column].dropna().empty:
        return None
    return int(frame[column].dropna().iloc[0])


def shorten(text: str, limit: int) -> str:
    """A wording cut at a word for a one-line bullet ('… nạo vét cống …'); a redaction
    marker the cut would split ('Liên hệ: [số điện thoại]') is left out whole."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    from hbt_analysis.privacy import cut_before_marker

    cut = len(text[:limit].rsplit(" ", 1)[0])
    marker = cut_before_marker(text, cut)
    kept = text[:cut] if marker == cut else text[:marker].rstrip(" (")
    kept = kept.rstrip(",;:") + " …"
    return kept + "”" if kept.count("“") > kept.count("”") else kept  # a quote stays closed


#: How an item raised by several groups, each about its own site, is worded: what they ask
#: is the same, the site quoted is one group's (represent.choose marks it `example`).
_EXAMPLE = {
    "vi": ("đề nghị cùng một việc, mỗi tổ ở địa bàn của mình. Ví dụ, {who}: “{text}”",
           "Ví dụ, {who}: “{text}”"),
    "en": ("ask for the same thing, each about its own area. For example, {who}: “{text}”",
           "For example, {who}: “{text}”"),
}


def request_wording(text: str, example_of: str | None = None, lang: str = "vi",
                    sentence: bool = False) -> str:
    """An item's wording as shown: its representative's words, or, for an item raised at
    several sites and quoted from one group (`example_of`: "TDP 3 (Bạch Mai)"), those words
    as that group's example ("Ví dụ, TDP 3 (Bạch Mai): “…”"). `sentence`: the form that
    follows "12 tổ dân phố …" ("đề nghị cùng một việc, mỗi tổ ở địa bàn của mình. Ví dụ,
    …"); else the form of a table cell."""
    if not example_of:
        return text
    words = _EXAMPLE["vi" if lang == "vi" else "en"][0 if sentence else 1]
    return words.format(who=example_of, text=text)


def texts_for_showing(opinions: pd.DataFrame, redact: bool) -> list[str]:
    texts = opinions["text"].fillna("")
    if redact:
        from hbt_analysis.privacy import redact_series

        texts = redact_series(texts)
    return texts.tolist()

"""What a reader sees: the Vietnamese (or English) labels of this package's columns, topic
and level names, and :func:`display_table`, which writes any of its frames the local way
(35.323; 68,6%). Texts meant to be shown go through :func:`texts_for_showing` (redacted).
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Sequence

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


# --------------------------------------------------------------------------------------
# Why these opinions are one request, in a leader's words
# --------------------------------------------------------------------------------------
#: Objects and actions an item's reason names at most.
_REASON_OBJECTS = 2
_REASON_ACTIONS = 1  # "lắp mới, bổ sung, sửa chữa" reads as a list, not a request


@functools.cache
def request_names() -> dict[str, dict[str, str]]:
    """{"objects": {name: plain words}, "actions": {...}}: resources/request_names.yaml,
    and for a family of request_synonyms.yaml it does not name, the family's first phrase
    (so a family added to the vocabulary is named the day it is added)."""
    from importlib import resources

    from hbt_analysis.opinions.request_words import load_phrases_yaml

    root = resources.files("hbt_analysis").joinpath("resources")
    vocab = load_phrases_yaml(root.joinpath("request_synonyms.yaml").read_text("utf-8")) or {}
    names = load_phrases_yaml(root.joinpath("request_names.yaml").read_text("utf-8")) or {}
    out: dict[str, dict[str, str]] = {}
    for section in ("objects", "actions"):
        given = {str(k): normalize_name(v) for k, v in (names.get(section) or {}).items()}
        out[section] = {
            str(k): given.get(str(k)) or normalize_name((phrases or [k])[0])
            for k, phrases in (vocab.get(section) or {}).items()}
        # the English pages' names: only those given (no Vietnamese phrase in an English line)
        out[section + "_en"] = {str(k): " ".join(str(v).split())
                                for k, v in (names.get(section + "_en") or {}).items()}
    return out


def normalize_name(value: object) -> str:
    from hbt_analysis.text import normalize

    return " ".join(normalize(str(value)).split())


def _shared(counts: Counter, members: int, order: Sequence[str], limit: int) -> list[str]:
    """What at least half of an item's members (and at least two) name, most named first."""
    need = max(2, -(-members // 2))
    kept = [k for k, n in counts.items() if n >= need]
    rank = {k: i for i, k in enumerate(order)}
    return sorted(kept, key=lambda k: (-counts[k], rank.get(k, len(rank)), k))[:limit]


#: The sentences of :func:`why_together`, by language: which one is said is decided once.
_REASON_FORMS = {
    "vi": {"objects_then_action": "Cùng nêu về {obj}; cùng đề nghị {act}",
           "action_object": "Cùng đề nghị {act} {obj}", "object": "Cùng nêu về {obj}",
           "action_terms": "Cùng đề nghị {act}; cùng nhắc tới “{terms}”",
           "terms": "Cùng nhắc tới “{terms}”",
           "topic": "Nội dung gần nhau, cùng lĩnh vực {topic}", "close": "Nội dung gần nhau",
           "place": ", cùng ở {place}"},
    "en": {"objects_then_action": "{who} are about {obj}; {who_l} ask to {act}",
           "action_object": "{who} ask to {act} {obj}", "object": "{who} are about {obj}",
           "action_terms": "{who} ask to {act}; they share the words “{terms}”",
           "terms": "They share the words: “{terms}”",
           "topic": "Close in wording, on {topic}", "close": "Close in wording",
           "place": ", all at {place}"},
}


def why_together(texts: Sequence[str], places: Sequence[Sequence[object]] | None = None,
                 key_terms: str = "", topic: object = None, lang: str = "vi") -> str:
    """Why an item's opinions were put together, as a leader reads it: the request they
    share in plain words — the action and the object most of them name ("Cùng đề nghị sửa
    chữa đèn chiếu sáng"; "All ask to repair street lights" where request_names.yaml names
    them in English), the place when every one names the same place ("…, cùng ở ngõ 46
    Lò Đúc") — else the words they share, else their field. No figure: how similar they are
    is the analyst's (consolidate.item_reason, shown in the notebook).

    `texts`: the members' opinions (as written or redacted: objects and actions survive
    redaction); `places`: their places (yearly.places_of), aligned with `texts`; a place
    or shared words that would show personal data are left out.
    """
    from hbt_analysis.opinions.request_words import request_concepts

    vi = lang == "vi"
    n = len(texts)
    if n <= 1:
        return "Chỉ một ý kiến." if vi else "A single opinion."
    names = request_names()
    objects: Counter[str] = Counter()
    actions: Counter[str] = Counter()
    for text in texts:
        concepts = request_concepts(str(text or ""))
        objects.update(concepts.objects)
        actions.update(concepts.actions)
    what = _shared(objects, n, list(names["objects"]), _REASON_OBJECTS)
    how = _shared(actions, n, list(names["actions"]), _REASON_ACTIONS)
    if vi:
        obj = " và ".join(names["objects"].get(o, o) for o in what)
        act = ", ".join(names["actions"].get(a, a) for a in how)
    else:  # a family with no English name: the shared words instead
        obj = (" and ".join(names["objects_en"][o] for o in what)
               if all(names["objects_en"].get(o) for o in what) else "")
        act = (", ".join(names["actions_en"][a] for a in how)
               if all(names["actions_en"].get(a) for a in how) else "")
    terms = str(key_terms or "").strip()
    if not any(" " in t.strip() for t in terms.split(",")):
        terms = ""  # single words ("mặt, hỏng") say less than the field
    elif _shows_personal_data(terms):
        terms = ""  # the members' own words, read before redaction
    if obj and act and len(what) > 1:
        form = "objects_then_action"  # the action need not apply to each ("trộm cắp và camera")
    elif obj and act:
        form = "action_object"
    elif obj:
        form = "object"
    elif act and terms:
        form = "action_terms"
    elif terms:
        form = "terms"
    else:
        form = "topic" if topic else "close"
    who = "Both" if n == 2 else "All"
    forms = _REASON_FORMS["vi" if vi else "en"]
    text = forms[form].format(obj=obj, act=act, terms=terms, who=who, who_l=who.lower(),
                              topic=topic_label(topic, lang) if topic else "")
    place = _one_place(places, n) if places is not None else ""
    if place:
        text += forms["place"].format(place=place)
    return text + "."


def _one_place(places: Sequence[Sequence[object]], n: int) -> str:
    """The place every member names (as the first of them wrote it), if it shows no
    personal data; else ""."""
    if len(places) != n or not all(places):
        return ""
    keys = [{(p.kind, p.name, p.number): p.text for p in member} for member in places]
    common = set(keys[0]).intersection(*keys[1:])
    if not common:
        return ""
    written = max((keys[0][k] for k in common), key=len)  # "ngõ 46 Lò Đúc" over "Lò Đúc"
    return written if written and not _shows_personal_data(written) else ""


def _shows_personal_data(text: str) -> bool:
    from hbt_analysis.privacy import redact

    return redact(text) != text

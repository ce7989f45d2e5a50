"""What people raised: counts, shares, words, themes and examples of the opinions (ý kiến).

Every function takes an opinions frame that already carries its topics (`topic_primary`,
`topic_secondary`: see topics.classify_opinions, or :func:`prepare` for a loaded year), so
the analysis can be tested on small hand-made frames and never depends on how the topics
were decided. Functions return tidy frames with English column names and raw numbers;
:func:`display_table` turns any of them into what a reader sees (Vietnamese headers,
35.323 and 68,6%). Sentences for the notebooks come from functions here, so they are tested.

An opinion may carry two topics. "Primary" counts give each opinion to one topic (shares
add up to 100%); "multi-label" counts (`multi=True`) count it under both, which answers
"how many opinions touched on traffic?" (shares then add up to more than 100%).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats

from hbt_analysis.attendance import wilson_interval
from hbt_analysis.fmt import fmt_int, fmt_num, fmt_pct, fmt_pp
from hbt_analysis.schema import (
    LEVEL_LABELS,
    LEVELS,
    STATUS_ALIASES,
    STATUSES,
    header_key,
    normalize_ward_code,
)

TOPIC_COLUMNS = ("topic_primary", "topic_secondary")
LEVEL_CHOICES = (*LEVELS, "all")


if TYPE_CHECKING:  # plotly is imported only when a figure is drawn
    pass


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

_STATUS_NAMES = {
    "vi": {"resolved": "Đã giải quyết", "in_progress": "Đang giải quyết",
           "forwarded": "Chuyển cấp trên"},
    "en": {"resolved": "Resolved", "in_progress": "In progress", "forwarded": "Forwarded"},
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


# --------------------------------------------------------------------------------------
# Scope
# --------------------------------------------------------------------------------------
def check_level(level: str) -> str:
    """`level` if it is one of to_dan_pho, phuong, all; else a bilingual error."""
    if level not in LEVEL_CHOICES:
        raise OpinionsInputError(
            f"Cấp hội nghị không hợp lệ: {level!r} (chọn to_dan_pho, phuong hoặc all) / "
            f"invalid level {level!r} (choose to_dan_pho, phuong or all)"
        )
    return level


def select(
    opinions: pd.DataFrame,
    ward: str | None = None,
    level: str = "all",
    known_wards: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The opinions of one ward (None = the district) and one level ("all" = both).

    A ward code that is not in `known_wards` raises a clear error; a known ward with no
    opinions gives an empty frame (the sentences then say so).
    """
    check_level(level)
    out = opinions
    if ward is not None:
        ward = normalize_ward_code(ward)
        if known_wards is not None and ward not in set(known_wards):
            raise OpinionsInputError(
                f"Không có phường mã {ward!r} trong dữ liệu / no ward with code {ward!r}"
            )
        out = out[out["ward_code"] == ward]
    if level != "all":
        out = out[out["level"] == level]
    return out.reset_index(drop=True)


def prepare(ds, ward: str | None = None, level: str = "all") -> pd.DataFrame:
    """A loaded year's opinions in scope, with topics and ward names, ready for analysis.

    Topics come from topics.classify_opinions (a staff-coded column wins where present).
    The year is classified once per process (see :func:`_classified_year`); each scope is
    a selection of it.
    """
    check_level(level)
    return select(_classified_year(ds), ward, level, known_wards=ds.wards["ward_code"])


#: Classified years of this process: (data hash, year) -> (opinions, wards, classified).
#: Every report a reused kernel runs, and every scope within one, shares the classification.
_CLASSIFIED: dict[tuple[str, int], tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]] = {}
_CLASSIFIED_YEARS = 4


def _classified_year(ds) -> pd.DataFrame:
    """All of a year's opinions with topics and ward names, classified once per process.

    Kept by the dataset's content hash, and reused only while `ds.opinions` and `ds.wards`
    still equal what was classified (a changed frame is classified again, never answered
    from the cache). Frames are copy-on-write (pandas 3): changing a returned frame never
    changes the kept one.
    """
    from hbt_analysis.topics import classify_opinions

    key = (str(getattr(ds, "content_hash", "")), int(ds.year))
    kept = _CLASSIFIED.pop(key, None)
    if kept is not None and kept[0].equals(ds.opinions) and kept[1].equals(ds.wards):
        _CLASSIFIED[key] = kept  # most recently used last
        return kept[2].copy(deep=False)
    classified = classify_opinions(ds.opinions)
    if "ward_name" not in classified.columns and len(ds.wards):
        names = ds.wards[["ward_code", "ward_name"]]
        classified = classified.merge(names, on="ward_code", how="left")
    _CLASSIFIED[key] = (ds.opinions.copy(deep=False), ds.wards.copy(deep=False), classified)
    while len(_CLASSIFIED) > _CLASSIFIED_YEARS:
        _CLASSIFIED.pop(next(iter(_CLASSIFIED)))
    return classified.copy(deep=False)


def scope_wards(ds, ward: str | None = None) -> pd.DataFrame:
    """The wards a scope covers: all 18 for the district, or the one ward."""
    if ward is None:
        return ds.wards
    return ds.wards[ds.wards["ward_code"] == ward].reset_index(drop=True)


def where_table(ds, scope: pd.DataFrame, ward: str | None = None) -> pd.DataFrame:
    """Where opinions came from: per ward for the district, per residential group for a ward."""
    if ward is None:
        return count_by_ward(scope, ds.wards)
    groups = ds.group_conferences[ds.group_conferences["ward_code"] == ward]
    return count_by_group(scope, groups)


def headline(ds, scope: pd.DataFrame, ward: str | None = None, level: str = "all",
             lang: str = "vi") -> str:
    """:func:`summary_sentence` for a loaded year and scope (the ward named, if any)."""
    name = None if ward is None else ds.ward_name(ward)
    return summary_sentence(scope, ds.year, ward_name=name, level=level, lang=lang)


# --------------------------------------------------------------------------------------
# Counts and shares
# --------------------------------------------------------------------------------------
def topic_long(opinions: pd.DataFrame, multi: bool = False) -> pd.DataFrame:
    """One row per (opinion, topic): the primary topic, plus the second one if `multi`."""
    keep = [c for c in ("opinion_id", "level", "ward_code", "group_code") if c in opinions]
    first = opinions[keep].assign(topic=opinions["topic_primary"], topic_rank=1)
    parts = [first]
    if multi and "topic_secondary" in opinions:
        second = opinions[keep].assign(topic=opinions["topic_secondary"], topic_rank=2)
        parts.append(second[second["topic"].notna()])
    out = pd.concat(parts, ignore_index=True)
    return out[out["topic"].notna()].reset_index(drop=True)


def _levels_of(opinions: pd.DataFrame, levels: Iterable[str] | None) -> list[str]:
    if levels is not None:
        return list(levels)
    present = set(opinions["level"].dropna()) if len(opinions) else set()
    return [lv for lv in LEVELS if lv in present] or list(LEVELS)


def count_by_topic(
    opinions: pd.DataFrame,
    multi: bool = False,
    lang: str = "vi",
    levels: Iterable[str] | None = None,
    all_topics: bool = True,
) -> pd.DataFrame:
    """Opinions per topic and level: level, topic, topic_name, count, n, share.

    `n` is the number of opinions of the level, so primary shares add up to 1 and
    multi-label shares to more. With `all_topics`, topics nobody raised appear with 0.
    """
    long = topic_long(opinions, multi)
    codes = _all_topic_codes() if all_topics else []
    rows = []
    for lv in _levels_of(opinions, levels):
        n = int((opinions["level"] == lv).sum())
        counts = long.loc[long["level"] == lv, "topic"].value_counts()
        topics = list(dict.fromkeys([*counts.index, *codes]))
        for code in topics:
            rows.append({"level": lv, "topic": code, "count": int(counts.get(code, 0)), "n": n})
    out = pd.DataFrame(rows, columns=["level", "topic", "count", "n"])
    out["count"] = out["count"].astype("int64")
    out["n"] = out["n"].astype("int64")
    out["share"] = np.where(out["n"] > 0, out["count"] / out["n"].where(out["n"] > 0, 1), np.nan)
    out.insert(2, "topic_name", out["topic"].map(lambda c: topic_label(c, lang)))
    order = {lv: i for i, lv in enumerate(LEVELS)}
    out = out.sort_values(
        ["level", "count", "topic"], key=lambda s: s.map(order) if s.name == "level" else s,
        ascending=[True, False, True],
    )
    return out.reset_index(drop=True)


def topic_shares(
    opinions: pd.DataFrame, multi: bool = False, confidence: float = 0.95, lang: str = "vi",
    levels: Iterable[str] | None = None,
) -> pd.DataFrame:
    """:func:`count_by_topic` with a Wilson interval for each share (ci_low, ci_high).

    The interval says how much a share could move by chance alone if the year's opinions
    were a sample of what residents think; read it as a guide, not a census fact.
    """
    out = count_by_topic(opinions, multi=multi, lang=lang, levels=levels)
    low, high = wilson_interval(out["count"], out["n"], confidence)
    return out.assign(ci_low=low, ci_high=high)


def count_by_ward(
    opinions: pd.DataFrame, wards: pd.DataFrame | None = None,
    levels: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Opinions per ward and level: level, ward_code, ward_name, count, share (of level).

    With `wards` (ds.wards) every ward appears, with 0 where nobody spoke.
    """
    rows = []
    names = _ward_names(opinions, wards)
    for lv in _levels_of(opinions, levels):
        sub = opinions[opinions["level"] == lv]
        counts = sub["ward_code"].value_counts()
        codes = list(wards["ward_code"]) if wards is not None else sorted(counts.index)
        for code in codes:
            rows.append({"level": lv, "ward_code": code, "ward_name": names.get(code, code),
                         "count": int(counts.get(code, 0))})
    out = pd.DataFrame(rows, columns=["level", "ward_code", "ward_name", "count"])
    out["count"] = out["count"].astype("int64")
    totals = out.groupby("level")["count"].transform("sum")
    out["share"] = out["count"] / totals.where(totals > 0)
    return out.sort_values(["level", "count"], ascending=[False, False]).reset_index(drop=True)


def _ward_names(opinions: pd.DataFrame, wards: pd.DataFrame | None) -> dict[str, str]:
    names: dict[str, str] = {}
    if "ward_name" in opinions:
        names.update(
            opinions.dropna(subset=["ward_name"]).drop_duplicates("ward_code")
            .set_index("ward_code")["ward_name"].to_dict()
        )
    if wards is not None:
        names.update(dict(zip(wards["ward_code"], wards["ward_name"], strict=True)))
    return names


def count_by_group(
    opinions: pd.DataFrame, groups: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Group-level opinions per residential group: ward_code, group_code, group_name, count.

    With `groups` (ds.group_conferences) every group that met appears, with 0 if silent.
    """
    sub = opinions[opinions["level"] == "to_dan_pho"]
    counts = sub.groupby("group_code").size()
    if groups is not None:
        cols = [c for c in ("ward_code", "ward_name", "group_code", "group_name") if c in groups]
        out = groups[cols].drop_duplicates("group_code").copy()
    else:
        out = sub[["ward_code", "group_code"]].drop_duplicates("group_code").copy()
    out["count"] = out["group_code"].map(counts).fillna(0).astype("int64")
    return out.sort_values(["count", "group_code"], ascending=[False, True]).reset_index(
        drop=True
    )


def topic_ward_table(
    opinions: pd.DataFrame,
    wards: pd.DataFrame | None = None,
    values: str = "count",
    multi: bool = False,
    lang: str = "vi",
) -> pd.DataFrame:
    """The topic × ward heat table: one row per ward, one column per topic (by name).

    values="count": opinions; values="share": each row divided by the ward's opinions
    (so rows add to 100% with primary topics). A `total` column holds the ward's opinions.
    """
    if values not in ("count", "share"):
        raise OpinionsInputError(
            f"values phải là 'count' hoặc 'share' / values must be 'count' or 'share': {values!r}"
        )
    long = topic_long(opinions, multi)
    names = _ward_names(opinions, wards)
    codes = (
        list(wards["ward_code"]) if wards is not None else sorted(opinions["ward_code"].unique())
    )
    present = long["topic"].value_counts()
    topic_order = [c for c in _all_topic_codes() if c in present.index] or list(present.index)
    topic_order += [c for c in present.index if c not in topic_order]
    table = pd.crosstab(long["ward_code"], long["topic"]).reindex(
        index=codes, columns=topic_order, fill_value=0
    )
    totals = opinions["ward_code"].value_counts().reindex(codes, fill_value=0)
    if values == "share":
        table = table.div(totals.where(totals > 0), axis=0)
    table.columns = [topic_label(c, lang) for c in table.columns]
    table.columns.name = None
    table.insert(0, "ward_name", [names.get(c, c) for c in table.index])
    table["total"] = totals.astype("int64").to_numpy()
    table.index.name = "ward_code"
    return table.reset_index()


def opinions_per_100(
    opinions: pd.DataFrame,
    group_conferences: pd.DataFrame,
    ward_conferences: pd.DataFrame,
    by: str = "ward",
    level: str = "all",
    ward: str | None = None,
) -> pd.DataFrame:
    """Opinions per 100 attending households, so big and small wards can be compared.

    by="ward": per ward and level (group-level opinions over the households that attended
    the ward's group conferences; ward-level over the ward conference's). by="group": per
    residential group (group level only). `ward` keeps one ward's rows. Columns: level,
    ward_code, ward_name,
    [group_code, group_name,] opinions, attended, opinions_per_100 (as charts expect).
    """
    check_level(level)
    if by == "group":
        counts = count_by_group(opinions, group_conferences)
        att = group_conferences.groupby("group_code")["households_attended"].sum()
        out = counts.rename(columns={"count": "opinions"})
        out["attended"] = out["group_code"].map(att).astype("Int64")
        out.insert(0, "level", "to_dan_pho")
    elif by == "ward":
        parts = []
        group_att = group_conferences.groupby("ward_code")["households_attended"].sum()
        ward_att = ward_conferences.groupby("ward_code")["households_attended"].sum()
        for lv, att in (("to_dan_pho", group_att), ("phuong", ward_att)):
            sub = opinions[opinions["level"] == lv]["ward_code"].value_counts()
            frame = pd.DataFrame({"ward_code": att.index, "attended": att.to_numpy()})
            frame.insert(0, "level", lv)
            frame["opinions"] = frame["ward_code"].map(sub).fillna(0).astype("int64")
            parts.append(frame)
        out = pd.concat(parts, ignore_index=True)
        source = ward_conferences if "ward_name" in ward_conferences else group_conferences
        names = (
            dict(zip(source["ward_code"], source["ward_name"], strict=True))
            if "ward_name" in source else {}
        )
        out.insert(2, "ward_name", out["ward_code"].map(lambda c: names.get(c, c)))
        out = out[["level", "ward_code", "ward_name", "opinions", "attended"]]
    else:
        raise OpinionsInputError(
            f"by phải là 'ward' hoặc 'group' / by must be 'ward' or 'group': {by!r}"
        )
    if level != "all":
        out = out[out["level"] == level]
    if ward is not None:
        out = out[out["ward_code"] == ward]
    attended = out["attended"].astype("float64")
    out = out.assign(opinions_per_100=100 * out["opinions"] / attended.where(attended > 0))
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Words: TF-IDF over segmented words
# --------------------------------------------------------------------------------------
def _is_content(token: str) -> bool:
    from hbt_analysis.text import STOPWORDS

    return (
        token not in STOPWORDS
        and any(ch.isalpha() for ch in token)
        and not token.replace("_", "").isdigit()
    )


def _is_proper_noun(tokens: list[str], i: int) -> bool:
    """A name of a street, ward or person: a capitalised syllable ("Trần_Bình_Trọng",
    "đường_Tuệ_Tĩnh") other than a sentence's first; acronyms (UBND, PCCC) stay."""
    caps = [p[:1].isupper() and not p.isupper() for p in tokens[i].split("_") if p]
    starts_sentence = i == 0 or tokens[i - 1] in {".", "!", "?", ":", ";", "-", "–", "\n"}
    return any(caps[1:]) if starts_sentence else any(caps)


def opinion_terms(texts: Iterable[str], drop_proper_nouns: bool = True) -> list[list[str]]:
    """For each text: its content words and two-word phrases.

    Words come from text.segment (underthesea, cached) with their syllables joined by "_"
    ("vỉa_hè"); a phrase is two neighbouring content words joined by a space
    ("lấn_chiếm vỉa_hè"). No phrase bridges a dropped stopword, so "rác và nước" gives
    the words "rác" and "nước" but no phrase. Street, ward and people's names (capitalised
    inside a sentence) are dropped by default: they say where, not what.
    """
    from hbt_analysis.text import segment_many

    out = []
    for tokens in segment_many(list(texts)):
        low = [t.lower() for t in tokens]
        keep = [
            _is_content(t) and not (drop_proper_nouns and _is_proper_noun(tokens, i))
            for i, t in enumerate(low)
        ]
        words = [t for t, k in zip(low, keep, strict=True) if k]
        phrases = [
            f"{low[i]} {low[i + 1]}" for i in range(len(low) - 1) if keep[i] and keep[i + 1]
        ]
        out.append(words + phrases)
    return out


def term_kind(term: str) -> str:
    """"phrase" for two words joined by a space ("lấn_chiếm vỉa_hè"), else "word"."""
    return "phrase" if " " in term else "word"


def readable_term(term: str) -> str:
    """A term as a person writes it: "lấn_chiếm vỉa_hè" -> "lấn chiếm vỉa hè"."""
    return term.replace("_", " ")


def _identity(doc: list[str]) -> list[str]:
    return doc


def top_terms(
    opinions: pd.DataFrame, by: str = "topic_primary", n: int = 10, min_count: int = 2,
    lang: str = "vi",
) -> pd.DataFrame:
    """The words and two-word phrases that set each topic (or ward, or level) apart.

    Each group's opinions form one document; TF-IDF across the groups (log-scaled counts
    times log(groups / groups using the term)) ranks a term high when the group uses it
    often and other groups rarely; a term every group uses scores 0. One group alone is
    ranked by frequency.
    Terms used fewer than `min_count` times in a group are dropped (one speaker's quirk).
    Columns: <by>, name, kind ("word"/"phrase"), rank, term (readable), count, score.
    """
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize

    cols = [by, "name", "kind", "rank", "term", "count", "score"]
    if opinions.empty:
        return pd.DataFrame(columns=cols)
    terms = opinion_terms(opinions["text"].fillna(""))
    keys = opinions[by].astype("object").where(opinions[by].notna(), "—").tolist()
    docs: dict[object, list[str]] = {}
    for key, t in zip(keys, terms, strict=True):
        docs.setdefault(key, []).extend(t)
    groups = [g for g in docs if docs[g]]
    if not groups:
        return pd.DataFrame(columns=cols)
    vec = CountVectorizer(analyzer=_identity)
    raw = vec.fit_transform([docs[g] for g in groups]).astype("float64")
    vocab = vec.get_feature_names_out()
    if len(groups) > 1:
        df = np.asarray((raw > 0).sum(axis=0)).ravel()
        idf = np.log(len(groups) / df)  # a term every group uses scores 0: it sets none apart
    else:
        idf = np.ones(raw.shape[1])  # one group: nothing to contrast, rank by frequency
    matrix = normalize(raw.log1p().multiply(idf).tocsr())
    rows = []
    for i, g in enumerate(groups):
        counts = Counter(docs[g])
        # the group's own terms only (its row's non-zeros, not the whole vocabulary), best
        # first, ties in vocabulary order
        own = slice(matrix.indptr[i], matrix.indptr[i + 1])
        columns, scores = matrix.indices[own], matrix.data[own]
        taken = {"word": 0, "phrase": 0}
        for k in np.lexsort((columns, -scores)):
            if scores[k] <= 0 or min(taken.values()) >= n:
                break
            term = str(vocab[columns[k]])
            kind = term_kind(term)
            if taken[kind] >= n or counts[term] < min_count:
                continue
            taken[kind] += 1
            rows.append({by: g, "kind": kind, "rank": taken[kind], "term": readable_term(term),
                         "count": counts[term], "score": float(scores[k])})
    out = pd.DataFrame(rows, columns=[c for c in cols if c != "name"])
    out.insert(1, "name", out[by].map(_group_namer(by, opinions, lang)))
    return out


def top_terms_table(
    opinions: pd.DataFrame, by: str = "topic_primary", n: int = 8, min_count: int = 2,
    lang: str = "vi",
) -> pd.DataFrame:
    """:func:`top_terms` one row per group: name, words, phrases (comma-separated, best first)."""
    long = top_terms(opinions, by=by, n=n, min_count=min_count, lang=lang)
    rows = []
    for (key, name), sub in long.groupby([by, "name"], sort=False):
        rows.append({
            by: key, "name": name,
            "words": ", ".join(sub.loc[sub["kind"] == "word", "term"]),
            "phrases": ", ".join(sub.loc[sub["kind"] == "phrase", "term"]),
        })
    out = pd.DataFrame(rows, columns=[by, "name", "words", "phrases"])
    return out.drop(columns=[by]).rename(columns={"name": _name_column(by)})


def _name_column(by: str) -> str:
    return {"ward_code": "ward_name", "group_code": "group_name", "level": "level"}.get(
        by, "topic_name"
    )


def _group_namer(by: str, opinions: pd.DataFrame, lang: str):
    """value of column `by` -> the reader's name for it (the opinions read once, not per row)."""
    if by in TOPIC_COLUMNS or by == "topic":
        return lambda value: topic_label(value, lang)
    if by == "ward_code":
        names = _ward_names(opinions, None)
        return lambda value: names.get(value, str(value))
    if by == "level":
        return lambda value: level_label(str(value), lang)
    return str


#: Words of every minute (who is asked, who speaks) that would otherwise make a "theme" of
#: their own; dropped for themes only. Words and phrases as opinion_terms writes them.
THEME_STOPWORDS: frozenset[str] = frozenset({
    "ubnd", "ủy_ban_nhân_dân", "phường", "quận", "ubnd phường", "ubnd quận", "thành_phố",
    "tổ_dân_phố", "tdp", "người", "người_dân", "bà_con", "cử_tri", "hộ", "hộ_dân",
    "ý_kiến", "kiến_nghị", "phản_ánh", "mong", "quan_tâm", "xem_xét", "sớm", "nhiều",
    "cấp", "cơ_quan", "chức_năng", "các_cơ_quan", "công_an", "đơn_vị", "tình_trạng",
})


def _tfidf_per_opinion(
    opinions: pd.DataFrame, min_df: int | float = 1, max_df: float = 1.0,
    drop: frozenset[str] = frozenset(),
):
    from sklearn.feature_extraction.text import TfidfVectorizer

    terms = opinion_terms(opinions["text"].fillna(""))
    if drop:
        terms = [
            [t for t in doc if t not in drop and not any(w in drop for w in t.split(" "))]
            for doc in terms
        ]
    vec = TfidfVectorizer(
        analyzer=_identity, sublinear_tf=True, min_df=min_df, max_df=max_df, norm="l2"
    )
    try:
        matrix = vec.fit_transform(terms)
    except ValueError:  # empty vocabulary: nothing but stopwords
        return None, None
    return matrix, vec.get_feature_names_out()


# --------------------------------------------------------------------------------------
# Themes without the taxonomy, and representative opinions
# --------------------------------------------------------------------------------------
def themes(
    opinions: pd.DataFrame, k: int = 8, n_words: int = 8, n_examples: int = 2,
    random_state: int = 0, redact: bool = True, lang: str = "vi", verbatim: bool = True,
) -> pd.DataFrame:
    """Themes found in the words alone (NMF over TF-IDF), to show what the taxonomy misses.

    Each theme: its top words, how many opinions it leads (its largest weight), the
    taxonomy topic most of them carry and the share of "khac" among them (a theme that is
    mostly "khac" is a candidate for a new topic), and example opinions (redacted unless
    `redact=False`; none with `verbatim=False`). Deterministic for a given `random_state`.
    Too few opinions (fewer than 2 per theme) give an empty frame.
    """
    from sklearn.decomposition import NMF

    cols = ["theme", "words", "opinions", "share", "dominant_topic", "dominant_share",
            "other_share", "examples"]
    if len(opinions) < max(2 * k, 4):
        return pd.DataFrame(columns=cols)
    matrix, vocab = _tfidf_per_opinion(opinions, min_df=2, max_df=0.3, drop=THEME_STOPWORDS)
    if matrix is None or matrix.shape[1] < k:
        return pd.DataFrame(columns=cols)
    model = NMF(n_components=k, init="nndsvda", random_state=random_state, max_iter=500)
    weights = model.fit_transform(matrix)
    lead = np.where(weights.max(axis=1) > 0, weights.argmax(axis=1), -1)
    texts = _texts_for_showing(opinions, redact) if verbatim else [""] * len(opinions)
    topics = opinions["topic_primary"].astype("object").to_numpy()
    rows = []
    for t in range(k):
        top = np.argsort(-model.components_[t], kind="stable")[:n_words]
        members = np.flatnonzero(lead == t)
        member_topics = pd.Series(topics[members]).value_counts()
        dominant = member_topics.index[0] if len(member_topics) else None
        best = list(dict.fromkeys(
            i for i in np.argsort(-weights[:, t], kind="stable")[: 5 * n_examples]
            if weights[i, t] > 0
        ))
        best = list({texts[i]: i for i in reversed(best)}.values())[::-1][:n_examples]
        rows.append({
            "theme": t + 1,
            "words": ", ".join(readable_term(str(vocab[j])) for j in top),
            "opinions": len(members),
            "share": len(members) / len(opinions),
            "dominant_topic": topic_label(dominant, lang) if dominant is not None else "—",
            "dominant_share": member_topics.iloc[0] / len(members) if len(members) else np.nan,
            "other_share": (member_topics.get("khac", 0) / len(members)) if len(members)
            else np.nan,
            "examples": " | ".join(texts[i] for i in best),
        })
    out = pd.DataFrame(rows, columns=cols)
    out = out.sort_values(["opinions", "theme"], ascending=[False, True]).reset_index(drop=True)
    return out if verbatim else out.drop(columns="examples")


def _texts_for_showing(opinions: pd.DataFrame, redact: bool) -> list[str]:
    texts = opinions["text"].fillna("")
    if redact:
        from hbt_analysis.privacy import redact_series

        texts = redact_series(texts)
    return texts.tolist()


def representative_opinions(
    opinions: pd.DataFrame, n: int = 3, redact: bool = True, lang: str = "vi",
    verbatim: bool = True,
) -> pd.DataFrame:
    """For each primary topic, the `n` opinions closest to what the topic's opinions say.

    "Closest" is cosine similarity to the topic's mean TF-IDF vector, so the examples are
    typical rather than extreme. Texts are redacted unless `redact=False` (for an analyst
    working alone); `verbatim=False` (reports that show topic summaries only) gives none.
    Columns: topic, topic_name, rank, opinion_id, level, ward_code, text, similarity.
    """
    cols = ["topic", "topic_name", "rank", "opinion_id", "level", "ward_code", "text",
            "similarity"]
    if opinions.empty or not verbatim:
        return pd.DataFrame(columns=cols)
    matrix, _ = _tfidf_per_opinion(opinions)
    texts = _texts_for_showing(opinions, redact)
    topics = opinions["topic_primary"].astype("object")
    rows = []
    for code in topics.value_counts().index:  # the most raised topic first
        idx = np.flatnonzero((topics == code).to_numpy())
        if matrix is None:
            sims = np.zeros(len(idx))
        else:
            sub = matrix[idx]
            centroid = np.asarray(sub.mean(axis=0)).ravel()
            norm = np.linalg.norm(centroid)
            sims = (sub @ centroid) / norm if norm > 0 else np.zeros(len(idx))
            sims = np.asarray(sims).ravel()
        seen: set[str] = set()
        for j in np.argsort(-sims, kind="stable"):
            i = idx[j]
            if texts[i] in seen:
                continue  # the same words twice teach the reader nothing
            seen.add(texts[i])
            if len(seen) > n:
                break
            rows.append({
                "topic": code, "topic_name": topic_label(code, lang), "rank": len(seen),
                "opinion_id": opinions["opinion_id"].iloc[i] if "opinion_id" in opinions else i,
                "level": opinions["level"].iloc[i], "ward_code": opinions["ward_code"].iloc[i],
                "text": texts[i], "similarity": float(sims[j]),
            })
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------------------
# Year on year
# --------------------------------------------------------------------------------------
def topic_shifts(
    before: pd.DataFrame, after: pd.DataFrame, multi: bool = False, alpha: float = 0.05,
    lang: str = "vi", levels: Iterable[str] | None = None,
) -> pd.DataFrame:
    """How each topic's share changed between two years, and whether it is more than noise.

    Per level and topic: a two-proportion z-test of share_before vs share_after (pooled
    variance), and p-values adjusted for testing every topic at once (Benjamini–Hochberg,
    scipy.stats.false_discovery_control, within each level). `significant` means the
    adjusted p is below `alpha`. Column `change` is in share points (0.05 = 5 points).
    """
    cols = ["level", "topic", "topic_name", "count_before", "n_before", "share_before",
            "count_after", "n_after", "share_after", "change", "z", "p_value", "p_adjusted",
            "significant"]
    lv_before = set(_levels_of(before, None)) if len(before) else set()
    lv_after = set(_levels_of(after, None)) if len(after) else set()
    use = list(levels) if levels is not None else [
        lv for lv in LEVELS if lv in lv_before and lv in lv_after
    ]
    b = count_by_topic(before, multi=multi, lang=lang, levels=use)
    a = count_by_topic(after, multi=multi, lang=lang, levels=use)
    merged = b.merge(
        a, on=["level", "topic", "topic_name"], how="outer", suffixes=("_before", "_after")
    )
    if merged.empty:
        return pd.DataFrame(columns=cols)
    for side in ("before", "after"):
        n = merged.groupby("level")[f"n_{side}"].transform("max")
        merged[f"n_{side}"] = n.fillna(0).astype("int64")
        merged[f"count_{side}"] = merged[f"count_{side}"].fillna(0).astype("int64")
        merged[f"share_{side}"] = merged[f"count_{side}"] / merged[f"n_{side}"].where(
            merged[f"n_{side}"] > 0
        )
    merged = merged[(merged["count_before"] + merged["count_after"]) > 0].copy()
    z, p = two_proportion_z(
        merged["count_before"], merged["n_before"], merged["count_after"], merged["n_after"]
    )
    merged["change"] = merged["share_after"] - merged["share_before"]
    merged["z"] = z
    merged["p_value"] = p
    merged["p_adjusted"] = np.nan
    for lv in merged["level"].unique():
        mask = (merged["level"] == lv) & merged["p_value"].notna()
        if mask.any():
            merged.loc[mask, "p_adjusted"] = stats.false_discovery_control(
                merged.loc[mask, "p_value"].to_numpy(), method="bh"
            )
    merged["significant"] = (merged["p_adjusted"] < alpha).fillna(False).astype(bool)
    order = {lv: i for i, lv in enumerate(LEVELS)}
    merged["_lv"] = merged["level"].map(order)
    merged["_abs"] = -merged["change"].abs()
    merged = merged.sort_values(["_lv", "_abs", "topic"])
    return merged[cols].reset_index(drop=True)


def two_proportion_z(
    k1: Iterable[float], n1: Iterable[float], k2: Iterable[float], n2: Iterable[float]
) -> tuple[np.ndarray, np.ndarray]:
    """z statistic and two-sided p-value of k2/n2 vs k1/n1 (pooled); NaN where undefined."""
    k1, n1, k2, n2 = (np.asarray(x, dtype=float) for x in (k1, n1, k2, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (k1 + k2) / (n1 + n2)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = (k2 / n2 - k1 / n1) / se
    z = np.where(np.isfinite(z), z, np.nan)
    p = np.where(np.isnan(z), np.nan, 2 * stats.norm.sf(np.abs(z)))
    return z, p


def shift_note(lang: str = "vi", alpha: float = 0.05) -> str:
    """What the test behind `significant` means, for the reader (the multiple-comparison note)."""
    pct = fmt_pct(alpha, 0, lang)
    if lang == "vi":
        return (
            "Mỗi lĩnh vực được kiểm định bằng phép kiểm định z hai tỷ lệ. Vì kiểm định nhiều "
            "lĩnh vực cùng lúc, giá trị p được hiệu chỉnh theo Benjamini–Hochberg; \"khác biệt "
            f"rõ\" nghĩa là p hiệu chỉnh dưới {pct}, tức thay đổi khó có thể chỉ do ngẫu nhiên. "
            "Tỷ lệ ý kiến còn phụ thuộc cách ghi biên bản và nội dung hội nghị từng năm."
        )
    return (
        "Each topic is tested with a two-proportion z-test. Because many topics are tested at "
        "once, p-values are adjusted with Benjamini–Hochberg; a \"clear change\" has an "
        f"adjusted p below {pct}, i.e. is unlikely to be chance alone. Shares also depend on "
        "how minutes were taken and on each year's agenda."
    )


def previous_year(year: int, data_dir: str | Path | None = None) -> int | None:
    """The latest year in the data before `year`, or None."""
    from hbt_analysis.dataset import available_years

    earlier = [y for y in available_years(data_dir) if y < year]
    return max(earlier) if earlier else None


def compare_with_previous(
    year: int, ward: str | None = None, level: str = "all",
    data_dir: str | Path | None = None, multi: bool = False, lang: str = "vi",
) -> pd.DataFrame:
    """:func:`topic_shifts` between the previous year in the data and `year`, in scope.

    Empty (with the usual columns) when the data has no earlier year; columns year_before
    and year_after are added otherwise.
    """
    from hbt_analysis.dataset import load

    prev = previous_year(year, data_dir)
    if prev is None:
        return topic_shifts(_EMPTY_OPINIONS, _EMPTY_OPINIONS, lang=lang).assign(
            year_before=pd.Series(dtype="int64"), year_after=pd.Series(dtype="int64")
        )
    ds_now = load(year, data_dir)
    now = prepare(ds_now, ward, level)
    reg = getattr(ds_now, "registry", None)
    if ward is not None and reg is not None and not reg.same_unit(
            normalize_ward_code(ward), prev, year):
        before = _before_in_new_ward(load(prev, data_dir), ds_now, normalize_ward_code(ward),
                                     level)
        if before is None:  # the code named another ward then, and no group crosswalk
            out = topic_shifts(_EMPTY_OPINIONS, _EMPTY_OPINIONS, lang=lang).assign(
                year_before=pd.Series(dtype="int64"), year_after=pd.Series(dtype="int64"))
            out.attrs["not_comparable"] = prev
            return out
    else:
        before = prepare(load(prev, data_dir), ward, level)
    out = topic_shifts(before, now, multi=multi, lang=lang)
    return out.assign(year_before=prev, year_after=year)


def _before_in_new_ward(ds_prev: Any, ds_now: Any, ward: str, level: str
                        ) -> pd.DataFrame | None:
    """The previous year's group-level opinions of the groups that became `ward`'s (the
    group crosswalk; an old group split between new groups is left out); None without a
    group crosswalk. Ward-level opinions of the old wards cannot be placed and are left out."""
    cw = getattr(ds_now, "group_crosswalk", None)
    if cw is None or cw.empty:
        return None
    gc = ds_now.group_conferences
    mine = set(gc.loc[gc["ward_code"].astype(str) == ward, "group_code"])
    fan = cw.groupby("old_group_code")["new_group_code"].nunique()
    olds = set(cw.loc[cw["new_group_code"].isin(mine), "old_group_code"]) - set(fan[fan > 1].index)
    before = prepare(ds_prev, None, level)
    return before[before["group_code"].isin(olds)].reset_index(drop=True)


_EMPTY_OPINIONS = pd.DataFrame(
    {c: pd.Series(dtype="object") for c in ("opinion_id", "level", "ward_code", "text",
                                            "topic_primary", "topic_secondary")}
)


def shift_sentence(shifts: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """One sentence on the year-on-year comparison: which topics changed clearly, if any."""
    if shifts.attrs.get("not_comparable"):
        prev = shifts.attrs["not_comparable"]
        if lang == "vi":
            return (f"Các phường đã được sắp xếp lại giữa năm {prev} và năm {year}, không có bảng "
                    "chuyển đổi tổ dân phố: không so sánh ý kiến của phường này với năm trước.")
        return (f"The wards were reorganised between {prev} and {year} and there is no group "
                "crosswalk: this ward's opinions are not compared with the year before.")
    if shifts.empty or "year_before" not in shifts or shifts["year_before"].isna().all():
        if lang == "vi":
            return f"Dữ liệu không có năm trước năm {year} để so sánh."
        return f"The data has no year before {year} to compare with."
    prev = int(shifts["year_before"].iloc[0])
    clear = shifts[shifts["significant"]]
    if clear.empty:
        if lang == "vi":
            return (
                f"So với năm {prev}, tỷ lệ ý kiến theo lĩnh vực năm {year} không có thay đổi nào "
                "vượt quá mức dao động ngẫu nhiên."
            )
        return (
            f"Compared with {prev}, no topic's share in {year} changed by more than chance "
            "would explain."
        )
    parts = [
        f"{r.topic_name} ({level_label(r.level, lang).lower()}: "
        f"{fmt_pct(r.share_before, lang=lang)} → {fmt_pct(r.share_after, lang=lang)})"
        for r in clear.head(4).itertuples()
    ]
    if lang == "vi":
        return f"So với năm {prev}, thay đổi rõ nhất năm {year}: " + "; ".join(parts) + "."
    return f"Compared with {prev}, the clearest changes in {year}: " + "; ".join(parts) + "."


# --------------------------------------------------------------------------------------
# Follow-up: status of the opinions
# --------------------------------------------------------------------------------------
def _status_code(value: object) -> str | None:
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
    codes = opinions["status"].map(_status_code, na_action="ignore")
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


# --------------------------------------------------------------------------------------
# Search
# --------------------------------------------------------------------------------------
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
        "text": _texts_for_showing(found, redact) if len(found) else [],
    }, index=found.index)
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------
def _scope_words(ward_name: str | None, lang: str) -> str:
    if ward_name is None:
        return ""
    return f", phường {ward_name}" if lang == "vi" else f" in {ward_name} ward"


def summary_sentence(
    opinions: pd.DataFrame, year: int, ward_name: str | None = None, level: str = "all",
    lang: str = "vi",
) -> str:
    """The headline: how many opinions at each level, and the most raised topic.

    "Năm 2023 có 1.435 ý kiến ở hội nghị tổ dân phố và 59 ý kiến ở hội nghị phường;
    nhiều nhất là Vệ sinh môi trường (23,4%)." A scope with no opinions says so.
    """
    check_level(level)
    levels = list(LEVELS) if level == "all" else [level]
    counts = {lv: int((opinions["level"] == lv).sum()) for lv in levels}
    total = sum(counts.values())
    scope = _scope_words(ward_name, lang)
    vi_where = {"to_dan_pho": "hội nghị tổ dân phố", "phuong": "hội nghị phường"}
    en_where = {"to_dan_pho": "residential-group conferences", "phuong": "ward conferences"}
    if total == 0:
        if lang == "vi":
            where = " và ".join(vi_where[lv] for lv in levels)
            return f"Năm {year}{scope} không có ý kiến nào được ghi nhận ở {where}."
        where = " or ".join(en_where[lv] for lv in levels)
        return f"In {year}, no opinion was recorded at {where}{scope}."
    top = opinions["topic_primary"].value_counts() if "topic_primary" in opinions else None
    top_part = ""
    if top is not None and len(top):
        share = top.iloc[0] / total
        name = topic_label(top.index[0], lang)
        top_part = (f"; nhiều nhất là {name} ({fmt_pct(share)})" if lang == "vi"
                    else f"; the most raised topic was {name} ({fmt_pct(share, lang='en')})")
    if lang == "vi":
        parts = " và ".join(f"{fmt_int(counts[lv])} ý kiến ở {vi_where[lv]}" for lv in levels)
        return f"Năm {year}{scope} có {parts}{top_part}."
    parts = " and ".join(
        f"{fmt_int(counts[lv], lang='en')} opinions at {en_where[lv]}" for lv in levels
    )
    return f"In {year} there were {parts}{scope}{top_part}."


def ward_sentence(
    opinions: pd.DataFrame, wards: pd.DataFrame | None = None, top: int = 3, lang: str = "vi"
) -> str:
    """Where opinions came from: the wards with most opinions (both levels together)."""
    if opinions.empty:
        return ("Không có ý kiến nào để phân tích theo phường." if lang == "vi"
                else "There are no opinions to break down by ward.")
    counts = opinions["ward_code"].value_counts()
    names = _ward_names(opinions, wards)
    if len(counts) == 1:
        code = counts.index[0]
        return (f"Tất cả ý kiến đều thuộc phường {names.get(code, code)}." if lang == "vi"
                else f"All opinions come from {names.get(code, code)} ward.")
    items = [
        f"{names.get(c, c)} ({fmt_int(v, lang=lang)})" for c, v in counts.head(top).items()
    ]
    if lang == "vi":
        return "Các phường có nhiều ý kiến nhất: " + ", ".join(items) + "."
    return "Wards with the most opinions: " + ", ".join(items) + "."


# --------------------------------------------------------------------------------------
# Figures (candidates for charts.py, which imports this layer, not the other way round)
# --------------------------------------------------------------------------------------
__all__ = [
    "COLUMN_LABELS",
    "OpinionsInputError",
    "compare_with_previous",
    "count_by_group",
    "count_by_topic",
    "count_by_ward",
    "display_table",
    "has_status",
    "headline",
    "opinion_terms",
    "opinions_per_100",
    "prepare",
    "previous_year",
    "representative_opinions",
    "scope_wards",
    "search",
    "search_results",
    "select",
    "shift_note",
    "shift_sentence",
    "status_sentence",
    "status_shares",
    "summary_sentence",
    "themes",
    "top_terms",
    "top_terms_table",
    "topic_long",
    "topic_shares",
    "topic_shifts",
    "topic_ward_table",
    "two_proportion_z",
    "ward_sentence",
    "where_table",
    "wilson_interval",
]

"""Raised again (kiến nghị lặp lại): for each opinion, the most similar opinion the same
group (or, at ward level, the same ward) raised in an earlier year, with what became of it.

Two opinions are the same request by the similarity of similarity.py (what is asked, the
same place; two different places never match), computed in this year's feature space, at
least ``threshold``. From the matches: the share of this year's requests raised before, and
those marked resolved last time that came back (đã báo giải quyết nhưng vẫn được nêu lại).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hbt_analysis.fmt import fmt_int, fmt_pct
from hbt_analysis.labels import unit_words
from hbt_analysis.opinions.consolidate import is_request
from hbt_analysis.opinions.followup import status_code
from hbt_analysis.opinions.linking import similarity_between
from hbt_analysis.opinions.similarity import request_concepts

__all__ = [
    "DEFAULT_REPEAT_THRESHOLD",
    "REPEAT_COLUMNS",
    "came_back",
    "raised_again",
    "repeat_sentence",
    "repeat_summary",
]

#: An opinion repeats an earlier one at least this similar.
DEFAULT_REPEAT_THRESHOLD = 0.45

REPEAT_COLUMNS = [
    "opinion_id", "level", "ward_code", "group_code", "text", "topic_primary", "raised_before",
    "earlier_opinion_id", "earlier_year", "earlier_text", "similarity", "earlier_status",
    "earlier_response", "came_back",
]


def _unit(frame: pd.DataFrame) -> np.ndarray:
    """Who raised it: the group at group level, the ward at ward level."""
    group = frame["group_code"] if "group_code" in frame else pd.Series(None, index=frame.index)
    unit = group.where(frame["level"] == "to_dan_pho", frame["ward_code"])
    return (frame["level"].astype(str) + "|" + unit.astype(str)).to_numpy()


def raised_again(now, earlier: Sequence, threshold: float = DEFAULT_REPEAT_THRESHOLD,
                 ) -> pd.DataFrame:
    """One row per opinion of `now` (a YearRequests) with its best earlier match among
    `earlier` (YearRequests of earlier years, any order; the later year wins a tie), or
    raised_before=False. Agreement-only opinions ("Nhất trí ...") are never repeats."""
    ops = now.opinions
    n = len(ops)
    best_sim = np.zeros(n)
    best = [None] * n  # (year, row) in that year's frame
    units = _unit(ops)
    topics = ops["topic_primary"].tolist() if "topic_primary" in ops else [None] * n
    asks = ops["text"].fillna("").map(is_request).to_numpy()
    concepts = [request_concepts(t) for t in ops["text"].fillna("").astype(str)]
    for before in sorted(earlier, key=lambda y: -y.year):
        prev = before.opinions
        if prev.empty:
            continue
        feats, places = now.features_of(f"year:{before.year}:{id(before)}",
                                        prev["text"].fillna("").tolist())
        prev_units = _unit(prev)
        prev_concepts = [request_concepts(t) for t in prev["text"].fillna("").astype(str)]
        prev_topics = prev["topic_primary"].tolist() if "topic_primary" in prev else [None] * len(
            prev)
        for unit in set(units) & set(prev_units):
            i = np.flatnonzero((units == unit) & asks)
            j = np.flatnonzero(prev_units == unit)
            if len(i) == 0 or len(j) == 0:
                continue
            sim = similarity_between(now.features[i], feats[j], [now.places[k] for k in i],
                                     [places[k] for k in j], [topics[k] for k in i],
                                     [prev_topics[k] for k in j], [concepts[k] for k in i],
                                     [prev_concepts[k] for k in j])
            top = sim.argmax(axis=1)
            for a, k in enumerate(i):
                s = float(sim[a, top[a]])
                if s >= threshold and s > best_sim[k] + 1e-9:
                    best_sim[k], best[k] = s, (before, int(j[top[a]]))
    records = {y.year: y.opinions.to_dict("records") for y in earlier}
    matched = [records[m[0].year][m[1]] if m else None for m in best]

    def before_field(field: str) -> list[object]:
        return [r.get(field) if r is not None else None for r in matched]

    codes = [status_code(s) if r is not None else None
             for r, s in zip(matched, before_field("status"), strict=True)]
    found = np.array([m is not None for m in best], dtype=bool)

    def column(name: str) -> object:
        return ops[name].to_numpy() if name in ops else [None] * n

    rows = {
        "opinion_id": column("opinion_id"), "level": column("level"),
        "ward_code": column("ward_code"), "group_code": column("group_code"),
        "text": column("text"), "topic_primary": column("topic_primary"),
        "raised_before": found,
        "earlier_opinion_id": before_field("opinion_id"),
        "earlier_year": [m[0].year if m else None for m in best],
        "earlier_text": before_field("text"),
        "similarity": np.where(found, best_sim, np.nan),
        "earlier_status": codes,
        "earlier_response": [r if isinstance(r, str) else None for r in before_field("response")],
        "came_back": [bool(f and c == "resolved") for f, c in zip(found, codes, strict=True)],
    }
    out = pd.DataFrame(rows, columns=REPEAT_COLUMNS)
    out["earlier_year"] = out["earlier_year"].astype("Int64")
    return out


def came_back(repeats: pd.DataFrame) -> pd.DataFrame:
    """The opinions whose earlier match was marked resolved: reported solved, raised again."""
    return repeats.loc[repeats["came_back"].fillna(False).astype(bool)].sort_values(
        ["similarity", "opinion_id"], ascending=[False, True]).reset_index(drop=True)


def repeat_summary(repeats: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Per level: opinions, raised before (count, share), of those marked resolved before
    that came back."""
    from hbt_analysis.opinions.display import level_label

    cols = ["level", "level_name", "n", "raised_before", "share", "came_back"]
    rows = []
    for level, sub in repeats.groupby("level", sort=False):
        n = len(sub)
        k = int(sub["raised_before"].sum())
        rows.append({"level": level, "level_name": level_label(str(level), lang), "n": n,
                     "raised_before": k, "share": k / n if n else np.nan,
                     "came_back": int(sub["came_back"].sum())})
    return pd.DataFrame(rows, columns=cols)


def repeat_sentence(repeats: pd.DataFrame, year: int, lang: str = "vi") -> str:
    """"x% of this year's requests were raised by the same group before; n of those marked
    resolved came back", or that no earlier year is in the data."""
    if repeats.empty:
        return ("Không có ý kiến nào để đối chiếu với các năm trước." if lang == "vi"
                else "There are no opinions to check against earlier years.")
    n = len(repeats)
    k = int(repeats["raised_before"].sum())
    back = int(repeats["came_back"].sum())
    years = sorted({int(y) for y in repeats["earlier_year"].dropna()})
    if lang == "vi":
        if k == 0:
            return (f"Không ý kiến nào năm {year} trùng với kiến nghị của cùng tổ dân phố, "
                    f"{unit_words(lang)['unit']} ở các năm trước.")
        text = (f"{fmt_int(k)} trong {fmt_int(n)} ý kiến năm {year} ({fmt_pct(k / n)}) đã được "
                f"chính tổ dân phố, {unit_words(lang)['unit']} đó nêu ở năm "
                f"{', '.join(map(str, years))}")
        if back:
            text += (f"; {fmt_int(back)} ý kiến trong số đó năm trước đã được báo là "
                     f"đã giải quyết nhưng nay vẫn được nêu lại")
        return text + "."
    if k == 0:
        return f"No opinion of {year} repeats one the same group or ward raised before."
    text = (f"{fmt_int(k, lang='en')} of the {fmt_int(n, lang='en')} opinions of {year} "
            f"({fmt_pct(k / n, lang='en')}) were raised by the same group or ward in "
            f"{', '.join(map(str, years))}")
    if back:
        text += f"; {fmt_int(back, lang='en')} of them had been reported resolved"
    return text + "."

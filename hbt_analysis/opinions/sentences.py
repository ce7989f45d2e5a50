"""The plain sentences at the top of a report: how many opinions, the most raised topic,
where they came from."""

from __future__ import annotations

import pandas as pd

from hbt_analysis.fmt import fmt_int, fmt_pct
from hbt_analysis.labels import unit_words
from hbt_analysis.opinions.counts import _ward_names
from hbt_analysis.opinions.display import topic_label
from hbt_analysis.opinions.scope import check_level
from hbt_analysis.schema import LEVELS


def _scope_words(ward_name: str | None, lang: str, title: str | None = None) -> str:
    """', phường An Bình' / ' in An Bình ward' (title: the unit's own, 'thị trấn Đông Hòa')."""
    if ward_name is None and title is None:
        return ""
    if title is None:
        title = _unit(ward_name, lang)
    return f", {title}" if lang == "vi" else f" in {title}"


def _unit(name: str, lang: str) -> str:
    unit = unit_words(lang)["unit"]
    return f"{unit} {name}" if lang == "vi" else f"{name} {unit}"


def summary_sentence(
    opinions: pd.DataFrame, year: int, ward_name: str | None = None, level: str = "all",
    lang: str = "vi", scope_title: str | None = None,
) -> str:
    """The headline: how many opinions at each level, and the most raised topic.

    "Năm 2023 có 1.435 ý kiến ở hội nghị tổ dân phố và 59 ý kiến ở hội nghị phường;
    nhiều nhất là Vệ sinh môi trường (23,4%)." A scope with no opinions says so.
    """
    check_level(level)
    levels = list(LEVELS) if level == "all" else [level]
    counts = {lv: int((opinions["level"] == lv).sum()) for lv in levels}
    total = sum(counts.values())
    scope = _scope_words(ward_name, lang, scope_title)
    unit = unit_words(lang)
    vi_where = {"to_dan_pho": "hội nghị tổ dân phố", "phuong": f"hội nghị {unit['unit']}"}
    en_where = {"to_dan_pho": "residential-group conferences",
                "phuong": f"{unit['unit']} conferences"}
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
        return (f"Không có ý kiến nào để phân tích theo {unit_words(lang)['unit']}."
                if lang == "vi" else
                f"There are no opinions to break down by {unit_words(lang)['unit']}.")
    counts = opinions["ward_code"].value_counts()
    names = _ward_names(opinions, wards)
    if len(counts) == 1:
        code = counts.index[0]
        where = _unit(names.get(code, code), lang)
        return (f"Tất cả ý kiến đều thuộc {where}." if lang == "vi"
                else f"All opinions come from {where}.")
    items = [
        f"{names.get(c, c)} ({fmt_int(v, lang=lang)})" for c, v in counts.head(top).items()
    ]
    if lang == "vi":
        return f"Các {unit_words(lang)['unit']} có nhiều ý kiến nhất: " + ", ".join(items) + "."
    return f"{unit_words(lang)['units'].capitalize()} with the most opinions: " + ", ".join(
        items) + "."



def headline(ds, scope: pd.DataFrame, ward: str | None = None, level: str = "all",
             lang: str = "vi") -> str:
    """:func:`summary_sentence` for a loaded year and scope (the ward named, if any)."""
    name = None if ward is None else ds.ward_name(ward)
    title = ds.scope_name(str(ward), lang) if ward is not None and hasattr(
        ds, "scope_name") else None
    return summary_sentence(scope, ds.year, ward_name=name, level=level, lang=lang,
                            scope_title=title)

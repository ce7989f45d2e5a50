"""The leadership brief (notebook 00): one screen a busy reader takes in at a glance.

Headline cards (households attended, the rate and its change, the ward-level rate, the
opinions raised, the share resolved where the data say), three plain sentences (who needs
attention and why, what people raised most, what changed) and one chart with the reader's
ward highlighted. Each sentence is one function in :data:`BULLETS`, so a new one (say, the
consolidated requests) is added by writing a function and putting it in the list.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from hbt_analysis.attendance import level_summary
from hbt_analysis.fmt import Lang, fmt_int, fmt_pct, fmt_pp_change
from hbt_analysis.labels import unit_words
from hbt_analysis.scope import Scope, comparable_previous  # noqa: F401 (brief's name)


@dataclass(frozen=True)
class Card:
    """One headline figure: the value as shown, what it is, and a short note under it."""

    value: str
    label: str
    note: str = ""


@dataclass(frozen=True)
class BriefOptions:
    """What the reader may see of the opinions (the notebook's redact and verbatim)."""

    redact: bool = True
    verbatim: bool = True


_WORDS = {
    "vi": {
        "attended": "hộ dự hội nghị tổ dân phố", "groups": "{n} tổ dân phố tổ chức hội nghị",
        "rate": "tỷ lệ hộ dự (tổ dân phố)", "vs": "{pp} so với {year}",
        "ward_rate": "tỷ lệ dự hội nghị cấp {unit}", "ward_att": "{a}/{i} đại biểu",
        "opinions": "ý kiến, kiến nghị", "by_level": "{g} ở tổ dân phố, {w} ở {unit}",
        "resolved": "ý kiến đã giải quyết", "with_status": "trong {n} ý kiến có ghi kết quả",
        "first_year": "năm đầu có dữ liệu", "new_unit": "đơn vị mới, không so với năm trước",
        "vs_across": "{pp} so với {year} (qua bảng chuyển đổi)",
    },
    "en": {
        "attended": "households at the group conferences",
        "groups": "{n} residential groups met", "rate": "attendance rate (groups)",
        "vs": "{pp} on {year}", "ward_rate": "{unit} conference attendance",
        "ward_att": "{a}/{i} representatives", "opinions": "opinions raised",
        "by_level": "{g} at groups, {w} at {units}", "resolved": "opinions resolved",
        "with_status": "of {n} with a recorded outcome", "first_year": "first year in the data",
        "new_unit": "a new unit: not compared with last year",
        "vs_across": "{pp} on {year} (through the crosswalk)",
    },
}


def _levels(ds: Any, ward: str | None) -> dict[str, pd.Series]:
    """attendance.level_summary as {level: row} for the levels that have conferences."""
    table = level_summary(ds, ward)
    return {r["level"]: r for _, r in table.iterrows() if r["units"]}


def share_text(k: float, n: float, lang: Lang = "vi") -> str:
    """k of n as a share ('68,6%'), or as a count ('3/7') when n is below 10."""
    if n < 10:
        return f"{fmt_int(k, lang)}/{fmt_int(n, lang)}"
    return fmt_pct(k / n, lang=lang)


def cards(s: Scope) -> list[Card]:
    """The headline figures of the scope, this year against the previous one."""
    words = unit_words(s.lang)  # '{unit}': the area's units ('xã, thị trấn' in a huyện)
    w = {k: v.replace("{unit}", words["unit"]).replace("{units}", words["units"])
         for k, v in _WORDS[s.lang].items()}
    now = _levels(s.ds, s.ward)
    before = _levels(s.previous, s.ward) if s.previous is not None else {}
    out: list[Card] = []
    group = now.get("to_dan_pho")
    if group is not None:
        out.append(Card(fmt_int(group["attended"], s.lang), w["attended"],
                        w["groups"].format(n=fmt_int(group["units"], s.lang))))
        old = before.get("to_dan_pho")
        across = s.across
        change = (w["vs"].format(pp=fmt_pp_change(group["rate"] - old["rate"], lang=s.lang),
                                 year=s.previous.year)
                  if old is not None and pd.notna(old["rate"]) and pd.notna(group["rate"])
                  else w["vs_across"].format(pp=fmt_pp_change(across["change"], lang=s.lang),
                                             year=s.earlier.year)
                  if across is not None and across["comparable"] and pd.notna(across["change"])
                  else w["new_unit"] if s.not_comparable else
                  w["first_year"] if s.previous is None else "")
        out.append(Card(share_text(group["attended"], group["invited"], s.lang)
                        if pd.notna(group["invited"]) else "—", w["rate"], change))
    ward = now.get("phuong")
    if ward is not None and pd.notna(ward["invited"]):
        out.append(Card(share_text(ward["attended"], ward["invited"], s.lang), w["ward_rate"],
                        w["ward_att"].format(a=fmt_int(ward["attended"], s.lang),
                                             i=fmt_int(ward["invited"], s.lang))))
    g_op = int(group["opinions"]) if group is not None else 0
    w_op = int(ward["opinions"]) if ward is not None else 0
    out.append(Card(fmt_int(g_op + w_op, s.lang), w["opinions"],
                    w["by_level"].format(g=fmt_int(g_op, s.lang), w=fmt_int(w_op, s.lang))))
    resolved = _resolved(s)
    if resolved is not None:
        k, n = resolved
        out.append(Card(share_text(k, n, s.lang), w["resolved"],
                        w["with_status"].format(n=fmt_int(n, s.lang))))
    return out


def _resolved(s: Scope) -> tuple[int, int] | None:
    """(resolved, with a status) when the opinions record an outcome, else None."""
    from hbt_analysis.opinions import has_status, select, status_shares

    ops = select(s.ds.opinions, s.ward, s.level)  # the outcome needs no topics
    if not has_status(ops):
        return None
    table = status_shares(ops, s.lang)
    n = int(table["count"].sum())
    k = int(table.loc[table["status"] == "resolved", "count"].sum())
    return (k, n) if n else None


# --- the three sentences ------------------------------------------------------------------

def attention_bullet(s: Scope, options: BriefOptions) -> str | None:
    """Who needs attention and why: the groups unusually low for their size; for the whole
    area, also the ward with the lowest rate."""
    from hbt_analysis.attendance import ward_rates
    from hbt_analysis.funnel import unusual_points

    if s.groups.empty:
        return None
    pts = unusual_points(s.ds.group_conferences, s.ward)
    low = pts[pts["signal"] == "unusually_low"].sort_values("z_adjusted")
    watch = int((pts["signal"] == "lower_usual").sum())
    names = "; ".join(
        f"{r.group_name}{'' if s.ward else ', ' + r.ward_name} "
        f"({share_text(r.attended, r.invited, s.lang)})" for r in low.head(3).itertuples())
    more = len(low) - 3
    vi = s.lang == "vi"
    if len(low):
        text = (f"Cần quan tâm: {fmt_int(len(low))} tổ dân phố có tỷ lệ dự thấp bất thường so "
                f"với các tổ cùng quy mô — {names}" if vi else
                f"Needs attention: {fmt_int(len(low), 'en')} residential groups attend unusually "
                f"low for their size — {names}")
        if more > 0:
            text += f" và {fmt_int(more)} tổ khác" if vi else f" and {fmt_int(more, 'en')} more"
        text += "."
    else:
        text = ("Không có tổ dân phố nào có tỷ lệ dự thấp bất thường so với các tổ cùng quy mô."
                if vi else "No residential group attends unusually low for its size.")
    if watch:
        text += (f" {fmt_int(watch)} tổ thấp hơn thường thấy, nên theo dõi." if vi
                 else f" {fmt_int(watch, 'en')} more are lower than usual, worth watching.")
    if s.ward is None:
        wr = ward_rates(s.ds.group_conferences).dropna(subset=["rate"]).sort_values("rate")
        if len(wr) > 1:
            r = wr.iloc[0]
            unit = unit_words(s.lang)
            text += (f" {unit['Unit']} có tỷ lệ thấp nhất: {r['ward_name']} "
                     f"({fmt_pct(r['rate'])})."
                     if vi else f" Lowest {unit['unit']}: {r['ward_name']} "
                                f"({fmt_pct(r['rate'], lang='en')}).")
    return text


def topics_bullet(s: Scope, options: BriefOptions) -> str | None:
    """What people raised most: the top topics with their counts, and one short example
    (masked) unless the report shows no opinion text."""
    from hbt_analysis.opinions import count_by_topic, representative_opinions

    ops = s.opinions
    vi = s.lang == "vi"
    if ops.empty:
        return ("Không có ý kiến nào được ghi nhận." if vi else "No opinion was recorded.")
    counts = count_by_topic(ops, lang=s.lang, all_topics=False)
    totals = counts.groupby(["topic", "topic_name"], as_index=False)["count"].sum()
    totals = totals.sort_values(["count", "topic"], ascending=[False, True]).head(3)
    total = len(ops)
    listed = ", ".join(
        f"{r.topic_name} ({fmt_int(r.count, s.lang)} {'ý kiến' if vi else 'opinions'}"
        + (f", {fmt_pct(r.count / total, 0, s.lang)})" if total >= 10 else ")")
        for r in totals.itertuples())
    text = (f"Nhân dân nêu nhiều nhất về: {listed}." if vi
            else f"People raised most: {listed}.")
    request = top_request(s, options)
    if request:
        text += (f" Kiến nghị nhiều tổ nêu nhất: {request}" if vi
                 else f" The request most groups raised: {request}")
    elif options.verbatim:
        top = ops[ops["topic_primary"] == totals["topic"].iloc[0]]
        examples = representative_opinions(top, n=5, redact=options.redact, lang=s.lang)
        short = examples[examples["text"].str.len() <= 160]
        if len(short):
            quote = short["text"].iloc[0].strip()
            text += f" Ví dụ: “{quote}”" if vi else f" For example: “{quote}”"
    return text


def top_request(s: Scope, options: BriefOptions, limit: int = 110) -> str | None:
    """The consolidated request raised by most groups ("65 tổ dân phố ở 16 phường … đề
    nghị: …"), its wording cut at a word to `limit` characters (the groups and wards
    stay whole: an example quoted from one group keeps what it asks); None when no
    request was raised by two groups or more."""
    from hbt_analysis.opinions import consolidated, request_sentences

    try:
        items = consolidated(s.ds, s.ward, lang=s.lang)
    except (KeyError, ValueError):  # a dataset without what consolidation needs
        return None
    if items.empty or "n_groups" not in items or not (items["n_groups"] > 1).any():
        return None
    top = request_sentences(items, 1, s.lang, options.redact, options.verbatim,
                            text_limit=limit)
    return top[0] if top else None


def raised_again(s: Scope) -> tuple[int, int] | None:
    """(opinions this year that the same group or ward raised before, of those the ones
    reported resolved then), None when there is no earlier year."""
    from hbt_analysis.opinions import year_repeats

    if s.previous is None:
        return None
    try:
        rep = year_repeats(s.ds, s.ward, s.level, s.data_dir)
    except (KeyError, ValueError):
        return None
    if rep.empty:
        return None
    return int(rep["raised_before"].sum()), int(rep["came_back"].sum())


def change_bullet(s: Scope, options: BriefOptions) -> str | None:
    """What changed against the previous year: rate, households and opinions."""
    vi = s.lang == "vi"
    if s.across is not None:  # a new ward: through the crosswalk, or why it cannot be
        from hbt_analysis.merger import across_sentence

        return across_sentence(s.across, s.name, s.earlier.year, s.lang)
    if s.not_comparable:
        return (f"{s.name[:1].upper() + s.name[1:]} là đơn vị mới sau sắp xếp: không so sánh với "
                f"đơn vị trước đây có cùng mã." if vi else
                f"{s.name} is a new unit after the reorganisation: it is not compared with the "
                "former unit that had its code.")
    if s.previous is None:
        return (f"Năm {s.year} là năm đầu tiên có dữ liệu: chưa có năm trước để so sánh." if vi
                else f"{s.year} is the first year in the data: nothing to compare with.")
    now = _levels(s.ds, s.ward).get("to_dan_pho")
    old = _levels(s.previous, s.ward).get("to_dan_pho")
    if now is None or old is None:
        return None
    prev = s.previous.year
    parts = []
    if pd.notna(now["rate"]) and pd.notna(old["rate"]):
        parts.append(f"tỷ lệ dự {fmt_pct(old['rate'])} → {fmt_pct(now['rate'])} "
                     f"({fmt_pp_change(now['rate'] - old['rate'])})" if vi else
                     f"rate {fmt_pct(old['rate'], lang='en')} → {fmt_pct(now['rate'], lang='en')}"
                     f" ({fmt_pp_change(now['rate'] - old['rate'], lang='en')})")
    # both figures, like the opinions beside them: "-523" reads as a typo on a phone
    parts.append(f"số hộ dự {fmt_int(old['attended'])} → {fmt_int(now['attended'])}" if vi
                 else f"households {fmt_int(old['attended'], 'en')} → "
                      f"{fmt_int(now['attended'], 'en')}")
    parts.append(f"số ý kiến {fmt_int(old['opinions'])} → {fmt_int(now['opinions'])}" if vi
                 else f"opinions {fmt_int(old['opinions'], 'en')} → "
                      f"{fmt_int(now['opinions'], 'en')}")
    if int(now["units"]) != int(old["units"]):
        parts.append(f"số tổ họp {fmt_int(old['units'])} → {fmt_int(now['units'])}" if vi
                     else f"groups {fmt_int(old['units'], 'en')} → {fmt_int(now['units'], 'en')}")
    again = raised_again(s)
    if again and again[0]:
        k, back = again
        parts.append(f"{fmt_int(k)} ý kiến nêu lại từ năm trước" + (
            f" ({fmt_int(back)} đã báo giải quyết)" if back else "") if vi else
            f"{fmt_int(k, 'en')} opinions raised again" + (
                f" ({fmt_int(back, 'en')} reported resolved)" if back else ""))
    joined = "; ".join(parts)
    return (f"So với năm {prev}: {joined}." if vi else f"Against {prev}: {joined}.")


Bullet = Callable[[Scope, BriefOptions], "str | None"]
#: The brief's sentences, in order. Add one by writing a function of (scope, options).
BULLETS: list[Bullet] = [attention_bullet, topics_bullet, change_bullet]


def bullets(s: Scope, redact: bool = True, verbatim: bool = True,
            which: Sequence[Bullet] | None = None) -> list[str]:
    """The brief's plain sentences (those with something to say)."""
    options = BriefOptions(redact=redact, verbatim=verbatim)
    out = [fn(s, options) for fn in (BULLETS if which is None else which)]
    return [text for text in out if text]


def ward_chart(s: Scope) -> Any:
    """Attendance by ward, the reader's ward highlighted, the area's rate as a line."""
    from hbt_analysis.attendance import district_rate, ward_rates
    from hbt_analysis.charts import ward_rates_chart

    gc = s.ds.group_conferences
    return ward_rates_chart(ward_rates(gc), s.lang, district_rate=district_rate(gc)["rate"].iloc[0],
                            highlight=s.ward, compact=True)


def title(s: Scope) -> str:
    """The brief's title for the notebook (the report's page has its own header)."""
    if s.lang == "vi":
        return f"# Tóm tắt hội nghị đại biểu Nhân dân — {s.name} — {s.year}"
    return f"# Brief: people's representative conferences — {s.name} — {s.year}"


def load_with_previous(year: int, data_dir: str | None = None) -> tuple[Any, Any | None]:
    """The year's dataset and the latest earlier one in the data folder (None if none)."""
    from hbt_analysis.compare import base_year_for
    from hbt_analysis.dataset import available_years, load

    ds = load(year, data_dir)
    base = base_year_for(year, None, available_years(data_dir))
    return ds, (load(base, data_dir) if base is not None else None)

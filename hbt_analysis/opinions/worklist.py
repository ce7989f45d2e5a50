"""The list that gets acted on, for a loaded year and a scope (the area or one ward): the
consolidated requests, who must answer them, which reached the ward conference (reach.py,
its tables re-exported here), and what came back from earlier years. Each function returns
a frame or sentences for a notebook cell; the heavy work is done once per year (yearly.py).

Texts shown are redacted (privacy.redact) unless `redact=False`; with `verbatim=False` no
opinion text is shown at all, only counts and key words.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from hbt_analysis.fmt import fmt_int, fmt_pct
from hbt_analysis.labels import label, unit_words
from hbt_analysis.opinions.consolidate import group_label, item_reason
from hbt_analysis.opinions.display import (
    request_wording,
    shorten,
    texts_for_showing,
    topic_label,
    why_together,
)
from hbt_analysis.opinions.item_names import (
    example_wordings,
    examples_of,
    group_list,
    group_names,
    speaker,
    ward_list,
    ward_names,
)
from hbt_analysis.opinions.reach import (  # what reached the ward conference: reach.py
    link_agreement_table,
    links_table,
    reach_summary_sentence,
    reach_table,
    unreached_table,
)
from hbt_analysis.opinions.repeats import raised_again, repeat_sentence
from hbt_analysis.opinions.routing import (
    default_router,
    route_counts,
    routing_agreement,
    routing_sentence,
)
from hbt_analysis.opinions.scope import select
from hbt_analysis.opinions.staff_items import grouping_sentence, staff_reason
from hbt_analysis.opinions.yearly import year_requests

__all__ = [
    "HtmlBlock",
    "consolidated",
    "consolidated_members",
    "items_html",
    "link_agreement_table",
    "links_table",
    "raised_again_table",
    "reach_summary_sentence",
    "reach_table",
    "request_sentences",
    "requests_table",
    "routes",
    "routes_by_ward",
    "routing_agreement_table",
    "unreached_table",
    "worklist_bullets",
    "year_repeats",
]


class HtmlBlock(str):
    """An HTML fragment a notebook shows as HTML (and a test can read as a string)."""

    def _repr_html_(self) -> str:
        return str(self)


# --------------------------------------------------------------------------------------
# Consolidated requests
# --------------------------------------------------------------------------------------
def consolidated(ds, ward: str | None = None, threshold: float | None = None,
                 lang: str = "vi") -> pd.DataFrame:
    """The consolidated group-level requests of a scope: within the ward (`ward` given) or
    merged across the area (None), requests raised by most groups first.

    Columns of consolidate.ITEM_COLUMNS plus ward_name (the ward, or the wards joined),
    topic_name, group_list ("TDP 3, 5, 9"), reason (why its opinions belong together, in
    a leader's words: display.why_together; for the first REASONS_WORDED items, which are
    all a page shows, the others by their shared words), reason_detail (the analyst's: the
    words, place, topic and how similar, consolidate.item_reason) and example_of: for an
    item raised at several sites and quoted from one group (represent.choose), that group
    ("TDP 3 (Bạch Mai)" across the area, "TDP 3" in a ward), else "".
    """
    yr = year_requests(ds)
    scope = "area" if ward is None else "ward"
    items, _ = yr.items(scope, threshold)
    if ward is not None:
        items = items[items["ward_code"] == ward].reset_index(drop=True)
        items["item"] = np.arange(1, len(items) + 1)
    names = ward_names(ds)
    gnames = group_names(ds)
    gc = ds.group_conferences
    wof = dict(zip(gc["group_code"], gc["ward_code"], strict=False))
    out = items.assign(
        example_of=examples_of(items, yr, wof, names, gnames, with_ward=ward is None),
        ward_name=[", ".join(names.get(w, w) for w in ws) for ws in items["wards"]],
        topic_name=[topic_label(t, lang) for t in items["topic"]],
        group_list=[group_list(gs, gnames) if len(ws) == 1 else ward_list(gs, names, wof)
                    for gs, ws in zip(items["groups"], items["wards"], strict=True)],
        reason=_reasons(items, yr, lang),
        reason_detail=[item_reason(r, lang) for _, r in items.iterrows()],
    )
    if "source" in out:  # where the office grouped the opinions, that is why
        out["reason"] = [staff_reason(r, lang) if r["source"] == "staff" else why
                         for (_, r), why in zip(out.iterrows(), out["reason"], strict=True)]
    return out


#: Items whose reason is worded from their members' requests: all a page shows (a folded
#: table holds 200 rows at most); a city's thousands of others say their shared words.
REASONS_WORDED = 200
#: Members read to word an item's reason (a city's largest items have hundreds).
REASON_MEMBERS = 60


def _reasons(items: pd.DataFrame, yr, lang: str) -> list[str]:
    """Each item's why_together: from the request of its members (the first
    REASON_MEMBERS) for the first REASONS_WORDED items, from its shared words after."""
    pos = {str(oid): i for i, oid in enumerate(yr.opinions["opinion_id"])}
    texts = yr.opinions["text"].fillna("").astype(str).tolist()
    places = yr.places
    out = []
    for k, (members, terms, topic) in enumerate(zip(
            items["members"], items["key_terms"], items["topic"], strict=True)):
        rows = [pos[str(m)] for m in list(members)[:REASON_MEMBERS] if str(m) in pos]
        if k >= REASONS_WORDED:  # never on a page: no request words read
            out.append(why_together([""] * len(members), None, terms, topic, lang))
            continue
        out.append(why_together([texts[i] for i in rows], [places[i] for i in rows],
                                terms, topic, lang))
    return out


#: Member opinions a page lists under one consolidated item: a ward's or a district's items
#: have at most a few dozen; a city's top items hundreds, which no reader scrolls through
#: (the page says how many more there are).
MEMBERS_SHOWN = 100


def consolidated_members(ds, items: pd.DataFrame, redact: bool = True,
                         verbatim: bool = True, per_item: int | None = None) -> pd.DataFrame:
    """The member opinions of `items` (as :func:`consolidated` returns them): item,
    opinion_id, ward_code, group_code, group_label, similarity (to the item's representative
    wording), text (redacted; empty with verbatim=False) and ward_name. `per_item`: at
    most that many per item, the representative first (only those are redacted: a page
    shows no more)."""
    yr = year_requests(ds)
    ops = yr.opinions.set_index("opinion_id")
    rows = []
    gnames = group_names(ds)
    feats = yr.features
    pos = {oid: i for i, oid in enumerate(yr.opinions["opinion_id"].astype(str))}  # once
    member_rows, rep_rows = [], []
    for item, members, rep in zip(items["item"], items["members"], items["opinion_id"],
                                  strict=True):
        r = pos[str(rep)]
        if per_item is not None:
            members = [rep, *[m for m in members if m != rep]][:max(per_item, 1)]
        for oid in members:
            g = ops.at[oid, "group_code"] if "group_code" in ops else None
            member_rows.append(pos[str(oid)])
            rep_rows.append(r)
            rows.append({"item": item, "opinion_id": oid, "ward_code": ops.at[oid, "ward_code"],
                         "group_code": g, "group_label": group_label(g, gnames.get(g)),
                         "representative": oid == rep, "text": ops.at[oid, "text"]})
    out = pd.DataFrame(rows, columns=["item", "opinion_id", "ward_code", "group_code",
                                      "group_label", "representative", "text"])
    # each member's similarity to its item's representative: row-wise dot products at once
    sims = (np.asarray(feats[member_rows].multiply(feats[rep_rows]).sum(axis=1)).ravel()
            if rows else np.zeros(0))
    out.insert(5, "similarity", sims.astype(float))
    if len(out):
        out["text"] = texts_for_showing(out, redact) if verbatim else ""
    names = ward_names(ds)
    out["ward_name"] = [names.get(w, w) for w in out["ward_code"]]
    return out


def request_sentences(items: pd.DataFrame, n: int = 5, lang: str = "vi", redact: bool = True,
                      verbatim: bool = True, text_limit: int | None = None) -> list[str]:
    """The top requests as a ward officer writes them: "12 tổ dân phố (TDP 3, 5, 9, …) đề
    nghị: <representative wording>" (and "ở 3 phường" across the area). With
    verbatim=False the wording is replaced by the shared words. `text_limit`: the wording
    cut at a word to that many characters (a bullet shortens the quote, not the groups)."""
    req = items[items["request"]].head(n)
    texts = texts_for_showing(req, redact) if (verbatim and len(req)) else [""] * len(req)
    if text_limit is not None:
        texts = [shorten(t, text_limit) if t else t for t in texts]
    out = []
    for (_, r), text in zip(req.iterrows(), texts, strict=True):
        what = text if verbatim else (r["key_terms"] or topic_label(r["topic"], lang))
        groups = int(r["n_groups"])
        where = ""
        listed = f" ({r['group_list']})" if r.get("group_list") else ""
        if int(r["n_wards"]) > 1:  # across the area the list names the wards
            unit = unit_words(lang)
            where = (f" ở {r['n_wards']} {unit['unit']}{listed}" if lang == "vi"
                     else f" in {r['n_wards']} {unit['units']}{listed}")
            listed = ""
        example = verbatim and r.get("example_of")
        if example:  # raised at several sites: one group's words, as an example
            what = request_wording(text, speaker(r["example_of"], lang), lang, sentence=True)
        if lang == "vi":
            out.append(f"{fmt_int(groups)} tổ dân phố{listed}{where}"
                       + (f" {what}" if example else f" đề nghị: {what}"))
        else:
            noun = "group" if groups == 1 else "groups"
            out.append(f"{fmt_int(groups, lang='en')} residential {noun}{listed}{where}"
                       + (f" {what}" if example else f" ask: {what}"))
    return out


def requests_table(items: pd.DataFrame, n: int | None = 10, redact: bool = True,
                   verbatim: bool = True, lang: str = "vi",
                   detail: bool = False) -> pd.DataFrame:
    """The consolidated requests as a reader sees them: number of groups, which, wards,
    topic, the representative wording (redacted) and why its opinions were put together
    (in plain words; `detail=True`, for the analyst: the shared words, places and how
    similar they are). Requests first; `n` rows (None: all)."""
    shown = items if n is None else items.head(n)
    text = texts_for_showing(shown, redact) if (verbatim and len(shown)) else [
        str(k or "") for k in shown["key_terms"]]
    text = example_wordings(shown, text, verbatim, lang)
    vi = lang == "vi"
    return pd.DataFrame({
        ("Thứ tự" if vi else "No."): shown["item"].to_numpy(),
        ("Kiến nghị (ý kiến đại diện)" if vi else "Request (representative wording)"): text,
        ("Số tổ dân phố nêu" if vi else "Groups raising it"): [
            fmt_int(v, lang=lang) for v in shown["n_groups"]],
        ("Tổ dân phố" if vi else "Groups"): shown["group_list"].to_numpy(),
        ("Phường" if vi else "Ward"): shown["ward_name"].to_numpy(),
        ("Lĩnh vực" if vi else "Topic"): shown["topic_name"].to_numpy(),
        ("Vì sao gộp" if vi else "Why together"): shown[
            "reason_detail" if detail and "reason_detail" in shown else "reason"].to_numpy(),
    })


#: member opinions a printed request shows (the rest counted): on paper a leader reads who
#: asked (the group list in the line), why it is one request, and enough of the residents'
#: own words to recognise it; the whole list stays in the page and its CSV.
PRINTED_MEMBERS = 3


def items_html(items: pd.DataFrame, members: pd.DataFrame, n: int = 10,
               lang: str = "vi") -> HtmlBlock:
    """The top items, each with its member opinions one click away (an HTML <details>);
    every text escaped. `members` as :func:`consolidated_members` returns them."""
    vi = lang == "vi"
    parts = ['<div class="hbt-items">']
    staff_note = grouping_sentence(items, lang)  # where the office grouped some itself
    if staff_note:
        parts.append(f'<p class="hbt-source">{html.escape(staff_note)}</p>')
    by_item = {k: v for k, v in members.groupby("item", sort=False)}
    # a ward's own list (every item of one ward): its name is the page's
    one_ward = ("ward_code" in items and items["ward_code"].notna().all()
                and items["ward_code"].nunique() == 1)
    for _, r in items.head(n).iterrows():
        sub = by_item.get(r["item"], members.iloc[0:0])
        rep = sub[sub["representative"]]
        quoted = bool(len(rep) and rep["text"].iloc[0])
        head = rep["text"].iloc[0] if quoted else (
            r["key_terms"] or topic_label(r["topic"], lang))
        if quoted and r.get("example_of"):  # one group's words for many sites
            head = " " + request_wording(str(head), speaker(r["example_of"], lang), lang,
                                         sentence=True)
        else:
            head = ": " + str(head)
        count = (f"{fmt_int(r['n_groups'])} tổ dân phố" if vi
                 else f"{fmt_int(r['n_groups'], lang='en')} groups")
        listed = f" ({r['group_list']})" if r.get("group_list") else ""
        if int(r.get("n_wards", 1) or 1) > 1:  # the list names the wards, with their groups
            unit = unit_words(lang)
            where = (f" ở {fmt_int(r['n_wards'])} {unit['unit']}{listed}" if vi
                     else f" in {fmt_int(r['n_wards'], lang='en')} {unit['units']}{listed}")
        elif one_ward or not r.get("ward_name"):  # a ward's own list: its name is the page's
            where = listed
        else:
            unit = unit_words(lang)
            where = (f" {unit['unit']} {r['ward_name']}{listed}" if vi
                     else f" of {r['ward_name']} {unit['unit']}{listed}")
        parts.append(
            f'<details class="hbt-item"><summary><b>{html.escape(count)}</b>'
            f"{html.escape(where)}{html.escape(head)}</summary>"
            f'<p class="hbt-reason"><b>{"Vì sao gộp" if vi else "Why together"}:</b> '
            f'{html.escape(str(r["reason"]))}</p><ul>')
        more = len(r["members"]) - len(sub) if "members" in r else 0
        for k, (_, m) in enumerate(sub.iterrows()):
            label = f"TDP {m['group_label']}" if m["group_label"] else ""
            several = int(r.get("n_wards", 1) or 1) > 1
            if label and (several or not one_ward) and m.get("ward_name"):  # which TDP 7
                label += f" ({m['ward_name']})"
            if k == PRINTED_MEMBERS:  # on paper: a few opinions, then how many more
                rest = len(sub) - k + max(more, 0)
                parts.append('<li class="hbt-print-more">' + html.escape(
                    f"… và {fmt_int(rest)} ý kiến khác" if vi
                    else f"… and {fmt_int(rest, lang='en')} more opinions") + "</li>")
            cls = ' class="hbt-screen-only"' if k >= PRINTED_MEMBERS else ""
            parts.append(f"<li{cls}>{html.escape(label)}: {html.escape(str(m['text']))}</li>")
        if more > 0:
            if len(sub) <= PRINTED_MEMBERS:  # the opinions not in the page, on paper too
                parts.append('<li class="hbt-print-more">' + html.escape(
                    f"… và {fmt_int(more)} ý kiến khác" if vi
                    else f"… and {fmt_int(more, lang='en')} more opinions") + "</li>")
            parts.append('<li class="hbt-more hbt-screen-only">' + html.escape(
                f"… và {fmt_int(more)} ý kiến khác của kiến nghị này" if vi
                else f"… and {fmt_int(more, lang='en')} more opinions of this request")
                + "</li>")
        parts.append("</ul></details>")
    parts.append("</div>")
    return HtmlBlock("".join(parts))


# --------------------------------------------------------------------------------------
# Who must answer
# --------------------------------------------------------------------------------------
def routes(ds, ward: str | None = None, level: str = "all", lang: str = "vi") -> pd.DataFrame:
    """The scope's opinions with who must answer (routing.route_opinions) and route_name."""
    routed = select(year_requests(ds).routes(), ward, level)
    router = default_router()
    return routed.assign(route_name=[router.name(c, lang) for c in routed["route"]],
                         route_level_name=[router.name(c, lang) for c in routed["route_level"]])


def routes_by_ward(ds, ward: str | None = None, level: str = "all",
                   lang: str = "vi") -> pd.DataFrame:
    """Opinions per level that must answer, one row per ward of the scope, as a reader sees
    them: the ward's name, one column per level ("Cấp phường", …) and the total."""
    from hbt_analysis.opinions.scope import scope_wards

    table = route_counts(routes(ds, ward, level, lang), scope_wards(ds, ward), lang=lang)
    vi = lang == "vi"
    levels = {c: c if c.startswith(("Ngành", "Sector")) else
              f"Cấp {c[0].lower()}{c[1:]}" if vi else f"{c} level" for c in table.columns[2:-1]}
    return table.drop(columns="ward_code").rename(columns={
        "ward_name": label("ward_name", lang), **levels, "total": "Tổng" if vi else "Total"})


def routing_agreement_table(ds, ward: str | None = None, lang: str = "vi") -> pd.DataFrame:
    """Where staff recorded who must answer: how often the table gives the same level, per
    level staff wrote, as a reader sees it."""
    agree = routing_agreement(routes(ds, ward, lang=lang), lang=lang)
    vi = lang == "vi"
    return pd.DataFrame({
        ("Cấp do cán bộ ghi" if vi else "Level staff recorded"): agree["level_name"].to_numpy(),
        ("Số ý kiến" if vi else "Opinions"): [fmt_int(v, lang=lang) for v in agree["n"]],
        ("Bảng phân cấp cho cùng cấp" if vi else "Table gives the same level"): [
            fmt_int(v, lang=lang) for v in agree["agree"]],
        ("Tỷ lệ trùng" if vi else "Agreement"): [fmt_pct(v, lang=lang) for v in agree["share"]],
    })


def routing_summary_sentence(ds, ward: str | None = None, level: str = "all",
                             lang: str = "vi") -> str:
    """The counts by level that must answer, for a leader: how often the routing table
    agrees with staff is the analyst's (routing_agreement_table)."""
    return routing_sentence(routes(ds, ward, level, lang), lang=lang, agreement=False)


# --------------------------------------------------------------------------------------
# Raised again
# --------------------------------------------------------------------------------------
def year_repeats(ds, ward: str | None = None, level: str = "all",
                 data_dir: str | Path | None = None, threshold: float | None = None,
                 ) -> pd.DataFrame:
    """:func:`repeats.raised_again` for a scope: this year's opinions against every earlier
    year in the data (computed once per year pair and kept)."""
    from hbt_analysis.dataset import available_years, load
    from hbt_analysis.opinions.repeats import DEFAULT_REPEAT_THRESHOLD

    now = year_requests(ds)
    thr = DEFAULT_REPEAT_THRESHOLD if threshold is None else float(threshold)
    earlier_years = [y for y in available_years(data_dir) if y < ds.year]
    key = ("repeats", tuple(earlier_years), str(data_dir), thr)
    cached = getattr(now, "_repeats", {})
    if key not in cached:
        def compute() -> pd.DataFrame:
            earlier = [year_requests(load(y, data_dir)) for y in earlier_years]
            return raised_again(now, earlier, thr)

        # on disk by the earlier years' files (loading and classifying them costs more
        # than reading the result back)
        cached[key] = now._cached(f"repeats-{_years_hash(earlier_years, data_dir)}-{thr!r}",
                                  compute)
        now._repeats = cached
    out = cached[key]
    if ward is not None:
        out = out[out["ward_code"] == ward]
    if level != "all":
        out = out[out["level"] == level]
    return out.reset_index(drop=True)


def _years_hash(years: Sequence[int], data_dir: str | Path | None) -> str:
    """A hash of the files of `years` and of the reference folder (the unit registry)."""
    import hashlib

    from hbt_analysis.dataset import _data_dir, content_hash, reference_dir, year_files

    root = _data_dir(data_dir)
    parts = [content_hash(year_files(root / str(y))) for y in years]
    ref = reference_dir(data_dir)
    if ref.is_dir():
        parts.append(content_hash([p for p in ref.iterdir() if p.is_file()]))
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


def raised_again_table(repeats: pd.DataFrame, only: str = "came_back", n: int | None = 20,
                       redact: bool = True, verbatim: bool = True,
                       lang: str = "vi") -> pd.DataFrame:
    """The opinions raised again, as a reader sees them: this year's wording, the earlier
    year, its status and response. only="came_back": those marked resolved before;
    "raised_before": all repeats."""
    sub = repeats.loc[repeats[only].fillna(False).astype(bool)].sort_values(
        ["similarity", "opinion_id"], ascending=[False, True])
    if n is not None:
        sub = sub.head(n)
    status = {"resolved": "Đã giải quyết", "in_progress": "Đang giải quyết",
              "forwarded": "Chuyển cấp trên"} if lang == "vi" else {
        "resolved": "Resolved", "in_progress": "In progress", "forwarded": "Forwarded"}
    now_text = texts_for_showing(sub, redact) if (verbatim and len(sub)) else [""] * len(sub)
    before = pd.DataFrame({"text": sub["earlier_text"].fillna("")})
    before_text = texts_for_showing(before, redact) if (verbatim and len(sub)) else [
        ""] * len(sub)
    vi = lang == "vi"
    return pd.DataFrame({
        ("Ý kiến năm nay" if vi else "This year"): now_text,
        ("Năm đã nêu" if vi else "Raised in"): [str(y) if pd.notna(y) else "—"
                                                for y in sub["earlier_year"]],
        ("Ý kiến đã nêu" if vi else "Earlier wording"): before_text,
        ("Kết quả đã báo" if vi else "Reported status"): [status.get(s, "—") if isinstance(
            s, str) else "—" for s in sub["earlier_status"]],
        ("Trả lời" if vi else "Response"): sub["earlier_response"].fillna("—").to_numpy(),
        ("Lĩnh vực" if vi else "Topic"): [topic_label(t, lang) for t in sub["topic_primary"]],
    })


def repeats_summary_sentence(ds, ward: str | None = None, level: str = "all",
                             data_dir: str | Path | None = None, lang: str = "vi") -> str:
    """:func:`repeats.repeat_sentence` for a scope, or that the data hold no earlier year."""
    from hbt_analysis.dataset import available_years

    if not [y for y in available_years(data_dir) if y < ds.year]:
        return (f"Dữ liệu không có năm nào trước năm {ds.year} để đối chiếu kiến nghị nêu lại."
                if lang == "vi" else
                f"The data hold no year before {ds.year} to look for requests raised again.")
    return repeat_sentence(year_repeats(ds, ward, level, data_dir), ds.year, lang)


# --------------------------------------------------------------------------------------
# The brief's bullets
# --------------------------------------------------------------------------------------
def worklist_bullets(ds, ward: str | None = None, data_dir: str | Path | None = None,
                     lang: str = "vi", redact: bool = True, verbatim: bool = True) -> str:
    """Three Markdown bullets for the brief, in the order a leader acts on them: the request
    raised by most groups, who must answer this year's opinions, and what came back from
    last year."""
    items = consolidated(ds, ward, lang=lang)
    top = request_sentences(items, 1, lang, redact, verbatim, text_limit=130)
    bullets = top[:1]
    bullets.append(routing_summary_sentence(ds, ward, lang=lang))
    bullets.append(repeats_summary_sentence(ds, ward, data_dir=data_dir, lang=lang))
    return "\n".join(f"- {b}" for b in bullets)

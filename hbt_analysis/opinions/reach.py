"""What reached the ward conference, for a loaded year and a scope (the area or one ward):
which group-level opinions each ward-level opinion carries forward (linking.py), the
consolidated requests no ward-level opinion carried, and where staff linked some themselves,
how far the machine's links agree. Each function returns a frame or a sentence for a
notebook cell; the links are computed once per year (yearly.py).
"""

from __future__ import annotations

import pandas as pd

from hbt_analysis.fmt import fmt_int
from hbt_analysis.labels import unit_words
from hbt_analysis.opinions.display import texts_for_showing, topic_label
from hbt_analysis.opinions.item_names import (
    example_wordings,
    examples_of,
    group_list,
    group_names,
    ward_names,
)
from hbt_analysis.opinions.linking import link_agreement, reach_sentence, unreached_items
from hbt_analysis.opinions.scope import select
from hbt_analysis.opinions.yearly import year_requests

__all__ = [
    "link_agreement_table",
    "links_table",
    "reach_summary_sentence",
    "reach_table",
    "unreached_table",
]


def links_table(ds, ward: str | None = None, redact: bool = True, verbatim: bool = True,
                threshold: float | None = None) -> pd.DataFrame:
    """Each ward-level opinion of the scope with the group-level opinions it carries forward:
    ward_opinion_id, ward_code, opinion_id, group_code, similarity, named, rank, and both
    texts (redacted)."""
    yr = year_requests(ds)
    links = yr.links(threshold)
    if ward is not None:
        links = links[links["ward_code"] == ward].reset_index(drop=True)
    texts = yr.opinions.set_index("opinion_id")["text"]
    ward_text = pd.DataFrame({"text": links["ward_opinion_id"].map(texts)})
    group_text = pd.DataFrame({"text": links["opinion_id"].map(texts)})
    if verbatim and len(links):
        return links.assign(ward_text=texts_for_showing(ward_text, redact),
                            text=texts_for_showing(group_text, redact))
    return links.assign(ward_text="", text="")


def reach_table(ds, ward: str | None = None, threshold: float | None = None,
                link_threshold: float | None = None) -> pd.DataFrame:
    """The consolidated requests of each ward with `reached` (carried to the ward
    conference) and the ward-level opinion that carried it; `ward` keeps one ward."""
    yr = year_requests(ds)
    items, _ = yr.items("ward", threshold)
    out = unreached_items(items, yr.links(link_threshold))
    if ward is not None:
        out = out[out["ward_code"] == ward].reset_index(drop=True)
    names = ward_names(ds)
    gnames = group_names(ds)
    gc = ds.group_conferences
    wof = dict(zip(gc["group_code"], gc["ward_code"], strict=False))
    return out.assign(example_of=examples_of(out, yr, wof, names, gnames, with_ward=False),
                      ward_name=out["ward_code"].map(lambda w: names.get(w, w)),
                      topic_name=[topic_label(t) for t in out["topic"]],
                      group_list=[group_list(g, gnames) for g in out["groups"]])


def unreached_table(ds, ward: str | None = None, min_groups: int = 2, n: int | None = 10,
                    redact: bool = True, verbatim: bool = True,
                    lang: str = "vi") -> pd.DataFrame:
    """The requests raised by at least `min_groups` groups of a ward that no ward-level
    opinion carried to the ward conference, most groups first, as a reader sees them."""
    out = reach_table(ds, ward)
    out = out[out["request"] & ~out["reached"] & (out["n_groups"] >= min_groups)]
    out = out.sort_values(["n_groups", "ward_code", "item"], ascending=[False, True, True])
    if n is not None:
        out = out.head(n)
    text = texts_for_showing(out, redact) if (verbatim and len(out)) else [
        str(k or "") for k in out["key_terms"]]
    text = example_wordings(out, text, verbatim, lang)
    vi = lang == "vi"
    return pd.DataFrame({
        ("Kiến nghị (ý kiến đại diện)" if vi else "Request (representative wording)"): text,
        ("Số tổ dân phố nêu" if vi else "Groups raising it"): [
            fmt_int(v, lang=lang) for v in out["n_groups"]],
        ("Tổ dân phố" if vi else "Groups"): out["group_list"].to_numpy(),
        ("Phường" if vi else "Ward"): out["ward_name"].to_numpy(),
        ("Lĩnh vực" if vi else "Topic"): [topic_label(t, lang) for t in out["topic"]],
    })


def _scope_links(ds, ward: str | None, staff: bool = True) -> pd.DataFrame:
    links = year_requests(ds).links(staff=staff)
    return links if ward is None else links[links["ward_code"] == ward]


def reach_summary_sentence(ds, ward: str | None = None, min_groups: int = 2,
                           lang: str = "vi") -> str:
    """:func:`linking.reach_sentence` for a scope; where staff linked some ward-level
    opinions to their sources themselves (staff_item), one more sentence says so."""
    text = reach_sentence(reach_table(ds, ward), min_groups, lang)
    links = _scope_links(ds, ward)
    if "source" not in links or not (links["source"] == "staff").any():
        return text
    by_staff = links.loc[links["source"] == "staff", "ward_opinion_id"].nunique()
    ward_level = select(year_requests(ds).opinions, ward, "phuong")
    rest = len(ward_level) - by_staff  # matched by the machine (sources found or not)
    if lang == "vi":
        return text + (f" Cán bộ đã ghi nguồn ở tổ dân phố cho {fmt_int(by_staff)} ý kiến cấp "
                       f"{unit_words(lang)['unit']}"
                       + (f"; {fmt_int(rest)} ý kiến còn lại do máy đối chiếu." if rest
                          else "."))
    noun = "opinion" if by_staff == 1 else "opinions"
    return text + (f" Staff recorded the group-level sources of {fmt_int(by_staff, lang='en')} "
                   f"{unit_words(lang)['unit']}-level {noun}"
                   + (f"; the machine matched the other {fmt_int(rest, lang='en')}." if rest
                      else "."))


def link_agreement_table(ds, ward: str | None = None, lang: str = "vi") -> pd.DataFrame:
    """For the analyst: where staff gave ward-level opinions the key of their group-level
    sources, how far the machine's own links agree (linking.link_agreement). Empty when
    staff linked none of the scope's opinions."""
    from hbt_analysis.fmt import fmt_num

    score = link_agreement(_scope_links(ds, ward), _scope_links(ds, ward, staff=False))
    if not score:
        return pd.DataFrame()
    vi = lang == "vi"
    unit = unit_words(lang)["unit"]
    return pd.DataFrame([{
        (f"Ý kiến cấp {unit} cán bộ đã gắn nguồn" if vi
         else f"{unit_words(lang)['Unit']}-level opinions staff linked"):
            fmt_int(score["ward_opinions"], lang=lang),
        ("Liên kết của cán bộ" if vi else "Staff's links"):
            fmt_int(score["staff_links"], lang=lang),
        ("Liên kết của máy" if vi else "Machine's links"):
            fmt_int(score["machine_links"], lang=lang),
        ("Trùng nhau" if vi else "Both"): fmt_int(score["both"], lang=lang),
        "P": fmt_num(score["precision"], 2, lang),
        "R": fmt_num(score["recall"], 2, lang),
        "F1": fmt_num(score["f1"], 2, lang),
    }])

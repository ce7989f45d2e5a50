"""How a list names a consolidated item's wards and groups ("TDP 3, 5, 9"; "Vĩnh Tuy 9,
Bạch Mai 5") and whose words it quotes as an example ("TDP 3 (Bạch Mai)"): shared by the
list of requests (worklist.py) and what reached the ward conference (reach.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from hbt_analysis.opinions.consolidate import group_label
from hbt_analysis.opinions.display import request_wording

__all__ = [
    "example_wordings",
    "examples_of",
    "group_list",
    "group_names",
    "speaker",
    "ward_list",
    "ward_names",
]


def ward_names(ds) -> dict[str, str]:
    """Ward code -> ward name."""
    return dict(zip(ds.wards["ward_code"], ds.wards["ward_name"], strict=True))


def group_names(ds) -> dict[str, object]:
    """Group code -> group name, where the data name their groups."""
    gc = ds.group_conferences
    if "group_name" not in gc:
        return {}
    return dict(zip(gc["group_code"], gc["group_name"], strict=False))


def group_list(groups: Sequence[str], gnames: dict[str, object], limit: int = 8) -> str:
    """An item's groups within a ward by their numbers: "TDP 3, 5, 9, …"."""
    labels = [group_label(g, gnames.get(g)) for g in groups]
    shown = ", ".join(labels[:limit])
    return f"TDP {shown}{', …' if len(labels) > limit else ''}" if labels else ""


def ward_list(groups: Sequence[str], names: dict[str, str], ward_of: dict[str, str],
              limit: int = 4) -> str:
    """The wards of an item across the area with their number of groups, most first:
    "Vĩnh Tuy 9, Bạch Mai 5, …"."""
    counts: dict[str, int] = {}
    for g in groups:
        ward = str(ward_of.get(g, str(g).split("-")[0]))
        counts[ward] = counts.get(ward, 0) + 1
    order = sorted(counts, key=lambda w: (-counts[w], names.get(w, w)))
    shown = ", ".join(f"{names.get(w, w)} {counts[w]}" for w in order[:limit])
    return shown + (", …" if len(order) > limit else "")


def examples_of(items: pd.DataFrame, yr, ward_of: dict[str, str], names: dict[str, str],
                gnames: dict[str, object], with_ward: bool) -> list[str]:
    """For each item quoted as an example (its `example`), whose words they are: "TDP 3
    (Bạch Mai)", or "TDP 3" within a ward; "" for the others."""
    if "example" not in items or "group_code" not in yr.opinions:
        return [""] * len(items)
    group_of = yr.opinions.set_index("opinion_id")["group_code"]
    out = []
    for oid, example in zip(items["opinion_id"], items["example"], strict=True):
        group = group_of.get(oid) if isinstance(example, (bool, np.bool_)) and example else None
        if not isinstance(group, str) or not group:
            out.append("")
            continue
        who = f"TDP {group_label(group, gnames.get(group))}"
        ward = str(ward_of.get(group, group.split("-")[0]))
        out.append(f"{who} ({names.get(ward, ward)})" if with_ward else who)
    return out


def speaker(example_of: str, lang: str) -> str:
    """'TDP 3 (Bạch Mai)' in English: 'group 3 (Bạch Mai)'."""
    return example_of if lang == "vi" else example_of.replace("TDP ", "group ", 1)


def example_wordings(frame: pd.DataFrame, texts: Sequence[str], verbatim: bool,
                     lang: str) -> list[str]:
    """The texts of a table's rows, an example worded as one (request_wording)."""
    if not verbatim or "example_of" not in frame:
        return list(texts)
    return [request_wording(t, speaker(e, lang) if e else None, lang)
            for t, e in zip(texts, frame["example_of"], strict=True)]

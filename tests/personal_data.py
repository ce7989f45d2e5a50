"""What a reader must never see: the personal data the synthetic generator planted.

Independent of the redaction code: the generator records every item it plants verbatim
(`synth.generate(year, with_truth=True)["opinions_truth"]["planted"]`), and phone and
CCCD numbers are also looked for by their shape with patterns written here.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache

# A phone number as people write them (0 or +84/84, then 9 digits, single separators), a
# 12-digit CCCD. Not inside a longer word: plotly's random div ids are not phones.
PHONE = re.compile(r"(?<![\w.,])(?:\+84|84|0)[ .\-]?[35789](?:[ .\-]?\d){8}(?![\w])")
# not the last group of a plotly div id ("875bf883-cf97-4d42-b922-093359960028")
CCCD = re.compile(r"(?<![\w-])0\d{11}(?!\w)")
_SCRIPT = re.compile(r"<script\b.*?</script>|<style\b.*?</style>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


@cache
def planted_items(year: int) -> tuple[tuple[str, str], ...]:
    """(kind, verbatim text) of every item the generator planted in `year`'s opinions."""
    from hbt_analysis import synth, synth_merger

    make = synth_merger.generate if year in synth_merger.YEARS else synth.generate
    truth = make(year, with_truth=True)["opinions_truth"]
    return tuple((kind, text) for planted in truth["planted"]
                 for kind, text in json.loads(planted))


def visible_text(page: str) -> str:
    """What a reader sees of an HTML page (or notebook output): no scripts, no tags."""
    return " ".join(html.unescape(_TAG.sub(" ", _SCRIPT.sub(" ", page))).split())


def leaks(text: str, year: int) -> list[str]:
    """Planted items, phone and CCCD numbers found in `text` (already visible text)."""
    flat = " ".join(text.split())
    found = [f"{kind}: {item}" for kind, item in planted_items(year)
             if " ".join(item.split()) in flat]
    found += [f"phone: {m.group()}" for m in PHONE.finditer(flat)]
    found += [f"id_number: {m.group()}" for m in CCCD.finditer(flat)]
    return found


def assert_no_personal_data(text: str, year: int) -> None:
    """No planted item and no phone or CCCD number in `text` (HTML or notebook text)."""
    found = leaks(visible_text(text), year)
    assert not found, found[:10]

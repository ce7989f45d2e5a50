"""The text side of topic matching: the form an opinion is matched in (normalised, lower
case, folded when typed without accents), the trie-shaped regex the phrases compile to, and
the classifiers' one input shape. Part of :mod:`hbt_analysis.topics`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

import pandas as pd

from hbt_analysis.text import _VIET_MARKED, fold, normalize, tone_and_nfc

__all__ = ["match_form", "matching_text", "text_list", "trie_regex"]


def trie_regex(words: Iterable[str]) -> str:
    """A regex alternation shaped as a trie: the engine walks it character by character,
    which is far faster than trying hundreds of alternatives in turn. Longer continuations
    are tried before ending, so the longest phrase at a position wins."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        ends = "" in node
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + build(sub)
                    for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        if ends:
            # "(?:a|b|)": an empty last alternative ends the phrase here; the same as
            # "(?:a|b)?" but cheaper for the engine (no repeat bookkeeping)
            return "(?:" + "|".join(branches) + "|)"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(trie)


def match_form(text: str, normalized: bool = False) -> tuple[str, bool]:
    """(text to match, whether it was folded because it carries no Vietnamese accents).

    `normalized`: the text already went through text.normalize (as loaded data has), so
    its letters need no second pass.
    """
    t = text if normalized else tone_and_nfc(text)
    if t.isascii() or not _VIET_MARKED.search(t):
        return fold(t), True
    return t.lower(), False


def matching_text(text: str) -> str:
    """The string phrases are matched against: the normalised text in lower case, or
    folded (no accents) when the opinion was typed without any Vietnamese accents.

    Every phrase in a ``matched`` explanation occurs in it (abbreviations such as "ATGT"
    are matched as they are written, standing for their expansion).
    """
    return match_form(normalize(text))[0]


def text_list(texts: Iterable[str] | str) -> tuple[list[str], pd.Index | None]:
    """The texts as a list of strings (missing values as ""), and their index when they
    came as a Series: the one input shape of the classifiers."""
    if isinstance(texts, str):
        raise TypeError(
            "Cần một danh sách văn bản, không phải một chuỗi / expected a list of texts, "
            "not a single string (wrap it: [text])"
        )
    if isinstance(texts, pd.Series):
        values = texts.tolist()
        if texts.hasnans:
            values = ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else v
                      for v in values]
        return [v if isinstance(v, str) else str(v) for v in values], texts.index
    return ["" if t is None or (isinstance(t, float) and math.isnan(t)) else str(t)
            for t in texts], None

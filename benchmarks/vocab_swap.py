"""Swapping the request vocabulary in-process and scoring the study sets with it, for
benchmarks/vocab_evidence.py: request_words reads another request_synonyms.yaml (and extra
boilerplate) through its module's `resources`, its caches cleared; nothing of the package is
edited."""

from __future__ import annotations

import copy
import functools
import re
import sys
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import consolidation_harness as H  # noqa: E402

from hbt_analysis.opinions import request_words as RW  # noqa: E402
from hbt_analysis.opinions.request_words import load_phrases_yaml  # noqa: E402
from hbt_analysis.text import fold  # noqa: E402

RESOURCES = ROOT / "hbt_analysis" / "resources"


# -- swapping the vocabulary in-process ---------------------------------------------------------

class _Root:
    """resources.files("hbt_analysis") with request_synonyms.yaml replaced by a text."""

    def __init__(self, text: str, boilerplate: list[str]):
        self.text = text
        self.boilerplate = boilerplate

    def joinpath(self, *parts: str):
        if parts[-1] == "request_synonyms.yaml":
            return _Text(self.text)
        real = resources.files("hbt_analysis").joinpath(*parts)
        if parts[-1] == "request_boilerplate.txt" and self.boilerplate:
            return _Text(real.read_text("utf-8") + "\n" + "\n".join(self.boilerplate) + "\n")
        return real


class _Text:
    def __init__(self, text: str):
        self.text = text

    def read_text(self, encoding: str = "utf-8") -> str:
        return self.text


class _Resources:
    def __init__(self, text: str, boilerplate: list[str]):
        self.root = _Root(text, boilerplate)

    def files(self, package: str):
        return self.root


def base_vocabulary() -> dict:
    return load_phrases_yaml((RESOURCES / "request_synonyms.yaml").read_text("utf-8"))


def use_vocabulary(data: dict | None) -> None:
    """Read `data` (a parsed request_synonyms.yaml) from now on; None: the file again."""
    import yaml

    if data is None:
        RW.resources = resources
    else:
        data = dict(data)
        boilerplate = data.pop("boilerplate_extra", [])
        RW.resources = _Resources(yaml.safe_dump(data, allow_unicode=True, sort_keys=False,
                                                 width=10_000), boilerplate)
    RW._synonyms.cache_clear()
    RW._boilerplate_re.cache_clear()
    RW._tokens.cache_clear()
    RW.request_text.cache_clear()
    RW.request_concepts.cache_clear()


def with_edits(data: dict, edits: list[list[str]]) -> dict:
    """`data` with each edit made: ["add", phrase, object] adds a phrase to an object;
    ["merge", x, y] makes y's phrases x's (two objects one, as authors group them);
    ["drop", phrase, object] makes the phrase `context_only`; ["family", object, "a|b"]
    adds phrases; ["boiler", words, ""] adds a formula."""
    out = copy.deepcopy(data)
    objects = out["objects"]
    merged: dict[str, str] = {}
    for kind, a, b in sorted(edits, key=lambda e: e[0] not in ("add", "family")):
        if kind == "drop":
            # a place, a reason, a means where it is read alone: `context_only`, naming its
            # object only where the opinion names no other (written without accents: only in
            # text typed without). Removing it left plain requests with no object (review of
            # session 22).
            out.setdefault("context_only", []).append(a)
        elif kind == "boiler":
            out.setdefault("boilerplate_extra", []).append(a)
        elif kind == "family":  # ["family", object, "phrase|phrase|…"]
            phrases = objects.setdefault(a, [])
            phrases += [p for p in b.split("|") if p not in phrases]
        elif kind == "add":
            phrases = objects.setdefault(b, [])
            if a not in phrases:
                phrases.append(a)
        elif kind == "merge":
            a, b = merged.get(a, a), merged.get(b, b)
            if a != b and a in objects and b in objects:
                objects[a] = objects[a] + [p for p in objects.pop(b) if p not in objects[a]]
                for k, v in list(merged.items()):
                    if v == b:
                        merged[k] = a
                merged[b] = a
    return out


def with_phrases(data: dict, adds: list[tuple[str, str]]) -> dict:
    """`data` with each (phrase, object) added to that object's phrases."""
    return with_edits(data, [["add", p, o] for p, o in adds])


# -- the study sets -----------------------------------------------------------------------------

@functools.cache
def opinions(name: str) -> tuple[list[str], list[str]]:
    """(texts, gold clusters) of a study set's group-level opinions."""
    frame, n = H._classified(str(H.CORPORA / H.STUDY.get(name, name)))
    return frame["text"].tolist()[:n], frame["cluster"].astype(str).tolist()[:n]


def dominant_objects(name: str) -> dict[str, str]:
    """Each gold cluster's object: named by at least two members and half of them."""
    texts, gold = opinions(name)
    members = defaultdict(list)
    for t, c in zip(texts, gold, strict=True):
        members[c].append(RW.request_concepts(t).objects)
    out = {}
    for c, objs in members.items():
        counts = Counter(o for s in objs for o in s)
        if counts:  # the most named, ties by name (a set's order changes between runs)
            obj, k = min(counts.items(), key=lambda item: (-item[1], item[0]))
            if k >= 2 and k * 2 >= len(objs):
                out[c] = obj
    return out


# -- measuring ----------------------------------------------------------------------------------

def score(names: list[str], data: dict | None) -> dict[str, dict]:
    """Area and ward F1, precision, recall and pair counts of each set under a vocabulary."""
    use_vocabulary(data)
    out = {}
    for name in names:
        r = H.score_set(H.CORPORA / H.STUDY.get(name, name))
        out[name] = {k: {m: float(r[k][m]) for m in ("precision", "recall", "f1")}
                     for k in ("area", "ward")}
        out[name]["pred"] = r["area"]["pred"]
    use_vocabulary(None)
    return out


def pair_change(name: str, before, after) -> tuple[int, int]:
    """(right pairs gained - lost, wrong pairs gained - lost) of the area items."""
    _, gold = opinions(name)
    g = np.asarray(gold)
    same_g = g[:, None] == g[None, :]
    b = np.asarray(before)[:, None] == np.asarray(before)[None, :]
    a = np.asarray(after)[:, None] == np.asarray(after)[None, :]
    iu = np.triu_indices(len(g), 1)
    d = a[iu].astype(int) - b[iu].astype(int)
    return int(d[same_g[iu]].sum()), int(d[~same_g[iu]].sum())


def sets_using(folded: str, names: list[str]) -> list[str]:
    rx = re.compile(rf"(?<!\w){re.escape(folded)}(?!\w)")
    return [n for n in names if any(rx.search(fold(RW.normalize(t)).lower())
                                    for t in opinions(n)[0])]

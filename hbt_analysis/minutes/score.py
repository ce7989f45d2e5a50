"""Scoring a reading of documents against a gold.json (the examples' convention).

Fields (ward, group, date, invited, attended) are scored by exact agreement per document;
opinions are matched one to one within a document when their normalised token Dice is at
least 0.8 (case, punctuation and the tone mark's position do not matter), giving precision,
recall and F1 over all documents; the number of opinions per document is scored too, and
the three gold flags (missing_attendance, attended_gt_invited, percentage_mismatch).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from hbt_analysis.text import fold, normalize

FIELDS = ("ward", "group", "date", "invited", "attended")
GOLD_FLAGS = ("missing_attendance", "attended_gt_invited", "percentage_mismatch")
DICE_THRESHOLD = 0.8


def tokens(text: str) -> list[str]:
    """Lower case, tone marks placed one way, punctuation dropped."""
    return re.findall(r"\w+", normalize(text).lower())


def dice(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    common = sum((Counter(a) & Counter(b)).values())
    return 2 * common / (len(a) + len(b))


def match_opinions(expected: list[str], found: list[str]) -> list[tuple[int, int, float]]:
    """One-to-one pairs (expected index, found index, dice) with dice >= the threshold."""
    if not expected or not found:
        return []
    from scipy.optimize import linear_sum_assignment

    te = [tokens(t) for t in expected]
    tf = [tokens(t) for t in found]
    m = np.array([[dice(a, b) for b in tf] for a in te])
    rows, cols = linear_sum_assignment(-m)
    return [(int(r), int(c), float(m[r, c])) for r, c in zip(rows, cols, strict=True)
            if m[r, c] >= DICE_THRESHOLD]


def _same(name: str, gold: object, pred: object) -> bool:
    if name == "ward":
        return (gold is None and pred is None) or (
            gold is not None and pred is not None and fold(str(gold)) == fold(str(pred)))
    if name == "group":
        return (str(gold).upper().lstrip("0") if gold is not None else None) == (
            str(pred).upper().lstrip("0") if pred is not None else None)
    return gold == pred


@dataclass
class Score:
    documents: int = 0
    field_right: Counter = field(default_factory=Counter)
    count_right: int = 0
    expected: int = 0
    found: int = 0
    matched: int = 0
    flag_tp: int = 0
    flag_fp: int = 0
    flag_fn: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def field_accuracy(self) -> float:
        return sum(self.field_right.values()) / (len(FIELDS) * self.documents or 1)

    def accuracy(self, name: str) -> float:
        return self.field_right[name] / (self.documents or 1)

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {
            "documents": self.documents,
            "field_accuracy": self.field_accuracy,
            "fields": {n: self.accuracy(n) for n in FIELDS},
            "opinion_count_accuracy": self.count_right / (self.documents or 1),
            "opinions_expected": self.expected, "opinions_found": self.found,
            "opinions_matched": self.matched,
            "precision": self.precision, "recall": self.recall, "f1": self.f1,
            "flags": {"tp": self.flag_tp, "fp": self.flag_fp, "fn": self.flag_fn},
            "errors": self.errors,
        }


def score(gold: dict[str, dict], predicted: dict[str, dict]) -> Score:
    """Score predictions (same shape as gold) for every document in gold."""
    s = Score()
    for name, g in gold.items():
        p = predicted.get(name) or {}
        s.documents += 1
        errs: list[str] = []
        if not p:
            errs.append("not read")
        for f in FIELDS:
            if _same(f, g.get(f), p.get(f)):
                s.field_right[f] += 1
            else:
                errs.append(f"{f}: expected {g.get(f)!r}, read {p.get(f)!r}")
        exp, got = list(g.get("opinions") or []), list(p.get("opinions") or [])
        pairs = match_opinions(exp, got)
        s.expected += len(exp)
        s.found += len(got)
        s.matched += len(pairs)
        if len(exp) == len(got):
            s.count_right += 1
        else:
            errs.append(f"opinions: expected {len(exp)}, read {len(got)}")
        hit_e = {e for e, _, _ in pairs}
        hit_f = {f for _, f, _ in pairs}
        for i, t in enumerate(exp):
            if i not in hit_e:
                errs.append(f"  missed: {t[:110]}")
        for i, t in enumerate(got):
            if i not in hit_f:
                errs.append(f"  extra:  {t[:110]}")
        gf = set(g.get("flags") or []) & set(GOLD_FLAGS)
        pf = set(p.get("flags") or []) & set(GOLD_FLAGS)
        s.flag_tp += len(gf & pf)
        s.flag_fp += len(pf - gf)
        s.flag_fn += len(gf - pf)
        if gf != pf:
            errs.append(f"flags: expected {sorted(gf)}, read {sorted(pf)}")
        if errs:
            s.errors[name] = errs
    return s

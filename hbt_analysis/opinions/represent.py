"""Which member's words stand for a consolidated item (the wording a leader reads).

Kept apart from the clustering (consolidate.py): what is shown is a reader's question,
how opinions group is another.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hbt_analysis.text import has_diacritics

__all__ = ["PLACED_REPRESENTATIVE_PENALTY", "representative"]

#: How much less central a member naming no place may be and still represent an item raised
#: in several wards (see :func:`representative`).
PLACED_REPRESENTATIVE_PENALTY = 0.1


def representative(sim: np.ndarray, idx: np.ndarray, texts: Sequence[str],
                   placed: Sequence[bool] | None = None) -> int:
    """The member most like the others; one written without accents only if clearly more
    central (it is what the reader sees); ties: the shorter text, then the first. `placed`
    (an item raised in several wards): which members name a place — one that names none
    is preferred unless clearly less central, so '65 tổ dân phố đề nghị …' does not quote
    one group's street as if all 65 had named it."""
    if len(idx) == 1:
        return int(idx[0])
    sub = sim[np.ix_(idx, idx)]
    mean = (sub.sum(axis=1) - 1.0) / (len(idx) - 1)
    plain = np.array([not has_diacritics(texts[i]) for i in idx], dtype=float)
    score = mean - 0.1 * plain
    if placed is not None:
        named = np.array([bool(placed[i]) for i in idx], dtype=float)
        if 0 < named.sum() < len(idx):
            score -= PLACED_REPRESENTATIVE_PENALTY * named
    order = sorted(range(len(idx)), key=lambda k: (-round(float(score[k]), 3),
                                                   len(texts[idx[k]]), k))
    return int(idx[order[0]])

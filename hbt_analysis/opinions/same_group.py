"""Two opinions of one group (tổ dân phố) are two requests: a group's conference lists each
request once. Clustering pushes such a pair apart, for the area (consolidate.cluster) as
within a ward (ward_items)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["SAME_GROUP_SIMILARITY", "same_group_pairs"]

#: The similarity two opinions of one group count as when clustering (their own is reported
#: as 0): below any other pair's, so they join one item only when the rest of it is close to
#: both. Not a hard cannot-link: minutes that record speaker by speaker list one request
#: twice (the bundled 2023 data has 78 opinions of 61 groups on encroachment), and a hard
#: link split that item in four. Eight labelled sets: see consolidation.md, session 19 part 2.
SAME_GROUP_SIMILARITY = -0.5


def same_group_pairs(groups: Sequence[object] | None) -> np.ndarray | None:
    """Which pairs are two opinions of one group (`groups`: their group codes), or None.

    A group's conference lists each of its requests once: two opinions recorded by one group
    are two requests, however alike their words ("sửa đèn hỏng" and "lắp đèn mới" on one
    alley). On six labelled sets by six authors, none of 294 pairs of one group is one
    request. Opinions with no group code (ward level, a file without groups) are free."""
    if groups is None or len(groups) < 2:
        return None
    codes = np.array([g if isinstance(g, str) and g.strip() else f"\0{k}"
                      for k, g in enumerate(groups)], dtype=object)
    same = codes[:, None] == codes[None, :]
    np.fill_diagonal(same, False)
    return same if same.any() else None

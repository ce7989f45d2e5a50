"""The office's grouping wins, and the agreement shown beside it is the benchmark's score.

For each labelled folder (an author's `clusters.jsonl`), the author's clusters are given as
the staff's keys (the column `staff_item`) on all of the folder's opinions, or on the opinions
of half its wards (`--half`). Checks, and prints, that

- the items follow the keys (each staff key one item across the area; the rest machine-made),
- the agreement reported beside them (`opinions.staff_items.agreement`) equals the pairwise
  score `bench_consolidation.py` gives the machine against the same author on those opinions.

Usage::

    python benchmarks/check_staff_grouping.py FOLDER [FOLDER ...] [--half]

Exit 1 when a check fails.
"""

from __future__ import annotations

import argparse
import sys
import time

from hbt_analysis.opinions import staff_items
from hbt_analysis.opinions.evaluate import _frame, pair_scores, read_jsonl
from hbt_analysis.opinions.yearly import YearRequests
from hbt_analysis.topics import classify_opinions


def check(folder: str, half: bool) -> bool:
    start = time.process_time()
    ops = _frame(read_jsonl(f"{folder}/clusters.jsonl"))
    ops["level"] = "to_dan_pho"
    frame = ops[["opinion_id", "year", "level", "ward_code", "group_code", "text"]].copy()
    wards = sorted(ops["ward_code"].unique())
    keyed = ops["ward_code"].isin(wards[: max(1, len(wards) // 2)]) if half else \
        ops["ward_code"].notna()
    frame["staff_item"] = ops["cluster"].astype(str).where(keyed, None)
    machine = YearRequests(classify_opinions(frame.drop(columns="staff_item")), 2023)
    _, m = machine.items("area")
    item_of = dict(zip(m["opinion_id"], m["item"], strict=True))
    bench = pair_scores(ops.loc[keyed, "cluster"], ops.loc[keyed, "opinion_id"].map(item_of))
    items, members = YearRequests(classify_opinions(frame), 2023).items("area")
    agree = staff_items.agreement(members, "area")
    want = {frozenset(g) for g in ops[keyed].groupby("cluster")["opinion_id"].apply(list)}
    staff = {frozenset(x) for x in items.loc[items["source"] == "staff", "members"]}
    follows = staff == want
    same = all(abs(agree[k] - bench[k]) < 1e-12 for k in ("precision", "recall", "f1"))
    print(f"{folder.rstrip('/').split('/')[-1]}: {int(keyed.sum())}/{len(ops)} opinions keyed; "
          f"items follow the keys: {follows}; agreement P {agree['precision']:.3f} "
          f"R {agree['recall']:.3f} F1 {agree['f1']:.3f} = bench_consolidation's on them: "
          f"{same}; {time.process_time() - start:.1f} s CPU")
    return follows and same


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+")
    ap.add_argument("--half", action="store_true", help="keys on half of the wards only")
    args = ap.parse_args()
    ok = [check(f, args.half) for f in args.folders]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())

"""The office's links win, and the agreement shown beside them is the benchmark's link score.

For each labelled folder (an author's `ward_links.jsonl`: each ward-level opinion with the
group-level opinions it carries), the author's links are given as staff keys (the column
`staff_item`): a ward opinion and its sources share a key. A group opinion that is the
source of two ward opinions can hold only one key, so only ward opinions whose sources no
other ward opinion shares are keyed (the rest stay the machine's). Checks, and prints, that

- the links in force for the keyed ward opinions are exactly the author's sources;
- the agreement reported beside them (`opinions.linking.link_agreement`) equals the
  precision and recall of the machine's own links against the author's on those opinions,
  counted here from the files (as `bench_consolidation.py` counts its link score);
- the ward opinions left unkeyed keep the machine's links.

Usage::

    python benchmarks/check_staff_links.py FOLDER [FOLDER ...]

Exit 1 when a check fails.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter

from hbt_analysis.opinions.evaluate import labelled_year
from hbt_analysis.opinions.linking import link_agreement
from hbt_analysis.opinions.yearly import YearRequests


def check(folder: str) -> bool:
    start = time.process_time()
    ops, _, rows, labelled = labelled_year(folder)  # the folder read as one classified year
    known = set(ops["opinion_id"])
    sources = {r["id"]: [s for s in r["sources"] if s in known] for r in rows}
    used = Counter(s for ss in sources.values() for s in ss)
    keyed = {w: ss for w, ss in sources.items() if ss and all(used[s] == 1 for s in ss)}
    key_of = {w: f"L-{w}" for w in keyed} | {s: f"L-{w}" for w, ss in keyed.items()
                                             for s in ss}
    opinions = labelled.opinions
    yr = YearRequests(opinions.assign(staff_item=opinions["opinion_id"].map(key_of)), 2023)
    links, machine = yr.links(), yr.links(staff=False)
    staff = links[links["ward_opinion_id"].isin(keyed)]
    follows = (set(zip(staff["ward_opinion_id"], staff["opinion_id"], strict=True))
               == {(w, s) for w, ss in keyed.items() for s in ss}
               and set(staff["source"]) <= {"staff"})
    rest = links[~links["ward_opinion_id"].isin(keyed)]
    rest_machine = machine[~machine["ward_opinion_id"].isin(keyed)]
    unkeyed_kept = (set(zip(rest["ward_opinion_id"], rest["opinion_id"], strict=True))
                    == set(zip(rest_machine["ward_opinion_id"], rest_machine["opinion_id"],
                               strict=True)))
    gold = {(w, s) for w, ss in keyed.items() for s in ss}
    mine = machine[machine["ward_opinion_id"].isin(keyed)]
    got = set(zip(mine["ward_opinion_id"], mine["opinion_id"], strict=True))
    precision = len(gold & got) / len(got) if got else math.nan  # no link found: no P
    recall = len(gold & got) / len(gold)
    agree = link_agreement(links, machine)
    same = (math.isclose(agree["precision"], precision, abs_tol=1e-12)
            or (math.isnan(agree["precision"]) and math.isnan(precision))
            ) and abs(agree["recall"] - recall) < 1e-12
    print(f"{folder.rstrip('/').split('/')[-1]}: {len(keyed)}/{len(rows)} ward opinions keyed "
          f"({len(gold)} links); links follow the keys: {follows}; unkeyed keep the machine's: "
          f"{unkeyed_kept}; agreement P {agree['precision']:.3f} R {agree['recall']:.3f} "
          f"F1 {agree['f1']:.3f} = counted from the files: {same}; "
          f"{time.process_time() - start:.1f} s CPU")
    return follows and unkeyed_kept and same


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="+")
    args = ap.parse_args()
    ok = [check(f) for f in args.folders]
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())

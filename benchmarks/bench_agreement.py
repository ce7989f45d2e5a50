"""How far two people agree on "the same request": the ceiling of the consolidation score.

A labelled set's author grouped its opinions into clusters; a second annotator, who saw only
the texts (id, ward, group, text) and the labelling conventions of
`corpora/opinions/README.md`, grouped the same opinions again. Their pairwise F1 / ARI is
what a careful person reaches against that author, the figure the machine's score
(`bench_consolidation.py`) should be read against. The machine's items are also scored
against the second annotator, so each of the three (author, annotator, machine) is compared
with the two others.

Usage::

    python benchmarks/bench_agreement.py FOLDER RELABEL.jsonl [--threshold 0.2]

FOLDER holds the author's `clusters.jsonl`; RELABEL.jsonl one line per opinion,
``{"id": ..., "cluster": ...}``. Prints area and ward-level pairwise scores.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from hbt_analysis.opinions.evaluate import _frame, _requests, pair_scores, read_jsonl


def _fmt(s: dict[str, float]) -> str:
    return (f"P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} "
            f"ARI {s['ari']:.3f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("relabel", type=Path)
    ap.add_argument("--threshold", type=float, default=None)
    args = ap.parse_args(argv)

    from hbt_analysis.opinions.consolidate import DEFAULT_THRESHOLD

    thr = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    author = _frame(read_jsonl(args.folder / "clusters.jsonl"))
    second = {str(r["id"]): str(r["cluster"]) for r in read_jsonl(args.relabel)}
    missing = set(author["opinion_id"]) - set(second)
    if missing:
        print(f"{args.relabel}: thiếu {len(missing)} ý kiến / {len(missing)} opinions "
              f"missing, e.g. {sorted(missing)[:3]}", file=sys.stderr)
        return 1
    author["level"] = "to_dan_pho"
    # the same pipeline input as bench_consolidation: the ward-level opinions beside them
    links = args.folder / "ward_links.jsonl"
    ward_ops = _frame(read_jsonl(links)) if links.exists() else author.iloc[0:0]
    ward_ops = ward_ops.assign(level="phuong", group_code=None)
    yr = _requests(pd.concat([author, ward_ops], ignore_index=True))
    _, members = yr.items("area", thr)
    _, members_w = yr.items("ward", thr)
    machine = author["opinion_id"].map(dict(zip(members["opinion_id"], members["item"],
                                                strict=True)))
    machine_w = author["opinion_id"].map(dict(zip(members_w["opinion_id"], members_w["item"],
                                                  strict=True)))
    annotator = author["opinion_id"].map(second)
    wards = author["ward_code"]
    rows = [
        ("annotator vs author", pair_scores(author["cluster"], annotator),
         pair_scores(author["cluster"], annotator, wards)),
        ("machine vs author", pair_scores(author["cluster"], machine),
         pair_scores(author["cluster"], machine_w, wards)),
        ("machine vs annotator", pair_scores(annotator, machine),
         pair_scores(annotator, machine_w, wards)),
    ]
    print(f"{args.folder} ({len(author)} opinions; author {author['cluster'].nunique()} "
          f"clusters, annotator {pd.Series(annotator).nunique()}; threshold {thr})")
    for name, area, ward in rows:
        print(f"  {name:22s} area: {_fmt(area)} | ward F1 {ward['f1']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

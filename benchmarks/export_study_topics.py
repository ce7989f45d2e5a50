"""Write tests/data/study_set_topics.csv: the text and labelled topic of every group-level
opinion of the consolidation study sets (benchmarks/consolidation_harness.STUDY, seventeen
sets by about seventeen authors), so the close-call model is trained from files in the
repository and its rebuild stays reproducible on a fresh checkout.

    .venv/bin/python benchmarks/export_study_topics.py [--corpora /work/corpora]

Only study sets: the check sets (opinions13, opinions19) and the held-out sets are never
exported. Rows in set order, then the set's own order; byte-identical on rerun.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from consolidation_harness import CORPORA, STUDY  # noqa: E402

OUT = ROOT / "tests" / "data" / "study_set_topics.csv"


def rows(corpora: Path) -> list[dict[str, str]]:
    out = []
    for name, folder in STUDY.items():
        with open(corpora / folder / "clusters.jsonl", encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    out.append({"set": name, "id": r["id"], "text": r["text"],
                                "topic": r["topic"], "topic_2": r.get("topic2") or ""})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", type=Path, default=CORPORA)
    args = ap.parse_args(argv)
    data = rows(args.corpora)
    with open(OUT, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["set", "id", "text", "topic", "topic_2"],
                           quoting=csv.QUOTE_ALL, lineterminator="\n")
        w.writeheader()
        w.writerows(data)
    print(f"{len(data)} opinions of {len(STUDY)} sets -> {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

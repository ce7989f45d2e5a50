"""The repeat threshold over the study sets, with one author left out at a time.

For each labelled study set (`consolidation_harness.STUDY`), the similarity of every repeat
pair (`evaluate.repeat_pair_similarities`, as `repeats.raised_again` computes it); then the
accuracy of "raised before" at each threshold of a grid, per set and on the mean, and for each
set the threshold that is best on the others (leave-one-author-out) with its accuracy on the set
left out: the honest estimate of what a threshold chosen here does on a new author.

    .venv/bin/python benchmarks/repeat_threshold.py [names or folders]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from consolidation_harness import CORPORA, STUDY

from hbt_analysis.opinions.evaluate import (
    labelled_year,
    read_jsonl,
    repeat_pair_similarities,
)
from hbt_analysis.opinions.repeats import DEFAULT_REPEAT_THRESHOLD

GRID = np.round(np.arange(0.2, 0.501, 0.025), 3)


def similarities(folder: Path) -> tuple[np.ndarray, np.ndarray]:
    """(similarity, labelled same_request) of each repeat pair of a labelled folder."""
    _, _, _, yr = labelled_year(folder)
    rows = read_jsonl(folder / "repeat_pairs.jsonl")
    return repeat_pair_similarities(rows, yr), np.array([bool(r["same_request"]) for r in rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", help=f"names ({', '.join(STUDY)}) or folders")
    args = parser.parse_args(argv)
    names = args.sets or list(STUDY)
    acc = {}
    for name in names:
        sims, gold = similarities(CORPORA / STUDY.get(name, name))
        acc[name] = np.array([((sims >= t) == gold).mean() for t in GRID])
    default = int(np.argmin(np.abs(GRID - DEFAULT_REPEAT_THRESHOLD)))
    print("threshold  " + " ".join(f"{t:5.3f}" for t in GRID))
    for name, a in acc.items():
        print(f"{name[-10:]:>10} " + " ".join(f"{v:5.3f}" for v in a))
    mean = np.mean(list(acc.values()), axis=0)
    print(f"{'mean':>10} " + " ".join(f"{v:5.3f}" for v in mean))
    if len(acc) > 2:
        chosen, left = [], []
        for name in acc:
            others = np.mean([acc[o] for o in acc if o != name], axis=0)
            k = int(np.argmax(others))
            chosen.append(GRID[k])
            left.append(acc[name][k])
            print(f"left out {name}: chosen {GRID[k]:.3f} -> {acc[name][k]:.3f} "
                  f"(default {DEFAULT_REPEAT_THRESHOLD}: {acc[name][default]:.3f})")
        print(f"leave-one-author-out mean accuracy {np.mean(left):.4f} against the default's "
              f"{mean[default]:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

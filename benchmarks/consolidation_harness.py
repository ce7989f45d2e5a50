"""The consolidation scores of benchmarks/bench_consolidation.py for many labelled sets at
once, fast enough to compare variants of the similarity (the bench's own code path: the same
YearRequests, the same items, the same pair scores; the topics are classified once per set).

    .venv/bin/python benchmarks/consolidation_harness.py [FOLDER ...] [--pairs N]

Prints area and ward precision / recall / F1 per set and the mean area F1. With --pairs N,
also the N worst false-merge pairs of each set (both texts, their similarity, objects and
actions): what to read when precision is short. A variant is scored by importing
:func:`score_sets` after changing a constant or function of hbt_analysis.opinions.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
#: A variant changes how texts are read: nothing comes from the disk cache of a year.
os.environ["HBT_NO_DISK_CACHE"] = "1"

CORPORA = Path("/work/corpora")
#: The study sets (all read; none is an honest score any more): session 21's, with h11, h12
#: from its second round and h15, h16 from session 22.
STUDY = {
    "dev": "opinions/dev", "o2": "opinions2", "o3": "opinions3", "o7": "opinions7",
    "o8": "opinions8", "h1": "studied_heldout_opinions", "h3": "studied_heldout_opinions3",
    "h4": "studied_heldout_opinions4", "h5": "studied_heldout_opinions5",
    "h6": "studied_heldout_opinions6", "h9": "studied_heldout_opinions9",
    "h10": "studied_heldout_opinions10", "o14": "opinions14",
    "h11": "studied_heldout_opinions11", "h12": "studied_heldout_opinions12",
    "h15": "studied_heldout_opinions15", "h16": "studied_heldout_opinions16",
}


@functools.cache
def _classified(folder: str) -> tuple[pd.DataFrame, int]:
    """The bench's frame of a folder (group- then ward-level opinions), topics classified
    once (the topics are not what is compared here)."""
    from hbt_analysis.opinions.evaluate import _frame, read_jsonl
    from hbt_analysis.topics import classify_opinions

    folder = Path(folder)
    ops = _frame(read_jsonl(folder / "clusters.jsonl"))
    ops["level"] = "to_dan_pho"
    links = folder / "ward_links.jsonl"
    rows = read_jsonl(links) if links.exists() else []
    ward_ops = _frame(rows) if rows else ops.iloc[0:0]
    if len(ward_ops):
        ward_ops["level"] = "phuong"
        ward_ops["group_code"] = None
    both = pd.concat([ops, ward_ops], ignore_index=True)
    frame = both[["opinion_id", "year", "level", "ward_code", "group_code", "text"]]
    return classify_opinions(frame).assign(cluster=both["cluster"]), len(ops)


def score_set(folder: str | Path, threshold: float | None = None,
              scopes: tuple[str, ...] = ("area", "ward")) -> dict[str, dict]:
    """Area and ward pair scores of one folder, as the bench computes them."""
    from hbt_analysis.opinions import request_words
    from hbt_analysis.opinions.evaluate import pair_scores
    from hbt_analysis.opinions.yearly import YearRequests

    request_words.request_concepts.cache_clear()
    request_words.request_text.cache_clear()
    request_words._tokens.cache_clear()
    frame, n = _classified(str(folder))
    yr = YearRequests(frame.drop(columns="cluster"), 2023)
    ops = frame.iloc[:n]
    out: dict[str, dict] = {}
    for scope in scopes:
        _, members = yr.items(scope, threshold)
        pred = ops["opinion_id"].map(dict(zip(members["opinion_id"], members["item"],
                                              strict=True)))
        out[scope] = pair_scores(ops["cluster"], pred,
                                 ops["ward_code"] if scope == "ward" else None)
        out[scope]["pred"] = pred.to_numpy()
    out["yr"] = yr
    out["n"] = n
    return out


def score_sets(names: list[str] | None = None, threshold: float | None = None,
               verbose: bool = True) -> dict[str, dict]:
    names = names or list(STUDY)
    res = {}
    for name in names:
        res[name] = score_set(CORPORA / STUDY.get(name, name), threshold)
        if verbose:
            a, w = res[name]["area"], res[name]["ward"]
            print(f"{name:>5}: area P {a['precision']:.3f} R {a['recall']:.3f} "
                  f"F1 {a['f1']:.4f} | ward F1 {w['f1']:.4f}", flush=True)
    if verbose:
        print(f" mean: area F1 {np.mean([r['area']['f1'] for r in res.values()]):.4f} "
              f"P {np.mean([r['area']['precision'] for r in res.values()]):.4f} "
              f"R {np.mean([r['area']['recall'] for r in res.values()]):.4f} | ward F1 "
              f"{np.mean([r['ward']['f1'] for r in res.values()]):.4f}")
    return res


def false_merges(result: dict, name: str) -> pd.DataFrame:
    """Every pair put in one area item that the labels keep apart, with both texts, their
    similarity, objects and actions."""
    from hbt_analysis.opinions.similarity import pair_similarity, request_concepts

    frame, n = _classified(str(CORPORA / STUDY.get(name, name)))
    yr = result["yr"]
    pred = result["area"]["pred"]
    gold = frame["cluster"].to_numpy()[:n]
    texts = frame["text"].tolist()
    concepts = [request_concepts(t) for t in texts[:n]]
    sim = pair_similarity(yr.features[:n], yr.places[:n],
                          yr.opinions["topic_primary"].tolist()[:n], concepts=concepts)
    rows = []
    for i in range(n):
        for j in range(i + 1, n):
            if pred[i] == pred[j] and gold[i] != gold[j]:
                rows.append({"set": name, "i": i, "j": j, "gold_i": gold[i], "gold_j": gold[j],
                             "item": pred[i], "sim": round(float(sim[i, j]), 3),
                             "obj_i": "+".join(sorted(concepts[i].objects)),
                             "obj_j": "+".join(sorted(concepts[j].objects)),
                             "act_i": "+".join(sorted(concepts[i].actions)),
                             "act_j": "+".join(sorted(concepts[j].actions)),
                             "text_i": texts[i], "text_j": texts[j]})
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", help=f"names ({', '.join(STUDY)}) or folders")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--pairs", type=int, default=0)
    args = parser.parse_args(argv)
    res = score_sets(args.sets or None, args.threshold)
    if args.pairs:
        pd.set_option("display.width", 250, "display.max_colwidth", 110)
        for name, r in res.items():
            fm = false_merges(r, name)
            print(f"\n{name}: {len(fm)} false pairs")
            print(fm.sort_values("sim").head(args.pairs).to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

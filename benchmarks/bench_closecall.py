"""Benchmark: the topic rules with and without the close-call model (issue 11, topics).

    .venv/bin/python benchmarks/bench_closecall.py [--n 60000] [--repeat 3] [--no-write]

Same process, same corpus (bench_classifier's *distinct* corpus: N opinions built from the
labelled clauses, perturbed), normalised once; then `predict_topics(normalized=True)` is
timed alternately with the close-call model off and on (a fresh classifier each run), CPU
seconds of this process: the ratio is the cost of the model, steady under a shared
machine's load. Also normalise + classify per CPU second with the model (the issue's
floor: 50,000 opinions per second per core), the share of close calls, and accuracy /
macro-F1 with and without the model on the classifier's held-out set
(tests/data/independent_opinions_3.csv, never trained on) and on the labelled sets it was
trained on (optimistic). Writes benchmarks/results/closecall.json and .md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_classifier import build_corpus  # noqa: E402

from hbt_analysis import text as text_module  # noqa: E402
from hbt_analysis.text import normalize_series  # noqa: E402
from hbt_analysis.topic_closecall import CLOSE_CALL_MARGIN  # noqa: E402
from hbt_analysis.topics import TopicClassifier, evaluate  # noqa: E402

DATA = ROOT / "tests" / "data"


def _classifier(on: bool) -> TopicClassifier:
    return TopicClassifier(close_calls=True if on else None)


def _close_share(texts: list[str]) -> float:
    """Share of texts on which the model is consulted."""
    clf = _classifier(True)
    asked = 0
    original = clf._matcher._close_call

    def counting(m_text, ranked, weak):
        nonlocal asked
        asked += 1
        return original(m_text, ranked, weak)

    clf._matcher._close_call = counting
    clf.predict(texts, normalized=True)
    return asked / len(set(texts))


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=60_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--margin", type=float, default=None,
                    help="close-call margin to try (default: the package's)")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    if args.margin is not None:
        import hbt_analysis.topics as topics

        topics.CLOSE_CALL_MARGIN = args.margin

    labelled = pd.read_csv(DATA / "labelled_opinions.csv", dtype=str)
    corpus = build_corpus(labelled["text"].tolist(), args.n, None, seed=0)
    series = pd.Series(corpus, dtype="str")
    # normalise: the Arrow scan (normalize_series) against the per-text path it replaced,
    # alternately; medians like the classifier's (the first scan also builds its pattern)
    normalise_runs: dict[str, list[float]] = {"scan": [], "per_text": []}
    for _ in range(args.repeat):
        c0 = time.process_time()
        norm = normalize_series(series)
        normalise_runs["scan"].append(time.process_time() - c0)
        c0 = time.process_time()
        per_text = text_module._map_unique(series, text_module._normalize_one)
        normalise_runs["per_text"].append(time.process_time() - c0)
        assert per_text.equals(norm)
    normalize_cpu = statistics.median(normalise_runs["scan"])
    texts = norm.tolist()
    runs: dict[str, list[float]] = {"off": [], "on": []}
    for _ in range(args.repeat):
        for mode in ("off", "on"):
            clf = _classifier(mode == "on")
            c = time.process_time()
            clf.predict_topics(texts, normalized=True)
            runs[mode].append(time.process_time() - c)
    off, on = statistics.median(runs["off"]), statistics.median(runs["on"])
    result: dict[str, object] = {
        "when": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average": os.getloadavg()[0],
        "n": args.n, "margin": CLOSE_CALL_MARGIN if args.margin is None else args.margin,
        "close_call_share": round(_close_share(texts), 3),
        "classify_cpu_s": {"off": round(off, 3), "on": round(on, 3)},
        "classify_per_cpu_second": {"off": round(args.n / off), "on": round(args.n / on)},
        "normalise_cpu_s": round(normalize_cpu, 3),
        "normalise_per_text_cpu_s": round(statistics.median(normalise_runs["per_text"]), 3),
        "normalise_first_scan_cpu_s": round(normalise_runs["scan"][0], 3),
        "normalise_and_classify_per_cpu_second": {
            "off": round(args.n / (normalize_cpu + off)),
            "on": round(args.n / (normalize_cpu + on))},
        "cost_ratio": round(on / off, 3),
        "runs": runs,
        "normalise_runs": normalise_runs,
    }
    scores = {}
    for name in ("independent_opinions_3.csv", "independent_opinions.csv",
                 "independent_opinions_2.csv", "labelled_opinions.csv"):
        frame = pd.read_csv(DATA / name, dtype=str)
        scores[name] = {}
        for mode in ("off", "on"):
            r = evaluate(_classifier(mode == "on"), frame["text"].tolist(),
                         frame["topic"].tolist())
            scores[name][mode] = {"accuracy": round(r["accuracy"], 4),
                                  "macro_f1": round(r["macro_f1"], 4)}
    result["scores"] = scores
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=1))
    if not args.no_write:
        out = ROOT / "benchmarks" / "results" / "closecall.json"
        out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        print(f"-> {out.relative_to(ROOT)}")
    return result


if __name__ == "__main__":
    main()

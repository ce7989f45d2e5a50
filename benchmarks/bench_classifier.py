"""Benchmark: normalise + classify one million opinions; accuracy on the labelled sets.

Run from the repository root::

    .venv/bin/python benchmarks/bench_classifier.py            # 1 000 000 opinions
    .venv/bin/python benchmarks/bench_classifier.py --n 200000  # quicker

What it measures (one process, one core):

1. The labelled set ``tests/data/labelled_opinions.csv`` (also the development set the
   phrase lists were written against, so its scores are optimistic): accuracy, macro-F1
   and per-topic precision/recall of the rule classifier, and the supervised model's
   5-fold cross-validated accuracy and macro-F1; and accuracy and macro-F1 on the
   independent sets (``INDEPENDENT``), beside the score each had before it was studied.
2. Throughput of ``normalize_series`` + ``TopicClassifier.predict_topics`` on N opinions
   built from the labelled texts: each synthetic opinion joins 1-3 clauses cut from
   random labelled opinions, then is perturbed at random: second-vowel tone style
   ("hoà", "khoẻ"), decomposed Unicode (NFD), accents stripped, abbreviations
   (UBND, TDP, ATGT, ...), doubled spaces and stray spaces before commas, upper-case
   first word, a house/lane number and a speaker prefix ("Ông T. (TDP 5):"). Two corpora:
   *distinct* (almost every text is different: the worst case for the caches) and
   *repeated* (N rows drawn from N/10 distinct texts, as when the same opinions are
   re-classified for several reports or years).
3. A baseline measured in the same run on a sample of the distinct corpus: the naive
   classifier that loops over every phrase with ``phrase in text`` after a full
   ``normalize`` + ``lower`` (extrapolated to opinions/second).

It prints a summary and writes ``benchmarks/results/classifier.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
import unicodedata
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hbt_analysis.text import fold, normalize, normalize_series  # noqa: E402
from hbt_analysis.topics import (  # noqa: E402
    TOPIC_CODES,
    SupervisedTopicModel,
    TopicClassifier,
    evaluate,
    load_taxonomy,
)

LABELLED = ROOT / "tests" / "data" / "labelled_opinions.csv"

# How the labelled set grew, and what each fresh batch scored the first (and only) time it
# was classified before being studied and added to the development set. These are the
# honest estimates for unseen opinions; the labelled-set scores below are not.
HELD_OUT_HISTORY = [
    ("batch 2", 68, 0.794, 0.798, "after the first phrase lists (274 examples)"),
    ("batch 3", 44, 0.795, 0.806, "after a first round of fixes"),
    ("batch 4", 55, 0.745, 0.739, "after a second round of fixes"),
    ("batch 5", 55, 0.873, 0.878, "after broadening every topic's vocabulary"),
    ("batch 6", 57, 0.825, 0.816, "after a few more fixes"),
    ("batch 7", 55, 0.909, 0.912, "written as petitions ('Cử tri đề nghị ...')"),
]
# Sets written by other authors who never saw the phrase lists or the labelled set, partly
# paraphrased from published petitions and voter-meeting reports (origin column).
# Each was scored once before anything was tuned on it (first score below); a set that has
# been studied since is a development set too, and its current score is optimistic.
INDEPENDENT = [
    (ROOT / "tests" / "data" / "independent_opinions.csv", 0.844, 0.835,
     "scored once, then studied: phrase fixes followed"),
    (ROOT / "tests" / "data" / "independent_opinions_2.csv", 0.858, 0.857,
     "scored once after set 1's fixes (85,4% with the lists from before them), then "
     "studied: phrase fixes followed"),
    (ROOT / "tests" / "data" / "independent_opinions_3.csv", 0.831, 0.820,
     "held out: scored once after set 2's fixes, never studied (82,0% with the lists from "
     "before set 1)"),
]
RESULTS = ROOT / "benchmarks" / "results"

ABBR = [("ủy ban nhân dân", "UBND"), ("tổ dân phố", "TDP"), ("an toàn giao thông", "ATGT"),
        ("an ninh trật tự", "ANTT"), ("phòng cháy chữa cháy", "PCCC"),
        ("vệ sinh môi trường", "VSMT"), ("mặt trận tổ quốc", "MTTQ")]
NEW_STYLE = [("hòa", "hoà"), ("khỏe", "khoẻ"), ("thủy", "thuỷ"), ("hóa", "hoá"),
             ("tòa", "toà"), ("xóa", "xoá"), ("lòa", "loà"), ("họa", "hoạ"), ("hỏa", "hoả")]
PREFIXES = ["", "", "", "Ông T. (TDP 5): ", "Bà H. phản ánh: ", "Ý kiến: ", "Đ/c Nam: ",
            "Cử tri tổ 12 hỏi: "]


def _clauses(texts: list[str]) -> list[str]:
    out = []
    for t in texts:
        for part in t.replace("?", ".").replace(";", ",").split("."):
            for clause in part.split(","):
                clause = clause.strip()
                if len(clause) > 8:
                    out.append(clause)
    return out


def _perturb(text: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.25:
        for a, b in NEW_STYLE:
            text = text.replace(a, b)
    for full, short in ABBR:
        if full in text and rng.random() < 0.5:
            text = text.replace(full, short)
    if rng.random() < 0.05:
        text = fold(text)
    elif rng.random() < 0.1:
        text = unicodedata.normalize("NFD", text)
    if rng.random() < 0.2:
        text = text.replace(" ", "  ", 1).replace(", ", " , ", 1)
    if rng.random() < 0.3:
        text += f" (ngõ {rng.randint(1, 300)}, số {rng.randint(1, 120)})"
    return rng.choice(PREFIXES) + text[:1].upper() + text[1:]


def build_corpus(texts: list[str], n: int, distinct: int | None, seed: int = 0) -> list[str]:
    """N synthetic opinions from the labelled texts (see the module docstring)."""
    rng = random.Random(seed)
    clauses = _clauses(texts)
    pool_size = n if distinct is None else distinct
    pool = []
    for _ in range(pool_size):
        k = rng.choice((1, 1, 2, 2, 3))
        body = ", ".join(rng.choice(clauses) for _ in range(k)) + rng.choice((".", "?", ""))
        pool.append(_perturb(body, rng))
    if distinct is None:
        return pool
    return [rng.choice(pool) for _ in range(n)]


def naive_classify(texts: list[str], taxonomy) -> list[str]:
    """Baseline: every phrase tried with `in` on the normalised lower-case text."""
    phrases = [(p, t.code, w) for t in taxonomy.topics for p, w in t.phrases]
    out = []
    for text in texts:
        low = normalize(text).lower()
        scores: dict[str, float] = {}
        for p, code, w in phrases:
            if p in low:
                scores[code] = scores.get(code, 0.0) + w
        out.append(max(scores, key=scores.get) if scores else "khac")
    return out


def time_pipeline(texts: list[str], clf: TopicClassifier) -> dict[str, float]:
    s = pd.Series(texts, dtype="str")
    c0, t0 = time.process_time(), time.perf_counter()
    norm = normalize_series(s)
    t1 = time.perf_counter()
    clf.predict_topics(norm, normalized=True)  # the letters were just normalised
    c2, t2 = time.process_time(), time.perf_counter()
    return {"n": len(texts), "distinct": int(s.nunique()), "normalize_s": t1 - t0,
            "classify_s": t2 - t1, "total_s": t2 - t0, "per_second": len(texts) / (t2 - t0),
            "cpu_s": c2 - c0, "per_cpu_second": len(texts) / (c2 - c0)}


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000, help="opinions to classify")
    ap.add_argument("--repeat", type=int, default=3,
                    help="timed runs per corpus; the median is reported")
    ap.add_argument("--baseline-sample", type=int, default=5_000)
    ap.add_argument("--no-write", action="store_true", help="print only")
    args = ap.parse_args(argv)
    load_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else None

    labelled = pd.read_csv(LABELLED, keep_default_na=False, dtype=str)
    texts, labels = labelled["text"].tolist(), labelled["topic"].tolist()

    clf = TopicClassifier()
    ev = evaluate(clf, texts, labels)
    cv = SupervisedTopicModel().cross_validate(texts, labels, folds=5)
    print(f"labelled set: n={ev['n']} accuracy={ev['accuracy']:.3f} "
          f"macro-F1={ev['macro_f1']:.3f}")
    print(ev["per_topic"].round(3).to_string())
    print(f"supervised 5-fold CV: accuracy={cv['accuracy']:.3f} macro-F1={cv['macro_f1']:.3f}")
    independent = []
    for path, first_acc, first_f1, note in INDEPENDENT:
        ind = pd.read_csv(path, keep_default_na=False, dtype=str)
        iev = evaluate(TopicClassifier(), ind["text"].tolist(), ind["topic"].tolist())
        independent.append({"file": path.name, "n": iev["n"], "accuracy": iev["accuracy"],
                            "macro_f1": iev["macro_f1"], "first_accuracy": first_acc,
                            "first_macro_f1": first_f1, "note": note})
        print(f"{path.name}: n={iev['n']} accuracy={iev['accuracy']:.3f} "
              f"macro-F1={iev['macro_f1']:.3f} (first scored {first_acc:.3f} / {first_f1:.3f})")

    runs = {}
    for name, distinct in (("distinct", None), ("repeated", max(1, args.n // 10))):
        corpus = build_corpus(texts, args.n, distinct, seed=1)
        # The machine is shared: the same code varies by +-5% from run to run. Each corpus
        # is timed `--repeat` times, each with a fresh classifier (nothing cached between
        # runs); the median run is reported, with the slowest and fastest beside it.
        timed = sorted((time_pipeline(corpus, TopicClassifier()) for _ in range(args.repeat)),
                       key=lambda r: r["per_second"])
        runs[name] = {**timed[len(timed) // 2], "repeats": len(timed),
                      "per_second_min": timed[0]["per_second"],
                      "per_second_max": timed[-1]["per_second"]}
        r = runs[name]
        print(f"{name}: {r['n']:,} opinions ({r['distinct']:,} distinct) in {r['total_s']:.1f} s "
              f"(normalise {r['normalize_s']:.1f} s, classify {r['classify_s']:.1f} s) "
              f"= {r['per_second']:,.0f} opinions/s wall clock (median of {len(timed)}: "
              f"{r['per_second_min']:,.0f}-{r['per_second_max']:,.0f}), "
              f"{r['per_cpu_second']:,.0f} per CPU second")
        if name == "distinct":
            sample = corpus[: args.baseline_sample]
    # baseline and the same sample through the real pipeline, same run
    tax = load_taxonomy()
    t0 = time.perf_counter()
    naive_classify(sample, tax)
    naive_s = time.perf_counter() - t0
    fast = time_pipeline(sample, TopicClassifier())
    baseline = {"n": len(sample), "naive_per_second": len(sample) / naive_s,
                "pipeline_per_second_same_sample": fast["per_second"],
                "speedup": fast["per_second"] / (len(sample) / naive_s)}
    print(f"baseline (naive `in` loop) on {len(sample):,}: {baseline['naive_per_second']:,.0f}/s; "
          f"pipeline on the same sample: {fast['per_second']:,.0f}/s "
          f"(x{baseline['speedup']:.1f})")

    result = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "load_average_1m_start": load_start,
        "load_average_1m": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "labelled": {"n": ev["n"], "accuracy": ev["accuracy"], "macro_f1": ev["macro_f1"],
                     "per_topic": ev["per_topic"].round(4).to_dict(orient="index")},
        "supervised_cv": {k: cv[k] for k in ("folds", "n", "accuracy", "macro_f1")},
        "independent": independent,
        "throughput": runs,
        "baseline": baseline,
        "target_per_second": 50_000,
    }
    if not args.no_write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "classifier.json").write_text(json.dumps(result, indent=2, ensure_ascii=False)
                                                 + "\n", encoding="utf-8")
        (RESULTS / "classifier.md").write_text(_markdown(result), encoding="utf-8")
        print(f"written: {RESULTS / 'classifier.md'}")
    return result


def _load(x: float | None) -> str:
    return "?" if x is None else f"{x:.1f}"


def _markdown(r: dict) -> str:
    lines = [
        "# Topic classifier benchmark",
        "",
        f"Recorded {r['date']} by `benchmarks/bench_classifier.py` (Python {r['python']}, "
        f"{r['machine']}, {r['cpu_count']} cores shared with other work; 1-minute load "
        f"average {_load(r.get('load_average_1m_start'))} at the start, "
        f"{_load(r['load_average_1m'])} at the end). One process, one core.",
        "",
        "## Labelled set (also the development set: optimistic)",
        "",
        f"- rule classifier: accuracy **{r['labelled']['accuracy']:.1%}**, "
        f"macro-F1 **{r['labelled']['macro_f1']:.3f}** on {r['labelled']['n']} opinions",
        f"- supervised TF-IDF + linear SVM (the staff-column model), "
        f"{r['supervised_cv']['folds']}-fold "
        f"cross-validation: accuracy {r['supervised_cv']['accuracy']:.1%}, "
        f"macro-F1 {r['supervised_cv']['macro_f1']:.3f}",
        "",
        "| topic | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
    ]
    held = [
        "", "## Fresh batches before they joined the labelled set", "",
        "Each batch was written, classified once, and only then studied and added to the "
        "labelled (development) set. Same author as the labelled set, so still likely "
        "optimistic for real minutes.", "",
        "| batch | opinions | accuracy | macro-F1 | when |", "|---|---|---|---|---|",
    ]
    held += [f"| {b} | {n} | {a:.1%} | {f:.3f} | {w} |" for b, n, a, f, w in HELD_OUT_HISTORY]
    last = HELD_OUT_HISTORY[-3:]
    pooled = sum(n * a for _, n, a, _, _ in last) / sum(n for _, n, _, _, _ in last)
    held += ["", f"The last three batches together: accuracy {pooled:.1%} on "
             f"{sum(n for _, n, _, _, _ in last)} opinions. (They were scored with a "
             "matcher that also weighed overlapping phrases; the final one reads "
             "leftmost-longest without overlaps, which scored 0.8 points higher on the "
             "labelled set.)", ""]
    ind = r.get("independent", [])
    held += [
        "## Independent sets (other authors)", "",
        "Each written by someone who never saw the phrase lists or the labelled set, about half "
        "paraphrased from published petitions and reports of voter meetings (each row's "
        "`origin`). *First score*: classified once, before anything was tuned on the set; "
        "*now*: with the current phrase lists (optimistic once the set has been studied).", "",
        "| set | opinions | first accuracy | first macro-F1 | now accuracy | now macro-F1 | "
        "note |", "|---|---|---|---|---|---|---|",
    ]
    held += [f"| `{i['file']}` | {i['n']} | {i['first_accuracy']:.1%} | "
             f"{i['first_macro_f1']:.3f} | {i['accuracy']:.1%} | {i['macro_f1']:.3f} | "
             f"{i['note']} |" for i in ind]
    if ind:
        n_first = sum(i["n"] for i in ind)
        pooled_first = sum(i["n"] * i["first_accuracy"] for i in ind) / n_first
        held += ["", f"First scores pooled: accuracy {pooled_first:.1%} on {n_first} opinions "
                 "(each scored by the phrase lists of its day, before anyone studied it): the "
                 "honest estimate for unseen minutes."]
    held.append("")
    for code in TOPIC_CODES:
        row = r["labelled"]["per_topic"].get(code)
        if row:
            lines.append(f"| {code} | {row['precision']:.2f} | {row['recall']:.2f} | "
                         f"{row['f1']:.2f} | {int(row['support'])} |")
    lines += held
    lines += ["", "## Throughput: normalise + classify", "",
              "Wall-clock time on a machine shared with other work, and the process's own CPU "
              "time (what one free core would give). Each corpus is timed several times with "
              "a fresh classifier; the table shows the median run.", "",
              "| corpus | opinions | distinct | normalise s | classify s | total s | opinions/s "
              "| per CPU second | runs: slowest-fastest opinions/s |",
              "|---|---|---|---|---|---|---|---|---|"]
    for name, t in r["throughput"].items():
        spread = (f"{t['repeats']}: {t['per_second_min']:,.0f}-{t['per_second_max']:,.0f}"
                  if "repeats" in t else "1")
        lines.append(f"| {name} | {t['n']:,} | {t['distinct']:,} | {t['normalize_s']:.1f} | "
                     f"{t['classify_s']:.1f} | {t['total_s']:.1f} | {t['per_second']:,.0f} | "
                     f"{t['per_cpu_second']:,.0f} | {spread} |")
    b = r["baseline"]
    lines += ["", f"Baseline in the same run (naive per-phrase `in` loop, {b['n']:,} opinions of "
              f"the distinct corpus): {b['naive_per_second']:,.0f} opinions/s; the pipeline on "
              f"the same sample: {b['pipeline_per_second_same_sample']:,.0f} opinions/s "
              f"(x{b['speedup']:.1f}).", "",
              f"Target: {r['target_per_second']:,} opinions/s.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()

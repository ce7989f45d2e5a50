"""Cold word segmentation: underthesea's word_tokenize (before) against wordseg (after).

Both produce text.py's words (tone style back, domain words split off) for the same
distinct normalised texts, in ONE run, chunk by chunk in alternating order (so a change in
the other sessions' load hits both alike); CPU seconds of this thread, not wall seconds.
Every text's words must be identical, or the script stops. Text sets:

- every opinion of every bundled year (hbt_analysis.load, whatever the file format);
- the test corpora (tests/data/*opinions*.csv, redaction_cases.csv);
- every string of the labelled opinion sets under --corpora (default /work/corpora:
  opinions*/ and studied_heldout_*/ *.jsonl), when that folder exists;
- a random sample of a national-scale synthetic year (bench_dask.synthetic_opinions).

wordseg's token / n-gram caches are emptied before each set, so each figure includes
filling them (a cold worker).

    .venv/bin/python benchmarks/bench_segment.py [--sample 20000] [--corpora /work/corpora]

Writes benchmarks/results/segment.md and prints it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _strings(obj) -> list[str]:
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        obj = list(obj.values())
    if isinstance(obj, list):
        return [s for v in obj for s in _strings(v)]
    return []


def text_sets(corpora: Path, sample: int) -> dict[str, list[str]]:
    from bench_dask import synthetic_opinions

    sets: dict[str, list[str]] = {}
    from hbt_analysis import available_years, load

    years = available_years()
    sets[f"bundled opinions (every year: {', '.join(map(str, years))})"] = [
        t for y in years for t in load(y).opinions["text"].dropna()]
    tests = [*sorted((ROOT / "tests" / "data").glob("*opinions*.csv")),
             ROOT / "tests" / "data" / "redaction_cases.csv"]
    sets["test corpora (tests/data)"] = [
        t for p in tests for t in pd.read_csv(p, dtype=str)["text"].dropna()]
    files = sorted([*corpora.glob("opinions*/**/*.jsonl"),
                    *corpora.glob("studied_heldout_*/**/*.jsonl")])
    if files:
        sets[f"{corpora}/opinions*, studied_heldout_* ({len(files)} files, every string)"] = [
            s for f in files for line in f.read_text("utf-8").splitlines() if line.strip()
            for s in _strings(json.loads(line)) if s.strip()]
    year = synthetic_opinions(3_000_000)
    sets[f"national synthetic year (3 M), random sample of {sample}"] = (
        year["text"].sample(sample, random_state=7).tolist())
    return sets


def reference_words(norm: str) -> tuple[str, ...]:
    """text._tokenize as it was before wordseg: one word_tokenize call per text."""
    from hbt_analysis import text as T
    from hbt_analysis.wordseg import word_tokenize_reference

    out = []
    for w in word_tokenize_reference(T._to_model_style(norm), T._MODEL_FIXED_WORDS):
        for part in T._split_on_fixed(T._from_model_style(w)):
            out.append(sys.intern(part.replace(" ", "_")))
    return tuple(out)


def compare(norms: list[str], chunk: int = 500) -> tuple[float, float]:
    """CPU seconds of (before, after) over `norms`; stops at the first differing text."""
    from hbt_analysis import text as T

    before = after = 0.0
    for k, i in enumerate(range(0, len(norms), chunk)):
        part = norms[i : i + chunk]
        runs = {}
        for name in (("ref", "new") if k % 2 == 0 else ("new", "ref")):
            c0 = time.thread_time()
            runs[name] = ([reference_words(n) for n in part] if name == "ref"
                          else T._tokenize_many(part))
            runs[name + "_s"] = time.thread_time() - c0
        for n, a, b in zip(part, runs["ref"], runs["new"], strict=True):
            if a != b:
                raise SystemExit(f"DIFFERENT OUTPUT for {n!r}:\n  before {a}\n  after  {b}")
        before += runs["ref_s"]
        after += runs["new_s"]
    return before, after


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sample", type=int, default=20_000)
    ap.add_argument("--corpora", type=Path, default=Path("/work/corpora"))
    args = ap.parse_args()
    os.environ["HBT_NO_DISK_CACHE"] = "1"
    from hbt_analysis import text as T
    from hbt_analysis import wordseg
    from hbt_analysis.fmt import fmt_int, fmt_num

    sets = text_sets(args.corpora, args.sample)
    reference_words("Khởi động"), T._tokenize_many(["Khởi động"])  # model loads: not timed
    seg = wordseg._segmenter(tuple(T._MODEL_FIXED_WORDS))
    rows = []
    for name, texts in sets.items():
        norms = [n for n in dict.fromkeys(T._normalize_one(t) for t in texts) if n]
        for cache in seg._caches.values():
            cache.clear()
        T._WORD_PARTS.clear()
        load0 = os.getloadavg()[0]
        before, after = compare(norms)
        rows.append((name, len(norms), before, after, load0, os.getloadavg()[0]))
    total = sum(r[1] for r in rows)
    tb, ta = sum(r[2] for r in rows), sum(r[3] for r in rows)
    lines = [
        f"# Cold word segmentation: before / after wordseg "
        f"({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Machine: {platform.node()}, {os.cpu_count()} CPUs shared with other sessions, "
        f"Python {platform.python_version()}. Command: `.venv/bin/python "
        f"benchmarks/bench_segment.py --sample {args.sample}`.",
        "",
        "Before: `underthesea.word_tokenize` per text (what text.py called until now). "
        "After: `hbt_analysis.wordseg` (same regex built once, the CRF features written in "
        "Python from cached token / pair / triple strings, underthesea_core's CRFTagger "
        "unchanged). Same distinct normalised texts, same run, 500-text chunks in "
        "alternating order; CPU ms of the thread per text. **Every text's words are "
        "identical** (the script stops otherwise).",
        "",
        "| texts | distinct texts | before ms CPU / text | after ms CPU / text | speed-up "
        "| load avg (1 min) start / end |",
        "|---|---:|---:|---:|---:|---|",
        *(f"| {name} | {fmt_int(n)} | {fmt_num(b / n * 1000, 3)} | {fmt_num(a / n * 1000, 3)} "
          f"| {fmt_num(b / a, 2)}x | {fmt_num(l0, 1)} / {fmt_num(l1, 1)} |"
          for name, n, b, a, l0, l1 in rows),
        f"| **all** | {fmt_int(total)} | {fmt_num(tb / total * 1000, 3)} | "
        f"{fmt_num(ta / total * 1000, 3)} | **{fmt_num(tb / ta, 2)}x** | |",
        "",
        "Where the rest of the time goes (after): underthesea_core's CRFTagger.tag (its "
        "input: 43 feature strings per token, which it converts and looks up) is now the "
        "largest part, then the regex tokenizer; both are underthesea's own.",
    ]
    text = "\n".join(lines)
    (ROOT / "benchmarks" / "results" / "segment.md").write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()

"""Benchmark: detect and convert legacy encodings in a 200.000-cell column.

Run from the repository root::

    .venv/bin/python benchmarks/bench_legacy.py              # 200 000 cells a column
    .venv/bin/python benchmarks/bench_legacy.py --n 50000    # quicker

Columns (each N cells, built from the labelled opinions in ``tests/data`` and made-up names):

- *names, TCVN3*: "Nguyễn Văn Hùng"-like names and ward names, N cells drawn from 5.000
  distinct values (a name column);
- *opinions, TCVN3 / VNI / Unicode*: N distinct opinions (1-3 clauses of labelled opinions
  and a house number), in TCVN3, in VNI, or in ordinary Unicode (the common case).

For each column it times ``detect_column`` and ``repair_column`` (which detects again and
converts every cell) in CPU seconds of this process (the machine is shared: wall time
varies with the others' load), caches cleared before each timing, and, as the baseline
measured in the same run, the NFC normalisation of the column that any reader does anyway
(``unicodedata.normalize`` on every cell). It checks that the repaired column equals the
Unicode original (TCVN3: up to the case of toned capitals, which TCVN3 cannot write), and
writes ``benchmarks/results/legacy.md``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import platform
import random
import sys
import time
import unicodedata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hbt_analysis import legacy, legacy_codes  # noqa: E402
from hbt_analysis.synth_text import person_name  # noqa: E402

WARDS = ["Nguyễn Du", "Bạch Đằng", "Phạm Đình Hổ", "Lê Đại Hành", "Đồng Nhân", "Phố Huế",
         "Đống Mác", "Thanh Lương", "Thanh Nhàn", "Cầu Dền", "Bách Khoa", "Đồng Tâm",
         "Vĩnh Tuy", "Bạch Mai", "Quỳnh Mai", "Quỳnh Lôi", "Minh Khai", "Trương Định"]


def clear_caches() -> None:
    for f in (legacy.assess, legacy.repair, legacy.is_syllable, legacy._weigh):
        f.cache_clear()
    legacy_codes._VNI_WORDS.clear()
    legacy_codes._VNI_UNPAIRED.clear()


def opinions(n: int, rng: random.Random) -> list[str]:
    with open(ROOT / "tests" / "data" / "labelled_opinions.csv", encoding="utf-8") as f:
        texts = [row["text"] for row in csv.DictReader(f)]
    clauses = [c.strip() for t in texts for c in t.replace("!", ".").split(".") if c.strip()]
    out = []
    for i in range(n):
        parts = rng.sample(clauses, rng.randint(1, 3))
        out.append(f"{'. '.join(parts)} (số nhà {i % 997 + 1}, ngõ {i % 389 + 2}).")
    return out


def names(n: int, rng: random.Random) -> list[str]:
    nrng = np.random.default_rng(7)
    distinct = [f"{person_name(nrng)[1]}, phường {rng.choice(WARDS)}" for _ in range(5000)]
    return [rng.choice(distinct) for _ in range(n)]


def timed(func, *args, **kwargs):
    """CPU seconds of this process (steadier than wall time on a machine shared with others)."""
    t0 = time.process_time()
    result = func(*args, **kwargs)
    return time.process_time() - t0, result


def run(n: int) -> list[dict]:
    rng = random.Random(2023)
    unicode_ops = opinions(n, rng)
    cases = [
        ("names, TCVN3 (5.000 distinct)", names(n, rng), "tcvn3"),
        ("opinions, TCVN3 (all distinct)", unicode_ops, "tcvn3"),
        ("opinions, VNI (all distinct)", unicode_ops, "vni"),
        ("opinions, Unicode (all distinct)", unicode_ops, None),
    ]
    rows = []
    for label, original, enc in cases:
        column = [legacy.from_unicode(v, enc) for v in original] if enc else list(original)
        clear_caches()
        t_base, _ = timed(lambda col: [unicodedata.normalize("NFC", v) for v in col], column)
        clear_caches()
        t_detect, found = timed(legacy.detect_column, column)
        clear_caches()
        t_repair, fixed = timed(legacy.repair_column, column)
        if enc == "tcvn3":
            ok = all(a.lower() == b.lower() for a, b in zip(fixed.values, original, strict=True))
        else:
            ok = fixed.values == original
        rows.append({
            "column": label, "cells": len(column), "found": found, "expected": enc,
            "right": ok and found == enc, "baseline_s": t_base, "detect_s": t_detect,
            "repair_s": t_repair,
        })
        print(f"{label:36} found={found!s:6} right={rows[-1]['right']!s:5} "
              f"NFC {t_base:6.2f} s  detect_column {t_detect:6.2f} s  "
              f"repair_column {t_repair:6.2f} s ({t_repair / t_base:4.1f}x NFC)")
    return rows


SHARED = ROOT.parent / "shared"


def shared_examples() -> list[str]:
    """A score on files written by others (looked at while developing, so not blind; no
    rule or threshold was fitted to them).

    ``shared/intake_examples/c07_tcvn3_everything`` (a workbook typed in .VnTime, headings in
    .VnTimeH), scored cell by cell against the Unicode twins of its cells in the other
    examples of the same year; and ``shared/minutes_examples/tn18`` (Word minutes in TCVN3)
    against ``gold.json``, when python-docx is installed. Skipped where shared/ is absent.
    """
    import openpyxl

    lines: list[str] = []
    c07 = SHARED / "intake_examples" / "c07_tcvn3_everything" / "2023" / "hbt_2023.xlsx"
    if c07.exists():
        twins: dict[str, str] = {}
        for other in sorted((SHARED / "intake_examples").glob("*/2023/*.xlsx")):
            if other == c07:
                continue
            try:
                book = openpyxl.load_workbook(other, read_only=True)
            except Exception:  # a damaged example (that is its point): no twins from it
                continue
            for ws in book:
                for row in ws.iter_rows(values_only=True):
                    for v in row:
                        if isinstance(v, str) and not v.isascii():
                            twins[legacy.from_unicode(v, "tcvn3").lower()] = v
        cells = converted = scored = right = exact = 0
        for ws in openpyxl.load_workbook(c07):
            grid = [[c.value for c in r] for r in ws.iter_rows()]
            sheet = legacy.detect_column(v for r in grid for v in r)
            for col in zip(*grid, strict=True):
                fixed = legacy.repair_column(col, encoding=sheet if sheet in ("tcvn3", "vni")
                                             else None)
                for i, v in enumerate(col):
                    if not isinstance(v, str) or v.isascii():
                        continue
                    cells += 1
                    converted += i in fixed.converted
                    twin = twins.get(v.lower())
                    if twin is not None and twin != v:
                        scored += 1
                        right += fixed.values[i].lower() == twin.lower()
                        exact += fixed.values[i] == twin
        lines.append(
            f"- c07 (workbook in .VnTime): {cells} non-ASCII text cells, {converted} converted "
            f"(the others are Unicode cells); of the {scored} legacy cells with a Unicode twin, "
            f"**{right}** read right apart from case, {exact} exactly (the rest: a toned capital "
            "mid-sentence, e.g. \"ủy ban\" for \"Ủy ban\", which TCVN3 cannot write)"
        )
    tn18 = SHARED / "minutes_examples" / "tn18" / "bien ban to 18.docx"
    try:
        import docx  # python-docx: not a dependency of the project
    except ImportError:
        docx = None
    if tn18.exists() and docx is not None:
        import json

        gold = json.loads((SHARED / "minutes_examples" / "gold.json").read_text("utf-8"))
        opinions = gold["bien ban to 18.docx"]["opinions"]
        paragraphs = [p for p in docx.Document(str(tn18)).paragraphs if p.text.strip()]
        verdict = legacy.detect_column(p.text for p in paragraphs)
        text = " ".join(
            "".join(legacy.to_unicode(r.text, verdict, upper=legacy.is_capital_font(r.font.name))
                    for r in p.runs)
            for p in paragraphs
        )
        found = sum(unicodedata.normalize("NFC", o) in text for o in opinions)
        lines.append(f"- tn18 (Word minutes in .VnTime/.VnTimeH): verdict {verdict}; "
                     f"**{found} of {len(opinions)}** gold opinions found verbatim in the "
                     "converted text (run by run, capital fonts in capitals)")
    return lines


def write(rows: list[dict], n: int) -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Legacy encodings benchmark",
        "",
        f"Recorded {now} by `benchmarks/bench_legacy.py --n {n}` (Python "
        f"{platform.python_version()}, {platform.machine()}, 2 cores shared with other work; "
        f"1-minute load average {load:.1f} at the end). One process, one core; CPU seconds of "
        "the process (`time.process_time`), caches cleared before each timing.",
        "",
        "Baseline: NFC-normalising every cell of the same column in the same run "
        "(`unicodedata.normalize`), which any reader does anyway.",
        "",
        "| column | cells | verdict | converted back exactly | NFC baseline | detect_column "
        "| repair_column | repair / baseline |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        cells = f"{r['cells']:_}".replace("_", ".")  # 200.000
        lines.append(
            f"| {r['column']} | {cells} | {r['found']} | {'yes' if r['right'] else 'NO'} "
            f"| {r['baseline_s']:.2f} s | {r['detect_s']:.2f} s | {r['repair_s']:.2f} s "
            f"| {r['repair_s'] / r['baseline_s']:.0f}x |"
        )
    lines += ["", "`repair_column` includes its own `detect_column`. TCVN3 is compared up to the "
              "case of toned capitals (TCVN3 has no codes for them).", ""]
    shared = shared_examples()
    if shared:
        lines += ["## Files written by others", "",
                  "Looked at while developing (not blind), no rule fitted to them; see "
                  "`shared_examples()`.", "", *shared, ""]
        print("\n".join(shared))
    out = ROOT / "benchmarks" / "results" / "legacy.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="cells a column")
    args = parser.parse_args()
    write(run(args.n), args.n)


if __name__ == "__main__":
    main()

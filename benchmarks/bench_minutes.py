"""Benchmark: how well the minutes reader reads a folder of documents with a gold.json.

Run from the repository root::

    .venv/bin/python benchmarks/bench_minutes.py /work/shared/minutes_examples
    .venv/bin/python benchmarks/bench_minutes.py FOLDER --record NAME   # also write results

FOLDER holds Word minutes / ward summaries (in it or in sub-folders) and a ``gold.json``
mapping each file name to what a careful person reads from it (see
``/work/shared/minutes_examples/README.md``). Prints field accuracy (ward, group, date,
invited, attended), opinion precision / recall / F1 (one-to-one matching by normalised token
Dice >= 0.8 within each file), the share of files with the right number of opinions, the
three gold flags, and every file's errors. ``--record NAME`` writes
``benchmarks/results/minutes_NAME.json`` and adds a line to ``benchmarks/results/minutes.md``.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hbt_analysis.minutes.importer import collect_documents, read_folder_documents  # noqa: E402
from hbt_analysis.minutes.score import FIELDS, score  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--record", metavar="NAME",
                        help="write benchmarks/results/minutes_NAME.json and a line in minutes.md")
    parser.add_argument("--quiet", action="store_true", help="no per-file errors")
    args = parser.parse_args(argv)
    gold_path = args.folder / "gold.json"
    if not gold_path.exists():
        print(f"{gold_path}: no gold.json", file=sys.stderr)
        return 2
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    files = {p.name: p for p in collect_documents(args.folder, recursive=True)}
    missing = sorted(set(gold) - set(files))
    start = time.perf_counter()
    readings = read_folder_documents([files[n] for n in gold if n in files])
    seconds = time.perf_counter() - start
    predicted = {r.file: r.as_gold() for r in readings}
    s = score(gold, predicted)
    print(f"{args.folder}: {s.documents} documents ({len(missing)} not found), "
          f"read in {seconds:.1f} s")
    print(f"  field accuracy {100 * s.field_accuracy:.1f}%  ("
          + ", ".join(f"{f} {100 * s.accuracy(f):.1f}%" for f in FIELDS) + ")")
    print(f"  opinions: expected {s.expected}, read {s.found}, matched {s.matched}: "
          f"precision {s.precision:.3f}, recall {s.recall:.3f}, F1 {s.f1:.3f}")
    print(f"  right number of opinions in {s.count_right}/{s.documents} files; flags "
          f"tp {s.flag_tp} fp {s.flag_fp} fn {s.flag_fn}")
    if not args.quiet:
        for name, errs in s.errors.items():
            print(f"\n  {name}")
            for e in errs:
                print(f"    {e}")
    if args.record:
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = s.as_dict() | {
            "folder": str(args.folder), "seconds": seconds,
            "recorded": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "python": platform.python_version(), "cores": os.cpu_count(),
            "command": f"python benchmarks/bench_minutes.py {args.folder} --record {args.record}",
        }
        (RESULTS / f"minutes_{args.record}.json").write_text(
            json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        _record_line(args.record, out)
    return 0


def _record_line(name: str, out: dict) -> None:
    md = RESULTS / "minutes.md"
    header = (
        "# Minutes reader benchmark\n\n"
        "Each line: `python benchmarks/bench_minutes.py FOLDER --record NAME` on a folder "
        "with a gold.json (field accuracy over ward, group, date, invited, attended; opinions "
        "matched one to one by normalised token Dice >= 0.8). Details in "
        "`minutes_NAME.json`.\n\n"
        "| set | recorded | documents | field accuracy | opinion P | R | F1 | right count | "
        "flags tp/fp/fn | seconds | ward / group / date / invited / attended |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = md.read_text(encoding="utf-8").splitlines(keepends=True) if md.exists() else []
    body = [ln for ln in lines
            if ln.startswith("| ") and not ln.startswith(("| set", f"| {name} "))]
    f = out["flags"]
    body.append(
        f"| {name} | {out['recorded']} | {out['documents']} | "
        f"{100 * out['field_accuracy']:.1f}% | {out['precision']:.3f} | {out['recall']:.3f} | "
        f"{out['f1']:.3f} | {100 * out['opinion_count_accuracy']:.0f}% | "
        f"{f['tp']}/{f['fp']}/{f['fn']} | {out['seconds']:.1f} | "
        + " / ".join(f"{100 * v:.1f}%" for v in out["fields"].values()) + " |\n")
    notes = [ln for ln in lines if ln.startswith("- ")]
    md.write_text(header + "".join(body) + ("\n" + "".join(notes) if notes else ""),
                  encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

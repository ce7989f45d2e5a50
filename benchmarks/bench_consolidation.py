"""Consolidation, ward links, repeats, routing and topics against a labelled folder.

    .venv/bin/python benchmarks/bench_consolidation.py PATH_TO_FOLDER [--name NAME]
        [--threshold T] [--sweep] [--no-write]

The folder holds `clusters.jsonl` (group-level opinions with their gold cluster, topic and
answerer) and optionally `ward_links.jsonl` (ward-level opinions with the group-level
opinions they carry forward) and `repeat_pairs.jsonl` (last year's and this year's opinion
of one group, labelled same_request) — the format of the independent set described in
tests/data/README.md. Our pipeline sees the texts only.

Scores: pairwise precision / recall / F1 and adjusted Rand index of the clusters (across the
area, and within each ward: pairs of the same ward only), link precision / recall, repeat
accuracy, routing accuracy (answerer and its four levels), topic accuracy and macro-F1.
Results go to benchmarks/results/consolidation_<NAME>.json (NAME: the folder's name) and a
line in benchmarks/results/consolidation.md is printed to paste.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    from hbt_analysis.opinions.evaluate import score_folder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--name", default=None, help="name of the result file")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--sweep", action="store_true",
                        help="also score thresholds 0.10-0.60 (to see the curve; the default "
                             "is what counts)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    if not (args.folder / "clusters.jsonl").exists():
        print(f"Không có clusters.jsonl trong {args.folder} / no clusters.jsonl in "
              f"{args.folder}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    result = score_folder(args.folder, threshold=args.threshold)
    result["seconds"] = round(time.perf_counter() - t0, 2)
    result["when"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    if args.sweep:
        result["sweep"] = {}
        for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6):
            r = score_folder(args.folder, threshold=t)
            result["sweep"][t] = {"area_f1": r["consolidation_area"]["f1"],
                                  "area_ari": r["consolidation_area"]["ari"],
                                  "ward_f1": r["consolidation_ward"]["f1"]}
    print(_summary(result))
    if not args.no_write:
        name = args.name or args.folder.resolve().name
        out = ROOT / "benchmarks" / "results" / f"consolidation_{name}.json"
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=float) + "\n",
                       encoding="utf-8")
        print(f"→ {out.relative_to(ROOT)}")
    return 0


def _summary(r: dict) -> str:
    a, w = r["consolidation_area"], r["consolidation_ward"]
    lines = [
        f"{r['folder']} (threshold {r['threshold']}; {r['opinions']} opinions, "
        f"{r['clusters_true']} clusters; {r['seconds']} s)",
        f"  consolidation, area: P {a['precision']:.3f} R {a['recall']:.3f} F1 {a['f1']:.3f} "
        f"ARI {a['ari']:.3f} ({r['items_area']} items)",
        f"  consolidation, ward: P {w['precision']:.3f} R {w['recall']:.3f} F1 {w['f1']:.3f} "
        f"({r['items_ward']} items)",
        f"  topics: accuracy {r['topics']['accuracy']:.3f} macro-F1 {r['topics']['macro_f1']:.3f}",
        f"  routing: accuracy {r['routing']['accuracy']:.3f}, level accuracy "
        f"{r['routing']['level_accuracy']:.3f}",
    ]
    if "ward_links" in r:
        k = r["ward_links"]
        lines.append(f"  ward links: P {k['precision']:.3f} R {k['recall']:.3f} "
                     f"({k['links_true']} links; new at ward level left unlinked "
                     f"{k['new_left_unlinked']}/{k['new_at_ward_level']})")
    if "repeats" in r:
        k = r["repeats"]
        lines.append(f"  repeats: accuracy {k['accuracy']:.3f} P {k['precision']:.3f} "
                     f"R {k['recall']:.3f} (came back found {k['came_back_found']}/"
                     f"{k['came_back_true']})")
    for t, s in (r.get("sweep") or {}).items():
        lines.append(f"  sweep {t}: area F1 {s['area_f1']:.3f} ARI {s['area_ari']:.3f} "
                     f"ward F1 {s['ward_f1']:.3f}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())

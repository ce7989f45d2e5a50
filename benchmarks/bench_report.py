"""Benchmark of `hbt report`: the default batch against the naive loop and a plain-Python floor.

All three are measured in ONE run of this script, on the same machine and data:

1. **batch**: `python -m hbt_analysis.report --year YEAR` (the default plan: 76 reports for
   2023), a fresh process, end to end (plan, kernel start-up, execution, HTML, index).
2. **naive loop**: per report one `papermill -k hbt-analysis` command and one
   `jupyter nbconvert --to html --no-input` command. Timed on a representative subset (every
   notebook for the district and for one ward, by default) and scaled per notebook to the
   full plan: naive = sum over the plan's reports of that notebook's mean measured time.
3. **floor**: the same reports' code run as plain Python in one process (a fresh
   `python` process; its imports are counted once): each notebook is parameterised with
   papermill's `parameterize_notebook`, its code cells are concatenated and `exec`uted in a
   fresh namespace. Figures and tables are built but not rendered: `IPython.display.display`
   and plotly's `Figure.show` are no-ops and a cell's last expression is not displayed (so
   no HTML, no figure JSON, no plotly.js, no files). It is the cost of the analysis alone.

The year's disk caches (segmentation, the year's heavy results:
`opinions.precompute_years`, as `hbt report` does) are filled first, untimed, so that the
batch (timed first) and the floor meet the same warm caches; before, a batch run right after
a code change paid the cold caches and the floor read them back.

Each run adds a dated section at the top of results/report.md (earlier ones kept below).

Targets (issue 12): naive / batch >= 15 and batch / floor <= 1.2 (wall seconds; issue 5
asked >= 8 and <= 3). On a shared machine the batch's two workers need two free cores while
the floor needs one, so the wall ratio is only fair at a low load average; CPU seconds are
printed beside it (batch CPU / 2 workers against the floor's CPU is the ratio the batch
would show on two free cores, before its start-up and the serial end of the run).

    .venv/bin/python benchmarks/bench_report.py [--year 2023] [--naive-wards 00286]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
BIN = Path(PY).parent
RESULTS = ROOT / "benchmarks" / "results" / "report.md"


def load_avg() -> str:
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def commit() -> str:
    """The checkout's commit, '+' when it has uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=ROOT, text=True, capture_output=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+" if dirty else "")


def child_cpu() -> float:
    """CPU seconds (user + system) used so far by finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def plan(year: int) -> list[tuple[str, str | None]]:
    """(notebook stem, ward code or None) of the default plan, as `hbt report` builds it."""
    from hbt_analysis.report.cli import describe_year
    from hbt_analysis.report.plan import build_plan, default_notebooks_dir, list_notebooks

    info = describe_year(year)
    reports = build_plan({year: info}, list_notebooks(default_notebooks_dir()))
    return [(r.stem, r.ward_code) for r in reports]


def time_batch(year: int, out: Path) -> tuple[float, dict]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [PY, "-m", "hbt_analysis.report", "--year", str(year), "--output", str(out),
         "--keep", "0"],
        cwd=ROOT, capture_output=True, text=True,
    )
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"batch failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    manifest = json.loads(next((out / str(year)).glob("2*/manifest.json")).read_text())
    return elapsed, manifest


def time_naive(year: int, subset: list[tuple[str, str | None]], work: Path) -> dict[str, list]:
    """Seconds per report of papermill + nbconvert CLI commands, by notebook stem."""
    times: dict[str, list[float]] = {}
    for stem, ward in subset:
        nb = ROOT / "notebooks" / f"{stem}.ipynb"
        executed = work / f"{stem}-{ward or 'district'}.ipynb"
        cmd = [str(BIN / "papermill"), "-k", "hbt-analysis", "--no-progress-bar", str(nb),
               str(executed), "-p", "year", str(year)]
        if ward is not None:
            cmd += ["-r", "ward", ward]  # raw: `-p ward 00286` would pass the int 286
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                        str(executed)], cwd=ROOT, check=True, capture_output=True)
        times.setdefault(stem, []).append(time.perf_counter() - t0)
    return times


FLOOR_CODE = r'''
import json, sys, time
t0 = time.perf_counter()
# the harness's own nbformat import (papermill) skips rfc3987_syntax's grammars, as the
# batch's processes do (~1 s of CPU that is no part of the analysis)
sys.modules.setdefault("rfc3987_syntax", None)
import IPython.display, IPython.core.display_functions
noop = lambda *a, **k: None
IPython.display.display = noop
IPython.core.display_functions.display = noop
import plotly.basedatatypes
plotly.basedatatypes.BaseFigure.show = noop
import nbformat
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook
reports = json.loads(sys.argv[1])
sources = {}
for stem, ward, year in reports:
    params = {"year": year} if ward is None else {"year": year, "ward": ward}
    nb = parameterize_notebook(load_notebook_node(f"notebooks/{stem}.ipynb"), params,
                               language="python", kernel_name="hbt-analysis")
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code"
                     and not c.source.lstrip().startswith(("%", "!")))
    sources[(stem, ward)] = compile(code, f"<{stem}:{ward}>", "exec")
per, per_cpu = [], []
for stem, ward, year in reports:
    t, c = time.perf_counter(), time.process_time()
    exec(sources[(stem, ward)], {"__name__": "__main__", "display": noop})
    per.append(time.perf_counter() - t)
    per_cpu.append(time.process_time() - c)
print(json.dumps({"total": time.perf_counter() - t0, "reports": sum(per), "per": per,
                  "per_cpu": per_cpu}))
'''


def time_floor(year: int, reports: list[tuple[str, str | None]]) -> dict:
    payload = json.dumps([(stem, ward, year) for stem, ward in reports])
    t0 = time.perf_counter()
    proc = subprocess.run([PY, "-c", FLOOR_CODE, payload], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "MPLBACKEND": "Agg"})
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"floor failed:\n{proc.stderr[-3000:]}")
    inner = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"wall": elapsed, **inner}


def floor_mean(reports: list[tuple[str, str | None]], floor: dict, wards: bool,
               key: str = "per") -> float:
    """Mean seconds (wall, or CPU with key="per_cpu") of the floor's district (wards=False) or
    ward reports, imports excluded."""
    times = [t for (_, ward), t in zip(reports, floor[key], strict=True)
             if (ward is not None) == wards]
    return sum(times) / len(times) if times else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--naive-wards", default="00286",
                        help="wards (besides the district) timed for the naive loop")
    parser.add_argument("--no-write", action="store_true", help="do not write results/report.md")
    args = parser.parse_args()

    reports = plan(args.year)
    wards = [w.strip() for w in args.naive_wards.split(",") if w.strip()]
    subset = [(s, w) for s, w in reports if w is None or w in wards]
    loads = {"start": load_avg()}
    work = Path(tempfile.mkdtemp(prefix="hbt-bench-"))
    try:
        subprocess.run([PY, "-c", "from hbt_analysis import opinions; "
                        f"opinions.precompute_years([{args.year}])"], cwd=ROOT, check=True,
                       capture_output=True)  # warm caches for both, untimed (see above)
        loads["start"] = load_avg()
        cpu = {"start": child_cpu()}
        batch_s, manifest = time_batch(args.year, work / "out")
        cpu["batch"] = child_cpu()
        loads["after batch"] = load_avg()
        print(f"batch: {batch_s:.1f} s for {len(reports)} reports", flush=True)
        naive = time_naive(args.year, subset, work)
        cpu["naive"] = child_cpu()
        loads["after naive"] = load_avg()
        print(f"naive: {naive}", flush=True)
        floor = time_floor(args.year, reports)
        cpu["floor"] = child_cpu()
        loads["after floor"] = load_avg()
        print(f"floor: {floor['wall']:.1f} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    per_nb = {stem: sum(v) / len(v) for stem, v in naive.items()}
    naive_total = sum(per_nb[stem] for stem, _ in reports)
    ok = sum(r["status"] == "ok" for r in manifest["reports"])
    speedup = naive_total / batch_s
    batch_cpu = cpu["batch"] - cpu["start"]
    floor_cpu = cpu["floor"] - cpu["naive"]
    vs_floor = batch_s / floor["wall"]
    lines = [
        f"# `hbt report` benchmark ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, "
        f"commit {commit()})",
        "",
        f"Machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"load average (1/5/15 min): " + "; ".join(f"{k}: {v}" for k, v in loads.items()) + ".",
        f"Plan: default {args.year} plan, {len(reports)} reports ({ok} succeeded), "
        f"{manifest['workers']} workers; the year's disk caches warmed first, untimed.",
        "",
        "| measure | seconds | per report |",
        "|---|---:|---:|",
        f"| batch (`python -m hbt_analysis.report --year {args.year}`, end to end) "
        f"| {batch_s:.1f} | {batch_s / len(reports):.2f} |",
        f"| naive loop (papermill + nbconvert CLI per report; {len(subset)} timed, scaled "
        f"per notebook to {len(reports)}) | {naive_total:.1f} | {naive_total / len(reports):.2f} |",
        f"| floor (plain Python, one process, incl. imports; figures built, not rendered) "
        f"| {floor['wall']:.1f} | {floor['wall'] / len(reports):.2f} |",
        "",
        f"CPU seconds (user + system, all processes): batch {cpu['batch'] - cpu['start']:.1f}, "
        f"naive subset {cpu['naive'] - cpu['batch']:.1f} for {len(subset)} reports "
        f"(~{(cpu['naive'] - cpu['batch']) / len(subset) * len(reports):.0f} scaled), "
        f"floor {cpu['floor'] - cpu['naive']:.1f}. The machine is shared: wall times move "
        "with the other users' load (above), CPU seconds much less.",
        "",
        "Naive seconds per report, by notebook: "
        + ", ".join(f"{k} {v:.2f}" for k, v in sorted(per_nb.items())) + ".",
        f"Floor: {floor['reports']:.1f} s executing the reports + imports/start-up; mean per "
        f"report executed (wall / CPU): district {floor_mean(reports, floor, False):.2f} / "
        f"{floor_mean(reports, floor, False, 'per_cpu'):.2f} s, ward "
        f"{floor_mean(reports, floor, True):.2f} / "
        f"{floor_mean(reports, floor, True, 'per_cpu'):.2f} s.",
        "",
        f"- naive / batch = **{speedup:.1f}x** (target >= 15x): "
        f"{'met' if speedup >= 15 else 'NOT met'}",
        f"- batch / floor = **{vs_floor:.2f}x** wall (target <= 1.2x): "
        f"{'met' if vs_floor <= 1.2 else 'NOT met'} at this load",
        f"- CPU seconds: batch {batch_cpu:.1f} / {manifest['workers']} workers = "
        f"{batch_cpu / manifest['workers']:.1f} against the floor's {floor_cpu:.1f}: "
        f"**{batch_cpu / manifest['workers'] / floor_cpu:.2f}x**",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:  # newest section first; the earlier ones are kept below it
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        earlier = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else ""
        RESULTS.write_text(text + ("\n" + earlier if earlier else ""), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

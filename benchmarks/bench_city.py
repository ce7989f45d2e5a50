"""Issue 12, "a city on this machine": load, every notebook cell and the batch at city scale.

Inputs (generated, not committed; `benchmarks/city.py`): the made-up city of
`hbt_analysis.synth_city` (126 wards, 10.000 groups, ~60.000 opinions a year, 2022–2024,
its own unit registry) and a 2024 of 1.000.000 opinions drawn from it.

Measured in ONE run, each in a fresh process, with its baseline measured in the same run:

1. **load 1 M**: `hbt_analysis.load(2024)` of the 1 M year (read, validate, the year before's
   coverage check): wall, CPU and peak RSS; baseline: `pandas.read_csv` of the same files
   (dtype str, the C parser), the cost of only parsing the bytes.
2. **load city**: the same for the city's 2024.
3. **cells**: every code cell of the four notebooks for the whole city and for one ward,
   executed as plain Python (as bench_report's floor: nothing rendered), each cell timed;
   a cell over 5 s names the analysis function that is slow at city scope. The target is per
   function; a cell calls one or two.
4. **batch** (with `--batch`): `python -m hbt_analysis.report --data-dir CITY --year 2024`, the
   whole city's default plan, end to end (with `--batch-timeout`, default 1.800 s).

    .venv/bin/python benchmarks/bench_city.py [--batch] [--ward 90001] [--no-write]
    .venv/bin/python benchmarks/bench_city.py --load-only [--rows]   # only 1. and 2.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import city  # noqa: E402
from bench_report import child_cpu, load_avg  # noqa: E402

PY = sys.executable
RESULTS = ROOT / "benchmarks" / "results" / "city.md"
YEAR = 2024
TARGET_CELL_S = 5.0
NOTEBOOKS = ("00_overview", "01_attendance", "02_compare_years", "03_opinions")


LOAD_CODE = r'''
import json, resource, sys, time
from pathlib import Path
root, mode = Path(sys.argv[1]), sys.argv[2]
t, c = time.perf_counter(), time.process_time()
if mode == "pandas":
    import pandas as pd
    n = 0
    for p in sorted((root / "2024").glob("*.csv")) + sorted((root / "2023").glob("*.csv")):
        n += len(pd.read_csv(p, dtype=str, keep_default_na=False))
elif mode == "arrow":
    import pyarrow.csv as pacsv
    n = 0
    for p in sorted((root / "2024").glob("*.csv")) + sorted((root / "2023").glob("*.csv")):
        n += pacsv.read_csv(p).num_rows
else:
    import hbt_analysis as hbt
    t, c = time.perf_counter(), time.process_time()  # imports not counted
    ds = hbt.load(2024, data_dir=root)
    n = len(ds.opinions)
print(json.dumps({"wall": time.perf_counter() - t, "cpu": time.process_time() - c, "rows": n,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
'''


def time_load(root: Path, mode: str) -> dict:
    """One load in a fresh process: mode "hbt" (`hbt_analysis.load`, the columnar reader for
    plain opinion lists), "rows" (the same, row by row: `HBT_READER=rows`), "pandas"
    (`pandas.read_csv`, C parser) or "arrow" (`pyarrow.csv.read_csv`)."""
    env = {**os.environ, "HBT_NO_DISK_CACHE": "1"}
    if mode == "rows":
        env["HBT_READER"] = "rows"
        mode = "hbt"
    proc = subprocess.run([PY, "-c", LOAD_CODE, str(root), mode], cwd=ROOT,
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        sys.exit(f"load ({mode}) failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


CELLS_CODE = r'''
import json, sys, time
import IPython.display, IPython.core.display_functions
noop = lambda *a, **k: None
IPython.display.display = noop
IPython.core.display_functions.display = noop
import plotly.basedatatypes
plotly.basedatatypes.BaseFigure.show = noop
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook
import hbt_analysis  # imports not counted
reports = json.loads(sys.argv[1])
if sys.argv[2] == "heavy":  # the year's heavy step first, timed on its own
    from hbt_analysis import opinions
    t, c = time.perf_counter(), time.process_time()
    ds = hbt_analysis.load(int(sys.argv[3]), data_dir=sys.argv[4])
    load_cpu = time.process_time() - c
    steps = opinions.precompute_year(ds, data_dir=sys.argv[4])
    print(json.dumps({"heavy": {"load": load_cpu, **steps},
                      "wall": time.perf_counter() - t, "cpu": time.process_time() - c}),
          flush=True)
for stem, ward, year, data_dir in reports:
    params = {"year": year, "data_dir": data_dir}
    if ward is not None:
        params["ward"] = ward
    nb = parameterize_notebook(load_notebook_node(f"notebooks/{stem}.ipynb"), params,
                               language="python", kernel_name="hbt-analysis")
    ns = {"__name__": "__main__", "display": noop}
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        if cell.source.lstrip().startswith(("%", "!")):
            continue
        t, c = time.perf_counter(), time.process_time()
        exec(compile(cell.source, f"<{stem}:{ward}:{i}>", "exec"), ns)
        print(json.dumps({"stem": stem, "ward": ward, "cell": i,
                          "wall": time.perf_counter() - t, "cpu": time.process_time() - c,
                          "source": " ".join(cell.source.split())[:160]}), flush=True)
'''


def time_cells(root: Path, wards: list[str | None], timeout: float, heavy: bool = True,
               disk_cache: bool = False, stems: tuple[str, ...] = NOTEBOOKS,
               ) -> tuple[list[dict], bool, dict | None]:
    """Each cell's seconds (one JSON line per cell as it finishes), after the year's heavy
    step (opinions.precompute_year, timed apart) when `heavy`; stopped after `timeout`
    seconds with the cells done so far (True when it finished). Without `disk_cache` nothing
    is read from or written to the caches on disk (segmentation, the year's results)."""
    payload = json.dumps([(stem, ward, YEAR, str(root)) for ward in wards for stem in stems])
    env = {**os.environ, "MPLBACKEND": "Agg"}
    if not disk_cache:
        env["HBT_NO_DISK_CACHE"] = "1"
    with tempfile.TemporaryDirectory(prefix="hbt-cells-") as work:
        path = Path(work) / "cells.jsonl"
        with path.open("w") as out:
            proc = subprocess.Popen([PY, "-c", CELLS_CODE, payload, "heavy" if heavy else "-",
                                     str(YEAR), str(root)], cwd=ROOT, stdout=out, text=True,
                                    env=env)
            try:
                finished = proc.wait(timeout=timeout) == 0
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                finished = False
        lines = path.read_text().splitlines()
    rows = [json.loads(x) for x in lines if x.startswith("{")]
    steps = next((r for r in rows if "heavy" in r), None)
    return [r for r in rows if "heavy" not in r], finished, steps


def time_batch(root: Path, out: Path, timeout: float) -> dict:
    t0 = time.perf_counter()
    cmd = [PY, "-m", "hbt_analysis.report", "--data-dir", str(root), "--year", str(YEAR),
           "--output", str(out), "--keep", "0"]
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        code = proc.returncode
    except subprocess.TimeoutExpired:
        code = None
    elapsed = time.perf_counter() - t0
    manifests = list((out / str(YEAR)).glob("*/manifest.json"))
    reports = json.loads(manifests[0].read_text())["reports"] if manifests else []
    return {"wall": elapsed, "code": code, "reports": reports, "cmd": " ".join(cmd[1:])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ward", default="90001", help="the ward whose reports are timed")
    parser.add_argument("--batch", action="store_true", help="also run the whole batch")
    parser.add_argument("--batch-timeout", type=float, default=1800.0)
    parser.add_argument("--skip-million", action="store_true")
    parser.add_argument("--skip-load", action="store_true", help="time the cells (and batch) only")
    parser.add_argument("--cells-timeout", type=float, default=3600.0,
                        help="stop timing cells after this many seconds (wall)")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--cache", choices=("off", "warm", "both"), default="both",
                        help="cells without the disk caches, after a process filled them, or both")
    parser.add_argument("--cache-dir", default=None,
                        help="with --cache warm: this cache folder (kept) instead of a fresh "
                        "one, e.g. the HBT_CACHE_DIR a batch filled with its heavy step")
    parser.add_argument("--load-only", action="store_true",
                        help="only the loads (1 M and city; no cells, no batch); results go "
                        "to benchmarks/results/city_load.md")
    parser.add_argument("--rows", action="store_true",
                        help="with --load-only: also the row-wise reader (HBT_READER=rows)")
    args = parser.parse_args()
    if args.load_only:
        return load_only(args)

    root = city.ensure_city()
    million = None if (args.skip_million or args.skip_load) else city.ensure_million(root)
    loads = {"start": load_avg()}
    cpu = {"start": child_cpu()}
    res: dict[str, dict] = {}
    if million is not None:
        res["pandas 1m"] = time_load(million, "pandas")
        res["load 1m"] = time_load(million, "hbt")
        loads["after 1 M load"] = load_avg()
        print(res["pandas 1m"], res["load 1m"], flush=True)
    if not args.skip_load:
        res["pandas city"] = time_load(root, "pandas")
        res["load city"] = time_load(root, "hbt")
        loads["after city load"] = load_avg()
        print(res["pandas city"], res["load city"], flush=True)
    cpu["loads"] = child_cpu()
    wards = [None, args.ward]
    runs: dict[str, tuple[list[dict], bool, dict | None]] = {}
    if args.cache in ("off", "both"):  # nothing read from or written to the disk caches
        runs["no disk cache"] = time_cells(root, wards, args.cells_timeout)
        loads["after cells (no disk cache)"] = load_avg()
    if args.cache in ("warm", "both"):  # a first process fills a fresh disk cache, the next
        with (contextlib.nullcontext(args.cache_dir) if args.cache_dir else  # reads it back
              tempfile.TemporaryDirectory(prefix="hbt-cache-")) as cache:
            os.environ["HBT_CACHE_DIR"] = cache
            runs["filling the disk cache"] = time_cells(root, [], args.cells_timeout,
                                                        disk_cache=True)
            runs["disk cache filled"] = time_cells(root, wards, args.cells_timeout,
                                                   disk_cache=True)
            del os.environ["HBT_CACHE_DIR"]
        loads["after cells (disk cache)"] = load_avg()
    cpu["cells"] = child_cpu()
    batch = None
    if args.batch:
        with tempfile.TemporaryDirectory(prefix="hbt-city-") as work:
            batch = time_batch(root, Path(work) / "out", args.batch_timeout)
        cpu["batch"] = child_cpu()
        loads["after batch"] = load_avg()

    lines = [
        f"# City-scale benchmark ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        "load average (1/5/15 min): " + "; ".join(f"{k}: {v}" for k, v in loads.items()) + ".",
        "Inputs: `benchmarks/city.py` (the made-up city of `hbt_analysis.synth_city`: 126 wards, "
        "10.000 groups, ~60.000 opinions a year, 2022–2024; and its 2024 with 1.000.000 "
        "opinions). Command: `.venv/bin/python benchmarks/bench_city.py"
        + (" --batch" if args.batch else "") + "`.",
        "",
        "## Load + validate (fresh process, imports not counted)",
        "",
        "| input | `hbt_analysis.load` wall / CPU s | peak RSS MB | baseline `pandas.read_csv` "
        "wall / CPU s | load / baseline (CPU) |",
        "|---|---:|---:|---:|---:|",
    ]
    for key, label in (("1m", "1 M opinions (2024, with 2023 beside it)"),
                       ("city", "city 2024 (~60.000 opinions)")):
        if f"load {key}" not in res:
            continue
        a, b = res[f"load {key}"], res[f"pandas {key}"]
        lines.append(f"| {label} | {a['wall']:.1f} / {a['cpu']:.1f} | {a['rss_mb']:.0f} | "
                     f"{b['wall']:.1f} / {b['cpu']:.1f} | {a['cpu'] / b['cpu']:.1f}x |")
    if "load 1m" in res:
        a = res["load 1m"]
        lines += ["", f"- 1 M load ≤ 10 s: **{'met' if a['wall'] <= 10 else 'NOT met'}** "
                  f"({a['wall']:.1f} s wall, {a['cpu']:.1f} s CPU); ≤ 1.500 MB: "
                  f"**{'met' if a['rss_mb'] <= 1500 else 'NOT met'}** ({a['rss_mb']:.0f} MB)"]
    lines += [
        "",
        f"## Notebook cells at city scope ({YEAR}; the whole city and ward {args.ward})",
        "",
        "Each run is one fresh process that first runs the year's heavy step "
        "(`opinions.precompute_year`: topics, every text's words, request features and "
        "places, the consolidated items of each ward and of the area, links, routes; timed "
        "on its own), then every code cell of the four notebooks for the city and for the "
        "ward, as plain Python (nothing rendered). Runs: without the disk caches "
        "(`HBT_NO_DISK_CACHE=1`: all computed in the process), and with a fresh disk cache "
        "that a first process fills and the cells' process reads back (what a second batch "
        "worker, the next batch on the same data and an analyst's next session pay).",
    ]
    for label, (run_cells, run_finished, heavy) in runs.items():
        if heavy is not None:
            steps = ", ".join(f"{k} {v:.1f}" for k, v in heavy["heavy"].items())
            lines += ["", f"### {label}", "",
                      f"Heavy step: {heavy['cpu']:.1f} s CPU ({heavy['wall']:.1f} s wall); "
                      f"CPU s by step: {steps}."]
        if not run_cells:
            continue
        slow = [c for c in run_cells if c["cpu"] > TARGET_CELL_S]
        lines += [
            "",
            ("" if run_finished else f"**Stopped at the {args.cells_timeout:.0f} s timeout**: "
             "only the cells below were reached. ")
            + f"{len(run_cells)} cells timed after it, {len(slow)} over {TARGET_CELL_S:.0f} s "
            f"CPU; the slowest {max((c['cpu'] for c in run_cells), default=0):.1f} s. "
            "Cells over 1 s:",
            "",
            "| notebook | scope | cell | wall s | CPU s | code |",
            "|---|---|---:|---:|---:|---|",
        ]
        for c in sorted(run_cells, key=lambda c: -c["cpu"]):
            if c["cpu"] < 1.0:
                continue
            code = c["source"].replace("|", "\\|")
            lines.append(f"| {c['stem']} | {c['ward'] or 'city'} | {c['cell']} | "
                         f"{c['wall']:.1f} | {c['cpu']:.1f} | `{code}` |")
        per_report: dict[tuple, float] = {}
        for c in run_cells:
            key = (c["stem"], c["ward"])
            per_report[key] = per_report.get(key, 0) + c["cpu"]
        lines += ["", "CPU seconds per report (sum of its cells): " + ", ".join(
            f"{s} {w or 'city'} {v:.1f}" for (s, w), v in per_report.items()) + "."]
    if batch is not None:
        ok = sum(r.get("status") == "ok" for r in batch["reports"])
        done = "finished" if batch["code"] is not None else \
            f"stopped at the {args.batch_timeout:.0f} s timeout"
        lines += [
            "",
            "## The whole city's default batch",
            "",
            f"`{batch['cmd']}`: {batch['wall']:.0f} s wall, {done} (exit {batch['code']}); "
            f"{ok} of {len(batch['reports'])} reports ok in the manifest; CPU seconds (all "
            f"processes) {cpu['batch'] - cpu['cells']:.0f}.",
            "- ≤ 10 min: **"
            + ("met" if batch["code"] == 0 and batch["wall"] <= 600 else "NOT met") + "**",
        ]
    lines += ["", f"CPU seconds of this run's children: loads {cpu['loads'] - cpu['start']:.0f}, "
              f"cells {cpu['cells'] - cpu['loads']:.0f}. The machine is shared: wall times move "
              "with the other users' load (above), CPU seconds much less.", ""]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")
    return 0


def load_only(args: argparse.Namespace) -> int:
    """The load targets alone: 1 M opinions and the city's year, each against
    `pandas.read_csv` (and `pyarrow.csv.read_csv`) of the same files in the same run."""
    root = city.ensure_city()
    inputs = [("city", root, "city 2024 (~60.000 opinions)")]
    if not args.skip_million:
        inputs.insert(0, ("1m", city.ensure_million(root),
                          "1 M opinions (2024, with 2023 beside it)"))
    loads = {"start": load_avg()}
    res: dict[str, dict] = {}
    modes = ["pandas", "arrow", "hbt"] + (["rows"] if args.rows else [])
    for key, folder, _ in inputs:
        for mode in modes:
            res[f"{mode} {key}"] = time_load(folder, mode)
            print(mode, key, res[f"{mode} {key}"], flush=True)
        loads[f"after {key}"] = load_avg()
    lines = [
        f"# Load + validate at city scale ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Machine: {platform.node()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; load average (1/5/15 min): "
        + "; ".join(f"{k}: {v}" for k, v in loads.items()) + ".",
        "Inputs: `benchmarks/city.py` (the made-up city, and its 2024 with 1.000.000 "
        "opinions). Command: `.venv/bin/python benchmarks/bench_city.py --load-only"
        + (" --rows" if args.rows else "") + "`. Each figure is a fresh process, imports "
        "not counted; CPU seconds include pyarrow's threads; the machine is shared, so wall "
        "seconds move with the other users' load, CPU seconds much less.",
        "",
        "| input | reader | wall s | CPU s | peak RSS MB | CPU / `pandas.read_csv` |",
        "|---|---|---:|---:|---:|---:|",
    ]
    names = {"hbt": "`hbt_analysis.load` (columnar for plain CSVs)",
             "rows": "`hbt_analysis.load`, row by row (`HBT_READER=rows`)",
             "pandas": "baseline: `pandas.read_csv` (dtype str), parse only",
             "arrow": "`pyarrow.csv.read_csv`, parse only"}
    for key, _, label in inputs:
        base = res[f"pandas {key}"]["cpu"]
        for mode in modes:
            a = res[f"{mode} {key}"]
            lines.append(f"| {label} | {names[mode]} | {a['wall']:.1f} | {a['cpu']:.1f} | "
                         f"{a['rss_mb']:.0f} | {a['cpu'] / base:.2f}x |")
    if "hbt 1m" in res:
        a = res["hbt 1m"]
        lines += ["", f"- 1 M load ≤ 10 s: **{'met' if a['cpu'] <= 10 else 'NOT met'}** in CPU "
                  f"seconds ({a['cpu']:.1f} s CPU; {a['wall']:.1f} s wall at the load above); "
                  f"≤ 1.500 MB: **{'met' if a['rss_mb'] <= 1500 else 'NOT met'}** "
                  f"({a['rss_mb']:.0f} MB)"]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        (RESULTS.parent / "city_load.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

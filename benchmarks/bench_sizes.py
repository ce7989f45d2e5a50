"""Benchmark of what a run weighs and how soon a page paints (issue 9's size targets).

Measured in ONE run of this script, on the same machine and data:

1. **shared**: `python -m hbt_analysis.report --year YEAR` (the default plan): the run
   folder's size (every file: HTML, executed notebooks, `_assets/`, manifest, review list),
   zipped too, and the largest page.
2. **self-contained**: the same plan with `--self-contained` (each page carries its
   plotly.js, to forward one file alone): the largest page.
3. **baseline**: the largest report the way the notebooks were exported before (papermill,
   then `jupyter nbconvert --to html --no-input`): its page size, for the ratio.
4. **first paint** (headless Chromium, when installed): for the largest page of each kind,
   when the text paints (first-contentful-paint) and when the charts are drawn.

Targets (issue 9): the largest self-contained report <= 1,5 MB; the run folder <= 80 MB;
text paints before the charts.

    .venv/bin/python benchmarks/bench_sizes.py [--year 2023]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
BIN = Path(PY).parent
RESULTS = ROOT / "benchmarks" / "results" / "sizes.md"
MB = 1_000_000
TARGET_PAGE = 1.5 * MB
TARGET_RUN = 80 * MB


def run_batch(year: int, out: Path, *extra: str) -> tuple[Path, float]:
    t0 = time.perf_counter()
    proc = subprocess.run([PY, "-m", "hbt_analysis.report", "--year", str(year), "--output",
                           str(out), "--keep", "0", *extra], cwd=ROOT, capture_output=True,
                          text=True)
    if proc.returncode != 0:
        sys.exit(f"batch failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return next(p for p in (out / str(year)).glob("2*") if p.is_dir()), time.perf_counter() - t0


def folder_bytes(folder: Path, suffix: str | None = None) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*")
               if p.is_file() and (suffix is None or p.suffix == suffix))


def largest_page(run: Path) -> Path:
    return max(run.glob("*/*.html"), key=lambda p: p.stat().st_size)


def zipped_bytes(folder: Path, work: Path) -> int:
    return Path(shutil.make_archive(str(work / folder.name), "zip", folder)).stat().st_size


def baseline_page(year: int, page: Path, work: Path) -> int:
    """The same report exported as before: papermill, then nbconvert --no-input."""
    stem, scope = page.stem, page.parent.name
    executed = work / f"baseline-{scope}-{stem}.ipynb"
    cmd = [str(BIN / "papermill"), "-k", "hbt-analysis", "--no-progress-bar",
           str(ROOT / "notebooks" / f"{stem}.ipynb"), str(executed), "-p", "year", str(year)]
    if scope != "district":
        cmd += ["-r", "ward", scope]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                    str(executed)], cwd=ROOT, check=True, capture_output=True)
    return executed.with_suffix(".html").stat().st_size


def first_paint(pages: list[Path]) -> dict[str, tuple[float, float]] | None:
    """(first-contentful-paint, charts drawn) in ms for each page, in headless Chromium."""
    chromium = shutil.which("chromium")
    if chromium is None:
        return None
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium,
                                     args=["--no-sandbox", "--disable-gpu"])
        try:
            for page_path in pages:
                page = browser.new_page(viewport={"width": 1366, "height": 768})
                page.goto(page_path.as_uri(), wait_until="load")
                page.wait_for_function("window.hbtChartsDrawnAt !== undefined", timeout=60_000)
                fcp, drawn = page.evaluate(
                    "[performance.getEntriesByName('first-contentful-paint')[0].startTime,"
                    " window.hbtChartsDrawnAt]")
                out[str(page_path)] = (fcp, drawn)
                page.close()
        finally:
            browser.close()
    return out


def fmt_mb(n: float) -> str:
    return f"{n / MB:.2f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--no-write", action="store_true", help="do not write results/sizes.md")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hbt-sizes-"))
    try:
        shared, shared_s = run_batch(args.year, work / "shared")
        alone, alone_s = run_batch(args.year, work / "alone", "--self-contained")
        big_shared, big_alone = largest_page(shared), largest_page(alone)
        m = {
            "reports": len(json.loads((shared / "manifest.json").read_text())["reports"]),
            "run": folder_bytes(shared), "run_html": folder_bytes(shared, ".html"),
            "run_ipynb": folder_bytes(shared, ".ipynb"),
            "run_assets": folder_bytes(shared / "_assets"),
            "run_zip": zipped_bytes(shared, work),
            "alone_run": folder_bytes(alone),
            "largest_shared": big_shared.stat().st_size,
            "largest_alone": big_alone.stat().st_size,
            "largest_name": f"{big_alone.parent.name}/{big_alone.name}",
            "baseline": baseline_page(args.year, big_alone, work),
            "seconds": (shared_s, alone_s),
        }
        paint = first_paint([big_shared, big_alone])
    finally:
        shutil.rmtree(work, ignore_errors=True)

    page_ok = m["largest_alone"] <= TARGET_PAGE
    run_ok = m["run"] <= TARGET_RUN
    lines = [
        f"# Report sizes benchmark ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)", "",
        f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}. Default {args.year} "
        f"plan: {m['reports']} reports (shared run {m['seconds'][0]:.0f} s, self-contained run "
        f"{m['seconds'][1]:.0f} s).", "",
        "| measure | size |", "|---|---:|",
        f"| run folder, shared plotly.js (every file) | {fmt_mb(m['run'])} |",
        f"| ... of which pages (.html) | {fmt_mb(m['run_html'])} |",
        f"| ... of which executed notebooks (.ipynb) | {fmt_mb(m['run_ipynb'])} |",
        f"| ... of which `_assets/` (plotly.js, once) | {fmt_mb(m['run_assets'])} |",
        f"| run folder zipped | {fmt_mb(m['run_zip'])} |",
        f"| run folder, every page self-contained | {fmt_mb(m['alone_run'])} |",
        f"| largest page ({m['largest_name']}), shared plotly.js | "
        f"{fmt_mb(m['largest_shared'])} |",
        f"| largest page, self-contained | {fmt_mb(m['largest_alone'])} |",
        f"| same report, papermill + nbconvert --no-input (baseline) | {fmt_mb(m['baseline'])} |",
        "",
        f"- largest self-contained page: **{fmt_mb(m['largest_alone'])}** (target <= 1,5 MB): "
        f"{'met' if page_ok else 'NOT met'}; baseline / self-contained = "
        f"**{m['baseline'] / m['largest_alone']:.1f}x**",
        f"- run folder: **{fmt_mb(m['run'])}** (target <= 80 MB): {'met' if run_ok else 'NOT met'}",
    ]
    if paint:
        for path, (fcp, drawn) in paint.items():
            kind = "self-contained" if "/alone/" in path else "shared"
            lines.append(f"- first paint ({kind} {m['largest_name']}, 1366x768): text at "
                         f"{fcp:.0f} ms, charts drawn at {drawn:.0f} ms"
                         f" ({'text first' if fcp < drawn else 'NOT text first'})")
    report = "\n".join(lines) + "\n"
    print(report)
    if not args.no_write:
        RESULTS.write_text(report, encoding="utf-8")
    return 0 if page_ok and run_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

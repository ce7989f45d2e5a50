"""Benchmark of runs that reuse: the weekly scheduled run on unchanged data.

Measured in ONE run of this script, into a fresh output folder, each a fresh
`python -m hbt_analysis.report` process, end to end:

1. **full**: the plan with `--force` (every report executed: the baseline);
2. **reuse**: the same plan again, data and notebooks unchanged (every report copied);
3. **one changed**: the same plan after one data year's file gained a byte (a copy of the
   data folder is used): that year is executed again, the other year is reused.

    .venv/bin/python benchmarks/bench_reuse.py [--plan plans/weekly.yaml]

Writes benchmarks/results/reuse.md and prints it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_report import child_cpu  # noqa: E402


def _run(args: list[str]) -> tuple[float, float, str]:
    cpu0, t0 = child_cpu(), time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "hbt_analysis.report", *args], cwd=ROOT,
                          capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t0, child_cpu() - cpu0
    if proc.returncode != 0:
        sys.exit(f"run failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return wall, cpu, proc.stderr


def _reused(output: Path) -> dict[int, tuple[int, int]]:
    """Per year: (reused, total) of the newest run."""
    found = {}
    for year_dir in sorted(p for p in output.iterdir() if p.name.isdigit()):
        latest = (year_dir / "latest.txt").read_text().strip()
        manifest = json.loads((year_dir / latest / "manifest.json").read_text())
        found[int(year_dir.name)] = (manifest["reused"], len(manifest["reports"]))
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plan", default="plans/weekly.yaml")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="hbt-bench-reuse-") as tmp:
        data, output = Path(tmp) / "data", Path(tmp) / "reports"
        shutil.copytree(ROOT / "data", data)
        common = ["--plan", args.plan, "--data-dir", str(data), "--output", str(output)]
        load = [os.getloadavg()]
        full = _run([*common, "--force"])
        full_counts = _reused(output)
        load.append(os.getloadavg())
        again = _run(common)
        again_counts = _reused(output)
        load.append(os.getloadavg())
        changed_year = max(full_counts)
        target = next(p for p in sorted((data / str(changed_year)).iterdir())
                      if p.suffix == ".csv")
        target.write_bytes(target.read_bytes() + b"\n")
        changed = _run(common)
        changed_counts = _reused(output)
        load.append(os.getloadavg())

    def counts(c: dict[int, tuple[int, int]]) -> str:
        return ", ".join(f"{y}: {r}/{n} reused" for y, (r, n) in c.items())

    n_reports = sum(n for _, n in full_counts.values())
    lines = [
        f"# Runs that reuse: benchmark ({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"Machine: {platform.node()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        f"; load average (1 min) before each run and after the last: "
        f"{' / '.join(f'{x[0]:.2f}' for x in load)}. Plan: `{args.plan}` ({n_reports} "
        "reports), default workers. Command: `.venv/bin/python benchmarks/bench_reuse.py`.",
        "",
        "| run | wall s | CPU s (all processes) | reports |",
        "|---|---:|---:|---|",
        f"| full (`--force`, the baseline) | {full[0]:.1f} | {full[1]:.1f} | "
        f"{counts(full_counts)} |",
        f"| same inputs again (the weekly run) | {again[0]:.1f} | {again[1]:.1f} | "
        f"{counts(again_counts)} |",
        f"| one file of {changed_year} changed by a byte | {changed[0]:.1f} | "
        f"{changed[1]:.1f} | {counts(changed_counts)} |",
        "",
        f"- weekly run on unchanged data / full run = **{again[0] / full[0]:.3f}** "
        f"({full[0] / again[0]:.1f}x faster)",
        "- What the unchanged run still does: import the package, load and validate each "
        "year (the data must still be valid), fingerprint the data folder and the package, "
        "read the earlier manifests, link the files, write index and manifest. No kernel "
        "is started.",
    ]
    text = "\n".join(lines) + "\n"
    out = ROOT / "benchmarks" / "results" / "reuse.md"
    out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()

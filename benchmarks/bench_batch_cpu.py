"""CPU seconds of one `hbt report` batch, by process (the main process, the workers, the
kernels), for this checkout or another version of the package (batch_cpu.md).

    .venv/bin/python benchmarks/bench_batch_cpu.py [--source DIR] [--year 2023]

`--source DIR`: a checkout of another commit (`git worktree add --detach DIR COMMIT`), run
with `PYTHONPATH=DIR` from DIR, so two versions can be measured alternately in one session.
Every process of the run is read every 0,2 s (psutil); the whole tree's CPU also comes from
`getrusage(RUSAGE_CHILDREN)`. Prints, writes nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]


def kind(cmdline: str) -> str:
    if "ipykernel" in cmdline:
        return "kernels"
    if "spawn_main" in cmdline:
        return "workers"
    if "hbt_analysis.report" in cmdline:
        return "main"
    return "other"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=ROOT)
    ap.add_argument("--year", type=int, default=2023)
    args = ap.parse_args()
    source = args.source.resolve()
    env = dict(os.environ)
    if source != ROOT:
        env["PYTHONPATH"] = str(source)
    out = Path(tempfile.mkdtemp(prefix="hbt-batch-cpu-"))
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "hbt_analysis.report", "--year",
                             str(args.year), "--output", str(out), "--keep", "0"],
                            cwd=source, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    seen: dict[int, tuple[str, float]] = {}
    while proc.poll() is None:
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            procs = []
        for p in procs:
            try:
                c = p.cpu_times()
                name = " ".join(p.cmdline()) or seen.get(p.pid, ("", 0))[0]
                seen[p.pid] = (name, c.user + c.system)
            except psutil.Error:
                pass
        time.sleep(0.2)
    wall = time.perf_counter() - t0
    err = proc.stderr.read() if proc.stderr else ""
    shutil.rmtree(out, ignore_errors=True)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    by_kind: dict[str, float] = {}
    for name, cpu in seen.values():
        by_kind[kind(name)] = by_kind.get(kind(name), 0.0) + cpu
    total = usage.ru_utime + usage.ru_stime
    print(f"{source}: exit {proc.returncode}, wall {wall:.1f} s, CPU {total:.1f} s "
          f"(load {load:.2f} -> {os.getloadavg()[0]:.2f}); by process: "
          + ", ".join(f"{k} {v:.1f}" for k, v in sorted(by_kind.items())))
    if proc.returncode:
        print(err[-2000:])
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())

"""CPU seconds the batch spends per executed cell on the Jupyter protocol alone (batch_cpu.md).

A notebook of N trivial cells (`x = 1`, `print(1)`, `display(HTML(...))`) runs on one warm
`hbt-analysis` kernel two ways: cell by cell with nbclient (one execute request and reply
per cell, with its busy/idle status, execute_input and output messages: how the batch ran
reports until 2026-11-30) and in one request (`report.execute`: the kernel runs the cells
and returns their outputs in its reply: how the batch runs them now). The kernel's and this
process's CPU seconds, divided by N, are what each cell of a report costs besides its own
code. The default 2023 plan executes ~2.470 cells (19 scopes x 129 code cells incl. the
injected parameters).

    .venv/bin/python benchmarks/bench_cell_overhead.py [--cells 300]

Prints, writes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import time
from typing import Any

import psutil
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from hbt_analysis.report.execute import execute_notebook
from hbt_analysis.report.kernelpool import KERNEL_NAME, WarmKernel

KINDS = {
    "assign": "x = 1",
    "print": "print(1)",
    "display": "from IPython.display import HTML, display\ndisplay(HTML('<b>x</b>'))",
}


class _CellByCell(NotebookClient):
    """nbclient on a kernel it did not start (and must not stop)."""

    @contextlib.asynccontextmanager
    async def async_setup_kernel(self, **kwargs: Any) -> Any:
        yield


def _cpu(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return times.user + times.system


async def _measure(cells: int) -> None:
    kernel = WarmKernel(KERNEL_NAME, dict(os.environ), [])
    await kernel.start()
    try:
        kproc = psutil.Process(kernel.km.provisioner.process.pid)
        me = psutil.Process()
        for name, source in KINDS.items():
            for way in ("cell by cell", "one request"):
                nb = new_notebook(cells=[new_code_cell(source) for _ in range(cells)])
                nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": KERNEL_NAME,
                                             "language": "python"}
                k0, w0, t0 = _cpu(kproc), _cpu(me), time.perf_counter()
                if way == "cell by cell":
                    client = _CellByCell(nb, km=kernel.km, kernel_name=KERNEL_NAME,
                                         timeout=None, allow_errors=False, record_timing=True)
                    client.kc = kernel.kc
                    await client.async_execute()
                else:
                    await execute_notebook(kernel, nb, timeout_s=None, where={})
                print(f"{name:8s} {way:12s} kernel {(_cpu(kproc) - k0) / cells * 1e3:5.2f} "
                      f"ms/cell, client {(_cpu(me) - w0) / cells * 1e3:5.2f} ms/cell, "
                      f"wall {(time.perf_counter() - t0) / cells * 1e3:5.2f} ms/cell "
                      f"(load {os.getloadavg()[0]:.2f})")
    finally:
        await kernel.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=300)
    asyncio.run(_measure(parser.parse_args().cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

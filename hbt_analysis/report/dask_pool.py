"""The batch on a Dask distributed cluster: each Dask worker keeps one warm kernel.

Same contract as `kernelpool.KernelPool.run(tasks, on_event)`: every task gives a Result,
a failing report fails alone. How:

- `WarmKernelPlugin`, a distributed `WorkerPlugin`, starts one `hbt-analysis` kernel per
  Dask worker when the worker joins (on an event loop of its own, in a thread of its own)
  and executes reports on it with `kernelpool.ReportWorker` — the same reset between
  reports, time limit and kernel replacement as the local pool. Reports on one worker run
  one at a time (a lock), whatever its thread count.
- The executed notebook and the HTML come back to the client as text and are written into
  the run folder there, so the workers need no shared output folder. They do need the
  package (same version), and the data folder at the same path ($HBT_DATA_DIR is passed
  on); a notebook missing on a worker is sent with the task.
- A task that raises, or whose worker dies until the scheduler gives up (KilledWorker),
  becomes a failed Result for that report only.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
import os
import shutil
import tempfile
import threading
import traceback
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin

from .kernelpool import (
    KERNEL_NAME,
    START_TIMEOUT_S,
    ReportWorker,
    Result,
    Task,
    WarmKernel,
    write_atomic,
)

PLUGIN_NAME = "hbt-warm-kernel"
#: Environment variables the client passes to the workers' kernels (the rest is the worker's).
PASSED_ENV_PREFIXES = ("HBT_", "OMP_", "OPENBLAS_", "MKL_", "NUMEXPR_", "VECLIB_")


class WarmKernelPlugin(WorkerPlugin):
    """One warm kernel per Dask worker, started when the worker joins, stopped when it leaves."""

    name = PLUGIN_NAME  # registered again by each run: its settings and a fresh kernel

    def __init__(self, kernel_name: str = KERNEL_NAME, env: dict[str, str] | None = None,
                 preload: list[str] | None = None) -> None:
        self.kernel_name = kernel_name
        self.env = dict(env or {})
        self.preload = list(preload or [])

    def setup(self, worker: Any) -> None:
        self.worker_name = worker.name
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True,
                                        name="hbt-kernel-loop")
        self._thread.start()
        self._kernel = WarmKernel(self.kernel_name, {**os.environ, **self.env}, self.preload)
        self._report_worker: ReportWorker | None = None
        self._started: Future = self._submit(self._start())  # warm before the first report

    def _submit(self, coro: Any) -> Future:
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    async def _start(self) -> None:
        await self._kernel.start()
        self._report_worker = ReportWorker(self.worker_name, self._kernel)

    def teardown(self, worker: Any) -> None:
        """Kill the kernel at once (nothing in it to save): the nanny gives a closing worker
        only seconds, and a kernel runs in a session of its own that would outlive it."""
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(2)
        self._kernel.abandon()

    def run(self, task: Task, notebook_text: str | None = None) -> tuple[Result, dict[str, str]]:
        """Execute one report here; the result and the files it wrote (name -> text)."""
        with self._lock:
            self._started.result(timeout=START_TIMEOUT_S)
            work = Path(tempfile.mkdtemp(prefix="hbt-dask-report-"))
            try:
                notebook = task.notebook
                if not Path(notebook).is_file() and notebook_text is not None:
                    notebook = str(work / Path(task.notebook).name)
                    Path(notebook).write_text(notebook_text, encoding="utf-8")
                local = dataclasses.replace(task, notebook=notebook,
                                            ipynb_out=str(work / "report.ipynb"),
                                            html_out=str(work / "report.html"))
                result = self._submit(self._report_worker.run(local)).result()
                files = {kind: (work / f"report.{kind}").read_text(encoding="utf-8")
                         for kind in ("ipynb", "html") if (work / f"report.{kind}").is_file()}
                return result, files
            finally:
                shutil.rmtree(work, ignore_errors=True)


def run_report(task: Task, notebook_text: str | None = None) -> tuple[Result, dict[str, str]]:
    """The Dask task: run one report on this worker's warm kernel."""
    from distributed import get_worker

    plugin = get_worker().plugins.get(PLUGIN_NAME)
    if plugin is None:
        raise RuntimeError(f"worker has no {PLUGIN_NAME} plugin")
    return plugin.run(task, notebook_text)


def _failed(task: Task, exc: BaseException) -> Result:
    from distributed.scheduler import KilledWorker

    kind = "worker_died" if isinstance(exc, KilledWorker) else "internal"
    return Result(
        id=task.id, status="failed", started=dt.datetime.now(dt.UTC).isoformat(),
        duration_s=0.0, worker=None,
        error={"cell_index": None, "cell_number": None, "execution_count": None,
               "ename": type(exc).__name__, "evalue": str(exc)[:2000], "kind": kind,
               "traceback": "".join(traceback.format_exception(exc))[-4000:]},
    )


class DaskPool:
    """Runs tasks on a Dask cluster: an existing one (`scheduler` address) or a local one of
    `n_workers` processes (one thread each: one kernel per process)."""

    def __init__(self, scheduler: str | None = None, n_workers: int | None = None,
                 kernel_name: str = KERNEL_NAME, env: dict[str, str] | None = None,
                 preload: list[str] | None = None) -> None:
        if not scheduler and not n_workers:
            raise ValueError("a scheduler address or a number of local workers")
        self.scheduler = scheduler
        self.n_workers = n_workers
        self.kernel_name = kernel_name
        self.env = {k: v for k, v in (env or {}).items() if k.startswith(PASSED_ENV_PREFIXES)}
        self.preload = list(preload or [])

    def _connect(self) -> tuple[Any, Any]:
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                return Client(self.scheduler, timeout="10s"), None
            except OSError as exc:
                raise RuntimeError(
                    f"Không kết nối được bộ lập lịch Dask {self.scheduler} / cannot reach "
                    f"the Dask scheduler {self.scheduler}: {exc}") from exc
        cluster = LocalCluster(n_workers=self.n_workers, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address="127.0.0.1:0",
                               silence_logs=logging.ERROR)
        return Client(cluster), cluster

    def run(self, tasks: list[Task], on_event: Any = None) -> list[Result]:
        """Every task's Result, in the order given; files written where the tasks say."""
        from distributed import as_completed

        client, cluster = self._connect()
        futures: dict[str, tuple[Any, Task]] = {}
        try:
            client.register_plugin(
                WarmKernelPlugin(self.kernel_name, self.env, self.preload), name=PLUGIN_NAME)
            for task in tasks:
                text = Path(task.notebook).read_text(encoding="utf-8")
                future = client.submit(run_report, task, text, pure=False,
                                       key=f"hbt-report-{task.run_id}-{task.id}")
                futures[future.key] = (future, task)
            results: dict[int, Result] = {}
            for future in as_completed([f for f, _ in futures.values()]):
                task = futures[future.key][1]
                try:
                    result, files = future.result()
                except Exception as exc:  # this report's failure, not the run's
                    result, files = _failed(task, exc), {}
                if "ipynb" in files:
                    write_atomic(task.ipynb_out, files["ipynb"])
                if "html" in files:
                    write_atomic(task.html_out, files["html"])
                results[task.id] = result
                if on_event:
                    on_event("done", task, result)
            return [results[t.id] for t in tasks]
        except BaseException:
            with contextlib.suppress(Exception):
                client.cancel([f for f, _ in futures.values()], force=True)
            raise
        finally:
            with contextlib.suppress(Exception):
                client.close()
            if cluster is not None:
                with contextlib.suppress(Exception):
                    cluster.close()

"""A pool of worker processes, each keeping one warm kernel, executing and exporting reports.

Why: a new kernel per notebook costs ~3 s (start, import pandas/plotly/the package, shut
down) and a `jupyter nbconvert` process ~2 s, against well under a second of analysis.
Each worker here starts one `hbt-analysis` kernel, imports the notebooks' modules once, and
then for each report: parameterises the notebook exactly as papermill does (the
`injected-parameters` cell), executes it on the live kernel in one request (`execute`: the
kernel runs the cells and returns their outputs; no round trip per cell), writes the
executed notebook, exports the HTML in-process with one reused exporter, and resets the
kernel's namespace and library state (`_kernelside.restore`). A kernel that dies, times out
or fails to reset is replaced by a new one, so one bad report never poisons the next.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import multiprocessing as mp
import os
import queue
import shutil
import signal
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

KERNEL_NAME = "hbt-analysis"
RESET_TIMEOUT_S = 60
START_TIMEOUT_S = 120


@dataclass
class Task:
    """Everything a worker needs for one report (picklable; paths as strings)."""

    id: int
    notebook: str
    parameters: dict[str, Any]
    ipynb_out: str
    html_out: str
    title: str | None
    subtitle: str
    ward_code: str | None
    ward_name: str | None
    year: int
    content_hash: str
    run_id: str
    synthetic: bool
    lang: str = "vi"
    timeout_s: float | None = 600.0
    heading: str | None = None  # the page's h1 (the notebook's title); `title` is <title>
    plotly: str = "shared"  # "shared": the run's _assets/ file; "inline": self-contained
    asset_prefix: str = "../_assets/"


@dataclass
class Result:
    """What came of one report: status 'ok' or 'failed', timings and the error if any."""

    id: int
    status: str
    started: str
    duration_s: float
    worker: int
    error: dict[str, Any] | None = None
    html: bool = False
    counts: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def _kernel_code_for_restore(cwd: str) -> str:
    return (
        "import sys as _hbt_sys\n"
        f"_hbt_sys.modules['hbt_analysis.report._kernelside'].restore({cwd!r})\n"
    )


class WarmKernel:
    """One kernel kept alive across reports, with its client; replaced when it misbehaves."""

    def __init__(self, kernel_name: str, env: dict[str, str], preload: list[str],
                 skip_plotly_js: bool = True) -> None:
        self.kernel_name = kernel_name
        self.skip_plotly_js = skip_plotly_js
        self.env = env
        self.preload = preload
        self.km: Any = None
        self.kc: Any = None
        self.starts = 0
        self.language_info: dict[str, Any] = {}  # the notebook metadata nbclient writes

    async def start(self, meanwhile: Any = None) -> None:
        """Start the kernel and import the drivers in it; `meanwhile()` runs during the imports."""
        from jupyter_client.manager import AsyncKernelManager

        # IPC sockets: local only, no TCP ports. Their files go in a private folder: by default
        # jupyter_client names them "kernel-ipc-N" in the working directory, and two kernels
        # started at once pick the same N (cross-talk: "Invalid Signature").
        self._ipc_dir = tempfile.mkdtemp(prefix="hbt-kernel-")
        self.km = AsyncKernelManager(kernel_name=self.kernel_name, transport="ipc",
                                     ip=os.path.join(self._ipc_dir, "k"))
        # No history database: reused kernels would clash on it ("Session/line number was
        # not unique") and reports need no history.
        await self.km.start_kernel(env=self.env,
                                   extra_arguments=["--HistoryManager.enabled=False"])
        self.kc = self.km.client()
        self.kc.start_channels()
        await self.kc.wait_for_ready(timeout=START_TIMEOUT_S)
        self.kc.allow_stdin = False
        self.starts += 1
        info = await self._reply(self.kc.kernel_info(), START_TIMEOUT_S)
        self.language_info = info["content"].get("language_info", {})
        code = (
            "import hbt_analysis.report._kernelside as _k\n"
            "_k.skip_iri_grammars()\n"
            f"_k.preload({self.preload!r})\n"
            + ("_k.skip_plotly_injection()\n" if self.skip_plotly_js else "")
            + "_k.snapshot()\ndel _k\n"
        )
        await self.run_silent(code, START_TIMEOUT_S, meanwhile)

    async def stop(self) -> None:
        """Shut the kernel down at once (nothing to save in it)."""
        self._stop_channels()
        if self.km is not None:
            with contextlib.suppress(Exception):
                await self.km.shutdown_kernel(now=True)
            with contextlib.suppress(Exception):
                await self.km.cleanup_resources()
        self._forget()

    def _stop_channels(self) -> None:
        if self.kc is not None:
            with contextlib.suppress(Exception):
                self.kc.stop_channels()

    def _forget(self) -> None:
        """Remove the private IPC folder and drop the manager and client."""
        if getattr(self, "_ipc_dir", None):
            shutil.rmtree(self._ipc_dir, ignore_errors=True)
            self._ipc_dir = None
        self.km = self.kc = None

    def abandon(self) -> None:
        """Kill the kernel at once and remove its files, without the event loop.

        For a worker that is being stopped mid-report: a polite shutdown would interrupt
        the running cell first (the kernel then prints tracebacks as its channels close),
        and running the loop again would let the abandoned report go on (nbclient turns
        the cancellation into a dead-kernel failure, which would start a new kernel).
        """
        provisioner = getattr(self.km, "provisioner", None)
        process = getattr(provisioner, "process", None)
        if process is not None:
            with contextlib.suppress(OSError):
                pgid = getattr(provisioner, "pgid", None) or os.getpgid(process.pid)
                os.killpg(pgid, signal.SIGKILL)
            with contextlib.suppress(Exception):
                process.wait(5)
        self._stop_channels()
        if self.km is not None:
            with contextlib.suppress(Exception):
                self.km.cleanup_connection_file()
            with contextlib.suppress(Exception):
                self.km.cleanup_ipc_files()
        self._forget()

    async def replace(self) -> None:
        await self.stop()
        await self.start()

    async def _reply(self, msg_id: str, timeout: float, meanwhile: Any = None) -> dict:
        """The shell reply to request `msg_id`; `meanwhile()` runs while the kernel works."""
        if meanwhile is not None:
            meanwhile()
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("kernel did not answer")
            reply = await self.kc.get_shell_msg(timeout=remaining)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    async def run_silent(self, code: str, timeout: float, meanwhile: Any = None) -> None:
        """Run code without history or output; raise if it fails or takes too long."""
        msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        reply = await self._reply(msg_id, timeout, meanwhile)
        content = reply["content"]
        if content["status"] != "ok":
            raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")

    async def alive(self) -> bool:
        return self.km is not None and await self.km.is_alive()

    async def kill(self) -> None:
        """Kill the kernel now (it may be stuck in C code that ignores interrupts)."""
        if self.km is not None:
            with contextlib.suppress(Exception):
                await self.km.signal_kernel(signal.SIGKILL)

    async def drain_iopub(self) -> None:
        """Drop the IOPub messages waiting (status messages of earlier requests): the
        report runner's outputs come back in its reply, not on IOPub."""
        with contextlib.suppress(queue.Empty):
            while True:
                await self.kc.get_iopub_msg(timeout=0)

    def progress_file(self) -> str:
        """Where the kernel writes the index of the cell it runs (its private folder)."""
        return os.path.join(self._ipc_dir, "running-cell")


def _error_from_exception(exc: BaseException, cell_index: int | None,
                          nb: nbformat.NotebookNode | None) -> dict[str, Any]:
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    cell_number = None if cell_index is None else cell_index + 1
    execution_count = None
    if nb is not None and cell_index is not None and cell_index < len(nb.cells):
        execution_count = nb.cells[cell_index].get("execution_count")
    base = {"cell_index": cell_index, "cell_number": cell_number,
            "execution_count": execution_count}
    if isinstance(exc, CellExecutionError):
        return {**base, "ename": exc.ename, "evalue": exc.evalue,
                "kind": "exception", "traceback": str(exc)[-4000:]}
    if isinstance(exc, (TimeoutError, asyncio.TimeoutError, CellTimeoutError)):
        return {**base, "ename": "Timeout", "evalue": str(exc), "kind": "timeout"}
    if isinstance(exc, DeadKernelError):
        return {**base, "ename": "DeadKernelError", "evalue": "kernel died / kernel bị dừng",
                "kind": "kernel_died"}
    return {**base, "ename": type(exc).__name__, "evalue": str(exc), "kind": "internal",
            "traceback": traceback.format_exc()[-4000:]}


class ReportWorker:
    """Executes and exports reports on one warm kernel (lives in a worker process)."""

    def __init__(self, worker_id: int, kernel: WarmKernel) -> None:
        from .export import ReportExporter

        self.worker_id = worker_id
        self.kernel = kernel
        self.exporter = ReportExporter()

    async def run(self, task: Task) -> Result:
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        from .execute import execute_notebook
        from .export import footer_lines, report_title, strip_plotly_bundles

        started = dt.datetime.now(dt.UTC)
        t0 = time.perf_counter()
        current: dict[str, int | None] = {"cell": None}
        nb = None
        error = None
        needs_new_kernel = False
        timings: dict[str, float] = {}
        try:
            if not await self.kernel.alive():
                await self.kernel.replace()
            nb_dir = str(Path(task.notebook).resolve().parent)
            await self.kernel.run_silent(_kernel_code_for_restore(nb_dir), RESET_TIMEOUT_S)
            timings["reset_s"] = time.perf_counter() - t0
            source = load_notebook_node(task.notebook)  # as papermill reads it (tags added)
            nb = parameterize_notebook(
                source, dict(task.parameters), kernel_name=self.kernel.kernel_name,
                language="python",
            )
            # one request: the kernel runs the cells itself (execute.py); on the time limit
            # the kernel is killed (it may be stuck in C code) and then replaced
            await execute_notebook(self.kernel, nb, timeout_s=task.timeout_s, where=current)
        except Exception as exc:  # any failure of one report is that report's, not the run's
            error = _error_from_exception(exc, current["cell"], nb)
            needs_new_kernel = error["kind"] in {"kernel_died", "internal", "timeout"}
        duration = time.perf_counter() - t0
        timings["execute_s"] = duration - timings.get("reset_s", 0.0)

        html_written = False
        counts: dict[str, Any] = {}
        if nb is not None:
            # The executed notebook is kept without the ~5 MB plotly.js copy the renderer put
            # in its outputs (the HTML carries its own copy): 76 reports would be 380 MB more.
            t1 = time.perf_counter()
            nb, removed, _has_chart = strip_plotly_bundles(nb)
            nb.metadata.setdefault("hbt", {})["run"] = {
                "run_id": task.run_id, "started": started.isoformat(),
                "duration_s": round(duration, 3), "status": "failed" if error else "ok",
                "plotly_js_removed_from_outputs": removed,
            }
            write_atomic(task.ipynb_out, nbformat.writes(nb))
            timings["save_ipynb_s"] = time.perf_counter() - t1
        if error is None and nb is not None:
            t2 = time.perf_counter()
            try:
                body, counts = self.exporter.export(
                    nb,
                    title=task.title or report_title(
                        nb, Path(task.notebook).stem, task.ward_code, task.ward_name,
                        task.year, task.lang),
                    heading=task.heading, subtitle=task.subtitle,
                    footer=footer_lines(started, task.content_hash, task.run_id, task.lang),
                    synthetic=task.synthetic, lang=task.lang, plotly=task.plotly,
                    asset_prefix=task.asset_prefix,
                )
                write_atomic(task.html_out, body)
                html_written = True
                timings["export_s"] = time.perf_counter() - t2
            except Exception as exc:
                error = _error_from_exception(exc, None, None)
                error["kind"] = "export"
        if needs_new_kernel:
            with contextlib.suppress(Exception):
                await self.kernel.replace()
        return Result(
            id=task.id, status="failed" if error else "ok", started=started.isoformat(),
            duration_s=round(duration, 3), worker=self.worker_id, error=error,
            html=html_written, counts=counts,
            timings={k: round(v, 3) for k, v in timings.items()},
        )


def write_atomic(path: str, text: str) -> None:
    """Write `text` whole or not at all: a reader (or a crash) never sees half a report."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)


def _raise_keyboard_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _worker_main(worker_id: int, tasks: Any, results: Any, kernel_name: str,
                 env: dict[str, str], preload: list[str]) -> None:
    """Body of a worker process: start a kernel, then run tasks until told to stop (None)."""
    # The batch terminates its workers when it is stopped (Ctrl-C, `systemctl stop`): turn
    # SIGTERM into KeyboardInterrupt, like Ctrl-C, so that the worker kills its kernel
    # before it exits. A kernel runs in a session of its own and would outlive it.
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    kernel = WarmKernel(kernel_name, env, preload)
    interrupted = False
    try:
        made: list[ReportWorker] = []  # built and warmed while the kernel imports the drivers

        def prepare() -> None:
            made.append(ReportWorker(worker_id, kernel))
            with contextlib.suppress(Exception):
                made[0].exporter.warm()

        try:
            loop.run_until_complete(kernel.start(prepare))
        except Exception as exc:
            results.put(("dead", worker_id, f"{type(exc).__name__}: {exc}"))
            return
        worker = made[0] if made else ReportWorker(worker_id, kernel)
        results.put(("ready", worker_id, None))
        parent = os.getppid()
        while True:
            try:
                task = tasks.get(timeout=2)
            except queue.Empty:
                if os.getppid() != parent:  # the batch process died (kill -9): do not linger
                    break
                continue
            if task is None:
                break
            results.put(("started", worker_id, task.id))
            result = loop.run_until_complete(worker.run(task))
            results.put(("done", worker_id, result))
    except KeyboardInterrupt:  # Ctrl-C, or the batch terminating us
        interrupted = True
    finally:
        _ignore_stop_signals()  # a second signal must not cut the clean-up short
        if interrupted:
            # maybe mid-report: kill the kernel and remove its files without running the
            # loop again; the abandoned report's pending tasks are dropped with the loop
            kernel.abandon()
            loop.set_exception_handler(lambda loop, context: None)
        else:
            loop.run_until_complete(kernel.stop())
        loop.close()


def _ignore_stop_signals() -> dict[int, Any]:
    """Ignore SIGTERM and SIGINT; return the handlers they had (main thread only)."""
    previous = {}
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(ValueError):  # not the main thread
            previous[sig] = signal.signal(sig, signal.SIG_IGN)
    return previous


class KernelPool:
    """N worker processes (spawned, so no state is inherited) fed one task at a time."""

    def __init__(self, workers: int, kernel_name: str = KERNEL_NAME,
                 env: dict[str, str] | None = None, preload: list[str] | None = None) -> None:
        self.size = max(1, int(workers))
        self.kernel_name = kernel_name
        self.env = dict(os.environ if env is None else env)
        self.preload = list(preload or [])
        self._ctx = mp.get_context("spawn")
        self._results = self._ctx.Queue()
        self._procs: dict[int, Any] = {}
        self._queues: dict[int, Any] = {}
        self._next_id = 0
        self._deaths = 0
        self._retired: set[int] = set()

    def _spawn(self) -> int:
        wid = self._next_id
        self._next_id += 1
        q = self._ctx.Queue()
        proc = self._ctx.Process(
            target=_worker_main, name=f"hbt-report-worker-{wid}",
            args=(wid, q, self._results, self.kernel_name, self.env, self.preload),
            daemon=False,
        )
        proc.start()
        self._procs[wid] = proc
        self._queues[wid] = q
        return wid

    def start(self, n_tasks: int | None = None) -> None:
        """Spawn the workers now (each starts its kernel): the caller can work meanwhile.
        `run` starts them itself if this was not called."""
        wanted = self.size if n_tasks is None else min(self.size, n_tasks)
        for _ in range(wanted - len(self._procs)):
            self._spawn()

    def run(self, tasks: list[Task], on_event: Any = None) -> list[Result]:
        """Run every task; `on_event(kind, task, result)` is called for 'started' and 'done'."""
        pending = list(reversed(tasks))
        by_id = {t.id: t for t in tasks}
        results: dict[int, Result] = {}
        busy: dict[int, int] = {}  # worker id -> task id
        if not self._procs:
            self.start(len(tasks))
        idle: list[int] = []
        failed_starts = 0
        try:
            while len(results) < len(tasks):
                while idle and pending:
                    wid = idle.pop()
                    task = pending.pop()
                    busy[wid] = task.id
                    self._queues[wid].put(task)
                try:
                    kind, wid, payload = self._results.get(timeout=0.5)
                except queue.Empty:
                    self._check_workers(busy, idle, pending, by_id, results, on_event)
                    continue
                if kind == "ready":
                    idle.append(wid)
                elif kind == "started" and on_event:
                    on_event("started", by_id[payload], None)
                elif kind == "done":
                    busy.pop(wid, None)
                    results[payload.id] = payload
                    if on_event:
                        on_event("done", by_id[payload.id], payload)
                    if pending:
                        idle.append(wid)
                    else:
                        self._retired.add(wid)
                        self._queues[wid].put(None)
                elif kind == "dead":
                    failed_starts += 1
                    proc = self._procs.pop(wid, None)
                    if proc is not None:
                        proc.join(5)
                    if failed_starts >= 3 * self.size:
                        raise RuntimeError(
                            f"Không khởi động được kernel '{self.kernel_name}' / "
                            f"cannot start the kernel: {payload}"
                        )
                    self._spawn()
        except BaseException:  # interrupted or broken: stop the workers now, not politely
            previous = _ignore_stop_signals()  # a second signal must not stop it half-way
            try:
                self.close(grace_s=0.5)
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)
            raise
        self.close()
        return [results[t.id] for t in tasks]

    def _check_workers(self, busy: dict[int, int], idle: list[int], pending: list[Task],
                       by_id: dict[int, Task], results: dict[int, Result],
                       on_event: Any) -> None:
        """A worker process that vanished fails its current report and is replaced."""
        for wid, proc in list(self._procs.items()):
            if proc.is_alive():
                continue
            self._procs.pop(wid)
            if wid in self._retired:  # told to stop: nothing left for it
                continue
            if wid in idle:
                idle.remove(wid)
            task_id = busy.pop(wid, None)
            if task_id is not None and task_id not in results:
                result = Result(
                    id=task_id, status="failed", started=dt.datetime.now(dt.UTC).isoformat(),
                    duration_s=0.0, worker=wid,
                    error={"cell_index": None, "cell_number": None, "execution_count": None,
                           "ename": "WorkerDied", "kind": "worker_died",
                           "evalue": f"tiến trình worker dừng (mã {proc.exitcode}) / "
                                     f"worker process exited ({proc.exitcode})"},
                )
                results[task_id] = result
                if on_event:
                    on_event("done", by_id[task_id], result)
            self._deaths += 1
            if self._deaths > 3 * self.size + len(by_id):
                raise RuntimeError(
                    "Các tiến trình worker liên tục bị dừng / worker processes keep dying "
                    f"(exit code {proc.exitcode})"
                )
            if (pending or not self._procs) and len(results) < len(by_id):
                self._spawn()

    def close(self, grace_s: float = 15.0) -> None:
        """Stop every worker: ask politely, then terminate the stragglers (each then shuts
        its kernel down), then kill what is still there."""
        for q in self._queues.values():
            with contextlib.suppress(Exception):
                q.put(None)
                q.close()
                q.cancel_join_thread()
        deadline = time.monotonic() + grace_s
        for proc in self._procs.values():
            proc.join(max(0.1, deadline - time.monotonic()))
        for proc in self._procs.values():
            if proc.is_alive():
                proc.terminate()
        for proc in self._procs.values():
            proc.join(10)
            if proc.is_alive():
                proc.kill()
                proc.join(5)
        self._procs.clear()
        self._queues.clear()

"""Run a plan: the pool executes, this module writes runs, index, manifest and moves `latest`."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
from filelock import FileLock, Timeout

from . import output as out
from . import reuse
from .assets import ASSETS_DIR, write_bundle
from .export import PAGE_TEXT, notebook_title, scope_label
from .kernelpool import KERNEL_NAME, KernelPool, Result, Task
from .meanwhile import SideWork, review_rows, scope_figures
from .plan import Report, YearInfo, notebook_imports

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_LOCKED = 3
EXIT_INTERRUPTED = 130

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
DEFAULT_PRELOAD = ["pandas", "plotly.graph_objects", "plotly.io", "hbt_analysis"]


class LockHeld(RuntimeError):
    """Another run holds the lock this run needs (exit code 3)."""


@dataclass
class RunOutcome:
    """What a run produced, per year: its folder and whether `latest` moved."""

    run_id: str
    exit_code: int
    run_dirs: dict[int, Path] = field(default_factory=dict)
    latest_moved: dict[int, bool] = field(default_factory=dict)
    results: list[dict[str, Any]] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    reused: int = 0


class Progress:
    """A tqdm bar on a terminal; one plain line per finished report otherwise (cron, logs)."""

    def __init__(self, total: int, stream: Any = None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.done = 0
        self.failed = 0
        self.bar = None
        if hasattr(self.stream, "isatty") and self.stream.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, file=self.stream, unit="báo cáo", dynamic_ncols=True)

    def event(self, kind: str, task: Task, result: Result | None) -> None:
        label = f"{task.year} · {task.ward_code or 'district'} · {Path(task.notebook).stem}"
        if kind == "started":
            if self.bar is not None:
                self.bar.set_postfix_str(label, refresh=True)
            return
        self.done += 1
        ok = result is not None and result.status == "ok"
        self.failed += not ok
        if self.bar is not None:
            self.bar.update(1)
            self.bar.set_description(f"lỗi {self.failed}" if self.failed else "OK")
            if not ok:
                self.bar.write(f"LỖI / FAILED {label}: {out.error_text(result.error)}")
        else:
            status = "OK " if ok else "LỖI"
            width = len(str(self.total))
            line = (f"[{self.done:>{width}}/{self.total}] {status} "
                    f"{result.duration_s:6.1f} s  {label}")
            if not ok:
                line += f"  — {out.error_text(result.error)}"
            print(line, file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _write_review_list(run_dir: Path, year: int, reports: list[dict[str, Any]],
                       data_dir: Path | None, side: SideWork | None = None) -> Path | str:
    """The review list of the opinions the year's reports show (privacy.review), or why not.
    The rows `side` computed while the reports ran are used; the others (reports copied
    from an earlier run) are computed here."""
    import pandas as pd

    from hbt_analysis.privacy.review import COLUMNS, write_for_run, write_review

    shown = [(r["key"], r["ward_code"], run_dir / r["ipynb"]) for r in reports
             if r["status"] == "ok"]
    try:
        if side is None:
            return write_for_run(run_dir, year, shown, data_dir)[-1]
        done = side.review_rows(year)
        rows: list[dict] = []
        for key, ward, notebook in shown:
            rows += done[key] if key in done else review_rows(
                key, ward, notebook, side.opinions(year))
        return write_review(pd.DataFrame(rows, columns=list(COLUMNS)), run_dir)[-1]
    except Exception as exc:  # the reports stand; say the list is missing, loudly
        return (f"KHÔNG ghi được danh sách rà soát dữ liệu cá nhân năm {year} / the "
                f"personal-data review list was not written: {exc}")


def _row(task: Task, result: Result, area: Any = None, lang: str = "vi") -> out.ReportRow:
    """The manifest's row of one report (`area`: the year's registry.Area, for its scope's
    name)."""
    scope_dir = Path(task.ipynb_out).parent.name
    stem = Path(task.notebook).stem
    return out.ReportRow(
        key=f"{scope_dir}/{stem}", notebook=Path(task.notebook).name, title=task.title or stem,
        year=task.year, ward_code=task.ward_code, ward_name=task.ward_name,
        parameters=task.parameters, status=result.status, started=result.started,
        duration_s=result.duration_s, worker=result.worker,
        html=f"{scope_dir}/{stem}.html" if result.html else None,
        ipynb=f"{scope_dir}/{stem}.ipynb", error=out.ReportError.from_dict(result.error),
        plotly_js=result.counts.get("plotly_js"), bundle=result.counts.get("bundle"),
        timings=result.timings,
        scope=scope_label(task.ward_code, task.ward_name, lang, area),
    )


def _figures(year: int, rows: list[out.ReportRow], data_dir: Path | None,
             lang: str) -> dict[str | None, list[Any]]:
    """Each scope's headline figures for the landing page (brief.cards); none if they
    cannot be computed (the page then lists the reports only)."""
    return scope_figures(year, [r.ward_code for r in rows], data_dir, lang)


def _print_pdfs(run_dir: Path, rows: list[out.ReportRow], workers: int) -> list[str]:
    """A PDF beside each page; the messages of those that failed."""
    from .pdf import print_pdfs

    pages = [run_dir / r.html for r in rows if r.html and not r.pdf]  # reused: copied
    done, problems = print_pdfs(pages, workers=workers)
    for r in rows:
        if r.html and (run_dir / r.html).with_suffix(".pdf") in done:
            r.pdf = str(Path(r.html).with_suffix(".pdf"))
    return problems


def _write_documents(run_dir: Path, year: int, rows: list[out.ReportRow], info: YearInfo,
                     data_dir: Path | None, lang: str, verbatim: bool
                     ) -> tuple[list[dict[str, Any]], list[str]]:
    """The Word report of each scope of the run (docx_report), and what failed."""
    from hbt_analysis.docx_report import write_report

    documents, problems = [], []
    for code in dict.fromkeys(r.ward_code for r in rows):
        scope_dir = "district" if code is None else code
        try:
            path = write_report(year, code, run_dir / scope_dir, data_dir=data_dir,
                                verbatim=verbatim)
        except Exception as exc:
            problems.append(f"KHÔNG ghi được báo cáo Word / Word report not written "
                            f"({scope_dir}): {exc}")
            continue
        documents.append({"ward_code": code, "path": str(path.relative_to(run_dir)),
                          "kind": "docx"})
    return documents, problems


def _titles(reports: list[Report], lang: str) -> dict[Path, nbformat.NotebookNode]:
    return {r.notebook: nbformat.read(str(r.notebook), as_version=4) for r in reports}


def run_batch(
    reports: list[Report],
    infos: Mapping[int, YearInfo],
    output: Path,
    *,
    workers: int | None = None,
    timeout_s: float | None = 600.0,
    keep: int | None = 10,
    lang: str = "vi",
    common_parameters: Mapping[str, Any] | None = None,
    data_dir: Path | None = None,
    kernel_name: str = KERNEL_NAME,
    exclusive: bool = False,
    lock_timeout_s: float = 120.0,
    progress_stream: Any = None,
    run_id: str | None = None,
    self_contained: bool = False,
    pdf: bool = False,
    docx: bool = False,
    verbatim: bool = True,
    force: bool = False,
    scheduler: str | None = None,
    dask_workers: int | None = None,
) -> RunOutcome:
    """Execute every report, write one run folder per year, move `latest` if all succeeded.

    `self_contained`: each page carries plotly.js (a file to forward alone) instead of the
    run's shared `_assets/` copy; `pdf`: a PDF beside each page (headless Chromium);
    `docx`: the official Word report for each scope (`verbatim=False`: without quotes).
    A report whose inputs match a successful report of an earlier run is copied from it
    (`reuse`) unless `force`. `scheduler` (a Dask scheduler's address) or `dask_workers`
    (a local Dask cluster of that many processes) run the reports on Dask (`dask_pool`).
    """
    output = Path(output).resolve()
    run_id = run_id or out.new_run_id()
    workers = max(1, min(workers or os.cpu_count() or 1, len(reports) or 1))
    years = sorted({r.year for r in reports})
    started = dt.datetime.now(dt.UTC)
    t0 = time.perf_counter()
    outcome = RunOutcome(run_id=run_id, exit_code=EXIT_OK)

    run_locks: list[FileLock] = []
    tmp_dirs: dict[int, Path] = {}
    try:
        if exclusive:  # scheduled runs: never two at once for a year; the second one exits 3
            for year in years:
                (output / str(year)).mkdir(parents=True, exist_ok=True)
                lock = FileLock(str(output / str(year) / out.RUN_LOCK))
                try:
                    lock.acquire(timeout=0)
                except Timeout as exc:
                    raise LockHeld(
                        f"Một lượt chạy khác đang chạy cho năm {year} / another run holds "
                        f"{output / str(year) / out.RUN_LOCK}"
                    ) from exc
                run_locks.append(lock)
        for year in years:
            tmp_dirs[year] = out.make_temp_run_dir(output / str(year), run_id)

        notebooks = _titles(reports, lang)
        tasks = []
        for i, r in enumerate(reports):
            info = infos[r.year]
            run_dir = tmp_dirs[r.year]
            heading = notebook_title(notebooks[r.notebook], r.stem, lang)
            where = scope_label(r.ward_code, r.ward_name, lang, info.area)
            subtitle = PAGE_TEXT.get(lang, PAGE_TEXT["vi"])["subtitle"].format(year=r.year)
            tasks.append(Task(
                id=i, notebook=str(r.notebook), parameters=dict(r.parameters),
                ipynb_out=str(run_dir / r.scope_dir / f"{r.stem}.ipynb"),
                html_out=str(run_dir / r.scope_dir / f"{r.stem}.html"),
                title=f"{heading} — {where} — {r.year}", heading=heading,
                subtitle=f"{where} · {subtitle}",
                ward_code=r.ward_code, ward_name=r.ward_name, year=r.year,
                content_hash=info.content_hash, run_id=run_id, synthetic=info.synthetic,
                lang=lang, timeout_s=timeout_s,
                plotly="inline" if self_contained else "shared",
                asset_prefix=f"../{ASSETS_DIR}/",
            ))

        keys, reusable = reuse.plan(tasks, output, data_dir=data_dir, kernel=kernel_name,
                                    force=force)
        outcome.reused = len(reusable)
        to_run = [t for t in tasks if t.id not in reusable]
        preload = list(DEFAULT_PRELOAD)
        for nb_path in notebooks:
            preload += notebook_imports(nb_path)
        env = dict(os.environ)
        # One kernel per core: numeric libraries must not each start a thread per core
        # (OpenBLAS threads spin while waiting; N kernels x N threads thrash the machine).
        threads = str(max(1, (os.cpu_count() or 1) // workers))
        for var in THREAD_VARS:
            env.setdefault(var, threads)
        if data_dir is not None:
            env["HBT_DATA_DIR"] = str(Path(data_dir).resolve())
        progress = Progress(len(to_run), progress_stream)
        preload = list(dict.fromkeys(preload))
        if not to_run:
            pool = None
        elif scheduler or dask_workers:
            from .dask_pool import DaskPool

            pool = DaskPool(scheduler=scheduler, n_workers=dask_workers,
                            kernel_name=kernel_name, env=env, preload=preload)
        else:
            pool = KernelPool(workers, kernel_name=kernel_name, env=env, preload=preload)
        if isinstance(pool, KernelPool):
            pool.start(len(to_run))  # the kernels start while this process works below
        try:
            # each year's heavy step once, here, while the kernels start: every kernel then
            # reads it from disk instead of two computing it at once (a year already on disk
            # for these files and this code is skipped). Local kernels share this machine's
            # disk cache; a Dask cluster's may not.
            if isinstance(pool, KernelPool):
                from hbt_analysis.opinions import precompute_years

                precompute_years(sorted({t.year for t in to_run}), data_dir,
                                 progress_stream or sys.stderr)
            # the landing page's figures and the review list's rows, computed while the
            # kernels work (the years with reports to run; whole reused years copy theirs)
            side = SideWork({y: [t.ward_code for t in tasks if t.year == y]
                             for y in years if any(t.year == y for t in to_run)},
                            data_dir, lang) if to_run else None
        except BaseException:  # interrupted before the reports: stop the started kernels
            if isinstance(pool, KernelPool):
                pool.close(grace_s=0.5)
            raise

        def on_event(kind: str, task: Task, result: Result | None) -> None:
            progress.event(kind, task, result)
            if side is not None and kind == "done":
                side.report_done(task, result)

        try:
            ran = pool.run(to_run, on_event=on_event) if pool is not None else []
        finally:
            progress.close()
            if side is not None:
                side.finish()
        by_id = {r.id: r for r in ran}

        any_failed = False
        for year in years:
            manifest = out.base_manifest(run_id, year, started, infos[year],
                                         dict(common_parameters or {}), workers, kernel_name)
            tmp = tmp_dirs[year]
            rows = []
            for task in (t for t in tasks if t.year == year):
                if task.id in reusable:
                    rows.append(out.ReportRow.from_dict(
                        reuse.copy_report(reusable[task.id], tmp)))
                    continue
                rows.append(_row(task, by_id[task.id], infos[year].area, lang))
                if rows[-1].ok:
                    rows[-1].input_key = keys[task.id]
            for bundle in sorted({r.bundle for r in rows if r.bundle and not self_contained}):
                write_bundle(tmp, bundle)
            if pdf:
                outcome.messages += _print_pdfs(tmp, rows, workers)
            if docx:
                manifest["documents"], problems = _write_documents(
                    tmp, year, rows, infos[year], data_dir, lang, verbatim)
                outcome.messages += problems
            finished = dt.datetime.now(dt.UTC)
            manifest["finished"] = finished.isoformat()
            manifest["elapsed_s"] = round(time.perf_counter() - t0, 3)
            manifest["reports"] = [r.to_dict() for r in rows]
            manifest["reused"] = sum(r.reused_from is not None for r in rows)
            manifest["force"] = force
            failed = [r for r in rows if not r.ok]
            manifest["status"] = "failed" if failed else "ok"
            # every report copied from one earlier run of the same reports: its review list
            # and landing figures stand too (same data, same opinions shown)
            whole = reuse.whole_run(reusable, [t.id for t in tasks if t.year == year])
            review = whole.copy_review_list(tmp) if whole else None
            if review is None:
                review = _write_review_list(tmp, year, manifest["reports"], data_dir, side)
            if isinstance(review, Path):
                manifest["review_list"] = [p.name for p in review.parent.glob(
                    review.stem + ".*")]
            any_failed = any_failed or bool(failed)
            figures = ((whole.figures() if whole else None)
                       or (side.figures(year) if side is not None else None)
                       or _figures(year, rows, data_dir, lang))
            manifest["figures"] = reuse.figures_for_manifest(figures)
            out.write_index(tmp, manifest, lang, figures)
            out.write_manifest(tmp, manifest)
            outcome.run_dirs[year] = out.publish_run_dir(tmp_dirs.pop(year), run_id)
            outcome.results += manifest["reports"]
            outcome.messages.append(
                f"danh sách rà soát dữ liệu cá nhân / personal-data review list: "
                f"{outcome.run_dirs[year] / review.name}" if isinstance(review, Path) else review)

            year_dir = output / str(year)
            lock = FileLock(str(year_dir / out.POINTER_LOCK))
            try:
                with lock.acquire(timeout=lock_timeout_s):
                    moved = not failed
                    if moved:
                        out.point_latest(year_dir, run_id)
                    outcome.latest_moved[year] = moved
                    out.prune_runs(year_dir, keep)
            except Timeout:
                outcome.latest_moved[year] = False
                outcome.messages.append(
                    f"Khoá {year_dir / out.POINTER_LOCK} bị giữ quá {lock_timeout_s:g} giây: "
                    "'latest' không được cập nhật / lock held, 'latest' not moved"
                )
                outcome.exit_code = EXIT_LOCKED
        if any_failed:  # failed reports matter more than a pointer left unmoved
            outcome.exit_code = EXIT_FAILED
        return outcome
    finally:
        for tmp in tmp_dirs.values():  # interrupted or crashed before publishing: leave nothing
            shutil.rmtree(tmp, ignore_errors=True)
        for lock in run_locks:
            with contextlib.suppress(Exception):
                lock.release()

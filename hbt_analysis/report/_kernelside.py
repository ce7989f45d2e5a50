"""Runs INSIDE a reused kernel: remember the fresh state once, put it back between reports.

A reused kernel keeps its imported modules (that is the point: importing the drivers is most
of a notebook's start-up cost) but each report must start as if in a new kernel. `restore()`
clears the user namespace (`%reset -f`) and the global state a notebook may change through
libraries: plotly's default template and renderer (re-armed, so plotly.js is injected again
by the next figure), pandas options, matplotlib figures and rcParams, warning filters,
environment variables, `sys.path`, the working directory and the execution counter.
"""

from __future__ import annotations

import copy
import gc
import os
import sys
import warnings
from typing import Any

_fresh: dict[str, Any] = {}


def preload(modules: list[str]) -> list[str]:
    """Import the notebooks' modules once; return those that failed (reported, not fatal)."""
    import importlib

    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:
            failed.append(name)
    return failed


def skip_iri_grammars() -> None:
    """Let jsonschema skip `rfc3987_syntax` in this kernel, as the batch's own processes do.

    plotly's renderers import nbformat, hence jsonschema, whose format checkers compile
    `rfc3987_syntax`'s ~40 grammars at import when it is installed (nbformat's
    jsonschema[format-nongpl] extra; jsonschema issue 1428): ~1 s of CPU in each kernel,
    for the "iri" formats no report checks. Absent, jsonschema leaves those two formats
    unchecked. Called before anything imports jsonschema (a no-op after).
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def skip_plotly_injection() -> None:
    """Stop plotly's `notebook` renderer from sending its ~5 MB plotly.js into every notebook.

    The report exporter embeds one copy of plotly.js in each HTML page itself (and drops
    any copy found in the outputs), so the kernel's copy would only be serialised, sent,
    parsed and thrown away, once per report. Figures still render as HTML divs that call
    the page's `Plotly`.
    """
    from plotly.io import _base_renderers

    def activate(self) -> None:  # the renderer's global init, minus the bundle
        return None

    _base_renderers.NotebookRenderer.activate = activate


def snapshot() -> None:
    """Record the state of a freshly started kernel (after preloading the drivers)."""
    _fresh.clear()
    _fresh["environ"] = dict(os.environ)
    _fresh["path"] = list(sys.path)
    _fresh["cwd"] = os.getcwd()
    _fresh["warnings"] = list(warnings.filters)
    pio = sys.modules.get("plotly.io")
    if pio is not None:
        _fresh["plotly"] = (pio.templates.default, pio.renderers.default)
    mpl = sys.modules.get("matplotlib")
    if mpl is not None:
        _fresh["rc"] = copy.deepcopy(dict(mpl.rcParams))
    if "pandas" in sys.modules:
        _fresh["pandas"] = _pandas_options()


def _pandas_options() -> dict[str, Any]:
    from pandas._config import config

    values = {}
    for key in list(config._registered_options):
        try:
            values[key] = config.get_option(key)
        except Exception:  # an option whose getter needs something not installed
            continue
    return values


def restore(cwd: str | None = None) -> None:
    """Make the kernel look new again for the next report."""
    ip = get_ipython()  # type: ignore[name-defined]  # noqa: F821
    # `%reset -f` runs two full gc.collect() passes (~0.3 s each with pandas and plotly
    # loaded); the collector runs on its own anyway, so skip them here.
    collect = gc.collect
    gc.collect = lambda *args, **kwargs: 0
    try:
        ip.run_line_magic("reset", "-f")
    finally:
        gc.collect = collect
    ip.execution_count = 1
    os.environ.clear()
    os.environ.update(_fresh.get("environ", {}))
    sys.path[:] = _fresh.get("path", sys.path)
    warnings.filters[:] = _fresh.get("warnings", warnings.filters)
    os.chdir(cwd or _fresh.get("cwd", os.getcwd()))
    pio = sys.modules.get("plotly.io")
    if pio is not None:
        template, renderer = _fresh.get("plotly", ("plotly", "plotly_mimetype+notebook"))
        if pio.templates.default != template:  # validating a template costs ~0.1 s
            pio.templates.default = template
        pio.renderers.default = renderer  # re-arms renderer activation (plotly.js injection)
    if "pandas" in sys.modules and "pandas" in _fresh:
        from pandas._config import config

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for key, value in _pandas_options().items():
                fresh = _fresh["pandas"].get(key, value)
                if value is not fresh and value != fresh:
                    config.set_option(key, fresh)
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    mpl = sys.modules.get("matplotlib")
    if mpl is not None and "rc" in _fresh:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mpl.rcParams.update(_fresh["rc"])


# --- one request per report ------------------------------------------------------------------
# nbclient sends each cell as its own execute_request: a round trip with ~5 messages (request,
# busy, execute_input, outputs, reply, idle) through both processes, ~3-4 ms of CPU per cell,
# about 10 s over a district batch of ~2.500 cells. Instead the host sends one request per
# report, `run_cells(...)`: this kernel executes the cells itself, one `run_cell` each, as
# ipykernel's execute handler does, and the messages ipykernel publishes for them (streams,
# display data, execute results, errors, clear_output) are taken before they are sent and
# returned together in the request's reply (an IPython payload). The host turns them into
# the cells' outputs exactly as nbclient turns the same messages into outputs.

OUTPUT_MSG_TYPES = frozenset({"stream", "display_data", "execute_result", "error",
                              "clear_output", "update_display_data"})
PAYLOAD_SOURCE = "hbt_analysis.report.cells"


def _utc_now() -> str:
    """A timestamp written as nbclient writes a message's date ('...T20:01:16.595562Z')."""
    import datetime as dt

    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class _Taker:
    """Stands in for the kernel session's `send` while a report runs: output messages of the
    current request go into the running cell's list, everything else is sent as usual.
    Called from the shell thread and from ipykernel's IO thread (streams)."""

    def __init__(self, send: Any, msg_id: str | None) -> None:
        self.send = send
        self.msg_id = msg_id
        self.outputs: list[tuple[str, Any]] | None = None

    def __call__(self, stream: Any, msg_or_type: Any, content: Any = None, parent: Any = None,
                 *args: Any, **kwargs: Any) -> Any:
        from jupyter_client.session import extract_header

        outputs = self.outputs
        if isinstance(msg_or_type, dict):
            msg_type = msg_or_type["header"]["msg_type"]
            body, head = msg_or_type["content"], msg_or_type.get("parent_header") or {}
        else:
            msg_type, body, head = msg_or_type, content, extract_header(parent or {})
        if (outputs is not None and msg_type in OUTPUT_MSG_TYPES
                and (self.msg_id is None or head.get("msg_id") == self.msg_id)):
            outputs.append((msg_type, body))
            return msg_or_type if isinstance(msg_or_type, dict) else None
        return self.send(stream, msg_or_type, content, parent, *args, **kwargs)


async def run_cells(cells: list[tuple[int, str, bool]], progress: str | None = None) -> None:
    """Execute `cells` ((index in the notebook, source, errors allowed)) in order, as if each
    were its own execute_request, and stop after the first error not allowed. Puts into the
    reply's payload, per executed cell: its index, execution_count, status, timing and the
    output messages it produced. `progress`: a file that holds the index of the running cell
    (the host reads it when the kernel dies or is killed on a time limit)."""
    ip = get_ipython()  # type: ignore[name-defined]  # noqa: F821
    kernel = ip.kernel
    session = kernel.session
    parent = kernel.get_parent("shell") or {}
    taker = _Taker(session.send, parent.get("header", {}).get("msg_id"))
    fd = os.open(progress, os.O_WRONLY | os.O_CREAT, 0o600) if progress else None
    done: list[dict[str, Any]] = []
    session.send = taker
    try:
        for index, source, allow_errors in cells:
            if fd is not None:
                os.pwrite(fd, b"%12d" % index, 0)
            taker.outputs = outputs = []
            started = _utc_now()
            result = await _run_one(ip, source)
            sys.stdout.flush()  # the cell's last stream output is taken before the next cell
            sys.stderr.flush()
            taker.outputs = None
            ended = _utc_now()
            # an error shown while formatting the result fails the cell too (ipykernel)
            failed = not result.success or any(kind == "error" for kind, _ in outputs)
            done.append({
                "index": index, "execution_count": ip.execution_count - 1,
                "status": "error" if failed else "ok", "outputs": outputs,
                "timing": {"iopub.status.busy": started, "iopub.execute_input": started,
                           "shell.execute_reply": ended, "iopub.status.idle": ended},
            })
            if failed and not allow_errors:
                break
    finally:
        taker.outputs = None
        del session.send  # the class's method again
        if fd is not None:
            os.close(fd)
        ip.payload_manager.write_payload({"source": PAYLOAD_SOURCE, "cells": done})


async def _run_one(ip: Any, source: str) -> Any:
    """One cell, the way ipykernel's `do_execute` runs a cell with history."""
    try:
        transformed, preprocessing_error = ip.transform_cell(source), None
    except Exception:
        transformed, preprocessing_error = source, sys.exc_info()
    if ip.should_run_async(source, transformed_cell=transformed,
                           preprocessing_exc_tuple=preprocessing_error):
        result = None
        try:
            result = await ip.run_cell_async(source, store_history=True,
                                              transformed_cell=transformed,
                                              preprocessing_exc_tuple=preprocessing_error)
        finally:
            ip.events.trigger("post_execute")
            ip.events.trigger("post_run_cell", result)
        return result
    return ip.run_cell(source, store_history=True)

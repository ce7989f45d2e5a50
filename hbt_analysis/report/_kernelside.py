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

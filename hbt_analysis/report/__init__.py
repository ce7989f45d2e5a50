"""`hbt report`: parallel notebook runs on warm kernels -> offline HTML, index and manifest.

Modules: `plan` (what to run, parameter checks), `kernelpool` (worker processes with warm,
reset-between-reports kernels), `execute` (a notebook run in one request to its kernel),
`export` (leadership HTML), `output` (run folders,
index.html, manifest.json, `latest`, pruning), `reuse` (reports copied from an earlier run
when their inputs are unchanged), `dask_pool` (the batch on a Dask cluster, one warm kernel
per worker), `dask_opinions` (the opinion pipeline partitioned on Dask), `meanwhile` (the
landing figures and the review list, computed while the kernels work), `runner` (ties them
together), `cli`.

The public names below are imported on first use (PEP 562): a report kernel imports only
`_kernelside` from here, and must not pay for nbformat, the exporter and the CLI.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

if "ipykernel" not in sys.modules and "jsonschema" not in sys.modules:
    # The batch's own processes (the CLI, the workers) import nbformat, hence jsonschema,
    # whose format checkers import `rfc3987_syntax` if installed (nbformat's
    # jsonschema[format-nongpl] extra): it compiles ~40 Earley grammars at import, ~1 s CPU
    # per process, for the "iri" formats no notebook schema uses (jsonschema issue 1428).
    # Absent, jsonschema skips those two checks. Not done inside a report's kernel.
    sys.modules.setdefault("rfc3987_syntax", None)

_LAZY = {
    "describe_year": "cli", "register_cli": "cli", "run_cli": "cli",
    "PlanError": "plan", "Report": "plan", "YearInfo": "plan", "build_plan": "plan",
    "check_parameters": "plan",
    "EXIT_BAD_INPUT": "runner", "EXIT_FAILED": "runner", "EXIT_INTERRUPTED": "runner",
    "EXIT_LOCKED": "runner", "EXIT_OK": "runner", "RunOutcome": "runner",
    "run_batch": "runner",
}

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_LOCKED",
    "EXIT_OK",
    "PlanError",
    "Report",
    "RunOutcome",
    "YearInfo",
    "build_plan",
    "check_parameters",
    "describe_year",
    "register_cli",
    "run_batch",
    "run_cli",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

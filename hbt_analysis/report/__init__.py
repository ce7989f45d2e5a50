"""`hbt report`: parallel notebook runs on warm kernels -> offline HTML, index and manifest.

Modules: `plan` (what to run, parameter checks), `kernelpool` (worker processes with warm,
reset-between-reports kernels), `export` (leadership HTML), `output` (run folders,
index.html, manifest.json, `latest`, pruning), `reuse` (reports copied from an earlier run
when their inputs are unchanged), `dask_pool` (the batch on a Dask cluster, one warm kernel
per worker), `dask_opinions` (the opinion pipeline partitioned on Dask), `runner` (ties them
together), `cli`.
"""

from __future__ import annotations

from .cli import describe_year, register_cli, run_cli
from .plan import PlanError, Report, YearInfo, build_plan, check_parameters
from .runner import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_LOCKED,
    EXIT_OK,
    RunOutcome,
    run_batch,
)

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

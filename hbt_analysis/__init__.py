"""hbt-analysis: the Hội nghị đại biểu Nhân dân of an area's wards (the units of its registry),
loaded, checked and analysed."""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: Public names and the module each lives in. Imported on first use (PEP 562): a process
#: that needs one sub-module (a report worker, a kernel's reset helper) does not pay for
#: pandas and the loaders.
_LAZY = {
    "DataError": "hbt_analysis.problems",
    "Dataset": "hbt_analysis.dataset",
    "Problem": "hbt_analysis.problems",
    "available_years": "hbt_analysis.dataset",
    "load": "hbt_analysis.dataset",
    "load_all": "hbt_analysis.dataset",
    "load_reference": "hbt_analysis.dataset",
}

__all__ = [
    "DataError",
    "Dataset",
    "Problem",
    "__version__",
    "available_years",
    "load",
    "load_all",
    "load_reference",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'hbt_analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))

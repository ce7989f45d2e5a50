"""hbt-analysis: the Hội nghị đại biểu Nhân dân of an area's wards (the units of its registry),
loaded, checked and analysed."""

from __future__ import annotations

__version__ = "0.1.0"

from hbt_analysis.dataset import Dataset, available_years, load, load_all, load_reference
from hbt_analysis.validate import DataError, Problem

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

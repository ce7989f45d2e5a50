"""Rules that decide whether a year's numbers can be trusted, and the reconciliation.

Errors make the numbers wrong (attended > invited, a group listed twice, counts that
disagree); warnings are worth a look but do not stop the analysis. Every problem names
the file, the spreadsheet row, the column and what to fix, in Vietnamese and English, and
all problems are collected before anything is raised.

One module per step: `cells` (typed columns from raw cells), `year` (the rules within a year),
`years` (across years), `reconcile` (against the published totals); the problems themselves
live in `hbt_analysis.problems`. Every name is importable from here.
"""

from hbt_analysis.problems import DataError, Problem, Severity, errors_in, sorted_problems
from hbt_analysis.schema import LEVELS
from hbt_analysis.validate.cells import coerce, level_code, status_code, where_of
from hbt_analysis.validate.reconcile import level_of, reconcile, reconciliation_problems
from hbt_analysis.validate.year import (
    MIN_INVITED_FOR_RATE_WARNING,
    RATE_GAP_WARNING,
    check_coverage,
    check_dates_year,
    check_year,
)
from hbt_analysis.validate.years import check_years

__all__ = [
    "LEVELS",
    "MIN_INVITED_FOR_RATE_WARNING",
    "RATE_GAP_WARNING",
    "DataError",
    "Problem",
    "Severity",
    "check_coverage",
    "check_dates_year",
    "check_year",
    "check_years",
    "coerce",
    "errors_in",
    "level_code",
    "level_of",
    "reconcile",
    "reconciliation_problems",
    "sorted_problems",
    "status_code",
    "where_of",
]

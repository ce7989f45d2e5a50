"""The few statistics the analyses share: intervals for a proportion and for the difference
of two, and the two-proportion z-test.

One module so attendance, year-on-year comparison and opinions compute them the same way;
every function is vectorised (scalars give floats, arrays and Series give arrays) and gives
NaN where there is no information (n = 0) rather than a number that looks like one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from scipy import stats as _scipy_stats

__all__ = ["difference_interval", "two_proportion_z", "wilson_interval", "z_for"]


def z_for(level: float) -> float:
    """The two-sided normal quantile of a confidence level (0.95 -> 1.96)."""
    if not 0 < level < 1:
        raise ValueError(f"level phải nằm trong (0, 1) / level must be in (0, 1): {level}")
    return float(_scipy_stats.norm.ppf(0.5 + level / 2))


def wilson_interval(successes: Any, n: Any, level: float = 0.95) -> tuple[Any, Any]:
    """Wilson score interval for a proportion (Wilson 1927; Newcombe 1998, method 3).

    Unlike the textbook p ± z·se it stays inside [0, 1] and behaves for small groups and
    rates near 100%, which is where ward conferences sit. n == 0 gives NaN.
    """
    x = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    z = z_for(level)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / m
        denom = 1 + z * z / m
        centre = (p + z * z / (2 * m)) / denom
        half = z / denom * np.sqrt(p * (1 - p) / m + z * z / (4 * m * m))
        lo = np.where(m > 0, np.clip(centre - half, 0, 1), np.nan)
        hi = np.where(m > 0, np.clip(centre + half, 0, 1), np.nan)
    # exact ends: 0 successes has lower limit 0, all successes upper limit 1
    lo = np.where((m > 0) & (x == 0), 0.0, lo)
    hi = np.where((m > 0) & (x == m), 1.0, hi)
    if lo.ndim == 0:
        return float(lo), float(hi)
    return lo, hi


def difference_interval(
    x_new: Any, n_new: Any, x_base: Any, n_base: Any, level: float = 0.95
) -> tuple[Any, Any]:
    """Interval for p_new − p_base from the two Wilson intervals (Newcombe 1998, method 10).

    The two samples are treated as independent; the interval is conservative when the same
    households come back.
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        p1 = np.asarray(x_new, float) / np.asarray(n_new, float)
        p0 = np.asarray(x_base, float) / np.asarray(n_base, float)
    l1, u1 = wilson_interval(x_new, n_new, level)
    l0, u0 = wilson_interval(x_base, n_base, level)
    d = p1 - p0
    lo = d - np.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    hi = d + np.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    if np.ndim(lo) == 0:
        return float(lo), float(hi)
    return lo, hi


def two_proportion_z(
    k1: Iterable[float], n1: Iterable[float], k2: Iterable[float], n2: Iterable[float]
) -> tuple[np.ndarray, np.ndarray]:
    """z statistic and two-sided p-value of k2/n2 vs k1/n1 (pooled); NaN where undefined."""
    k1, n1, k2, n2 = (np.asarray(x, dtype=float) for x in (k1, n1, k2, n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (k1 + k2) / (n1 + n2)
        se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = (k2 / n2 - k1 / n1) / se
    z = np.where(np.isfinite(z), z, np.nan)
    p = np.where(np.isnan(z), np.nan, 2 * _scipy_stats.norm.sf(np.abs(z)))
    return z, p

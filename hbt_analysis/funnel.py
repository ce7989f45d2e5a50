"""Which groups are genuinely unusual: funnel limits that allow for overdispersion.

The binomial funnel (attendance.funnel_points) asks whether a group's rate is more than
chance for its size. Real groups differ for many reasons besides chance (a street of
offices, an ageing block, a leader who knocks on doors), so with 263 groups a third fall
outside the binomial 99,8% limits and the list tells a reader nothing. Spiegelhalter
(2005, "Handling over-dispersion of performance indicators", Qual Saf Health Care 14:347)
widens the limits by the spread the groups really show, estimated robustly:

1. each group on the arcsine square-root scale, y = asin(√(attended/invited)), whose
   standard error 1/(2√invited) does not depend on the rate, against the target
   asin(√p0) (p0 = the pooled rate): z = (y − target) / s;
2. the z-scores winsorised (the 10% at each end set to the 10th and 90th percentiles), so
   the few real outliers do not inflate the estimate that is to find them;
3. the dispersion ratio φ = mean(winsorised z²) (1 when chance alone explains the spread;
   I·φ ~ χ²(I−1) under that hypothesis);
4. either a multiplicative model (limits ± z_α √φ s) or, as NHS indicators use, an
   additive random-effects model: τ² = (Iφ − (I−1)) / (Σw − Σw²/Σw), w = 1/s², and
   limits ± z_α √(s² + τ²), back-transformed with sin².

A group outside the adjusted 99,8% limits is "unusually low (or high) for a group of its
size": the few names a leader can act on. The raw binomial limits stay available to
analysts (attendance.funnel_points).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from hbt_analysis.attendance import district_rate, group_rates, scope_frame
from hbt_analysis.fmt import Lang, fmt_int, fmt_pct

Method = Literal["additive", "multiplicative", "none"]
TRIM = 0.1
LEVELS = (0.95, 0.998)
SIGNALS = ("unusually_low", "lower_usual", "usual", "higher_usual", "unusually_high")


def arcsine_scale(attended: Any, invited: Any, p0: float) -> tuple[np.ndarray, float,
                                                                   np.ndarray]:
    """(y, target, s): rates as asin(√rate), the target asin(√p0), standard errors
    1/(2√invited)."""
    n = np.asarray(invited, dtype=float)
    r = np.asarray(attended, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.arcsin(np.sqrt(np.clip(r / n, 0, 1)))
        s = 1 / (2 * np.sqrt(n))
    return y, float(np.arcsin(np.sqrt(p0))), s


def winsorise(z: Any, trim: float = TRIM) -> np.ndarray:
    """z with values below the `trim` quantile raised to it and above 1 − `trim` lowered
    to it (quantiles interpolated linearly, as R's default)."""
    z = np.asarray(z, dtype=float)
    if not 0 <= trim < 0.5:
        raise ValueError(f"trim phải nằm trong [0; 0,5) / trim must be in [0, 0.5): {trim}")
    if len(z) == 0 or trim == 0:
        return z.copy()
    lo, hi = np.quantile(z, [trim, 1 - trim])
    return np.clip(z, lo, hi)


@dataclass(frozen=True)
class Dispersion:
    """How much more the groups spread than chance alone explains.

    phi: the dispersion ratio (1 = binomial); tau2: the between-group variance on the
    arcsine scale (0 when phi does not exceed (I−1)/I); p_value: the χ²(I−1) test of
    I·phi against chance alone; groups: I.
    """

    groups: int
    phi: float
    tau2: float
    p_value: float
    trim: float = TRIM

    @property
    def overdispersed(self) -> bool:
        return self.tau2 > 0


def dispersion(z: Any, s: Any, trim: float = TRIM) -> Dispersion:
    """φ from the winsorised z-scores and τ² from φ (Spiegelhalter 2005, eqs. 1 and 4)."""
    z = np.asarray(z, dtype=float)
    s = np.asarray(s, dtype=float)
    keep = np.isfinite(z) & np.isfinite(s) & (s > 0)
    z, s = z[keep], s[keep]
    count = len(z)
    if count < 2:
        return Dispersion(count, float("nan"), 0.0, float("nan"), trim)
    phi = float(np.mean(winsorise(z, trim) ** 2))
    w = 1 / s**2
    excess = count * phi - (count - 1)
    tau2 = max(0.0, excess / (w.sum() - (w**2).sum() / w.sum())) if excess > 0 else 0.0
    p_value = float(stats.chi2.sf(count * phi, count - 1))
    return Dispersion(count, phi, float(tau2), p_value, trim)


def adjusted_limits(p0: float, n: Any, disp: Dispersion, method: Method = "additive",
                    levels: tuple[float, ...] = LEVELS) -> pd.DataFrame:
    """Limits around p0 for sizes n, widened by the dispersion: lower_95_od, upper_95_od, ...

    "additive": ± z √(s² + τ²); "multiplicative": ± z √φ s (φ below 1 is not used to
    narrow them); "none": the normal limits on the arcsine scale (chance alone).
    """
    n = np.asarray(n, dtype=float)
    target = float(np.arcsin(np.sqrt(p0)))
    s = 1 / (2 * np.sqrt(n))
    spread = _spread(s, disp, method)
    out = pd.DataFrame({"n": n, "p0": p0})
    for level in levels:
        key = _key(level)
        q = float(stats.norm.ppf(0.5 + level / 2))
        out[f"lower_{key}_od"] = np.sin(np.clip(target - q * spread, 0, np.pi / 2)) ** 2
        out[f"upper_{key}_od"] = np.sin(np.clip(target + q * spread, 0, np.pi / 2)) ** 2
    return out


def _spread(s: np.ndarray, disp: Dispersion, method: Method) -> np.ndarray:
    if method == "additive":
        return np.sqrt(s**2 + disp.tau2)
    if method == "multiplicative":
        return s * np.sqrt(max(disp.phi, 1.0)) if np.isfinite(disp.phi) else s
    if method == "none":
        return s
    raise ValueError(f'method phải là "additive", "multiplicative" hoặc "none" / '
                     f"must be one of them: {method!r}")


def _key(level: float) -> str:
    return f"{100 * level:g}".replace(".", "")


def unusual_points(group_conferences: pd.DataFrame, ward: str | None = None,
                   method: Method = "additive", trim: float = TRIM) -> pd.DataFrame:
    """Every group with its z-scores, its adjusted limits and what they say of it.

    The target (the pooled rate) and the dispersion are estimated from all the groups of
    the frame; `ward` then keeps that ward's groups. Columns: the group, invited, attended,
    rate, p0, z_raw (binomial, arcsine scale), z_adjusted, lower/upper_95_od and _998_od,
    signal (unusually_low, lower_usual, usual, higher_usual, unusually_high). The fitted
    Dispersion is in `.attrs["dispersion"]`.
    """
    pts = group_rates(group_conferences)
    pts = pts[pts["invited"] > 0].reset_index(drop=True)
    if pts.empty:
        out = pts.assign(p0=pd.Series(dtype=float), z_raw=pd.Series(dtype=float),
                         z_adjusted=pd.Series(dtype=float), signal=pd.Series(dtype=object))
        out.attrs["dispersion"] = Dispersion(0, float("nan"), 0.0, float("nan"), trim)
        return out
    p0 = float(district_rate(group_conferences)["rate"].iloc[0])
    y, target, s = arcsine_scale(pts["attended"], pts["invited"], p0)
    z_raw = (y - target) / s
    disp = dispersion(z_raw, s, trim)
    spread = _spread(s, disp, method)
    pts["p0"] = p0
    pts["z_raw"] = z_raw
    pts["z_adjusted"] = (y - target) / spread
    limits = adjusted_limits(p0, pts["invited"], disp, method)
    for col in limits.columns[2:]:
        pts[col] = limits[col].to_numpy()
    q95, q998 = (float(stats.norm.ppf(0.5 + lv / 2)) for lv in LEVELS)
    z = pts["z_adjusted"]
    pts["signal"] = np.select(
        [z < -q998, z < -q95, z > q998, z > q95],
        ["unusually_low", "lower_usual", "unusually_high", "higher_usual"], default="usual")
    if ward is not None:
        pts = scope_frame(pts, ward)
    pts.attrs["dispersion"] = disp
    return pts


def unusual_groups(group_conferences: pd.DataFrame, ward: str | None = None,
                   method: Method = "additive", watch: bool = False) -> pd.DataFrame:
    """The groups beyond the adjusted 99,8% limits (with `watch`, the 95% ones too),
    lowest first, then the high ones."""
    pts = unusual_points(group_conferences, ward, method)
    keep = ["unusually_low", "unusually_high"] + (["lower_usual", "higher_usual"] if watch
                                                   else [])
    out = pts[pts["signal"].isin(keep)].copy()
    order = {s: i for i, s in enumerate(("unusually_low", "lower_usual", "unusually_high",
                                         "higher_usual"))}
    out["_o"] = out["signal"].map(order)
    out["_k"] = np.where(out["_o"] >= 2, -out["z_adjusted"], out["z_adjusted"])  # extreme first
    out = out.sort_values(["_o", "_k"], kind="stable").drop(columns=["_o", "_k"])
    out = out.reset_index(drop=True)
    out.attrs = pts.attrs
    return out


def _named(frame: pd.DataFrame, lang: Lang, with_ward: bool) -> str:
    def one(r: Any) -> str:
        where = f"{r.ward_name}, " if with_ward else ""
        if lang == "vi":
            return (f"{r.group_name} ({where}{fmt_pct(r.rate)} của "
                    f"{fmt_int(r.invited)} hộ được mời)")
        return f"{r.group_name} ({where}{fmt_pct(r.rate, lang=lang)} of " \
               f"{fmt_int(r.invited, lang)} invited)"
    return "; ".join(one(r) for r in frame.itertuples())


def unusual_sentence(points: pd.DataFrame, lang: Lang = "vi", max_names: int = 3,
                     with_ward: bool = True) -> str:
    """In words, the groups that are genuinely unusual for their size (unusual_points): the
    lowest named, how many more to watch, and the unusually high ones counted."""
    low = points[points["signal"] == "unusually_low"].sort_values("z_adjusted")
    high = points[points["signal"] == "unusually_high"].sort_values("z_adjusted",
                                                                    ascending=False)
    watch = int((points["signal"] == "lower_usual").sum())
    vi = lang == "vi"
    parts = []
    if len(low):
        more = len(low) - max_names
        names = _named(low.head(max_names), lang, with_ward)
        parts.append(
            (f"{fmt_int(len(low))} tổ dân phố có tỷ lệ dự thấp bất thường so với các tổ cùng "
             f"quy mô: {names}" if vi else
             f"{fmt_int(len(low), lang)} residential groups attend unusually low for a group of "
             f"their size: {names}")
            + ((f" và {fmt_int(more)} tổ khác." if vi else f" and {fmt_int(more, lang)} more.")
               if more > 0 else "."))
    else:
        parts.append("Không có tổ dân phố nào có tỷ lệ dự thấp bất thường so với các tổ cùng "
                     "quy mô." if vi else
                     "No residential group attends unusually low for a group of its size.")
    if watch:
        parts.append(f"{fmt_int(watch)} tổ khác thấp hơn thường thấy, nên theo dõi." if vi
                     else f"{fmt_int(watch, lang)} more are lower than usual, worth watching.")
    if len(high):
        top = _named(high.head(1), lang, with_ward)
        parts.append(f"{fmt_int(len(high))} tổ cao bất thường, cao nhất là {top}." if vi
                     else f"{fmt_int(len(high), lang)} attend unusually high, the highest "
                          f"{top}.")
    return " ".join(parts)


def dispersion_sentence(disp: Dispersion, lang: Lang = "vi") -> str:
    """For analysts: how far the groups spread beyond chance, and what the limits allow."""
    if not np.isfinite(disp.phi):
        return ("Quá ít tổ để ước lượng độ phân tán." if lang == "vi"
                else "Too few groups to estimate the dispersion.")
    phi = f"{disp.phi:.2f}".replace(".", "," if lang == "vi" else ".")
    tau = f"{np.sqrt(disp.tau2):.3f}".replace(".", "," if lang == "vi" else ".")
    p = "< 0,001" if disp.p_value < 0.001 else f"{disp.p_value:.3f}".replace(
        ".", "," if lang == "vi" else ".")
    if lang == "vi":
        return (f"Độ phân tán φ = {phi} trên {fmt_int(disp.groups)} tổ (z đã winsor hóa "
                f"{fmt_pct(disp.trim, 0)} mỗi đầu; kiểm định χ²: p {p}); giới hạn hiệu chỉnh "
                f"theo mô hình hiệu ứng ngẫu nhiên cộng, τ = {tau} trên thang arcsin √tỷ lệ "
                "(Spiegelhalter 2005).")
    return (f"Dispersion φ = {phi} over {fmt_int(disp.groups, lang)} groups (z winsorised "
            f"{fmt_pct(disp.trim, 0, lang)} at each end; χ² test: p {p}); limits from the "
            f"additive random-effects model, τ = {tau} on the arcsine √rate scale "
            "(Spiegelhalter 2005).")


def dispersion_of(points: pd.DataFrame) -> Dispersion:
    """The Dispersion fitted by :func:`unusual_points` (kept in the frame's attrs)."""
    return points.attrs.get("dispersion", Dispersion(0, float("nan"), 0.0, float("nan")))

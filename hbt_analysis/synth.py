"""The seeded synthetic generator behind the bundled data (data/2022, data/2023, data/2024).

Group- and opinion-level records of the conferences are not public, so the project ships
data made here. It reproduces every published total exactly (2023: 263 groups, 51.477
invited, 35.323 attended, 1.435 opinions; 18 ward conferences 2.203 / 2.142 / 59; 2024: 264
groups, "nearly 30.000" attended, 1.056 opinions) and looks like real data where nothing is
published: group sizes follow the wards' 2019 census households, attendance varies between
wards and groups with a few genuinely poor groups, opinions are Vietnamese minutes with
their noise (see synth_text).

The same seed always gives the same frames. Groups are drawn once from the seed, so a group
keeps its code and roughly its size across years; each year draws its own numbers from
(seed, year).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from hbt_analysis import schema
from hbt_analysis import synth_text as st

DEFAULT_SEED = 20230317
YEARS = (2022, 2023, 2024)
EXCEL_YEAR = 2022  # the year bundled as an Excel workbook in the template's layout

#: A copy of reference/wards_2023.csv (official codes, 2019 census; the test checks they agree),
#: kept here so the generator gives the same data whatever data folder it writes to.
WARDS_2023: tuple[tuple[str, str, int, int], ...] = (
    ("00241", "Nguyễn Du", 11399, 3310),
    ("00244", "Bạch Đằng", 19795, 5327),
    ("00247", "Phạm Đình Hổ", 10230, 3171),
    ("00256", "Lê Đại Hành", 8464, 2449),
    ("00259", "Đồng Nhân", 8690, 2467),
    ("00262", "Phố Huế", 8955, 2531),
    ("00265", "Đống Mác", 8647, 2473),
    ("00268", "Thanh Lương", 24812, 7040),
    ("00271", "Thanh Nhàn", 21170, 6052),
    ("00274", "Cầu Dền", 11797, 3080),
    ("00277", "Bách Khoa", 13950, 2785),
    ("00280", "Đồng Tâm", 19973, 4511),
    ("00283", "Vĩnh Tuy", 51644, 14934),
    ("00286", "Bạch Mai", 16241, 4472),
    ("00289", "Quỳnh Mai", 11946, 3588),
    ("00292", "Quỳnh Lôi", 14787, 4204),
    ("00295", "Minh Khai", 19822, 5651),
    ("00298", "Trương Định", 21264, 6178),
)

N_GROUPS_2023 = 263
#: Wards with new housing, where the one group founded for 2024 is placed.
_NEW_GROUP_WARDS = ("00283", "00295", "00268", "00298")

#: Lunar New Year holidays, when no conference is held.
TET = {
    2022: (dt.date(2022, 1, 29), dt.date(2022, 2, 6)),
    2023: (dt.date(2023, 1, 20), dt.date(2023, 1, 29)),
    2024: (dt.date(2024, 2, 8), dt.date(2024, 2, 17)),
}


@dataclass(frozen=True)
class YearTargets:
    """What a year must add up to. Published figures are exact; the rest drawn plausibly."""

    year: int
    n_groups: int
    invited: int
    attended: int
    opinions: int
    ward_invited: int
    ward_attended: int
    ward_opinions: int
    group_window: tuple[dt.date, dt.date]
    ward_window: tuple[dt.date, dt.date]
    answered_share: float  # share of group-level opinions with addressed_to/status/response


def wards_frame() -> pd.DataFrame:
    """The 18 wards of 2023 as the generator uses them (the columns of schema.WARDS)."""
    df = pd.DataFrame(WARDS_2023, columns=["ward_code", "ward_name", "population_2019",
                                           "households_2019"])
    df["census_note"] = ""
    return df


# --------------------------------------------------------------------------------------
# Exact integer allocation
# --------------------------------------------------------------------------------------


def allocate(weights: np.ndarray, total: int) -> np.ndarray:
    """Integers proportional to weights that sum exactly to total (largest remainder)."""
    w = np.asarray(weights, dtype=float)
    if total < 0 or (w < 0).any() or w.sum() <= 0:
        raise ValueError("allocate needs non-negative weights with a positive sum")
    share = w / w.sum() * total
    out = np.floor(share).astype(np.int64)
    rest = int(total - out.sum())
    if rest:
        order = np.argsort(-(share - out), kind="stable")
        out[order[:rest]] += 1
    return out


def adjust_to_total(values: np.ndarray, total: int, lower: np.ndarray, upper: np.ndarray,
                    weights: np.ndarray) -> np.ndarray:
    """Move integer values to sum exactly to total, spreading the change by weight and
    staying within [lower, upper] element-wise (attended <= invited)."""
    v = np.asarray(values, dtype=np.int64).copy()
    lower = np.asarray(lower, dtype=np.int64)
    upper = np.asarray(upper, dtype=np.int64)
    if v.sum() != total and not (lower.sum() <= total <= upper.sum()):
        raise ValueError(f"cannot reach {total} within the bounds [{lower.sum()}, {upper.sum()}]")
    v = np.clip(v, lower, upper)
    for _ in range(100):
        diff = int(total - v.sum())
        if diff == 0:
            return v
        room = (upper - v) if diff > 0 else (v - lower)
        w = np.where(room > 0, weights, 0.0).astype(float)
        step = allocate(w, abs(diff))
        step = np.minimum(step, room)
        v = v + np.sign(diff) * step
    raise RuntimeError("adjust_to_total did not converge")  # pragma: no cover


# --------------------------------------------------------------------------------------
# The stable groups
# --------------------------------------------------------------------------------------


def groups(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Every group that exists in some year, with its stable traits.

    Columns: ward_code, ward_name, group_no, group_code, group_name, households (its share of
    the ward's census households), invite_share, ward_effect, group_effect, chronic
    ("poor" | "excellent" | ""), first_year.
    """
    rng = np.random.default_rng([seed, 1])
    wards = wards_frame()
    n_per_ward = allocate(wards["households_2019"].to_numpy(), N_GROUPS_2023)
    ward_effect = rng.normal(0.0, 0.28, len(wards))
    ward_share = rng.uniform(0.52, 0.70, len(wards))  # of census households invited
    rows = []
    for w, ward in enumerate(wards.itertuples(index=False)):
        n = int(n_per_ward[w])
        sizes = rng.lognormal(0.0, 0.3, n)
        sizes = sizes / sizes.sum() * ward.households_2019
        for k in range(n):
            rows.append((ward.ward_code, ward.ward_name, k + 1, float(sizes[k]),
                         ward_share[w] * float(rng.lognormal(0.0, 0.08)), ward_effect[w],
                         float(rng.normal(0.0, 0.38)), 2022))
    # The group founded in 2024: a new apartment block, beyond the 2019 census.
    code = _NEW_GROUP_WARDS[int(rng.integers(len(_NEW_GROUP_WARDS)))]
    w = int(np.flatnonzero(wards["ward_code"].to_numpy() == code)[0])
    rows.append((code, wards["ward_name"].iloc[w], int(n_per_ward[w]) + 1,
                 float(rng.uniform(160, 240)), float(rng.uniform(0.55, 0.65)), ward_effect[w],
                 float(rng.normal(0.0, 0.2)), 2024))
    df = pd.DataFrame(rows, columns=["ward_code", "ward_name", "group_no", "households",
                                     "invite_share", "ward_effect", "group_effect",
                                     "first_year"])
    df["group_code"] = df["ward_code"] + "-TDP" + df["group_no"].map("{:02d}".format)
    df["group_name"] = "Tổ dân phố số " + df["group_no"].astype(str)
    chronic = np.array([""] * len(df), dtype=object)
    old = np.flatnonzero(df["first_year"].to_numpy() < 2024)
    picks = rng.choice(old, 6, replace=False)
    chronic[picks[:3]] = "poor"
    chronic[picks[3:]] = "excellent"
    df["chronic"] = chronic
    cols = ["ward_code", "ward_name", "group_no", "group_code", "group_name", "households",
            "invite_share", "ward_effect", "group_effect", "chronic", "first_year"]
    return df[cols]


def targets(year: int, seed: int = DEFAULT_SEED) -> YearTargets:
    """The totals a year is calibrated to: published where published, drawn otherwise."""
    rng = np.random.default_rng([seed, year, 0])
    if year == 2023:
        return YearTargets(2023, 263, 51477, 35323, 1435, 2203, 2142, 59,
                           (dt.date(2023, 1, 2), dt.date(2023, 2, 28)),
                           (dt.date(2023, 3, 1), dt.date(2023, 3, 14)), 0.55)
    ward_invited = int(rng.integers(2140, 2261))
    ward_attended = round(ward_invited * rng.uniform(0.955, 0.98))
    ward_opinions = int(rng.integers(50, 71))
    if year == 2024:
        invited = round(51477 * rng.uniform(0.925, 0.955))  # not published
        return YearTargets(2024, 264, invited, int(rng.integers(29600, 29951)), 1056,
                           ward_invited, ward_attended, ward_opinions,
                           (dt.date(2024, 1, 2), dt.date(2024, 2, 28)),
                           (dt.date(2024, 3, 1), dt.date(2024, 3, 15)), 0.0)
    if year == 2022:
        invited = round(51477 * rng.uniform(0.96, 0.99))
        return YearTargets(2022, 263, invited, round(invited * rng.uniform(0.665, 0.695)),
                           int(rng.integers(1300, 1601)), ward_invited, ward_attended,
                           ward_opinions,
                           (dt.date(2022, 1, 4), dt.date(2022, 2, 28)),
                           (dt.date(2022, 3, 1), dt.date(2022, 3, 15)), 0.7)
    raise ValueError(f"chưa có kế hoạch tổng hợp cho năm {year} / no synthetic plan for {year}; "
                     f"years: {YEARS}")


# --------------------------------------------------------------------------------------
# One year
# --------------------------------------------------------------------------------------


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _solve_mu(invited: np.ndarray, effect: np.ndarray, target: float) -> float:
    """The district-wide logit level at which expected attendance equals target."""
    lo, hi = -5.0, 5.0
    for _ in range(80):
        mid = (lo + hi) / 2
        if (invited * np.clip(_expit(mid + effect), 0.5, 0.92)).sum() < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _days(window: tuple[dt.date, dt.date], year: int) -> list[dt.date]:
    tet = TET.get(year)
    days = []
    d = window[0]
    while d <= window[1]:
        if not (tet and tet[0] <= d <= tet[1]):
            days.append(d)
        d += dt.timedelta(days=1)
    return days


def _group_dates(rng: np.random.Generator, ward_codes: np.ndarray, t: YearTargets) -> list:
    """Each ward runs its groups' conferences within a few weeks of its own; weekends favoured."""
    days = _days(t.group_window, t.year)
    weight = np.array([3.0 if d.weekday() >= 5 else 1.5 if d.weekday() == 4 else 1.0
                       for d in days])
    out: list = [None] * len(ward_codes)
    for code in dict.fromkeys(ward_codes):
        idx = np.flatnonzero(ward_codes == code)
        span = int(rng.integers(18, 36))
        start = int(rng.integers(0, max(1, len(days) - span)))
        sub = np.arange(start, min(len(days), start + span))
        p = weight[sub] / weight[sub].sum()
        for i in idx:
            out[i] = days[int(sub[int(rng.choice(len(sub), p=p))])]
    return out


_POOR_NOTES = ("Mưa lớn, ít hộ dự", "Trùng lịch làm việc, nhiều hộ vắng",
               "Nhiều hộ cho thuê nhà, chủ hộ không ở địa phương", "Trời rét, người cao tuổi ít dự",
               "Nhiều hộ đi làm ăn xa")
_GOOD_NOTES = ("Tổ dân phố văn hoá tiêu biểu", "Có đại biểu HĐND phường dự",
               "Đồng chí Bí thư Đảng uỷ phường dự")
_OTHER_NOTES = ("Họp ghép với TDP số {k}", "Tổ chức tại nhà văn hoá", "Họp tại sân khu tập thể",
                "Đại biểu HĐND quận dự, tiếp xúc cử tri", "Hoãn một lần do thời tiết",
                "Họp buổi tối", "Mượn hội trường trường tiểu học", "Có đại diện Công an phường dự")


def _notes(rng: np.random.Generator, g: pd.DataFrame, kind: np.ndarray, year: int) -> list[str]:
    notes = []
    for i, row in enumerate(g.itertuples(index=False)):
        r = rng.random()
        if row.first_year == year and year > 2022:
            notes.append("Tổ dân phố mới thành lập tại khu nhà ở mới")
        elif kind[i] == "poor" and r < 0.6:
            notes.append(st._pick(rng, _POOR_NOTES))
        elif kind[i] == "excellent" and r < 0.4:
            notes.append(st._pick(rng, _GOOD_NOTES))
        elif r < 0.06:
            k = max(1, row.group_no + (1 if row.group_no == 1 else -1))
            notes.append(st._pick(rng, _OTHER_NOTES).format(k=k))
        else:
            notes.append("")
    return notes


def _group_conferences(seed: int, t: YearTargets) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng([seed, t.year, 1])
    g = groups(seed)
    g = g[g["first_year"] <= t.year].reset_index(drop=True)
    if len(g) != t.n_groups:
        raise AssertionError(f"{len(g)} groups for {t.year}, planned {t.n_groups}")
    # Invited households: a share of the group's households, scaled to the year's total.
    expected = (g["households"] * g["invite_share"]).to_numpy() * rng.lognormal(0, 0.04, len(g))
    invited = allocate(expected, t.invited)
    if (invited >= g["households"].to_numpy()).any():
        raise AssertionError("invited would exceed a group's households")
    # Who is poor or excellent this year: the chronic ones plus a few of the year's own.
    kind = g["chronic"].to_numpy().copy()
    free = np.flatnonzero(kind == "")
    n_poor_extra = int(rng.integers(0, 3))  # 3 to 5 poor groups in all
    extra = rng.choice(free, n_poor_extra + int(rng.integers(0, 3)), replace=False)
    kind[extra[:n_poor_extra]] = "poor"
    kind[extra[n_poor_extra:]] = "excellent"
    special_rate = np.where(kind == "poor", rng.uniform(0.30, 0.45, len(g)),
                            rng.uniform(0.89, 0.97, len(g)))
    special = kind != ""
    special_att = np.floor(invited * special_rate).astype(np.int64)
    # Everyone else: ward effect + group effect + this year's wobble, on the logit scale.
    effect = (g["ward_effect"] + g["group_effect"]).to_numpy() + rng.normal(0, 0.15, len(g))
    normal = ~special
    remaining = t.attended - special_att[special].sum()
    mu = _solve_mu(invited[normal], effect[normal], remaining)
    rate = np.clip(_expit(mu + effect), 0.5, 0.92)
    att = rng.binomial(invited, rate)
    lower = np.ceil(invited * 0.47).astype(np.int64)
    upper = np.floor(invited * 0.95).astype(np.int64)
    att[normal] = adjust_to_total(att[normal], int(remaining), lower[normal], upper[normal],
                                  invited[normal].astype(float))
    att[special] = special_att[special]
    frame = pd.DataFrame({
        "year": np.full(len(g), t.year, dtype=np.int64),
        "ward_code": g["ward_code"],
        "ward_name": g["ward_name"],
        "group_code": g["group_code"],
        "group_name": g["group_name"],
        "conference_date": pd.to_datetime(
            _group_dates(np.random.default_rng([seed, t.year, 2]),
                         g["ward_code"].to_numpy(), t)),
        "households_invited": invited.astype(np.int64),
        "households_attended": att.astype(np.int64),
        "opinions_count": np.zeros(len(g), dtype=np.int64),
        "notes": pd.Series(_notes(rng, g, kind, t.year), dtype="str").replace("", pd.NA),
    })
    # Opinions: roughly in proportion to attendance, with variation.
    p = frame["households_attended"].to_numpy() * rng.gamma(4.0, 1.0, len(g))
    frame["opinions_count"] = rng.multinomial(t.opinions, p / p.sum()).astype(np.int64)
    return frame, kind


def _ward_conferences(seed: int, t: YearTargets, group_frame: pd.DataFrame) -> pd.DataFrame:
    rng = np.random.default_rng([seed, t.year, 3])
    wards = wards_frame()
    n_groups = group_frame.groupby("ward_code").size().reindex(wards["ward_code"]).to_numpy()
    invited = allocate((20 + 5.5 * n_groups) * rng.lognormal(0, 0.1, len(wards)), t.ward_invited)
    rate = np.clip(rng.beta(40, 1.2, len(wards)), 0.88, 1.0)
    att = np.minimum(np.round(invited * rate).astype(np.int64), invited)
    att = adjust_to_total(att, t.ward_attended, np.ceil(invited * 0.88).astype(np.int64),
                          invited, invited.astype(float))
    p = np.sqrt(n_groups) * rng.gamma(3.0, 1.0, len(wards))
    days = _days(t.ward_window, t.year)
    last_group = group_frame.groupby("ward_code")["conference_date"].max()
    dates = []
    for code in wards["ward_code"]:
        ok = [d for d in days if pd.Timestamp(d) > last_group[code]]
        dates.append(ok[int(rng.integers(len(ok)))])
    return ward_conference_frame(t, wards, dates, invited, att,
                                 rng.multinomial(t.ward_opinions, p / p.sum()))


def ward_conference_frame(t: YearTargets, wards: pd.DataFrame, dates: Sequence[object],
                          invited: np.ndarray, attended: np.ndarray,
                          opinions: np.ndarray) -> pd.DataFrame:
    """The ward-conference table in the schema's columns and dtypes (any generator's)."""
    return pd.DataFrame({
        "year": np.full(len(wards), t.year, dtype=np.int64),
        "ward_code": wards["ward_code"],
        "ward_name": wards["ward_name"],
        "conference_date": pd.to_datetime(dates),
        "households_invited": invited.astype(np.int64),
        "households_attended": attended.astype(np.int64),
        "opinions_count": opinions.astype(np.int64),
    })


#: How requests spread and come back (see :func:`_opinions`).
SHARED_CONCERN_P = 0.5  # a group's opinion takes up a request other groups of its ward raise
NEW_CONCERN_ALPHA = 2.0  # ... the more requests a ward has, the likelier another is new
AGREE_P = 0.45  # of "khac" opinions: only agreeing with the report
REPEAT_P = {"resolved": 0.08, "open": 0.3}  # a group raising last year's request again
NAMED_GROUPS_P = 0.3  # a ward-level opinion naming the groups it carries forward


@dataclass
class _Year:
    """One generated year: the tables, the truth, and each ward's concerns (for next year)."""

    ops: pd.DataFrame
    truth: pd.DataFrame
    concerns: dict[str, dict[str, st.Concern]]  # ward -> key -> concern raised this year


def _opinions(seed: int, t: YearTargets, gc: pd.DataFrame, wc: pd.DataFrame,
              before: _Year | None) -> _Year:
    """The year's opinions, written so that what analysts look for is there and knowable.

    - Groups of a ward raise the same requests (concerns: an issue at one place, or about the
      whole ward): an opinion takes up one already raised in its ward with probability
      SHARED_CONCERN_P (popular ones more often, never twice by one group), else a new one.
    - A group raises last year's request again (REPEAT_P: more often when it was not
      resolved); the minute-taker sometimes says so.
    - Each ward-level opinion carries forward a request its groups raised (the most raised
      more likely), sometimes naming the groups.
    The truth (with_truth) records each opinion's concern, a ward-level opinion's sources
    and the opinion of last year it repeats.
    """
    rng = np.random.default_rng([seed, t.year, 4])
    pii_rng = np.random.default_rng([seed, t.year, 5])  # more personal data, its own stream
    crng = np.random.default_rng([seed, t.year, 6])  # which request each opinion makes
    rows, truth = [], []
    pools: dict[str, dict[str, st.Concern]] = {}
    raised_by: dict[tuple[str, str], list[str]] = {}  # (ward, concern key) -> opinion ids
    last: dict[str, list[tuple[str, st.Concern, str]]] = {}  # group -> (id, concern, status)
    if before is not None:
        prev = before.ops.merge(before.truth[["opinion_id", "concern"]], on="opinion_id")
        prev = prev[(prev["level"] == "to_dan_pho") & (prev["concern"] != st.AGREE_KEY)]
        for r in prev.itertuples(index=False):
            concern = before.concerns[r.ward_code].get(r.concern)
            if concern is not None:
                status = r.status if isinstance(r.status, str) else ""
                last.setdefault(r.group_code, []).append((r.opinion_id, concern, status))

    def add(oid, level, ward_code, group_code, op, concern_key, sources="", repeat_of=""):
        answered = t.year < 2024 and (level == "phuong" or rng.random() < t.answered_share)
        to, status, response = (st.follow_up(rng, op, t.year, level) if answered
                                else (None, None, None))
        rows.append((oid, t.year, level, ward_code, group_code, op.text, to, status, response))
        truth.append((oid, op.topics[0], ";".join(op.topics), op.frame, op.has_phone,
                      op.has_cccd, op.has_name, json.dumps(op.planted, ensure_ascii=False),
                      op.issue.key, concern_key, sources, repeat_of))

    for r in gc.itertuples(index=False):
        n = int(r.opinions_count)
        old_style = bool(rng.random() < st.OLD_STYLE_SHARE)  # the minute-taker's habit
        pool = pools.setdefault(r.ward_code, {})
        mine: set[str] = set()
        plan: list[tuple[st.Concern | None, str, bool]] = []  # (concern, repeat_of, agree)
        for oid, concern, status in last.get(r.group_code, []):
            p = REPEAT_P["resolved" if status == "resolved" else "open"]
            if len(plan) < n // 2 and concern.key not in mine and crng.random() < p:
                issue_ok = not concern.issue.years or t.year in concern.issue.years
                if issue_ok:
                    plan.append((concern, oid, False))
                    mine.add(concern.key)
        while len(plan) < n:
            topic = st.draw_topic(crng, t.year)
            if topic == "khac" and crng.random() < AGREE_P:
                plan.append((None, "", True))
                continue
            known = [c for c in pool.values() if c.topic == topic and c.key not in mine
                     and (not c.issue.years or t.year in c.issue.years)]
            counts = np.array([len(raised_by.get((r.ward_code, c.key), [])) for c in known],
                              dtype=float)
            # a ward with few requests of this topic so far is likelier to hear a new one
            taken = counts.sum() / (counts.sum() + NEW_CONCERN_ALPHA) if known else 0.0
            if known and crng.random() < SHARED_CONCERN_P * min(1.0, taken + 0.5):
                concern = known[int(crng.choice(len(known), p=(counts + 0.5) / (counts + 0.5)
                                                .sum()))]
            else:
                concern = st.new_concern(crng, st._choose_issue(crng, topic, t.year),
                                         r.ward_code)
                if concern.key in mine:
                    continue  # the same place drawn twice for one group: draw again
            plan.append((concern, "", False))
            mine.add(concern.key)
        order = crng.permutation(len(plan))  # repeats are not always read out first
        for k, j in enumerate(order, start=1):
            concern, repeat_of, agree = plan[int(j)]
            oid = f"{r.group_code}-{k:02d}"
            op = st.generate_opinion(rng, t.year, r.ward_code, "to_dan_pho", old_style, pii_rng,
                                     concern=concern, agree=agree,
                                     repeat_year=t.year - 1 if repeat_of else None)
            key = st.AGREE_KEY if concern is None else concern.key
            if concern is not None:
                pool.setdefault(concern.key, concern)
                raised_by.setdefault((r.ward_code, concern.key), []).append(oid)
            add(oid, "to_dan_pho", r.ward_code, r.group_code, op, key, repeat_of=repeat_of)

    ward_last: dict[tuple[str, str], str] = {}
    if before is not None:
        prev = before.ops.merge(before.truth[["opinion_id", "concern"]], on="opinion_id")
        for r in prev[prev["level"] == "phuong"].itertuples(index=False):
            ward_last[(r.ward_code, r.concern)] = r.opinion_id
    for w in wc.itertuples(index=False):
        n = int(w.opinions_count)
        old_style = bool(rng.random() < st.OLD_STYLE_SHARE)
        pool = pools.get(w.ward_code, {})
        keys = [k for k in pool if raised_by.get((w.ward_code, k))]
        weight = np.array([len(raised_by[(w.ward_code, k)]) for k in keys], dtype=float) ** 1.5
        take = min(n, len(keys))
        chosen = [keys[int(i)] for i in crng.choice(len(keys), take, replace=False,
                                                    p=weight / weight.sum())] if take else []
        for k in range(1, n + 1):
            oid = f"{w.ward_code}-P{k:02d}"
            if k <= len(chosen):
                concern = pool[chosen[k - 1]]
                sources = raised_by[(w.ward_code, concern.key)]
                numbers = sorted(int(s.split("-TDP")[1].split("-")[0][:2]) for s in sources)
                named = numbers if crng.random() < NAMED_GROUPS_P else None
                repeat = ward_last.get((w.ward_code, concern.key), "")
                op = st.generate_opinion(rng, t.year, w.ward_code, "phuong", old_style, pii_rng,
                                         concern=concern, named_groups=named,
                                         repeat_year=t.year - 1 if repeat else None)
                add(oid, "phuong", w.ward_code, None, op, concern.key, ";".join(sources),
                    repeat)
            else:  # more ward-level opinions than requests raised below: a new one
                concern = st.new_concern(crng, st._choose_issue(
                    crng, st.draw_topic(crng, t.year), t.year), w.ward_code)
                op = st.generate_opinion(rng, t.year, w.ward_code, "phuong", old_style,
                                         pii_rng, concern=concern)
                pool.setdefault(concern.key, concern)
                add(oid, "phuong", w.ward_code, None, op, concern.key)

    names = [c for c in schema.OPINIONS.names if c not in schema.STAFF_CODED]
    df = pd.DataFrame(rows, columns=names)
    df["year"] = df["year"].astype(np.int64)
    for col in ("group_code", "addressed_to", "status", "response"):
        df[col] = df[col].astype("str")
    truth_df = pd.DataFrame(truth, columns=TRUTH_COLUMNS)
    truth_df = _all_repeats(truth_df, df, before)
    return _Year(df, truth_df, pools)


TRUTH_COLUMNS = ["opinion_id", "topic", "topics", "frame", "has_phone", "has_cccd", "has_name",
                 "planted", "issue", "concern", "sources", "repeat_of"]


def _all_repeats(truth: pd.DataFrame, ops: pd.DataFrame, before: _Year | None) -> pd.DataFrame:
    """`repeat_of` for every opinion whose group (or ward, at ward level) raised the same
    request last year, whether the generator meant it or it came up again by chance."""
    if before is None:
        return truth
    prev = before.ops[["opinion_id", "level", "ward_code", "group_code"]].merge(
        before.truth[["opinion_id", "concern"]], on="opinion_id")
    prev = prev[prev["concern"] != st.AGREE_KEY]
    prev["unit"] = prev["group_code"].where(prev["level"] == "to_dan_pho", prev["ward_code"])
    first = prev.drop_duplicates(["unit", "concern"]).set_index(["unit", "concern"])["opinion_id"]
    unit = ops["group_code"].where(ops["level"] == "to_dan_pho", ops["ward_code"])
    found = [first.get((u, c), "") for u, c in zip(unit, truth["concern"], strict=True)]
    meant = truth["repeat_of"].where(truth["repeat_of"] != "", pd.Series(found, dtype=object))
    return truth.assign(repeat_of=meant.where(truth["concern"] != st.AGREE_KEY, ""))


@functools.lru_cache(maxsize=8)
def _year(year: int, seed: int) -> tuple[_Year, pd.DataFrame, pd.DataFrame, np.ndarray]:
    """A generated year (cached: the next year is made from it)."""
    t = targets(year, seed)
    gc, kind = _group_conferences(seed, t)
    wc = _ward_conferences(seed, t, gc)
    before = _year(year - 1, seed)[0] if year - 1 in YEARS and year > min(YEARS) else None
    made = _opinions(seed, t, gc, wc, before)
    return made, gc, wc, kind


def generate(year: int, seed: int = DEFAULT_SEED, *,
             with_truth: bool = False) -> dict[str, pd.DataFrame]:
    """The three tables of one year, in the schema's column order (opinions without `topic`).

    with_truth=True adds "opinions_truth" (the topic the generator meant; the request each
    opinion makes, `concern`, the same key wherever it is raised; for a ward-level opinion
    the group-level opinions it carries forward, `sources`; the opinion of the year before
    by the same group or ward that it repeats, `repeat_of`; personal data it inserted: flags
    and, in "planted", a JSON list of [kind, verbatim text]) and "group_truth" (which groups
    were made poor or excellent) for tests.
    """
    made, gc, wc, kind = _year(year, seed)
    ops, truth = made.ops.copy(), made.truth.copy()
    gc = gc[schema.GROUP_CONFERENCES.names]
    wc = wc[schema.WARD_CONFERENCES.names]
    out = {"group_conferences": gc, "ward_conferences": wc, "opinions": ops}
    if with_truth:
        out["opinions_truth"] = truth
        out["group_truth"] = pd.DataFrame({"group_code": gc["group_code"], "kind": kind})
    return out


# --------------------------------------------------------------------------------------
# Writing data/
# --------------------------------------------------------------------------------------

NOTE_VI = ("Dữ liệu tổng hợp (giả lập) do hbt_analysis.synth tạo từ một seed cố định; các tổng số "
           "khớp số liệu đã công bố, số liệu từng tổ dân phố và nội dung ý kiến là giả định, "
           "không phải số liệu thật.")
NOTE_EN = ("Synthetic data made by hbt_analysis.synth from a fixed seed; totals match the "
           "published figures, the per-group numbers and the opinion texts are made up, not "
           "real records.")


def _write_csv(frame: pd.DataFrame, path: Path) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    frame.to_csv(tmp, index=False, encoding="utf-8", date_format="%Y-%m-%d", lineterminator="\n")
    tmp.replace(path)
    return path


def write(data_dir: Path | str, years: tuple[int, ...] | list[int] = YEARS,
          seed: int = DEFAULT_SEED) -> list[Path]:
    """Write every year to data_dir/<year>/ (CSV; EXCEL_YEAR as the template workbook) with
    dataset.json marking it synthetic. Returns the paths written."""
    from hbt_analysis.dataset import write_metadata

    data_dir = Path(data_dir)
    written: list[Path] = []
    for year in years:
        folder = data_dir / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        tables = generate(year, seed)
        csv_names = [f"{name}.csv" for name in tables]
        xlsx = folder / f"hbt_{year}.xlsx"
        if year == EXCEL_YEAR:
            from hbt_analysis.template import write_workbook

            files = [write_workbook(tables, xlsx, wards=wards_frame(), year=year)]
            stale = [folder / n for n in csv_names]
        else:
            files = [_write_csv(frame, folder / f"{name}.csv") for name, frame in tables.items()]
            stale = [xlsx]
        for path in stale:  # a table in two places would not load
            path.unlink(missing_ok=True)
        meta = write_metadata(folder, files, year=year, synthetic=True,
                              generator="hbt_analysis.synth", seed=seed,
                              note_vi=NOTE_VI, note_en=NOTE_EN)
        written += [*files, meta]
    return written

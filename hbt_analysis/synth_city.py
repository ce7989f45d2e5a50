"""A made-up city for benchmarks: ~126 wards, ~10.000 groups, ~60.000 opinions a year.

Nothing here is a real place or a real figure. The city, its wards (codes 90001…, which no
GSO unit uses) and every number are drawn from a seed; the opinions are written by the same
text generator as the bundled data (`synth_text`, through `synth._opinions`), with each
made-up ward borrowing the street and landmark names of one bundled ward so that requests
name places as minutes do. The set is written with its own unit registry
(`reference/units.csv`), so the package reads it with no code change:

    python -m hbt_analysis.synth_city OUT     # --wards, --groups, --opinions for other sizes
    hbt validate --data-dir OUT
    hbt report --data-dir OUT --year 2024

It is a benchmark input (generated, not committed): `benchmarks/bench_city.py`.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from hbt_analysis import schema, synth
from hbt_analysis import synth_text as st

DEFAULT_SEED = 20250701
YEARS = (2022, 2023, 2024)
CITY_CODE = "900"
CODE_BASE = 90000  # ward codes 90001, 90002, …: not used by any GSO unit
MAX_GROUPS_PER_WARD = 99  # group codes keep two digits (<ward>-TDPnn)

NOTE_VI = ("Dữ liệu tổng hợp (giả lập) của một thành phố không có thật, do "
           "hbt_analysis.synth_city tạo từ một seed cố định để đo tốc độ; mọi số liệu và nội "
           "dung ý kiến là giả định, không phải số liệu thật.")
NOTE_EN = ("Synthetic data of a made-up city, made by hbt_analysis.synth_city from a fixed seed "
           "for benchmarks; every figure and opinion text is made up, not a real record.")

_FIRST = ("An", "Bình", "Tân", "Phú", "Hòa", "Thạnh", "Long", "Phước", "Vĩnh", "Hưng", "Minh",
          "Quang", "Thành", "Trung", "Đông", "Tây", "Nam", "Bắc", "Kim", "Ngọc", "Hồng",
          "Thanh", "Mỹ", "Gia")
_SECOND = ("Lạc", "Thịnh", "Phong", "Lộc", "Khánh", "Sơn", "Hải", "Điền", "Xuân", "Hòa",
           "Thuận", "Lợi", "Tiến", "Mỹ", "Đức", "Yên", "Lâm", "Thủy", "Giang", "Tường")


@dataclass(frozen=True)
class CitySize:
    """How big the made-up city is (the defaults: issue 12's city)."""

    wards: int = 126
    groups: int = 10_000
    opinions: int = 60_000  # group-level opinions a year
    ward_opinions: int = 6  # per ward conference, on average


def ward_names(n: int, seed: int = DEFAULT_SEED) -> list[str]:
    """n distinct made-up two-syllable ward names."""
    rng = np.random.default_rng([seed, 0])
    pairs = [f"{a} {b}" for a in _FIRST for b in _SECOND if a != b]
    if n > len(pairs):
        raise ValueError(f"at most {len(pairs)} wards")
    return [pairs[int(i)] for i in rng.choice(len(pairs), n, replace=False)]


def units_frame(size: CitySize = CitySize(), seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The city's unit registry (the columns of data/reference/units.csv)."""
    names = ward_names(size.wards, seed)
    rows = [(CITY_CODE, "Mẫu", "thành phố", "", "", "", "", "synth_city (made up)",
             "thành phố không có thật, để đo tốc độ / a made-up city for benchmarks")]
    rows += [(f"{CODE_BASE + i + 1:05d}", name, "phường", CITY_CODE, "", "", "",
              "synth_city (made up)", "") for i, name in enumerate(names)]
    return pd.DataFrame(rows, columns=["code", "name", "kind", "parent", "valid_from",
                                       "valid_to", "successor", "source", "note"])


def groups(size: CitySize = CitySize(), seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """Every group of the city with its stable traits (the columns of `synth.groups`)."""
    rng = np.random.default_rng([seed, 1])
    units = units_frame(size, seed).iloc[1:].reset_index(drop=True)
    weight = rng.lognormal(0.0, 0.35, len(units))
    n = np.minimum(synth.allocate(weight, size.groups), MAX_GROUPS_PER_WARD)
    n = synth.adjust_to_total(n, min(size.groups, MAX_GROUPS_PER_WARD * len(units)),
                              np.ones(len(units), dtype=np.int64),
                              np.full(len(units), MAX_GROUPS_PER_WARD), weight)
    ward_effect = rng.normal(0.0, 0.28, len(units))
    ward_share = rng.uniform(0.52, 0.70, len(units))
    k = np.repeat(np.arange(len(units)), n)
    group_no = np.concatenate([np.arange(1, m + 1) for m in n])
    total = int(n.sum())
    df = pd.DataFrame({
        "ward_code": units["code"].to_numpy()[k],
        "ward_name": units["name"].to_numpy()[k],
        "group_no": group_no,
        "households": rng.lognormal(np.log(190.0), 0.3, total),
        "invite_share": ward_share[k] * rng.lognormal(0.0, 0.08, total),
        "ward_effect": ward_effect[k],
        "group_effect": rng.normal(0.0, 0.38, total),
        "first_year": min(YEARS),
    })
    df["group_code"] = df["ward_code"] + "-TDP" + df["group_no"].map("{:02d}".format)
    df["group_name"] = "Tổ dân phố số " + df["group_no"].astype(str)
    chronic = np.full(total, "", dtype=object)
    picks = rng.choice(total, max(6, total // 50), replace=False)
    chronic[picks[: len(picks) // 2]] = "poor"
    chronic[picks[len(picks) // 2:]] = "excellent"
    df["chronic"] = chronic
    return df


def _targets(year: int, size: CitySize, g: pd.DataFrame, seed: int) -> synth.YearTargets:
    rng = np.random.default_rng([seed, year, 0])
    invited = round((g["households"] * g["invite_share"]).sum()
                        * rng.uniform(0.95, 1.0))
    n_wards = g["ward_code"].nunique()
    ward_invited = int(n_wards * rng.integers(110, 130))
    return synth.YearTargets(
        year, len(g), invited, round(invited * rng.uniform(0.64, 0.72)),
        round(size.opinions * rng.uniform(0.95, 1.05)), ward_invited,
        round(ward_invited * rng.uniform(0.955, 0.98)), size.ward_opinions * n_wards,
        (dt.date(year, 1, 4), dt.date(year, 2, 28)), (dt.date(year, 3, 1), dt.date(year, 3, 15)),
        0.5 if year < 2024 else 0.0)


def _group_conferences(g: pd.DataFrame, t: synth.YearTargets, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng([seed, t.year, 1])
    expected = (g["households"] * g["invite_share"]).to_numpy() * rng.lognormal(0, 0.04, len(g))
    invited = np.maximum(synth.allocate(expected, t.invited), 5)
    kind = g["chronic"].to_numpy()
    effect = (g["ward_effect"] + g["group_effect"]).to_numpy() + rng.normal(0, 0.15, len(g))
    effect = np.where(kind == "poor", -2.0, np.where(kind == "excellent", 2.0, effect))
    mu = synth._solve_mu(invited, effect, t.attended)
    att = rng.binomial(invited, np.clip(synth._expit(mu + effect), 0.3, 0.97))
    att = synth.adjust_to_total(att, t.attended, np.ceil(invited * 0.25).astype(np.int64),
                                np.floor(invited * 0.98).astype(np.int64), invited.astype(float))
    p = att * rng.gamma(4.0, 1.0, len(g))
    frame = pd.DataFrame({
        "year": np.full(len(g), t.year, dtype=np.int64),
        "ward_code": g["ward_code"],
        "ward_name": g["ward_name"],
        "group_code": g["group_code"],
        "group_name": g["group_name"],
        "conference_date": pd.to_datetime(synth._group_dates(
            np.random.default_rng([seed, t.year, 2]), g["ward_code"].to_numpy(), t)),
        "households_invited": invited.astype(np.int64),
        "households_attended": att.astype(np.int64),
        "opinions_count": rng.multinomial(t.opinions, p / p.sum()).astype(np.int64),
        "notes": pd.Series(pd.NA, index=g.index, dtype="str"),
    })
    return frame


def _ward_conferences(gc: pd.DataFrame, t: synth.YearTargets, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng([seed, t.year, 3])
    wards = gc.drop_duplicates("ward_code")[["ward_code", "ward_name"]].reset_index(drop=True)
    n_groups = gc.groupby("ward_code").size().reindex(wards["ward_code"]).to_numpy()
    invited = synth.allocate((20 + 1.2 * n_groups) * rng.lognormal(0, 0.1, len(wards)),
                             t.ward_invited)
    att = np.minimum(np.round(invited * np.clip(rng.beta(40, 1.2, len(wards)), 0.88, 1.0))
                     .astype(np.int64), invited)
    att = synth.adjust_to_total(att, t.ward_attended, np.ceil(invited * 0.85).astype(np.int64),
                                invited, invited.astype(float))
    last = gc.groupby("ward_code")["conference_date"].max()
    days = pd.to_datetime(synth._days(t.ward_window, t.year))
    dates = [days[days > last[c]][int(rng.integers((days > last[c]).sum()))]
             for c in wards["ward_code"]]
    p = np.sqrt(n_groups) * rng.gamma(3.0, 1.0, len(wards))
    return synth.ward_conference_frame(t, wards, dates, invited, att,
                                       rng.multinomial(t.ward_opinions, p / p.sum()))


@contextlib.contextmanager
def _borrowed_places(codes: list[str]) -> Iterator[None]:
    """Each made-up ward names the streets and landmarks of one bundled ward (in turn)."""
    bundled = sorted(st.WARD_PLACES)
    added = [c for c in codes if c not in st.WARD_PLACES]
    for i, code in enumerate(added):
        st.WARD_PLACES[code] = st.WARD_PLACES[bundled[i % len(bundled)]]
    try:
        yield
    finally:
        for code in added:
            st.WARD_PLACES.pop(code, None)


def generate(size: CitySize = CitySize(), years: tuple[int, ...] = YEARS,
             seed: int = DEFAULT_SEED,
             progress: bool = False) -> dict[int, dict[str, pd.DataFrame]]:
    """The three tables of each year (in order: a year's repeats point at the one before)."""
    g = groups(size, seed)
    out: dict[int, dict[str, pd.DataFrame]] = {}
    before = None
    with _borrowed_places(sorted(g["ward_code"].unique())):
        for year in years:
            t = _targets(year, size, g, seed)
            gc = _group_conferences(g, t, seed)
            wc = _ward_conferences(gc, t, seed)
            made = synth._opinions(seed, t, gc, wc, before)
            before = made
            out[year] = {"group_conferences": gc[schema.GROUP_CONFERENCES.names],
                         "ward_conferences": wc[schema.WARD_CONFERENCES.names],
                         "opinions": made.ops}
            if progress:
                print(f"{year}: {len(gc)} tổ, {len(wc)} phường, {len(made.ops)} ý kiến",
                      file=sys.stderr, flush=True)
    return out


def write(out_dir: Path | str, size: CitySize = CitySize(), years: tuple[int, ...] = YEARS,
          seed: int = DEFAULT_SEED, progress: bool = False) -> list[Path]:
    """Write the city to out_dir: reference/units.csv and <year>/*.csv + dataset.json."""
    from hbt_analysis.dataset import REFERENCE_DIR, write_metadata
    from hbt_analysis.registry import UNITS_FILE

    out_dir = Path(out_dir)
    (out_dir / REFERENCE_DIR).mkdir(parents=True, exist_ok=True)
    units = out_dir / REFERENCE_DIR / UNITS_FILE
    units_frame(size, seed).to_csv(units, index=False, encoding="utf-8", lineterminator="\n")
    written = [units]
    for year, tables in generate(size, years, seed, progress).items():
        folder = out_dir / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        files = [synth._write_csv(frame, folder / f"{name}.csv")
                 for name, frame in tables.items()]
        meta = write_metadata(folder, files, year=year, synthetic=True,
                              generator="hbt_analysis.synth_city", seed=seed,
                              size=vars(size), note_vi=NOTE_VI, note_en=NOTE_EN)
        written += [*files, meta]
    return written


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m hbt_analysis.synth_city",
                                description="Write the made-up city (a benchmark input).")
    p.add_argument("out", type=Path)
    p.add_argument("--wards", type=int, default=CitySize.wards)
    p.add_argument("--groups", type=int, default=CitySize.groups)
    p.add_argument("--opinions", type=int, default=CitySize.opinions)
    p.add_argument("--seed", type=int, default=DEFAULT_SEED)
    a = p.parse_args(argv)
    size = CitySize(a.wards, a.groups, a.opinions)
    write(a.out, size, seed=a.seed, progress=True)
    print(a.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The benchmark inputs of issue 12 (generated, not committed): the made-up city and a year
of one million opinions made from it.

    .venv/bin/python benchmarks/city.py [DIR]     # writes DIR (default $HBT_CITY_DIR or
                                                  # /tmp/hbt_city) and DIR-1m

The city is `hbt_analysis.synth_city` (126 wards, 10.000 groups, ~60.000 opinions a year,
2022–2024) with its own unit registry. The 1 M year (`DIR-1m/2024`, with 2023 beside it as
the year before) keeps the city's 2024 groups and ward conferences and draws 1.000.000
group-level opinions from the city's 2024 texts (with replacement), so its texts are real
generator output without writing a million new ones; `opinions_count` follows.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from hbt_analysis import synth, synth_city

DEFAULT_DIR = Path(os.environ.get("HBT_CITY_DIR", "/tmp/hbt_city"))
MILLION = 1_000_000


def ensure_city(root: Path = DEFAULT_DIR) -> Path:
    """The city at root (made if missing; the generator is deterministic)."""
    if not all((root / str(y) / "dataset.json").is_file() for y in synth_city.YEARS):
        synth_city.write(root, progress=True)
    return root


def ensure_million(city: Path = DEFAULT_DIR, n: int = MILLION, seed: int = 1) -> Path:
    """A data folder whose 2024 holds n group-level opinions (2023 as the year before)."""
    out = city.with_name(city.name + ("-1m" if n == MILLION else f"-{n}"))
    if (out / "2024" / "opinions.csv").is_file():
        return out
    ensure_city(city)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(city / "reference", tmp / "reference")
    shutil.copytree(city / "2023", tmp / "2023")
    (tmp / "2024").mkdir(parents=True)
    rng = np.random.default_rng(seed)
    gc = pd.read_csv(city / "2024" / "group_conferences.csv", dtype=str, keep_default_na=False)
    wc = pd.read_csv(city / "2024" / "ward_conferences.csv", dtype=str, keep_default_na=False)
    ops = pd.read_csv(city / "2024" / "opinions.csv", dtype=str, keep_default_na=False)
    weight = gc["households_attended"].astype(float).to_numpy() * rng.gamma(4.0, 1.0, len(gc))
    counts = rng.multinomial(n, weight / weight.sum())
    gc["opinions_count"] = counts.astype(str)
    k = np.repeat(np.arange(len(gc)), counts)
    seq = np.concatenate([np.arange(1, c + 1) for c in counts])
    group_ops = ops[ops["level"] == "to_dan_pho"]
    pick = rng.integers(0, len(group_ops), n)
    million = group_ops.iloc[pick].reset_index(drop=True)
    million["ward_code"] = gc["ward_code"].to_numpy()[k]
    million["group_code"] = gc["group_code"].to_numpy()[k]
    million["opinion_id"] = million["group_code"] + "-" + pd.Series(seq).map("{:03d}".format)
    ward_ops = ops[ops["level"] == "phuong"]
    files = [synth._write_csv(gc, tmp / "2024" / "group_conferences.csv"),
             synth._write_csv(wc, tmp / "2024" / "ward_conferences.csv"),
             synth._write_csv(pd.concat([million, ward_ops], ignore_index=True),
                              tmp / "2024" / "opinions.csv")]
    from hbt_analysis.dataset import write_metadata

    write_metadata(tmp / "2024", files, year=2024, synthetic=True,
                   generator="benchmarks/city.py (hbt_analysis.synth_city, resampled)",
                   note_vi=synth_city.NOTE_VI, note_en=synth_city.NOTE_EN)
    tmp.rename(out)
    return out


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR
    print(ensure_city(root))
    print(ensure_million(root))

"""The whole minutes path on the bundled year: `hbt synth --minutes` writes 2023 as 281 Word
documents, `hbt import-minutes` reads them back, `hbt validate` agrees with every published
total, and `hbt report` builds from the imported data (labelled synthetic)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from hbt_analysis import load, synth
from hbt_analysis.text import normalize

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]


def _hbt(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hbt_analysis.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    """2023 written as minutes and read back (once for the module: it takes half a minute)."""
    tmp = tmp_path_factory.mktemp("minutes_2023")
    docs, data = tmp / "bien_ban", tmp / "data"
    made = _hbt("synth", "--minutes", str(docs), "--year", "2023")
    assert made.returncode == 0, made.stderr
    assert len(list(docs.rglob("*.docx"))) == 263 + 18
    result = _hbt("import-minutes", str(docs), "--out", str(data))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "51.477" in result.stdout and "35.323" in result.stdout
    return data


def test_2023_as_minutes_comes_back_exactly(imported):
    data = imported

    checked = _hbt("validate", "--data-dir", str(data), "--year", "2023")
    assert checked.returncode == 0, checked.stdout
    assert "10/10 khớp/agree" in checked.stdout
    ds = load(2023, data)
    g, w, ops = ds.group_conferences, ds.ward_conferences, ds.opinions
    assert (len(g), int(g["households_invited"].sum()), int(g["households_attended"].sum())) \
        == (263, 51477, 35323)
    assert (len(w), int(w["households_invited"].sum()), int(w["households_attended"].sum())) \
        == (18, 2203, 2142)
    assert int((ops["level"] == "to_dan_pho").sum()) == 1435
    assert int((ops["level"] == "phuong").sum()) == 59
    assert ds.synthetic  # read from the generator's documents: still labelled synthetic

    # every group's row and every opinion, not only the totals
    truth = synth.generate(2023)
    expected = truth["group_conferences"].set_index("group_code")
    got = g.set_index("group_code").loc[expected.index]
    for col in ("ward_code", "households_invited", "households_attended", "opinions_count"):
        assert (got[col].to_numpy() == expected[col].to_numpy()).all(), col
    assert (got["conference_date"].dt.date.to_numpy()
            == pd.to_datetime(expected["conference_date"]).dt.date.to_numpy()).all()
    want = truth["opinions"].assign(text=lambda d: d["text"].map(normalize))
    key = ["level", "ward_code", "group_code"]
    for (level, ward, group), rows in want.groupby(key, dropna=False):
        mask = (ops["level"] == level) & (ops["ward_code"] == ward)
        mask &= ops["group_code"].isna() if pd.isna(group) else ops["group_code"] == group
        read = ops.loc[mask, "text"].tolist()
        assert len(read) == len(rows), (level, ward, group)
        for original in rows["text"]:  # any order: one layout groups opinions by field
            if original in read:
                read.remove(original)
                continue
            # only a speaker written into the opinion's text ("Ông X ở số 87 … phản ánh:",
            # "Lương Minh Liên phản ánh:"), now dropped
            text = next((t for t in read if original.endswith(t)), None)
            assert text is not None, original
            dropped = original[: len(original) - len(text)]
            assert re.match(r"^(?:(?:Ông|Bà|Anh|Chị|Cô|Chú|Bác|Cụ) )?[A-ZĐ][^:]{0,90}:\s*$",
                            dropped), (original, text)
            read.remove(text)


def test_imported_minutes_build_a_report(imported, tmp_path):
    data, out = imported, tmp_path / "reports"
    report = _hbt("report", "--data-dir", str(data), "--year", "2023", "--ward", "district",
                  "--notebook", "00_overview", "--output", str(out), "--workers", "1")
    assert report.returncode == 0, report.stdout + report.stderr
    html = next(out.rglob("district/00_overview.html")).read_text(encoding="utf-8")
    assert "35.323" in html
    assert "dữ liệu mô phỏng" in html.lower()  # the synthetic note

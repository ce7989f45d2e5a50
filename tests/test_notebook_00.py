"""Notebook 00 (the leadership brief) runs with papermill on the real kernel and says the
right things; nbval runs it top to bottom at its defaults."""

from __future__ import annotations

from pathlib import Path

import papermill as pm
import pytest

import hbt_analysis as hbt
from hbt_analysis import attendance, funnel
from hbt_analysis.fmt import fmt_int, fmt_pct
from tests.conftest import ROOT, needs_bundled_data
from tests.nbtools import texts

NOTEBOOK = ROOT / "notebooks" / "00_overview.ipynb"
pytestmark = needs_bundled_data


def _run(tmp_path: Path, **parameters) -> str:
    out = tmp_path / "out.ipynb"
    nb = pm.execute_notebook(str(NOTEBOOK), str(out), parameters=parameters,
                             kernel_name="hbt-analysis", progress_bar=False, cwd=str(ROOT))
    return texts(nb)


@pytest.mark.parametrize("ward", [None, "00277"])
def test_brief_states_the_years_figures(tmp_path, ward):
    text = _run(tmp_path, year=2023, ward=ward)
    ds = hbt.load(2023)
    groups = attendance.scope_frame(ds.group_conferences, ward)
    assert fmt_int(groups["households_attended"].sum()) in text
    assert fmt_pct(groups["households_attended"].sum() / groups["households_invited"].sum()) in text
    assert "Dữ liệu mô phỏng" in text  # the synthetic note is visible
    assert "plotly" in text
    low = funnel.unusual_points(ds.group_conferences, ward)
    for name in low.loc[low["signal"] == "unusually_low", "group_name"].head(3):
        assert name in text  # the groups that need attention, named
    assert "hbt-cards" in text and "hbt-bullets" in text


def test_brief_in_english_for_the_first_year_has_no_comparison(tmp_path):
    text = _run(tmp_path, year=2022, lang="en")
    assert "first year in the data" in text and "nothing to compare with" in text
    assert "So với năm" not in text and "Synthetic data" in text

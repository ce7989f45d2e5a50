"""Shared fixtures: the project's data folder and a scratch data folder with the reference facts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


@pytest.fixture
def scratch_data(tmp_path: Path) -> Path:
    """An empty data folder that has the reference facts (wards, totals, crosswalk)."""
    shutil.copytree(DATA / "reference", tmp_path / "reference")
    return tmp_path


def bundled_years() -> list[int]:
    from hbt_analysis import available_years

    return available_years(DATA)


needs_bundled_data = pytest.mark.skipif(
    not (DATA / "2023").is_dir(), reason="the bundled synthetic data has not been generated"
)

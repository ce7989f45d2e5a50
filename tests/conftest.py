"""Shared fixtures: the project's data folder and a scratch data folder with the reference facts."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests (hypothesis) draw the same examples on every machine under `make test`,
# so CI and a developer see the same result and a failure repeats until it is fixed.
# `make fuzz` explores: fresh random examples on every run (HBT_HYPOTHESIS=explore).
# No per-example deadline: a loaded CI machine is slow, not wrong.
settings.register_profile("repeatable", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", derandomize=False, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HBT_HYPOTHESIS", "repeatable"))

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


@pytest.fixture(autouse=True)
def _units_named_as_wards_again():
    """A test that resolves a made-up huyện's scope leaves its unit words ('xã, thị trấn')
    in this process (labels.use_area: one area at a time per process, as in a kernel); the
    next test starts with wards again, as a fresh kernel does."""
    yield
    from hbt_analysis import labels

    labels.use_area(None)

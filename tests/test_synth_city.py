"""The made-up city (issue 12's benchmark input) and the reading shortcuts found by it.

The city is small here (the benchmark makes the full size): what is tested is that the
generator's output is a data folder the package reads with no code change (its own unit
registry, validated, marked synthetic), that it is deterministic, and that the shortcuts of
the loader (the year before read for its groups only; opinion rows classified without the
sum-label work) give the same answers as the full reading.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import hbt_analysis as hbt
from hbt_analysis import dataset, synth_city
from hbt_analysis.intake import reader
from hbt_analysis.intake.header import find_header, is_header_repeat
from hbt_analysis.registry import registry
from hbt_analysis.schema import YEARLY_TABLES

SMALL = synth_city.CitySize(wards=5, groups=240, opinions=900, ward_opinions=3)


@pytest.fixture(scope="module")
def small_city(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("city")
    synth_city.write(root, SMALL)
    return root


def test_the_city_loads_with_its_own_registry_and_says_it_is_synthetic(small_city):
    for year in synth_city.YEARS:
        ds = hbt.load(year, data_dir=small_city)
        assert ds.synthetic
        assert "không có thật" in ds.metadata["note_vi"]
        assert len(ds.wards) == SMALL.wards
        assert set(ds.wards["ward_code"]) == {f"9000{i}" for i in range(1, 6)}
        assert len(ds.group_conferences) == SMALL.groups
        gc = ds.group_conferences
        assert (gc["households_attended"] <= gc["households_invited"]).all()
        group_ops = ds.opinions[ds.opinions["level"] == "to_dan_pho"]
        assert len(group_ops) == gc["opinions_count"].sum()
        assert 0.95 * SMALL.opinions <= len(group_ops) <= 1.05 * SMALL.opinions
        assert len(ds.opinions) - len(group_ops) == ds.ward_conferences["opinions_count"].sum()
        assert ds.area.title().endswith("Mẫu")  # the city's name, from its registry
    # no bundled fact is applied to another area
    assert hbt.load(2023, data_dir=small_city).published.empty


def test_the_city_validates_through_the_cli(small_city):
    out = subprocess.run([sys.executable, "-m", "hbt_analysis.cli", "validate", "--data-dir",
                          str(small_city)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]


def test_the_city_is_deterministic_and_its_places_are_borrowed_only_while_writing(tmp_path):
    from hbt_analysis import synth_text

    before = dict(synth_text.WARD_PLACES)
    a = synth_city.generate(SMALL, years=(2022,))
    b = synth_city.generate(SMALL, years=(2022,))
    assert before == synth_text.WARD_PLACES
    for name in a[2022]:
        pd.testing.assert_frame_equal(a[2022][name], b[2022][name])
    units = synth_city.units_frame(SMALL)
    assert units["code"].is_unique and len(units) == SMALL.wards + 1
    assert units["name"].iloc[1:].is_unique


def test_groups_never_exceed_two_digit_codes():
    g = synth_city.groups(synth_city.CitySize(wards=3, groups=500, opinions=10))
    assert g["group_no"].max() <= synth_city.MAX_GROUPS_PER_WARD
    assert g.groupby("ward_code").size().max() <= synth_city.MAX_GROUPS_PER_WARD


def test_the_year_before_is_read_for_its_groups_only_and_counts_the_same(small_city, tmp_path):
    folder = small_city / "2023"
    files = dataset.year_files(folder)
    wards = registry(small_city).wards(2023)
    full = reader.read_files(files, 2023, wards)
    groups_only = reader.read_files(files, 2023, wards, tables=("group_conferences",))
    assert set(groups_only.tables) == {"group_conferences"}
    pd.testing.assert_frame_equal(groups_only.tables["group_conferences"].frame,
                                  full.tables["group_conferences"].frame)
    counts = dataset._previous_counts(folder, 2023, small_city)
    expected = full.tables["group_conferences"].frame.groupby("ward_code")[
        "group_code"].nunique().to_dict()
    assert counts == expected
    # a file whose header is of another table is not read; one of the table asked is
    copy = tmp_path / "opinions_as_text.csv"
    shutil.copy(folder / "opinions.csv", copy)
    assert reader._holds_other_table(copy, ("group_conferences",))
    assert not reader._holds_other_table(folder / "group_conferences.csv",
                                         ("group_conferences",))


def test_a_repeated_header_among_opinions_is_still_set_aside(small_city, tmp_path):
    lines = (small_city / "2024" / "opinions.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0]
    bad = tmp_path / "2024"
    shutil.copytree(small_city / "2024", bad)
    shutil.copytree(small_city / "reference", tmp_path / "reference")
    (bad / "dataset.json").unlink()
    (bad / "opinions.csv").write_text("\n".join([*lines[:11], header, *lines[11:]]) + "\n",
                                      encoding="utf-8")
    ds = hbt.load(2024, data_dir=tmp_path)
    assert len(ds.opinions) == len(lines) - 1
    rows = [header.split(","), lines[1].split(",")]
    h = find_header(rows, YEARLY_TABLES["opinions"])
    assert is_header_repeat(header.split(","), h)
    assert is_header_repeat(header.split(","), h, header.split(","))


def test_optional_text_with_blanks_takes_the_fast_path_with_the_same_values():
    from hbt_analysis.schema import OPINIONS
    from hbt_analysis.validate import cells as validate

    col = OPINIONS.column("response")
    assert not col.required
    cells = ["  UBND phường  đã trả lời ", None, "hoà giải xong", None, "Đã xử lý"]
    fast = validate._fast_column(pd.Series(cells, dtype=object), col)
    assert fast is not None and str(fast.dtype) == "str"
    slow = pd.Series([validate._parse_cell(col, c) for c in cells], dtype="str")
    pd.testing.assert_series_equal(fast, slow)
    assert fast.isna().tolist() == [False, True, False, True, False]
    assert fast[2] == "hòa giải xong"  # normalised like every other text
    # a required text column with a blank still goes the careful way (which names the cell)
    assert validate._fast_column(pd.Series(["a", None], dtype=object),
                                 OPINIONS.column("text")) is None

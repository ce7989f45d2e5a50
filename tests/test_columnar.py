"""The columnar reader (plain CSV opinion lists read by pyarrow) gives what the row-wise
reader gives: the same frames (values and dtypes) and the same problems (file, row, column,
both messages), on every plain CSV the tests and the bundled data use, and on plain files
corrupted in the ways offices corrupt them. A file the columnar reader cannot prove plain
(a subtotal, a heading, a legacy-font cell, a repeated header …) is read row by row; the
tests also check that the columnar path is really taken where it should be, so that they
can fail."""

from __future__ import annotations

import random
import re
import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hbt_analysis import arrow_text, dataset, legacy
from hbt_analysis.intake.columnar import ColumnarBlock
from hbt_analysis.intake.explain import render
from hbt_analysis.text import normalize

from .conftest import DATA, needs_bundled_data

CASES = Path(__file__).parent / "bad_inputs"


def load_both(folder: Path, year: int, root: Path) -> tuple[dataset.Dataset, dataset.Dataset]:
    files = dataset.year_files(folder)
    fast = dataset.load_files(files, year, reference_dir=root, strict=False, columnar=True)
    rows = dataset.load_files(files, year, reference_dir=root, strict=False, columnar=False)
    return fast, rows


def columnar_tables(ds: dataset.Dataset) -> set[str]:
    return {s.table for f in ds.intake.files for s in f.sheets
            if isinstance(s.block, ColumnarBlock)}


def assert_same(fast: dataset.Dataset, rows: dataset.Dataset) -> None:
    for name in ("group_conferences", "ward_conferences", "opinions"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(rows, name))
    assert fast.warnings == rows.warnings
    assert fast.intake.names_mapped == rows.intake.names_mapped
    assert [s.block.data_rows() for f in fast.intake.files for s in f.sheets if s.block] == \
        [s.block.data_rows() for f in rows.intake.files for s in f.sheets if s.block]
    for lang in ("vi", "en"):  # `hbt validate --explain` tells the same story
        assert render(fast.intake, lang) == render(rows.intake, lang)


@needs_bundled_data
@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_bundled_years_read_the_same_both_ways(year):
    fast, rows = load_both(DATA / str(year), year, DATA)
    assert columnar_tables(fast) == {"opinions", "group_conferences"}
    assert columnar_tables(rows) == set()
    assert_same(fast, rows)


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_bad_input_cases_read_the_same_both_ways(case, scratch_data):
    shutil.copytree(CASES / case / "2023", scratch_data / "2023")
    fast, rows = load_both(scratch_data / "2023", 2023, scratch_data)
    assert_same(fast, rows)


@pytest.mark.parametrize("name", ["independent_opinions.csv", "labelled_opinions.csv"])
def test_the_tests_opinion_files_as_a_year(name, scratch_data):
    """The labelled opinion sets, as a year's opinions list beside the 2023 groups."""
    src = pd.read_csv(Path(__file__).parent / "data" / name, dtype=str, keep_default_na=False)
    ops = pd.read_csv(DATA / "2023" / "opinions.csv", dtype=str, keep_default_na=False)
    text = next(c for c in src.columns if c in ("text", "noi_dung", "opinion"))
    n = min(len(ops), len(src))
    ops = ops.iloc[:n].copy()
    ops["text"] = src[text].iloc[:n].to_numpy()
    folder = _year(scratch_data, ops)
    fast, rows = load_both(folder, 2023, scratch_data)
    assert "opinions" in columnar_tables(fast)
    assert_same(fast, rows)


# --- corrupted plain files --------------------------------------------------------------

def _year(root: Path, opinions: pd.DataFrame | str, name: str = "opinions.csv") -> Path:
    folder = root / "2023"
    folder.mkdir(exist_ok=True)
    for other in ("group_conferences.csv", "ward_conferences.csv", "opinions.csv"):
        if other != name:
            shutil.copy(DATA / "2023" / other, folder / other)
    path = folder / name
    if isinstance(opinions, str):
        path.write_text(opinions, encoding="utf-8")
    else:
        opinions.to_csv(path, index=False)
    return folder


def _lines(name: str = "opinions.csv") -> list[str]:
    return (DATA / "2023" / name).read_text(encoding="utf-8").splitlines()


def _cells(line: str) -> list[str]:
    import csv

    return next(csv.reader([line]))


def _join(cells: list[str]) -> str:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def _set(lines: list[str], i: int, col: str, value: str) -> None:
    header = _cells(lines[0])
    cells = _cells(lines[i]) if lines[i] else []
    cells += [""] * (len(header) - len(cells))
    cells[header.index(col)] = value
    lines[i] = _join(cells)


CORRUPTIONS = {
    "bad_year": lambda ls, i: _set(ls, i, "year", "2O23"),
    "year_text_number": lambda ls, i: _set(ls, i, "year", "2.023"),
    "year_other": lambda ls, i: _set(ls, i, "year", "2022"),
    "year_too_small": lambda ls, i: _set(ls, i, "year", "1999"),
    "year_blank": lambda ls, i: _set(ls, i, "year", ""),
    "missing_ward_code": lambda ls, i: _set(ls, i, "ward_code", ""),
    "unknown_ward": lambda ls, i: _set(ls, i, "ward_code", "00999"),
    "short_ward_code": lambda ls, i: _set(ls, i, "ward_code", "271"),
    "ward_by_name": lambda ls, i: _set(ls, i, "ward_code", "Bạch Đằng"),
    "unknown_ward_name": lambda ls, i: _set(ls, i, "ward_code", "Phường Xyz"),
    "missing_group": lambda ls, i: _set(ls, i, "group_code", ""),
    "unknown_group": lambda ls, i: _set(ls, i, "group_code", "00271-TDP99"),
    "group_by_name": lambda ls, i: _set(ls, i, "group_code", "Tổ 3"),
    "group_of_other_ward": lambda ls, i: _set(ls, i, "group_code", "00256-TDP01"),
    "duplicate_id": lambda ls, i: _set(ls, i, "opinion_id", _cells(ls[1])[0]),
    "missing_id": lambda ls, i: _set(ls, i, "opinion_id", ""),
    "bad_level": lambda ls, i: _set(ls, i, "level", "cấp xã"),
    "level_words": lambda ls, i: _set(ls, i, "level", "Hội nghị TDP"),
    "missing_text": lambda ls, i: _set(ls, i, "text", ""),
    "blank_text_spaces": lambda ls, i: _set(ls, i, "text", "   "),
    "text_zero_width": lambda ls, i: _set(ls, i, "text", "\u200b"),
    "text_decomposed": lambda ls, i: _set(ls, i, "text", unicodedata.normalize(
        "NFD", "Đề nghị sửa đường ngõ 12, hoà giải tranh chấp")),
    "text_second_vowel_tone": lambda ls, i: _set(ls, i, "text", "Đề nghị xoá bỏ rác, khoẻ"),
    "text_spaces": lambda ls, i: _set(ls, i, "text", "  Đề nghị  sửa   đường ,vỉa hè  "),
    "text_multiline": lambda ls, i: _set(ls, i, "text", "Đề nghị sửa đường\nvà vỉa hè"),
    "text_quotes": lambda ls, i: _set(ls, i, "text", 'Đề nghị "sửa" đường, vỉa hè'),
    "text_unaccented_dash": lambda ls, i: _set(ls, i, "text", "De nghi sua duong – via he"),
    "legacy_tcvn3_text": lambda ls, i: _set(ls, i, "text", legacy.from_unicode(
        "Đề nghị phường sửa đường ngõ và thu gom rác thải", "tcvn3")),
    "legacy_vni_text": lambda ls, i: _set(ls, i, "text", legacy.from_unicode(
        "Đề nghị phường sửa đường ngõ và thu gom rác thải", "vni")),
    "mojibake_text": lambda ls, i: _set(ls, i, "text", "Đề nghị sửa đường".encode()
                                        .decode("cp1252", errors="replace")),
    "bad_status": lambda ls, i: _set(ls, i, "status", "không rõ"),
    "status_words": lambda ls, i: _set(ls, i, "status", "Đã giải quyết xong"),
    "blank_line": lambda ls, i: ls.insert(i, ""),
    "empty_cells_line": lambda ls, i: ls.insert(i, ",,,,,,,,"),
    "repeated_header": lambda ls, i: ls.insert(i, ls[0]),
    "ward_heading": lambda ls, i: ls.insert(i, ",,,,,PHƯỜNG BẠCH ĐẰNG,,,"),
    "section_row": lambda ls, i: ls.insert(i, ",,,,,I. LĨNH VỰC ĐÔ THỊ,,,"),
    "subtotal_row": lambda ls, i: ls.insert(i, ",,,,,Cộng phường: 12 ý kiến,,,"),
    "number_row": lambda ls, i: ls.insert(i, "(1),(2),(3),(4),(5),(6),(7),(8),(9)"),
    "short_row": lambda ls, i: ls.insert(i, "x,2023"),
    "long_row": lambda ls, i: ls.insert(i, ls[i] + ",extra,cells"),
    "trailing_blank_lines": lambda ls, i: ls.extend(["", ",,,,,,,,", ""]),
}


@needs_bundled_data
@pytest.mark.parametrize("kind", sorted(CORRUPTIONS))
def test_each_corruption_gives_the_same_errors_both_ways(kind, scratch_data):
    lines = _lines()
    header = _cells(lines[0])
    if "status" not in header:
        pytest.skip("the bundled opinions have no status column")
    CORRUPTIONS[kind](lines, 40)
    folder = _year(scratch_data, "\n".join(lines) + "\n")
    fast, rows = load_both(folder, 2023, scratch_data)
    assert_same(fast, rows)
    if kind in ("bad_year", "missing_ward_code", "unknown_ward", "duplicate_id",
                "missing_group", "unknown_group", "bad_level", "text_spaces"):
        assert "opinions" in columnar_tables(fast), "a cell-level fault stays columnar"
    if kind in ("repeated_header", "ward_heading", "section_row", "legacy_tcvn3_text",
                "number_row", "missing_text"):
        assert "opinions" not in columnar_tables(fast), "not plain: read row by row"


@needs_bundled_data
@settings(max_examples=12, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(CORRUPTIONS)), st.integers(1, 1400)),
                min_size=1, max_size=4))
def test_random_corruptions_give_the_same_result_both_ways(tmp_path_factory, faults):
    root = tmp_path_factory.mktemp("data")
    shutil.copytree(DATA / "reference", root / "reference")
    lines = _lines()
    for kind, row in faults:
        CORRUPTIONS[kind](lines, min(row, len(lines) - 1))
    folder = _year(root, "\n".join(lines) + "\n")
    fast, rows = load_both(folder, 2023, root)
    assert_same(fast, rows)


GROUP_CORRUPTIONS = {
    "bad_count": lambda ls, i: _set(ls, i, "households_invited", "1O5"),
    "count_with_dots": lambda ls, i: _set(ls, i, "households_invited", "1.050"),
    "count_fraction": lambda ls, i: _set(ls, i, "households_attended", "12,5"),
    "blank_count": lambda ls, i: _set(ls, i, "households_attended", ""),
    "blank_opinions_count": lambda ls, i: _set(ls, i, "opinions_count", ""),
    "negative": lambda ls, i: _set(ls, i, "households_invited", "-3"),
    "attended_gt_invited": lambda ls, i: _set(ls, i, "households_attended", "9999"),
    "duplicate_group": lambda ls, i: _set(ls, i, "group_code", _cells(ls[2])[3]),
    "unknown_ward": lambda ls, i: _set(ls, i, "ward_code", "00999"),
    "missing_ward": lambda ls, i: _set(ls, i, "ward_code", ""),
    "ward_name_mismatch": lambda ls, i: _set(ls, i, "ward_name", "Bạch Mai"),
    "missing_ward_name": lambda ls, i: _set(ls, i, "ward_name", ""),
    "group_by_name": lambda ls, i: _set(ls, i, "group_code", "Tổ 5"),
    "group_of_other_ward": lambda ls, i: _set(ls, i, "group_code", "00256-TDP01"),
    "bad_date": lambda ls, i: _set(ls, i, "conference_date", "31/02/2023"),
    "date_without_year": lambda ls, i: _set(ls, i, "conference_date", "15/1"),
    "date_other_style": lambda ls, i: _set(ls, i, "conference_date", "Thứ hai, 06/02/2023"),
    "year_other": lambda ls, i: _set(ls, i, "year", "2022"),
    "legacy_name": lambda ls, i: _set(ls, i, "group_name", legacy.from_unicode(
        "Tổ dân phố số một", "tcvn3")),
    "subtotal_row": lambda ls, i: ls.insert(i, ",,,,Cộng phường,,1200,800,30,"),
    "total_row": lambda ls, i: ls.insert(i, ",,,,TỔNG CỘNG,,51477,35323,1435,"),
    "ward_heading": lambda ls, i: ls.insert(i, ",,PHƯỜNG BẠCH ĐẰNG,,,,,,,"),
    "blank_line": lambda ls, i: ls.insert(i, ""),
    "repeated_header": lambda ls, i: ls.insert(i, ls[0]),
    "signature": lambda ls, i: ls.insert(i, ",,,,Người lập biểu,,,,,"),
    # filled down, name first then code: `--explain` lists them in that order both ways
    "blank_name_then_code": lambda ls, i: (_set(ls, i, "ward_name", ""),
                                           _set(ls, i + 20, "ward_code", "")),
}


@needs_bundled_data
@pytest.mark.parametrize("kind", sorted(GROUP_CORRUPTIONS))
def test_each_corruption_of_the_groups_gives_the_same_errors_both_ways(kind, scratch_data):
    lines = _lines("group_conferences.csv")
    GROUP_CORRUPTIONS[kind](lines, 30)
    folder = _year(scratch_data, "\n".join(lines) + "\n", "group_conferences.csv")
    fast, rows = load_both(folder, 2023, scratch_data)
    assert_same(fast, rows)
    if kind in ("bad_count", "blank_count", "negative", "duplicate_group", "unknown_ward",
                "bad_date", "ward_name_mismatch"):
        assert "group_conferences" in columnar_tables(fast), "a cell-level fault stays columnar"
    if kind in ("subtotal_row", "total_row", "ward_heading", "repeated_header",
                "group_by_name", "date_without_year", "legacy_name"):
        assert "group_conferences" not in columnar_tables(fast), "not plain: row by row"


@needs_bundled_data
@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(sorted(GROUP_CORRUPTIONS)), st.integers(1, 262)),
                min_size=1, max_size=4))
def test_random_corruptions_of_the_groups_both_ways(tmp_path_factory, faults):
    root = tmp_path_factory.mktemp("data")
    shutil.copytree(DATA / "reference", root / "reference")
    lines = _lines("group_conferences.csv")
    for kind, row in faults:
        GROUP_CORRUPTIONS[kind](lines, min(row, len(lines) - 1))
    folder = _year(root, "\n".join(lines) + "\n", "group_conferences.csv")
    fast, rows = load_both(folder, 2023, root)
    assert_same(fast, rows)


@needs_bundled_data
def test_a_wrong_number_is_an_error_with_its_row_and_column(scratch_data):
    """What the user sees from the columnar path: file, spreadsheet row, column, both
    languages (the same Problem as row by row, compared above)."""
    lines = _lines()
    _set(lines, 40, "year", "2O23")
    folder = _year(scratch_data, "\n".join(lines) + "\n")
    fast, _ = load_both(folder, 2023, scratch_data)
    assert "opinions" in columnar_tables(fast)
    bad = [p for p in fast.warnings if p.code == "bad_value"]
    assert len(bad) == 1 and bad[0].row == 41 and bad[0].column == "year"
    assert bad[0].file.endswith("opinions.csv")
    assert "không phải là số" in bad[0].message_vi and "is not a number" in bad[0].message_en


# --- the vectorised text tests are exact ------------------------------------------------

def test_safe_characters_are_printable_and_normal():
    for ch in arrow_text.SAFE_CHARS:
        assert ch.isprintable() and unicodedata.is_normalized("NFC", ch), repr(ch)
        assert normalize("x" + ch + "x") == "x" + ch + "x" or ch in ",;!?()[]{} .:…", repr(ch)
    for ch in arrow_text.SAFE_CHARS:
        assert (ch in arrow_text.SAFE_WORD_CHARS) == bool(re.match(r"\w", ch))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(
    st.text(alphabet=st.sampled_from(list("aAoOuUyYqQ eèéẻẽẹàáảãạỳýỷỹỵ,.;!?()[]\n\t\u200b"
                                        "\u0301\u0300ăâđơư–“”")), max_size=12),
    st.text(max_size=8)), min_size=1, max_size=30))
def test_normalize_arrow_equals_normalize(values):
    import pyarrow as pa

    arr = pa.array(values, pa.large_string())
    assert arrow_text.normalize_arrow(arr).to_pylist() == [normalize(v) for v in values]
    only = arrow_text.normalize_arrow(arr, only_non_ascii=True).to_pylist()
    assert only == [v if v.isascii() else normalize(v) for v in values]
    half = pa.array([v if v.isascii() else normalize(v) for v in values], pa.large_string())
    assert arrow_text.normalize_arrow(half, only_ascii=True).to_pylist() == \
        [normalize(v) for v in values]
    blank = arrow_text.python_whitespace_only(arr).to_pylist()
    assert blank == [not v.strip() for v in values]


def test_a_large_opinions_list_stays_columnar(scratch_data):
    """Many rows, one group's opinions repeated: the path the benchmark measures."""
    ops = pd.read_csv(DATA / "2023" / "opinions.csv", dtype=str, keep_default_na=False)
    rng = random.Random(3)
    big = ops.sample(n=20_000, replace=True, random_state=rng.randrange(10_000))
    big["opinion_id"] = [f"X-{i:06d}" for i in range(len(big))]
    groups = pd.read_csv(DATA / "2023" / "group_conferences.csv", dtype=str,
                         keep_default_na=False)
    counts = big[big["level"] == "to_dan_pho"].groupby("group_code").size()
    groups["opinions_count"] = groups["group_code"].map(counts).fillna(0).astype(int)
    folder = _year(scratch_data, big)
    groups.to_csv(folder / "group_conferences.csv", index=False)
    fast, rows = load_both(folder, 2023, scratch_data)
    assert "opinions" in columnar_tables(fast)
    assert_same(fast, rows)


@needs_bundled_data
@pytest.mark.parametrize("year", [2024, 2026])
def test_load_with_the_year_before_reads_the_same_both_ways(year, monkeypatch):
    """`load` also reads the year before's groups (the coverage check): both ways alike."""
    out = {}
    for mode in ("", "rows"):
        monkeypatch.setenv("HBT_READER", mode)
        dataset._LOADED.clear()
        out[mode] = dataset.load(year, DATA, strict=False)
    dataset._LOADED.clear()
    assert columnar_tables(out[""]) == {"opinions", "group_conferences"}
    assert columnar_tables(out["rows"]) == set()
    assert_same(out[""], out["rows"])

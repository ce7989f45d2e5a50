"""`hbt validate CASE` on a folder that holds year folders (CASE/2023/) rather than a year's
files: the only year is read as if CASE/2023 had been named; several are listed, with the
way to choose, in Vietnamese and English (exit 1, no traceback). Real workbooks, real CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests import intake_files as make
from tests.conftest import DATA, needs_bundled_data

pytestmark = needs_bundled_data


def _validate(path: Path, *args: str) -> tuple[int, str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "hbt_analysis.cli", "validate", str(path),
         "--data-dir", str(DATA), *args],
        capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result.returncode, result.stdout, result.stderr


def _case(tmp_path: Path) -> Path:
    """A case folder as offices hand one over: the year's workbook in 2023/, a note beside."""
    case = tmp_path / "c_report_sheet"
    make.report_sheet(case / "2023")
    (case / "case.md").write_text("Biểu tổng hợp của quận\n", encoding="utf-8")
    return case


def test_a_folder_holding_one_year_folder_is_read_as_that_year(tmp_path):
    case = _case(tmp_path)
    code, out, err = _validate(case)
    assert code == 0, out + err
    assert "== Năm 2023" in out and "263 hội nghị" in out and "HỢP LỆ / VALID" in out
    # word for word what naming the year's folder itself gives
    assert (code, out, err) == _validate(case / "2023")


def test_a_folder_holding_several_years_names_them_and_asks_for_one(tmp_path):
    case = _case(tmp_path)
    shutil.copytree(case / "2023", case / "2024")
    code, out, err = _validate(case)
    assert code == 1 and out == ""
    assert str(case) in err
    assert "nhiều năm (2023, 2024)" in err and "--year NĂM" in err  # Vietnamese
    assert "several years (2023, 2024)" in err and "--year YEAR" in err  # English
    # --year picks one: the same result as naming its folder
    assert _validate(case, "--year", "2023") == _validate(case / "2023")


def test_a_year_not_among_the_folders_is_named_with_the_ones_there(tmp_path):
    case = _case(tmp_path)
    code, _, err = _validate(case, "--year", "2022")
    assert code == 1
    assert "không có thư mục năm 2022" in err and "no folder of 2022" in err
    assert "2023" in err


def test_a_folder_of_a_years_files_not_named_by_its_year_still_asks_for_the_year(tmp_path):
    folder = tmp_path / "bao_cao_quan"
    make.report_sheet(folder)
    (folder / "2023").mkdir()  # an empty year folder beside the files does not take over
    code, _, err = _validate(folder)
    assert code == 1 and "--year" in err and "cannot tell the data's year" in err
    code, out, _ = _validate(folder, "--year", "2023")
    assert code == 0 and "263 hội nghị" in out

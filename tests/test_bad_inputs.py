"""Every bad input is refused by the real CLI with file, row, column and a fix; nothing changes."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "bad_inputs"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "expected.txt").exists())


def _expected(case: str) -> list[tuple[str, str]]:
    lines = (CASES / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [tuple(part.strip() for part in line.split(":", 1)) for line in lines if line.strip()]


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_hbt(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hbt_analysis.cli", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("case", CASE_NAMES)
def test_bad_input_is_refused_with_a_located_message(case, scratch_data):
    shutil.copytree(CASES / case / "2023", scratch_data / "2023")
    before = _digest(scratch_data)
    result = run_hbt("validate", "--year", "2023", "--data-dir", str(scratch_data))
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    for kind, value in _expected(case):
        if kind == "file":
            assert value in output
        elif kind == "row":
            assert f"dòng/row {value}" in output
        elif kind == "column":
            assert f"cột/column '{value}'" in output
        elif kind == "message":
            assert value in output, f"{value!r} not in:\n{output}"
        elif kind == "count":
            assert output.count("[LỖI/ERROR]") == int(value), output
        else:
            raise AssertionError(f"unknown expectation {kind!r} in {case}")
    assert _digest(scratch_data) == before, "validation must not modify any input"


def test_the_good_rows_of_the_cases_are_valid(scratch_data):
    """The cases share good rows: without the planted fault the same data passes."""
    src = (CASES / "attended_gt_invited" / "2023" / "group_conferences.csv").read_text("utf-8")
    (scratch_data / "2023").mkdir()
    (scratch_data / "2023" / "group_conferences.csv").write_text(
        src.replace(",200,250,", ",200,150,"), encoding="utf-8")
    result = run_hbt("validate", "--year", "2023", "--data-dir", str(scratch_data))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "HỢP LỆ / VALID" in result.stdout


def test_missing_year_and_missing_path_exit_non_zero_without_traceback(scratch_data):
    for args in (("validate", "--year", "1999", "--data-dir", str(scratch_data)),
                 ("validate", str(scratch_data / "nowhere.csv"))):
        result = run_hbt(*args)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr + result.stdout
        assert "/" in result.stderr  # bilingual: "vi / en"

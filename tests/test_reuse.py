"""Runs that reuse: unchanged reports are copied from the earlier run, changed ones executed.

Real batches (worker processes, warm `hbt-analysis` kernels, papermill, nbclient, nbconvert)
on the small notebooks of tests/notebooks/, and one run of a project notebook through the CLI.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hbt_analysis.report import output as out
from hbt_analysis.report.plan import Report, YearInfo
from hbt_analysis.report.reuse import data_fingerprint, tree_fingerprint
from hbt_analysis.report.runner import run_batch

ROOT = Path(__file__).resolve().parents[1]
TEST_NB = ROOT / "tests" / "notebooks"
WARDS = (("00241", "Nguyễn Du"), ("00244", "Bạch Đằng"))
INFOS = {2023: YearInfo(2023, "hash2023", True, WARDS, True)}


def _report(notebook: Path, ward: str | None = None, **params) -> Report:
    return Report(notebook, 2023, ward, dict(WARDS).get(ward),
                  {"year": 2023, "ward": ward, **params})


def _rows(outcome) -> dict[str, dict]:
    return {r["key"]: r for r in outcome.results}


def _manifest(outcome) -> dict:
    return json.loads((outcome.run_dirs[2023] / "manifest.json").read_text(encoding="utf-8"))


def test_fingerprints_follow_every_byte_of_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    before = data_fingerprint(data)
    assert data_fingerprint(data) == before and tree_fingerprint(data / "2023")
    path = data / "2023" / "group_conferences.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n", encoding="utf-8")
    assert data_fingerprint(data) != before  # one more byte: not the same data
    path.write_text(text, encoding="utf-8")
    assert data_fingerprint(data) == before
    for_2023 = data_fingerprint(data, 2023)
    (data / "2024" / "ghi_chu.xlsx").write_bytes(b"x")  # a later year: not 2023's input
    assert data_fingerprint(data, 2023) == for_2023 and data_fingerprint(data) != before
    (data / "2022" / "ghi_chu.xlsx").write_bytes(b"x")  # the base year (02 reads it) is
    assert data_fingerprint(data, 2023) != for_2023
    for_2022 = data_fingerprint(data, 2022)
    units = data / "reference" / "units.csv"
    units.write_bytes(units.read_bytes() + b"\n")  # the unit registry counts for every year
    assert data_fingerprint(data, 2022) != for_2022


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """A first run with a failing report, then runs that change one input at a time."""
    base = tmp_path_factory.mktemp("reuse")
    nbs, data, output = base / "notebooks", base / "data", base / "reports"
    nbs.mkdir()
    for name in ("report_ok", "fail"):
        shutil.copy(TEST_NB / f"{name}.ipynb", nbs / f"{name}.ipynb")
    shutil.copytree(ROOT / "data", data)
    ok, fail = nbs / "report_ok.ipynb", nbs / "fail.ipynb"

    def plan(failing: bool = False, **params):
        return [_report(ok), _report(ok, "00241", **params)] + (
            [_report(fail, "00244")] if failing else [])

    def run(reports, **kw):
        return run_batch(reports, INFOS, output, workers=1, data_dir=data, **kw)

    done = {"first": run(plan(failing=True))}
    done["again"] = run(plan(failing=True))
    done["param"] = run(plan(lang="en"))
    nb = json.loads(ok.read_text(encoding="utf-8"))
    nb["cells"].append({"cell_type": "markdown", "id": "them-mot-dong", "metadata": {},
                        "source": "Thêm một dòng."})
    ok.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    done["notebook"] = run(plan(lang="en"))
    done["same_again"] = run(plan(lang="en"))
    csv = data / "2023" / "group_conferences.csv"
    csv.write_text(csv.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    done["data"] = run(plan(lang="en"))
    done["force"] = run(plan(lang="en"), force=True)
    return done


@pytest.mark.slow
def test_second_run_copies_unchanged_reports_and_says_so(runs) -> None:
    first, again = runs["first"], runs["again"]
    rows = _rows(again)
    assert again.exit_code == 1 and again.reused == 2
    for key in ("district/report_ok", "00241/report_ok"):
        assert rows[key]["reused_from"] == first.run_id, key
        assert rows[key]["input_key"] == _rows(first)[key]["input_key"]
        for suffix in (".html", ".ipynb"):
            copied = again.run_dirs[2023] / f"{key}{suffix}"
            assert copied.read_bytes() == (first.run_dirs[2023] / f"{key}{suffix}").read_bytes()
    # a failed report is never reused: executed again, and fails again
    assert rows["00244/fail"]["reused_from"] is None and rows["00244/fail"]["status"] == "failed"
    assert rows["00244/fail"]["started"] != _rows(first)["00244/fail"]["started"]
    manifest = _manifest(again)
    assert manifest["reused"] == 2 and manifest["force"] is False
    index = (again.run_dirs[2023] / "index.html").read_text(encoding="utf-8")
    assert "2/3 báo cáo dùng lại từ lượt chạy trước" in index and "1 báo cáo chạy lại" in index
    tech = (again.run_dirs[2023] / out.TECHNICAL_PAGE).read_text(encoding="utf-8")
    assert tech.count(f"dùng lại từ lượt {first.run_id}") == 2
    # the first run still stands whole (links, not moves)
    assert (first.run_dirs[2023] / "district/report_ok.html").is_file()


@pytest.mark.slow
def test_a_changed_parameter_notebook_or_data_is_executed_again(runs) -> None:
    param = _rows(runs["param"])
    assert param["district/report_ok"]["reused_from"] == runs["first"].run_id
    assert param["00241/report_ok"]["reused_from"] is None  # lang="en" there only
    assert param["00241/report_ok"]["status"] == "ok"

    notebook = _rows(runs["notebook"])
    assert runs["notebook"].reused == 0  # the notebook's text changed: every copy of it
    assert all(r["reused_from"] is None for r in notebook.values())
    html = (runs["notebook"].run_dirs[2023] / "district/report_ok.html").read_text("utf-8")
    assert "Thêm một dòng." in html

    same = _rows(runs["same_again"])
    assert runs["same_again"].reused == 2
    assert same["00241/report_ok"]["reused_from"] == runs["notebook"].run_id

    assert runs["data"].reused == 0  # one byte more in the data folder
    assert all(r["reused_from"] is None for r in _rows(runs["data"]).values())


@pytest.mark.slow
def test_force_executes_everything(runs) -> None:
    forced = runs["force"]
    assert forced.reused == 0 and _manifest(forced)["force"] is True
    rows = _rows(forced)
    assert all(r["reused_from"] is None for r in rows.values())
    assert rows["district/report_ok"]["status"] == "ok"
    index = (forced.run_dirs[2023] / "index.html").read_text(encoding="utf-8")
    assert "dùng lại" not in index


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hbt_analysis.cli", "report", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_cli_reuses_a_project_report_and_force_rebuilds_it(tmp_path: Path) -> None:
    common = ["--year", "2023", "--ward", "00241", "--notebook", "01_attendance",
              "--output", str(tmp_path), "--workers", "1"]
    first = _cli(*common)
    assert first.returncode == 0, first.stderr
    second = _cli(*common)
    assert second.returncode == 0, second.stderr
    assert "1/1 báo cáo dùng lại" in second.stderr and "--force" in second.stderr
    assert "[1/1]" not in second.stderr  # nothing executed
    runs = out.list_runs(tmp_path / "2023")
    assert out.read_latest(tmp_path / "2023") == runs[-1]  # a reused run moves latest too
    manifest = json.loads((tmp_path / "2023" / runs[-1] / "manifest.json").read_text())
    assert manifest["reports"][0]["reused_from"] == runs[0]
    assert manifest["review_list"] and manifest["figures"]
    for name in manifest["review_list"]:
        assert (tmp_path / "2023" / runs[-1] / name).is_file()
    index = (tmp_path / "2023" / runs[-1] / "index.html").read_text(encoding="utf-8")
    assert "1/1 báo cáo dùng lại" in index and "Phường Nguyễn Du" in index
    third = _cli(*common, "--force")
    assert third.returncode == 0, third.stderr
    assert "dùng lại" not in third.stderr and "[1/1] OK" in third.stderr

"""`hbt report`: plan checks, run folders, and real batches on real kernels (slow).

The slow tests run the small notebooks of tests/notebooks/ through the real engine
(worker processes, `hbt-analysis` kernels, papermill parameterisation, nbclient, nbconvert).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from filelock import FileLock

from hbt_analysis import __version__
from hbt_analysis.report import output as out
from hbt_analysis.report.cli import register_cli, run_cli
from hbt_analysis.report.export import PLOTLY_JS_MARKER
from hbt_analysis.report.plan import (
    PlanError,
    Report,
    YearInfo,
    build_plan,
    check_parameters,
    notebook_parameters,
    read_plan_file,
    resolve_notebooks,
    resolve_wards,
    vi_sort_key,
)
from hbt_analysis.report.runner import run_batch

ROOT = Path(__file__).resolve().parents[1]
TEST_NB = ROOT / "tests" / "notebooks"
WARDS = (("00241", "Nguyễn Du"), ("00244", "Bạch Đằng"), ("00286", "Bạch Mai"))


def info(year: int = 2023, previous: bool = True) -> YearInfo:
    return YearInfo(year, "hash" + str(year), True, WARDS, previous)


def parse(argv: list[str]):
    import argparse

    parser = argparse.ArgumentParser(prog="hbt")
    register_cli(parser.add_subparsers(dest="command"))
    return parser.parse_args(["report", *argv])


@pytest.fixture
def nb_dir(tmp_path: Path) -> Path:
    """The four notebook names of the project, each a copy of a small test notebook."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for stem in ("00_overview", "01_attendance", "02_compare_years", "03_opinions", "99_extra"):
        shutil.copy(TEST_NB / "report_ok.ipynb", folder / f"{stem}.ipynb")
    return folder


# --- plan -----------------------------------------------------------------------------------

def test_default_plan_district_gets_every_notebook_wards_get_theirs(nb_dir: Path) -> None:
    reports = build_plan({2023: info()}, resolve_notebooks(None, nb_dir))
    district = [r.stem for r in reports if r.ward_code is None]
    assert district == ["00_overview", "01_attendance", "02_compare_years", "03_opinions",
                        "99_extra"]
    for code, _ in WARDS:
        assert [r.stem for r in reports if r.ward_code == code] == [
            "00_overview", "01_attendance", "02_compare_years", "03_opinions"]
    assert all(r.parameters == {"year": 2023, "ward": r.ward_code} for r in reports)
    assert len({r.key for r in reports}) == len(reports)


def test_compare_notebook_only_with_a_previous_year(nb_dir: Path) -> None:
    reports = build_plan({2022: info(2022, previous=False)}, resolve_notebooks(None, nb_dir))
    assert "02_compare_years" not in {r.stem for r in reports}
    assert len(reports) == 4 + 3 * 3


def test_wards_by_code_name_district_and_all() -> None:
    i = info()
    assert resolve_wards(["00286"], i) == ["00286"]
    assert resolve_wards(["bach mai", "Phường Nguyễn Du"], i) == ["00286", "00241"]
    assert resolve_wards(["district,00244"], i) == [None, "00244"]
    assert resolve_wards(["all"], i) == [None, "00241", "00244", "00286"]
    with pytest.raises(PlanError, match="99999"):
        resolve_wards(["99999"], i)


def test_unknown_notebook_is_refused(nb_dir: Path) -> None:
    assert [p.stem for p in resolve_notebooks(["01"], nb_dir)] == ["01_attendance"]
    with pytest.raises(PlanError, match="nope"):
        resolve_notebooks(["nope"], nb_dir)


def test_parameters_read_even_with_union_annotations() -> None:
    # `ward: str | None = None` is "Unable to parse" for papermill alone.
    assert notebook_parameters(TEST_NB / "report_ok.ipynb") == {"year", "ward", "lang"}


def test_unknown_parameter_is_refused_with_its_name() -> None:
    nb = TEST_NB / "report_ok.ipynb"
    check_parameters([Report(nb, 2023, None, None, {"year": 2023, "ward": None, "lang": "en"})])
    with pytest.raises(PlanError) as err:
        check_parameters([Report(nb, 2023, None, None, {"year": 2023, "colour": "red"})])
    assert "colour" in str(err.value) and "report_ok.ipynb" in str(err.value)


def test_plan_file_refuses_unknown_keys(tmp_path: Path) -> None:
    good = tmp_path / "plan.yaml"
    good.write_text("years: 2023\nwards: [00241, district]\nparameters: {lang: en}\nkeep: 3\n")
    data = read_plan_file(good)
    assert data["years"] == [2023] and data["parameters"] == {"lang": "en"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("yaers: [2023]\n")
    with pytest.raises(PlanError, match="yaers"):
        read_plan_file(bad)


def test_vietnamese_order_of_ward_names() -> None:
    names = ["Đồng Tâm", "Vĩnh Tuy", "Bạch Mai", "Ân Thi", "Bách Khoa", "Cầu Dền", "Đống Mác"]
    assert sorted(names, key=vi_sort_key) == [
        "Ân Thi", "Bách Khoa", "Bạch Mai", "Cầu Dền", "Đống Mác", "Đồng Tâm", "Vĩnh Tuy"]


def test_cli_refuses_unknown_parameter_before_running(tmp_path: Path, capsys) -> None:
    output = tmp_path / "reports"
    code = run_cli(parse(["--notebooks-dir", str(TEST_NB), "--notebook", "report_ok",
                          "--ward", "district", "--year", "2023", "-p", "colour=red",
                          "--output", str(output)]))
    assert code == 2
    assert "colour" in capsys.readouterr().err
    assert not output.exists()  # nothing ran, nothing was written


def test_pdf_without_chromium_is_refused_before_running(tmp_path: Path, capsys,
                                                       monkeypatch) -> None:
    monkeypatch.setenv("HBT_CHROMIUM", str(tmp_path / "no-chromium-here"))
    output = tmp_path / "reports"
    code = run_cli(parse(["--notebooks-dir", str(TEST_NB), "--notebook", "report_ok",
                          "--ward", "district", "--year", "2023", "--pdf",
                          "--output", str(output)]))
    err = capsys.readouterr().err
    assert code == 2 and "Chromium" in err and "apt-get install chromium" in err
    assert "Traceback" not in err and not output.exists()


def test_cli_refuses_a_year_without_data(tmp_path: Path, capsys) -> None:
    code = run_cli(parse(["--year", "1999", "--output", str(tmp_path / "r")]))
    assert code == 2
    assert "1999" in capsys.readouterr().err


# --- export ---------------------------------------------------------------------------------

def test_plotly_bundles_and_mathjax_cdn_are_removed_from_outputs() -> None:
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from hbt_analysis.report.export import MATHJAX_CDN, strip_plotly_bundles

    bundle = "<script>/**\n* plotly.js v9.9.9\n*/ var Plotly = {};</script>"
    chart = ('<div> <script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/3.2.2/es5/'
             'tex-svg.min.js"></script><div id="c" class="plotly-graph-div"></div></div>')
    nb = new_notebook(cells=[new_code_cell("x", outputs=[
        new_output("display_data", {"text/html": bundle}),
        new_output("display_data", {"text/html": chart}),
        new_output("display_data", {"text/html": bundle + chart}),  # a chart with its own copy
    ])])
    clean, removed, has_chart = strip_plotly_bundles(nb)
    assert (removed, has_chart) == (1, True)
    htmls = [o["data"]["text/html"] for o in clean.cells[0].outputs]
    assert len(htmls) == 2 and not any(MATHJAX_CDN.search(h) for h in htmls)
    assert all('class="plotly-graph-div"' in h for h in htmls)
    assert len(nb.cells[0].outputs) == 3  # the executed notebook itself is not modified


def test_cli_refuses_a_missing_kernel_and_a_bad_plan_file(tmp_path: Path, capsys) -> None:
    base = ["--notebooks-dir", str(TEST_NB), "--notebook", "report_ok", "--ward", "district",
            "--year", "2023", "--output", str(tmp_path / "r")]
    assert run_cli(parse([*base, "--kernel", "no-such-kernel"])) == 2
    assert "no-such-kernel" in capsys.readouterr().err
    plan = tmp_path / "plan.yaml"
    plan.write_text("years: [2023]\nworkerz: 2\n")
    assert run_cli(parse([*base, "--plan", str(plan)])) == 2
    assert "workerz" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


# --- run folders ----------------------------------------------------------------------------

def test_run_ids_sort_by_time_and_are_unique() -> None:
    ids = {out.new_run_id() for _ in range(200)}
    assert len(ids) == 200 and all(out.RUN_ID_RE.match(i) for i in ids)


def test_keep_prunes_oldest_but_never_latest(tmp_path: Path) -> None:
    runs = [f"2026010{i}T000000Z-00000{i}" for i in range(1, 6)]
    for run in runs:
        (tmp_path / run).mkdir()
    running = tmp_path / f".tmp-{out.new_run_id()}"  # a run in progress: not touched
    running.mkdir()
    stale = tmp_path / ".tmp-20200101T000000Z-aaaaaa"  # a run killed years ago: removed
    stale.mkdir()
    out.point_latest(tmp_path, runs[0])
    removed = out.prune_runs(tmp_path, keep=2)
    assert removed == runs[1:3]
    assert out.list_runs(tmp_path) == [runs[0], *runs[3:]]
    assert running.is_dir() and not stale.exists()
    assert out.read_latest(tmp_path) == runs[0]
    assert (tmp_path / "latest.txt").read_text().strip() == runs[0]


def test_index_groups_by_scope_and_escapes_errors() -> None:
    started = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    manifest = out.base_manifest("20260101T000000Z-abcdef", 2023, started, info(), {}, 2,
                                 "hbt-analysis")
    manifest["finished"] = manifest["started"]
    manifest["elapsed_s"] = 12.5
    rows = [("00286", "Bạch Mai", "ok", None), (None, None, "ok", None),
            ("00241", "Nguyễn Du", "failed",
             {"kind": "exception", "cell_number": 4, "ename": "ValueError",
              "evalue": "<script>alert(1)</script>"})]
    for code, name, status, error in rows:
        manifest["reports"].append({
            "key": f"{code or 'district'}/01", "notebook": "01_attendance.ipynb", "year": 2023,
            "title": f"T {name}", "ward_code": code,
            "ward_name": name, "status": status, "duration_s": 1.25, "error": error,
            "html": None if error else f"{code or 'district'}/01.html",
            "ipynb": f"{code or 'district'}/01.ipynb",
        })
    # the landing page: scopes in order, the failed report without a link, no run details
    html = out.render_index(manifest)
    assert html.index("Toàn quận") < html.index("Phường Bạch Mai") < html.index("Phường Nguyễn Du")
    assert 'href="00241/01.html"' not in html and 'href="00286/01.html"' in html
    assert "<script>alert(1)" not in html and "hash2023" not in html
    assert 'href="00286/01.ipynb"' not in html
    assert f'href="{out.TECHNICAL_PAGE}"' in html
    assert 'font-family: "Be Vietnam Pro"' in html  # the style sheet is not HTML-escaped
    # the technical page: statuses, the error, durations, the run's details
    tech = out.render_technical(manifest)
    assert "Thành công" in tech and "Lỗi" in tech and "ô số 4" in tech
    assert "<script>alert(1)" not in tech and "&lt;script&gt;alert(1)" in tech
    assert "1,2 giây" in tech or "1,3 giây" in tech  # Vietnamese decimal comma
    assert "hash2023" in tech and __version__ in tech and 'href="00241/01.ipynb"' in tech


# --- real batches (kernels) -----------------------------------------------------------------

def _report(name: str, ward: str | None = None, **params) -> Report:
    return Report(TEST_NB / f"{name}.ipynb", 2023, ward, dict(WARDS).get(ward),
                  {"year": 2023, "ward": ward, **params})


@pytest.mark.slow
@pytest.mark.skipif(not (ROOT / "data" / "2023").is_dir(), reason="no bundled data")
def test_the_batch_computes_the_years_heavy_step_once_before_its_kernels(
        tmp_path: Path, monkeypatch) -> None:
    """The batch computes the year's heavy results itself, once, while the kernels start
    (report_ok never asks for them, so only the batch process can have written them); the
    next run on the same files and code finds them on disk and writes nothing."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("HBT_CACHE_DIR", str(cache))
    monkeypatch.delenv("HBT_NO_DISK_CACHE", raising=False)
    two = [_report("report_ok"), _report("report_ok", "00241")]
    assert run_batch(two, {2023: info()}, tmp_path / "r2", workers=2).exit_code == 0
    written = [p.name for p in (cache / "years").glob("2023-*.pkl")]
    for part in ("features", "places", "routes", "items-area-"):
        assert any(f"-{part}" in name for name in written), (part, written)
    before = {p: p.stat().st_mtime_ns for p in (cache / "years").glob("2023-*.pkl")}
    assert run_batch(two, {2023: info()}, tmp_path / "r1", workers=1).exit_code == 0
    after = {p: p.stat().st_mtime_ns for p in (cache / "years").glob("2023-*.pkl")}
    assert after == before


@pytest.fixture(scope="module")
def failing_run(tmp_path_factory):
    """A good run (so `latest` exists), then one worker through every kind of trouble."""
    output = tmp_path_factory.mktemp("reports")
    first = run_batch([_report("report_ok")], {2023: info()}, output, workers=1)
    assert first.exit_code == 0, first.results
    reports = [
        _report("report_ok"),
        _report("leak_set"),
        _report("leak_check"),           # same kernel, right after leak_set
        _report("fail", "00241"),
        _report("die", "00244"),
        _report("slow", "00244"),         # timeout
        _report("leak_check", "00286"),   # on the kernel that replaced the timed-out one
        _report("report_ok", "00286"),
    ]
    second = run_batch(reports, {2023: info()}, output, workers=1, timeout_s=6)
    return output, first, second


@pytest.mark.slow
def test_failures_are_isolated_and_latest_is_kept(failing_run) -> None:
    output, first, second = failing_run
    status = {r["key"]: r for r in second.results}
    assert second.exit_code == 1
    assert [status[k]["status"] for k in (
        "district/report_ok", "district/leak_set", "district/leak_check", "00241/fail",
        "00244/die", "00244/slow", "00286/leak_check", "00286/report_ok")] == [
        "ok", "ok", "ok", "failed", "failed", "failed", "ok", "ok"]
    fail = status["00241/fail"]["error"]
    assert fail["ename"] == "ValueError" and "có chủ ý" in fail["evalue"]
    assert fail["cell_number"] == 4  # parameters, injected-parameters, x = 1, raise
    assert status["00244/die"]["error"]["kind"] == "kernel_died"
    assert status["00244/slow"]["error"]["kind"] == "timeout"
    assert status["00244/slow"]["duration_s"] < 30

    run_dir = second.run_dirs[2023]
    assert run_dir.name == second.run_id and not list(run_dir.parent.glob(".tmp-*"))
    for key, r in status.items():
        assert (run_dir / f"{key}.ipynb").is_file()
        assert (run_dir / f"{key}.html").is_file() == (r["status"] == "ok")
    executed = nbformat.read(run_dir / "00241/fail.ipynb", as_version=4)
    assert "injected-parameters" in executed.cells[1].metadata.tags

    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["status"] == "failed" and manifest["package_version"] == __version__
    assert manifest["data"]["content_hash"] == "hash2023"
    index = (run_dir / "index.html").read_text()
    assert "3 báo cáo lỗi" in index and f'href="{out.TECHNICAL_PAGE}"' in index
    technical = (run_dir / out.TECHNICAL_PAGE).read_text()
    assert technical.count("Lỗi") >= 3 and "ô số 4: ValueError" in technical

    assert second.latest_moved == {2023: False}
    assert out.read_latest(output / "2023") == first.run_id
    assert os.readlink(output / "2023" / "latest") == first.run_id


@pytest.mark.slow
def test_nothing_leaks_between_reports_on_a_reused_kernel(failing_run) -> None:
    _, _, second = failing_run
    status = {r["key"]: r for r in second.results}
    # leak_set and leak_check ran one after the other on the same worker and kernel: the
    # check notebook asserts the global, pandas option, plotly template, environment,
    # sys.path, warning filter and working directory set by leak_set are all gone.
    assert status["district/leak_set"]["worker"] == status["district/leak_check"]["worker"]
    assert status["district/leak_check"]["status"] == "ok", status["district/leak_check"]


@pytest.mark.slow
def test_leadership_html(failing_run) -> None:
    _, _, second = failing_run
    run_dir = second.run_dirs[2023]
    shared = sorted((run_dir / "_assets").glob("plotly-*.js"))
    assert shared and all(PLOTLY_JS_MARKER in p.read_text() for p in shared)  # once a run
    for key in ("district/report_ok", "00286/report_ok", "00286/leak_check"):
        html = (run_dir / f"{key}.html").read_text()
        assert html.count(PLOTLY_JS_MARKER) == 0, key  # not in the page, even on a reused kernel
        assert 'src="http' not in html
    html = (run_dir / "00286/report_ok.html").read_text()
    assert any(f"../_assets/{p.name}" in html for p in shared)
    assert "<title>Báo cáo thử nghiệm — Phường Bạch Mai — 2023</title>" in html
    for element in ('class="jp-InputPrompt', 'class="jp-OutputPrompt',
                    'class="jp-CodeMirrorEditor', 'class="anchor-link"', ">In&nbsp;[", ">Out["):
        assert element not in html  # no code, no prompts
    assert "pio.renderers" not in html and "import pandas" not in html
    assert "35.323 hộ dự, tỷ lệ 68,6%" in html
    assert '<html lang="vi">' in html
    assert "ward=" not in html and "year=2023" not in html  # no parameter dump
    assert "giờ Hà Nội" in html and "UTC" not in html
    assert "hash2023"[:8] in html and __version__ in html and second.run_id in html
    assert "dữ liệu mô phỏng" in html.lower() and "dữ liệu tổng hợp" not in html
    assert "<script>window.__pwned" not in html and "&lt;script&gt;window.__pwned" in html
    assert '<img src=x onerror' not in html and '<img src="x"' not in html


def _cli(args: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hbt_analysis.report", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, **kw)


@pytest.mark.slow
def test_two_runs_at_once_do_not_collide(tmp_path: Path) -> None:
    args = ["--notebooks-dir", str(TEST_NB), "--notebook", "report_ok", "--ward", "district",
            "--year", "2023", "--workers", "1", "--output", str(tmp_path)]
    procs = [subprocess.Popen([sys.executable, "-m", "hbt_analysis.report", *args], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    runs = out.list_runs(tmp_path / "2023")
    assert len(runs) == 2
    for run in runs:
        manifest = json.loads((tmp_path / "2023" / run / "manifest.json").read_text())
        assert manifest["run_id"] == run and manifest["status"] == "ok"
        assert (tmp_path / "2023" / run / "district" / "report_ok.html").is_file()
    assert out.read_latest(tmp_path / "2023") in runs
    assert (tmp_path / "2023" / "latest.txt").read_text().strip() in runs
    # not on a terminal: one plain log line per report
    assert all("[1/1] OK" in err for _, err in outputs)
    assert not list((tmp_path / "2023").glob(".tmp-*"))


@pytest.mark.slow
def test_exclusive_run_exits_3_while_another_holds_the_lock(tmp_path: Path) -> None:
    (tmp_path / "2023").mkdir()
    lock = FileLock(str(tmp_path / "2023" / out.RUN_LOCK))
    with lock:
        t0 = time.monotonic()
        proc = _cli(["--notebooks-dir", str(TEST_NB), "--notebook", "report_ok", "--ward",
                     "district", "--year", "2023", "--exclusive", "--output", str(tmp_path)])
    assert proc.returncode == 3, proc.stderr
    assert time.monotonic() - t0 < 60
    assert out.list_runs(tmp_path / "2023") == []


def _processes_with(marker: str) -> list[int]:
    """Our processes whose environment carries `marker` (the batch, workers, kernels)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if marker.encode() in (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:  # gone, or not ours
            continue
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_sigterm_stops_the_batch_cleanly_and_keeps_latest(tmp_path: Path) -> None:
    """`systemctl stop` or a scheduler's timeout sends SIGTERM: the run stops within
    seconds, exits 130, leaves no half-built folder and no kernel behind, `latest` stays."""
    common = ["--notebooks-dir", str(TEST_NB), "--ward", "district", "--year", "2023",
              "--output", str(tmp_path)]
    first = _cli([*common, "--notebook", "report_ok"])
    assert first.returncode == 0, first.stderr
    year_dir = tmp_path / "2023"
    runs_before, latest_before = out.list_runs(year_dir), out.read_latest(year_dir)

    marker = f"HBT_SIGTERM_TEST_{os.getpid()}_{time.monotonic_ns()}"
    started = tmp_path / "started"
    started.mkdir()
    env = {**os.environ, marker: "1", "HBT_TEST_STARTED_DIR": str(started)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "hbt_analysis.report", *common, "--notebook", "slow",
         "--workers", "2", "--ward", "00241"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        # wait until both reports are inside their long cell (each kernel marks it)
        while (time.monotonic() < deadline and proc.poll() is None
               and len(list(started.glob("*.started"))) < 2):
            time.sleep(0.2)
        assert proc.poll() is None, proc.communicate()
        assert len(list(started.glob("*.started"))) == 2
        t0 = time.monotonic()
        proc.terminate()
        _, err = proc.communicate(timeout=60)
        stopped_in = time.monotonic() - t0
        leftover = _processes_with(marker)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert stopped_in < 20, stopped_in  # seconds: not the 120 s cell, nor a polite wait
    assert not list(year_dir.glob(".tmp-*"))
    assert out.list_runs(year_dir) == runs_before
    assert out.read_latest(year_dir) == latest_before
    # each worker shut its kernel down before it exited, and the batch waited for them:
    # nothing is left (a kernel runs in a session of its own and would not die with them)
    assert leftover == [], leftover


def test_warnings_on_stderr_stay_in_the_notebook_not_in_the_leadership_html() -> None:
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from hbt_analysis.report.export import strip_plotly_bundles

    nb = new_notebook(cells=[new_code_cell("x", outputs=[
        new_output("stream", name="stderr", text="ERROR! Session/line number was not unique"),
        new_output("stream", name="stdout", text="263 tổ dân phố"),
    ])])
    clean, _, _ = strip_plotly_bundles(nb)
    assert [o["name"] for o in clean.cells[0].outputs] == ["stdout"]
    assert len(nb.cells[0].outputs) == 2


@pytest.mark.skipif(not (ROOT / "data" / "2023").is_dir(), reason="no bundled data")
def test_report_on_a_data_folder_without_reference_uses_the_bundled_facts(tmp_path: Path) -> None:
    """An office points the batch at its own folder of yearly data, with no reference/ in it:
    the reports use the bundled published facts, as `hbt validate DIR` does."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "2023", data / "2023")
    validate = subprocess.run([sys.executable, "-m", "hbt_analysis.cli", "validate",
                               str(data / "2023")], capture_output=True, text=True, timeout=300)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    proc = _cli(["--data-dir", str(data), "--year", "2023", "--ward", "00241", "--notebook",
                 "01_attendance", "--workers", "1", "--output", str(tmp_path / "out")])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    run_dir = tmp_path / "out" / "2023" / out.read_latest(tmp_path / "out" / "2023")
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert [(r["key"], r["status"]) for r in manifest["reports"]] == [
        ("00241/01_attendance", "ok")]
    assert "Nguyễn Du" in (run_dir / "00241" / "01_attendance.html").read_text()
    assert not (data / "reference").exists()  # nothing was written into the office's folder

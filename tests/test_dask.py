"""The batch and the opinion pipeline on a real Dask distributed cluster.

A `distributed.LocalCluster` of two worker processes (processes=True: separate processes,
talking over TCP on localhost), each with its warm `hbt-analysis` kernel (the WorkerPlugin).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from hbt_analysis.report import output as out
from hbt_analysis.report.plan import Report, YearInfo
from hbt_analysis.report.runner import run_batch

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[1]
TEST_NB = ROOT / "tests" / "notebooks"
WARDS = (("00241", "Nguyễn Du"), ("00244", "Bạch Đằng"))


def _report(name: str, ward: str | None = None) -> Report:
    return Report(TEST_NB / f"{name}.ipynb", 2023, ward, dict(WARDS).get(ward),
                  {"year": 2023, "ward": ward})


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address="127.0.0.1:0",
                                  silence_logs=logging.WARNING) as c:
        yield c


@pytest.mark.slow
def test_batch_on_a_dask_cluster_isolates_failures_and_keeps_kernels_warm(
        cluster, tmp_path: Path) -> None:
    assert all(a.startswith("tcp://127.0.0.1:") for a in cluster.scheduler_info["workers"])
    reports = [_report("report_ok"), _report("leak_set"), _report("leak_check"),
               _report("fail", "00241"), _report("die", "00244"),
               _report("report_ok", "00241"), _report("report_ok", "00244")]
    outcome = run_batch(reports, {2023: YearInfo(2023, "hash2023", True, WARDS, True)},
                        tmp_path, scheduler=cluster.scheduler_address)
    status = {r["key"]: r for r in outcome.results}
    assert outcome.exit_code == 1  # as documented: finished, some reports failed
    assert {k: r["status"] for k, r in status.items()} == {
        "district/report_ok": "ok", "district/leak_set": "ok", "district/leak_check": "ok",
        "00241/fail": "failed", "00244/die": "failed", "00241/report_ok": "ok",
        "00244/report_ok": "ok"}
    assert status["00241/fail"]["error"]["ename"] == "ValueError"
    assert status["00241/fail"]["error"]["cell_number"] == 4
    assert status["00244/die"]["error"]["kind"] == "kernel_died"
    # both worker processes took reports; whichever kernel ran leak_check was reset first
    assert {r["worker"] for r in status.values()} == {0, 1}
    run_dir = outcome.run_dirs[2023]
    for key, r in status.items():  # files written by the client from what workers sent
        assert (run_dir / f"{key}.ipynb").is_file()
        assert (run_dir / f"{key}.html").is_file() == (r["status"] == "ok")
    html = (run_dir / "00244/report_ok.html").read_text(encoding="utf-8")
    assert "35.323 hộ dự, tỷ lệ 68,6%" in html and outcome.run_id in html
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["status"] == "failed" and len(manifest["reports"]) == 7
    assert outcome.latest_moved == {2023: False}
    assert out.read_latest(tmp_path / "2023") is None
    # the workers are still there, and their kernels were killed with the plugin's teardown
    # on close (checked by the fixture's exit not hanging)
    assert len(cluster.scheduler_info["workers"]) == 2


@pytest.mark.slow
def test_opinion_pipeline_partitioned_on_the_cluster_equals_one_process(cluster) -> None:
    import pandas as pd

    from hbt_analysis import load
    from hbt_analysis.report.dask_opinions import opinion_pipeline, single_process

    opinions = load(2023).opinions.iloc[::3]  # a small set: every third opinion (~500)
    reference = single_process(opinions)
    with distributed.Client(cluster) as client:
        result = opinion_pipeline(opinions, client, npartitions=5)
    assert len(result.partition_s) == 5 and sum(result.partition_rows) == len(opinions)
    pd.testing.assert_frame_equal(result.opinions, reference.opinions)
    pd.testing.assert_frame_equal(result.terms, reference.terms)
    assert len(reference.terms) > 20 and result.opinions["topic_primary"].notna().all()
    # and by ward: another grouping, the same equality
    by_ward = opinion_pipeline(opinions, None, npartitions=3, by="ward_code")
    pd.testing.assert_frame_equal(by_ward.terms, single_process(opinions, by="ward_code").terms)


@pytest.mark.slow
def test_opinion_pipeline_reads_parquet_files_on_the_workers(cluster, tmp_path: Path) -> None:
    """A national year is not held by the client: each worker reads its partition's file.
    Same rows as one process; `terms=False` stops after normalise + classify."""
    import pandas as pd

    from hbt_analysis import load
    from hbt_analysis.report.dask_opinions import opinion_pipeline, single_process

    opinions = load(2024).opinions.iloc[::4]
    paths = []
    size = len(opinions) // 3 + 1  # three files
    for k, start in enumerate(range(0, len(opinions), size)):
        paths.append(tmp_path / f"part-{k}.parquet")
        opinions.iloc[start : start + size].to_parquet(paths[-1])
    reference = single_process(opinions)
    with distributed.Client(cluster) as client:
        result = opinion_pipeline(paths, client)
        classified = opinion_pipeline(paths, client, terms=False)
    assert len(paths) > 2 and len(result.partition_steps) == len(paths)
    pd.testing.assert_frame_equal(result.opinions, reference.opinions, check_dtype=False)
    pd.testing.assert_frame_equal(result.terms, reference.terms)
    pd.testing.assert_frame_equal(classified.opinions, result.opinions)
    assert classified.terms.empty
    steps = result.partition_steps[0]
    assert steps["read_s"] > 0 and steps["terms_s"] > 0 and steps["cpu_s"] >= steps["read_s"]
    assert all("terms_s" not in s for s in classified.partition_steps)
    assert set(result.timings) == {"partition_s", "compute_s", "gather_s", "reduce_s"}


def _cli(args: list[str], capsys) -> tuple[int, str]:
    import argparse

    from hbt_analysis.report.cli import register_cli, run_cli

    parser = argparse.ArgumentParser(prog="hbt")
    register_cli(parser.add_subparsers(dest="command"))
    code = run_cli(parser.parse_args(["report", *args]))
    return code, capsys.readouterr().err


def test_dask_options_are_checked_before_anything_runs(tmp_path: Path, capsys) -> None:
    common = ["--notebooks-dir", str(TEST_NB), "--notebook", "report_ok", "--ward",
              "district", "--year", "2023", "--output", str(tmp_path)]
    code, err = _cli([*common, "--dask", "0"], capsys)
    assert code == 2 and "--dask" in err and "Traceback" not in err
    with pytest.raises(SystemExit):  # argparse: one or the other
        _cli([*common, "--dask", "2", "--scheduler", "tcp://127.0.0.1:8786"], capsys)
    assert not (tmp_path / "2023").exists() or out.list_runs(tmp_path / "2023") == []


@pytest.mark.slow
def test_an_unreachable_scheduler_is_named_and_leaves_nothing(tmp_path: Path, capsys) -> None:
    code, err = _cli(["--notebooks-dir", str(TEST_NB), "--notebook", "report_ok", "--ward",
                      "district", "--year", "2023", "--output", str(tmp_path),
                      "--scheduler", "tcp://127.0.0.1:9"], capsys)
    assert code == 1 and "tcp://127.0.0.1:9" in err and "Dask" in err
    assert "Traceback" not in err
    assert out.list_runs(tmp_path / "2023") == [] and not list((tmp_path / "2023").glob(".*"))

"""The landing figures and the personal-data review list, computed while the kernels work,
are what computing them after the run gives (same rows, same order, same figures)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from hbt_analysis.privacy import review
from hbt_analysis.report import reuse
from hbt_analysis.report.meanwhile import scope_figures
from tests.conftest import needs_bundled_data


@pytest.mark.slow
@needs_bundled_data
def test_side_work_gives_the_review_list_and_figures_computed_afterwards(tmp_path: Path):
    from hbt_analysis import load

    out = tmp_path / "reports"
    result = subprocess.run(
        [sys.executable, "-m", "hbt_analysis.cli", "report", "--year", "2023", "--ward",
         "00241", "--ward", "00256", "--notebook", "03_opinions", "--notebook", "00_overview",
         "--output", str(out), "--keep", "0", "--workers", "2"],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    run = (out / "2023" / "latest").resolve()
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    shown = [(r["key"], r["ward_code"], run / r["ipynb"]) for r in manifest["reports"]]
    assert len(shown) == 4 and all(r["status"] == "ok" for r in manifest["reports"])

    written = pd.read_csv(run / f"{review.REVIEW_NAME}.csv", encoding="utf-8-sig",
                          dtype=str, keep_default_na=False)
    afterwards = review.review_frame(shown, load(2023).opinions).rename(columns=review.COLUMNS)
    afterwards = afterwards.astype(str).replace({"nan": ""})
    assert len(written) > 10
    pd.testing.assert_frame_equal(written, afterwards.reset_index(drop=True),
                                  check_dtype=False)

    codes = [r["ward_code"] for r in manifest["reports"]]
    expected = reuse.figures_for_manifest(scope_figures(2023, codes, None, "vi"))
    assert manifest["figures"] == json.loads(json.dumps(expected))
    assert all(item["cards"] for item in manifest["figures"])

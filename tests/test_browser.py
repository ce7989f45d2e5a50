"""The exported reports in a real browser (headless Chromium), with the network blocked.

A small real run: the project's notebooks for the district and one ward, on a copy of the
bundled data in which every 2023 opinion ends with a planted `<script>` and `<img onerror>`.
Every page (index and reports) must load with no request leaving file://, render every
plotly chart (its SVG in the DOM), log no script error, and never run the planted code.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from hbt_analysis.report.cli import describe_year
from hbt_analysis.report.plan import build_plan, check_parameters, resolve_notebooks
from hbt_analysis.report.runner import run_batch

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
NOTEBOOKS = ROOT / "notebooks"
PAYLOAD = ' <script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2">'
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="/usr/bin/chromium absent (CI installs Debian's chromium)"),
    pytest.mark.skipif(not (DATA / "2023").is_dir() or not NOTEBOOKS.is_dir(),
                       reason="bundled data or notebooks missing"),
]


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """Reports built from data with a planted script in every 2023 opinion."""
    data = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(DATA, data)
    opinions = data / "2023" / "opinions.csv"
    frame = pd.read_csv(opinions, dtype=str, keep_default_na=False)
    frame["text"] = frame["text"] + PAYLOAD
    frame.to_csv(opinions, index=False)

    infos = {2023: describe_year(2023, data)}
    notebooks = resolve_notebooks(["00_overview", "01_attendance", "03_opinions"], NOTEBOOKS)
    reports = build_plan(infos, notebooks, ["district", "00286"], explicit_notebooks=True)
    for report in reports:
        report.parameters["data_dir"] = str(data)
    check_parameters(reports)
    outcome = run_batch(reports, infos, tmp_path_factory.mktemp("reports"), workers=2,
                        data_dir=data, timeout_s=300)
    assert outcome.exit_code == 0, [r["error"] for r in outcome.results if r["error"]]
    return outcome.run_dirs[2023]


def test_pages_render_offline_without_errors_or_planted_code(run_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    pages = [run_dir / "index.html", *sorted(run_dir.glob("*/*.html"))]
    assert len(pages) == 1 + 6
    problems: list[str] = []
    charts_seen = 0
    shown_as_text = 0  # pages where the planted markup is visible as text
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context()

            def block(route, request) -> None:
                if request.url.startswith("file://"):
                    route.continue_()
                else:
                    problems.append(f"network request: {request.url}")
                    route.abort()

            context.route("**/*", block)
            for path in pages:
                page = context.new_page()
                name = str(path.relative_to(run_dir))
                page.on("console", lambda m, n=name: m.type == "error"
                        and problems.append(f"{n}: console error: {m.text}"))
                page.on("pageerror", lambda e, n=name: problems.append(f"{n}: page error: {e}"))
                page.goto(path.as_uri(), wait_until="load")
                divs = page.locator("div.plotly-graph-div").count()
                if divs:
                    page.wait_for_function(
                        "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n",
                        arg=divs, timeout=30_000)
                rendered = page.evaluate(
                    "() => [...document.querySelectorAll('div.plotly-graph-div')]"
                    ".filter(d => d.querySelector('.main-svg')).length")
                if rendered != divs:
                    problems.append(f"{name}: {rendered}/{divs} charts rendered")
                charts_seen += rendered
                if page.evaluate("() => window.__pwned") is not None:
                    problems.append(f"{name}: planted opinion code ran")
                shown_as_text += "window.__pwned" in page.inner_text("body")
                page.close()
        finally:
            browser.close()
    assert charts_seen > 0
    assert shown_as_text > 0, "the planted opinions were shown nowhere: the check proves nothing"
    assert problems == []

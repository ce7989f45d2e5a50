"""Every notebook for the district and each of its wards, for every bundled year (the
wards in force that year: the 18 old wards to 2025, the new wards in 2026).

One real `hbt report` run (papermill's parameter injection, real kernels, nbconvert) builds
them all; each executed notebook is then checked for what it must say. Samples of the same
notebooks also run through plain papermill in test_notebook_00/03 and test_notebooks_01_02.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import nbformat
import pytest

from hbt_analysis import available_years, load
from hbt_analysis.fmt import fmt_int
from hbt_analysis.registry import registry
from tests.conftest import DATA, needs_bundled_data
from tests.nbtools import errors, texts
from tests.personal_data import assert_no_personal_data, leaks, planted_items, visible_text
from tests.test_notebook_03 import _expected

pytestmark = [pytest.mark.slow, needs_bundled_data]

YEARS = available_years(DATA)
#: year -> the ward codes in force (the unit registry), as the report plan takes them
WARDS = {year: registry(DATA).wards(year)["ward_code"].tolist() for year in YEARS}
#: (year, ward) for every scope a year's default plan builds (None = the whole area)
SCOPES = [(year, ward) for year in YEARS for ward in (None, *WARDS[year])]


def _scope_id(scope: tuple[int, str | None]) -> str:
    return f"{scope[0]}-{scope[1] or 'district'}"


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[int, Path]:
    out = tmp_path_factory.mktemp("reports")
    result = subprocess.run(
        [sys.executable, "-m", "hbt_analysis.cli", "report", "--year",
         ",".join(map(str, YEARS)), "--output", str(out), "--keep", "0"],
        capture_output=True, text=True, timeout=3000,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return {year: (out / str(year) / "latest").resolve() for year in YEARS}


def _executed(runs: dict[int, Path], year: int, ward: str | None, notebook: str):
    path = runs[year] / (ward or "district") / f"{notebook}.ipynb"
    assert path.exists(), f"{path} was not built"
    assert path.with_suffix(".html").exists(), f"{path.with_suffix('.html')} missing"
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("year", YEARS)
def test_every_report_of_the_default_plan_succeeded(runs, year):
    manifest = json.loads((runs[year] / "manifest.json").read_text(encoding="utf-8"))
    statuses = {r["key"]: r["status"] for r in manifest["reports"]}
    assert set(statuses.values()) == {"ok"}
    per_scope = 4 if any(y < year for y in YEARS) else 3  # 02 needs an earlier year
    assert len(statuses) == per_scope * (1 + len(WARDS[year]))


@pytest.mark.parametrize(("year", "ward"), SCOPES, ids=[_scope_id(s) for s in SCOPES])
def test_attendance_notebooks_state_the_scopes_figures(runs, year, ward):
    gc = load(year).group_conferences
    if ward is not None:
        gc = gc[gc["ward_code"] == ward]
    attended, invited = fmt_int(gc["households_attended"].sum()), fmt_int(
        gc["households_invited"].sum())
    nb01 = _executed(runs, year, ward, "01_attendance")
    assert not errors(nb01)
    assert f"{attended}/{invited} hộ dự" in texts(nb01)
    nb00 = _executed(runs, year, ward, "00_overview")
    assert not errors(nb00)
    assert attended in texts(nb00) and "Dữ liệu mô phỏng" in texts(nb00)


@pytest.mark.parametrize(("year", "ward"), SCOPES, ids=[_scope_id(s) for s in SCOPES])
def test_comparison_notebook_compares_with_the_year_before(runs, year, ward):
    if not any(y < year for y in YEARS):
        pytest.skip("the default plan runs 02 only when an earlier year exists")
    gc = load(year).group_conferences
    if ward is not None:
        gc = gc[gc["ward_code"] == ward]
    nb = _executed(runs, year, ward, "02_compare_years")
    assert not errors(nb)
    base = max(y for y in YEARS if y < year)
    if ward is not None and not registry(DATA).same_unit(ward, base, year):
        # the code named another ward in the base year: never compared with it; the summary,
        # the trend and the ward table go through the group crosswalk instead
        from hbt_analysis.compare import ward_comparison

        row = ward_comparison(load(base), load(year), ward=ward).iloc[0]
        assert row["basis"] == "by_group"
        assert f"So với năm {base} (theo bảng chuyển đổi tổ dân phố: các tổ năm {base} nay là " \
               f"{fmt_int(row['groups_new'])} tổ của" in texts(nb)
        assert f"số hộ dự {fmt_int(row['attended_base'])} → " in texts(nb)
        assert f"So sánh {base} → {year} theo phường của năm {year}" in texts(nb)
        return
    assert f"{fmt_int(len(gc))} tổ dân phố" in texts(nb)


@pytest.mark.parametrize(("year", "ward"), SCOPES, ids=[_scope_id(s) for s in SCOPES])
def test_opinions_notebook_headline_and_no_personal_data(runs, year, ward):
    nb = _executed(runs, year, ward, "03_opinions")
    assert not errors(nb)
    _ds, _scope, headline = _expected(year, ward)
    text = texts(nb)
    assert headline in text
    assert_no_personal_data(text, year)
    html = (runs[year] / (ward or "district") / "03_opinions.html").read_text(encoding="utf-8")
    assert_no_personal_data(html, year)


def _exported_text(path: Path) -> str:
    """What a reader sees in an exported file: HTML pages, Word files, PDFs."""
    if path.suffix == ".html":
        return visible_text(path.read_text(encoding="utf-8"))
    if path.suffix == ".docx":
        import zipfile

        with zipfile.ZipFile(path) as z:
            return visible_text(z.read("word/document.xml").decode("utf-8"))
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:  # the HTML and Word files are still checked
        warnings.warn(f"pdftotext (poppler-utils) is missing: {path.name} not read", stacklevel=2)
        return ""
    return subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.parametrize("year", YEARS)
def test_no_planted_personal_item_in_any_exported_file(runs, year):
    """Every kind the generator plants (names as minutes write them, house and flat
    numbers, plates, dates of birth, bank and social accounts, passport, tax, phone and ID
    numbers), looked for verbatim in every HTML, PDF and Word file of the run."""
    kinds = {kind for kind, _ in planted_items(year)}
    assert {"name", "house", "phone", "id_number"} <= kinds
    exported = [p for p in sorted(runs[year].rglob("*"))
                if p.suffix in (".html", ".docx", ".pdf")]
    assert exported
    problems = {str(p.relative_to(runs[year])): found for p in exported
                if (found := leaks(_exported_text(p), year))}
    assert not problems, dict(list(problems.items())[:5])


#: The analyst's words: how similar merged opinions are, the interval of a change, chance.
ANALYST_WORDS = ("tương đồng", "Cận dưới", "Cận trên", "khoảng tin cậy", "ngẫu nhiên",
                 "giá trị p", "kiểm định z")


@pytest.mark.parametrize("year", YEARS)
def test_leadership_pages_keep_statistics_in_the_analysts_layer(runs, year):
    """The reports say why opinions were merged in words and compare wards without
    intervals; the figures stay in the notebooks' analyst cells (read back from the HTML)."""
    found = {}
    for page in sorted(runs[year].glob("*/*.html")):
        text = visible_text(page.read_text(encoding="utf-8"))
        hits = [w for w in ANALYST_WORDS if w in text]
        if hits:
            found[str(page.relative_to(runs[year]))] = hits
    assert found == {}
    page = visible_text((runs[year] / "district" / "03_opinions.html").read_text("utf-8"))
    assert "Vì sao gộp: Cùng " in page
    executed = _executed(runs, year, None, "03_opinions")
    assert "độ tương đồng" in texts(executed)  # ... and in the analyst's cell of the notebook

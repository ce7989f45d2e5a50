"""The exported reports in a real browser (headless Chromium), with the network blocked.

A small real run: the project's four notebooks for the district and one ward, with their
PDFs, on a copy of the bundled data in which every 2023 opinion ends with a planted
`<script>` and `<img onerror>`. Every page (landing, technical and reports) must load with
no request leaving file://, render every plotly chart (its SVG in the DOM), log no script
error, and never run the planted code. At 1366×768 and 390×844 no page is wider than the
screen, the brief fits one desktop screen and two phone screens, Vietnamese pages carry no
English word or parameter dump, legends sit below their charts and there is no toolbar;
the screenshots are kept under `outputs/test_browser/` to look at; no chart's text (a label
beside a point, a tick, a note) reaches outside its box and no two axis labels overlap. The
ward chart keeps its labels whole at 390 px for any number of wards and long names (the
merged wards of 2026, a made-up district of 30 units), and is drawn again when its box
narrows after it was drawn (a phone turned; Chromium's --screenshot lays a page out at 500 px
first). The brief's PDF is at
most two A4 pages with the whole ward chart on them, and nothing on any printed page
reaches into the right margin (a chart cut at the page edge would).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
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
    notebooks = resolve_notebooks(["00_overview", "01_attendance", "02_compare_years",
                                   "03_opinions"], NOTEBOOKS)
    reports = build_plan(infos, notebooks, ["district", "00286"], explicit_notebooks=True)
    for report in reports:
        report.parameters["data_dir"] = str(data)
    check_parameters(reports)
    outcome = run_batch(reports, infos, tmp_path_factory.mktemp("reports"), workers=2,
                        data_dir=data, timeout_s=300, pdf=True)
    assert outcome.exit_code == 0, [r["error"] for r in outcome.results if r["error"]]
    return outcome.run_dirs[2023]


def test_pages_render_offline_without_errors_or_planted_code(run_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    pages = [run_dir / "index.html", run_dir / "ky_thuat.html", *sorted(run_dir.glob("*/*.html"))]
    assert len(pages) == 2 + 8
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
                divs = page.locator("div.hbt-chart").count()
                if divs:
                    page.wait_for_function(
                        "n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n",
                        arg=divs, timeout=30_000)
                rendered = page.evaluate(
                    "() => [...document.querySelectorAll('div.hbt-chart')]"
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


SCREENS = {"desktop": (1366, 768), "phone": (390, 844)}
#: Words of the notebooks' machinery that a Vietnamese reader must never meet.
ENGLISH = ("Overview", "Summary", "None", "True", "False", "Funnel", "funnel", "redact",
           "verbatim", "UTC", "hbt_analysis", "NaN", "nan", "p-value", "z-score", "ward",
           "Ward", "Download", "Show all", "rows")
PARAMETER_DUMP = re.compile(r"\b(year|ward|lang|redact|verbatim|level|data_dir)\s*=")
SHOTS = ROOT / "outputs" / "test_browser"


#: The texts of each drawn chart that reach outside its box (or the screen): cut off.
CLIPPED_TEXT = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(c => {
  const svg = c.querySelector('.main-svg').getBoundingClientRect();
  const box = c.getBoundingClientRect();
  const left = Math.max(svg.left, box.left, 0);
  const right = Math.min(svg.right, box.right, document.documentElement.clientWidth);
  return [...c.querySelectorAll('text')]
    .filter(t => t.textContent.trim() && t.getBBox().width > 0)
    .filter(t => { const b = t.getBoundingClientRect();
                   return b.right > right + 0.5 || b.left < left - 0.5; })
    .map(t => t.textContent);
})"""


#: Axis labels of a chart that overlap one another (a long name wrapped into its neighbour's).
OVERLAPPING_TICKS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(c =>
  ['.ytick text', '.xtick text'].flatMap(sel => {
    const r = [...c.querySelectorAll(sel)].filter(t => t.textContent.trim())
      .map(t => [t.textContent, t.getBoundingClientRect()]);
    const out = [];
    for (let i = 0; i < r.length; i++) for (let j = i + 1; j < r.length; j++) {
      const a = r[i][1], b = r[j][1];
      /* more than a glyph's edge (a text's box is a little taller than its letters) */
      if (a.left < b.right - 3 && b.left < a.right - 3 && a.top < b.bottom - 3
          && b.top < a.bottom - 3) out.push(r[i][0] + ' / ' + r[j][0]);
    }
    return out;
  }))"""


def _measure(page) -> dict:
    return page.evaluate("""() => {
      const charts = [...document.querySelectorAll('.js-plotly-plot')];
      const legendsAbove = charts.filter(c => {
        const legend = c.querySelector('g.legend'), plot = c.querySelector('.nsewdrag');
        return legend && plot && legend.getBoundingClientRect().top
          < plot.getBoundingClientRect().bottom - 1;
      }).length;
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return {height: document.documentElement.scrollHeight,
              width: document.documentElement.scrollWidth,
              charts: charts.length, legendsAbove,
              modebars: [...document.querySelectorAll('.modebar')]
                .filter(m => m.getBoundingClientRect().width > 0).length,
              paint: fcp ? fcp.startTime : null, drawn: window.hbtChartsDrawnAt ?? null};
    }""")


def test_pages_fit_phone_and_desktop_and_speak_vietnamese(run_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    pages = [run_dir / "index.html", *sorted(run_dir.glob("*/*.html"))]
    problems: list[str] = []
    heights: dict[tuple[str, str], float] = {}
    shots = SHOTS / run_dir.name
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for screen, (w, h) in SCREENS.items():
                context = browser.new_context(viewport={"width": w, "height": h})
                context.route("**/*", lambda route, request: route.continue_()
                              if request.url.startswith("file://") else route.abort())
                for path in pages:
                    name = str(path.relative_to(run_dir))
                    page = context.new_page()
                    page.goto(path.as_uri(), wait_until="load")
                    divs = page.locator(".hbt-chart").count()
                    if divs:
                        page.wait_for_function(
                            "n => document.querySelectorAll('.js-plotly-plot .main-svg')"
                            ".length >= n", arg=divs, timeout=30_000)
                    m = _measure(page)
                    page.screenshot(path=str(shots / f"{name.replace('/', '_')}_{w}.png"),
                                    full_page=True)
                    heights[(name, screen)] = m["height"] / h
                    where = f"{name} at {w}px"
                    if m["width"] > w:
                        problems.append(f"{where}: {m['width']} px wide")
                    if m["charts"] != divs:
                        problems.append(f"{where}: {m['charts']}/{divs} charts drawn")
                    if m["legendsAbove"] or m["modebars"]:
                        problems.append(f"{where}: legend beside a chart or a toolbar shown")
                    clipped = page.evaluate(CLIPPED_TEXT)
                    if clipped:
                        problems.append(f"{where}: chart text cut at the edge: {clipped}")
                    crowded = page.evaluate(OVERLAPPING_TICKS)
                    if crowded:
                        problems.append(f"{where}: axis labels overlap: {crowded[:3]}")
                    if divs and not (m["paint"] is not None and m["paint"] < m["drawn"]):
                        problems.append(f"{where}: text painted at {m['paint']} ms, not "
                                        f"before the charts ({m['drawn']} ms)")
                    text = page.inner_text("body")
                    if page.evaluate("document.documentElement.lang") == "vi":
                        found = [x for x in ENGLISH if re.search(rf"(?<!\w){x}(?!\w)", text)]
                        if found or PARAMETER_DUMP.search(text):
                            problems.append(f"{where}: English or parameters: {found}")
                    page.close()
                context.close()
        finally:
            browser.close()
    for scope in ("district", "00286"):
        brief = f"{scope}/00_overview.html"
        if heights[(brief, "desktop")] > 1:
            problems.append(f"{brief}: {heights[(brief, 'desktop')]:.2f} desktop screens")
        if heights[(brief, "phone")] > 2:
            problems.append(f"{brief}: {heights[(brief, 'phone')]:.2f} phone screens")
    assert problems == []


def _pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def _gray_pages(pdf: Path, tmp: Path, dpi: int = 50) -> list[np.ndarray]:
    """The PDF's pages as grey images (pdftoppm's PGM: a short header, then the bytes)."""
    name = f"{pdf.parent.name}_{pdf.stem}"  # district/03 and 00286/03 apart
    subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), str(pdf), str(tmp / name)], check=True)
    images = []
    for pgm in sorted(tmp.glob(f"{name}-*.pgm")):
        data = pgm.read_bytes()
        fields = data.split(maxsplit=4)  # P5, width, height, maxval, pixels
        w, h = int(fields[1]), int(fields[2])
        images.append(np.frombuffer(fields[4][-w * h:], dtype=np.uint8).reshape(h, w))
    return images


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils absent")
def test_printed_pages_keep_charts_whole_and_the_brief_on_two_pages(run_dir: Path,
                                                                     tmp_path: Path) -> None:
    from hbt_analysis.dataset import load

    pdfs = sorted(run_dir.glob("*/*.pdf"))
    assert len(pdfs) == 8
    mm = 50 / 25.4  # pixels per mm at 50 dpi
    for pdf in pdfs:
        pages = _gray_pages(pdf, tmp_path)
        assert pages and len(pages) == _pdf_pages(pdf)
        for i, image in enumerate(pages):
            h, w = image.shape
            # the right margin (14 mm) above the footer: white unless something is cut
            band = image[: int(h - 17 * mm), int(w - 12 * mm):]
            assert band.min() > 200, f"{pdf.name} page {i + 1}: something runs into the margin"
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        per_page = text.split("\f")[: len(pages)]
        assert all("Dữ liệu mô phỏng" in p for p in per_page), f"{pdf}: data note missing"
    for scope in ("district", "00286"):
        brief = run_dir / scope / "00_overview.pdf"
        assert _pdf_pages(brief) <= 2
        text = subprocess.run(["pdftotext", str(brief), "-"], capture_output=True, text=True,
                              check=True).stdout
        wards = load(2023).wards["ward_name"]
        assert all(name in text for name in wards), "the ward chart is cut on paper"


# --- the ward chart at phone width, any number of wards -------------------------------------

LONG_NAMES = ["Văn Miếu - Quốc Tử Giám", "Thị trấn Đông Anh Mở Rộng", "Nguyễn Trãi Thanh Xuân "
              "Bắc", "Xuân Phương Tây Mỗ", "Hai Bà Trưng", "Vĩnh Tuy", "Bạch Mai", "Tương Mai",
              "Lĩnh Nam", "Vĩnh Hưng", "Hoàng Liệt", "Cửa Nam", "Hồng Hà", "Ba Đình", "Giảng Võ",
              "Ngọc Hà", "Kim Liên", "Đống Đa", "Láng", "Ô Chợ Dừa", "Thanh Xuân", "Khương Đình",
              "Phương Liệt", "Định Công", "Hoàng Mai", "Yên Sở", "Đại Mỗ", "Từ Liêm",
              "Phú Diễn", "Xuân Đỉnh"]


def _made_up_groups(n_units: int, seed: int) -> pd.DataFrame:
    """Groups of a made-up district of `n_units` units with long names; the first unit's
    groups all attend (a 100,0% label at the right end)."""
    rng = np.random.default_rng(seed)
    rows = []
    for k, name in enumerate(LONG_NAMES[:n_units]):
        for g in range(3):
            invited = int(rng.integers(80, 300))
            attended = invited if k == 0 else int(invited * rng.uniform(0.35, 0.95))
            rows.append({"ward_code": f"9{k:04d}", "ward_name": name,
                         "group_code": f"9{k:04d}-TDP{g:02d}", "households_invited": invited,
                         "households_attended": attended})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def ward_chart_pages(tmp_path_factory) -> dict[str, Path]:
    """The brief's ward chart as a report page shows it (the exporter's markup, report.js,
    plotly.js inline), for the bundled 2023 and 2026 wards and made-up districts."""
    import json

    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from hbt_analysis.attendance import district_rate, ward_rates
    from hbt_analysis.charts import ward_rates_chart
    from hbt_analysis.dataset import load
    from hbt_analysis.report.export import ReportExporter

    cases = {"2023": (load(2023).group_conferences, None, True),
             "2026_new_wards": (load(2026).group_conferences, None, True),
             "made_up_30": (_made_up_groups(30, 1), "90000", True),
             "made_up_4": (_made_up_groups(4, 2), None, True),
             "made_up_30_intervals": (_made_up_groups(30, 3), None, False)}  # as in 01
    out = tmp_path_factory.mktemp("ward_charts")
    exporter = ReportExporter()
    pages = {}
    for name, (groups, highlight, compact) in cases.items():
        fig = ward_rates_chart(ward_rates(groups), "vi", highlight=highlight, compact=compact,
                               district_rate=district_rate(groups)["rate"].iloc[0])
        cell = new_code_cell("")
        cell.outputs = [new_output("display_data", data={
            "application/vnd.plotly.v1+json": json.loads(fig.to_json())})]
        nb = new_notebook(cells=[cell])
        page, _ = exporter.export(nb, title=name, subtitle="", footer=[], plotly="inline")
        pages[name] = out / f"{name}.html"
        pages[name].write_text(page, encoding="utf-8")
    return pages


def test_the_ward_chart_keeps_its_labels_whole_at_phone_width(ward_chart_pages) -> None:
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    shots = SHOTS / "ward_chart"
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for name, path in ward_chart_pages.items():
                for width in (390, 1366):
                    page = browser.new_page(viewport={"width": width, "height": 900})
                    page.goto(path.as_uri(), wait_until="load")
                    page.wait_for_function("document.querySelectorAll('.main-svg').length")
                    labels = page.evaluate("[...document.querySelectorAll('.textpoint text')]"
                                           ".map(t => t.textContent)")
                    crowded = page.evaluate(OVERLAPPING_TICKS)
                    if crowded:
                        problems.append(f"{name} at {width}px: overlap: {crowded[:3]}")
                    if not any(t.endswith("%") for t in labels):
                        problems.append(f"{name} at {width}px: no rate beside the points")
                    clipped = page.evaluate(CLIPPED_TEXT)
                    if clipped:
                        problems.append(f"{name} at {width}px: cut: {clipped}")
                    page.screenshot(path=str(shots / f"{name}_{width}.png"), full_page=True)
                    page.close()
            # drawn at 500 px, then the screen narrows to 390 px: drawn again, nothing cut
            page = browser.new_page(viewport={"width": 500, "height": 900})
            page.goto(ward_chart_pages["made_up_30"].as_uri(), wait_until="load")
            page.wait_for_function("document.querySelectorAll('.main-svg').length")
            page.set_viewport_size({"width": 390, "height": 900})
            page.wait_for_function("() => document.querySelector('.main-svg')"
                                   ".getBoundingClientRect().width <= 390", timeout=10_000)
            clipped = page.evaluate(CLIPPED_TEXT)
            if clipped:
                problems.append(f"made_up_30 narrowed from 500 to 390 px: cut: {clipped}")
            # its box narrows with no window resize (no event plotly listens to)
            page.evaluate("document.querySelector('.hbt-figure').style.width = '300px'")
            page.wait_for_function("() => document.querySelector('.main-svg')"
                                   ".getBoundingClientRect().width <= 300", timeout=10_000)
            clipped = page.evaluate(CLIPPED_TEXT)
            if clipped:
                problems.append(f"made_up_30 in a 300 px box: cut: {clipped}")
            page.close()
        finally:
            browser.close()
    assert problems == []

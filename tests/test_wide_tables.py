"""Wide tables in a real browser (headless Chromium): on a phone (390 px) a table wider than
the screen — who must answer per ward, requests that never reached the ward conference,
requests raised again — is shown as one card per row, each value under its column's name,
so nothing is read by scrolling sideways; at 1366 px a table that fits stays a table; and
printed on A4 nothing is cut at the paper's edge.

The tables are the ones 03 shows, from the bundled 2023 year and the new wards of 2026, put
in a page by the report exporter (its CSS and report.js) as a report shows them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="/usr/bin/chromium absent (CI installs Debian's chromium)"),
]


@pytest.fixture(scope="module")
def page_of_tables(tmp_path_factory) -> tuple[Path, dict[str, list[str]]]:
    """A report page holding 03's wide tables (the first rows shown, the rest folded), and
    the texts of the raised-again table's cells (to find on paper)."""
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from hbt_analysis import opinions as op
    from hbt_analysis import style
    from hbt_analysis.dataset import load
    from hbt_analysis.report.export import ReportExporter

    ds, ds26 = load(2023), load(2026)
    repeats = op.raised_again_table(op.year_repeats(ds), n=10)
    tables = [
        style.table(op.routes_by_ward(ds), name="cap_giai_quyet"),
        style.table(op.unreached_table(ds), name="chua_dua_len", max_rows=3),
        style.table(repeats, name="neu_lai", max_rows=3),
        style.table(op.routes_by_ward(ds26), name="cap_giai_quyet_2026"),
        # the level every row shares first: the card is titled by the topic
        style.table(op.display_table(op.topic_shares(op.prepare(ds), lang="vi"), "vi",
                                     hide=("topic", "ci_low", "ci_high")), formatted=True,
                    name="linh_vuc"),
    ]
    cells = []
    for t in tables:
        cell = new_code_cell("")
        cell.outputs = [new_output("display_data", data={"text/html": t.data})]
        cells.append(cell)
    exporter = ReportExporter()
    html, _ = exporter.export(new_notebook(cells=cells), title="Bảng rộng", subtitle="",
                              footer=[], plotly="inline")
    out = tmp_path_factory.mktemp("wide") / "bang_rong.html"
    out.write_text(html, encoding="utf-8")
    shown = repeats.head(3)
    return out, {c: [str(v) for v in shown[c]] for c in shown.columns}


#: Each table box: its width, its content's width, whether it is shown as cards, and the
#: cells whose text runs past the screen's right edge or whose label is not its column's.
MEASURE = """() => [...document.querySelectorAll('.hbt-scroll')]
  .filter(box => box.checkVisibility()).map(box => {
    const table = box.querySelector('table');
    const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent);
    const right = document.documentElement.clientWidth;
    const stacked = table.classList.contains('hbt-stacked');
    const bad = [];
    table.querySelectorAll('tbody tr').forEach(tr => [...tr.cells].forEach((td, i) => {
      const r = td.getBoundingClientRect();
      if (r.right > right + 0.5 || r.left < -0.5) bad.push('cut: ' + td.textContent);
      const key = tr.querySelector('td.key');
      if (stacked && key && [...tr.cells].some(c => c.offsetParent !== null &&
          c.getBoundingClientRect().top < key.getBoundingClientRect().top - 0.5))
        bad.push('title not on top: ' + key.textContent);
      if (stacked && !td.classList.contains('key')) {
        const shown = getComputedStyle(td, '::before').content;
        if (shown !== JSON.stringify(heads[i])) bad.push('label ' + shown + ' for ' + heads[i]);
      }
    }));
    return {box: box.clientWidth, content: box.scrollWidth, stacked, bad,
            rows: table.querySelectorAll('tbody tr').length};
  })"""


def test_wide_tables_are_cards_on_a_phone_and_tables_on_a_desktop(page_of_tables) -> None:
    from playwright.sync_api import sync_playwright

    path, _ = page_of_tables
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            phone = browser.new_page(viewport={"width": 390, "height": 844})
            phone.goto(path.as_uri(), wait_until="load")
            boxes = phone.evaluate(MEASURE)
            assert len(boxes) == 5
            assert phone.evaluate("document.documentElement.scrollWidth") <= 390
            for b in boxes:
                assert b["content"] <= b["box"] + 1, f"scrolls sideways at 390 px: {b}"
                assert b["bad"] == []
            # the routing table, the unreached and the raised-again lists do not fit a phone
            assert [b["stacked"] for b in boxes][:4] == [True, True, True, True]
            titles = phone.evaluate("[...document.querySelectorAll('table')].map(t => "
                                    "t.querySelector('tbody td.key').cellIndex)")
            assert titles[0] == 0 and titles[-1] == 1  # the ward; the topic, not the level
            assert not phone.locator(".hbt-swipe.on").count(), "a scroll cue with no scroll"
            # a folded table, opened, is measured then
            phone.evaluate("document.querySelectorAll('details.hbt-full')"
                           ".forEach(d => d.open = true)")
            phone.wait_for_function("() => [...document.querySelectorAll('details.hbt-full "
                                    "table')].every(t => t.classList.contains('hbt-stacked'))",
                                    timeout=5_000)
            opened = phone.evaluate(MEASURE)
            assert len(opened) == 9
            for b in opened:
                assert b["content"] <= b["box"] + 1 and b["bad"] == [], b
            # a phone turned: laid out again, and back
            phone.set_viewport_size({"width": 844, "height": 390})
            phone.wait_for_function("() => !document.querySelector('.hbt-scroll table')"
                                    ".classList.contains('hbt-stacked')", timeout=5_000)
            phone.close()

            desk = browser.new_page(viewport={"width": 1366, "height": 768})
            desk.goto(path.as_uri(), wait_until="load")
            boxes = desk.evaluate(MEASURE)
            assert desk.evaluate("document.documentElement.scrollWidth") <= 1366
            assert all(b["content"] <= b["box"] + 1 and b["bad"] == [] for b in boxes), boxes
            assert boxes[0]["stacked"] is False, "the routing table fits a desktop: a table"
            assert desk.locator("thead").first.is_visible()
            desk.close()
        finally:
            browser.close()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils absent")
def test_printed_wide_tables_are_whole(page_of_tables, tmp_path: Path) -> None:
    import numpy as np

    from hbt_analysis.report.pdf import print_pdf

    path, cells = page_of_tables
    pdf = print_pdf(path, tmp_path / "bang_rong.pdf", chromium=str(CHROMIUM))
    subprocess.run(["pdftoppm", "-gray", "-r", "50", str(pdf), str(tmp_path / "p")],
                   check=True)
    mm = 50 / 25.4
    for pgm in sorted(tmp_path.glob("p-*.pgm")):
        data = pgm.read_bytes()
        fields = data.split(maxsplit=4)
        w, h = int(fields[1]), int(fields[2])
        image = np.frombuffer(fields[4][-w * h:], dtype=np.uint8).reshape(h, w)
        band = image[: int(h - 17 * mm), int(w - 12 * mm):]  # the right margin
        assert band.min() > 200, f"{pgm.name}: a table runs into the right margin"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = re.sub(r"\s+", " ", text)
    for column in ("Trả lời", "Ý kiến năm nay"):  # each cell in one piece, not interleaved
        for value in cells[column]:
            words = value.split()
            assert " ".join(words) in flat, \
                f"{column}: '{value[:60]}…' is not read in one piece on paper"

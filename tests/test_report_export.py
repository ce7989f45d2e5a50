"""The leadership page is made without nbconvert's last BeautifulSoup pass (export.py): it must
hold what nbconvert's own HTMLExporter makes of the same notebook, element for element,
attribute for attribute and text for text (only whitespace between elements may differ).
A real notebook executed on a real kernel, real exporters, read back with lxml."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

from hbt_analysis.report.export import ReportExporter
from hbt_analysis.report.kernelpool import KERNEL_NAME

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ("template_name", "extra_template_basedirs", "exclude_input", "exclude_input_prompt",
            "exclude_output_prompt", "exclude_code_cell", "exclude_anchor_links",
            "optimistic_validation")


def _elements(page: str) -> list[tuple]:
    root = lxml.html.document_fromstring(page)
    return [(el.tag, sorted((k, " ".join(v.split()) if k == "class" else v)
                            for k, v in el.attrib.items()),
             (el.text or "").strip(), (el.tail or "").strip())
            for el in root.iter() if isinstance(el.tag, str)]


def test_the_page_is_what_nbconverts_html_exporter_makes() -> None:
    nb = nbformat.read(ROOT / "tests" / "notebooks" / "report_ok.ipynb", as_version=4)
    NotebookClient(nb, kernel_name=KERNEL_NAME).execute()
    ours = ReportExporter()
    stock = ReportExporter()
    stock._exporter = HTMLExporter(**{k: getattr(ours._exporter, k) for k in SETTINGS})
    assert type(stock._exporter) is HTMLExporter and type(ours._exporter) is not HTMLExporter
    page = {"title": "Thử — Phường Bạch Mai — 2023", "subtitle": "Hội nghị", "footer": ["x"],
            "synthetic": True, "heading": "Thử"}
    mine, _ = ours.export(nb, **page)
    theirs, _ = stock.export(nb, **page)
    assert mine != theirs  # not re-serialised by BeautifulSoup ...
    assert _elements(mine) == _elements(theirs)  # ... yet the same elements, attributes, text
    assert "plotly-graph-div" in mine and "&lt;script&gt;window.__pwned" in mine

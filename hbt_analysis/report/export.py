"""Executed notebook -> the page leadership reads: no code, no analyst cells, opens offline.

The notebook is first turned into its leadership copy (:func:`leadership_notebook`): cells
tagged `analyst` are left out (they stay in the executed .ipynb), so are warnings, the
copies of plotly.js the kernel's renderer may have injected, MathJax links and the
notebook's own data note (the page shows it once, under the title). Each chart becomes a
figure with its title as a caption and its data as JSON; the page script draws them after
the text has painted, with no toolbar, fitted to phones and to A4. plotly.js is either one
shared file of the run folder (`_assets/`) or inline (a self-contained page for forwarding);
the smallest build that draws the page's charts (report/assets.py).

One `HTMLExporter` is built per worker process and reused (building it loads the templates).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import html
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

import nbformat

from hbt_analysis import __version__
from hbt_analysis.labels import ANALYST_TAG, label

from . import assets

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "resources" / "report_templates"

PLOTLY_JS_MARKER = "* plotly.js"  # first comment line of every plotly.js build
PLOTLY_MIME = "application/vnd.plotly.v1+json"
PLOTLY_DIV = 'class="plotly-graph-div"'
# plotly's notebook renderer puts this before every figure (plotly 7.1 hard-codes
# include_mathjax="cdn"): a request to the internet from a report meant to open offline, and
# useless here (no LaTeX in our charts). Removed from the outputs on export.
MATHJAX_CDN = re.compile(
    r'<script[^>]*\ssrc="https?://cdnjs\.cloudflare\.com/ajax/libs/mathjax/[^"]*"[^>]*>\s*</script>'
)
SYNTHETIC_CLASS = "hbt-synthetic"
HANOI = dt.timezone(dt.timedelta(hours=7), "ICT")  # Việt Nam: UTC+7, no summer time
PlotlyMode = Literal["shared", "inline"]

NOTEBOOK_TITLES: dict[str, tuple[str, str]] = {
    "00_overview": ("Tóm tắt cho lãnh đạo", "Brief for leadership"),
    "01_attendance": ("Tham dự hội nghị", "Conference attendance"),
    "02_compare_years": ("So sánh với năm trước", "Comparison with the previous year"),
    "03_opinions": ("Ý kiến, kiến nghị của Nhân dân", "Residents' opinions"),
}

PAGE_TEXT = {
    "vi": {
        "subtitle": "Hội nghị đại biểu Nhân dân năm {year}",
        "made": "Lập lúc {when} (giờ Hà Nội)", "data": "dữ liệu {hash}",
        "run": "lượt chạy {run_id}", "toc": "Nội dung",
        "swipe": "← Kéo ngang để xem hết bảng →",
        "missing": "Không tải được biểu đồ: hãy mở báo cáo từ thư mục của lượt chạy "
                   "(có thư mục _assets), hoặc dùng bản báo cáo độc lập.",
        "wait": "Đang vẽ biểu đồ…",
    },
    "en": {
        "subtitle": "People's representative conferences {year}",
        "made": "Made {when} (Hà Nội time)", "data": "data {hash}", "run": "run {run_id}",
        "toc": "Contents", "swipe": "← Scroll sideways to see the whole table →",
        "missing": "The charts could not load: open the report from its run folder (with "
                   "its _assets folder), or use a self-contained copy.",
        "wait": "Drawing the chart…",
    },
}


def _text(lang: str) -> dict[str, str]:
    return PAGE_TEXT.get(lang, PAGE_TEXT["vi"])


#: A scope's label when no unit registry can be read.
GENERIC_SCOPE = {"vi": ("Toàn địa bàn", "Phường {name}"), "en": ("Whole area", "{name} ward")}


def default_area(year: int) -> Any:
    """The area of `year` in the unit registry in use ($HBT_UNITS, the data folder's, the
    bundled one); None when there is no usable registry."""
    from hbt_analysis.registry import RegistryError, registry

    try:
        return registry().area(int(year))
    except (RegistryError, OSError, ValueError):
        return None


def scope_label(ward_code: str | None, ward_name: str | None, lang: str = "vi",
                area: Any = None) -> str:
    """'Toàn <kind> <name>' or 'Phường An Bình' (the code if the name is unknown), from
    the year's area (`registry.Area`: the unit registry); without one, generic words."""
    if area is None:
        whole, ward = GENERIC_SCOPE.get(lang, GENERIC_SCOPE["vi"])
        return whole if ward_code is None else ward.format(name=ward_name or ward_code)
    if ward_code is None:  # 'Toàn <kind> <name>' / '<name> <kind>'
        text = area.whole_title(lang) if lang == "vi" else area.title(lang)
    else:
        text = area.unit(ward_name or ward_code, lang, area.kind_of(ward_code))
    return text[:1].upper() + text[1:]


def synthetic_note(lang: str = "vi") -> tuple[str, str]:
    """(title, body) of the one data note: the same words as the notebooks' box."""
    return label("synthetic_title", lang), label("synthetic_body", lang)


def notebook_title(nb: nbformat.NotebookNode, stem: str, lang: str = "vi") -> str:
    """A report's title: notebook metadata `hbt.title`, a known notebook, or its first heading."""
    meta = nb.metadata.get("hbt", {}).get("title")
    if isinstance(meta, dict):
        meta = meta.get(lang) or meta.get("vi")
    if meta:
        return str(meta)
    if stem in NOTEBOOK_TITLES:
        return NOTEBOOK_TITLES[stem][0 if lang == "vi" else 1]
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, flags=re.MULTILINE)
            if match:
                return match.group(1).strip()
    return stem


def report_title(nb: nbformat.NotebookNode, stem: str, ward_code: str | None,
                 ward_name: str | None, year: int, lang: str = "vi", area: Any = None) -> str:
    """'Tóm tắt cho lãnh đạo — Phường Bạch Mai — 2023'."""
    scope = scope_label(ward_code, ward_name, lang, area)
    return f"{notebook_title(nb, stem, lang)} — {scope} — {year}"


def format_timestamp(when: dt.datetime) -> str:
    """dd/mm/yyyy HH:MM in Hà Nội time, the way a Vietnamese reader writes dates."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(HANOI).strftime("%d/%m/%Y %H:%M")


def footer_lines(started: dt.datetime, content_hash: str, run_id: str,
                 lang: str = "vi") -> list[str]:
    """One small line: when (Hà Nội time), the package version, the data and the run.
    The run's parameters and durations are in its technical page and manifest."""
    t = _text(lang)
    return [" · ".join([t["made"].format(when=format_timestamp(started)),
                        f"hbt-analysis {__version__}", t["data"].format(hash=content_hash[:12]),
                        t["run"].format(run_id=run_id)])]


# --- the leadership copy of a notebook -----------------------------------------------------

def _html(output: nbformat.NotebookNode) -> str:
    text = output.get("data", {}).get("text/html", "")
    return "".join(text) if isinstance(text, list) else text


def _is_plotly_bundle(output: nbformat.NotebookNode) -> bool:
    return PLOTLY_JS_MARKER in _html(output)


def _copy_shell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of a notebook that can be edited cell by cell and output by output without
    touching `nb`: new notebook, cell and output-list containers, the rest shared (a deep
    copy of an executed report is ~10 ms of CPU, and nbconvert makes its own anyway).
    Edit an output by replacing it (`_with_html`), never in place."""
    out = nbformat.NotebookNode(nb)
    out.metadata = copy.deepcopy(nb.metadata)
    out.cells = [nbformat.NotebookNode(cell) for cell in nb.cells]
    for cell in out.cells:
        if "outputs" in cell:
            cell.outputs = list(cell.outputs)
    return out


def _with_html(output: nbformat.NotebookNode, text: str,
               metadata: dict | None = None) -> nbformat.NotebookNode:
    """A copy of a display output whose text/html is `text` (its other data kept)."""
    new = nbformat.NotebookNode(output)
    new["data"] = nbformat.NotebookNode(output.get("data", {}))
    new["data"]["text/html"] = text
    if metadata is not None:
        new["metadata"] = nbformat.NotebookNode(metadata)
    return new


def strip_plotly_bundles(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, int, bool]:
    """A copy without the plotly.js copies, MathJax CDN tags and stderr: the executed
    notebook a run keeps (~5 MB lighter per report). `nb` itself is not modified.

    Returns (copy, plotly.js copies removed, whether the notebook has a chart).
    """
    out = _copy_shell(nb)
    removed = 0
    has_chart = False
    for cell in out.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                continue
            if output.get("output_type") in {"display_data", "execute_result"}:
                page = _html(output)
                if PLOTLY_JS_MARKER in page and PLOTLY_DIV not in page:
                    removed += 1
                    continue
                if PLOTLY_DIV in page or PLOTLY_MIME in output.get("data", {}):
                    has_chart = True
                if MATHJAX_CDN.search(page):
                    output = _with_html(output, MATHJAX_CDN.sub("", page))
            kept.append(output)
        cell.outputs = kept
    return out, removed, has_chart


@dataclass
class PageCharts:
    """What the page's charts need: how many, their trace types, and whether an output
    draws a chart with its own inline script (plotly.js must then load before it)."""

    count: int = 0
    traces: set[str] = field(default_factory=set)
    legacy: bool = False


def is_analyst(cell: nbformat.NotebookNode) -> bool:
    return ANALYST_TAG in cell.get("metadata", {}).get("tags", [])


def _round(obj: Any, digits: int = 6) -> Any:
    """Floats to `digits` significant digits (a chart needs no more; the page gets lighter)."""
    if isinstance(obj, float):
        return float(f"{obj:.{digits}g}")
    if isinstance(obj, list):
        return [_round(v, digits) for v in obj]
    if isinstance(obj, dict):
        return {k: _round(v, digits) for k, v in obj.items()}
    return obj


def figure_html(fig: dict[str, Any], number: int, lang: str = "vi") -> tuple[str, set[str]]:
    """A chart as the page shows it: the title as a caption, a box of the chart's height
    (so nothing jumps when it is drawn), and its data as JSON for the page script."""
    fig = dict(fig)  # the edits below replace, never change, its nested parts
    layout = dict(fig.get("layout") or {})
    title = layout.pop("title", None)
    caption = title.get("text") if isinstance(title, dict) else title
    margin = dict(layout.get("margin") or {})
    margin["t"] = min(int(margin.get("t", 30) or 30), 36) if caption else margin.get("t", 30)
    layout["margin"] = margin
    height = int(layout.get("height") or 450)
    if caption:
        height -= 30
        layout["height"] = height
    fig["layout"] = layout
    fig.pop("config", None)
    traces = {str(t.get("type") or "scatter") for t in fig.get("data", [])}
    data = json.dumps(_round(fig), ensure_ascii=False, separators=(",", ":"))
    data = data.replace("<", "\\u003c")  # never "</script>" inside the JSON
    chart_id = f"hbt-fig-{number}"
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    wait = html.escape(_text(lang)["wait"])
    name = html.escape(caption or "", quote=True)
    return (f'<figure class="hbt-figure">{cap}<div class="hbt-chart" id="{chart_id}" '
            f'role="img" aria-label="{name}" style="height:{height}px">'
            f'<p class="hbt-chart-wait">{wait}</p></div>'
            f'<script type="application/json" class="hbt-fig-data" data-for="{chart_id}">'
            f"{data}</script></figure>"), traces


def leadership_notebook(nb: nbformat.NotebookNode, lang: str = "vi"
                        ) -> tuple[nbformat.NotebookNode, PageCharts]:
    """The copy of an executed notebook that becomes the page (see the module's doc);
    `nb` itself is not modified."""
    out = _copy_shell(nb)
    charts = PageCharts()
    cells = []
    for cell in out.cells:
        if is_analyst(cell):
            continue
        if cell.cell_type == "code":
            kept = []
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream" and output.get("name") == "stderr":
                    continue
                if output.get("output_type") in {"display_data", "execute_result"}:
                    data = output.get("data", {})
                    page = _html(output)
                    if PLOTLY_MIME in data:
                        markup, traces = figure_html(data[PLOTLY_MIME], charts.count, lang)
                        charts.count += 1
                        charts.traces |= traces
                        output = nbformat.NotebookNode(output)
                        output["data"] = nbformat.NotebookNode({"text/html": markup})
                        output["metadata"] = nbformat.NotebookNode()
                    elif PLOTLY_JS_MARKER in page and PLOTLY_DIV not in page:
                        continue  # a copy of plotly.js the renderer injected
                    elif SYNTHETIC_CLASS in page:
                        continue  # the page shows the data note once, under its title
                    else:
                        if "Plotly.newPlot" in page:
                            charts.legacy = True
                            charts.count += 1
                            charts.traces.add("unknown")
                        if MATHJAX_CDN.search(page):
                            output = _with_html(output, MATHJAX_CDN.sub("", page))
                kept.append(output)
            cell.outputs = kept
        cells.append(cell)
    out.cells = cells
    return out, charts


_H2 = re.compile(r"<h2(?:\s[^>]*)?>(.*?)</h2>", re.DOTALL)


def contents(body: str, lang: str = "vi", minimum: int = 3) -> tuple[str, str]:
    """(the page with an id on each section heading, a contents list of them); no list for a
    page with fewer than `minimum` sections."""
    found: list[tuple[str, str]] = []

    def anchor(match: re.Match) -> str:
        ident = f"muc-{len(found) + 1}"
        found.append((ident, re.sub(r"<[^>]+>", "", match.group(1)).strip()))
        return f'<h2 id="{ident}">{match.group(1)}</h2>'

    body = _H2.sub(anchor, body)
    if len(found) < minimum:
        return body, ""
    items = "".join(f'<li><a href="#{ident}">{text}</a></li>' for ident, text in found)
    return body, (f'<nav class="hbt-toc" aria-label="{_text(lang)["toc"]}">'
                  f'<strong>{_text(lang)["toc"]}</strong><ol>{items}</ol></nav>')


@functools.cache
def _page_exporter_class() -> type:
    """nbconvert's HTMLExporter without its last step, a BeautifulSoup pass over the finished
    page (~30 ms a report, two thirds of the export): it adds alt text to `<img>` without
    one and `tabindex` to cells inside `.jp-Notebook`, and the leadership template has
    neither (no images, no `.jp-Notebook`); it would only re-serialise the page. The page
    keeps the same elements, attributes and text; only the whitespace between blocks and
    the order of attributes differ (checked on the 2023 batch, benchmarks/results/report.md).
    Everything else HTMLExporter does per notebook is done here as it does it."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class PageExporter(HTMLExporter):
        def from_notebook_node(self, nb: nbformat.NotebookNode, resources: dict | None = None,
                               **kw: Any) -> tuple[str, dict[str, Any]]:
            info = nb.metadata.get("language_info", {})
            lexer = info.get("pygments_lexer", info.get("name", None))
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            meta = (resources or {}).get("metadata", {})
            key = os.path.join(meta.get("path", ""), meta.get("name", ""))
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata={key: nb.metadata}, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return PageExporter


class ReportExporter:
    """A reusable HTML exporter with the project's leadership template."""

    _PLACEHOLDERS: ClassVar[dict[str, str]] = {
        k: f"<!--hbt:{k}-->" for k in ("css", "head", "toc", "tail")}

    def __init__(self) -> None:
        self._exporter = _page_exporter_class()(
            template_name="hbt_report",
            extra_template_basedirs=[str(TEMPLATES_DIR)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            exclude_code_cell=False,
            exclude_anchor_links=True,  # no ¶ after every heading
            # the notebook is checked once after the preprocessors, not after each of the
            # twelve (an executed report is valid; ~10 ms per report saved)
            optimistic_validation=True,
        )

    def warm(self) -> None:
        """Load the templates and CSS once, before the first report needs them."""
        from nbformat.v4 import new_notebook

        self.export(new_notebook(), title="", subtitle="", footer=[])

    def export(self, nb: nbformat.NotebookNode, *, title: str, subtitle: str,
               footer: list[str], synthetic: bool = False, lang: str = "vi",
               heading: str | None = None, plotly: PlotlyMode = "shared",
               asset_prefix: str = f"../{assets.ASSETS_DIR}/") -> tuple[str, dict[str, Any]]:
        """The page of an executed notebook, and what it holds: charts, the plotly.js
        build it loads (`bundle`), copies of plotly.js inline (`plotly_js`)."""
        clean, charts = leadership_notebook(nb, lang)
        clean.metadata = copy.copy(nb.metadata)
        clean.metadata["title"] = title
        layout = str(nb.metadata.get("hbt", {}).get("layout", "report"))
        note_title, note_body = synthetic_note(lang)
        resources = {
            "language_code": lang,
            "hbt": {
                "title": title, "heading": heading or title, "subtitle": subtitle,
                "footer": footer, "layout": re.sub(r"[^\w-]", "", layout),
                "synthetic_title": note_title, "synthetic_note": note_body if synthetic else None,
                "placeholders": self._PLACEHOLDERS,
            },
        }
        self._exporter.language_code = lang  # <html lang="..."> (nbconvert overrides resources)
        body, _ = self._exporter.from_notebook_node(clean, resources=resources)
        bundle = assets.bundle_for(charts.traces - {"unknown"} if not charts.legacy
                                   else {"unknown"}) if charts.count else None
        head, tail = self._scripts(charts, bundle, plotly, asset_prefix, lang)
        css = assets.page_css() + (_print_note_css(note_title, note_body) if synthetic else "")
        body, toc = contents(body, lang)
        for key, value in (("css", css), ("head", head), ("toc", toc), ("tail", tail)):
            body = body.replace(self._PLACEHOLDERS[key], value, 1)
        return body, {"charts": charts.count, "bundle": bundle.name if bundle else None,
                      "plotly_js": body.count(PLOTLY_JS_MARKER), "plotly": plotly
                      if bundle else None}

    @staticmethod
    def _scripts(charts: PageCharts, bundle: assets.Bundle | None, plotly: PlotlyMode,
                 prefix: str, lang: str) -> tuple[str, str]:
        t = _text(lang)
        config = {"swipe": t["swipe"], "missing": t["missing"], "plotly": None}
        head = ""
        tail_extra = ""
        if bundle is not None:
            if charts.legacy:  # outputs that call Plotly themselves: load it first, blocking
                head = (f'<script charset="utf-8">{bundle.text()}</script>' if plotly == "inline"
                        else f'<script charset="utf-8" src="{html.escape(prefix + bundle.name)}">'
                             "</script>")
            elif plotly == "inline":
                tail_extra = (f'<script type="text/plain" id="hbt-plotly-src">{bundle.text()}'
                              "</script>")
            else:
                config["plotly"] = prefix + bundle.name
        config_json = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
        tail = (f"{tail_extra}<script>window.HBT_REPORT = {config_json};</script>"
                f"<script>{assets.page_js()}</script>")
        return head, tail


def _print_note_css(title: str, body: str) -> str:
    """The data note in the bottom margin of every printed page, the page number beside it."""
    text = f"{title}: {body}".replace("\\", "\\\\").replace('"', '\\"')
    return ("@page { @bottom-left { content: \"" + text + "\"; font-size: 7pt; color: #555; "
            "vertical-align: top; } @bottom-right { content: counter(page) \" / \" "
            "counter(pages); font-size: 8pt; color: #555; vertical-align: top; } }")

"""The house style: one plotly template, fixed colours, notebook setup, tables and notes.

Vietnamese readers write 35.323 and 68,6%; the template's `separators=",."` makes plotly
do the same on axes and hovers. Figures must survive `jupyter nbconvert --to html
--no-input` with plotly.js embedded (plotly >= 6.1 drops them unless a renderer writes
HTML), which `setup_notebook()` handles once, here.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import qualitative

from hbt_analysis.display import (  # noqa: F401  (the notebooks' and tests' style.format_*)
    PCT_COLUMNS,
    PP_COLUMNS,
    format_frame,
    format_value,
)
from hbt_analysis.fmt import Lang, fmt_int
from hbt_analysis.labels import LABELS, label, unit_words, unit_words_of
from hbt_analysis.labels import section as section_text

TEMPLATE_NAME = "hbt"
FONT_FAMILY = "Be Vietnam Pro, Noto Sans, Arial, sans-serif"
SEPARATORS = ",."  # decimal ",", thousands "." (plotly's order: decimal then thousands)
#: Renderers: the mimetype for JupyterLab, "notebook" writes HTML with plotly.js embedded
#: once per notebook, which is what nbconvert keeps.
NOTEBOOK_RENDERER = "plotly_mimetype+notebook"

TOPIC_CODES = (
    "moi_truong", "giao_thong", "an_ninh_trat_tu", "pccc", "trat_tu_do_thi", "ha_tang",
    "dat_dai_quy_hoach", "an_sinh_xa_hoi", "van_hoa_van_minh", "chinh_quyen", "khac",
)
#: Paul Tol's colour-blind-safe palette; its last colour is grey, which suits "khac".
TOPIC_COLORS: dict[str, str] = dict(zip(TOPIC_CODES, qualitative.Safe, strict=True))
OTHER_COLOR = "#9e9e9e"
ACCENT = "#1f4e79"
LOW_COLOR = "#c0392b"
HIGH_COLOR = "#1e8449"


def ward_color(code: object, year: int | None = None) -> str:
    """The ward's fixed colour from the unit registry (`registry.Registry.row_colors`: each
    ward keeps one colour in every year, for any number of wards); with `year`, the ward the
    code names that year (codes are reused after a merger). Grey for a code it does not know.
    """
    from hbt_analysis.registry import RegistryError, registry

    try:
        color = registry().ward_color(str(code), year)
    except RegistryError:
        return OTHER_COLOR
    return color or OTHER_COLOR


def topic_color(code: object) -> str:
    """The topic's fixed colour (grey for an unknown code)."""
    return TOPIC_COLORS.get(str(code), OTHER_COLOR)


def make_template() -> go.layout.Template:
    """The "hbt" template: Vietnamese separators, a font with Vietnamese glyphs, calm axes."""
    axis = {
        "separatethousands": True,  # 4-digit counts too: 2.142, not 2142
        "showgrid": True,
        "gridcolor": "#e5e5e5",
        "zeroline": False,
        "linecolor": "#888",
        "ticks": "outside",
        "automargin": True,
        "title": {"standoff": 8},
    }
    layout = go.Layout(
        separators=SEPARATORS,
        font={"family": FONT_FAMILY, "size": 13, "color": "#222"},
        title={"font": {"size": 17}, "x": 0.01, "xanchor": "left"},
        colorway=list(qualitative.Dark24),
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel={"font": {"family": FONT_FAMILY}, "bgcolor": "white"},
        # legends below the chart: on a phone a legend beside it takes half the width
        legend={"bgcolor": "rgba(255,255,255,0.8)", "orientation": "h", "x": 0,
                "xanchor": "left", "y": -0.16, "yanchor": "top"},
        xaxis=axis,
        yaxis=axis,
        margin={"l": 60, "r": 30, "t": 70, "b": 60},
        hovermode="closest",
    )
    return go.layout.Template(layout=layout)


#: The "hbt" template, built once per process (building and validating one costs ~2 ms,
#: which every figure used to pay); figures and plotly's registry get copies of it.
_TEMPLATE: go.layout.Template | None = None


def house_template() -> go.layout.Template:
    """The one "hbt" template of this process (do not change it: use make_template())."""
    global _TEMPLATE
    if _TEMPLATE is None:
        _TEMPLATE = make_template()
    return _TEMPLATE


def register_template() -> None:
    """Register "hbt" with plotly (idempotent; registered again only if it was replaced,
    removed or changed in place, e.g. by a notebook run earlier in the same kernel)."""
    template = house_template()
    if TEMPLATE_NAME not in pio.templates or pio.templates[TEMPLATE_NAME] != template:
        pio.templates[TEMPLATE_NAME] = template


def separators(lang: Lang = "vi") -> str:
    """Plotly's separators (decimal, then thousands): ",." in Vietnamese, ".," in English."""
    return SEPARATORS if lang == "vi" else ".,"


def apply_style(fig: go.Figure, lang: Lang = "vi") -> go.Figure:
    """Put the template and separators on a figure explicitly, so it looks the same even
    where the default template was never set (scripts, tests, other notebooks). English
    figures get English separators, matching the English tables beside them."""
    template = house_template()
    if fig.layout.template != template:  # figures made after setup_notebook() carry it
        fig.update_layout(template=template)
    fig.update_layout(separators=separators(lang))
    return fig


def setup_notebook(lang: Lang = "vi") -> None:
    """Make "hbt" the default template and choose a renderer that survives HTML export.

    Re-assigning `pio.renderers.default` re-queues plotly.js injection, so a kernel reused
    for a second notebook embeds plotly.js again in that notebook's outputs.
    """
    register_template()
    pio.templates.default = TEMPLATE_NAME
    pio.renderers.default = NOTEBOOK_RENDERER
    pd.set_option("display.max_rows", 60)


# ---------------------------------------------------------------------------------------
# Notes and tables
# ---------------------------------------------------------------------------------------

_BOX = (
    '<div class="hbt-note hbt-synthetic" role="note" style="border:2px solid #b7791f;'
    "background:#fff8e1;padding:10px 14px;margin:8px 0;border-radius:6px;"
    f'font-family:{FONT_FAMILY}"><strong>⚠ {{title}}.</strong> {{body}}</div>'
)


def synthetic_note(ds: Any, lang: Lang = "vi") -> Any:
    """A visible warning box when the data are synthetic (an empty Markdown otherwise)."""
    from IPython.display import HTML, Markdown

    if not getattr(ds, "synthetic", False):
        return Markdown("")
    return HTML(
        _BOX.format(
            title=html.escape(label("synthetic_title", lang)),
            body=html.escape(label("synthetic_body", lang)),
        )
    )


def note(text: str) -> Any:
    """A data-driven sentence shown as a paragraph (no code, no quotes).

    HTML in the text is escaped: sentences may quote what residents wrote.
    """
    from IPython.display import Markdown

    text = html.escape(text, quote=False)
    return Markdown(text)


#: {area} and {whole} when no area is given (registry.Area gives the real words).
_NO_AREA = {"vi": {"area": "địa bàn", "whole": "Toàn địa bàn"},
            "en": {"area": "the area", "whole": "Whole area"}}


def section(key: str, lang: Lang = "vi", area: Any = None, level: int = 2) -> Any:
    """A report section's heading (and its short introduction) in the reader's language.

    Headings are outputs, not Markdown cells, so an English report has English headings
    and a Vietnamese one Vietnamese only (labels.section reads resources/sections.yaml).
    `area` (the scope's registry.Area, `s.area`) names the area in the introduction.
    """
    from IPython.display import Markdown

    names = (dict(_NO_AREA["vi" if lang == "vi" else "en"]) if area is None
             else {"area": area.title(lang), "whole": area.whole(lang)})
    names.update(unit_words(lang) if area is None
                 else unit_words_of(area)["vi" if lang == "vi" else "en"])
    title, intro = (part.format(**names) for part in section_text(key, lang))
    text = "#" * level + " " + html.escape(title, quote=False)
    if intro:
        text += "\n\n" + html.escape(intro, quote=False)
    return Markdown(text)


# ---------------------------------------------------------------------------------------
# Tables: the first rows, the whole table folded away and downloadable
# ---------------------------------------------------------------------------------------

#: Rows a table shows before "Xem toàn bộ": leadership reads the top of a list.
TABLE_ROWS = 10
#: Rows the folded part of a table holds at most: a city's 10.000 groups stay in the CSV
#: download, not in the page (a page of every group weighed 70 MB).
FOLD_ROWS = 200
_MORE = {"vi": ("Xem toàn bộ {n} dòng", "Tải bảng (CSV)", "{k} trên {n} dòng"),
         "en": ("Show all {n} rows", "Download (CSV)", "{k} of {n} rows")}
_FOLD_CAPPED = {"vi": ("Xem {k} dòng đầu", "Bảng có {n} dòng; trang này hiện {k} dòng đầu, "
                       "tải bảng (CSV) để xem đủ."),
                "en": ("Show the first {k} rows", "The table has {n} rows; this page shows "
                       "the first {k}; download it (CSV) for all of them.")}
_NUMERIC_CELL = re.compile(r"^[+\-−]?[\d.,]+(%| điểm %| pp)?$|^—$|^\d+/\d+$")


def _numeric_columns(frame: pd.DataFrame) -> list[bool]:
    return [bool(len(frame)) and all(_NUMERIC_CELL.match(str(v)) for v in frame[c])
            for c in frame.columns]


def key_column(frame: pd.DataFrame) -> int:
    """The column that names a row (a card's title on a phone): the text column with the
    most different values, the first of them on a tie — the ward, the topic or the request,
    not the level every row shares ("Tổ dân phố"); the first column if all are numbers."""
    numeric = _numeric_columns(frame)
    text = [i for i, num in enumerate(numeric) if not num]
    if not text:
        return 0
    counts = [frame.iloc[:, i].astype(str).nunique() for i in text]
    return text[counts.index(max(counts))]


def _html_table(frame: pd.DataFrame, key: int = 0) -> str:
    """Display strings as a plain <table>: escaped (cells hold what residents wrote),
    numbers right-aligned, long text left-aligned. Each cell carries its column's header
    (`data-label`): where the table is wider than the screen (a phone), report.js shows
    each row as a card of "header: value" lines, titled by its `key` column's cell, instead
    of a table to scroll sideways."""
    numeric = _numeric_columns(frame)  # a column of numbers: its header on the right too
    head = "".join(('<th class="num">' if num else "<th>") + f"{html.escape(str(c))}</th>"
                   for c, num in zip(frame.columns, numeric, strict=True))
    labels = [html.escape(str(c)) for c in frame.columns]
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for i, (v, name) in enumerate(zip(values, labels, strict=True)):
            text = str(v)
            kind = ["num"] if _NUMERIC_CELL.match(text) else (["long"] if len(text) > 40
                                                               else [])
            if i == key:
                kind.append("key")
            cls = f' class="{" ".join(kind)}"' if kind else ""
            cells.append(f'<td{cls} data-label="{name}">{html.escape(text)}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    # a name and its figures (routing by level per ward): as cards, the figures run on
    # in one paragraph under the name ("Cấp phường 22 · Tổng 47"), not a line each
    kind = "hbt-tbl hbt-figures" if len(numeric) > 2 and sum(numeric) == len(numeric) - 1 \
        and not numeric[key] else "hbt-tbl"
    return (f'<table class="{kind}"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def _csv_link(frame: pd.DataFrame, name: str, text: str) -> str:
    """A download link holding the table as CSV (UTF-8 with BOM for Excel), so it works in
    a file opened alone, offline, with no server."""
    data = ("\ufeff" + frame.to_csv(index=False)).encode("utf-8")
    href = "data:text/csv;charset=utf-8;base64," + base64.b64encode(data).decode("ascii")
    return (f'<a class="hbt-download" download="{html.escape(name)}.csv" '
            f'href="{href}">{html.escape(text)}</a>')


def table(df: pd.DataFrame, lang: Lang = "vi", columns: list[str] | None = None,
          max_rows: int | None = TABLE_ROWS, name: str = "bang", hide: Iterable[str] = (),
          base: int | None = None, year: int | None = None,
          formatted: bool = False, caption: str | None = None) -> Any:
    """A table as a reader sees it: Vietnamese headers and numbers, the first `max_rows`
    rows, the whole table folded behind "Xem toàn bộ N dòng" (at most FOLD_ROWS rows: a
    longer one says so and is whole in the download) and downloadable as CSV;
    wide tables scroll sideways inside their box. An empty frame shows nothing (the
    sentence before it says why). `formatted=True`: `df` already holds display strings;
    `caption`: a label key or text shown above the table.
    """
    from IPython.display import HTML

    if df is None or df.empty:
        return None
    frame = df if formatted else format_frame(df, lang, columns, hide=hide, base=base,
                                              year=year)
    more, download, count = _MORE["vi" if lang == "vi" else "en"]
    n = len(frame)
    full = frame  # the download keeps every column
    # a column with nothing in any row ("Lý do không so sánh được" when all compare) is
    # not shown: an empty column is a question the page does not answer
    frame = frame.loc[:, [c for c in frame.columns
                          if frame[c].astype(str).str.strip().ne("").any()]]
    key = key_column(frame.head(max(FOLD_ROWS, max_rows or 0)))
    parts = ['<div class="hbt-table">']
    if caption:
        text = label(caption, lang) if caption in LABELS else caption
        parts.append(f'<p class="hbt-caption">{html.escape(text)}</p>')
    if max_rows is None or n <= max_rows:
        parts.append(f'<div class="hbt-scroll" tabindex="0">{_html_table(frame, key)}</div>')
    else:
        parts.append(f'<div class="hbt-scroll" tabindex="0">'
                     f'{_html_table(frame.head(max_rows), key)}</div>')
        shown = count.format(k=fmt_int(max_rows, lang), n=fmt_int(n, lang))
        parts.append(f'<p class="hbt-count">{shown}</p>')
        summary, capped = more.format(n=fmt_int(n, lang)), ""
        if n > max(FOLD_ROWS, max_rows):
            k = fmt_int(max(FOLD_ROWS, max_rows), lang)
            summary, note = _FOLD_CAPPED["vi" if lang == "vi" else "en"]
            summary = summary.format(k=k)
            capped = f'<p class="hbt-count">{html.escape(note.format(k=k, n=fmt_int(n, lang)))}</p>'
        parts.append(f'<details class="hbt-full"><summary>{summary}</summary>'
                     f'<div class="hbt-scroll" tabindex="0">'
                     f'{_html_table(frame.head(max(FOLD_ROWS, max_rows)), key)}</div>{capped}'
                     f'</details>')
    parts.append(_csv_link(full, name, download))
    parts.append("</div>")
    return HTML("".join(parts))


# ---------------------------------------------------------------------------------------
# The brief's pieces: headline cards and plain-language bullets
# ---------------------------------------------------------------------------------------


def cards(items: Iterable[Any]) -> Any:
    """Headline figures as cards (each item has value, label and an optional note)."""
    from IPython.display import HTML

    out = ['<div class="hbt-cards">']
    for card in items:
        note = f'<div class="hbt-card-note">{html.escape(card.note)}</div>' if card.note else ""
        out.append(f'<div class="hbt-card"><div class="hbt-card-value">'
                   f'{html.escape(card.value)}</div><div class="hbt-card-label">'
                   f'{html.escape(card.label)}</div>{note}</div>')
    out.append("</div>")
    return HTML("".join(out))


def bullets(items: Iterable[str], note: str | None = None) -> Any:
    """Sentences as a list (escaped: they may quote what residents wrote), and a small
    print line under them."""
    from IPython.display import HTML

    lis = "".join(f"<li>{html.escape(text, quote=False)}</li>" for text in items if text)
    small = f'<p class="hbt-small">{html.escape(note, quote=False)}</p>' if note else ""
    return HTML(f'<ul class="hbt-bullets">{lis}</ul>{small}')

"""The house style: one plotly template, fixed colours, notebook setup, tables and notes.

Vietnamese readers write 35.323 and 68,6%; the template's `separators=",."` makes plotly
do the same on axes and hovers. Figures must survive `jupyter nbconvert --to html
--no-input` with plotly.js embedded (plotly >= 6.1 drops them unless a renderer writes
HTML), which `setup_notebook()` handles once, here.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.colors import qualitative

from hbt_analysis.fmt import Lang, fmt_date, fmt_int, fmt_num, fmt_pct, fmt_pp
from hbt_analysis.labels import LABELS, label

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
        legend={"bgcolor": "rgba(255,255,255,0.8)"},
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


PCT_COLUMNS = {
    "rate", "ci_low", "ci_high", "rate_base", "rate_new", "invited_share", "attended_share",
    "p0", "lower_95", "upper_95", "lower_998", "upper_998", "cumulative_share", "share_base",
    "share_new", "ward_rate",
}
PP_COLUMNS = {"change", "change_low", "change_high", "within_part", "mix_part", "total_change"}
ONE_DECIMAL_COLUMNS = {"opinions_per_100"}
YEAR_COLUMNS = {"year", "base_year", "clause"}
VALUE_LABEL_COLUMNS = {"position", "status", "where", "level", "component", "metric"}


def format_value(column: str, value: Any, lang: Lang = "vi") -> str:
    """One cell as a person reads it (35.323; 68,6%; +1,2 điểm %; 28/02/2023)."""
    if isinstance(value, str):
        if column in VALUE_LABEL_COLUMNS and value in LABELS:
            return label(value, lang)
        return value
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return "—"
    if isinstance(value, (bool, np.bool_)):
        return ("có" if value else "không") if lang == "vi" else ("yes" if value else "no")
    if isinstance(value, pd.Timestamp):
        return fmt_date(value, lang)
    if column in YEAR_COLUMNS:
        return str(int(value))  # 2023, never 2.023
    if column in PCT_COLUMNS:
        return fmt_pct(value, lang=lang)
    if column in PP_COLUMNS:
        return fmt_pp(value, lang=lang)
    if column in ONE_DECIMAL_COLUMNS:
        return fmt_num(value, 1, lang)
    if isinstance(value, float) and not float(value).is_integer():
        return fmt_num(value, 1, lang)
    if isinstance(value, (int, float)) or hasattr(value, "__int__"):
        return fmt_int(value, lang)
    return str(value)


def format_frame(df: pd.DataFrame, lang: Lang = "vi", columns: list[str] | None = None
                 ) -> pd.DataFrame:
    """A frame of display strings with labelled headers (the columns given, or all)."""
    cols = columns if columns is not None else list(df.columns)
    out = pd.DataFrame(
        {
            (label(c, lang) if c in LABELS else c): [format_value(c, v, lang) for v in df[c]]
            for c in cols
        },
        index=range(len(df)),
    )
    return out


def table(df: pd.DataFrame, lang: Lang = "vi", columns: list[str] | None = None,
          max_rows: int | None = None) -> Any:
    """Display a frame with Vietnamese headers and numbers, no index (a pandas Styler).

    An empty frame shows "Không có dữ liệu" instead of an empty grid.
    """
    if df.empty:
        return note(f"*{label('no_data', lang)}.*")
    shown = df if max_rows is None else df.head(max_rows)
    frame = format_frame(shown, lang, columns)
    # Cells can hold what residents wrote: escape it, so "<script>" is shown, never run.
    styler = frame.style.format(escape="html").format_index(escape="html", axis=1)
    styler = styler.hide(axis="index").set_table_attributes('class="hbt-table"')
    styler = styler.set_properties(**{"text-align": "right", "font-family": FONT_FAMILY})
    wordy = [c for c in frame.columns if frame[c].astype(str).str.len().max() > 40]
    if wordy:  # sentences read left to right; numbers line up on the right
        styler = styler.set_properties(subset=wordy, **{"text-align": "left"})
    return styler

"""The plotly template, colours, display formatting and the synthetic-data note."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import plotly.io as pio
import pytest

from hbt_analysis import style
from hbt_analysis.fmt import fmt_int, fmt_pct
from hbt_analysis.labels import LABELS, label


def test_template_has_vietnamese_separators_and_font():
    style.register_template()
    t = pio.templates[style.TEMPLATE_NAME]
    assert t.layout.separators == ",."
    assert "Be Vietnam Pro" in t.layout.font.family and "Noto Sans" in t.layout.font.family
    assert t.layout.xaxis.separatethousands and t.layout.yaxis.separatethousands


def test_colours_fixed_and_distinct():
    from hbt_analysis.dataset import load

    wards = load(2023).wards["ward_code"]
    colors = {style.ward_color(c) for c in wards}
    assert len(wards) == 18 and len(colors) == 18 and style.OTHER_COLOR not in colors
    assert len(style.TOPIC_COLORS) == 11 and len(set(style.TOPIC_COLORS.values())) == 11
    assert style.ward_color("99999") == style.OTHER_COLOR
    assert style.topic_color("khac") == "rgb(136, 136, 136)"  # the grey of the palette


def test_setup_notebook_sets_defaults_and_requeues_plotlyjs():
    old_t, old_r = pio.templates.default, pio.renderers.default
    try:
        style.setup_notebook()
        assert pio.templates.default == "hbt"
        assert pio.renderers.default == style.NOTEBOOK_RENDERER
        pio.renderers._to_activate = []  # as after a first figure was shown
        style.setup_notebook()  # a second notebook in the same kernel
        assert any(type(r).__name__ == "NotebookRenderer" for r in pio.renderers._to_activate)
    finally:
        pio.templates.default, pio.renderers.default = old_t, old_r


def test_format_values():
    assert style.format_value("attended", 35323) == "35.323"
    assert style.format_value("rate", 0.6862) == "68,6%"
    assert style.format_value("rate", 0.6862, "en") == "68.6%"
    assert style.format_value("change", -0.077) == "-7,7 điểm %"
    assert style.format_value("conference_date", pd.Timestamp("2023-02-28")) == "28/02/2023"
    assert style.format_value("position", "below_998") == label("below_998")
    assert style.format_value("invited", pd.NA) == "—"
    assert style.format_value("complete", True) == "có"
    assert style.format_value("opinions_per_100", 4.0625) == "4,1"
    assert style.format_value("year", 2023) == "2023"
    assert style.format_value("data", 68.62) == "68,6"


def test_table_labels_and_formats():
    df = pd.DataFrame({"ward_name": ["Phố Huế"], "attended": [35323], "invited": [51477],
                       "rate": [35323 / 51477]})
    shown = style.format_frame(df)
    assert list(shown.columns) == [label(c) for c in df.columns]
    assert shown.iloc[0].tolist() == ["Phố Huế", fmt_int(35323), fmt_int(51477),
                                      fmt_pct(35323 / 51477)]
    html = style.table(df).data
    assert "35.323" in html and "68,6%" in html and "Số hộ dự" in html
    assert "Households attended" in style.table(df, "en").data
    assert style.table(df.iloc[0:0]) is None  # the sentence before an empty table says why


def test_long_table_shows_ten_rows_and_folds_the_rest():
    df = pd.DataFrame({"ward_name": [f"Tổ {i}" for i in range(25)], "attended": range(25)})
    html = style.table(df).data
    shown, _, folded = html.partition("<details")
    assert shown.count("<tr>") == 1 + style.TABLE_ROWS  # header and the first ten
    assert folded.count("<tr>") == 1 + 25 and "Xem toàn bộ 25 dòng" in folded
    assert 'download="bang.csv"' in html and "data:text/csv" in html


def test_a_city_sized_table_folds_a_capped_part_and_downloads_all_of_it():
    import base64
    import re

    n = 10_000
    df = pd.DataFrame({"ward_name": [f"Tổ {i}" for i in range(n)], "attended": range(n)})
    html = style.table(df).data
    shown, _, folded = html.partition("<details")
    assert shown.count("<tr>") == 1 + style.TABLE_ROWS
    assert folded.count("<tr>") == 1 + style.FOLD_ROWS
    assert f"Xem {style.FOLD_ROWS} dòng đầu" in folded and "Bảng có 10.000 dòng" in folded
    assert f"Tổ {style.FOLD_ROWS - 1}<" in folded and f"Tổ {style.FOLD_ROWS}<" not in folded
    data = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', html).group(1)
    csv_text = base64.b64decode(data).decode("utf-8-sig")
    assert csv_text.count("\n") == n + 1 and f"Tổ {n - 1}," in csv_text  # the whole table
    assert "The table has 10,000 rows" in style.table(df, "en").data


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_synthetic_note_visible_only_when_synthetic(lang):
    box = style.synthetic_note(SimpleNamespace(synthetic=True), lang)
    assert "hbt-synthetic" in box.data and label("synthetic_title", lang) in box.data
    assert style.synthetic_note(SimpleNamespace(synthetic=False), lang).data == ""


def test_every_label_has_both_languages():
    for key, (vi, en) in LABELS.items():
        assert vi and en, key
    with pytest.raises(KeyError):
        label("no_such_label")


PLANTED = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


def test_tables_escape_what_residents_wrote():
    from hbt_analysis.style import table

    html_out = table(pd.DataFrame({"text": [PLANTED], "n": [1]})).data
    assert "<script>" not in html_out and "<img" not in html_out
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html_out


def test_sentences_escape_html():
    from hbt_analysis.style import note

    md = note(f"Ý kiến: {PLANTED}")._repr_markdown_()
    assert "<script>" not in md and "<img" not in md and "&lt;img" in md


def test_every_section_a_notebook_shows_has_both_languages():
    import re
    from pathlib import Path

    from hbt_analysis.labels import section, section_keys

    for key in section_keys():
        for lang in ("vi", "en"):
            title, _ = section(key, lang)
            assert title.strip(), (key, lang)
    notebooks = Path(__file__).resolve().parents[1] / "notebooks"
    used = {k for nb in notebooks.glob("*.ipynb")
            for k in re.findall(r'style\.section\(\\"([^"\\]+)\\"', nb.read_text("utf-8"))}
    assert used and used <= set(section_keys()), used - set(section_keys())


def test_each_cell_names_its_column_and_an_empty_column_is_left_out_of_the_page():
    import base64
    import re

    df = pd.DataFrame({"ward_name": ["Phố Huế", "Bạch Mai"], "rate": [0.5, 0.75],
                       "reason": ["", ""]})
    html = style.table(df).data
    # on a phone each row becomes a card of "header: value" (report.js, report.css)
    assert f'<td class="key" data-label="{label("ward_name")}">Phố Huế</td>' in html
    assert f'<td class="num" data-label="{label("rate")}">75,0%</td>' in html
    assert label("reason") not in html.split("<a ")[0]  # nothing to read under it
    data = re.search(r'base64,([^"]+)"', html).group(1)
    assert label("reason") in base64.b64decode(data).decode("utf-8-sig")  # in the download
    with_reason = style.table(df.assign(reason=["", "tách phường"])).data
    assert label("reason") in with_reason and "tách phường" in with_reason
    # a name and its figures: on a phone the figures run on under the name
    figures = pd.DataFrame({"ward_name": ["Phố Huế"], "attended": [3], "invited": [4]})
    assert 'class="hbt-tbl hbt-figures"' in style.table(figures).data
    assert 'class="hbt-tbl"' in html


def test_a_cards_title_is_the_column_that_names_the_row():
    frame = pd.DataFrame({"Cấp hội nghị": ["Tổ dân phố"] * 3,
                          "Lĩnh vực": ["Hạ tầng đô thị", "An ninh trật tự", "Khác"],
                          "Số ý kiến": ["243", "159", "24"]})
    assert style.key_column(frame) == 1  # the topic, not the level every row shares
    assert 'class="key" data-label="Lĩnh vực">Hạ tầng đô thị<' in style.table(
        frame, formatted=True).data
    assert style.key_column(frame[["Số ý kiến"]]) == 0

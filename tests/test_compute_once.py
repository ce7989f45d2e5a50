"""Work done once, not once per call: the classifier per process, a year's classification per
data hash, ward names per `top_terms` call, the plotly template per process.

Each test counts the calls to the costly step (not seconds: the machine is shared) and
checks the answers are the same as the step done afresh.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

import hbt_analysis as hbt
from hbt_analysis import charts, style, topics
from hbt_analysis import opinions as op
from hbt_analysis.opinions import scope as op_scope
from hbt_analysis.opinions import words as op_words
from tests.conftest import needs_bundled_data


@pytest.fixture
def counted(monkeypatch):
    """Counts of TopicClassifier objects built and of texts classified, from a cold start."""
    calls = {"built": 0, "classified": []}
    init, predict = topics.TopicClassifier.__init__, topics.TopicClassifier.predict_topics

    def counting_init(self, *args, **kwargs):
        calls["built"] += 1
        init(self, *args, **kwargs)

    def counting_predict(self, texts, *args, **kwargs):
        calls["classified"].append(len(texts))
        return predict(self, texts, *args, **kwargs)

    monkeypatch.setattr(topics.TopicClassifier, "__init__", counting_init)
    monkeypatch.setattr(topics.TopicClassifier, "predict_topics", counting_predict)
    _forget()
    yield calls
    _forget()


def _forget() -> None:
    """A cold start: no classifier built, no year classified in this process."""
    if hasattr(topics, "default_classifier"):
        topics.default_classifier.cache_clear()
    op_scope._CLASSIFIED.clear()


def _afresh(ds, ward=None, level="all") -> pd.DataFrame:
    """prepare() as it was: a new classifier and a new classification for every call."""
    classified = topics.classify_opinions(ds.opinions, topics.TopicClassifier())
    classified = classified.merge(ds.wards[["ward_code", "ward_name"]], on="ward_code",
                                  how="left")
    return op.select(classified, ward, level, known_wards=ds.wards["ward_code"])


@needs_bundled_data
def test_one_classifier_per_process_and_one_classification_per_year(counted):
    ds = hbt.load(2023)
    scopes = [(None, "all"), ("00241", "all"), ("00286", "phuong"), ("00244", "to_dan_pho")]
    got = [op.prepare(ds, ward, level) for ward, level in scopes]
    op.prepare(hbt.load(2023), "00283")  # the same year loaded again (as another report)
    shifts = op.compare_with_previous(2023, ward="00241")  # loads 2023 and 2022
    assert not shifts.empty
    assert counted["built"] == 1
    n = {year: len(hbt.load(year).opinions) for year in (2022, 2023)}
    assert counted["classified"] == [n[2023], n[2022]]  # each year once, whole

    for (ward, level), frame in zip(scopes, got, strict=True):
        pd.testing.assert_frame_equal(frame, _afresh(ds, ward, level))


@needs_bundled_data
def test_a_changed_year_is_classified_again_and_results_do_not_share_state(counted):
    ds = hbt.load(2023)
    first = op.prepare(ds)
    first.loc[:, "topic_primary"] = "khac"  # a notebook changing its copy
    assert (op.prepare(ds)["topic_primary"] != "khac").any()
    assert len(counted["classified"]) == 1

    changed = hbt.load(2023)  # same content hash, different opinions: never from the cache
    changed.opinions.loc[0, "text"] = "Đề nghị xử lý cháy nổ, trang bị bình chữa cháy PCCC"
    assert op.prepare(changed)["topic_primary"].iloc[0] == "pccc"
    fewer = hbt.load(2023)
    fewer.opinions = fewer.opinions.head(10)
    assert len(op.prepare(fewer)) == 10
    assert len(counted["classified"]) == 3
    pd.testing.assert_frame_equal(op.prepare(hbt.load(2023)), _afresh(ds))


@needs_bundled_data
@pytest.mark.parametrize("copies", [1, 2])
def test_top_terms_reads_the_ward_names_once_whatever_the_size(monkeypatch, copies):
    """Naming each output row used to rescan every opinion (rows x opinions)."""
    ds = hbt.load(2023)
    scope = pd.concat([op.prepare(ds)] * copies, ignore_index=True)
    scans = []
    ward_names = op_words._ward_names
    monkeypatch.setattr(op_words, "_ward_names", lambda *a: scans.append(1) or ward_names(*a))
    terms = op.top_terms(scope, by="ward_code")
    assert len(terms) > 100 and len(scans) == 1
    names = dict(zip(ds.wards["ward_code"], ds.wards["ward_name"], strict=True))
    assert terms["name"].tolist() == terms["ward_code"].map(names).tolist()
    assert set(terms["ward_code"]) == set(names)


@pytest.fixture
def plotly_defaults():
    template, renderer = pio.templates.default, pio.renderers.default
    yield
    pio.templates.default, pio.renderers.default = template, renderer


def test_the_plotly_template_is_built_once_and_reused(monkeypatch, plotly_defaults):
    built = []
    make = style.make_template
    monkeypatch.setattr(style, "make_template", lambda: built.append(1) or make())
    monkeypatch.setattr(style, "_TEMPLATE", None, raising=False)
    if style.TEMPLATE_NAME in pio.templates:
        del pio.templates[style.TEMPLATE_NAME]

    style.setup_notebook("vi")
    registered = pio.templates[style.TEMPLATE_NAME]
    shares = pd.DataFrame({"level": ["to_dan_pho"], "topic": ["moi_truong"],
                           "topic_name": ["Môi trường"], "count": [3], "n": [9],
                           "share": [1 / 3], "ci_low": [0.1], "ci_high": [0.6]})
    figures = [charts.topic_chart(shares, lang) for lang in ("vi", "en", "vi")]
    figures += [style.apply_style(go.Figure(go.Bar(x=[1], y=[2_142])), "vi") for _ in range(5)]
    style.setup_notebook("vi")  # a second notebook in the same kernel
    assert len(built) == 1
    assert pio.templates[style.TEMPLATE_NAME] is registered
    for fig in figures:
        assert fig.layout.template == style.house_template()
    assert [f.layout.separators for f in figures[:3]] == [",.", ".,", ",."]

    # a figure made under another default template still gets the house one
    pio.templates.default = "ggplot2"
    fig = style.apply_style(go.Figure(go.Bar(x=[1], y=[1])))
    assert fig.layout.template == style.house_template()
    assert fig.layout.template.layout.font.family == style.FONT_FAMILY
    # a registered template changed in place (by an earlier notebook) is put right
    pio.templates[style.TEMPLATE_NAME].layout.font.size = 40
    style.setup_notebook("vi")
    assert pio.templates[style.TEMPLATE_NAME].layout.font.size == 13
    assert len(built) == 1

"""A city's opinions with the same answers, computed once (issue 12, "a city on this
machine"): the place check of many pairs at once, the year's heavy results kept on disk,
each text segmented once per process, and only the shown texts redacted.

Speed is measured in benchmarks/bench_city.py; these tests check the answers and count the
costly steps.
"""

from __future__ import annotations

import itertools
import os

import numpy as np
import pandas as pd
import pytest

import hbt_analysis as hbt
from hbt_analysis import privacy, synth_city
from hbt_analysis import text as T
from hbt_analysis.opinions import place_index, words, yearly
from hbt_analysis.opinions import scope as op_scope
from hbt_analysis.opinions.similarity import place_relation
from hbt_analysis.opinions.yearly import YearRequests, places_of
from tests.conftest import DATA, needs_bundled_data

CITY = synth_city.CitySize(wards=8, groups=480, opinions=1800, ward_opinions=3)


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    root = tmp_path_factory.mktemp("city")
    synth_city.write(root, CITY, years=(2024,))
    return hbt.load(2024, data_dir=root)


def _slow_relations(places, other_places, rows, cols):
    """place_index.relations as it was: similarity.place_relation, pair by pair."""
    return [place_relation(places[i], other_places[j])[0] for i, j in zip(rows, cols,
                                                                           strict=True)]


def _year(ds) -> YearRequests:
    return YearRequests(op_scope._classified_year(ds), ds.year)


def test_many_pairs_get_the_relation_place_relation_gives(city):
    texts = city.opinions["text"].tolist()
    if (DATA / "2023").is_dir():
        texts += hbt.load(2023).opinions["text"].tolist()
    named = sorted({p for p in map(places_of, texts) if p}, key=repr)
    assert len(named) > 200  # streets, alleys, blocks, junctions, landmarks
    assert {p.kind for ps in named for p in ps} >= {"alley", "street", "block", "landmark"}
    rng = np.random.default_rng(0)
    # items merged across wards name the places of all their members
    unions = [tuple(dict.fromkeys(p for k in rng.choice(len(named), size, replace=False)
                                  for p in named[k]))
              for size in (2, 5, 20) for _ in range(40)]
    sample = [named[k] for k in rng.choice(len(named), 150, replace=False)] + unions
    pairs = list(itertools.combinations(range(len(sample)), 2))
    rows, cols = [i for i, _ in pairs], [j for _, j in pairs]
    fast = place_index.relations(sample, sample, rows, cols)
    assert fast == _slow_relations(sample, sample, rows, cols)
    assert {"same", "related", "different"} <= set(fast)


@needs_bundled_data
def test_the_bundled_2023_consolidation_is_unchanged(monkeypatch):
    """Ward items, area items and the ward-conference links of 2023, with the place check of
    many pairs at once and with place_relation pair by pair: the same frames."""
    monkeypatch.setenv("HBT_NO_DISK_CACHE", "1")
    ds = hbt.load(2023)
    fast = _year(ds)
    got = [*fast.items("ward"), *fast.items("area"), fast.links()]
    monkeypatch.setattr(place_index, "relations", _slow_relations)
    slow = _year(ds)
    want = [*slow.items("ward"), *slow.items("area"), slow.links()]
    for a, b in zip(got, want, strict=True):
        pd.testing.assert_frame_equal(a, b)
    assert len(got[2]) < len(got[0])  # the area merged some wards' items


def test_the_years_heavy_results_are_read_back_and_never_stale(city, tmp_path, monkeypatch):
    monkeypatch.setenv("HBT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("HBT_NO_DISK_CACHE", raising=False)
    calls = []
    real = yearly.consolidate

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(yearly, "consolidate", counted)
    first = _year(city)
    items, members = first.items("ward")
    assert len(calls) == 1 and list((tmp_path / "years").glob("*items-ward*"))
    again = _year(city)  # another process, the next report, an analyst's next session
    items2, members2 = again.items("ward")
    assert len(calls) == 1
    pd.testing.assert_frame_equal(items, items2)
    pd.testing.assert_frame_equal(members, members2)
    assert (again.features != first.features).nnz == 0
    # a changed opinion is a different year: computed again, not read back
    changed = first.opinions.copy()
    changed.loc[0, "text"] = "Đề nghị sửa đèn chiếu sáng ngõ 3 phố Nội Thành bị hỏng."
    other = YearRequests(changed, city.year)
    other.items("ward")
    assert len(calls) == 2


def test_each_text_is_segmented_once_for_every_words_table(city, tmp_path, monkeypatch):
    monkeypatch.setenv("HBT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("HBT_NO_DISK_CACHE", raising=False)
    monkeypatch.setattr(T, "_DISK", T._DiskCache())
    T._segment_cached.cache_clear()
    words._TERMS.clear()
    ops = op_scope.prepare(city)
    distinct = {T.normalize(t) for t in ops["text"]} - {""}
    before = T.SEGMENT_STATS["tokenized"]
    by_topic = words.top_terms_table(ops, by="topic_primary")
    by_ward = words.top_terms_table(ops, by="ward_code")
    found = words.themes(ops, k=6)
    typical = words.representative_opinions(ops, n=3)
    assert T.SEGMENT_STATS["tokenized"] - before == len(distinct)
    assert len(by_topic) > 5 and len(by_ward) == CITY.wards and len(found) == 6
    assert len(typical) >= 3 * 5
    # the same as segmenting afresh
    T._segment_cached.cache_clear()
    words._TERMS.clear()
    pd.testing.assert_frame_equal(by_ward, words.top_terms_table(ops, by="ward_code"))
    assert T.SEGMENT_STATS["tokenized"] - before == len(distinct)  # the disk cache


def test_typical_opinions_and_themes_redact_only_the_texts_they_show(city, monkeypatch):
    ops = op_scope.prepare(city)
    redacted = []
    real = privacy.redact

    def counted(text, *args, **kwargs):
        redacted.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(privacy, "redact", counted)
    typical = words.representative_opinions(ops, n=3)
    found = words.themes(ops, k=6, n_examples=2)
    assert 0 < len(redacted) < len(ops) / 5
    original = ops.set_index("opinion_id")["text"]
    assert typical["text"].tolist() == [real(original[i]) for i in typical["opinion_id"]]
    shown = {real(t) for t in ops["text"]}
    examples = [e for x in found["examples"] for e in x.split(" | ")]
    assert examples and set(examples) <= shown


def test_the_year_cache_forgets_the_least_recently_used_first(tmp_path, monkeypatch):
    from hbt_analysis.opinions import year_cache

    monkeypatch.setenv("HBT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("HBT_NO_DISK_CACHE", raising=False)
    blob = b"x" * 400_000
    for i, name in enumerate(("old", "used", "new")):
        assert year_cache.cached(name, "k", lambda: blob) == blob
        path = next((tmp_path / "years").glob(f"*-{name}.pkl"))
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
    assert year_cache.cached("used", "k", lambda: b"computed again") == blob  # read: used now
    year_cache.prune(tmp_path / "years", max_mb=1.0)
    assert sorted(p.name.rsplit("-", 1)[1] for p in (tmp_path / "years").glob("*.pkl")) == [
        "new.pkl", "used.pkl"]


def test_a_threshold_changed_at_run_time_is_computed_afresh(city, tmp_path, monkeypatch):
    from hbt_analysis.opinions import consolidate as cons

    monkeypatch.setenv("HBT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("HBT_NO_DISK_CACHE", raising=False)
    before, _ = _year(city).items("area")
    monkeypatch.setattr(cons, "LARGE_ITEM", 1)
    calls = []
    real = yearly.consolidate
    monkeypatch.setattr(yearly, "consolidate", lambda *a, **k: calls.append(1) or real(*a, **k))
    after, _ = _year(city).items("area")
    assert calls == [1]  # not read back: another setting
    assert sorted(after["members"].explode()) == sorted(before["members"].explode())

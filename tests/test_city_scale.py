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
def city_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("city")
    synth_city.write(root, CITY, years=(2024,))
    return root


@pytest.fixture(scope="module")
def city(city_dir):
    return hbt.load(2024, data_dir=city_dir)


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
    T.forget_segmentations()
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
    T.forget_segmentations()
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


def test_a_batch_computes_the_heavy_step_once_before_its_workers(city_dir, tmp_path,
                                                                 monkeypatch):
    """precompute_years, as the runner calls it before the pool: the year's heavy results
    go to disk, a worker (another process: nothing kept in memory) reads them back, the
    next run skips the year without loading it, and a year that cannot be loaded is left
    to its reports."""
    from hbt_analysis import dataset

    monkeypatch.setenv("HBT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("HBT_NO_DISK_CACHE", raising=False)
    calls = []
    real = yearly.consolidate
    monkeypatch.setattr(yearly, "consolidate",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    yearly._YEARS.clear()
    done = yearly.precompute_years([2024, 2031], city_dir)
    assert set(done[2024]) >= {"words (beside)", "items (wards)", "items (area)", "links",
                               "routes", "raised again"}
    assert "2031" in done[2031]  # the reports of 2031 will say what is wrong
    assert len(calls) == 2  # the ward items and the area items
    import sqlite3  # the words, segmented in a second process, are in the disk cache

    with sqlite3.connect(tmp_path / "segment.sqlite3") as conn:
        segmented = conn.execute("SELECT COUNT(*) FROM seg").fetchone()[0]
    assert segmented >= 0.5 * hbt.load(2024, data_dir=city_dir).opinions["text"].nunique()
    names = {p.name.split("-", 3)[-1] for p in (tmp_path / "years").glob("2024-*.pkl")}
    assert {"features.pkl", "places.pkl", "routes.pkl"} <= names
    assert any(n.startswith("items-area") for n in names)
    yearly._YEARS.clear()  # a worker: a fresh process with the same disk
    ds = hbt.load(2024, data_dir=city_dir)
    items, members = yearly.year_requests(ds).items("area")
    assert len(calls) == 2 and len(items) and len(members)
    # the next run: the note beside the results says they are there; nothing is loaded
    monkeypatch.setattr(dataset, "load", lambda *a, **k: pytest.fail("loaded again"))
    assert yearly.precompute_years([2024], city_dir) == {2024: "on disk"}
    monkeypatch.setenv("HBT_NO_DISK_CACHE", "1")  # workers could not read it: nothing done
    assert yearly.precompute_years([2024], city_dir) == {}


@pytest.mark.slow
def test_the_runner_puts_the_heavy_step_on_disk_before_the_first_report(city_dir, tmp_path,
                                                                        monkeypatch):
    """A real batch (worker process, warm kernel): the year's heavy results are on disk
    before its first report starts, so no two workers compute them at once."""
    import datetime as dt
    import json
    from pathlib import Path

    from hbt_analysis.report.plan import Report, YearInfo
    from hbt_analysis.report.runner import run_batch

    monkeypatch.setenv("HBT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("HBT_NO_DISK_CACHE", raising=False)
    notebook = Path(__file__).parent / "notebooks" / "report_ok.ipynb"
    info = YearInfo(2024, "hash2024", True, (), False)
    outcome = run_batch([Report(notebook, 2024, None, None, {"year": 2024})], {2024: info},
                        tmp_path / "out", workers=1, data_dir=city_dir)
    assert outcome.exit_code == 0, outcome.messages
    manifest = json.loads((outcome.run_dirs[2024] / "manifest.json").read_text("utf-8"))
    started = dt.datetime.fromisoformat(manifest["reports"][0]["started"]).timestamp()
    written = [p.stat().st_mtime for p in (tmp_path / "cache" / "years").glob("2024-*.pkl")]
    assert len(written) >= 6 and max(written) <= started

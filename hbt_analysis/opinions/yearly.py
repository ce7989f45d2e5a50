"""The work done once per year and reused by every report of it: the request features
(TF-IDF and places), the consolidated items, the ward-to-group links and the routes.

:func:`year_requests` keeps one :class:`YearRequests` per (data hash, year) in the process,
the same way :func:`~hbt_analysis.opinions.scope.prepare` keeps the year's topics: a report
kernel that runs the district and eighteen wards computes them once. Each part is computed
the first time it is asked for; a different threshold is computed (and kept) separately.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp

from hbt_analysis.opinions import staff_items
from hbt_analysis.opinions.consolidate import DEFAULT_THRESHOLD, consolidate
from hbt_analysis.opinions.scope import _classified_year
from hbt_analysis.opinions.similarity import Place, RequestVectorizer, find_places
from hbt_analysis.text import normalize

__all__ = ["YearRequests", "places_of", "precompute_year", "precompute_years", "year_requests"]


def places_of(text: str) -> tuple[Place, ...]:
    """The places an opinion names; a person's name is never one ("Hồ Minh Thủy" is not a
    lake), so an item's list of places, which the reports show, cannot carry one. A name
    can pass for a place only after a capitalised landmark word ("Hồ", a surname too):
    those opinions, few, are read again with personal data masked (masking every
    opinion would double the year's work)."""
    norm = normalize(text)
    places = find_places(norm)
    if any(p.kind == "landmark" and p.text[:1].isupper() for p in places):
        from hbt_analysis.privacy import redact

        places = find_places(normalize(redact(norm)))
    return places


class YearRequests:
    """A year's opinions (classified, index 0..n-1) and what is computed once from them."""

    def __init__(self, opinions: pd.DataFrame, year: int) -> None:
        self.opinions = opinions.reset_index(drop=True)
        self.year = int(year)
        self._vectorizer: RequestVectorizer | None = None
        self._features: sp.csr_matrix | None = None
        self._places: list[tuple[Place, ...]] | None = None
        self._items: dict[tuple[str, float], tuple[pd.DataFrame, pd.DataFrame]] = {}
        self._clusterings: dict[tuple[str, float], dict] = {}
        self._links: dict[tuple[float, bool], pd.DataFrame] = {}
        self._routes: pd.DataFrame | None = None
        self._other: dict[str, tuple[sp.csr_matrix, list[tuple[Place, ...]]]] = {}
        self._key: str | None = None
        self._staff: dict[tuple[str, float], tuple[pd.DataFrame, pd.DataFrame]] = {}

    @property
    def cache_key(self) -> str:
        """What the year's results on disk are named by: the year and its opinions' values."""
        if self._key is None:
            from hbt_analysis.opinions import year_cache

            self._key = f"{self.year}-{year_cache.frame_key(self.opinions)}"
        return self._key

    def _cached(self, name: str, compute):
        """`compute()` once per year: from this object, else from the disk (year_cache)."""
        from hbt_analysis.opinions import year_cache

        return year_cache.cached(name, self.cache_key, compute)

    # features ------------------------------------------------------------------------
    @property
    def vectorizer(self) -> RequestVectorizer:
        if self._vectorizer is None:
            self._fit()
        return self._vectorizer

    @property
    def features(self) -> sp.csr_matrix:
        if self._features is None:
            self._fit()
        return self._features

    def _fit(self) -> None:
        def fit() -> tuple[RequestVectorizer, sp.csr_matrix]:
            texts = self.opinions["text"].fillna("").astype(str).tolist()
            vectorizer = RequestVectorizer()  # fit and transform in one pass over the texts
            return vectorizer, vectorizer.fit_transform(texts)

        self._vectorizer, self._features = self._cached("features", fit)

    @property
    def places(self) -> list[tuple[Place, ...]]:
        if self._places is None:
            self._places = self._cached("places", lambda: [
                places_of(t) for t in self.opinions["text"].fillna("").astype(str)])
        return self._places

    def features_of(self, key: str, texts: Sequence[str]
                    ) -> tuple[sp.csr_matrix, list[tuple[Place, ...]]]:
        """Other texts (an earlier year's) in this year's feature space, kept under `key`."""
        if key not in self._other:
            texts = [str(t) if isinstance(t, str) else "" for t in texts]
            self._other[key] = (self.vectorizer.transform(texts),
                                [places_of(t) for t in texts])
        return self._other[key]

    def rows(self, mask: pd.Series | np.ndarray) -> np.ndarray:
        return np.flatnonzero(np.asarray(mask, dtype=bool))

    # consolidated items --------------------------------------------------------------
    def items(self, scope: str = "ward", threshold: float | None = None,
              level: str = "to_dan_pho") -> tuple[pd.DataFrame, pd.DataFrame]:
        """(items, members) of the year's opinions of `level`: within each ward
        (scope="ward") or merged across the area (scope="area"). Where staff grouped
        opinions (the column staff_item), their grouping wins (staff_items.follow_staff):
        items and members then say where each came from, and the machine's own item."""
        if staff_items.STAFF_COLUMN not in self.opinions:  # (the bundled data)
            return self.machine_items(scope, threshold, level)
        thr = DEFAULT_THRESHOLD if threshold is None else float(threshold)
        key = (f"{scope}:{level}", thr)
        if key not in self._staff:
            idx = self.rows(self.opinions["level"] == level)
            frame = self.opinions.iloc[idx]
            self._staff[key] = self._cached(
                f"items-staff-{scope}-{level}-{thr!r}", lambda: staff_items.follow_staff(
                    frame, self.features[idx], [self.places[i] for i in idx],
                    self.vectorizer, thr, scope, self.machine_items(scope, thr, level)[1])
            ) if staff_items.grouped_by_staff(frame) else self.machine_items(scope, thr, level)
        items, members = self._staff[key]
        return items.copy(deep=False), members.copy(deep=False)

    def machine_items(self, scope: str = "ward", threshold: float | None = None,
                      level: str = "to_dan_pho") -> tuple[pd.DataFrame, pd.DataFrame]:
        """(items, members) of the year's opinions of `level`: within each ward
        (scope="ward") or merged across the area (scope="area")."""
        thr = DEFAULT_THRESHOLD if threshold is None else float(threshold)
        key = (f"{scope}:{level}", thr)
        if key not in self._items:
            idx = self.rows(self.opinions["level"] == level)
            shared = self._clusterings.setdefault((level, thr), {})  # one clustering, two cuts
            self._items[key] = self._cached(f"items-{scope}-{level}-{thr!r}", lambda: consolidate(
                self.opinions.iloc[idx], self.features[idx], [self.places[i] for i in idx],
                self.vectorizer, thr, scope, shared=shared))
            if all((f"{s}:{level}", thr) in self._items for s in ("ward", "area")):
                self._clusterings.pop((level, thr), None)  # both cut: not needed any more
        items, members = self._items[key]
        return items.copy(deep=False), members.copy(deep=False)

    # routes --------------------------------------------------------------------------
    def routes(self) -> pd.DataFrame:
        if self._routes is None:
            from hbt_analysis.opinions.routing import route_opinions

            self._routes = self._cached("routes", lambda: route_opinions(self.opinions))
        return self._routes.copy(deep=False)

    # links ---------------------------------------------------------------------------
    def links(self, threshold: float | None = None, staff: bool = True) -> pd.DataFrame:
        """The ward-level opinions' links to their group-level sources (linking.py); where
        staff keyed a ward opinion like group opinions of its ward (staff_item), theirs
        win. `staff=False`: the machine's own links (the same unless staff keyed some)."""
        from hbt_analysis.opinions.linking import DEFAULT_LINK_THRESHOLD, link_ward_opinions

        thr = DEFAULT_LINK_THRESHOLD if threshold is None else float(threshold)
        keyed = staff_items.STAFF_COLUMN in self.opinions
        own = staff and keyed
        key = (thr, own)
        if key not in self._links and keyed and not own:
            # the staff's version first: where no key of theirs matched (every numbered
            # minutes import), it is the machine's own, computed once for both
            by_staff = self.links(thr)
            if not (by_staff["source"] == "staff").any():
                self._links[key] = self._links[(thr, True)]
        if key not in self._links:
            name = f"links-{thr!r}" if not own else f"links-staff-{thr!r}"
            self._links[key] = self._cached(name, lambda: link_ward_opinions(
                self.opinions, self.features, self.places, thr, staff=own))
        return self._links[key].copy(deep=False)


#: (data hash, year) -> (opinions, wards, YearRequests) of this process.
_YEARS: dict[tuple[str, int], tuple[pd.DataFrame, pd.DataFrame, YearRequests]] = {}
_KEPT_YEARS = 4


def year_requests(ds) -> YearRequests:
    """The year's :class:`YearRequests`, made once per process and data hash (and made
    again if `ds.opinions` or `ds.wards` changed since)."""
    key = (str(getattr(ds, "content_hash", "")), int(ds.year))
    kept = _YEARS.pop(key, None)
    if kept is not None and kept[0].equals(ds.opinions) and kept[1].equals(ds.wards):
        _YEARS[key] = kept
        return kept[2]
    made = YearRequests(_classified_year(ds), int(ds.year))
    _YEARS[key] = (ds.opinions.copy(deep=False), ds.wards.copy(deep=False), made)
    while len(_YEARS) > _KEPT_YEARS:
        _YEARS.pop(next(iter(_YEARS)))
    return made


def _segment_texts(texts: list[str]) -> float:
    """Every text's words into the segmentation's disk cache (run in a process beside the
    heavy step: nothing else of it segments); the CPU seconds it took."""
    import time

    from hbt_analysis.opinions.words import _terms_of

    start = time.process_time()
    _terms_of(texts)
    return time.process_time() - start


def _start_segmenting(texts: list[str]):
    """A second Python process running :func:`_segment_texts` on `texts` (a plain command,
    not multiprocessing: the caller's script is not imported again); None if it cannot
    start."""
    import json
    import subprocess
    import sys
    import tempfile

    try:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False,
                                         encoding="utf-8") as f:
            json.dump(texts, f, ensure_ascii=False)
        code = ("import json, sys\nfrom hbt_analysis.opinions.yearly import _segment_texts\n"
                "print(_segment_texts(json.load(open(sys.argv[1], encoding='utf-8'))))")
        proc = subprocess.Popen([sys.executable, "-c", code, f.name], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
    except OSError:
        return None
    return proc, f.name


def _finish_segmenting(started) -> float | None:
    """Wait for :func:`_start_segmenting`'s process: its CPU seconds, None if it failed."""
    import os

    proc, path = started
    try:
        out, _ = proc.communicate()
        return float(out.strip().splitlines()[-1]) if proc.returncode == 0 else None
    except (ValueError, IndexError):
        return None
    finally:
        os.unlink(path)


def precompute_year(ds, data_dir=None, words_beside: bool = False) -> dict[str, float]:
    """Compute a year's heavy results now, once, rather than in whichever report cell asks
    first: the topics, every text's words (segmentation), the request features and places,
    the consolidated items of each ward and of the area, the ward-conference links, the
    routes and what was raised again in the earlier years of `data_dir`. Kept in this
    process and on disk (year_cache; the segmentation's own cache), so every report of the
    year, in any worker, and an analyst's next session reuse them. Returns the CPU seconds
    of each step (what benchmarks/bench_city.py records).

    `words_beside`: the words (segmentation, the longest step when cold, needed by no other
    step) are computed in a second process at the same time, into the segmentation's disk
    cache only (what a batch needs: its workers read them back), so a 2-core machine does
    the heavy step in the time of its longer half; in this process if that fails."""
    import time

    spent: dict[str, float] = {}

    def step(name: str, work) -> None:
        start = time.process_time()
        work()
        spent[name] = time.process_time() - start

    step("topics", lambda: _classified_year(ds))
    yr = year_requests(ds)
    texts = yr.opinions["text"].fillna("").astype(str).tolist()
    beside = _start_segmenting(list(dict.fromkeys(texts))) if words_beside else None
    if beside is None:
        step("words", lambda: _segment_texts(texts))

    def repeats() -> None:
        from hbt_analysis.opinions.worklist import year_repeats

        year_repeats(ds, data_dir=data_dir)

    try:
        step("features", lambda: yr.features)
        step("places", lambda: yr.places)
        step("items (wards)", lambda: yr.items("ward"))
        step("items (area)", lambda: yr.items("area"))
        step("links", lambda: (yr.links(), yr.links(staff=False)))  # one unless staff keyed
        step("routes", lambda: yr.routes())
        step("raised again", repeats)
    except BaseException:  # no second process left behind
        if beside is not None:
            beside[0].kill()
            _finish_segmenting(beside)
        raise
    if beside is not None:
        seconds = _finish_segmenting(beside)
        if seconds is None:  # the second process failed: the words here after all
            step("words", lambda: _segment_texts(texts))
        else:
            spent["words (beside)"] = seconds
    return spent


def precompute_years(years: Sequence[int], data_dir=None, stream=None) -> dict[int, object]:
    """:func:`precompute_year` of each year, here, before a batch hands reports to its
    workers: the heavy step is then computed once and every worker reads it from disk,
    instead of both workers computing it at once. Nothing is done with
    ``HBT_NO_DISK_CACHE`` (the workers could not read it back), nor for a year whose
    results are already on disk for the same files and code (a note kept beside them says
    which: the next run pays a hash of the files, not a load). A year that cannot be loaded
    or computed is left to its reports, which say why: its message is returned in place of
    its CPU seconds. One line per year computed on `stream` (a run's progress)."""
    import os
    import time

    from hbt_analysis.dataset import available_years, load
    from hbt_analysis.opinions import year_cache
    from hbt_analysis.opinions.worklist import _years_hash

    if os.environ.get("HBT_NO_DISK_CACHE"):
        return {}
    done: dict[int, object] = {}
    for year in years:
        try:
            files = _years_hash([y for y in available_years(data_dir) if y <= year], data_dir)
            note = f"{year}-{files}-precomputed"
            if year_cache.is_marked(note):
                done[year] = "on disk"
                continue
            if stream is not None:
                print(f"Năm {year}: tính trước phần nặng của năm (một lần cho mọi báo cáo) / "
                      f"{year}: computing the year's heavy step once for every report …",
                      file=stream, flush=True)
            start = time.perf_counter()
            ds = load(year, data_dir)
            # made afresh: this process may hold the year's results in memory only (computed
            # before, or with another cache folder), and the workers need them on disk
            _YEARS.pop((str(getattr(ds, "content_hash", "")), int(ds.year)), None)
            done[year] = precompute_year(ds, data_dir, words_beside=True)
            year_cache.mark(note, year_cache.written(year_requests(ds).cache_key))
            if stream is not None:
                print(f"Năm {year}: xong / done ({time.perf_counter() - start:.0f} s)",
                      file=stream, flush=True)
        except Exception as exc:  # bad data: the reports fail with the full message
            done[year] = f"{type(exc).__name__}: {exc}"
            if stream is not None:
                print(f"Năm {year}: không tính trước được, các báo cáo sẽ nói lý do / not "
                      "computed beforehand, the reports will say why", file=stream, flush=True)
    return done

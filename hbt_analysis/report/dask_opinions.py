"""The opinion pipeline partitioned on a Dask cluster, for years too large for one process.

The four steps that grow with the number of opinions — normalise (`text.normalize_series`),
classify (`topics.classify_opinions`), segment and collect terms (`opinions.words.
opinion_terms`) — run on each partition of the opinions (a `dask.dataframe`, one task per
partition, on whichever workers the cluster has). Each partition sends back its classified
rows and its term counts per group; the small reduce step adds the counts and ranks the
terms exactly as `opinions.words.top_terms` does (TF-IDF across groups), so the result is
equal to the single-process one (tests/test_dask.py checks it).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


def process_partition(part: pd.DataFrame | str, by: str = "topic_primary", terms: bool = True
                      ) -> tuple[pd.DataFrame, dict[object, Counter], dict[str, float]]:
    """One partition through the pipeline: its classified rows (with `text_normalized`),
    each group's term counts (none when `terms` is False), and the seconds it took: wall
    `wall_s`, CPU `cpu_s`, and CPU per step (`read_s`, `classify_s`, `normalize_s`,
    `terms_s` when `terms`). `part` is a DataFrame or the path of a Parquet file read here, on the
    worker."""
    from hbt_analysis.opinions.words import term_counts_by
    from hbt_analysis.text import normalize_series
    from hbt_analysis.topics import classify_opinions

    t0, c0 = time.perf_counter(), time.thread_time()
    steps: dict[str, float] = {}

    def lap(name: str, c: float) -> float:
        now = time.thread_time()
        steps[name] = now - c
        return now

    c = c0
    if isinstance(part, str):
        part = pd.read_parquet(part)
        c = lap("read_s", c)
    out = classify_opinions(part)
    c = lap("classify_s", c)
    out["text_normalized"] = normalize_series(out["text"])
    c = lap("normalize_s", c)
    counts: dict[object, Counter] = {}
    if terms:
        counts = term_counts_by(out, by)
        lap("terms_s", c)
    steps.update(wall_s=time.perf_counter() - t0, cpu_s=time.thread_time() - c0)
    return out, counts, steps


@dataclass
class PipelineResult:
    """The classified opinions (with `text_normalized`), the top terms per group, and the
    seconds each partition took on its worker (for estimates on more machines)."""

    opinions: pd.DataFrame
    terms: pd.DataFrame
    partition_s: list[float] = field(default_factory=list)
    partition_rows: list[int] = field(default_factory=list)
    partition_cpu_s: list[float] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    #: CPU seconds of each step (read_s, classify_s, normalize_s, terms_s) per partition
    partition_steps: list[dict[str, float]] = field(default_factory=list)


def opinion_pipeline(opinions: Any, client: Any = None, npartitions: int | None = None,
                     by: str = "topic_primary", n: int = 10, min_count: int = 2,
                     lang: str = "vi", terms: bool = True) -> PipelineResult:
    """Run the pipeline partitioned on the cluster of `client` (a distributed Client; None:
    Dask's default scheduler). `opinions`: a pandas DataFrame (split into `npartitions`,
    default two per worker), a dask DataFrame already partitioned, or a list of Parquet
    files (one partition each, read by the workers). `terms=False` stops after normalise
    + classify (no segmentation; `terms` of the result is empty).

    `timings`: `partition_s` (splitting), `compute_s` (until every partition is done on
    the workers), `gather_s` (sending the classified rows and counts back), `reduce_s`
    (joining the rows, adding the counts and ranking the terms here)."""
    import dask
    import dask.dataframe as dd

    from hbt_analysis.opinions.words import group_keys, rank_term_counts

    t0 = time.perf_counter()
    if isinstance(opinions, pd.DataFrame):
        if npartitions is None:
            workers = len(client.scheduler_info()["workers"]) if client is not None else 1
            npartitions = max(1, min(len(opinions), 2 * workers))
        with dask.config.set({"dataframe.convert-string": False}):  # keep the loader's dtypes
            opinions = dd.from_pandas(opinions, npartitions=max(1, npartitions), sort=False)
    parts = ([str(p) for p in opinions] if isinstance(opinions, list | tuple)
             else opinions.to_delayed())
    tasks = [dask.delayed(process_partition)(part, by, terms) for part in parts]
    t1 = time.perf_counter()
    if client is not None:
        from distributed import wait

        futures = client.compute(tasks)
        wait(futures)
        t2 = time.perf_counter()
        done = client.gather(futures)
        del futures  # the workers let go of the rows
    else:
        done = dask.compute(*tasks)
        t2 = time.perf_counter()
    t3 = time.perf_counter()
    frames = [d[0] for d in done]
    classified = pd.concat(frames) if frames else pd.DataFrame()
    counts: dict[object, Counter] = {}
    for _, part_counts, _ in done:
        for key, c in part_counts.items():
            counts.setdefault(key, Counter()).update(c)
    if terms:
        order = dict.fromkeys(group_keys(classified, by)) if len(classified) else {}
        ranked = rank_term_counts({g: counts[g] for g in order if g in counts}, classified,
                                  by, n, min_count, lang)
    else:
        ranked = pd.DataFrame()
    timings = {"partition_s": t1 - t0, "compute_s": t2 - t1, "gather_s": t3 - t2,
               "reduce_s": time.perf_counter() - t3}
    return PipelineResult(classified, ranked, [d[2]["wall_s"] for d in done],
                          [len(f) for f in frames], [d[2]["cpu_s"] for d in done], timings,
                          [d[2] for d in done])


def single_process(opinions: pd.DataFrame, by: str = "topic_primary", n: int = 10,
                   min_count: int = 2, lang: str = "vi") -> PipelineResult:
    """The same steps in this process with the library's own functions (the reference)."""
    from hbt_analysis.opinions.words import top_terms
    from hbt_analysis.text import normalize_series
    from hbt_analysis.topics import classify_opinions

    t0 = time.perf_counter()
    out = classify_opinions(opinions)
    out["text_normalized"] = normalize_series(out["text"])
    terms = top_terms(out, by=by, n=n, min_count=min_count, lang=lang)
    return PipelineResult(out, terms, [time.perf_counter() - t0], [len(out)])

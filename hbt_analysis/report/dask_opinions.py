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


def process_partition(part: pd.DataFrame, by: str = "topic_primary"
                      ) -> tuple[pd.DataFrame, dict[object, Counter], tuple[float, float]]:
    """One partition through the pipeline: its classified rows (with `text_normalized`),
    each group's term counts, and the (wall, CPU) seconds it took."""
    from hbt_analysis.opinions.words import term_counts_by
    from hbt_analysis.text import normalize_series
    from hbt_analysis.topics import classify_opinions

    t0, c0 = time.perf_counter(), time.thread_time()
    out = classify_opinions(part)
    out["text_normalized"] = normalize_series(out["text"])
    counts = term_counts_by(out, by)
    return out, counts, (time.perf_counter() - t0, time.thread_time() - c0)


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


def opinion_pipeline(opinions: Any, client: Any = None, npartitions: int | None = None,
                     by: str = "topic_primary", n: int = 10, min_count: int = 2,
                     lang: str = "vi") -> PipelineResult:
    """Run the pipeline partitioned on the cluster of `client` (a distributed Client; None:
    Dask's default scheduler). `opinions`: a pandas DataFrame (split into `npartitions`,
    default two per worker) or a dask DataFrame already partitioned (e.g. read_parquet on
    the workers)."""
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
    tasks = [dask.delayed(process_partition)(part, by) for part in opinions.to_delayed()]
    t1 = time.perf_counter()
    done = client.gather(client.compute(tasks)) if client is not None else dask.compute(*tasks)
    t2 = time.perf_counter()
    parts = [d[0] for d in done]
    classified = pd.concat(parts) if parts else pd.DataFrame()
    counts: dict[object, Counter] = {}
    for _, part_counts, _ in done:
        for key, c in part_counts.items():
            counts.setdefault(key, Counter()).update(c)
    order = dict.fromkeys(group_keys(classified, by)) if len(classified) else {}
    terms = rank_term_counts({g: counts[g] for g in order if g in counts}, classified, by, n,
                             min_count, lang)
    timings = {"partition_s": t1 - t0, "compute_s": t2 - t1,
               "reduce_s": time.perf_counter() - t2}
    return PipelineResult(classified, terms, [d[2][0] for d in done],
                          [len(p) for p in parts], [d[2][1] for d in done], timings)


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

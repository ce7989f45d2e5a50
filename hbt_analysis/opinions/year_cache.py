"""A year's heavy results kept on disk, so they are computed once per year, not once per
process: the batch's workers, the next batch and an analyst's next session read them back.

Each result is a pickle under ``$HBT_CACHE_DIR/years`` (default ``~/.cache/hbt-analysis``),
named by a hash of what it was computed from: the year's classified opinions (their
values, not only the data files' hash, so a frame changed in memory never reads a stale
result), the package's own code and resources (any change to them, a rule, a synonym,
a threshold, computes afresh) and the thresholds' values at run time.
``HBT_NO_DISK_CACHE=1`` keeps the disk untouched, as for the segmentation cache (text.py).
A file that cannot be read is computed again.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pandas as pd

T = TypeVar("T")

__all__ = ["cached", "code_salt", "directory", "frame_key", "is_marked", "mark", "prune",
           "settings_salt", "written"]


def directory() -> Path:
    env = os.environ.get("HBT_CACHE_DIR")
    return (Path(env) if env else Path.home() / ".cache" / "hbt-analysis") / "years"


@functools.cache
def code_salt() -> str:
    """A hash of the package's code and resources (what a cached result depends on)."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha1()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and p.suffix not in (".pyc",)):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


#: Modules whose upper-case constants (thresholds, bonuses, sizes) a result depends on.
_TUNED = ("similarity", "consolidate", "same_group", "ward_items", "represent", "linking",
          "repeats", "routing", "place_index")


def settings_salt() -> str:
    """A hash of the current values of those constants: one changed at run time (a notebook
    trying another threshold, a test) computes afresh instead of reading another's result.
    The modules are imported here, so the hash does not depend on which of them a process
    happened to import before (a result written by one process is found by another)."""
    import importlib

    h = hashlib.sha1()
    for name in _TUNED:
        module = importlib.import_module(f"hbt_analysis.opinions.{name}")
        for key, value in sorted(vars(module).items()):
            if key.isupper() and isinstance(value, (bool, int, float, str)):
                h.update(f"{name}.{key}={value!r};".encode())
    return h.hexdigest()[:8]


def frame_key(frame: pd.DataFrame) -> str:
    """A hash of a frame's values, index and column names."""
    values = pd.util.hash_pandas_object(frame, index=True).to_numpy()
    h = hashlib.sha1(values.tobytes())
    h.update("\x1f".join(map(str, frame.columns)).encode())
    return h.hexdigest()[:24]


def cached(name: str, key: str, compute: Callable[[], T]) -> T:
    """`compute()`'s result for (name, key), read from disk when a previous call stored it."""
    if os.environ.get("HBT_NO_DISK_CACHE"):
        return compute()
    path = directory() / f"{key}-{code_salt()}{settings_salt()}-{name}.pkl"  # see written()
    if path.is_file():
        try:
            with path.open("rb") as f:
                value = pickle.load(f)
            os.utime(path)  # recently used: kept when older results are pruned
            return value
        except Exception as exc:  # a torn or foreign file: compute afresh
            warnings.warn(f"year cache {path.name} unreadable ({exc}); computing again",
                          RuntimeWarning, stacklevel=2)
    value = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, suffix=".tmp",
                                         delete=False) as f:
            try:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                os.unlink(f.name)
                raise
        os.replace(f.name, path)  # atomic: a reader sees the whole file or none
        prune(path.parent)
    except OSError as exc:  # read-only home, full disk: the result still stands
        warnings.warn(f"year cache not written: {exc}", RuntimeWarning, stacklevel=2)
    return value


def written(key: str) -> list[str]:
    """The names of the results on disk computed from `key` with this code and settings."""
    return sorted(p.name for p in directory().glob(f"{key}-{code_salt()}{settings_salt()}-*.pkl"))


def _note(name: str) -> Path:
    return directory() / f"{name}-{code_salt()}{settings_salt()}.json"


def mark(name: str, results: list[str]) -> None:
    """Note that `results` (names from :func:`written`) are on disk for `name` (e.g. a
    year's files), so :func:`is_marked` can say so without loading or hashing the data."""
    import json

    if results:
        _note(name).write_text(json.dumps(results), encoding="utf-8")


def is_marked(name: str) -> bool:
    """Whether :func:`mark` noted `name` with this code and settings, and its results are
    all still on disk (pruning may have removed some)."""
    import json

    note = _note(name)
    try:
        return all((note.parent / r).is_file() for r in json.loads(note.read_text("utf-8")))
    except (OSError, ValueError):
        return False


def prune(folder: Path, max_mb: float | None = None) -> None:
    """Delete the least recently used results past `max_mb` (``$HBT_YEAR_CACHE_MB``, default
    3.000): each change of the code or the data writes new ones, the old are never read."""
    limit = float(max_mb if max_mb is not None else os.environ.get("HBT_YEAR_CACHE_MB", 3000))
    files = []
    for p in folder.glob("*.pkl"):
        try:
            st = p.stat()
        except OSError:  # removed by another process meanwhile
            continue
        files.append((st.st_mtime, st.st_size, p))
    total = sum(size for _, size, _ in files)
    for _, size, p in sorted(files, key=lambda f: f[0]):
        if total <= limit * 1e6:
            break
        p.unlink(missing_ok=True)
        total -= size

"""Runs that reuse: a report whose inputs have not changed is copied from an earlier run.

A report's inputs are summed up in one key (`input_key`): the notebook file's bytes, its
parameters (language, `verbatim`, `data_dir` and any `-p` travel as parameters), the year and
scope, the page's options (title, plotly shared or inline, kernel), the data's fingerprint
(every file of the data folder, the reference folder and the units file in use) and the
package's fingerprint (its version and the bytes of its code and resources, so that an
edited checkout with an unchanged version number is not mistaken for the same code).
The key of each report that succeeded is written in the manifest; the next run looks for
the same key among the year's earlier runs (newest first) and copies the report's files
(hard links where the file system allows: the files are never rewritten in place) instead
of executing it. A failed report is never reused: only rows with status 'ok' whose files
are all present qualify. `--force` executes everything.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hbt_analysis import __version__

from . import output as out

#: Bump when the way a report is built changes in a way the package fingerprint misses.
KEY_VERSION = 1
_SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints"}


def _hash_files(paths: list[Path], root: Path | None, digest: Any) -> None:
    for path in paths:
        name = str(path.relative_to(root)) if root is not None else str(path)
        digest.update(name.encode("utf-8") + b"\0")
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\0")


def _files_under(root: Path) -> list[Path]:
    """Every regular file under root (sorted), without hidden files and caches."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in _SKIP_DIRS)
        for name in sorted(filenames):
            if not name.startswith(".") and not name.endswith((".pyc", ".lock")):
                found.append(Path(dirpath) / name)
    return found


def tree_fingerprint(root: Path, up_to_year: int | None = None) -> str:
    """sha256 over the names and bytes of every file under root ('' if it does not exist);
    with `up_to_year`, without the year folders after it."""
    root = Path(root)
    if not root.exists():
        return ""
    digest = hashlib.sha256()
    if root.is_file():
        _hash_files([root], None, digest)
        return digest.hexdigest()
    files = _files_under(root)
    if up_to_year is not None:
        files = [f for f in files if not _later_year(f.relative_to(root), up_to_year)]
    _hash_files(files, root, digest)
    return digest.hexdigest()


def _later_year(relative: Path, year: int) -> bool:
    top = relative.parts[0] if len(relative.parts) > 1 else ""
    return top.isdigit() and int(top) > year


def data_fingerprint(data_dir: Path | None = None, year: int | None = None) -> str:
    """Every file a report of `year` may read: the data folder — that year and the years
    before it (02 reads the base year, the repeats read earlier years), every file that
    is not a later year's — the reference folder it uses and the units file in force
    ($HBT_UNITS included). A later year's new data does not make a year's reports old."""
    from hbt_analysis.dataset import _data_dir, reference_dir
    from hbt_analysis.registry import units_path

    root = _data_dir(data_dir).resolve()
    parts = {"data": tree_fingerprint(root, year)}
    ref = reference_dir(data_dir).resolve()
    if not ref.is_relative_to(root):
        parts["reference"] = tree_fingerprint(ref)
    try:
        units = Path(units_path(data_dir)).resolve()
    except Exception:  # no units file: the loader will say so; nothing to fingerprint
        units = None
    if units is not None and units.is_file() and not units.is_relative_to(root):
        parts["units"] = tree_fingerprint(units)
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def package_fingerprint() -> str:
    """The package's version and the bytes of its code and resources."""
    import hbt_analysis

    pkg = Path(hbt_analysis.__file__).resolve().parent
    return f"{__version__}+{tree_fingerprint(pkg)[:16]}"


def input_key(task: Any, *, data: str, package: str, notebook_sha: str, kernel: str) -> str:
    """The key of one report's inputs (a Task of kernelpool): equal keys, equal report."""
    inputs = {
        "key_version": KEY_VERSION, "notebook": notebook_sha,
        "notebook_name": Path(task.notebook).name,
        "parameters": task.parameters, "year": task.year, "ward_code": task.ward_code,
        "lang": task.lang, "title": task.title, "heading": task.heading,
        "subtitle": task.subtitle, "plotly": task.plotly, "synthetic": task.synthetic,
        "content_hash": task.content_hash, "kernel": kernel, "data": data, "package": package,
    }
    text = json.dumps(inputs, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Previous:
    """A report of an earlier run that can stand for this one."""

    run_dir: Path
    row: dict[str, Any]

    @property
    def executed_in(self) -> str:
        """The run that executed it (a report reused twice still names its first run)."""
        return self.row.get("reused_from") or self.run_dir.name

    def files(self) -> list[str]:
        return [p for p in (self.row.get("html"), self.row.get("ipynb"), self.row.get("pdf"))
                if p]


def previous_reports(year_dir: Path) -> dict[str, Previous]:
    """input_key -> the newest earlier report with that key that succeeded and is whole."""
    found: dict[str, Previous] = {}
    for run_id in reversed(out.list_runs(year_dir)):
        run_dir = year_dir / run_id
        try:
            manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        for row in manifest.get("reports", []):
            key = row.get("input_key")
            if not key or key in found or row.get("status") != "ok" or not row.get("html"):
                continue
            prev = Previous(run_dir, row)
            if all((run_dir / f).is_file() for f in prev.files()):
                found[key] = prev
    return found


def _link_or_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:  # another file system, or links not allowed: a plain copy
        shutil.copy2(src, dst)


def copy_report(prev: Previous, run_dir: Path) -> dict[str, Any]:
    """Copy a previous report's files into run_dir; its manifest row, marked as reused."""
    for name in prev.files():
        _link_or_copy(prev.run_dir / name, run_dir / name)
    row = dict(prev.row)
    row["reused_from"] = prev.executed_in
    return row


def plan(tasks: list[Any], output: Path, *, data_dir: Path | None, kernel: str,
         force: bool = False) -> tuple[dict[int, str], dict[int, Previous]]:
    """Each task's input key, and the tasks an earlier run of their year can stand for
    (none with `force`)."""
    package = package_fingerprint()
    data = {year: data_fingerprint(data_dir, year) for year in {t.year for t in tasks}}
    notebook_sha: dict[str, str] = {}
    keys: dict[int, str] = {}
    for task in tasks:
        if task.notebook not in notebook_sha:
            notebook_sha[task.notebook] = hashlib.sha256(
                Path(task.notebook).read_bytes()).hexdigest()
        keys[task.id] = input_key(task, data=data[task.year], package=package,
                                  notebook_sha=notebook_sha[task.notebook], kernel=kernel)
    reusable: dict[int, Previous] = {}
    if force:
        return keys, reusable
    earlier: dict[int, dict[str, Previous]] = {}
    for task in tasks:
        if task.year not in earlier:
            earlier[task.year] = previous_reports(Path(output) / str(task.year))
        prev = earlier[task.year].get(keys[task.id])
        if prev is not None and _same_place(prev.row, task):
            reusable[task.id] = prev
    return keys, reusable


def _same_place(row: dict[str, Any], task: Any) -> bool:
    """The earlier report sits where this run puts it (scope folder and file name)."""
    scope_dir = Path(task.ipynb_out).parent.name
    return row.get("ipynb") == f"{scope_dir}/{Path(task.ipynb_out).name}"


@dataclass
class WholeRun:
    """An earlier run that had exactly this year's reports, all unchanged: its landing-page
    figures and its review list stand too (same data, same reports shown)."""

    run_dir: Path
    manifest: dict[str, Any]

    def figures(self) -> dict[str | None, list[Any]] | None:
        saved = self.manifest.get("figures")
        if saved is None:
            return None
        return {item["ward_code"]: item["cards"] for item in saved}

    def copy_review_list(self, run_dir: Path) -> Path | None:
        """Copy the review list files; the one to name (the .xlsx), or None if missing."""
        names = self.manifest.get("review_list") or []
        if not names or not all((self.run_dir / n).is_file() for n in names):
            return None
        for name in names:
            _link_or_copy(self.run_dir / name, run_dir / name)
        return run_dir / sorted(names, key=lambda n: n.endswith(".xlsx"))[-1]


def whole_run(reusable: dict[int, Previous], task_ids: list[int]) -> WholeRun | None:
    """The earlier run every one of these reports is copied from, if it had no others."""
    prevs = [reusable.get(i) for i in task_ids]
    if not prevs or any(p is None for p in prevs):
        return None
    dirs = {p.run_dir for p in prevs}
    if len(dirs) != 1:
        return None
    run_dir = dirs.pop()
    try:
        manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    keys = {p.row.get("input_key") for p in prevs}
    if manifest.get("status") != "ok" or len(keys) != len(task_ids) or {
            r.get("input_key") for r in manifest.get("reports", [])} != keys:
        return None
    return WholeRun(run_dir, manifest)


def figures_for_manifest(figures: dict[str | None, list[Any]]) -> list[dict[str, Any]]:
    """The landing page's figures as the manifest keeps them (for the next run to reuse)."""
    from dataclasses import asdict, is_dataclass

    return [{"ward_code": code,
             "cards": [asdict(c) if is_dataclass(c) else dict(c) for c in cards]}
            for code, cards in figures.items()]

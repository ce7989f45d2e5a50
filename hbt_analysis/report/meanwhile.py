"""What the batch's main process computes while the kernels work, instead of after them.

The landing page's figures (brief.cards of each scope) need only the data, and each
report's rows of the personal-data review list (privacy.review) need only that report's
executed notebook: a thread computes them as the reports finish, so the run ends soon
after its last report (they were a serial tail of several seconds). Same functions, same
results, same order as computed afterwards.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from pathlib import Path
from typing import Any

from .kernelpool import Result, Task


def scope_figures(year: int, codes: list[str | None], data_dir: Path | None,
                  lang: str) -> dict[str | None, list[Any]]:
    """Each scope's headline figures for the landing page (brief.cards); none for a scope
    whose figures cannot be computed (the page then lists its reports only)."""
    from hbt_analysis import brief, scope

    figures: dict[str | None, list[Any]] = {}
    for code in dict.fromkeys(codes):
        try:
            figures[code] = brief.cards(scope.resolve(year, code, lang, data_dir))
        except Exception:  # the reports stand; the landing page shows them without figures
            figures[code] = []
    return figures


def report_key(task: Task) -> str:
    """The report's key in the manifest ('district/00_overview')."""
    return f"{Path(task.ipynb_out).parent.name}/{Path(task.notebook).stem}"


class SideWork:
    """A thread computing the figures of `years` ({year: scope codes}) at once, then the
    review rows of each report handed to :meth:`report_done`."""

    def __init__(self, years: dict[int, list[str | None]], data_dir: Path | None,
                 lang: str) -> None:
        self.years = years
        self.data_dir = data_dir
        self.lang = lang
        self._todo: queue.Queue[tuple[int, str, str | None, Path] | None] = queue.Queue()
        self._figures: dict[int, dict[str | None, list[Any]]] = {}
        self._rows: dict[int, dict[str, list[dict]]] = {}
        self._failed: dict[int, Exception] = {}
        self._opinions: dict[int, Any] = {}
        self._thread = threading.Thread(target=self._run, name="hbt-side-work", daemon=True)
        self._thread.start()

    def report_done(self, task: Task, result: Result | None) -> None:
        if result is not None and result.status == "ok" and task.year in self.years:
            self._todo.put((task.year, report_key(task), task.ward_code, Path(task.ipynb_out)))

    def finish(self) -> None:
        """Wait for the rows of every report handed over."""
        self._todo.put(None)
        self._thread.join()

    def figures(self, year: int) -> dict[str | None, list[Any]] | None:
        return self._figures.get(year)

    def review_rows(self, year: int) -> dict[str, list[dict]]:
        """Rows by report key computed so far; raises what made the year's rows fail."""
        if year in self._failed:
            raise self._failed[year]
        return self._rows.get(year, {})

    def opinions(self, year: int) -> Any:
        """The year's opinions as the review list reads them (loaded once)."""
        if year not in self._opinions:
            from hbt_analysis import load

            self._opinions[year] = load(year, self.data_dir).opinions
        return self._opinions[year]

    def _run(self) -> None:
        for year, codes in self.years.items():
            with contextlib.suppress(Exception):  # else computed afterwards, as before
                self._figures[year] = scope_figures(year, codes, self.data_dir, self.lang)
        while (item := self._todo.get()) is not None:
            year, key, ward, notebook = item
            if year in self._failed:
                continue
            try:
                self._rows.setdefault(year, {})[key] = review_rows(
                    key, ward, notebook, self.opinions(year))
            except Exception as exc:  # the list is then missing, said loudly by the runner
                self._failed[year] = exc


def review_rows(key: str, ward: str | None, notebook: Path, opinions: Any) -> list[dict]:
    """privacy.review's rows of one report (as review_frame computes them)."""
    from hbt_analysis.privacy.review import rows_for_report, shown_text

    scoped = opinions if ward is None else opinions[opinions["ward_code"] == ward]
    return rows_for_report(key, scoped, shown_text(notebook))

"""A problem with the data, located as the user will look for it, and the error that carries
them all.

The lowest layer of the package (no pandas, nothing of ours): the readers (`intake`,
`minutes`), the checks (`validate`) and the loader all report in these terms.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as the user will look for it."""

    severity: Severity
    file: str
    row: int | None
    column: str | None
    message_vi: str
    message_en: str
    code: str = ""

    def location(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"dòng/row {self.row}")
        if self.column:
            parts.append(f"cột/column '{self.column}'")
        return ", ".join(parts)

    def __str__(self) -> str:
        tag = "LỖI/ERROR" if self.severity == "error" else "CẢNH BÁO/WARNING"
        return f"[{tag}] {self.location()}\n    {self.message_vi}\n    {self.message_en}"


class DataError(Exception):
    """The data cannot be used: carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted_problems(problems)
        errors = [p for p in problems if p.severity == "error"]
        head = (
            f"Dữ liệu có {len(errors)} lỗi cần sửa / The data has {len(errors)} error(s) to fix:"
        )
        super().__init__("\n".join([head, *map(str, errors)]))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Errors first, then by file and spreadsheet row, as a user works through them."""
    return sorted(problems, key=lambda p: (p.severity != "error", p.file, p.row or 0))


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]



__all__ = ["DataError", "Problem", "Severity", "errors_in", "sorted_problems"]

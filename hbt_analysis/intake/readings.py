"""What the reader records of each file and sheet: how it was read, or why it was not.

`explain.render` turns these records into the text of `hbt validate --explain`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from hbt_analysis.intake.header import Header
from hbt_analysis.intake.layout import Block
from hbt_analysis.io import RawTable
from hbt_analysis.problems import Problem


@dataclass
class SheetReading:
    """How one sheet was read (or why it was not)."""

    path: Path
    sheet: str | None
    visible: bool = True
    table: str | None = None
    header: Header | None = None
    block: Block | None = None
    used: bool = True
    why_vi: str = ""
    why_en: str = ""
    encodings: list[tuple[str, str, int]] = field(default_factory=list)  # column, enc, cells
    merges: int = 0
    context_ward: str | None = None
    unread: set[str] = field(default_factory=set)  # columns of formulas with no value
    problems: list = field(default_factory=list)  # a hidden sheet's, until it is read

    def where(self) -> str:
        return f"{self.path}" + (f" [{self.sheet}]" if self.sheet else "")


@dataclass
class FileReading:
    path: Path
    kind: str | None = None
    notes_vi: list[str] = field(default_factory=list)
    notes_en: list[str] = field(default_factory=list)
    sheets: list[SheetReading] = field(default_factory=list)
    read: bool = True


@dataclass
class Intake:
    """The tables of a year as raw cells, the problems found, and how each file was read."""

    tables: dict[str, RawTable]
    problems: list[Problem]
    files: list[FileReading]
    names_mapped: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> raw -> code

    @property
    def paths(self) -> list[Path]:
        return sorted({f.path for f in self.files if f.read and any(
            s.used and s.table for s in f.sheets)})

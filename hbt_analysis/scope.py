"""What a report covers, resolved once: the year, the ward (or the whole area), the level,
the language and the loaded data.

A notebook's first cell turns its parameters into one `Scope`; every later cell reads the
scope's frames (`s.groups`, `s.ward_conferences`, `s.opinions`) and names (`s.name`)
instead of filtering by ward again in its own way. A bad parameter fails here, once,
with a message in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from hbt_analysis.fmt import Lang
from hbt_analysis.labels import use_area
from hbt_analysis.registry import Area
from hbt_analysis.units import check_ward

LANGS = ("vi", "en")
_UNSET: Any = object()


class ScopeError(ValueError):
    """A parameter the data cannot answer (message in Vietnamese and English)."""


@dataclass(frozen=True)
class Scope:
    """One report's scope. Build it with :func:`resolve` (it checks the parameters)."""

    year: int
    ward: str | None
    lang: Lang
    ds: Any = field(repr=False)
    data_dir: str | None = None
    level: str = "all"
    #: The previous year's dataset when the caller has it (None: none); by default the
    #: latest earlier year of the data folder is loaded when first needed.
    prior: Any = field(default=_UNSET, repr=False, compare=False)

    # --- names -------------------------------------------------------------------------
    @property
    def area(self) -> Area:
        """The year's area and the kind of its units, from the unit registry."""
        if hasattr(self.ds, "area"):
            return self.ds.area
        from hbt_analysis.registry import registry  # a dataset made by hand (tests)

        return registry(self.data_dir).area(self.year)

    @property
    def ward_name(self) -> str | None:
        """The ward's name ('An Bình'), None for the whole area."""
        return None if self.ward is None else self.ds.ward_name(self.ward)

    @property
    def name(self) -> str:
        """'phường An Bình' / the area's title (in the scope's language; the registry's names)."""
        from hbt_analysis.attendance import ward_name

        return ward_name(self.ds, self.ward, self.lang)

    # --- frames ------------------------------------------------------------------------
    @property
    def groups(self) -> pd.DataFrame:
        """The group conferences in scope."""
        return _rows(self.ds.group_conferences, self.ward)

    @property
    def ward_conferences(self) -> pd.DataFrame:
        """The ward conferences in scope."""
        return _rows(self.ds.ward_conferences, self.ward)

    @cached_property
    def opinions(self) -> pd.DataFrame:
        """The opinions in scope (both levels unless `level` says one), with topics."""
        from hbt_analysis.opinions import prepare

        return prepare(self.ds, self.ward, self.level)

    # --- other years -------------------------------------------------------------------
    @cached_property
    def years(self) -> list[int]:
        """The years in the data up to this one (a year's report shows nothing after it)."""
        from hbt_analysis.dataset import available_years

        return [y for y in available_years(self.data_dir) if y <= self.year]

    @cached_property
    def earlier(self) -> Any | None:
        """The latest earlier year's dataset, whatever its wards (None: the first year)."""
        from hbt_analysis.dataset import load

        if self.prior is not _UNSET:
            return self.prior
        before = [y for y in self.years if y < self.year]
        return load(max(before), self.data_dir) if before else None

    @cached_property
    def previous(self) -> Any | None:
        """The latest earlier year's dataset (None when this is the first year, or when the
        ward's code named another ward then: a merger reuses codes)."""
        return comparable_previous(self.ds, self.earlier, self.ward)

    @property
    def not_comparable(self) -> bool:
        """An earlier year exists, but the ward's code named another ward then."""
        return self.ward is not None and self.previous is None and self.earlier is not None

    @cached_property
    def across(self) -> pd.Series | None:
        """A new ward (not_comparable) against the earlier year through the crosswalk: its
        row of `merger.ward_comparison` (`comparable` says whether it could be); else None."""
        if not self.not_comparable:
            return None
        from hbt_analysis.merger import across_change

        return across_change(self.earlier, self.ds, self.ward)

    def datasets(self) -> dict[int, Any]:
        """Every year's dataset up to this one, this year's included."""
        from hbt_analysis.dataset import load

        return {y: (self.ds if y == self.year else load(y, self.data_dir)) for y in self.years}


def comparable_previous(ds: Any, previous: Any | None, ward: str | None) -> Any | None:
    """`previous`, unless `ward`'s code named another ward then (a merger reuses codes): a
    ward is never compared with another ward that had its code."""
    reg = getattr(ds, "registry", None)
    if previous is None or ward is None or reg is None:
        return previous
    return previous if reg.same_unit(str(ward), previous.year, ds.year) else None


def _rows(frame: pd.DataFrame, ward: str | None) -> pd.DataFrame:
    if ward is None:
        return frame
    return frame[frame["ward_code"].astype(str) == str(ward)].reset_index(drop=True)


def resolve(year: int, ward: object = None, lang: str = "vi", data_dir: str | None = None,
            level: str = "all") -> Scope:
    """Check a notebook's parameters and load the year: the report's one Scope.

    `ward` is a code or a name as people write it (None: the whole area); an unknown ward,
    language or level raises with the choices listed.
    """
    from hbt_analysis.dataset import load
    from hbt_analysis.opinions import check_level

    if lang not in LANGS:
        raise ScopeError(f"Ngôn ngữ không hợp lệ: {lang!r} (chọn 'vi' hoặc 'en') / invalid "
                         f"language {lang!r} (choose 'vi' or 'en')")
    check_level(level)
    ds = load(int(year), data_dir)
    code = check_ward(ds, ward)
    scope = Scope(int(year), code, lang, ds, None if data_dir is None else str(data_dir), level)
    use_area(scope.area)  # labels and sections name this area's units ('xã' in a huyện)
    return scope

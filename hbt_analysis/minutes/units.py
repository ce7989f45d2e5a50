"""Names in the minutes to the project's codes: wards and residential groups.

Minutes name their ward inside running text ("UBMTTQ PHƯỜNG BẠCH MAI", "phường Bạch Mai",
a file called "TDP so 19 - PMK") and also name streets that share a ward's name ("ngõ 191
Bạch Mai"), so `WardResolver.find(text)` lists every mention with its position and whether
it is written as a ward ("phường X", "P. X"). Codes and names come from the reference
(`resolver_from_reference`); a group's code is built by the project's shared resolver
(`hbt_analysis.units.group_code_for`), so spreadsheets and minutes give the same codes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hbt_analysis.text import fold


@dataclass(frozen=True)
class WardMatch:
    code: str
    name: str
    start: int  # position in the folded text
    prefixed: bool  # written as "phường X" / "P. X" (not a street of the same name)


class WardResolver:
    """Finds ward names in text, with or without diacritics, as "phường X" or bare."""

    def __init__(self, wards: pd.DataFrame) -> None:
        self.names: dict[str, str] = dict(
            zip(wards["ward_code"].astype(str), wards["ward_name"].astype(str), strict=True))
        self._folded = {code: fold(name) for code, name in self.names.items()}
        alts = "|".join(
            re.escape(f).replace(r"\ ", r"[\s_\-]*")
            for f in sorted(self._folded.values(), key=len, reverse=True)
        )
        self._bare = re.compile(rf"(?<![a-z0-9])({alts})(?![a-z0-9])")
        self._prefixed = re.compile(rf"(?<![a-z0-9])(?:phuong|p\s*\.|p)\s*({alts})(?![a-z0-9])")
        self._by_folded = {v.replace(" ", ""): k for k, v in self._folded.items()}
        self._initials = {
            "".join(w[0] for w in f.split()): code for code, f in self._folded.items()
        }

    def code_of(self, folded_name: str) -> str:
        return self._by_folded[re.sub(r"[\s_\-]+", "", folded_name)]

    def find(self, text: str) -> list[WardMatch]:
        """Every ward named in `text`, in order; `prefixed` when written as a ward."""
        folded = fold(text)
        out: list[WardMatch] = []
        prefixed_at = set()
        for m in self._prefixed.finditer(folded):
            code = self.code_of(m.group(1))
            out.append(WardMatch(code, self.names[code], m.start(1), True))
            prefixed_at.add(m.start(1))
        for m in self._bare.finditer(folded):
            if m.start(1) in prefixed_at:
                continue
            code = self.code_of(m.group(1))
            out.append(WardMatch(code, self.names[code], m.start(1), False))
        return sorted(out, key=lambda w: w.start)

    def from_initials(self, token: str) -> str | None:
        """A ward from a file name's abbreviation: "PMK", "P.MK" -> Minh Khai, "PĐH" ->
        Phạm Đình Hổ (two-letter initials only after the P of "phường")."""
        t = re.sub(r"[^a-z]", "", fold(token))
        if t.startswith("p") and t[1:] in self._initials:
            return self._initials[t[1:]]
        if len(t) >= 3 and t in self._initials:  # "PĐH", "LĐH": a three-word name's initials
            return self._initials[t]
        return None


def resolver_from_reference(data_dir: str | Path | None = None,
                            year: int | None = None) -> WardResolver:
    """The wards of `year` in the unit registry of the data folder (2026: the new wards);
    without a year, those of data/reference/wards_2023.csv."""
    if year is not None:
        from hbt_analysis.registry import registry

        return WardResolver(registry(data_dir).wards(int(year)))
    from hbt_analysis.dataset import load_reference

    return WardResolver(load_reference(data_dir)["wards"])


def group_code(ward_code: str, number: int, suffix: str = "") -> str:
    """The project's group code: ward code, '-TDP', two digits ('<ward code>-TDP09')."""
    from hbt_analysis.units import group_code_for

    code = group_code_for(ward_code, f"{number}{suffix}")
    assert code is not None
    return code


def known_groups(data_dir: str | Path | None = None) -> dict[str, set[str]]:
    """Group codes by ward, from every year already in the data folder (the registry)."""
    from hbt_analysis.dataset import available_years, load

    out: dict[str, set[str]] = {}
    for year in available_years(data_dir):
        try:
            ds = load(year, data_dir, strict=False)
        except Exception:  # an unreadable year adds nothing to the registry
            continue
        g = ds.group_conferences.dropna(subset=["ward_code", "group_code"])
        for ward, code in zip(g["ward_code"], g["group_code"], strict=True):
            out.setdefault(str(ward), set()).add(str(code))
    return out

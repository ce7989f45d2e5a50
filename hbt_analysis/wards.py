"""Which ward a person means: a code ("00241", or 241 as papermill passes it) or a name
("Bạch Mai", "bach mai", "Phường Bạch Mai").

One resolver for `hbt report --ward` and the notebooks' `ward` parameter. A ward that is
not in the data raises :class:`UnknownWardError`, whose message lists the data's wards as
"mã – tên"; in a notebook that list is all the reader sees (no traceback), and the cell
still fails, so a papermill run or a report batch marks the report failed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

#: What a name may start with ("Phường Bạch Mai", "phuong bach mai", "P. Bạch Mai").
_PREFIXES = ("phường ", "phuong ", "p. ", "p.")


def fold_name(text: str) -> str:
    """Lower case, no tone marks, đ -> d, single spaces: 'Phường  Bạch Mai' -> 'phuong bach mai'."""
    decomposed = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.lower().split())


def _without_prefix(lowered: str) -> str:
    for prefix in _PREFIXES:
        if lowered.startswith(prefix):
            return lowered.removeprefix(prefix).strip()
    return lowered


def ward_pairs(wards: Any) -> list[tuple[str, str]]:
    """(code, name) of each ward, from a frame with ward_code and ward_name, or from pairs."""
    if hasattr(wards, "columns"):
        wards = zip(wards["ward_code"], wards["ward_name"], strict=True)
    return [(str(code), str(name)) for code, name in wards]


class UnknownWardError(ValueError):
    """A ward that is neither a code nor a name of the data's wards (message vi + en)."""

    def __init__(self, ward: object, wards: Iterable[tuple[str, str]], year: int | None = None,
                 hint: str = "") -> None:
        self.ward = ward
        self.wards = list(wards)
        self.year = year
        in_year = f" năm {year}" if year is not None else ""
        in_year_en = f" {year}" if year is not None else ""
        lines = [
            f"Không có phường {str(ward)!r} trong dữ liệu{in_year} / no ward {str(ward)!r} in "
            f"the{in_year_en} data. Dùng mã hoặc tên / use a code or a name{hint}:",
            *(f"  {code} – {name}" for code, name in self.wards),
        ]
        super().__init__("\n".join(lines))

    def _render_traceback_(self) -> list[str]:
        """What IPython shows instead of a traceback: the message and the list, nothing else."""
        return str(self).splitlines()


def resolve_ward(value: object, wards: Any, year: int | None = None) -> str:
    """The code of the ward `value` names: its code (5 digits, or the number papermill and
    Excel make of it) or its name, in any case, with or without tone marks, with or without
    "Phường" in front. Raises UnknownWardError listing the wards otherwise."""
    pairs = ward_pairs(wards)
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    codes = [code for code, _ in pairs]
    if text.isdigit() and text.zfill(5) in codes:
        return text.zfill(5)
    if text in codes:
        return text
    name = _without_prefix(text.lower())
    for code, ward_name in pairs:
        if " ".join(unicodedata.normalize("NFC", ward_name).lower().split()) == name:
            return code
    folded = [code for code, ward_name in pairs if fold_name(ward_name) == fold_name(name)]
    if len(folded) == 1:  # two names that differ only by their marks: not guessed
        return folded[0]
    raise UnknownWardError(value, pairs, year)


def check_ward(ds: Any, ward: object) -> str | None:
    """A notebook's `ward` parameter as the ward's code (None: the whole district)."""
    if ward is None:
        return None
    return resolve_ward(ward, ds.wards, getattr(ds, "year", None))

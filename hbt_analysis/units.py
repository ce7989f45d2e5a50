"""The units (wards, residential groups) and their names as offices write them.

"Phường Bạch Đằng", "P. Bạch Đằng", "P.Bạch Đằng", "Bach Dang", "BẠCH ĐẰNG" and " bạch  đằng "
are one ward (its registry code); "Tổ 9", "TDP số 9" and "Tổ dân phố số 09" are one group
(<ward>-TDP09).
A name typed with different accents ("Bạch Dằng") is not silently taken for another: it is
refused with the closest names as suggestions, because two real wards can differ by one mark.
Text typed without any accents is matched on its unaccented form.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from hbt_analysis.text import fold, has_diacritics, normalize

_PREFIX = re.compile(r"^(?:phường|phuong|ph\s*\.|p\s*[./]|p\s+|f\s*\.|xã|xa|thị trấn)\s*", re.I)
_ORDINAL = re.compile(r"^(?:[ivxlc]+|\d+|[a-h])\s*[.)/:\-–]\s*|^(?:[ivxlc]+)\s+(?=\S)", re.I)


def _key(text: str) -> str:
    """Lower case, NFC with one tone placement, no spaces or punctuation; accents kept."""
    text = normalize(str(text)).replace("Ð", "Đ").replace("ð", "đ").lower().strip()
    text = _PREFIX.sub("", text)
    return re.sub(r"[^\w]+", "", text)


@dataclass
class WardMatch:
    code: str | None
    name: str | None
    suggestions: list[tuple[str, str]] = field(default_factory=list)  # (code, name)


class WardResolver:
    """Codes and names of the wards in the reference, and a way to find one from a name."""

    def __init__(self, codes: list[str], names: list[str]):
        self.names = dict(zip(codes, names, strict=True))
        self.retired = {}
        self._exact: dict[str, str] = {}
        self._folded: dict[str, set[str]] = {}
        self._cache: dict[str, WardMatch] = {}
        for code, name in self.names.items():
            self._exact[_key(name)] = code
            self._exact[code] = code
            self._folded.setdefault(fold(_key(name)), set()).add(code)

    #: folded name -> (vi, en) why a ward of another period is not one of these
    retired: dict[str, tuple[str, str]]

    @classmethod
    def from_frame(cls, wards) -> WardResolver:
        """From a frame with ward_code and ward_name; its attrs["retired"] (folded name ->
        (vi, en)), when set, explains names of wards no longer in force."""
        out = cls([str(c) for c in wards["ward_code"]], [str(n) for n in wards["ward_name"]])
        out.retired = dict(getattr(wards, "attrs", {}).get("retired", {}))
        return out

    def resolve(self, value: object) -> WardMatch:
        """A code for a ward written as a code or a name; suggestions when there is none."""
        if value is None:
            return WardMatch(None, None)
        key = str(value)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = self._resolve(key)
        return hit

    def _resolve(self, value: str) -> WardMatch:
        text = normalize(value).strip()
        if not text:
            return WardMatch(None, None)
        if text.isdigit() and len(text) <= 5:
            code = text.zfill(5)
            return WardMatch(code, self.names.get(code)) if code in self.names \
                else WardMatch(None, None, [])
        key = _key(text)
        code = self._exact.get(key)
        if code is None and not has_diacritics(key):  # "Phường Pho Hue": the name is plain
            hits = self._folded.get(fold(key), set())
            if len(hits) == 1:
                code = next(iter(hits))
        if code is not None:
            return WardMatch(code, self.names[code])
        return WardMatch(None, None, self.suggest(text))

    def suggest(self, text: str, n: int = 3) -> list[tuple[str, str]]:
        key = fold(_key(text))
        same_letters = self._folded.get(key, set())
        if same_letters:  # only the accents differ: that ward, not a list
            return [(c, self.names[c]) for c in sorted(same_letters)]
        by_fold = {fold(_key(name)): code for code, name in self.names.items()}
        close = difflib.get_close_matches(key, list(by_fold), n=n, cutoff=0.6)
        return [(by_fold[k], self.names[by_fold[k]]) for k in close]

    def find_in(self, text: str) -> str | None:
        """A ward named inside a longer text (a heading, a title, a sheet or file name)."""
        if not text:
            return None
        t = normalize(str(text))
        t = _ORDINAL.sub("", t.strip())
        whole = self.resolve(t)
        if whole.code:
            return whole.code
        low = t.lower()
        folded = fold(low)
        found = set()
        for code, name in self.names.items():
            n = name.lower()
            plain = not has_diacritics(t)
            if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", low) or (
                    plain and re.search(rf"(?<!\w){re.escape(fold(n))}(?!\w)", folded)):
                found.add(code)
        if len(found) == 1:
            return found.pop()
        if len(found) > 1:  # "Quỳnh Mai" inside "… phường Quỳnh Mai (cũ Quỳnh Lôi)": longest
            return max(found, key=lambda c: len(self.names[c]))
        return None


def strip_prefix(text: str) -> str:
    """'Phường Bạch Mai', 'P. Bạch Mai' -> 'Bạch Mai'."""
    return _PREFIX.sub("", normalize(str(text)).strip())


def suggestion_text(suggestions: list[tuple[str, str]], lang: str) -> str:
    if not suggestions:
        return ""
    listed = ", ".join(f"{name} ({code})" for code, name in suggestions)
    return f" — có phải {listed}?" if lang == "vi" else f" — did you mean {listed}?"


# --- a ward a person names (the CLI's --ward, a notebook's ward parameter) ----------------

def ward_pairs(wards: Any) -> list[tuple[str, str]]:
    """(code, name) of each ward, from a frame with ward_code and ward_name, or from pairs."""
    if hasattr(wards, "columns"):
        wards = zip(wards["ward_code"], wards["ward_name"], strict=True)
    return [(str(code), str(name)) for code, name in wards]


def fold_name(text: str) -> str:
    """'Phường  Bạch Mai' -> 'phuong bach mai': no marks, lower case, single spaces."""
    return fold(normalize(str(text)))


class UnknownWardError(ValueError):
    """A ward that is neither a code nor a name of the data's wards (message vi + en).

    In a notebook IPython shows only the message and the "mã – tên" list (no traceback); the
    cell still fails, so a papermill run or a report batch marks the report failed.
    """

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
    Excel make of it) or its name as offices write it (see WardResolver). A person typing a
    parameter may also get the marks wrong: a name whose letters match one ward only is taken;
    two that differ only by their marks are not guessed. Raises UnknownWardError otherwise."""
    pairs = ward_pairs(wards)
    match = WardResolver([c for c, _ in pairs], [n for _, n in pairs]).resolve(value)
    if match.code:
        return match.code
    folded = [c for c, name in pairs if fold_name(name) == fold(_key(str(value)))]
    if len(folded) == 1:
        return folded[0]
    raise UnknownWardError(value, pairs, year)


def check_ward(ds: Any, ward: object) -> str | None:
    """A notebook's `ward` parameter as the ward's code (None: the whole area)."""
    if ward is None:
        return None
    return resolve_ward(ward, ds.wards, getattr(ds, "year", None))


# --- groups -----------------------------------------------------------------------------

_GROUP_RE = re.compile(
    r"^(?:to\s*dan\s*pho|tdp|to|t)?\s*(?:so|number|no\.?)?\s*[.:#]?\s*0*(\d{1,3})\s*([a-z])?$"
)
_CODE_RE = re.compile(r"^(\d{5})[-_ ]?(.+)$")


def group_number(value: object) -> tuple[int, str] | None:
    """(9, '') from 'Tổ 9', 'TDP số 9', 'Tổ dân phố số 09', '9'; (9, 'a') from 'Tổ 9A'."""
    if value is None:
        return None
    text = fold(normalize(str(value))).replace(",", " ").strip()
    m = _GROUP_RE.match(text)
    if not m:
        return None
    return int(m.group(1)), m.group(2) or ""


def group_code_for(ward_code: str, value: object) -> str | None:
    """The stable group code '<ward>-TDPnn' for a group written by its name or number."""
    num = group_number(value)
    if num is None:
        return None
    n, suffix = num
    return f"{ward_code}-TDP{n:02d}{suffix.upper()}"


def ward_of_group_code(code: str) -> str | None:
    m = _CODE_RE.match(code.strip())
    return m.group(1) if m else None

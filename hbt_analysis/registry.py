"""The unit registry: which wards (and which area above them) exist in a given year.

Units are data, not code. `data/reference/units.csv` lists the old district and its wards,
and the new wards of 01/07/2025 that received its households; an office covering another
area gives its own file (`--units FILE`, `$HBT_UNITS`, or `reference/units.csv` in its data
folder) with no code change. One row per unit and period:

    code, name, kind, parent, valid_from, valid_to, successor, source, note

A code names a unit only within its period: a code may be given to a new ward after a
merger (the bundled file's notes say which). `valid_from`/`valid_to` are inclusive ISO dates (empty:
open). `parent` is the unit above it *for these reports* (the area a report covers).
`successor` "?" marks a unit that was merged into one the registry does not record: data of
the year after may still name it (with a warning), since nobody can say what to write
instead.

A conference year uses the units in force on 1 January of that year (`reference_date`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hbt_analysis.text import normalize

UNITS_FILE = "units.csv"
UNITS_ENV = "HBT_UNITS"
COLUMNS = ("code", "name", "kind", "parent", "valid_from", "valid_to", "successor", "source",
           "note")
REQUIRED = ("code", "name", "kind")
#: Kinds of unit a report can be about, from the smallest up (the rest are areas).
WARD_KINDS = ("phường", "xã", "thị trấn", "đặc khu")
UNKNOWN_SUCCESSOR = "?"


class RegistryError(ValueError):
    """A units file that cannot be used; lists every problem (file, row, column, vi + en)."""

    def __init__(self, path: Path | str, problems: list[tuple[int | None, str | None, str, str]]):
        self.path = Path(path)
        self.problems = problems
        lines = [f"Danh mục đơn vị {path} có {len(problems)} lỗi / the units file {path} has "
                 f"{len(problems)} problem(s):"]
        for row, col, vi, en in problems:
            where = ", ".join(x for x in (f"dòng/row {row}" if row else "",
                                          f"cột/column '{col}'" if col else "") if x)
            lines.append(f"  {where}: {vi} / {en}" if where else f"  {vi} / {en}")
        super().__init__("\n".join(lines))


def reference_date(year: int) -> dt.date:
    """The day whose units a conference year uses: 1 January (conferences run Jan–Mar)."""
    return dt.date(int(year), 1, 1)


# --- kinds and display names ------------------------------------------------------------

@lru_cache(maxsize=1)
def _kinds() -> dict[str, tuple[str, str]]:
    path = Path(__file__).parent / "resources" / "unit_kinds.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {normalize(k): (en, plural) for k, en, plural in
            zip(frame["kind"], frame["kind_en"], frame["plural_en"], strict=True)}


def area_kinds() -> list[str]:
    """The kinds of unit that are areas above the wards ('quận', 'huyện', 'thành phố', 'khu
    vực', …): every kind of resources/unit_kinds.csv that is not a ward kind."""
    return [k for k in _kinds() if k not in WARD_KINDS]


def kind_en(kind: str, plural: bool = False) -> str:
    """'quận' -> 'district' (plural: 'districts'); an unknown kind is returned as written."""
    en = _kinds().get(normalize(kind))
    if en is None:
        return kind
    return en[1] if plural else en[0]


@dataclass(frozen=True)
class Area:
    """The area a year's reports cover and the kind of its units, with the phrases reports
    use. `Registry.area(year)` builds it; nothing here names a real place."""

    code: str
    name: str
    kind: str  # "quận", "khu vực", "thành phố" …
    unit_kind: str  # "phường", or "phường, xã" when both occur
    n_units: int
    kinds: tuple[tuple[str, str], ...] = ()  # (ward code, its kind) when kinds differ

    def kind_of(self, code: str | None) -> str | None:
        """The kind of the unit `code` ('thị trấn' among 'xã'), None when not known."""
        return dict(self.kinds).get(str(code)) if code is not None else None

    @property
    def kind_en(self) -> str:
        return kind_en(self.kind)

    @property
    def unit_kind_en(self) -> str:
        return " and ".join(kind_en(k.strip()) for k in self.unit_kind.split(","))

    def title(self, lang: str = "vi") -> str:
        """'<kind> <name>' / '<name> <kind in English>' (e.g. 'huyện Hòa Mỹ' / 'Hòa Mỹ
        district')."""
        if lang == "vi":
            return f"{self.kind} {self.name}".strip()
        return f"{self.name} {self.kind_en}".strip()

    def whole(self, lang: str = "vi") -> str:
        """'Toàn <kind>' / 'Whole <kind>': a table's total row, the scope of the whole area."""
        return f"Toàn {self.kind}" if lang == "vi" else f"Whole {self.kind_en}"

    def whole_title(self, lang: str = "vi") -> str:
        """'Toàn <kind> <name>' / '<name> <kind> (whole)'."""
        if lang == "vi":
            return f"Toàn {self.kind} {self.name}".strip()
        return f"{self.title('en')} (whole)"

    def unit(self, name: str, lang: str = "vi", kind: str | None = None) -> str:
        """'phường Bạch Mai' / 'Bạch Mai ward' (kind: the unit's own, e.g. 'xã')."""
        k = kind or self.unit_kind.split(",")[0].strip()
        return f"{k} {name}" if lang == "vi" else f"{name} {kind_en(k)}"

    def units(self, lang: str = "vi") -> str:
        """'phường' / 'wards' (after a count: '9 phường', '9 wards')."""
        if lang == "vi":
            return self.unit_kind
        return " and ".join(kind_en(k.strip(), plural=True) for k in self.unit_kind.split(","))

    def scope_name(self, ward_name: str | None, lang: str = "vi") -> str:
        """The area's title for the whole area (None), else the unit's."""
        return self.title(lang) if ward_name is None else self.unit(ward_name, lang)


# --- colours ----------------------------------------------------------------------------

def unit_colors(codes: list[str]) -> dict[str, str]:
    """A distinct colour per code, in the order given, for any number of units.

    The first 24 follow plotly's Dark24 (so a district's wards keep the colours they always
    had), then Light24 and Alphabet; beyond those (a city of 126 wards) colours
    are spread round the hue circle by the golden angle, alternating lightness.
    """
    from plotly.colors import qualitative

    base = [*qualitative.Dark24, *qualitative.Light24, *qualitative.Alphabet]
    out: dict[str, str] = {}
    for i, code in enumerate(dict.fromkeys(str(c) for c in codes)):
        if i < len(base):
            out[code] = base[i]
            continue
        k = i - len(base)
        hue = (k * 137.508) % 360
        light = (38, 52, 66)[k % 3]
        out[code] = _hsl_hex(hue, 62, light)
    return out


def _hsl_hex(h: float, s: float, lum: float) -> str:
    import colorsys

    r, g, b = colorsys.hls_to_rgb(h / 360, lum / 100, s / 100)
    return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"


# --- the registry -----------------------------------------------------------------------

class Registry:
    """The units of a registry file, by period. Read with :func:`registry`."""

    def __init__(self, frame: pd.DataFrame, path: Path | str = "units.csv"):
        self.path = Path(path)
        self.frame = frame.reset_index(drop=True)
        # Answers kept per registry (its frame is never changed): reports ask for the area
        # and a ward's identity hundreds of times per run, each a few pandas operations.
        self._memo: dict[tuple, Any] = {}

    def _memoized(self, key: tuple, make: Callable[[], Any]) -> Any:
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = make()
            return value

    # -- periods ------------------------------------------------------------------------
    def valid_on(self, day: dt.date) -> pd.DataFrame:
        """The units in force on `day` (one row per code)."""
        f = self.frame
        ts = pd.Timestamp(day)

        def mask() -> np.ndarray:
            return ((f["valid_from"].isna() | (f["valid_from"] <= ts))
                    & (f["valid_to"].isna() | (f["valid_to"] >= ts))).to_numpy()

        return f[self._memoized(("valid_on", ts), mask)]

    def units(self, year: int) -> pd.DataFrame:
        """The units (every kind) a conference year uses (index: the registry's row)."""
        return self.valid_on(reference_date(year))

    def ended_unrecorded(self, year: int) -> pd.DataFrame:
        """Wards merged into an unrecorded unit shortly before the year (still accepted)."""
        f = self.frame
        hit = (f["successor"] == UNKNOWN_SUCCESSOR) & f["valid_to"].notna() & \
              (f["valid_to"].dt.year == int(year) - 1) & f["kind"].isin(WARD_KINDS)
        valid = set(self.units(year)["code"])
        return f[hit & ~f["code"].isin(valid)]

    def wards(self, year: int, *, ended: bool = True) -> pd.DataFrame:
        """ward_code, ward_name, kind of the wards a year uses, in the registry's order
        (ended=True adds those of `ended_unrecorded`, which data may still name)."""
        u = self.units(year)
        u = u[u["kind"].isin(WARD_KINDS)]
        if ended:
            u = pd.concat([u, self.ended_unrecorded(year)]).sort_index()
        return pd.DataFrame({"ward_code": u["code"].to_numpy(), "ward_name": u["name"].to_numpy(),
                             "kind": u["kind"].to_numpy()})

    def area(self, year: int) -> Area:
        """The area the year's wards belong to (their common parent)."""
        return self.area_on(reference_date(year))

    def area_on(self, day: dt.date) -> Area:
        """The area of the wards in force on `day` (their common parent)."""
        return self._memoized(("area_on", pd.Timestamp(day)), lambda: self._area_on(day))

    def _area_on(self, day: dt.date) -> Area:
        u = self.valid_on(day)
        wards = u[u["kind"].isin(WARD_KINDS)]
        parents = [p for p in dict.fromkeys(wards["parent"].dropna()) if p]
        kinds = list(dict.fromkeys(wards["kind"])) or ["phường"]
        unit_kind = ", ".join(kinds)
        by_code = tuple(zip(wards["code"], wards["kind"], strict=True)) if len(kinds) > 1 else ()
        if len(parents) == 1:
            row = u[u["code"] == parents[0]]
            if len(row):
                r = row.iloc[0]
                return Area(str(r["code"]), str(r["name"]), str(r["kind"]), unit_kind,
                            len(wards), by_code)
        return Area("", "", "khu vực", unit_kind, len(wards), by_code)

    def lookup(self, code: str, year: int) -> pd.Series | None:
        """The unit that `code` names in `year` (None: no unit has that code then)."""
        u = self.units(year)
        hit = u[u["code"] == str(code)]
        return None if hit.empty else hit.iloc[0]

    def periods(self, code: str) -> pd.DataFrame:
        """Every unit that has had `code`, oldest first."""
        f = self.frame[self.frame["code"] == str(code)]
        return f.sort_values("valid_from", na_position="first").reset_index(drop=True)

    def same_unit(self, code: str, year_a: int, year_b: int) -> bool:
        """Whether `code` names the same unit (the same registry row) in both years."""
        a, b = self.identity(code, year_a), self.identity(code, year_b)
        return a is not None and a == b

    def identity(self, code: str, year: int) -> int | None:
        """The registry row of the ward `code` names in `year` (a ward merged into an
        unrecorded one keeps its row the year after); None when it names none."""
        return self._memoized(("identity", str(code), int(year)),
                              lambda: self._identity(code, year))

    def _identity(self, code: str, year: int) -> int | None:
        ts = pd.Timestamp(reference_date(year))
        f = self.frame
        hit = f.index[(f["code"] == str(code)) & (f["valid_from"].isna() | (f["valid_from"] <= ts))
                      & (f["valid_to"].isna() | (f["valid_to"] >= ts))]
        if len(hit):
            return int(hit[0])
        late = self.ended_unrecorded(year)
        late = late.index[late["code"] == str(code)]
        return int(late[0]) if len(late) else None

    def changed_between(self, year_a: int, year_b: int) -> list[str]:
        """Codes of year_b's wards that are not the same unit in year_a (empty: no change
        of wards between the two years, so codes can be compared directly)."""
        return [c for c in self.wards(year_b)["ward_code"]
                if not self.same_unit(c, year_a, year_b)]

    def explain_code(self, code: str, year: int) -> tuple[str, str] | None:
        """Why `code` is not a ward of `year` when it is one of another period (vi, en)."""
        other = self.periods(code)
        if other.empty:
            return None
        r = other.iloc[-1]
        span = _span(r)
        return (f"mã {code} là phường {r['name']} ({span['vi']}), không còn hiệu lực "
                f"ngày {reference_date(year):%d/%m/%Y}",
                f"code {code} was {r['name']} ({span['en']}), not in force on "
                f"{reference_date(year):%d/%m/%Y}")

    def row_colors(self) -> dict[int, str]:
        """registry row -> colour, for every ward the registry has ever had (registry order,
        so a ward keeps its colour in every year and a reused code gets a new one)."""
        rows = [int(i) for i in self.frame.index[self.frame["kind"].isin(WARD_KINDS)]]
        colors = unit_colors([str(i) for i in rows])
        return {i: colors[str(i)] for i in rows}

    def ward_color(self, code: str, year: int | None = None) -> str | None:
        """The colour of the ward `code` names in `year` (None: the first ward that had the
        code); None when no ward of the registry has it."""
        row = self.identity(code, year) if year is not None else None
        if row is None:
            hit = self.frame.index[(self.frame["code"] == str(code))
                                   & self.frame["kind"].isin(WARD_KINDS)]
            row = int(hit[0]) if len(hit) else None
        return None if row is None else self.row_colors().get(row)

    def colors(self, year: int) -> dict[str, str]:
        """ward code -> colour for the year's wards (registry order): see unit_colors."""
        return unit_colors(self.wards(year)["ward_code"].tolist())

    def __repr__(self) -> str:
        return f"Registry({self.path}, {len(self.frame)} units)"


def _span(r: pd.Series) -> dict[str, str]:
    a = "" if pd.isna(r["valid_from"]) else f"{r['valid_from']:%d/%m/%Y}"
    b = "" if pd.isna(r["valid_to"]) else f"{r['valid_to']:%d/%m/%Y}"
    return {"vi": f"{('từ ' + a) if a else ''}{' ' if a and b else ''}"
                  f"{('đến ' + b) if b else ''}".strip() or "không rõ thời hạn",
            "en": f"{('from ' + a) if a else ''}{' ' if a and b else ''}"
                  f"{('to ' + b) if b else ''}".strip() or "no dates"}


# --- reading ----------------------------------------------------------------------------

def units_path(data_dir: str | Path | None = None, path: str | Path | None = None) -> Path:
    """Which units file applies: `path`, else $HBT_UNITS, else the data folder's
    reference/units.csv, else the bundled one."""
    if path is not None:
        return Path(path)
    env = os.environ.get(UNITS_ENV)
    if env:
        return Path(env)
    from hbt_analysis.dataset import REFERENCE_DIR, bundled_data_dir, default_data_dir

    for root in (Path(data_dir) if data_dir is not None else None, default_data_dir()):
        if root is not None and (root / REFERENCE_DIR / UNITS_FILE).is_file():
            return root / REFERENCE_DIR / UNITS_FILE
    return bundled_data_dir() / REFERENCE_DIR / UNITS_FILE


def registry(data_dir: str | Path | None = None, path: str | Path | None = None) -> Registry:
    """The unit registry that applies to a data folder (see units_path); checked."""
    p = units_path(data_dir, path)
    if not p.is_file():
        raise RegistryError(p, [(None, None, "không có tệp danh mục đơn vị",
                                 "the units file does not exist")])
    return _read(str(p.resolve()), p.stat().st_mtime_ns)


def is_bundled(reg: Registry) -> bool:
    """Whether `reg` is the project's own registry (the old district and its new wards)."""
    from hbt_analysis.dataset import REFERENCE_DIR, bundled_data_dir

    return reg.path.resolve() == (bundled_data_dir() / REFERENCE_DIR / UNITS_FILE).resolve()


@lru_cache(maxsize=8)
def _read(path: str, mtime: int) -> Registry:
    from hbt_analysis.io import decode_bytes

    text = decode_bytes(Path(path).read_bytes())
    raw = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
    return Registry(check_frame(raw, path), path)


def check_frame(raw: pd.DataFrame, path: str | Path = "units.csv") -> pd.DataFrame:
    """A units table typed and checked; RegistryError listing every problem otherwise."""
    from hbt_analysis.io import CellError, parse_date

    problems: list[tuple[int | None, str | None, str, str]] = []
    raw = raw.rename(columns=lambda c: normalize(str(c)).strip().lower())
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise RegistryError(path, [(1, c, f"thiếu cột '{c}'", f"column '{c}' is missing")
                                   for c in missing])
    df = pd.DataFrame({c: raw[c] if c in raw.columns else "" for c in COLUMNS})
    for c in ("code", "name", "kind", "parent", "successor"):
        df[c] = df[c].map(lambda v: normalize(str(v)).strip())
    df["kind"] = df["kind"].str.lower()
    for c in ("valid_from", "valid_to"):
        values = []
        for i, v in enumerate(df[c]):
            try:
                d = parse_date(v) if str(v).strip() else None
            except CellError as err:
                problems.append((i + 2, c, err.message_vi, err.message_en))
                d = None
            values.append(pd.Timestamp(d) if d else pd.NaT)
        df[c] = pd.to_datetime(pd.Series(values, dtype="datetime64[ns]"))
    for i, r in df.iterrows():
        row = int(i) + 2
        for c in REQUIRED:
            if not r[c]:
                problems.append((row, c, f"ô '{c}' trống", f"'{c}' is empty"))
        if pd.notna(r["valid_from"]) and pd.notna(r["valid_to"]) and \
                r["valid_from"] > r["valid_to"]:
            problems.append((row, "valid_to", "ngày hết hiệu lực trước ngày có hiệu lực",
                             "valid_to is before valid_from"))
    for code, g in df[df["code"] != ""].groupby("code", sort=False):
        g = g.sort_values("valid_from", na_position="first")
        for (i, a), (j, b) in zip(g.iloc[:-1].iterrows(), g.iloc[1:].iterrows(), strict=True):
            if pd.isna(a["valid_to"]) or (pd.isna(b["valid_from"])) or \
                    b["valid_from"] <= a["valid_to"]:
                problems.append((int(j) + 2, "valid_from",
                                 f"mã {code} có hai đơn vị cùng thời gian (dòng {int(i) + 2} và "
                                 f"{int(j) + 2}); một mã chỉ chỉ một đơn vị tại một thời điểm",
                                 f"code {code} names two units at once (rows {int(i) + 2} and "
                                 f"{int(j) + 2}); a code names one unit at a time"))
    for i, r in df[df["parent"] != ""].iterrows():
        ps = df[df["code"] == r["parent"]]
        day = r["valid_from"] if pd.notna(r["valid_from"]) else r["valid_to"]
        if ps.empty or (pd.notna(day) and not (
                (ps["valid_from"].isna() | (ps["valid_from"] <= day))
                & (ps["valid_to"].isna() | (ps["valid_to"] >= day))).any()):
            problems.append((int(i) + 2, "parent",
                             f"đơn vị cấp trên '{r['parent']}' không có trong danh mục "
                             "(cùng thời gian)",
                             f"parent '{r['parent']}' is not in the file (for the same dates)"))
    if problems:
        raise RegistryError(path, problems)
    df["parent"] = df["parent"].replace("", None)
    return df


def wards_for(data_dir: str | Path | None, year: int) -> pd.DataFrame:
    """ward_code, ward_name of the wards a year uses under the registry of `data_dir`."""
    return registry(data_dir).wards(year)


__all__ = [
    "Area", "Registry", "RegistryError", "area_kinds", "kind_en", "reference_date", "registry",
    "unit_colors", "units_path", "wards_for",
]

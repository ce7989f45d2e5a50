"""A conference year as one validated object: `load(2023)`.

The loader finds the year's files (CSV, Excel or Parquet, or one workbook in the template's
layout), reads them through `io`, types and checks them through `validate`, and raises one
`DataError` listing every problem if the numbers cannot be trusted. The raw files are only
read. Metadata says where the tables came from, a hash of their content, and whether the
data is the bundled synthetic set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from io import StringIO
from pathlib import Path

import pandas as pd

from hbt_analysis import review_flags
from hbt_analysis.intake import Intake, read_files
from hbt_analysis.io import ROW, ReadError
from hbt_analysis.registry import WARD_KINDS, Area, Registry, is_bundled, registry
from hbt_analysis.schema import (
    CROSSWALK_2025,
    GROUP_CROSSWALK,
    PUBLISHED_TOTALS,
    WARDS,
    YEARLY_TABLES,
    Table,
    header_key,
)
from hbt_analysis.text import normalize
from hbt_analysis.validate import (
    DataError,
    Problem,
    check_coverage,
    check_dates_year,
    check_year,
    coerce,
    errors_in,
    reconcile,
    reconciliation_problems,
)

METADATA_FILE = "dataset.json"
REFERENCE_DIR = "reference"
REQUIRED_TABLES = ("group_conferences",)
#: The census figures of the bundled wards, and the year whose wards they describe.
CENSUS_FILE, CENSUS_UNITS_YEAR = "wards_2023.csv", 2023
#: Old group -> new group of a year whose groups were reorganised (see GROUP_CROSSWALK).
GROUP_CROSSWALK_FILE = "group_crosswalk.csv"


def default_data_dir() -> Path:
    """$HBT_DATA_DIR, else the project's data/ (beside the package), else ./data."""
    env = os.environ.get("HBT_DATA_DIR")
    if env:
        return Path(env)
    return bundled_data_dir()


def bundled_data_dir() -> Path:
    """The project's own data/ (beside the package, else ./data), whatever $HBT_DATA_DIR says:
    where the published reference facts ship."""
    beside = Path(__file__).resolve().parents[1] / "data"
    return beside if beside.is_dir() else Path.cwd() / "data"


def reference_dir(data_dir: str | Path | None = None) -> Path:
    """The reference facts a data folder uses: its own reference/, else $HBT_DATA_DIR's, else
    the bundled ones (a folder of real yearly data need not copy the published facts)."""
    for root in (_data_dir(data_dir), default_data_dir(), bundled_data_dir()):
        if (root / REFERENCE_DIR).is_dir():
            return root / REFERENCE_DIR
    return bundled_data_dir() / REFERENCE_DIR


def _data_dir(data_dir: str | Path | None) -> Path:
    return Path(data_dir) if data_dir is not None else default_data_dir()


@dataclass
class Dataset:
    """One conference year: the three tables, the reference units and the metadata."""

    year: int
    group_conferences: pd.DataFrame
    ward_conferences: pd.DataFrame
    opinions: pd.DataFrame
    wards: pd.DataFrame
    crosswalk: pd.DataFrame
    published: pd.DataFrame
    files: list[Path] = field(default_factory=list)
    content_hash: str = ""
    synthetic: bool = False
    metadata: dict = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    intake: Intake | None = field(default=None, repr=False, compare=False)
    registry: Registry | None = field(default=None, repr=False, compare=False)
    group_crosswalk: pd.DataFrame | None = None

    @property
    def units(self) -> dict[str, pd.DataFrame]:
        """The year's wards and the ward crosswalk (see also `units_`)."""
        return {"wards": self.wards, "crosswalk_2025": self.crosswalk}

    @property
    def units_(self) -> pd.DataFrame:
        """The registry's units in force in the data's year (every kind: the area and its
        wards): code, name, kind, parent, valid_from, valid_to, successor, source, note."""
        return self._registry().units(self.year).reset_index(drop=True)

    @property
    def area(self) -> Area:
        """The area the year's data covers, with the phrases reports use
        (`area.title()` '<kind> <name>', `area.whole()` 'Toàn <kind>', …)."""
        return self._registry().area(self.year)

    def scope_name(self, ward_code: str | None = None, lang: str = "vi",
                   whole: bool = False) -> str:
        """The area's title ('<kind> <name>') or a ward's ('phường An Bình'); whole=True for
        the area: 'Toàn <kind> <name>'. In English '<name> <kind>' / 'An Bình ward'."""
        area = self.area
        if ward_code is None:
            return area.whole_title(lang) if whole else area.title(lang)
        kinds = dict(zip(self.wards["ward_code"], self.wards.get("kind", pd.Series(
            [None] * len(self.wards))), strict=True))
        name = self.ward_name(ward_code)
        return area.unit(name, lang, kinds.get(ward_code) or None)

    def ward_colors(self) -> dict[str, str]:
        """A fixed colour per ward of the year, any number of wards (registry order)."""
        from hbt_analysis.registry import unit_colors

        return unit_colors(self.wards["ward_code"].tolist())

    def _registry(self) -> Registry:
        return self.registry if self.registry is not None else registry()

    def reconciliation(self) -> pd.DataFrame:
        """Published figures of the year beside the data's own (see validate.reconcile)."""
        return reconcile(self)

    def ward_name(self, ward_code: str | None) -> str:
        """The ward's name ('An Bình'); for None the whole area ('Toàn <kind>': the registry)."""
        if ward_code is None:
            return self.area.whole()
        names = dict(zip(self.wards["ward_code"], self.wards["ward_name"], strict=True))
        return names.get(ward_code, ward_code)

    def copy(self) -> Dataset:
        """An independent copy: changing its tables never changes the loaded data."""
        return replace(
            self,
            **{name: getattr(self, name).copy() for name in (
                "group_conferences", "ward_conferences", "opinions", "wards", "crosswalk",
                "published")},
            files=list(self.files), metadata=dict(self.metadata), warnings=list(self.warnings),
            group_crosswalk=None if self.group_crosswalk is None else self.group_crosswalk.copy(),
        )

    def __repr__(self) -> str:
        kind = "synthetic" if self.synthetic else "real"
        return (
            f"Dataset(year={self.year}, groups={len(self.group_conferences)}, "
            f"wards={len(self.ward_conferences)}, opinions={len(self.opinions)}, "
            f"{kind}, hash={self.content_hash})"
        )


# --- reference tables -------------------------------------------------------------------

@lru_cache(maxsize=8)
def _read_reference(path: Path, mtime: float) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False).replace("", pd.NA)


def load_reference(data_dir: str | Path | None = None,
                   units: Registry | None = None) -> dict[str, pd.DataFrame]:
    """The published facts in data/reference/: wards (census), the ward crosswalk, published
    totals. Each file comes from the data folder's reference/ when it has it, else the
    bundled one — but only while the area is the bundled one: an office with its own units
    file (another district) gets empty tables, never the old district's figures."""
    ref = reference_dir(data_dir)
    reg = units if units is not None else registry(data_dir)
    own_area = not is_bundled(reg)
    out: dict[str, pd.DataFrame] = {}
    for table, filename in ((WARDS, CENSUS_FILE), (CROSSWALK_2025, "crosswalk_2025.csv"),
                            (PUBLISHED_TOTALS, "published_totals.csv")):
        path = ref / filename
        if not own_area and not path.exists():  # the bundled area: its bundled facts
            path = bundled_data_dir() / REFERENCE_DIR / filename
        if own_area and not path.exists():
            out[table.name] = _type_reference(pd.DataFrame(
                {c.name: pd.Series(dtype=str) for c in table.columns}), table)
            continue
        if not path.exists():
            raise ReadError(path, "thiếu tệp số liệu tham chiếu", "reference file missing")
        out[table.name] = _type_reference(_read_reference(path, path.stat().st_mtime), table)
    out["crosswalk_2025"] = _crosswalk_codes(out["crosswalk_2025"], reg)
    out["crosswalk"] = out["crosswalk_2025"]
    return out


def _crosswalk_codes(crosswalk: pd.DataFrame, reg: Registry) -> pd.DataFrame:
    """The crosswalk with `new_ward_code`: each new ward's code, found by its name among the
    wards in force the day after the old ward ended (a code given in the file wins)."""
    cw = crosswalk.copy()
    if "new_ward_code" not in cw or cw.empty:
        cw["new_ward_code"] = pd.Series([pd.NA] * len(cw), dtype="str")
    codes: list = []
    old_ids: list = []
    new_ids: list = []
    frame = reg.frame
    for r in cw.itertuples(index=False):
        given = getattr(r, "new_ward_code", None)
        old = frame[(frame["code"] == str(r.old_ward_code).zfill(5)) & frame["kind"].isin(
            WARD_KINDS)]
        old = old[old["valid_to"].notna()] if old["valid_to"].notna().any() else old
        old = old[old["valid_to"] == old["valid_to"].max()] if len(old) > 1 else old
        end = old["valid_to"].dropna()
        day = (end.max() + pd.Timedelta(days=1)) if len(end) else None
        new = reg.valid_on(day.date()) if day is not None else frame.iloc[0:0]
        if isinstance(given, str) and given and given != "<NA>":
            hit = new[new["code"] == given]
            codes.append(given)
            old_ids.append(int(old.index[-1]) if len(old) else pd.NA)
            new_ids.append(int(hit.index[0]) if len(hit) else pd.NA)
            continue
        hit = new[(new["name"] == r.new_ward_name) & new["kind"].isin(WARD_KINDS)]
        codes.append(str(hit["code"].iloc[0]) if len(hit) else pd.NA)
        old_ids.append(int(old.index[-1]) if len(old) else pd.NA)
        new_ids.append(int(hit.index[0]) if len(hit) else pd.NA)
    cw["new_ward_code"] = pd.Series(codes, index=cw.index, dtype="str")
    # which registry rows the codes mean (a code may be reused by another ward later)
    cw["old_unit_id"] = pd.Series(old_ids, index=cw.index, dtype="Int64")
    cw["new_unit_id"] = pd.Series(new_ids, index=cw.index, dtype="Int64")
    return cw


def year_wards(reg: Registry, year: int, census: pd.DataFrame | None = None) -> pd.DataFrame:
    """The wards a year uses (registry order): ward_code, ward_name, kind, and the census
    columns (population_2019, households_2019, census_note) where the ward is the same unit
    as the census's; <NA> for wards made later."""
    wards = reg.wards(year)
    wards["in_force"] = ~wards["ward_code"].isin(set(reg.ended_unrecorded(year)["code"]))
    cols = ["population_2019", "households_2019", "census_note"]
    if census is None or census.empty:
        for c in cols:
            wards[c] = pd.Series([pd.NA] * len(wards), dtype="Int64" if c != "census_note"
                                 else "str")
        wards.attrs["retired"] = _retired(reg, year, wards)
        return wards
    same = [reg.same_unit(c, CENSUS_UNITS_YEAR, year) for c in wards["ward_code"]]
    merged = wards.merge(census[["ward_code", *cols]], on="ward_code", how="left")
    for c in cols:
        merged.loc[[not s for s in same], c] = pd.NA
    merged.attrs["retired"] = _retired(reg, year, merged)
    return merged


def _retired(reg: Registry, year: int, wards: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Names of wards of other periods (folded) -> why they are not wards of `year`."""
    from hbt_analysis.units import fold_name

    current = {fold_name(n) for n in wards["ward_name"]}
    out: dict[str, tuple[str, str]] = {}
    f = reg.frame[reg.frame["kind"].isin(WARD_KINDS)]
    for r in f.itertuples(index=False):
        key = fold_name(r.name)
        if key in current:
            continue
        a = "" if pd.isna(r.valid_from) else f"từ {r.valid_from:%d/%m/%Y} "
        b = "" if pd.isna(r.valid_to) else f"đến {r.valid_to:%d/%m/%Y}"
        a_en = "" if pd.isna(r.valid_from) else f"from {r.valid_from:%d/%m/%Y} "
        b_en = "" if pd.isna(r.valid_to) else f"to {r.valid_to:%d/%m/%Y}"
        out[key] = (f"phường {r.name} có hiệu lực {a}{b}".strip() + f", không phải năm {year}",
                    f"{r.name} was a ward {a_en}{b_en}".strip() + f", not in {year}")
    return out


def _type_reference(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    df = frame.copy()
    for col in table.columns:
        if col.name not in df:
            continue
        if col.dtype == "int":
            df[col.name] = pd.to_numeric(df[col.name]).astype("Int64")
        elif col.dtype == "float":
            df[col.name] = pd.to_numeric(df[col.name]).astype("Float64")
        elif col.dtype == "date":
            df[col.name] = pd.to_datetime(df[col.name])
        else:
            df[col.name] = df[col.name].astype("str")
    return df


# --- finding a year's files -------------------------------------------------------------

def available_years(data_dir: str | Path | None = None) -> list[int]:
    """Years that have a folder with data in data_dir (e.g. [2022, 2023, 2024])."""
    root = _data_dir(data_dir)
    if not root.is_dir():
        return []
    return sorted(
        int(p.name) for p in root.iterdir()
        if p.is_dir() and p.name.isdigit() and len(p.name) == 4 and _table_files(p)
    )


def _table_files(folder: Path) -> list[Path]:
    """The files of a year's folder that may hold its tables (not lock or hidden files)."""
    from hbt_analysis.intake.sources import TABLE_SUFFIXES

    return sorted(
        p for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in TABLE_SUFFIXES
        and not p.name.startswith(("~$", "."))  # Excel's lock files, hidden files
    )


def year_files(folder: Path) -> list[Path]:
    """Every file of a year's folder: the reader decides, and says, what it reads."""
    return sorted(p for p in folder.iterdir() if p.is_file())


# --- loading ----------------------------------------------------------------------------

def load(year: int, data_dir: str | Path | None = None, *, strict: bool = True) -> Dataset:
    """Load and validate one year; raise DataError listing every problem if it has errors.

    With strict=False the dataset is returned with its problems in `.warnings` even when
    some are errors (used by `hbt validate` to print everything at once).
    """
    root = _data_dir(data_dir)
    folder = root / str(year)
    key = (str(root.resolve()), year, strict, _fingerprint(folder),
           _fingerprint(root / str(year - 1)), _fingerprint(reference_dir(root)))
    cached = _LOADED.get(key)
    if cached is not None:
        return cached.copy()
    ds = _load_uncached(root, folder, year, strict)
    _LOADED[key] = ds
    if len(_LOADED) > 16:
        _LOADED.pop(next(iter(_LOADED)))
    return ds.copy()


#: Datasets already loaded in this process, keyed by the files' names, sizes and mtimes:
#: a report batch that reuses a kernel loads each year once; callers always get a copy.
_LOADED: dict[tuple, Dataset] = {}


def _fingerprint(folder: Path) -> tuple:
    if not folder.is_dir():
        return ()
    return tuple(
        (p.name, st.st_size, st.st_mtime_ns)
        for p in sorted(folder.iterdir()) if p.is_file() and (st := p.stat())
    )


def _load_uncached(root: Path, folder: Path, year: int, strict: bool) -> Dataset:
    if not folder.is_dir():
        raise DataError([Problem(
            "error", str(folder), None, None,
            f"Không có dữ liệu năm {year}: thư mục {folder} không tồn tại. Các năm có dữ liệu: "
            f"{', '.join(map(str, available_years(root))) or 'không có'}.",
            f"No data for {year}: the folder {folder} does not exist. Years with data: "
            f"{', '.join(map(str, available_years(root))) or 'none'}.",
            "no_year",
        )])
    previous = _previous_counts(root / str(year - 1), year - 1, root)
    return load_files(year_files(folder), year, reference_dir=root, strict=strict,
                      previous=previous)


def _previous_counts(folder: Path, year: int, root: Path) -> dict[str, int] | None:
    """Groups per ward in the year before, read (not validated) for the coverage check."""
    if not folder.is_dir():
        return None
    try:
        intake = read_files(year_files(folder), year, registry(root).wards(year),
                            tables=("group_conferences",))
    except (ReadError, OSError, ValueError):
        return None
    raw = intake.tables.get("group_conferences")
    if raw is None or raw.frame.empty or "ward_code" not in raw.frame:
        return None
    frame = raw.frame.dropna(subset=["ward_code"])
    codes = frame["group_code"] if "group_code" in frame else frame[ROW]
    counts = codes.groupby(frame["ward_code"].astype(str)).nunique().to_dict()
    # only wards that are still the same unit: across a merger a code may name another ward
    units = registry(root)
    return {c: n for c, n in counts.items() if units.same_unit(c, year, year + 1)}


def load_files(
    files: list[Path], year: int, *, reference_dir: str | Path | None = None, strict: bool = True,
    previous: dict[str, int] | None = None, columnar: bool | None = None,
) -> Dataset:
    """Load the tables held by `files` (a year's folder, one workbook, or a few CSVs).

    `columnar`: read a plain CSV table (opinions, groups) by columns (`intake.columnar`,
    the same result); None: yes unless `HBT_READER=rows`; False: row by row."""
    files = [Path(f) for f in files]
    folder = files[0].parent if files else Path(".")
    units = registry(reference_dir)
    reference = load_reference(reference_dir, units)
    wards = year_wards(units, year, reference["wards"])
    intake = read_files(files, year, wards, columnar=columnar)
    problems = list(intake.problems)
    unreadable = any(p.code == "unreadable" for p in problems)
    for name in REQUIRED_TABLES:
        if name not in intake.tables and not unreadable:
            problems.append(Problem(
                "error", str(folder), None, None,
                f"Thiếu bảng {YEARLY_TABLES[name].label_vi}: không tệp hay sheet nào có dòng "
                "tiêu đề với các cột 'Tổ dân phố' (hoặc 'Mã tổ dân phố'), 'Số hộ được mời', "
                f"'Số hộ dự'; thêm tệp {name}.csv (hoặc .xlsx) hoặc một sheet "
                f"'{YEARLY_TABLES[name].sheet_name}'.",
                f"The table {YEARLY_TABLES[name].label_en} is missing: no file or sheet has a "
                "header with the columns 'Tổ dân phố' (or 'Mã tổ dân phố'), 'Số hộ được mời', "
                f"'Số hộ dự'; add {name}.csv (or .xlsx) or a sheet "
                f"'{YEARLY_TABLES[name].sheet_name}'.",
                "missing_table",
            ))
    typed: dict[str, pd.DataFrame] = {}
    wheres: dict[str, str] = {}
    for name, table in YEARLY_TABLES.items():
        raw = intake.tables.get(name)
        if raw is None:
            typed[name] = _empty(table)
            wheres[name] = str(folder / f"{name}.csv")
            continue
        wheres[name] = raw.where()
        if name in REQUIRED_TABLES and raw.frame.empty:
            problems.append(Problem(
                "error", raw.where(), raw.header_row, None,
                f"Bảng {table.label_vi} chỉ có dòng tiêu đề, không có dòng dữ liệu nào.",
                f"The table {table.label_en} has a header but no data rows.",
                "no_rows",
            ))
        frame, cell_problems = coerce(raw, year)
        problems += cell_problems
        typed[name] = frame
    if not any(p.code in ("missing_column", "unreadable", "formula_without_value")
               for p in problems):
        problems += check_year(typed, wheres, wards, _windows(reference, year),
                               units=units, year=year)
        problems += check_coverage(typed, wheres, _in_force(wards, units, year, typed),
                                   previous, year - 1)
        problems += check_dates_year(typed, wheres, year)
    group_crosswalk, cw_problems, cw_path = read_group_crosswalk(folder, typed)
    problems += cw_problems
    problems += review_flags.problems(folder)  # what `hbt import-minutes` left to check
    used = intake.paths + ([cw_path] if cw_path is not None else [])
    metadata = _read_metadata(folder)
    if not metadata.get("synthetic"):
        metadata.pop("note_vi", None)
        metadata.pop("note_en", None)
    ds = Dataset(
        year=year,
        group_conferences=_public(typed["group_conferences"], YEARLY_TABLES["group_conferences"]),
        ward_conferences=_public(typed["ward_conferences"], YEARLY_TABLES["ward_conferences"]),
        opinions=_public(typed["opinions"], YEARLY_TABLES["opinions"]),
        wards=_in_force(wards, units, year, typed),
        crosswalk=reference["crosswalk_2025"],
        published=_published(reference, year),
        files=used,
        content_hash=content_hash(used),
        synthetic=_is_synthetic(metadata, folder),
        metadata=metadata,
    )
    ds.intake = intake
    ds.registry = units
    ds.group_crosswalk = group_crosswalk
    if not errors_in(problems):
        problems += reconciliation_problems(
            ds.reconciliation(), "data/reference/published_totals.csv")
    ds.warnings = problems
    if strict and errors_in(problems):
        raise DataError(problems)
    return ds


def _in_force(wards: pd.DataFrame, units: Registry, year: int,
              tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The year's wards, with a ward merged into an unrecorded one only if the data names it."""
    late = set(units.ended_unrecorded(year)["code"])
    if not late:
        return wards.reset_index(drop=True)
    named = set().union(*(set(map(str, f["ward_code"].dropna().unique()))
                          for f in tables.values() if f is not None and "ward_code" in f))
    keep = ~wards["ward_code"].isin(late - named)
    return wards[keep].reset_index(drop=True)


def read_group_crosswalk(folder: Path, tables: dict[str, pd.DataFrame] | None = None
                         ) -> tuple[pd.DataFrame | None, list[Problem], Path | None]:
    """The year folder's group_crosswalk.csv (old group code -> this year's group code), its
    problems (a code missing, a row twice, a new code that is not one of the year's groups),
    and its path; (None, [], None) when the folder has none."""
    path = folder / GROUP_CROSSWALK_FILE
    if not path.is_file():
        return None, [], None
    from hbt_analysis.io import decode_bytes
    from hbt_analysis.schema import header_lookup

    where = str(path)
    try:
        raw = pd.read_csv(StringIO(decode_bytes(path.read_bytes())), dtype=str,
                          keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as err:
        return None, [Problem("error", where, None, None,
                              f"không đọc được bảng chuyển đổi tổ dân phố: {err}",
                              f"the group crosswalk cannot be read: {err}", "unreadable")], path
    lookup = header_lookup(GROUP_CROSSWALK)
    raw = raw.rename(columns=lambda c: lookup.get(header_key(c), c))
    problems: list[Problem] = []
    for col in GROUP_CROSSWALK.required:
        if col not in raw:
            problems.append(Problem(
                "error", where, 1, GROUP_CROSSWALK.column(col).label_vi,
                f"Thiếu cột '{GROUP_CROSSWALK.column(col).label_vi}' trong bảng chuyển đổi tổ "
                "dân phố.", f"The group crosswalk lacks the column "
                f"'{GROUP_CROSSWALK.column(col).label_en}'.", "missing_column"))
    if problems:
        return None, problems, path
    frame = pd.DataFrame({
        "old_group_code": raw["old_group_code"].map(lambda v: normalize(v).strip()),
        "new_group_code": raw["new_group_code"].map(lambda v: normalize(v).strip()),
        "note": raw["note"].map(lambda v: normalize(v).strip()) if "note" in raw else "",
    })
    for i, r in frame.iterrows():
        for col in ("old_group_code", "new_group_code"):
            if not r[col]:
                problems.append(Problem(
                    "error", where, int(i) + 2, GROUP_CROSSWALK.column(col).label_vi,
                    "Ô mã tổ dân phố đang trống.", "The group code is empty.", "empty_required"))
    dup = frame[frame.duplicated(["old_group_code", "new_group_code"], keep="first")]
    for i, r in dup.iterrows():
        problems.append(Problem(
            "error", where, int(i) + 2, GROUP_CROSSWALK.column("old_group_code").label_vi,
            f"Dòng {r['old_group_code']} → {r['new_group_code']} ghi hai lần; xóa dòng trùng.",
            f"The row {r['old_group_code']} → {r['new_group_code']} is listed twice; delete "
            "the duplicate.", "duplicate"))
    groups = (tables or {}).get("group_conferences")
    if groups is not None and not groups.empty:
        known = set(groups["group_code"].dropna())
        for i, r in frame[frame["new_group_code"].ne("")
                          & ~frame["new_group_code"].isin(known)].iterrows():
            problems.append(Problem(
                "error", where, int(i) + 2, GROUP_CROSSWALK.column("new_group_code").label_vi,
                f"Tổ mới '{r['new_group_code']}' không có trong bảng hội nghị tổ dân phố của "
                "năm; sửa mã cho khớp.",
                f"The new group '{r['new_group_code']}' is not in the year's group "
                "conferences; make the codes agree.", "unknown_group"))
    frame["note"] = frame["note"].replace("", pd.NA)
    return frame[frame["old_group_code"].ne("") & frame["new_group_code"].ne("")].reset_index(
        drop=True), problems, path


def load_all(data_dir: str | Path | None = None) -> dict[int, Dataset]:
    """Every year in data_dir, loaded and validated."""
    return {y: load(y, data_dir) for y in available_years(data_dir)}


def _empty(table: Table) -> pd.DataFrame:
    frame = pd.DataFrame({ROW: pd.Series(dtype="int64")})
    for col in table.columns:
        dtype = {"int": "Int64", "float": "Float64", "date": "datetime64[s]"}.get(col.dtype, "str")
        frame[col.name] = pd.Series(dtype=dtype)
    return frame


def _public(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """The schema's columns in order, counts as int64 once validated (no missing values)."""
    df = frame[[c for c in table.names if c in frame]].copy()
    if df.empty and len(df.columns) < len(table.names):
        df = _empty(table).drop(columns=[ROW])
    for col in table.columns:
        if col.dtype == "int" and col.required and df[col.name].notna().all():
            df[col.name] = df[col.name].astype("int64")
        if col.dtype == "date":
            df[col.name] = pd.to_datetime(df[col.name])
    optional_empty = [c.name for c in table.columns
                      if not c.required and c.name in df and df[c.name].isna().all()
                      and c.name in ("topic", "addressed_to", "status", "response",
                                     "staff_item")]
    return df.drop(columns=optional_empty).reset_index(drop=True)


def _published(reference: dict[str, pd.DataFrame], year: int) -> pd.DataFrame:
    pub = reference["published_totals"]
    return pub[pub["year"] == year].reset_index(drop=True)


def _windows(reference: dict[str, pd.DataFrame], year: int) -> dict[str, tuple[dt.date, dt.date]]:
    """The planned conference windows: published dates, else January–March of the year."""
    pub = _published(reference, year)
    fallback = {"to_dan_pho": (dt.date(year, 1, 1), dt.date(year, 2, 28)),
                "phuong": (dt.date(year, 3, 1), dt.date(year, 3, 31))}
    windows = {}
    for level, name in (("to_dan_pho", "group_conferences"), ("phuong", "ward_conferences")):
        row = pub[pub["level"] == level]
        if len(row) and pd.notna(row["period_start"].iloc[0]):
            windows[name] = (row["period_start"].iloc[0].date(), row["period_end"].iloc[0].date())
        else:
            windows[name] = fallback[level]
    return windows


def content_hash(files: list[Path]) -> str:
    """A short hash of the files' names and bytes: which data a report was built from."""
    h = hashlib.sha256()
    for path in sorted(files):
        h.update(path.name.encode())
        _hash_file(h, path)
    return h.hexdigest()[:12]


def file_sha256(path: Path) -> str:
    return _hash_file(hashlib.sha256(), path).hexdigest()


def _hash_file(h, path: Path):
    """`h` updated with the file's bytes, read in chunks (a city's opinions: 300 MB)."""
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            h.update(chunk)
    return h


def _read_metadata(folder: Path) -> dict:
    path = folder / METADATA_FILE
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}


def _is_synthetic(metadata: dict, folder: Path) -> bool:
    """Synthetic while any file the generator wrote is still there unchanged.

    Replacing the generated files with real ones (same names or not) turns the flag off
    with no code change; a mix of real and generated tables is still marked synthetic.
    """
    if not metadata.get("synthetic"):
        return False
    recorded = metadata.get("files")
    if not recorded:
        return True
    return any(
        (folder / name).exists() and file_sha256(folder / name) == digest
        for name, digest in recorded.items()
    )


def write_metadata(folder: Path, files: list[Path], **fields: object) -> Path:
    """Record dataset.json with the hashes of `files`, so `_is_synthetic` can tell later."""
    meta = dict(fields)
    meta["files"] = {p.name: file_sha256(p) for p in sorted(files)}
    path = folder / METADATA_FILE
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path

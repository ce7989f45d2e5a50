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
from pathlib import Path

import pandas as pd

from hbt_analysis import review_flags
from hbt_analysis.intake import Intake, read_files
from hbt_analysis.io import ROW, ReadError
from hbt_analysis.schema import (
    CROSSWALK_2025,
    PUBLISHED_TOTALS,
    WARDS,
    YEARLY_TABLES,
    Table,
)
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

    @property
    def units(self) -> dict[str, pd.DataFrame]:
        """The administrative units: the wards of 2023 and the 2025 crosswalk."""
        return {"wards": self.wards, "crosswalk_2025": self.crosswalk}

    def reconciliation(self) -> pd.DataFrame:
        """Published figures of the year beside the data's own (see validate.reconcile)."""
        return reconcile(self)

    def ward_name(self, ward_code: str | None) -> str:
        if ward_code is None:
            from hbt_analysis.units import area

            return area().whole()
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


def load_reference(data_dir: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """The published facts in data/reference/: wards, the 2025 crosswalk, published totals."""
    ref = reference_dir(data_dir)
    out: dict[str, pd.DataFrame] = {}
    for table, filename in ((WARDS, "wards_2023.csv"), (CROSSWALK_2025, "crosswalk_2025.csv"),
                            (PUBLISHED_TOTALS, "published_totals.csv")):
        path = ref / filename
        if not path.exists():
            raise ReadError(path, "thiếu tệp số liệu tham chiếu", "reference file missing")
        out[table.name] = _type_reference(_read_reference(path, path.stat().st_mtime), table)
    out["crosswalk"] = out["crosswalk_2025"]
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
        reference = load_reference(root)
        intake = read_files(year_files(folder), year, reference["wards"])
    except (ReadError, OSError):
        return None
    raw = intake.tables.get("group_conferences")
    if raw is None or raw.frame.empty or "ward_code" not in raw.frame:
        return None
    frame = raw.frame.dropna(subset=["ward_code"])
    codes = frame["group_code"] if "group_code" in frame else frame[ROW]
    return codes.groupby(frame["ward_code"].astype(str)).nunique().to_dict()


def load_files(
    files: list[Path], year: int, *, reference_dir: str | Path | None = None, strict: bool = True,
    previous: dict[str, int] | None = None,
) -> Dataset:
    """Load the tables held by `files` (a year's folder, one workbook, or a few CSVs)."""
    files = [Path(f) for f in files]
    folder = files[0].parent if files else Path(".")
    reference = load_reference(reference_dir)
    intake = read_files(files, year, reference["wards"])
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
        problems += check_year(typed, wheres, reference["wards"], _windows(reference, year))
        problems += check_coverage(typed, wheres, reference["wards"], previous, year - 1)
        problems += check_dates_year(typed, wheres, year)
    problems += review_flags.problems(folder)  # what `hbt import-minutes` left to check
    used = intake.paths
    metadata = _read_metadata(folder)
    if not metadata.get("synthetic"):
        metadata.pop("note_vi", None)
        metadata.pop("note_en", None)
    ds = Dataset(
        year=year,
        group_conferences=_public(typed["group_conferences"], YEARLY_TABLES["group_conferences"]),
        ward_conferences=_public(typed["ward_conferences"], YEARLY_TABLES["ward_conferences"]),
        opinions=_public(typed["opinions"], YEARLY_TABLES["opinions"]),
        wards=reference["wards"],
        crosswalk=reference["crosswalk_2025"],
        published=_published(reference, year),
        files=used,
        content_hash=content_hash(used),
        synthetic=_is_synthetic(metadata, folder),
        metadata=metadata,
    )
    ds.intake = intake
    if not errors_in(problems):
        problems += reconciliation_problems(
            ds.reconciliation(), "data/reference/published_totals.csv")
    ds.warnings = problems
    if strict and errors_in(problems):
        raise DataError(problems)
    return ds


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
                      and c.name in ("topic", "addressed_to", "status", "response")]
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
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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

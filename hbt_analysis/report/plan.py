"""What a report run will build: notebooks x scopes x years, checked before anything runs.

A plan is a flat list of `Report`s. Building it never starts a kernel: the notebooks'
`parameters` cells are read with papermill's `inspect_notebook`, and any parameter a
notebook does not declare is refused here, so a typo in a cron plan fails in a second
instead of after a batch of wrong reports.
"""

from __future__ import annotations

import ast
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import yaml

from hbt_analysis.units import UnknownWardError, fold_name, resolve_ward

# Notebooks that compare a year with the one before: planned only when a previous year exists.
NEEDS_PREVIOUS_YEAR = frozenset({"02_compare_years"})
# Notebooks run for each ward in the default plan (every notebook runs for the district).
WARD_NOTEBOOKS = frozenset({"00_overview", "01_attendance", "03_opinions", "02_compare_years"})

#: --ward words for the whole area, besides every area kind of the registry's kinds table
#: ('huyện', 'thành phố', …) alone or after 'toàn' ('toàn-huyện'): see whole_area_words.
WHOLE_AREA_WORDS = ("district", "area", "whole", "toàn địa bàn")
PLAN_KEYS = frozenset(
    {"years", "wards", "notebooks", "parameters", "output", "workers", "timeout", "keep",
     "lang", "data_dir", "exclusive", "pdf", "docx", "self_contained", "force", "scheduler",
     "dask"}
)


class PlanError(ValueError):
    """A plan that cannot run: bad year, ward, notebook or parameter (message vi + en)."""


@dataclass(frozen=True)
class YearInfo:
    """What the runner needs to know about one year's data, read once in the parent process."""

    year: int
    content_hash: str
    synthetic: bool
    wards: tuple[tuple[str, str], ...]  # (ward_code, ward_name), in data order
    has_previous_year: bool
    files: tuple[str, ...] = ()
    area: Any = None  # registry.Area of the year: scope names in titles and the index

    def ward_name(self, code: str | None) -> str | None:
        return None if code is None else dict(self.wards).get(code)


@dataclass(frozen=True)
class Report:
    """One notebook for one scope and year: the unit the pool executes and exports."""

    notebook: Path
    year: int
    ward_code: str | None
    ward_name: str | None
    parameters: dict[str, Any] = field(hash=False, compare=False)

    @property
    def stem(self) -> str:
        return self.notebook.stem

    @property
    def scope_dir(self) -> str:
        """Folder of the report inside the run: 'district' or the ward code."""
        return "district" if self.ward_code is None else self.ward_code

    @property
    def key(self) -> str:
        """Stable id of the report in a run: '<ward code>/03_opinions'."""
        return f"{self.scope_dir}/{self.stem}"


def default_notebooks_dir() -> Path:
    """`notebooks/` of the working directory, else the one beside the package (editable)."""
    here = Path.cwd() / "notebooks"
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[2] / "notebooks"


def list_notebooks(notebooks_dir: Path) -> list[Path]:
    """The runnable notebooks of a folder, in name order (checkpoints and hidden files skipped)."""
    return sorted(
        p for p in Path(notebooks_dir).glob("*.ipynb") if not p.name.startswith((".", "_"))
    )


def notebook_parameters(path: Path) -> set[str]:
    """Names a notebook declares in its `parameters` cell.

    papermill's `inspect_notebook` is asked first; its line pattern misses some annotations
    (`ward: str | None = None` is "Unable to parse"), so the cell is also read with `ast` and
    the two are merged: a declared parameter is never refused because of how it is annotated.
    """
    import logging

    from papermill.inspection import inspect_notebook

    logger = logging.getLogger("papermill")
    level = logger.level
    logger.setLevel(logging.ERROR)  # its "Unable to parse line" warnings are handled below
    try:
        names = set(inspect_notebook(str(path)))
    finally:
        logger.setLevel(level)
    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                break
            for node in tree.body:
                if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                    names.add(node.target.id)
                elif isinstance(node, ast.Assign):
                    names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            break
    return names


def notebook_imports(path: Path) -> list[str]:
    """Top-level modules a notebook imports, so a warm kernel can import them before reports."""
    nb = nbformat.read(str(path), as_version=4)
    names: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(
            line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!"))
        )
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.append(node.module)
    return list(dict.fromkeys(names))


_VI_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = {"\u0300": 1, "\u0301": 2, "\u0309": 3, "\u0303": 4, "\u0323": 5}  # à á ả ã ạ


def vi_sort_key(text: str) -> tuple:
    """Vietnamese dictionary order: letters first (a < ă < â < b ... d < đ), tones second."""
    letters, tones = [], []
    for ch in unicodedata.normalize("NFC", text.lower()):
        parts = unicodedata.normalize("NFD", ch)
        tones.append(next((_TONES[c] for c in parts if c in _TONES), 0))
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        letters.append(_VI_ALPHABET.index(base) if base in _VI_ALPHABET else 100 + ord(base[0]))
    return tuple(letters), tuple(tones)


def whole_area_words() -> frozenset[str]:
    """The words (folded) that mean the whole area in --ward: the generic ones and each kind
    of area ('huyện', 'toàn huyện', 'thành phố', …) from the registry's kinds."""
    from hbt_analysis.registry import area_kinds

    kinds = area_kinds()
    words = [*WHOLE_AREA_WORDS, *kinds, *(f"toàn {k}" for k in kinds)]
    return frozenset(fold_name(w) for w in words)


def resolve_wards(requested: Iterable[str], info: YearInfo) -> list[str | None]:
    """Ward arguments -> scopes (None = district). Accepts codes, names, 'all', 'district'."""
    scopes: list[str | None] = []
    codes = [code for code, _ in info.wards]
    for raw in requested:
        for item in str(raw).split(","):
            word = item.strip()
            if not word:
                continue
            folded = fold_name(word)
            if folded in {"all", "tat-ca", "tat ca"}:
                scopes += [None, *codes]
            elif folded.replace("-", " ").replace("_", " ") in whole_area_words():
                scopes.append(None)
            else:
                try:
                    scopes.append(resolve_ward(word, info.wards, info.year))
                except UnknownWardError as exc:
                    raise PlanError(
                        str(UnknownWardError(word, info.wards, info.year,
                                             hint=" (hoặc / or 'district', 'all')"))
                    ) from exc
    return list(dict.fromkeys(scopes))


def resolve_notebooks(requested: Iterable[str] | None, notebooks_dir: Path) -> list[Path]:
    """Notebook arguments (stem, file name or path) -> notebook paths; all of them if none."""
    available = list_notebooks(notebooks_dir)
    if not requested:
        if not available:
            raise PlanError(
                f"Không tìm thấy notebook nào trong {notebooks_dir} "
                f"/ no notebook in {notebooks_dir}"
            )
        return available
    by_stem = {p.stem: p for p in available}
    chosen: list[Path] = []
    for raw in requested:
        for item in str(raw).split(","):
            word = item.strip()
            if not word:
                continue
            path = Path(word)
            if path.suffix == ".ipynb" and path.is_file():
                chosen.append(path.resolve())
            elif path.stem in by_stem:
                chosen.append(by_stem[path.stem])
            else:
                matches = [p for stem, p in by_stem.items() if stem.startswith(word)]
                if len(matches) != 1:
                    raise PlanError(
                        f"Không có notebook '{word}' / no notebook '{word}'. "
                        f"Có / available: {', '.join(sorted(by_stem)) or '—'}"
                    )
                chosen.append(matches[0])
    return list(dict.fromkeys(chosen))


def build_plan(
    infos: Mapping[int, YearInfo],
    notebooks: list[Path],
    wards: Iterable[str] | None = None,
    extra_parameters: Mapping[str, Any] | None = None,
    explicit_notebooks: bool = False,
) -> list[Report]:
    """Reports for each year: the default plan, or the wards/notebooks asked for.

    Default (no wards given): every notebook for the district, and the ward notebooks for each
    ward; notebooks that compare with the previous year only when that year's data exists.
    Notebooks named explicitly run for every requested scope (still not without a previous year).
    """
    extra = dict(extra_parameters or {})
    reports: list[Report] = []
    for year, info in sorted(infos.items()):
        scopes = resolve_wards(wards, info) if wards else [None, *[c for c, _ in info.wards]]
        for scope in scopes:
            for nb in notebooks:
                if nb.stem in NEEDS_PREVIOUS_YEAR and not info.has_previous_year:
                    continue
                if scope is not None and not explicit_notebooks and nb.stem not in WARD_NOTEBOOKS:
                    continue
                params = {"year": year, "ward": scope, **extra}
                reports.append(Report(nb, year, scope, info.ward_name(scope), params))
    return reports


def check_parameters(reports: Iterable[Report]) -> None:
    """Refuse any parameter a notebook does not declare, listing every problem at once."""
    declared: dict[Path, set[str]] = {}
    problems: list[str] = []
    for report in reports:
        if report.notebook not in declared:
            try:
                declared[report.notebook] = set(notebook_parameters(report.notebook))
            except Exception as exc:  # unreadable notebook: say which one
                raise PlanError(
                    f"Không đọc được notebook {report.notebook} / cannot read it: {exc}"
                ) from exc
        unknown = sorted(set(report.parameters) - declared[report.notebook])
        message = (
            f"{report.notebook.name}: tham số không có trong ô 'parameters' / "
            f"parameter(s) not in its 'parameters' cell: {', '.join(unknown)} "
            f"(có / declared: {', '.join(sorted(declared[report.notebook])) or '—'})"
        )
        if unknown and message not in problems:
            problems.append(message)
    if problems:
        raise PlanError("\n".join(problems))


def read_plan_file(path: Path) -> dict[str, Any]:
    """A YAML plan for scheduled runs; unknown keys are refused (a typo must not be ignored).

    Example::

        years: [2023, 2024]        # or one year; default: the latest year with data
        wards: all                 # 'all', 'district', or a list of codes / names
        notebooks: [00_overview, 01_attendance]
        parameters: {lang: vi}     # injected into every notebook (must be declared there)
        keep: 10
    """
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise PlanError(f"Không đọc được kế hoạch {path} / cannot read plan: {exc}") from exc
    if not isinstance(data, dict):
        raise PlanError(f"Kế hoạch {path} phải là một bảng khoá: giá trị / plan must be a mapping")
    unknown = sorted(set(data) - PLAN_KEYS)
    if unknown:
        raise PlanError(
            f"Khoá không hợp lệ trong {path} / unknown key(s): {', '.join(unknown)} "
            f"(hợp lệ / valid: {', '.join(sorted(PLAN_KEYS))})"
        )
    for key in ("years", "wards", "notebooks"):
        if key in data and not isinstance(data[key], list):
            data[key] = [data[key]]
    if "parameters" in data and not isinstance(data["parameters"], dict):
        raise PlanError("'parameters' phải là một bảng tên: giá trị / must be a mapping")
    return data


def parse_years(values: Iterable[Any]) -> list[int]:
    """'2023', '2022,2023' or 2023 -> [2022, 2023]; a clear error for anything else."""
    years: list[int] = []
    for value in values:
        for item in str(value).split(","):
            item = item.strip()
            if not item:
                continue
            if not item.isdigit() or len(item) != 4:
                raise PlanError(f"Năm không hợp lệ '{item}' / invalid year '{item}'")
            years.append(int(item))
    return sorted(set(years))


def parse_parameter(text: str) -> tuple[str, Any]:
    """'name=value' (value read as YAML: 3, true, null, 'x') -> (name, value)."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip().isidentifier():
        raise PlanError(f"Tham số phải có dạng tên=giá_trị / parameter must be name=value: {text}")
    return name.strip(), yaml.safe_load(value) if value.strip() else None

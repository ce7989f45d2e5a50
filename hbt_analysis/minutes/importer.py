"""A folder of minutes to the year's tables, the review workbook and the flags.

`import_folder(folder, year)` reads every Word document (`.doc` through LibreOffice), maps
wards and groups to codes, and builds `group_conferences`, `ward_conferences` and `opinions`
in the project's format, one review row per document, and the flags a person must check
(missing attendance, attended > invited, a printed rate that disagrees, two documents for
one group, a group the registry does not know, a document that cannot be read). Nothing is
guessed: a figure that is not written stays empty, so `hbt validate` names it too.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from hbt_analysis.minutes.flags import Flag, flag
from hbt_analysis.minutes.reader import Reading, read_document
from hbt_analysis.minutes.units import WardResolver, resolver_from_reference
from hbt_analysis.minutes.wordfile import WordFileError, convert_to_docx, sniff

DOC_SUFFIXES = (".docx", ".docm", ".dotx", ".doc", ".rtf", ".odt")


def collect_documents(folder: Path | str, recursive: bool = True) -> list[Path]:
    """The Word documents in a folder (sub-folders too), without Word's lock files."""
    folder = Path(folder)
    pattern = "**/*" if recursive else "*"
    return sorted(
        p for p in folder.glob(pattern)
        if p.is_file() and p.suffix.lower() in DOC_SUFFIXES
        and not p.name.startswith(("~$", "."))
        and not any(part.startswith(".") for part in p.relative_to(folder).parts[:-1])
    )


def read_folder_documents(
    paths: Iterable[Path], resolver: WardResolver | None = None,
    progress: Callable[[Path], None] | None = None,
) -> list[Reading]:
    """Read documents; old formats are converted by one LibreOffice run for all of them."""
    paths = list(paths)
    resolver = resolver or resolver_from_reference()
    old = [p for p in paths if sniff(p) in ("doc", "rtf", "odt", "docm")]
    tmp = Path(tempfile.mkdtemp(prefix="hbt-minutes-"))
    try:
        converted = convert_to_docx(old, tmp) if old else {}
        out = []
        for p in paths:
            if progress:
                progress(p)
            conv = converted.get(p)
            if isinstance(conv, WordFileError):
                r = Reading(p, kind="unreadable")
                r.flags.append(flag("unreadable", reason_vi=conv.message_vi,
                                    reason_en=conv.message_en))
                out.append(r)
                continue
            out.append(read_document(p, resolver, converted=conv))
        return out
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@dataclass
class ImportResult:
    """What a folder gave: the tables, the documents' review rows and the flags."""

    year: int
    readings: list[Reading]
    group_conferences: pd.DataFrame
    ward_conferences: pd.DataFrame
    opinions: pd.DataFrame
    flags: list[tuple[Reading | None, Flag, dict]] = field(default_factory=list)

    @property
    def synthetic(self) -> bool:
        return bool(self.readings) and any(r.synthetic for r in self.readings)


# --- building the tables ----------------------------------------------------------------

KIND_LABELS = {
    "minutes": ("Biên bản hội nghị tổ dân phố", "Residential-group minutes"),
    "ward_minutes": ("Biên bản hội nghị phường", "Ward-conference minutes"),
    "ward_summary": ("Tổng hợp ý kiến của phường", "Ward summary of opinions"),
    "unreadable": ("Không đọc được", "Unreadable"),
}


def infer_year(readings: list[Reading]) -> int | None:
    """The year most documents were held in (None when no document has a date)."""
    years = [r.date.year for r in readings if r.date is not None]
    if not years:
        return None
    return max(set(years), key=lambda y: (years.count(y), y))


def build(readings: list[Reading], year: int,
          registry: dict[str, set[str]] | None = None) -> ImportResult:
    """The year's tables from the documents read, and every flag a person must check."""
    flags: list[tuple[Reading | None, Flag, dict]] = [(r, f, {}) for r in readings for f in r.flags]
    groups_rows, ward_rows, opinion_rows = [], [], []
    by_group: dict[str, list[Reading]] = {}
    by_ward_minutes: dict[str, list[Reading]] = {}
    for r in readings:
        if r.date is not None and r.date.year != year:
            flags.append((r, flag("date_other_year", date=f"{r.date:%d/%m/%Y}", year=year), {}))
        if r.kind == "minutes":
            code = r.group_code
            if code:
                by_group.setdefault(code, []).append(r)
            groups_rows.append({
                "year": year, "ward_code": r.ward_code, "ward_name": r.ward_name,
                "group_code": code,
                "group_name": f"Tổ dân phố số {r.group}" if r.group else None,
                "conference_date": r.date, "households_invited": r.invited,
                "households_attended": r.attended, "opinions_count": len(r.opinions),
                "notes": f"Biên bản: {r.file}",
            })
            for k, op in enumerate(r.opinions, start=1):
                opinion_rows.append(_opinion_row(
                    year, "to_dan_pho", r, op, f"{year}-{code or r.path.stem}-{k:02d}", code))
        elif r.kind == "ward_minutes":
            by_ward_minutes.setdefault(r.ward_code or r.file, []).append(r)
            ward_rows.append({
                "year": year, "ward_code": r.ward_code, "ward_name": r.ward_name,
                "conference_date": r.date, "households_invited": r.invited,
                "households_attended": r.attended, "opinions_count": len(r.opinions),
            })
            for k, op in enumerate(r.opinions, start=1):
                opinion_rows.append(_opinion_row(
                    year, "phuong", r, op, f"{year}-{r.ward_code or r.path.stem}-P{k:02d}", None))
        elif r.kind == "ward_summary":
            keys = summary_keys(r)
            for k, (op, key) in enumerate(zip(r.opinions, keys, strict=True), start=1):
                opinion_rows.append(_opinion_row(
                    year, "phuong", r, op, f"{year}-{r.ward_code or r.path.stem}-TH{k:02d}",
                    None) | {"staff_item": key})
            if any(keys):
                r.notes.append(
                    f"số thứ tự của {len(keys)} kiến nghị trong bản tổng hợp ghi vào cột "
                    f"staff_item ({keys[0]} …); ý kiến của các tổ không được gán số: bản tổng "
                    "hợp chỉ nêu tên tổ, không nêu ý kiến nào của tổ / the summary's numbers of "
                    f"its {len(keys)} requests are kept in staff_item ({keys[0]} …); the groups' "
                    "opinions get none: the summary names the groups, not which of their "
                    "opinions")
            elif r.opinions and any(op.number for op in r.opinions) and not r.ward_code:
                r.notes.append(
                    "không nhận ra bản tổng hợp của phường nào, nên số thứ tự các kiến nghị "
                    "không ghi vào cột staff_item (số của hai phường sẽ lẫn nhau) / the "
                    "summary's ward is unknown, so its request numbers are not kept in "
                    "staff_item (two wards' numbers would mix)")
            elif r.opinions and any(op.number for op in r.opinions):
                r.notes.append(
                    "số thứ tự trong bản tổng hợp thiếu ở một số kiến nghị hoặc trùng nhau, nên "
                    "không ghi vào cột staff_item / the summary's numbers are missing on some "
                    "requests or repeat, so none is kept in staff_item")
    for code, docs in by_group.items():
        if len(docs) > 1:
            for r in docs:
                flags.append((r, flag("duplicate_group", count=len(docs), group_code=code,
                                      files=", ".join(d.file for d in docs)), {}))
    for ward, docs in by_ward_minutes.items():
        if len(docs) > 1:
            for r in docs:
                flags.append((r, flag("duplicate_ward_minutes", count=len(docs),
                                      ward=docs[0].ward_name or ward,
                                      files=", ".join(d.file for d in docs)), {}))
    if registry:
        for code, docs in by_group.items():
            ward = docs[0].ward_code
            known = registry.get(ward or "")
            if known and code not in known:
                shown = ", ".join(sorted(c.split("-")[-1] for c in known)[:40])
                for r in docs:
                    flags.append((r, flag("group_not_in_registry", group_code=code,
                                          ward=r.ward_name, known=shown), {}))
    _summary_checks(readings, flags)
    seen: dict[str, int] = {}
    for row in opinion_rows:  # two documents for one unit: their opinions keep their own ids
        n = seen[row["opinion_id"]] = seen.get(row["opinion_id"], 0) + 1
        if n > 1:
            row["opinion_id"] += "abcdefghijklmnopqrstuvwxyz"[min(n - 1, 25)]
    ward_counts: dict[str, int] = {}
    for row in opinion_rows:
        if row["level"] == "phuong" and row["ward_code"]:
            ward_counts[row["ward_code"]] = ward_counts.get(row["ward_code"], 0) + 1
    for row in ward_rows:  # the ward's opinions: its conference's and its summary's
        if row["ward_code"] in ward_counts and ward_counts[row["ward_code"]] != row[
                "opinions_count"]:
            own = row["opinions_count"]
            row["opinions_count"] = ward_counts[row["ward_code"]]
            for r in by_ward_minutes.get(row["ward_code"], []):
                r.notes.append(
                    f"số ý kiến cấp phường {row['opinions_count']} = {own} của hội nghị phường "
                    f"+ {row['opinions_count'] - own} của bản tổng hợp / ward-level opinions "
                    f"{row['opinions_count']} = {own} from the ward conference + "
                    f"{row['opinions_count'] - own} from the ward summary")
    return ImportResult(
        year, readings,
        _frame(groups_rows, GROUP_COLUMNS), _frame(ward_rows, WARD_COLUMNS),
        _frame(opinion_rows, OPINION_COLUMNS), flags)


GROUP_COLUMNS = ("year", "ward_code", "ward_name", "group_code", "group_name",
                 "conference_date", "households_invited", "households_attended",
                 "opinions_count", "notes")
WARD_COLUMNS = ("year", "ward_code", "ward_name", "conference_date", "households_invited",
                "households_attended", "opinions_count")
OPINION_COLUMNS = ("opinion_id", "year", "level", "ward_code", "group_code", "text",
                   "addressed_to", "response", "source_document", "source_groups",
                   "staff_item")


def summary_keys(reading: Reading) -> list[str | None]:
    """The staff key (schema column staff_item) of each request a ward summary carries: the
    number it prints before the request, after the ward's code so that two wards' request
    1 stay apart ("<ward code>-3"); where the numbers start again under each field, the
    field says which ("<ward code>-3 (giao thông)"). None for all when the summary does
    not number its requests, or numbers them ambiguously, or its ward is unknown: nothing
    is made up.

    Only the summary's own rows are keyed. It names the groups that raised a request
    (source_groups), not which of their opinions: keying a group's opinion would present
    the machine's guess as the office's grouping, so the link from a request to the groups'
    opinions stays the machine's, among the groups named (linking.py)."""
    ops = reading.opinions
    # "01" is 1, as staff type it again ("2.01" is 2.1)
    numbers = [".".join(str(int(p)) for p in op.number.split(".")) if op.number else ""
               for op in ops]
    if not ops or not reading.ward_code or not all(numbers):
        return [None] * len(ops)
    if len(set(numbers)) == len(numbers):
        return [f"{reading.ward_code}-{n}" for n in numbers]
    from hbt_analysis.minutes.tables import field_name

    fields = [field_name(" ".join(op.heading.split()))[:40].rstrip(" ,;:") for op in ops]
    if all(fields) and len(set(zip(fields, numbers, strict=True))) == len(numbers):
        return [f"{reading.ward_code}-{n} ({f})" for n, f in zip(numbers, fields, strict=True)]
    return [None] * len(ops)


def _opinion_row(year: int, level: str, r: Reading, op, opinion_id: str,
                 code: str | None) -> dict:
    from hbt_analysis.minutes.units import group_code as make_code

    groups = ""
    if op.groups and r.ward_code:
        codes = []
        for g in op.groups:
            digits = "".join(ch for ch in g if ch.isdigit())
            suffix = "".join(ch for ch in g if ch.isalpha())
            if digits:
                codes.append(make_code(r.ward_code, int(digits), suffix))
        groups = ";".join(codes)
    return {
        "opinion_id": opinion_id, "year": year, "level": level, "ward_code": r.ward_code,
        "group_code": code, "text": op.text, "addressed_to": op.addressed_to or None,
        "response": op.response or None, "source_document": r.file,
        "source_groups": groups or None,
    }


def _frame(rows: list[dict], columns: tuple[str, ...]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=list(columns))
    for col in ("households_invited", "households_attended", "opinions_count", "year"):
        if col in df:
            df[col] = df[col].astype("Int64")
    if "conference_date" in df:
        df["conference_date"] = pd.to_datetime(df["conference_date"])
    return df


def _summary_checks(readings: list[Reading], flags: list) -> None:
    """A ward summary's totals against the group minutes of that ward read in the same run."""
    for s in readings:
        if s.kind != "ward_summary" or not s.ward_code:
            continue
        groups = [r for r in readings if r.kind == "minutes" and r.ward_code == s.ward_code]
        held = re.match(r"(\d+)", s.groups_held or "")
        if not groups or held is None or int(held.group(1)) != len(groups):
            if groups:
                s.notes.append(f"tổng hợp ghi {s.groups_held or '?'} tổ, đọc được biên bản của "
                               f"{len(groups)} tổ: chưa đối chiếu tổng số / the summary counts "
                               f"{s.groups_held or '?'} groups, {len(groups)} groups' minutes "
                               "were read: totals not compared")
            continue
        for what, attr in (("số hộ được mời / invited", "invited"),
                           ("số hộ có mặt / attended", "attended")):
            summary_value = getattr(s, attr)
            values = [getattr(r, attr) for r in groups]
            if summary_value is None or any(v is None for v in values):
                continue
            if sum(values) != summary_value:
                flags.append((s, flag("summary_totals_differ", what=what,
                                      summary=summary_value, minutes=sum(values),
                                      n=len(groups)), {}))


# --- the whole path ---------------------------------------------------------------------

def import_folder(folder: Path | str, year: int | None = None, *,
                  data_dir: Path | str | None = None,
                  progress: Callable[[Path], None] | None = None) -> ImportResult:
    """Read a folder of documents into the year's tables (nothing is written)."""
    from hbt_analysis.minutes.units import known_groups

    folder = Path(folder)
    paths = collect_documents(folder)
    resolver = resolver_from_reference(data_dir, year)
    readings = read_folder_documents(paths, resolver, progress)
    if year is None:
        year = infer_year(readings)
        if year is None:
            raise ImportRefused(
                "không biết năm của các biên bản (không đọc được ngày họp nào); thêm --year NĂM",
                "cannot tell the minutes' year (no meeting date could be read); add --year YEAR")
        in_force = resolver_from_reference(data_dir, year)
        if in_force.names != resolver.names:  # a year with other wards (after a merger)
            readings = read_folder_documents(paths, in_force, progress)
    return build(readings, year, known_groups(data_dir))


class ImportRefused(Exception):
    """The import cannot go on (no documents, output already there): what to do instead."""

    def __init__(self, message_vi: str, message_en: str):
        self.message_vi, self.message_en = message_vi, message_en
        super().__init__(f"{message_vi} / {message_en}")


OUTPUT_FILES = ("group_conferences.csv", "ward_conferences.csv", "opinions.csv",
                "dataset.json", "review_flags.csv", "kiem_tra_bien_ban.xlsx")


def existing_output(folder: Path) -> list[Path]:
    """Files in a year folder that an import would replace (tables in any format too)."""
    from hbt_analysis.dataset import _table_files

    if not folder.is_dir():
        return []
    found = {p for p in _table_files(folder)} | {
        folder / n for n in OUTPUT_FILES if (folder / n).exists()}
    return sorted(found)


def write(result: ImportResult, data_root: Path | str, *, force: bool = False,
          reference_from: Path | str | None = None) -> list[Path]:
    """Write the year's tables, flags and review workbook to data_root/<year>/.

    Refuses when the folder already holds data, unless `force`: then the old files are moved
    to a dated backup folder inside it first, so no earlier output is ever lost. A new data
    folder gets a copy of the reference facts (`reference_from`/reference, default the
    project's), so `hbt validate` and `hbt report` work on it as on data/.
    """
    import datetime as dt

    from hbt_analysis import review_flags
    from hbt_analysis.dataset import write_metadata
    from hbt_analysis.minutes.review import write_review

    folder = Path(data_root) / str(result.year)
    old = existing_output(folder)
    if old and not force:
        raise ImportRefused(
            f"thư mục {folder} đã có dữ liệu ({', '.join(p.name for p in old[:4])}); chọn thư "
            "mục khác bằng --out, hoặc thêm --force để ghi đè (tệp cũ được chuyển vào thư mục "
            "sao lưu)",
            f"{folder} already holds data ({', '.join(p.name for p in old[:4])}); choose "
            "another folder with --out, or add --force to replace it (the old files are moved "
            "to a backup folder)")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    staging = Path(data_root) / f".import-{result.year}-{stamp}"
    staging.mkdir(parents=True, exist_ok=False)
    try:
        tables = [_write_csv(result.group_conferences, staging / "group_conferences.csv")]
        if len(result.ward_conferences):
            tables.append(_write_csv(result.ward_conferences, staging / "ward_conferences.csv"))
        tables.append(_write_csv(result.opinions, staging / "opinions.csv"))
        review_flags.write(staging / review_flags.FILE_NAME, _flag_rows(result))
        write_review(result, staging / "kiem_tra_bien_ban.xlsx")
        meta = {"year": result.year, "source": "hbt import-minutes",
                "documents": len(result.readings), "synthetic": result.synthetic}
        if result.synthetic:
            from hbt_analysis.synth import NOTE_EN, NOTE_VI

            meta |= {"note_vi": NOTE_VI + " Đọc lại từ biên bản Word do bộ tạo dữ liệu viết.",
                     "note_en": NOTE_EN + " Read back from Word minutes the generator wrote."}
        write_metadata(staging, tables, **meta)
        folder.mkdir(parents=True, exist_ok=True)
        _copy_reference(Path(data_root), reference_from)
        if old:
            backup = folder / f".sao-luu-{stamp}"
            backup.mkdir()
            for p in old:
                p.rename(backup / p.name)
        written = []
        for p in sorted(staging.iterdir()):
            target = folder / p.name
            p.replace(target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _copy_reference(data_root: Path, reference_from: Path | str | None) -> None:
    from hbt_analysis.dataset import REFERENCE_DIR, default_data_dir

    target = data_root / REFERENCE_DIR
    source = Path(reference_from or default_data_dir()) / REFERENCE_DIR
    if target.exists() or not source.is_dir() or target.resolve() == source.resolve():
        return
    shutil.copytree(source, target)


def _write_csv(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False, encoding="utf-8", date_format="%Y-%m-%d",
                 lineterminator="\n")
    return path


def _flag_rows(result: ImportResult) -> list[dict]:
    rows = []
    for reading, f, _ in result.flags:
        rows.append({
            "document": reading.file if reading else "",
            "ward_code": reading.ward_code if reading else "",
            "group_code": reading.group_code if reading else "",
            "flag": f.code, "severity": f.severity,
            "message_vi": f.message_vi, "message_en": f.message_en, "checked": "",
        })
    return rows

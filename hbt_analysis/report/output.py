"""The run folder on disk: temporary while building, renamed into place, `latest`, pruning.

Layout: `<output>/<year>/<run-id>/` with `index.html`, `manifest.json`, and per report
`<scope>/<notebook>.html` (only when it succeeded) and `<scope>/<notebook>.ipynb` (always).
A run is built in `<output>/<year>/.tmp-<run-id>/` and renamed when complete, so a reader
never sees half a run. Run ids are a UTC timestamp plus a random suffix (unique even for
two runs started in the same second). The `latest` pointer and pruning are changed only under
a per-year file lock, and `latest` moves only when every report of the run succeeded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import secrets
import shutil
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import jinja2

from hbt_analysis import __version__
from hbt_analysis.fmt import fmt_int, fmt_num

from .export import TEMPLATES_DIR, default_area, format_timestamp, scope_label, synthetic_note
from .plan import vi_sort_key

RUN_ID_RE = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{6}$")
LATEST = "latest"
LATEST_TXT = "latest.txt"
POINTER_LOCK = ".pointer.lock"
RUN_LOCK = ".run.lock"

INDEX_TEXT = {
    "vi": {
        "title": "Hội nghị đại biểu Nhân dân — {area} — năm {year}",
        "lead": "Mỗi ô là một phạm vi báo cáo: số liệu chính và các báo cáo của phạm vi đó.",
        "summary": "{ok}/{total} báo cáo thành công",
        "failed_count": "{n} báo cáo lỗi (không xuất HTML)",
        "report": "Báo cáo", "status": "Trạng thái", "duration": "Thời gian",
        "notebook_file": "Notebook đã chạy", "ok": "Thành công", "failed": "Lỗi",
        "cell": "ô số {n}", "seconds": "{} giây",
        "run_id": "Mã lượt chạy", "started": "Bắt đầu", "finished": "Kết thúc",
        "elapsed": "Tổng thời gian", "version": "Phiên bản hbt-analysis",
        "hash": "Mã băm dữ liệu", "params": "Tham số chung", "workers": "Số tiến trình",
        "technical": "Chi tiết kỹ thuật",
        "technical_hint": "thời gian chạy, tệp .ipynb, danh sách rà soát dữ liệu cá nhân",
        "technical_title": "Chi tiết kỹ thuật của lượt chạy — năm {year}",
        "back": "← Trang chính", "review": "Danh sách rà soát dữ liệu cá nhân",
        "review_hint": "mọi ý kiến các báo cáo hiển thị, nguyên văn và đã che: xem trước khi "
                       "gửi báo cáo ra ngoài", "manifest": "Tệp kê khai (manifest.json)",
        "wards": "Các phường", "word": "Báo cáo Word", "pdf": "PDF",
        "not_built": "chưa có",
        "reused": "{n}/{total} báo cáo dùng lại từ lượt chạy trước (dữ liệu, notebook, tham số "
                  "và phiên bản không đổi)",
        "ran": "{ran} báo cáo chạy lại",
        "reused_from": "dùng lại từ lượt {run}",
    },
    "en": {
        "title": "People's representative conferences — {area} — {year}",
        "lead": "Each box is one scope: its headline figures and its reports.",
        "summary": "{ok}/{total} reports succeeded",
        "failed_count": "{n} failed (no HTML exported)",
        "report": "Report", "status": "Status", "duration": "Time",
        "notebook_file": "Executed notebook", "ok": "Succeeded", "failed": "Failed",
        "cell": "cell {n}", "seconds": "{} s",
        "run_id": "Run id", "started": "Started", "finished": "Finished",
        "elapsed": "Total time", "version": "hbt-analysis version",
        "hash": "Data hash", "params": "Common parameters", "workers": "Workers",
        "technical": "Technical details",
        "technical_hint": "durations, .ipynb files, the personal-data review list",
        "technical_title": "Technical details of the run — {year}",
        "back": "← Main page", "review": "Personal-data review list",
        "review_hint": "every opinion the reports show, as written and as shown: check it "
                       "before reports leave the office", "manifest": "Manifest (manifest.json)",
        "wards": "Wards", "word": "Word report", "pdf": "PDF", "not_built": "not built",
        "reused": "{n}/{total} reports reused from an earlier run (data, notebook, parameters "
                  "and version unchanged)",
        "ran": "{ran} executed",
        "reused_from": "reused from run {run}",
    },
}
TECHNICAL_PAGE = "ky_thuat.html"
#: Short names of the notebooks on the landing page's links.
SHORT_NAMES = {
    "00_overview": ("Tóm tắt", "Brief"), "01_attendance": ("Tham dự", "Attendance"),
    "02_compare_years": ("So sánh", "Comparison"), "03_opinions": ("Ý kiến", "Opinions"),
}


@dataclass
class ReportError:
    """Why a report failed: kind (exception, timeout, kernel_died, worker_died, export,
    internal), the error's name and message, and the cell (numbered as a person counts)."""

    kind: str
    ename: str
    evalue: str = ""
    cell_index: int | None = None
    cell_number: int | None = None
    execution_count: int | None = None
    traceback: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ReportError | None:
        if not data:
            return None
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ReportRow:
    """One report of a run, as the manifest records it and the index shows it."""

    key: str
    notebook: str
    title: str
    year: int
    ward_code: str | None
    ward_name: str | None
    status: str
    ipynb: str
    parameters: dict[str, Any] = field(default_factory=dict)
    started: str | None = None
    duration_s: float = 0.0
    worker: int | None = None
    html: str | None = None
    error: ReportError | None = None
    plotly_js: int | None = None
    bundle: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    pdf: str | None = None
    scope: str | None = None  # 'Phường Bạch Mai', from the unit registry when the run began
    input_key: str | None = None  # reuse.input_key: the same key, the same report
    reused_from: str | None = None  # the run that executed it, when copied from there

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def stem(self) -> str:
        return Path(self.notebook).stem

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReportRow:
        known = {f.name for f in fields(cls)}
        row = {k: v for k, v in data.items() if k in known}
        row["error"] = ReportError.from_dict(data.get("error"))
        return cls(**row)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["error"] = self.error.to_dict() if self.error else None
        return out


def new_run_id(now: dt.datetime | None = None) -> str:
    """'20261127T214501Z-3fa9c2': sorts by time, unique across simultaneous runs."""
    now = now or dt.datetime.now(dt.UTC)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def make_temp_run_dir(year_dir: Path, run_id: str) -> Path:
    """The private folder a run writes into before it is renamed into place."""
    year_dir.mkdir(parents=True, exist_ok=True)
    tmp = year_dir / f".tmp-{run_id}"
    tmp.mkdir()  # fails if it exists: never share a folder with another run
    return tmp


def publish_run_dir(tmp: Path, run_id: str) -> Path:
    """Rename the finished run into place (atomic on one file system)."""
    final = tmp.parent / run_id
    os.rename(tmp, final)
    return final


def error_text(error: ReportError | dict[str, Any] | None, lang: str = "vi") -> str:
    """'ô số 5: ValueError: ...' for the index (traceback stays in the manifest)."""
    if isinstance(error, dict):
        error = ReportError.from_dict(error)
    if not error:
        return ""
    t = INDEX_TEXT.get(lang, INDEX_TEXT["vi"])
    where = t["cell"].format(n=error.cell_number) + ": " if error.cell_number else ""
    evalue = str(error.evalue or "")
    if len(evalue) > 400:
        evalue = evalue[:400] + "…"
    return f"{where}{error.ename}: {evalue}"


def write_manifest(run_dir: Path, manifest: dict[str, Any]) -> None:
    path = run_dir / "manifest.json"
    tmp = path.with_suffix(".json.part")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                              autoescape=True, keep_trailing_newline=True)


def _groups(rows: list[ReportRow], lang: str, year: int | None = None) -> list[dict[str, Any]]:
    """Reports grouped by scope: the whole area first, then wards in Vietnamese order; each
    scope named as the run recorded it (the unit registry's words)."""
    area = default_area(year) if year is not None else None
    groups: dict[str | None, dict[str, Any]] = {}
    for r in rows:
        group = groups.setdefault(r.ward_code, {
            "code": r.ward_code,
            "label": r.scope or scope_label(r.ward_code, r.ward_name, lang, area),
            "sort": (0, ()) if r.ward_code is None
            else (1, vi_sort_key(r.ward_name or r.ward_code)),
            "reports": [],
        })
        group["reports"].append(r)
    return sorted(groups.values(), key=lambda g: g["sort"])


def _footer(manifest: dict[str, Any], t: dict[str, str], lang: str) -> list[tuple[str, str]]:
    started = dt.datetime.fromisoformat(manifest["started"])
    finished = dt.datetime.fromisoformat(manifest["finished"])
    return [
        (t["run_id"], manifest["run_id"]),
        (t["started"], format_timestamp(started)),
        (t["finished"], format_timestamp(finished)),
        (t["elapsed"], t["seconds"].format(fmt_num(manifest["elapsed_s"], 1, lang))),
        (t["version"], manifest["package_version"]),
        (t["hash"], manifest["data"]["content_hash"]),
        (t["params"], ", ".join(f"{k}={v!r}" for k, v in manifest["parameters"].items()) or "—"),
        (t["workers"], fmt_int(manifest["workers"], lang)),
    ]


def render_technical(manifest: dict[str, Any], lang: str = "vi") -> str:
    """The technical page: every report with its status, duration and executed notebook,
    the run's details, and links to the review list and the manifest."""
    t = INDEX_TEXT.get(lang, INDEX_TEXT["vi"])
    rows = [ReportRow.from_dict(r) for r in manifest["reports"]]
    groups = _groups(rows, lang, manifest.get("year"))
    for group in groups:
        group["reports"] = [{
            "title": r.title, "html": r.html, "ipynb": r.ipynb, "ok": r.ok,
            "ipynb_name": Path(r.ipynb).name, "error_text": error_text(r.error, lang),
            "duration_text": t["seconds"].format(fmt_num(r.duration_s, 1, lang)),
            "reused_text": t["reused_from"].format(run=r.reused_from) if r.reused_from else "",
        } for r in group["reports"]]
    n_total, n_ok = len(rows), sum(r.ok for r in rows)
    review = manifest.get("review_list") or []
    return _env().get_template("technical.html.j2").render(
        lang=lang, t=t, year=manifest["year"], groups=groups, footer=_footer(manifest, t, lang),
        n_failed=n_total - n_ok, n_ok_text=fmt_int(n_ok, lang),
        n_total_text=fmt_int(n_total, lang), n_failed_text=fmt_int(n_total - n_ok, lang),
        review=review, css=landing_css(), reused_text=_reused_text(rows, t, lang),
    )


def render_index(manifest: dict[str, Any], lang: str = "vi",
                 figures: dict[str | None, list[Any]] | None = None) -> str:
    """index.html, a landing page: each scope with its headline figures (brief.cards) and
    links to its reports; the technical details behind one link."""
    t = dict(INDEX_TEXT.get(lang, INDEX_TEXT["vi"]))
    units = (manifest.get("area_units") or {}).get(lang)
    if units:  # the area's own units: 'Các xã, thị trấn' under a huyện
        t["wards"] = f"Các {units}" if lang == "vi" else units[:1].upper() + units[1:]
    rows = [ReportRow.from_dict(r) for r in manifest["reports"]]
    figures = figures or {}
    groups = []
    area = (manifest.get("area") or {}).get(lang) or ""
    for group in _groups(rows, lang, manifest.get("year")):
        links = []
        for r in sorted(group["reports"], key=lambda r: r.stem):
            short = SHORT_NAMES.get(r.stem, (r.stem, r.stem))[0 if lang == "vi" else 1]
            links.append({"text": short, "href": r.html, "ok": r.ok, "pdf": r.pdf})
        docs = [d for d in manifest.get("documents", []) if d.get("ward_code") == group["code"]]
        cards = figures.get(group["code"], [])  # a ward's box: its two first figures (phone)
        groups.append({**group, "links": links, "cards": cards[:4] if group["code"] is None
                       else cards[:2],
                       "docs": docs})
    n_total, n_ok = len(rows), sum(r.ok for r in rows)
    title_text, body_text = synthetic_note(lang)
    return _env().get_template("index.html.j2").render(
        lang=lang, t=t, year=manifest["year"], groups=groups,
        title=t["title"].format(area=area, year=manifest["year"]).replace(" —  — ", " — "),
        n_failed=n_total - n_ok, n_ok_text=fmt_int(n_ok, lang),
        n_total_text=fmt_int(n_total, lang), n_failed_text=fmt_int(n_total - n_ok, lang),
        synthetic=manifest["data"]["synthetic"], synthetic_title=title_text,
        synthetic_note=body_text, technical=TECHNICAL_PAGE, css=landing_css(),
        made=format_timestamp(dt.datetime.fromisoformat(manifest["finished"])),
        reused_text=_reused_text(rows, t, lang),
    )


def _reused_text(rows: list[ReportRow], t: dict[str, str], lang: str) -> str:
    """'70/76 báo cáo dùng lại từ lượt chạy trước …; 6 báo cáo chạy lại', or ''."""
    n = sum(r.reused_from is not None for r in rows)
    if not n:
        return ""
    text = t["reused"].format(n=fmt_int(n, lang), total=fmt_int(len(rows), lang))
    if len(rows) > n:
        text += "; " + t["ran"].format(ran=fmt_int(len(rows) - n, lang))
    return text


def landing_css() -> str:
    return (TEMPLATES_DIR / "landing.css").read_text(encoding="utf-8")


def write_index(run_dir: Path, manifest: dict[str, Any], lang: str = "vi",
                figures: dict[str | None, list[Any]] | None = None) -> Path:
    """index.html (the landing page) and ky_thuat.html (the technical page)."""
    (run_dir / TECHNICAL_PAGE).write_text(render_technical(manifest, lang), encoding="utf-8")
    path = run_dir / "index.html"
    path.write_text(render_index(manifest, lang, figures), encoding="utf-8")
    return path


def read_latest(year_dir: Path) -> str | None:
    """The run id `latest` points to (symlink first, then latest.txt)."""
    link = year_dir / LATEST
    if link.is_symlink():
        return Path(os.readlink(link)).name
    txt = year_dir / LATEST_TXT
    if txt.is_file():
        return txt.read_text(encoding="utf-8").strip() or None
    return None


def point_latest(year_dir: Path, run_id: str) -> None:
    """Move `latest` (symlink, and latest.txt for systems without symlinks) atomically."""
    txt = year_dir / LATEST_TXT
    tmp_txt = year_dir / f".{LATEST_TXT}.{run_id}"
    tmp_txt.write_text(run_id + "\n", encoding="utf-8")
    os.replace(tmp_txt, txt)
    tmp_link = year_dir / f".{LATEST}.{run_id}"
    # No symlinks on some Windows setups: latest.txt is then enough.
    with contextlib.suppress(OSError):
        if tmp_link.is_symlink():
            tmp_link.unlink()
        os.symlink(run_id, tmp_link, target_is_directory=True)
        os.replace(tmp_link, year_dir / LATEST)


def list_runs(year_dir: Path) -> list[str]:
    """Finished run folders of a year, oldest first."""
    if not year_dir.is_dir():
        return []
    return sorted(p.name for p in year_dir.iterdir() if p.is_dir() and RUN_ID_RE.match(p.name)
                  and not p.is_symlink())


def prune_runs(year_dir: Path, keep: int) -> list[str]:
    """Delete all but the `keep` newest runs; never the one `latest` points to. Returns removed."""
    if keep is None or keep <= 0:
        return []
    runs = list_runs(year_dir)
    protected = {read_latest(year_dir)}
    removed = []
    for run_id in runs[:-keep] if len(runs) > keep else []:
        if run_id in protected:
            continue
        shutil.rmtree(year_dir / run_id, ignore_errors=True)
        removed.append(run_id)
    # Folders of runs killed before they finished (kill -9, power cut): gone after a day.
    day_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    for tmp in year_dir.glob(".tmp-*"):
        run_id = tmp.name.removeprefix(".tmp-")
        if RUN_ID_RE.match(run_id) and _run_time(run_id) < day_ago:
            shutil.rmtree(tmp, ignore_errors=True)
    return removed


def _run_time(run_id: str) -> dt.datetime:
    return dt.datetime.strptime(run_id[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)


def _area_titles(area: Any) -> dict[str, str]:
    """The area's title for the index, e.g. {'vi': 'huyện Hòa Mỹ', 'en': 'Hòa Mỹ district'}."""
    if area is None:
        return {"vi": "", "en": ""}
    return {"vi": area.title("vi"), "en": area.title("en")}


def base_manifest(run_id: str, year: int, started: dt.datetime, info: Any,
                  parameters: dict[str, Any], workers: int, kernel: str) -> dict[str, Any]:
    area = getattr(info, "area", None) or default_area(year)
    return {
        "run_id": run_id,
        "year": year,
        "package": "hbt-analysis",
        "package_version": __version__,
        "started": started.isoformat(),
        "finished": None,
        "elapsed_s": None,
        "workers": workers,
        "kernel": kernel,
        "parameters": parameters,
        "area": _area_titles(area),
        "area_units": None if area is None else {"vi": area.units("vi"), "en": area.units("en")},
        "data": {"content_hash": info.content_hash, "synthetic": info.synthetic,
                 "files": list(info.files)},
        "status": "running",
        "reports": [],
    }

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
from pathlib import Path
from typing import Any

import jinja2

from hbt_analysis import __version__
from hbt_analysis.fmt import fmt_int, fmt_num

from .export import SYNTHETIC_NOTE, TEMPLATES_DIR, default_area, format_timestamp, scope_label
from .plan import vi_sort_key

RUN_ID_RE = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{6}$")
LATEST = "latest"
LATEST_TXT = "latest.txt"
POINTER_LOCK = ".pointer.lock"
RUN_LOCK = ".run.lock"

INDEX_TEXT = {
    "vi": {
        "title": "Báo cáo Hội nghị đại biểu Nhân dân {area}",
        "subtitle": "Danh sách báo cáo của lượt chạy",
        "summary": "{ok}/{total} báo cáo thành công",
        "failed_count": "{n} báo cáo lỗi (không xuất HTML)",
        "report": "Báo cáo", "status": "Trạng thái", "duration": "Thời gian",
        "notebook_file": "Notebook đã chạy", "ok": "Thành công", "failed": "Lỗi",
        "cell": "ô số {n}", "seconds": "{} giây",
        "run_id": "Mã lượt chạy", "started": "Bắt đầu", "finished": "Kết thúc",
        "elapsed": "Tổng thời gian", "version": "Phiên bản hbt-analysis",
        "hash": "Mã băm dữ liệu", "params": "Tham số chung", "workers": "Số tiến trình",
    },
    "en": {
        "title": "Reports of the people's representative conferences, {area}",
        "subtitle": "Reports of this run",
        "summary": "{ok}/{total} reports succeeded",
        "failed_count": "{n} failed (no HTML exported)",
        "report": "Report", "status": "Status", "duration": "Time",
        "notebook_file": "Executed notebook", "ok": "Succeeded", "failed": "Failed",
        "cell": "cell {n}", "seconds": "{} s",
        "run_id": "Run id", "started": "Started", "finished": "Finished",
        "elapsed": "Total time", "version": "hbt-analysis version",
        "hash": "Data hash", "params": "Common parameters", "workers": "Workers",
    },
}


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


def error_text(error: dict[str, Any] | None, lang: str = "vi") -> str:
    """'ô số 5: ValueError: ...' for the index (traceback stays in the manifest)."""
    if not error:
        return ""
    t = INDEX_TEXT.get(lang, INDEX_TEXT["vi"])
    where = t["cell"].format(n=error["cell_number"]) + ": " if error.get("cell_number") else ""
    evalue = str(error.get("evalue") or "")
    if len(evalue) > 400:
        evalue = evalue[:400] + "…"
    return f"{where}{error.get('ename')}: {evalue}"


def write_manifest(run_dir: Path, manifest: dict[str, Any]) -> None:
    path = run_dir / "manifest.json"
    tmp = path.with_suffix(".json.part")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)


def render_index(manifest: dict[str, Any], lang: str = "vi") -> str:
    """index.html: reports grouped by scope (district first, then wards by name), with status."""
    t = dict(INDEX_TEXT.get(lang, INDEX_TEXT["vi"]))
    area = (manifest.get("area") or {}).get(lang, "")
    t["title"] = t["title"].format(area=area).rstrip(", ").strip()
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True, keep_trailing_newline=True,
    )
    groups: dict[str | None, dict[str, Any]] = {}
    for r in manifest["reports"]:
        group = groups.setdefault(r["ward_code"], {
            "label": r.get("scope") or scope_label(r["ward_code"], r["ward_name"], lang,
                                                   default_area(manifest["year"])),
            "sort": (0, ()) if r["ward_code"] is None
            else (1, vi_sort_key(r["ward_name"] or r["ward_code"])),
            "reports": [],
        })
        group["reports"].append({
            **r,
            "error_text": error_text(r.get("error"), lang),
            "duration_text": t["seconds"].format(fmt_num(r["duration_s"], 1, lang)),
            "ipynb_name": Path(r["ipynb"]).name,
        })
    ordered = sorted(groups.values(), key=lambda g: g["sort"])
    n_total = len(manifest["reports"])
    n_ok = sum(r["status"] == "ok" for r in manifest["reports"])
    started = dt.datetime.fromisoformat(manifest["started"])
    finished = dt.datetime.fromisoformat(manifest["finished"])
    footer = [
        (t["run_id"], manifest["run_id"]),
        (t["started"], format_timestamp(started)),
        (t["finished"], format_timestamp(finished)),
        (t["elapsed"], t["seconds"].format(fmt_num(manifest["elapsed_s"], 1, lang))),
        (t["version"], manifest["package_version"]),
        (t["hash"], manifest["data"]["content_hash"]),
        (t["params"], ", ".join(f"{k}={v!r}" for k, v in manifest["parameters"].items()) or "—"),
        (t["workers"], fmt_int(manifest["workers"], lang)),
    ]
    return env.get_template("index.html.j2").render(
        lang=lang, t=t, year=manifest["year"], groups=ordered, footer=footer,
        n_failed=n_total - n_ok, n_ok_text=fmt_int(n_ok, lang), n_total_text=fmt_int(n_total, lang),
        n_failed_text=fmt_int(n_total - n_ok, lang),
        synthetic=manifest["data"]["synthetic"],
        synthetic_note=SYNTHETIC_NOTE.get(lang, SYNTHETIC_NOTE["vi"]),
    )


def write_index(run_dir: Path, manifest: dict[str, Any], lang: str = "vi") -> Path:
    path = run_dir / "index.html"
    path.write_text(render_index(manifest, lang), encoding="utf-8")
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
    """The area's title for the index, e.g. {'vi': 'quận Hai Bà Trưng', 'en': '...'}."""
    if area is None:
        return {"vi": "", "en": ""}
    return {"vi": area.title("vi"), "en": area.title("en")}


def base_manifest(run_id: str, year: int, started: dt.datetime, info: Any,
                  parameters: dict[str, Any], workers: int, kernel: str) -> dict[str, Any]:
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
        "area": _area_titles(getattr(info, "area", None) or default_area(year)),
        "data": {"content_hash": info.content_hash, "synthetic": info.synthetic,
                 "files": list(info.files)},
        "status": "running",
        "reports": [],
    }

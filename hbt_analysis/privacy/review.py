"""The review list a person checks before reports leave the office.

After a report run, every opinion a report shows (found by its text in the executed
notebook's outputs, as redacted or, if someone turned redaction off, as written) becomes one
row: the report, the opinion, its verbatim text, the text as shown, what was removed (with
kinds) and the spans the tool was unsure of. Written beside the reports as CSV and XLSX.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from . import KIND_LABELS, scan

#: File name (without extension) of the review list in a run folder.
REVIEW_NAME = "ra_soat_du_lieu_ca_nhan"
COLUMNS = {
    "report": "Báo cáo",
    "opinion_id": "Mã ý kiến",
    "ward_code": "Mã phường",
    "shown_as": "Hiển thị",
    "verbatim": "Nguyên văn",
    "redacted": "Đã che",
    "removed": "Đã che những gì",
    "unsure": "Cần xem lại (công cụ không chắc)",
}
_SCRIPT = re.compile(r"<script\b.*?</script>|<style\b.*?</style>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def _flat(text: str) -> str:
    return " ".join(text.split())


def shown_text(notebook_path: Path) -> str:
    """Everything an executed notebook's report shows a reader (its outputs), as plain
    text: the cells tagged for analysts (labels.ANALYST_TAG) are not in the report."""
    import nbformat

    from hbt_analysis.labels import ANALYST_TAG

    nb = nbformat.read(str(notebook_path), as_version=4)
    parts: list[str] = []
    for cell in nb.cells:
        if ANALYST_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        if cell.cell_type == "markdown":
            parts.append(cell.source)
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                page = "".join(data["text/html"]) if isinstance(data["text/html"], list) \
                    else data["text/html"]
                parts.append(html.unescape(_TAG.sub(" ", _SCRIPT.sub(" ", page))))
            elif "text/markdown" in data:
                parts.append(html.unescape(str(data["text/markdown"])))
            elif "text/plain" in data:
                parts.append(str(data["text/plain"]))
            elif output.get("output_type") == "stream":
                parts.append(str(output.get("text", "")))
    return _flat(" ".join(parts))


def describe(findings: Iterable) -> str:
    """ "họ tên: Nguyễn Văn An; số điện thoại: 0912 345 678" """
    return "; ".join(f"{KIND_LABELS.get(f.kind, f.kind)}: {f.text}" for f in findings)


_OPENING = 50  # characters: a page that shortens an opinion shows at least its opening


def _opening_in(text: str, shown: str) -> bool:
    return len(text) > _OPENING and f"{text[:_OPENING]}" in shown


def rows_for_report(report: str, opinions: pd.DataFrame, shown: str) -> list[dict]:
    """One row per opinion of `opinions` that `shown` (a report's visible text) contains."""
    rows = []
    for r in opinions[["opinion_id", "ward_code", "text"]].itertuples(index=False):
        if not isinstance(r.text, str) or not r.text.strip():
            continue
        s = scan(r.text)
        redacted = s.redacted
        # whole, or its first words where a page cuts it short ("… đề nghị: Nhiều ý kiến …")
        as_redacted = _flat(redacted) in shown or _opening_in(_flat(redacted), shown)
        as_written = _flat(s.text) in shown or (
            bool(s.found) and _opening_in(_flat(s.text), shown)
            and _flat(s.text)[:_OPENING] != _flat(redacted)[:_OPENING])
        if not (as_redacted or as_written):
            continue
        if as_written and s.found:
            shown_as = "nguyên văn, CHƯA che"
        elif s.found:
            shown_as = "đã che"
        else:
            shown_as = "nguyên văn (không có gì cần che)"
        rows.append({
            "report": report, "opinion_id": r.opinion_id, "ward_code": r.ward_code,
            "shown_as": shown_as, "verbatim": s.text, "redacted": redacted,
            "removed": describe(s.found),
            "unsure": "; ".join(f"{KIND_LABELS.get(f.kind, f.kind)}: {f.text} ({f.reason}, "
                                f"{'đã che' if f in s.found else 'giữ nguyên'})"
                                for f in s.unsure),
        })
    return rows


def review_frame(reports: Iterable[tuple[str, str | None, Path]],
                 opinions: pd.DataFrame) -> pd.DataFrame:
    """The review list for `reports` ((key, ward code or None, executed notebook path))."""
    rows: list[dict] = []
    for key, ward, notebook in reports:
        scoped = opinions if ward is None else opinions[opinions["ward_code"] == ward]
        rows += rows_for_report(key, scoped, shown_text(notebook))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def write_review(frame: pd.DataFrame, folder: Path) -> list[Path]:
    """`frame` as CSV (UTF-8 with BOM, for Excel) and XLSX in `folder`, Vietnamese headers."""
    folder.mkdir(parents=True, exist_ok=True)
    shown = frame.rename(columns=COLUMNS)
    csv_path = folder / f"{REVIEW_NAME}.csv"
    shown.to_csv(csv_path, index=False, encoding="utf-8-sig")
    xlsx_path = folder / f"{REVIEW_NAME}.xlsx"
    with pd.ExcelWriter(xlsx_path, engine="openpyxl") as writer:
        shown.to_excel(writer, index=False, sheet_name="Rà soát")
        sheet = writer.sheets["Rà soát"]
        widths = {"A": 20, "B": 24, "C": 10, "D": 26, "E": 60, "F": 60, "G": 40, "H": 40}
        from openpyxl.styles import Alignment, Font

        for col, width in widths.items():
            sheet.column_dimensions[col].width = width
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.page_setup.orientation = "landscape"  # printed: every column on the page
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = "1:1"
        sheet.auto_filter.ref = sheet.dimensions
    return [csv_path, xlsx_path]


def write_for_run(run_dir: Path, year: int, reports: Iterable[tuple[str, str | None, Path]],
                  data_dir: Path | None = None) -> list[Path]:
    """Load the year's opinions and write the review list of a run folder."""
    from hbt_analysis import load

    opinions = load(year, data_dir).opinions
    return write_review(review_frame(list(reports), opinions), run_dir)

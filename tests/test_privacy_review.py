"""A person checks what is shared: the review list beside every run, the switch that shows
no opinion verbatim, and the note that says redaction is automatic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from hbt_analysis import brief, privacy
from hbt_analysis import opinions as op
from hbt_analysis.privacy import review
from hbt_analysis.scope import resolve
from tests.conftest import needs_bundled_data
from tests.personal_data import visible_text
from tests.test_opinions import _frame

TEXT = "Ông Nguyễn Văn An (0912 345 678) ở số nhà 12 ngõ 45 phố Bạch Mai đề nghị sửa đèn"
OPINIONS = pd.DataFrame({
    "opinion_id": ["a", "b", "c", "d"], "ward_code": ["00241"] * 4,
    "text": [TEXT, "Hôm qua Hà My đến nhà văn hóa tổ 5 xin sửa đèn", "Đề nghị lát lại ngõ 12",
             "Không hiển thị ở đâu cả"],
})


def test_review_rows_list_what_a_report_shows_and_what_was_removed():
    shown = " ".join([privacy.redact(TEXT), privacy.redact(OPINIONS["text"][1]),
                      OPINIONS["text"][2]])
    rows = {r["opinion_id"]: r for r in review.rows_for_report("district/03", OPINIONS, shown)}
    assert set(rows) == {"a", "b", "c"}  # "d" is not shown anywhere
    a = rows["a"]
    assert a["verbatim"] == TEXT and a["redacted"] == privacy.redact(TEXT)
    assert a["shown_as"] == "đã che"
    assert "họ tên: Nguyễn Văn An" in a["removed"] and "0912 345 678" in a["removed"]
    assert "số nhà" in a["removed"]
    assert "Hà My" in rows["b"]["unsure"]  # the tagger's decision, for a person to check
    assert rows["c"]["removed"] == "" and rows["c"]["shown_as"].startswith("nguyên văn")


def test_review_flags_an_opinion_shown_unmasked():
    rows = review.rows_for_report("x", OPINIONS.iloc[:1], f"<p>{TEXT}</p>")
    assert rows[0]["shown_as"] == "nguyên văn, CHƯA che"


def test_review_list_is_written_as_csv_and_xlsx_with_vietnamese_headers(tmp_path):
    frame = pd.DataFrame(review.rows_for_report("district/03", OPINIONS,
                                                privacy.redact(TEXT)), columns=list(review.COLUMNS))
    csv_path, xlsx_path = review.write_review(frame, tmp_path)
    back = pd.read_csv(csv_path, encoding="utf-8-sig")
    assert list(back.columns) == list(review.COLUMNS.values())
    assert back.loc[0, "Nguyên văn"] == TEXT
    sheet = load_workbook(xlsx_path).active
    assert [c.value for c in sheet[1]] == list(review.COLUMNS.values())
    assert sheet["E2"].value == TEXT and sheet["F2"].value == privacy.redact(TEXT)


def test_no_verbatim_shows_topic_summaries_only():
    frame = pd.concat([_frame()] * 3, ignore_index=True)
    assert op.representative_opinions(frame, verbatim=False).empty
    assert op.search_results(frame, "rac thai", verbatim=False).empty
    assert "examples" not in op.themes(frame, k=3, verbatim=False).columns
    assert "examples" in op.themes(frame, k=3).columns
    scope = resolve(2023)
    full = brief.topics_bullet(scope, brief.BriefOptions())
    bare = brief.topics_bullet(scope, brief.BriefOptions(verbatim=False))
    wording = full.split("đề nghị:", 1)[1].strip(" …")[:40]  # the request as people wrote it
    assert wording and wording not in bare and "Ví dụ" not in bare
    assert "che tự động" in privacy.shown_note("vi")
    assert "không hiển thị nguyên văn" in privacy.shown_note("vi", verbatim=False).lower()
    assert "KHÔNG che" in privacy.shown_note("vi", redact=False)


def _run(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "reports"
    result = subprocess.run(
        [sys.executable, "-m", "hbt_analysis.cli", "report", "--year", "2023", "--ward",
         "00241", "--notebook", "03_opinions", "--notebook", "00_overview", "--output",
         str(out), "--keep", "0", "--workers", "2", *extra],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "ra_soat_du_lieu_ca_nhan.xlsx" in result.stderr  # the run says where the list is
    return (out / "2023" / "latest").resolve()


@pytest.mark.slow
@needs_bundled_data
def test_a_run_writes_the_review_list_and_no_verbatim_hides_every_opinion(tmp_path):
    from hbt_analysis import load

    texts = load(2023).opinions.query("ward_code == '00241'")["text"].dropna()
    run = _run(tmp_path / "with")
    listed = pd.read_csv(run / f"{review.REVIEW_NAME}.csv", encoding="utf-8-sig")
    assert (run / f"{review.REVIEW_NAME}.xlsx").exists()
    assert set(listed["Báo cáo"]) == {"00241/03_opinions", "00241/00_overview"}
    assert (listed["Hiển thị"] != "nguyên văn, CHƯA che").all()
    pages = {f"00241/{name}": visible_text((run / "00241" / f"{name}.html").read_text(
        encoding="utf-8")) for name in ("03_opinions", "00_overview")}
    for report, redacted in zip(listed["Báo cáo"], listed["Đã che"], strict=True):
        # what the list says was shown, was shown: whole, or its opening where cut short
        assert " ".join(redacted.split())[:50] in pages[report]
    assert "che tự động" in pages["00241/03_opinions"]

    run = _run(tmp_path / "without", "--no-verbatim")
    listed = pd.read_csv(run / f"{review.REVIEW_NAME}.csv", encoding="utf-8-sig")
    assert listed.empty
    for name in ("03_opinions", "00_overview"):
        page = visible_text((run / "00241" / f"{name}.html").read_text(encoding="utf-8"))
        shown = [t for t in texts if " ".join(privacy.redact(t).split()) in page]
        assert not shown, shown[:3]
        assert "không hiển thị nguyên văn ý kiến" in page.lower()

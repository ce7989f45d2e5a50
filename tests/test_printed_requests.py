"""The consolidated requests on paper (real headless Chromium, the PDF read back): on screen
each request is a closed fold, and a fold cannot be opened on paper, so the printout shows
each request's reason ("Vì sao gộp") and its first opinions, then how many more there are."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="/usr/bin/chromium absent (CI installs Debian's chromium)"),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils absent"),
]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_printed_requests_show_reason_and_a_few_opinions(tmp_path: Path) -> None:
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    from hbt_analysis import opinions as op
    from hbt_analysis.dataset import load
    from hbt_analysis.opinions.worklist import PRINTED_MEMBERS
    from hbt_analysis.report.export import ReportExporter
    from hbt_analysis.report.pdf import print_pdf

    ds = load(2023)
    requests = op.consolidated(ds, "00271", lang="vi").head(6)
    members = op.consolidated_members(ds, requests, per_item=op.MEMBERS_SHOWN)
    block = op.items_html(requests, members, n=6, lang="vi")
    assert "<details open" not in block  # on screen: one line each, folded
    cell = new_code_cell("")
    cell.outputs = [new_output("display_data", data={"text/html": str(block)})]
    page, _ = ReportExporter().export(new_notebook(cells=[cell]), title="Kiến nghị",
                                      subtitle="", footer=[], plotly="inline")
    path = tmp_path / "kien_nghi.html"
    path.write_text(page, encoding="utf-8")
    pdf = print_pdf(path, tmp_path / "kien_nghi.pdf", chromium=str(CHROMIUM))
    paper = flat(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                text=True, check=True).stdout)
    by_item = {k: v for k, v in members.groupby("item", sort=False)}
    long_seen = False
    for _, r in requests.iterrows():
        assert flat(f"Vì sao gộp: {r['reason']}") in paper
        texts = [flat(t) for t in by_item[r["item"]]["text"]]
        for t in texts[:PRINTED_MEMBERS]:
            assert t in paper, f"'{t[:50]}…' is not printed"
        rest = len(r["members"]) - PRINTED_MEMBERS
        if rest > 0:
            long_seen = True
            assert f"… và {rest} ý kiến khác" in paper
            # the fourth opinion stays on screen only (unless another request prints it)
            fourth = texts[PRINTED_MEMBERS]
            elsewhere = any(fourth in v["text"].map(flat).tolist()
                            for k, v in by_item.items() if k != r["item"])
            assert elsewhere or fourth not in paper, f"'{fourth[:50]}…' is printed"
    assert long_seen, "no request with more opinions than printed: the test shows nothing"
    assert "ý kiến khác của kiến nghị này" not in paper  # the screen's own 'more' line

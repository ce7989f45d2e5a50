"""Redaction measured on a corpus another author wrote, and its statistical step offline.

`tests/data/privacy_dev.jsonl` was written by an author who never saw the redaction code
(see tests/data/README.md); it was studied while the rules were written, so these tests
keep it at the issue's targets rather than measure the rules honestly (the lead scores a
held-out set with `python benchmarks/bench_privacy.py PATH`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hbt_analysis import privacy
from hbt_analysis.privacy import evaluate, ner

CORPUS = Path(__file__).parent / "data" / "privacy_dev.jsonl"
#: The same author's first held-out set: scored once (93,3% of personal items), then studied
#: while the weak kinds (bank, dob, passport, plate, tax) were built, so a development set now.
CORPUS_2 = Path(__file__).parent / "data" / "privacy_dev_2.jsonl"


@pytest.fixture(scope="module", params=[CORPUS, CORPUS_2], ids=lambda p: p.stem)
def scored(request):
    rows = evaluate.load(request.param)
    return rows, evaluate.score(rows)


def test_corpus_is_what_the_scoring_expects(scored):
    rows, s = scored
    assert len(rows) >= 250 and s["personal_items"] >= 250 and s["keep_items"] >= 200
    assert not s["items_not_in_text"]  # every marked item is in its text
    kinds = set(s["recall_by_kind"])
    assert {"name", "phone", "id", "house", "plate", "bank", "dob", "social", "passport",
            "tax"} <= kinds


def test_targets_on_the_other_authors_corpus(scored):
    _, s = scored
    assert s["recall"] >= 0.95, s["misses"][:10]
    for kind, v in s["recall_by_kind"].items():
        assert v["recall"] >= 0.85, (kind, [m for m in s["misses"] if m[1] == kind][:5])
    assert s["keep_rate"] >= 0.98, s["broken"][:10]


def test_scoring_counts_half_a_name_and_part_of_a_number_as_a_leak():
    text = "Ông Nguyễn Văn Dũng, SĐT 0912 348 761, ở ngõ 46 Lò Đúc"
    assert not evaluate.item_removed(text, "Ông Nguyễn Văn [họ tên], ...", "Nguyễn Văn Dũng",
                                     "name")
    assert not evaluate.item_removed(text, "SĐT [x] 348 761", "0912 348 761", "phone")
    assert evaluate.item_removed(text, privacy.redact(text), "Nguyễn Văn Dũng", "name")
    assert evaluate.item_kept(text, privacy.redact(text), "ngõ 46 Lò Đúc")
    assert evaluate.item_removed(text, text, "not in the text", "name") is None


def test_scoring_catches_a_redactor_that_does_nothing_or_everything():
    rows = evaluate.load(CORPUS)
    nothing = evaluate.score(rows, redact=lambda t: t)
    assert nothing["recall"] == 0 and nothing["keep_rate"] == 1
    everything = evaluate.score(rows, redact=lambda t: "[...]")
    assert everything["recall"] == 1 and everything["keep_rate"] == 0


def test_the_tagger_decides_what_the_rules_cannot():
    ner.cache_clear()
    privacy.cache_clear()
    s = privacy.scan("Hôm qua Hà My đến nhà văn hóa tổ 5 nhận quà.")
    assert ner.person_spans.cache_info().misses == 1  # the tagger was asked, once
    decided = s.found + s.doubts
    assert [f.text for f in decided] == ["Hà My"]
    assert all(not f.sure for f in decided)  # listed for a person to check
    # the rules alone decide a full name or an introduced one: no tagger call
    ner.cache_clear()
    privacy.scan("Ông Vũ Đức Minh và Nguyễn Thị Hạnh phản ánh")
    assert ner.person_spans.cache_info().misses == 0


@pytest.mark.skipif(not shutil.which("unshare"), reason="needs unshare for a network-less run")
def test_the_tagger_loads_and_runs_without_network(tmp_path):
    """A fresh process in its own network namespace (no network at all), an empty HOME."""
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("user namespaces are not allowed here")
    code = ("from hbt_analysis.privacy import ner, redact\n"
            "print(ner.person_spans('Hôm qua Hà My đến nhà văn hóa'))\n"
            "print(redact('Ông Nguyễn Văn An ở số nhà 12 ngõ 46 phố Lò Đúc'))\n")
    env = {k: v for k, v in os.environ.items() if "PROXY" not in k.upper()}
    env["HOME"] = str(tmp_path)
    out = subprocess.run(["unshare", "-rn", sys.executable, "-c", code], capture_output=True,
                         text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Ông [họ tên] ở [số nhà] ngõ 46 phố Lò Đúc" in out.stdout

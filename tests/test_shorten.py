"""A representative wording shortened for a one-line bullet (the brief's top request, the
worklist's first bullet) is cut at a word and never inside a redaction marker: the bundled
opinions that end in a contact ('Liên hệ: [số điện thoại]') lose the whole marker or keep it
whole, never '[số điện …'."""

from __future__ import annotations

import re

import pandas as pd

from hbt_analysis.opinions.display import shorten
from hbt_analysis.privacy import REPLACEMENTS, cut_before_marker, redact
from tests.conftest import DATA, needs_bundled_data

_MARKER = re.compile("|".join(re.escape(m) for m in REPLACEMENTS.values()))


def _old_rule(text: str, limit: int) -> str:
    """The cut before this fix: at a word, whatever the word."""
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _assert_no_split_marker(text: str, short: str) -> None:
    body = short.removesuffix(" …")
    assert text.startswith(body), (text, short)
    # every '[' of a marker in the kept part is closed: the markers kept are whole
    kept_markers = [m for m in _MARKER.finditer(text) if m.start() < len(body)]
    assert all(m.end() <= len(body) for m in kept_markers), short
    assert body.count("[") == body.count("]"), short


def test_a_cut_inside_a_contact_marker_leaves_the_marker_out():
    text = ("Đề nghị Công an phường chỉ đạo lắp thêm camera an ninh ở các ngõ. "
            "Liên hệ: [số điện thoại].")
    inside = text.index("điện") + 2  # the word cut would fall after '[số'
    assert cut_before_marker(text, text.index(" điện")) == text.index("[số")
    assert _old_rule(text, inside).endswith("[số …")  # what a reader saw before
    assert shorten(text, inside) == ("Đề nghị Công an phường chỉ đạo lắp thêm camera an ninh "
                                     "ở các ngõ. Liên hệ …")
    # a cut at the marker's very end drops its last word: the marker goes whole too
    assert shorten(text, len(text) - 1).endswith("ở các ngõ. Liên hệ …")
    assert shorten(text, len(text)) == text  # short enough: as it is


def test_a_marker_in_brackets_leaves_no_open_bracket():
    text = "Ông [họ tên] ([số điện thoại]) ở ngõ 45 phố Bạch Mai phản ánh đèn đường hỏng lâu."
    assert shorten(text, text.index("thoại")) == "Ông [họ tên] …"


def test_cuts_away_from_markers_are_as_before():
    text = ("Bà con phản ánh mỗi trận mưa lớn đường Lạc Trung ngập sâu 30–40 cm, nước tràn vào "
            "nhà dân. Mong UBND quận quan tâm, nạo vét cống, nâng cốt đường.")
    for limit in range(20, len(text)):
        assert shorten(text, limit) == _old_rule(text, limit)


@needs_bundled_data
def test_every_bundled_opinion_with_a_marker_shortened_at_every_length():
    ops = pd.read_csv(DATA / "2023" / "opinions.csv", dtype=str)
    texts = [redact(t) for t in ops["text"].dropna() if "Liên hệ" in t or "SĐT" in t]
    with_marker = [" ".join(t.split()) for t in texts if _MARKER.search(t)]
    assert len(with_marker) >= 10  # the bundled year has contacts to redact
    split_before = 0
    for text in with_marker:
        for limit in range(40, len(text)):
            short = shorten(text, limit)
            _assert_no_split_marker(text, short)
            old = _old_rule(text, limit)
            if old.count("[") == old.count("]"):
                assert short == old  # no marker split: the cut is the one it always was
            else:
                split_before += 1
                assert len(short) < len(old)
    assert split_before > 0  # the old rule did split them: this test can fail

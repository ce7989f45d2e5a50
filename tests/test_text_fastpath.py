"""`normalize_series`' Arrow scan (only the texts it flags go through Python) gives exactly
what the per-text path gives: on every bundled opinion, every test corpus, those texts
respelt (decomposed, second-vowel tones, stray spaces, zero-width characters), every Unicode
code point in a few contexts, and random text."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hbt_analysis import text as T
from hbt_analysis.text import normalize, normalize_series

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [*sorted((ROOT / "tests" / "data").glob("*opinions*.csv")),
           ROOT / "tests" / "data" / "redaction_cases.csv"]
BUNDLED = sorted((ROOT / "data").glob("20*/opinions.csv"))
SECOND_VOWEL = {v: k for k, v in T._TONE_MAP.items()}  # "hòa" -> "hoà"


def _per_text(values: list) -> list:
    return [v if not isinstance(v, str) else normalize(v) for v in values]


@pytest.fixture(autouse=True)
def _scan_small_series(monkeypatch):
    """Scan whatever the size (the package scans from 10.000 rows)."""
    monkeypatch.setattr(T, "_ARROW_SCAN_MIN", 1)


def _scanned(values: list) -> list:
    out = normalize_series(pd.Series(values, dtype="str"))
    assert isinstance(out.dtype, pd.StringDtype) and out.dtype.storage == "pyarrow"
    return [None if pd.isna(v) else v for v in out.tolist()]


def _respelt(text: str) -> list[str]:
    """The same opinion as other people's files spell it."""
    second = text
    for classic, other in SECOND_VOWEL.items():
        second = second.replace(classic, other)
    return [
        unicodedata.normalize("NFD", text), second, unicodedata.normalize("NFD", second),
        f"  {text} ", text.replace(" ", "  ", 3), text.replace(" ", "\t", 2),
        text.replace(" ", "\u00a0", 2), "\u200b" + text, text.replace(",", " ,", 2),
        text.replace(", ", ",", 2), text.upper(),
    ]


def _texts() -> list[str]:
    texts: list[str] = []
    for path in BUNDLED + CORPORA:
        texts += pd.read_csv(path, dtype=str)["text"].dropna().tolist()
    return texts


def test_the_corpora_are_there():
    assert len(BUNDLED) >= 3 and len(CORPORA) >= 5
    assert len(_texts()) > 5_000


def test_scan_matches_the_per_text_path_on_every_opinion_and_its_respellings():
    texts = _texts()
    every = texts + [r for t in texts[::3] for r in _respelt(t)] + [None, ""]
    assert _scanned(every) == _per_text(every)
    changed = sum(normalize(t) != t for t in every if t)
    assert changed > 10_000  # the respellings do exercise the rules


@pytest.mark.parametrize("context", ["a{}b", "{}", " o{} ", "ho{}", "u{}.", "{}\u0301"])
def test_scan_flags_every_text_normalize_would_change_whatever_the_character(context):
    """A text the scan lets through is one normalize() leaves as it is, for each of the
    1.1 M code points of this Python's Unicode in a few contexts."""
    texts = [context.format(chr(cp)) for cp in range(sys.maxunicode + 1)
             if not 0xD800 <= cp <= 0xDFFF]
    arr = pa.array(texts, type=pa.large_string())
    flagged = pc.match_substring_regex(arr, T._maybe_changed_pattern()).to_pylist()
    missed = [t for t, f in zip(texts, flagged, strict=True) if not f and T._normalize_one(t) != t]
    assert missed == []


ALPHABET = ("aàáảãạăắâầeèéẻẽẹêếiìíỉĩịoòóỏõọôốơờuùúủũụưừyỳýỷỹỵđĐqQOUAEY"
            "bcdghklmnpstvx \t\n\u00a0\u200b\ufeff\u00ad0123456789é東京한ñ각"
            "\u0300\u0301\u0303\u0309\u0323\u1161\u11a8,.;:!?()[]{}…-/")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=50), min_size=64, max_size=120))
def test_scan_matches_per_text_on_random_text(values):
    assert _scanned(values) == _per_text(values)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=50), min_size=64, max_size=120))
def test_scanned_series_is_idempotent_and_blind_to_nfd(values):
    once = _scanned(values)
    assert _scanned(once) == once
    assert _scanned([unicodedata.normalize("NFD", v) for v in values]) == \
        _scanned([unicodedata.normalize("NFC", v) for v in values])


def test_scan_keeps_index_name_and_missing_values():
    s = pd.Series(["Hoà  bình", None, "sức khoẻ"] * 40, dtype="str",
                  index=range(100, 220), name="text")
    out = normalize_series(s)
    assert out.index.equals(s.index) and out.name == "text" and out.dtype == s.dtype
    assert out.isna().sum() == 40 and out.iloc[0] == "Hòa bình" and out.iloc[2] == "sức khỏe"
    assert s.iloc[0] == "Hoà  bình"  # the input is not modified

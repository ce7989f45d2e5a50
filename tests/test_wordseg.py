"""wordseg (the faster segmenter) gives exactly what underthesea's word_tokenize gives: on
every bundled opinion and every test corpus, those texts respelt, numbers at the i32
limits, every character of the checked alphabet as a token, and texts in other scripts
(which take underthesea's own featurizer). Fails if another underthesea differs."""

from __future__ import annotations

import functools
import random
import sys
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from hbt_analysis import available_years, load, wordseg
from hbt_analysis import text as T

ROOT = Path(__file__).resolve().parents[1]
CORPORA = [*sorted((ROOT / "tests" / "data").glob("*opinions*.csv")),
           ROOT / "tests" / "data" / "redaction_cases.csv"]
FIXED = T._MODEL_FIXED_WORDS


@functools.cache
def _texts() -> list[str]:
    """Every opinion of every bundled year (whatever its file format) and test corpus."""
    texts = [t for y in available_years() for t in load(y).opinions["text"].dropna()]
    for path in CORPORA:
        texts += pd.read_csv(path, dtype=str)["text"].dropna().tolist()
    return list(dict.fromkeys(texts))


def _reference_words(norm: str) -> tuple[str, ...]:
    """text._tokenize as it was written on word_tokenize (before wordseg)."""
    out = []
    for w in wordseg.word_tokenize_reference(T._to_model_style(norm), FIXED):
        for part in T._split_on_fixed(T._from_model_style(w)):
            out.append(sys.intern(part.replace(" ", "_")))
    return tuple(out)


@pytest.fixture(scope="module")
def segmenter():
    seg = wordseg._segmenter(tuple(FIXED))
    assert seg is not None, "the fast path switched itself off: see the warning"
    return seg


def test_every_bundled_and_corpus_opinion_is_segmented_as_word_tokenize_does(segmenter):
    texts = _texts()
    assert len(available_years()) >= 5 and len(texts) > 7_000
    norms = [n for n in dict.fromkeys(T._normalize_one(t) for t in texts) if n]
    assert T._tokenize_many(norms) == [_reference_words(n) for n in norms]


def test_respelt_texts_numbers_and_odd_tokens_too(segmenter):
    rng = random.Random(12)
    texts = rng.sample(_texts(), 400)
    odd = [t.upper() for t in texts[:100]] + [t.lower() for t in texts[100:200]] + [
        "Số 2147483647, 2147483648, -2147483648, -2147483649, +12, -0, 007, 1.500.000đ, 3x4",
        "Nhà số 12A-3 (tầng 2) – 43H-0530; email a.b@c.vn; http://x.vn/a?b=1 :)) <3 ...",
        "H'Mông, N'Thôn Hạ, T.Ư, TP. HCM, v.v... -> ==> >> 10:20:50 02/05/2014 08-2014",
        "Ðề nghị ðường ÐT 5",  # the Icelandic eth underthesea rewrites to đ
        "İstanbul ǅemal ǈ ǋ ß ẞ ŉ ǰ ΐ ﬀ Σ", "a", ".", "1", "Đ",
        "  ", "x" * 300, " ".join(["vỉa hè lấn chiếm"] * 40),
    ]
    model = [T._to_model_style(T._normalize_one(t)) for t in odd]
    assert wordseg.tokenize_many(model, FIXED) == [
        wordseg.word_tokenize_reference(t, FIXED) for t in model]


def test_every_character_of_the_checked_alphabet_gives_the_rust_features(segmenter):
    """One token per character (alone, at a word's start, inside a word, two together):
    the Python feature strings equal underthesea_core's for every one of them."""
    lo_hi = [(0x21, 0x24F), (0x300, 0x36F), (0x1E00, 0x1EFF), (0x2000, 0x206F),
             (0x20A0, 0x20CF)]
    chars = [chr(c) for a, b in lo_hi for c in range(a, b + 1)
             if not chr(c).isspace() and unicodedata.category(chr(c)) != "Cc"
             and not wordseg._UNSAFE.search(chr(c))]
    assert len(chars) > 1_000
    for make in (lambda c: c, lambda c: c + "a", lambda c: "A" + c, lambda c: c + c):
        tokens = [make(c) for c in chars]
        for i in range(0, len(tokens), 200):  # several sentences: BOS / EOS at the ends
            chunk = tokens[i : i + 200]
            rust = segmenter.rust_featurizer.process([[[t] for t in chunk]])[0]
            assert [list(r) for r in segmenter.features(chunk)] == rust


def test_other_scripts_take_underthesea_s_own_featurizer():
    texts = ["Ξένος ΣΟΦΟΣ đề nghị", "Đường ƛ và ɤ, Ᲊ", "ƛ", "Привет мир, đề nghị sửa đường",
             "北京 tổ dân phố 5", "Đề nghị 👍 sửa đường", "ﬁx lỗi ﬂ"]
    assert all(wordseg._UNSAFE.search(t) for t in texts)
    assert wordseg.tokenize_many(texts, FIXED) == [
        wordseg.word_tokenize_reference(t, FIXED) for t in texts]


def test_a_segmenter_that_disagrees_is_switched_off(monkeypatch):
    """With another underthesea whose output differs, every text goes to word_tokenize."""
    wordseg._segmenter.cache_clear()
    monkeypatch.setattr(wordseg._Segmenter, "words", lambda self, text: ["?"])
    try:
        with pytest.warns(RuntimeWarning, match="differs from word_tokenize"):
            out = wordseg.tokenize_many(["Đề nghị sửa đường"], FIXED)
        assert out == [wordseg.word_tokenize_reference("Đề nghị sửa đường", FIXED)]
    finally:
        wordseg._segmenter.cache_clear()

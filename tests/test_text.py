"""Tests of Vietnamese normalisation, folding, abbreviations and segmentation."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hbt_analysis import text as T
from hbt_analysis.text import (
    STOPWORDS,
    content_words,
    expand_abbreviations,
    fold,
    normalize,
    normalize_series,
    segment,
)

# Letters that exercise the tone rules, plus punctuation, digits and other scripts.
VIET = "aàáảãạăắâầeèéẻẽẹêếiìíỉĩịoòóỏõọôốơờuùúủũụưừyỳýỷỹỵđĐqQOUAEY"
WORDS = (VIET + "bcdghklmnpstvx" + " \t\n\u00a0\u200b" + "0123456789" + "é東京한ñ"
         + "\u0300\u0301\u0303\u0309\u0323")  # decomposed tone marks (Windows-1258)
ALPHABET = WORDS + ",.;:!?()-/"

NEW_TO_OLD = [  # second-vowel style -> the one we keep
    ("hoà", "hòa"), ("hoá", "hóa"), ("hoả", "hỏa"), ("hoã", "hõa"), ("hoạ", "họa"),
    ("khoẻ", "khỏe"), ("xoè", "xòe"), ("loé", "lóe"), ("thuỷ", "thủy"), ("tuỳ", "tùy"),
    ("thuý", "thúy"), ("luỹ", "lũy"), ("khuỵ", "khụy"),
]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
@example("a\u200b\u0301")  # a zero-width character between a letter and its tone mark
@example("Oà\u0300")  # a second tone mark stacked on a vowel the tone rule would move
def test_normalize_is_idempotent(s):
    once = normalize(s)
    assert normalize(once) == once
    assert once == once.strip() and "  " not in once and "\n" not in once
    assert unicodedata.is_normalized("NFC", once)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(NEW_TO_OLD), min_size=1, max_size=6),
       st.sampled_from([" ", "  ", " \t", "\u00a0"]))
def test_equivalent_spellings_map_to_one_form(pairs, sep):
    new_style = sep.join(a for a, _ in pairs)
    old_style = " ".join(b for _, b in pairs)
    decomposed = unicodedata.normalize("NFD", new_style)
    assert normalize(new_style) == normalize(old_style) == normalize(decomposed) == old_style
    assert normalize(new_style.upper()) == old_style.upper()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=WORDS, max_size=60))
def test_fold_ignores_accents_spacing_and_case(s):
    assert fold(s) == fold(normalize(s)) == fold(fold(s))
    assert fold(s) == fold(s.upper())
    assert "  " not in fold(s)
    assert not any(unicodedata.combining(c) for c in fold(s))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Hoà bình, thuỷ lợi, khoẻ mạnh", "Hòa bình, thủy lợi, khỏe mạnh"),
        ("HOÀ GIẢI", "HÒA GIẢI"),
        ("quý, quỷ, Quỳnh, khuya", "quý, quỷ, Quỳnh, khuya"),  # "qu" is a consonant
        ("toàn, hoàn, thuyền, khuyến", "toàn, hoàn, thuyền, khuyến"),  # closed syllables
        ("rác   thải ,nhiều ;;lắm", "rác thải, nhiều; lắm"),
        ("( ngõ 45 )", "(ngõ 45)"),
        ("  \u200bsức khoẻ\n", "sức khỏe"),
    ],
)
def test_normalize_examples(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    "kept",
    [
        "Gọi 0912.345.678 hoặc +84 912 345 678 lúc 10:30",
        "Kinh phí 1,5 tỷ; 2.500.000 đồng",
        "email: to5.phuong@hanoi.gov.vn",
        "café naïve façade",
        "東京 한국어 Ελληνικά",
        "Ngõ 45/12 phố Bạch Mai",
    ],
)
def test_normalize_leaves_numbers_and_other_text_alone(kept):
    assert normalize(kept) == kept


def test_normalize_rejects_non_strings_clearly():
    with pytest.raises(TypeError, match="expects a str"):
        normalize(None)  # type: ignore[arg-type]


def test_normalize_series_keeps_missing_and_index():
    s = pd.Series(["hoà  bình", None, np.nan, "hoà  bình"], index=[10, 11, 12, 13], name="text")
    out = normalize_series(s)
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out.name == "text"
    assert out[10] == out[13] == "hòa bình"
    assert out.isna().tolist() == [False, True, True, False]


def test_fold_spec_examples():
    assert fold("rác  thải") == fold("rac thai") == fold("Rác thải") == "rac thai"
    assert fold("Đường Đại Cồ Việt") == "duong dai co viet"
    assert fold("hoà") == fold("hòa") == "hoa"


def test_expand_abbreviations():
    out = expand_abbreviations("UBND phường, TDP số 5, MTTQ, ATGT, ANTT, PCCC, VSMT, HĐND")
    assert out == (
        "ủy ban nhân dân phường, tổ dân phố số 5, mặt trận tổ quốc, an toàn giao thông, "
        "an ninh trật tự, phòng cháy chữa cháy, vệ sinh môi trường, hội đồng nhân dân"
    )
    assert expand_abbreviations("kiểm tra pccc") == "kiểm tra phòng cháy chữa cháy"
    # not inside words, and ambiguous short forms only when capitalised
    assert expand_abbreviations("TDPX và cap") == "TDPX và cap"


def test_stopwords_keep_words_that_matter():
    for word in ("nước", "nhà", "rác", "giờ", "sáng"):
        assert word not in STOPWORDS
    for word in ("của", "và", "đề nghị", "đề_nghị"):
        assert word in STOPWORDS


@pytest.fixture
def fresh_segment_cache(tmp_path, monkeypatch):
    """Segmentation with an empty memory cache and a disk cache in tmp_path."""
    monkeypatch.setenv("HBT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("HBT_NO_DISK_CACHE", raising=False)
    monkeypatch.setattr(T, "_DISK", T._DiskCache())
    T.forget_segmentations()
    yield tmp_path
    T.forget_segmentations()


def test_segment_keeps_domain_words(fresh_segment_cache):
    tokens = segment(
        "Đề nghị xử lý lấn chiếm vỉa hè, sửa đèn chiếu sáng trong khu dân cư "
        "và điểm trông giữ xe tự phát."
    )
    lowered = [t.lower() for t in tokens]
    for word in ("lấn_chiếm", "vỉa_hè", "chiếu_sáng", "khu_dân_cư", "trông_giữ"):
        assert any(word == t or t.endswith("_" + word) or t.startswith(word + "_")
                   for t in lowered), (word, tokens)
    for word in ("lấn_chiếm", "vỉa_hè", "khu_dân_cư"):
        assert word in lowered, (word, tokens)


def test_segment_same_token_for_both_tone_styles(fresh_segment_cache):
    a = segment("Chăm sóc sức khoẻ người cao tuổi")
    b = segment("Chăm sóc sức khỏe người cao tuổi")
    assert a == b
    assert "sức_khỏe" in [t.lower() for t in a]


def test_segment_is_cached_in_memory_and_on_disk(fresh_segment_cache):
    text = "Rác thải sinh hoạt tồn đọng ở đầu ngõ 92."
    before = T.SEGMENT_STATS["tokenized"]
    first = segment(text)
    assert T.SEGMENT_STATS["tokenized"] == before + 1
    assert segment(text) == first  # memory
    T.forget_segmentations()
    assert segment(text) == first  # disk
    assert T.SEGMENT_STATS["tokenized"] == before + 1
    assert (fresh_segment_cache / "segment.sqlite3").exists()
    many = T.segment_many([text, "Đèn chiếu sáng hỏng.", None])
    assert many[0] == first and many[2] == []
    assert T.SEGMENT_STATS["tokenized"] == before + 2


def test_content_words_drop_stopwords_and_punctuation(fresh_segment_cache):
    words = content_words("Đề nghị UBND phường xử lý rác thải và nước thải ở ngõ 12.")
    assert "đề_nghị" not in words and "và" not in words and "." not in words
    assert "rác_thải" in words and "nước_thải" in words
    assert all(w == w.lower() for w in words)


@pytest.mark.parametrize("dtype", ["str", "string", object])
def test_normalize_series_keeps_dtype_index_and_missing_values(dtype):
    s = pd.Series(["  hoà  bình ", None, "thuỷ"], index=[7, 8, 9], name="text", dtype=dtype)
    out = normalize_series(s)
    expected = pd.Series(["hòa bình", None, "thủy"], index=[7, 8, 9], name="text", dtype=dtype)
    pd.testing.assert_series_equal(out, expected)

"""Legacy Vietnamese encodings: the tables both ways, detection (and its restraint), real files."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hbt_analysis import legacy, legacy_codes
from hbt_analysis.legacy import (
    assess,
    assess_column,
    decode_bytes,
    detect,
    detect_column,
    encoding_of_font,
    from_unicode,
    is_capital_font,
    is_syllable,
    looks_garbled,
    repair,
    repair_column,
    to_unicode,
)

TONES = "\u0301\u0300\u0309\u0303\u0323"  # sắc huyền hỏi ngã nặng
BASES = "aăâeêioôơuưy"


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


LOWER_LETTERS = [nfc(b + t) for b in BASES for t in ("", *TONES)] + ["đ"]
ALL_LETTERS = LOWER_LETTERS + [c.upper() for c in LOWER_LETTERS]
TCVN3_CAPITALS = "ĂÂÊÔƠƯĐ"  # the only capitals TCVN3 has codes for


def as_cp1252(data: bytes) -> str:
    """Bytes as a program shows them when it reads them as Windows-1252 (Windows' way)."""
    return "".join(
        chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252")
        for b in data
    )


# --------------------------------------------------------------------------------------
# The tables
# --------------------------------------------------------------------------------------
def table_rows(name: str) -> list[list[str]]:
    text = resources.files("hbt_analysis").joinpath("resources", name).read_text("utf-8")
    lines = [ln for ln in text.split("\n") if ln and not ln.startswith("#")]
    assert lines[0] == "unicode\tbytes\tcp1252"
    return [ln.split("\t") for ln in lines[1:]]


@pytest.mark.parametrize("name", ["legacy_tcvn3.tsv", "legacy_vni.tsv"])
def test_table_is_consistent_and_one_to_one(name):
    rows = table_rows(name)
    letters = [r[0] for r in rows]
    codes = [r[1] for r in rows]
    assert len(set(letters)) == len(letters)
    assert len(set(codes)) == len(codes), "two letters share a code: decoding is ambiguous"
    for letter, code, shown in rows:
        assert unicodedata.is_normalized("NFC", letter) and len(letter) == 1
        assert as_cp1252(bytes.fromhex(code)) == shown


def test_tables_cover_every_vietnamese_letter():
    vni = {r[0] for r in table_rows("legacy_vni.tsv")}
    tcvn3 = {r[0] for r in table_rows("legacy_tcvn3.tsv")}
    non_ascii = {c for c in ALL_LETTERS if not c.isascii()}
    assert len(non_ascii) == 134
    assert vni == non_ascii
    assert tcvn3 == {c for c in non_ascii if c.islower()} | set(TCVN3_CAPITALS)


@pytest.mark.parametrize(
    ("letter", "tcvn3", "vni"),
    [  # code points as published for TCVN 5712:1993 VN3 (ABC) and VNI-Windows
        ("à", b"\xb5", b"a\xf8"),
        ("á", b"\xb8", b"a\xf9"),
        ("ư", b"\xad", b"\xf6"),
        ("đ", b"\xae", b"\xf1"),
        ("Đ", b"\xa7", b"\xd1"),
        ("ệ", b"\xd6", b"e\xe4"),
        ("ờ", b"\xea", b"\xf4\xf8"),
        ("ỵ", b"\xfe", b"\xee"),
        ("Ơ", b"\xa5", b"\xd4"),
    ],
)
def test_published_code_points(letter, tcvn3, vni):
    assert from_unicode(letter, "tcvn3") == as_cp1252(tcvn3)
    assert from_unicode(letter, "vni") == as_cp1252(vni)


# --------------------------------------------------------------------------------------
# Every letter, every tone, both cases, both ways
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("letter", ALL_LETTERS)
def test_vni_round_trip_every_letter(letter):
    encoded = from_unicode(letter, "vni")
    if not letter.isascii():
        assert encoded != letter or letter in "íìÍÌ"  # VNI keeps these four as they are
    assert to_unicode(encoded, "vni") == letter
    word = f"x{letter}n"  # inside a word as well
    assert to_unicode(from_unicode(word, "vni"), "vni") == word


@pytest.mark.parametrize("letter", ALL_LETTERS)
def test_tcvn3_round_trip_every_letter(letter):
    encoded = from_unicode(letter, "tcvn3")
    assert len(encoded) == 1
    if letter.islower() or letter in TCVN3_CAPITALS or letter.isascii():
        assert to_unicode(f"x{encoded}", "tcvn3") == f"x{letter}"
    else:  # a toned capital has the lower-case code: a capital (…H) font shows it as capital
        assert encoded == from_unicode(letter.lower(), "tcvn3")
        assert to_unicode(f"x {encoded}", "tcvn3") == f"x {letter.lower()}"
        assert to_unicode(f"x. {encoded}", "tcvn3") == f"x. {letter}"  # a sentence's start
    assert to_unicode(encoded, "tcvn3", upper=True) == letter.upper()
    # in a word of capitals the letter is a capital; in a word of small letters, small
    assert to_unicode(from_unicode(f"T{letter.upper()}NG", "tcvn3"), "tcvn3") == (
        f"T{letter.upper()}NG"
    )
    assert to_unicode(from_unicode(f"t{letter.lower()}ng", "tcvn3"), "tcvn3") == (
        f"t{letter.lower()}ng"
    )


def test_every_letter_in_a_sentence_is_detected_and_repaired():
    # one syllable per letter, in a sentence that a reader would find in the minutes
    for letter in LOWER_LETTERS:
        if letter.isascii():
            continue
        sentence = f"Phường Bạch Đằng có ý kiến về t{letter}n"
        for enc in ("tcvn3", "vni"):
            encoded = from_unicode(sentence, enc)
            assert detect(encoded) == enc, (letter, enc, encoded)
            assert repair(encoded) == (sentence, enc)


# --------------------------------------------------------------------------------------
# Real sentences
# --------------------------------------------------------------------------------------
SENTENCES = [
    "Hai Bà Trưng",
    "Phường Bạch Đằng",
    "Đống Mác",
    "Quỳnh Lôi",
    "Nguyễn Thị Thu Hương",
    "Trần Đức Thắng, tổ dân phố số 9",
    "Ông Lê Văn Hùng (số nhà 12, ngõ 342 Nguyễn Du) phát biểu: đề nghị UBND phường sớm "
    "giải tỏa chợ cóc, chợ tạm.",
    "Số hộ được mời: 203 hộ, có mặt 128 hộ, đạt 63,1%.",
    "Kiến nghị thành phố đầu tư 1.500 triệu đồng cải tạo hệ thống thoát nước ngõ 190/14 "
    "Quang Trung; bà con bức xúc vì mưa là ngập!",
    "Tình trạng xe máy đỗ trên vỉa hè phố Võ Thị Sáu vẫn diễn ra thường xuyên?",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "BIÊN BẢN HỘI NGHỊ ĐẠI BIỂU NHÂN DÂN NĂM 2023",
    "Ủy ban MTTQ phường Thanh Nhàn; Chủ tọa: bà Phạm Thị Yến",
]


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("enc", ["tcvn3", "vni"])
def test_real_sentences_detected_and_repaired(sentence, enc):
    encoded = from_unicode(sentence, enc)
    assert encoded != sentence
    verdict = assess(encoded).verdict
    if detect(encoded) is None:  # a short name may be too little to tell: then it says so
        assert verdict == "uncertain", encoded
        assert detect_column([encoded, from_unicode("Phường Bạch Đằng", enc)]) == enc
        assert to_unicode(encoded, enc) == sentence
    else:
        assert detect(encoded) == enc
        assert repair(encoded) == (sentence, enc)
        assert not looks_garbled(encoded)


@pytest.mark.parametrize(
    ("typed", "enc", "unicode"),
    [  # as such files read in openpyxl or python-docx, typed by hand from real documents
        ("Hai Bµ Tr\xadng", "tcvn3", "Hai Bà Trưng"),
        ("B¹ch §»ng", "tcvn3", "Bạch Đằng"),
        ("§èng M¸c", "tcvn3", "Đống Mác"),
        ("Quúnh L«i", "tcvn3", "Quỳnh Lôi"),
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
        ("Sè hé ®\xadîc mêi", "tcvn3", "Số hộ được mời"),
        ("HéI NGHÞ Tæ D¢N PHè", "tcvn3", "HỘI NGHỊ TỔ DÂN PHỐ"),  # .VnTimeH heading
        ("ý KIÕN, KIÕN NGHÞ", "tcvn3", "Ý KIẾN, KIẾN NGHỊ"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
        ("Phöôøng Baïch Ñaèng, quaän Hai Baø Tröng", "vni", "Phường Bạch Đằng, quận Hai Bà Trưng"),
        ("Ñoáng Maùc vaø Quyønh Loâi", "vni", "Đống Mác và Quỳnh Lôi"),
    ],
)
def test_hand_typed_legacy_text(typed, enc, unicode):
    assert repair(typed) == (unicode, enc)


def test_tcvn3_sentences_start_with_a_capital():
    # .VnTime has no toned capitals: the typist typed the small letter where a capital belongs
    assert to_unicode("ñy ban MTTQ ph\xadêng", "tcvn3") == "Ủy ban MTTQ phường"
    assert to_unicode("+ ý kiÕn. ¸p dông ngay! ®Ò nghÞ", "tcvn3") == (
        "+ Ý kiến. Áp dụng ngay! đề nghị"  # đ has a capital (§): as typed
    )
    assert to_unicode("Tæ 9: ý kiÕn", "tcvn3") == "Tổ 9: ý kiến"


def test_tcvn3_capitals_follow_the_word():
    assert to_unicode("UBND PH\xadêNG B¹CH §»NG", "tcvn3") == "UBND PHƯỜNG BẠCH ĐẰNG"
    # a word of small letters stays small beside a heading word
    assert to_unicode("Tr\xadêng THCS NGUYÔN DU", "tcvn3") == "Trường THCS NGUYỄN DU"
    # a lone capital is a capital letter, not a word of capitals: "Bà", not "BÀ"
    assert to_unicode("Bµ Lª", "tcvn3") == "Bà Lê"
    # a .VnTimeH cell shows every letter as a capital, whatever was typed
    assert to_unicode("uû ban mttq ph\xadêng", "tcvn3", upper=True) == "UỶ BAN MTTQ PHƯỜNG"


# --------------------------------------------------------------------------------------
# Never on ordinary text
# --------------------------------------------------------------------------------------
ORDINARY = [
    *SENTENCES,
    "Cà phê",
    "Tô Lê",
    "Hà",
    "Hoà",
    "Toàn",
    "Lê Mô",
    "Nguyễn",
    "Võ Thị Sáu",
    "Chị Mai ở phố Huế, nhà số 5.",
    "12.345",
    "35.323",
    "68,6%",
    "0912.345.678",
    "",
    "   ",
    "UBND",
    "Hello world",
    "Résumé of the café meeting — see “Annex 2” …",
    "Où est la gare? Près de l'hôtel, à côté du marché.",
    "Noël à Paris, naïve idée",
    "Müller & Söhne GmbH, Straße 5",
    "Señor Núñez, año 2023",
    "“Ý kiến” – ‘trả lời’ … • 3",
    "© 2023 ® ™ € 25°C ½",
    "Phan loai rac tai nguon – de nghi phuong xu ly.",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_never_fires_on_ordinary_text(text):
    for form in (text, unicodedata.normalize("NFD", text)):
        assert detect(form) is None
        assert repair(form) == (form, None)
        assert not looks_garbled(form)
    assert detect_column([text] * 3) is None


def cp1258_bytes(text: str) -> bytes:
    """Text as Windows-1258 stores it: letters with their tone mark as a separate code."""
    out = b""
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in parts if c in TONES)
        base = nfc("".join(c for c in parts if c not in TONES))
        out += base.encode("cp1258") + tone.encode("cp1258")
    return out


def test_windows_1258_text_is_left_alone():
    sentence = "Kiến nghị về trật tự đô thị ở phường Bạch Mai"
    decoded = cp1258_bytes(sentence).decode("cp1258")  # decomposed tone marks
    assert decoded != sentence
    assert detect(decoded) is None
    assert repair(decoded) == (decoded, None)
    text, how = decode_bytes(cp1258_bytes(sentence))
    assert (text, how) == (sentence, "cp1258")


def test_a_column_of_ordinary_vietnamese_is_not_legacy():
    column = [s for s in ORDINARY if s.strip()] + [None, 3, 4.5]
    assert detect_column(column) is None
    fixed = repair_column(column)
    assert fixed.values == column and not fixed.converted and not fixed.garbled


# --------------------------------------------------------------------------------------
# Short cells, columns
# --------------------------------------------------------------------------------------
def test_short_cells_are_uncertain_and_the_column_decides():
    assert detect("NguyÔn Du") is None
    assert assess("NguyÔn Du").verdict == "uncertain"
    assert looks_garbled("NguyÔn Du")
    column = ["Hä vµ tªn", "NguyÔn Du", "Lª", "Sè 5", "Tæ 9", None, 12, "Tô"]
    assert detect_column(column) == "tcvn3"
    fixed = repair_column(column)
    assert fixed.encoding == "tcvn3"
    assert fixed.values == ["Họ và tên", "Nguyễn Du", "Lê", "Số 5", "Tổ 9", None, 12, "Tụ"]
    assert set(fixed.converted) == {0, 1, 2, 3, 4, 7}
    assert fixed.garbled == []


def test_a_column_keeps_its_unicode_cells():
    column = ["Hai Bµ Tr\xadng", "B¹ch §»ng", "Hai Bà Trưng", "Đống Mác", "Cà phê", "ASCII"]
    fixed = repair_column(column)
    assert fixed.encoding == "tcvn3"
    assert fixed.values == ["Hai Bà Trưng", "Bạch Đằng", "Hai Bà Trưng", "Đống Mác", "Cà phê",
                            "ASCII"]
    assert set(fixed.converted) == {0, 1}


def test_a_vni_column():
    column = [from_unicode(s, "vni") for s in ["Nguyễn Du", "Lê Đại Hành", "Phố Huế", "Việt"]]
    assert detect_column(column) == "vni"
    assert repair_column(column).values == ["Nguyễn Du", "Lê Đại Hành", "Phố Huế", "Việt"]


def test_a_legacy_column_leaves_cells_its_encoding_cannot_have_written():
    vni = [from_unicode(s, "vni") for s in ["Nguyễn Du", "Lê Đại Hành", "Phố Huế", "Bạch Mai"]]
    mojibake = as_cp1252("Nguyễn Trãi".encode())
    column = [*vni, "Café", "Hà Nội", mojibake]  # a mark with no letter, Unicode, mojibake
    fixed = repair_column(column)
    assert fixed.encoding == "vni"
    assert fixed.values == ["Nguyễn Du", "Lê Đại Hành", "Phố Huế", "Bạch Mai", "Café", "Hà Nội",
                            "Nguyễn Trãi"]
    assert fixed.converted == {0: "vni", 1: "vni", 2: "vni", 3: "vni", 6: "utf8-as-cp1252"}


def test_a_column_reports_what_it_could_not_settle():
    fixed = repair_column(["Lª", "abc", "Nguy\ufffdn"])
    assert fixed.values == ["Lª", "abc", "Nguy\ufffdn"]
    assert fixed.garbled == [0, 2] and not fixed.converted


@pytest.mark.parametrize(
    ("word", "ok"),
    [("Nguyễn", True), ("bạc", True), ("bác", True), ("bàc", False), ("quốc", True),
     ("giường", True), ("khuỷu", True), ("NGHỊ", True), ("hoà", True), ("hòa", True),
     ("ôBonjour", False), ("Tr­ng", False), ("pồ", False), ("ằ", False), ("x", False)],
)
def test_syllable_shape(word, ok):
    assert is_syllable(word) is ok


def test_column_given_its_encoding():
    fixed = repair_column(["Sè hé dù"], encoding="tcvn3")  # the sheet said TCVN3
    assert fixed.values == ["Số hộ dự"] and fixed.converted == {0: "tcvn3"}
    # a .VnTimeH column: every letter shows as a capital, in ASCII cells as well
    fixed = repair_column(["ubnd ph\xadêng", "stt", "12", 12], encoding="tcvn3", upper=True)
    assert fixed.values == ["UBND PHƯỜNG", "STT", "12", 12]
    assert fixed.converted == {0: "tcvn3", 1: "tcvn3"}


# --------------------------------------------------------------------------------------
# UTF-8 read as Windows-1252, and other damage
# --------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["Nguyễn Văn A", "Đống Mác", "Phường Ô Chợ Dừa", "Ý kiến số 3"])
def test_utf8_read_as_cp1252_is_repaired(text):
    garbled = as_cp1252(text.encode("utf-8"))
    assert garbled != text
    assert looks_garbled(garbled)
    assert assess(garbled).verdict == "utf8-as-cp1252"
    assert repair(garbled) == (text, "utf8-as-cp1252")
    assert detect_column([garbled, "abc"]) == "utf8-as-cp1252"
    twice = as_cp1252(garbled.encode("utf-8"))
    assert repair(twice) == (text, "utf8-as-cp1252")


def test_utf8_mojibake_example_from_the_issue():
    assert repair("Nguyá»…n") == ("Nguyễn", "utf8-as-cp1252")


@pytest.mark.parametrize("text", ["Nguy\ufffdn V\ufffdn", "ab\x01c", "Lª", "Vieät Nam"])
def test_looks_garbled(text):
    assert looks_garbled(text)
    assert repair(text) == (text, None)


# --------------------------------------------------------------------------------------
# Fonts, bytes
# --------------------------------------------------------------------------------------
def test_fonts():
    assert encoding_of_font(".VnTime") == "tcvn3"
    assert encoding_of_font(".VnArialH") == "tcvn3"
    assert encoding_of_font("VNI-Times") == "vni"
    assert encoding_of_font("Times New Roman") is None
    assert encoding_of_font(None) is None
    assert is_capital_font(".VnTimeH") and is_capital_font(".VnArial NarrowH")
    assert not is_capital_font(".VnTime") and not is_capital_font("VNI-Helve")


@pytest.mark.parametrize("enc", ["tcvn3", "vni"])
def test_csv_bytes_in_a_legacy_encoding(enc):
    rows = [["Mã phường", "Tên phường", "Số hộ được mời"], ["00241", "Nguyễn Du", "35"],
            ["00244", "Bạch Đằng", "1.435"], ["00265", "Đống Mác", "12"]]
    buf = io.StringIO()
    csv.writer(buf, delimiter=";").writerows(
        [[from_unicode(c, enc) for c in row] for row in rows]
    )
    data = buf.getvalue().encode("cp1252")  # the 8-bit file a legacy program saves
    text, how = decode_bytes(data)
    assert how == enc
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == rows


def test_csv_bytes_in_unicode():
    text = "Mã phường;Tên\n00241;Nguyễn Du\n"
    assert decode_bytes(text.encode("utf-8")) == (text, "utf-8")
    assert decode_bytes(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8")
    assert decode_bytes(text.encode("utf-16")) == (text, "utf-16")


def test_to_unicode_rejects_an_unknown_encoding():
    with pytest.raises(ValueError, match="unknown encoding"):
        to_unicode("abc", "viscii")
    with pytest.raises(TypeError):
        repair(None)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------
# Properties: real Vietnamese syllables drawn at random
# --------------------------------------------------------------------------------------
def real_syllables() -> list[str]:
    """Vietnamese syllables of the project's own word lists (real words, not generated)."""
    words: set[str] = set()
    for name in ("stopwords_vi.txt", "fixed_words.txt", "topics.yaml"):
        text = resources.files("hbt_analysis").joinpath("resources", name).read_text("utf-8")
        words.update(re.findall(r"[^\W\d_]+", nfc(text)))
    words.update(w for s in SENTENCES for w in re.findall(r"[^\W\d_]+", s))
    return sorted(w.lower() for w in words if not w.isascii() and is_syllable(w))


SYLLABLES = real_syllables()


def test_enough_real_syllables_to_draw_from():
    assert len(SYLLABLES) > 500


sentences = st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=25).map(" ".join)
cases = st.sampled_from([str, str.capitalize, str.title, str.upper])
punct = st.sampled_from(["", ".", ",", "!", "?", ": 12", " (35.323)", " – 68,6%", " “ok”"])


@given(sentences, cases, punct)
def test_unicode_vietnamese_is_never_detected(sentence, case, tail):
    text = case(sentence) + tail
    for form in (text, unicodedata.normalize("NFD", text)):
        assert detect(form) is None
        assert repair(form) == (form, None)
        assert not looks_garbled(form)


@given(sentences, cases)
def test_repair_is_idempotent(sentence, case):
    text = case(sentence)
    once = repair(text)[0]
    assert repair(once)[0] == once
    for enc in ("tcvn3", "vni"):
        once = repair(from_unicode(text, enc))[0]
        assert repair(once)[0] == once


@given(sentences, st.sampled_from(["tcvn3", "vni"]))
def test_legacy_text_converts_back_exactly_or_not_at_all(sentence, enc):
    encoded = from_unicode(sentence, enc)
    verdict = assess(encoded).verdict
    assert verdict in (enc, "uncertain", None)  # never the other encoding
    fixed, found = repair(encoded)
    assert found in (enc, None)
    assert fixed == (encoded if found is None else to_unicode(encoded, enc))
    # TCVN3 has no codes for toned capitals: the case of those may differ, nothing else
    back = to_unicode(encoded, enc)
    assert back == sentence if enc == "vni" else back.lower() == sentence.lower()


@given(st.lists(st.sampled_from(SYLLABLES), min_size=6, max_size=25), st.sampled_from(
    ["tcvn3", "vni"]))
def test_legacy_sentences_with_vietnamese_letters_are_detected(words, enc):
    sentence = " ".join(words)
    # enough words with letters no Western text has (ư, ơ, đ, ạ …) to be sure
    distinctive = [w for w in words if re.search(r"[^\x00-\xff]", w)]
    if len(distinctive) < 3:
        return
    assert detect(from_unicode(sentence, enc)) == enc


# --------------------------------------------------------------------------------------
# Real files
# --------------------------------------------------------------------------------------
def test_xlsx_typed_in_vntime(tmp_path: Path):
    openpyxl = pytest.importorskip("openpyxl")
    from openpyxl.styles import Font

    header = ["Mã phường", "Tên phường", "Tên tổ dân phố", "Nội dung ý kiến"]
    rows = [
        ["00241", "Nguyễn Du", "Tổ dân phố số 1", "Đề nghị phường giải tỏa chợ cóc ở ngõ 342."],
        ["00244", "Bạch Đằng", "Tổ 9", "Nước máy có mùi clo, có hôm đục."],
        ["00265", "Đống Mác", "TDP số 5", "Nhất trí với nội dung báo cáo."],
        ["00256", "Lê Đại Hành", "Tổ 12", "Xin cảm ơn."],
    ]
    title = "HỘI NGHỊ TỔ DÂN PHỐ NĂM 2023"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([from_unicode(title.lower(), "tcvn3")])  # a .VnTimeH title: lower-case codes
    ws["A1"].font = Font(name=".VnTimeH")
    for row in [header, *rows]:
        ws.append([from_unicode(c, "tcvn3") for c in row])
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            cell.font = Font(name=".VnTime")
    path = tmp_path / "vntime.xlsx"
    wb.save(path)

    ws = openpyxl.load_workbook(path).active
    cells = list(ws.iter_rows())
    title_cell = cells[0][0]
    assert is_capital_font(title_cell.font.name)
    assert repair_column([title_cell.value], encoding=encoding_of_font(title_cell.font.name),
                         upper=True).values == [title]
    grid = [[c.value for c in r] for r in cells[1:]]
    assert grid[1][1] == "NguyÔn Du"  # what openpyxl hands over
    assert assess_column(v for r in grid for v in r).verdict == "tcvn3"
    columns = [repair_column(col).values for col in zip(*grid, strict=True)]
    assert [list(r) for r in zip(*columns, strict=True)] == [header, *rows]


def test_docx_typed_in_vntime(tmp_path: Path):
    docx = pytest.importorskip("docx")  # python-docx is not a dependency: only where installed

    paragraphs = [
        ("BIÊN BẢN HỘI NGHỊ", ".VnTimeH"),
        ("Hồi 19h30 ngày 03/01/2023 tại nhà văn hóa tổ dân phố số 18.", ".VnTime"),
        ("+ Đề nghị phường kiểm tra tình trạng đổ rác không đúng giờ.", ".VnTime"),
    ]
    document = docx.Document()
    for text, font in paragraphs:
        run = document.add_paragraph().add_run(from_unicode(text.lower() if font.endswith(
            "H") else text, "tcvn3"))
        run.font.name = font
    path = tmp_path / "vntime.docx"
    document.save(path)

    read = docx.Document(str(path))
    got = []
    for p in read.paragraphs:
        font = p.runs[0].font.name
        got.append(to_unicode(p.text, encoding_of_font(font), upper=is_capital_font(font)))
    assert got == [t for t, _ in paragraphs]


def test_modules_document_their_sources():
    for doc in (legacy.__doc__ or "", legacy_codes.__doc__ or ""):
        assert "UniKey" in doc and "duydev/vietnamese-conversion" in doc and "5712" in doc

"""Redaction of personal data: a table of positive and negative cases, plus properties."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from hbt_analysis.privacy import REPLACEMENTS, find_personal_data, redact, redact_series, scan

CASES_FILE = Path(__file__).parent / "data" / "redaction_cases.csv"
CASES = pd.read_csv(CASES_FILE, dtype=str, keep_default_na=False)


def test_case_table_has_both_kinds_and_enough_rows():
    assert len(CASES) >= 40
    kinds = CASES["kind"].value_counts()
    assert set(kinds.index) == {"positive", "negative"}
    assert kinds.min() >= 15
    # a negative case is one that must come out unchanged
    neg = CASES[CASES["kind"] == "negative"]
    assert (neg["text"] == neg["expected"]).all()
    pos = CASES[CASES["kind"] == "positive"]
    assert (pos["text"] != pos["expected"]).all()


@pytest.mark.parametrize(
    ("text", "expected"),
    [pytest.param(r.text, r.expected, id=f"{r.kind}: {r.note}") for r in CASES.itertuples()],
)
def test_redaction_case(text, expected):
    assert redact(text) == expected


def test_find_personal_data_reports_kinds_and_spans():
    text = "Ông Nguyễn Văn An, SĐT 0912 345 678, email an@gmail.com, CCCD 001085012345"
    found = find_personal_data(text)
    assert [k for k, _ in found] == ["name", "phone", "email", "id_number"]
    pieces = [text[a:b] for _, (a, b) in found]
    assert pieces == ["Nguyễn Văn An", "0912 345 678", "an@gmail.com", "001085012345"]


def test_honorific_is_kept_and_only_the_name_replaced():
    assert redact("bà Trần Thị Hoa") == "bà " + REPLACEMENTS["name"]
    assert redact("Đ/c Lê Minh phát biểu") == "Đ/c [họ tên] phát biểu"


def test_redact_series_keeps_index_and_missing_values():
    s = pd.Series(["anh Hùng 0912345678", None, "phố Bạch Mai"], index=[10, 11, 12])
    out = redact_series(s)
    assert list(out.index) == [10, 11, 12]
    assert out[10] == "anh [họ tên] [số điện thoại]"
    assert pd.isna(out[11])
    assert out[12] == "phố Bạch Mai"


def test_non_text_passes_through():
    assert redact("") == ""
    assert find_personal_data("") == []
    assert find_personal_data(None) == []
    assert redact(None) is None
    assert pd.isna(redact(pd.NA))
    assert scan(None).found == () and scan("").redacted == ""


def test_decomposed_unicode_is_redacted_too():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "ông Nguyễn Văn An ở phố Bạch Mai")
    assert redact(nfd) == "ông [họ tên] ở phố Bạch Mai"


# --- properties ---------------------------------------------------------------------------

_FRAGMENTS = [
    "ông", "bà", "anh", "chị", "cô", "chú", "cụ", "em", "bác", "Ông", "Bà", "bà con",
    "Nguyễn Văn An", "Lan", "Trần Thị Bình", "phố Bạch Mai", "phố Bà Triệu", "Hai Bà Trưng",
    "ngõ 45", "số 12 ngách 3/15", "tổ 5", "năm 2023", "ngày 02/01/2023", "1.500.000 đồng",
    "UBND phường", "Công ty TNHH Sông Hồng", "0912 345 678", "+84 987 654 321",
    "024 3869 1234", "001085012345", "CMND số 012345678", "an.nguyen@gmail.com",
    "Họ và tên:", "Họ tên: Đỗ Huy", "rác thải", "vỉa hè", "đề nghị", "[họ tên]",
    ",", ".", "(", ")", ":", "-", "/", "0", "84", "9", "12",
    "số nhà 12", "P.305", "căn hộ 1507", "29A-123.45", "STK 0011004123456",
    "sinh ngày 20/11/1985", "fb.com/hoa.nguyen", "zalo: Lan Bánh Cuốn", "hộ chiếu B7263514",
    "MST 0101234567", "Tổ trưởng", "Lê Thị Nhung", "các ông", "Hải", "Tuấn", "và",
    "anh nguyen van nam", "Ô.", "Ng.", "cháu", "Vy", "bà Trưng", "ông Công ông Táo",
    "chị Thanh Nhàn", "Chị em Minh Khai", "[số nhà]", "[ngày sinh]", "\u00a0", "\n",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=14), st.sampled_from([" ", "", ", "]))
def test_redaction_is_idempotent_on_minute_like_text(parts, sep):
    text = sep.join(parts)
    once = redact(text)
    assert redact(once) == once


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=14), st.sampled_from([" ", "", ", "]))
def test_nfd_and_nfc_input_give_the_same_output(parts, sep):
    import unicodedata

    text = sep.join(parts)
    nfc = unicodedata.normalize("NFC", text)
    assert redact(unicodedata.normalize("NFD", text)) == redact(nfc)
    assert find_personal_data(unicodedata.normalize("NFD", text)) == find_personal_data(nfc)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_redaction_is_idempotent_on_any_text(text):
    once = redact(text)
    assert redact(once) == once


_WORDS = st.sampled_from(
    ["đề nghị", "liên hệ", "tổ trưởng", "số điện thoại", "gọi", "phản ánh", "SĐT:", "ĐT",
     "rác thải", "ngõ 45", "tổ 5", "anh", "(", ")", "-"]
)
_SEPARATOR = st.sampled_from(["", " ", ".", "-"])


@st.composite
def mobile_numbers(draw) -> tuple[str, str]:
    """A Vietnamese mobile number written one of the ways people write it, and its ten
    digits from the leading 0."""
    body = draw(st.sampled_from("35789")) + draw(
        st.text(alphabet="0123456789", min_size=8, max_size=8)
    )
    prefix = draw(st.sampled_from(["0", "+84", "84", "+84 ", "(+84) "]))
    sep = draw(_SEPARATOR)
    sizes = draw(st.sampled_from([(3, 3, 3), (2, 3, 4), (1, 4, 4), (9,), (3, 6), (4, 5)]))
    groups, i = [], 0
    for size in sizes:
        groups.append(body[i:i + size])
        i += size
    written = prefix + groups[0] + "".join(sep + g for g in groups[1:])
    return written, "0" + body


def _digits_survive(national: str, out: str) -> bool:
    compact = re.sub(r"(?<=\d)[ .\-()]+(?=\d)", "", out)
    return national[1:] in compact


@settings(max_examples=400, deadline=None)
@given(st.lists(_WORDS, max_size=5), mobile_numbers(), st.lists(_WORDS, max_size=5))
def test_no_mobile_number_survives(before, phone, after):
    written, national = phone
    text = " ".join([*before, written, *after])
    out = redact(text)
    assert not _digits_survive(national, out), (text, out)
    assert "[số điện thoại]" in out


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.sampled_from(["024 {a} {b}", "024.{a}.{b}", "(024) {a}{b}", "024{a}{b}", "+84 24 {a} {b}",
                     "028-{a}-{b}"]),
    st.lists(_WORDS, max_size=4),
)
def test_no_landline_survives(digits, shape, words):
    written = shape.format(a=digits[:4], b=digits[4:])
    out = redact(" ".join([*words, written, "để phản ánh"]))
    assert digits not in re.sub(r"(?<=\d)[ .\-()]+(?=\d)", "", out), out


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1_000, max_value=999_999_999_999), st.sampled_from(["đồng", "đ"]))
def test_amounts_written_with_dots_survive(amount, unit):
    written = f"{amount:,}".replace(",", ".")
    text = f"kinh phí {written} {unit} cho tổ 5"
    assert redact(text) == text


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=999), st.integers(min_value=1, max_value=99),
    st.sampled_from(["Bạch Mai", "Minh Khai", "Lê Đại Hành", "Bà Triệu", "Trương Định"]),
    st.integers(min_value=1990, max_value=2030),
)
def test_house_number_goes_and_alleys_streets_years_stay(house, alley, street, year):
    place = f"ngách {alley}/{house} ngõ {alley} phố {street}, năm {year}"
    assert redact(f"Nhà số {house} {place}") == f"[số nhà] {place}"
    assert redact(f"Nước ngập ở {place}") == f"Nước ngập ở {place}"


# --- the kinds with a shape, written every way people write them --------------------------

def _compact(out: str) -> str:
    return re.sub(r"(?<=\d)[ .\-]+(?=\d)", "", out)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=11, max_value=99),
    st.sampled_from(["A", "B", "C", "D", "E", "F", "G", "H", "K", "L", "M", "N", "P", "S", "T",
                     "V", "X", "Y", "B1", "C2", "E1", "F5", "H1", "K3", "N1", "X5", "AA", "AB",
                     "LD", "KT", "MĐ1", "MĐ2"]),
    st.integers(min_value=0, max_value=99999),
    st.sampled_from(["{p}{s}-{a}.{b}", "{p}-{s} {a}.{b}", "{p}{s} {a}.{b}", "{p}{s}-{a}{b}",
                     "{p}-{s}-{a}.{b}", "{p} {s} {a}.{b}", "{p}{s}.{a}.{b}"]),
    st.sampled_from(["", "xe ", "xe máy ", "ô tô biển ", "BKS: ", "biển số "]),
)
def test_no_vehicle_plate_survives(province, series, number, shape, before):
    digits = f"{number:05d}"
    plate = shape.format(p=province, s=series, a=digits[:3], b=digits[3:])
    out = redact(f"Đề nghị xử lý {before}{plate} đỗ trước cửa nhà văn hóa tổ 5")
    assert "[biển số xe]" in out and digits not in _compact(out), (plate, out)


_BANKS = ["Vietcombank", "VietinBank", "BIDV", "Agribank", "Techcombank", "MB Bank", "ACB",
          "Sacombank", "VPBank", "TPBank", "ngân hàng Quân đội", "NH Bưu điện Liên Việt"]


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="0123456789", min_size=8, max_size=16),
    st.sampled_from([" ", ".", "-", ""]),
    st.sampled_from([3, 4]),
    st.sampled_from(_BANKS),
    st.sampled_from(["STK {n} {b}", "số tài khoản: {n} tại {b}", "tài khoản {b} số {n}",
                     "{b} {n}", "TK {b}: {n}", "chuyển vào {n} ({b})", "{n} - {b}"]),
)
def test_no_bank_account_survives(digits, sep, size, bank, shape):
    # dotted threes next to a bank's name alone read as an amount ("Vietcombank 100.000.000")
    assume(not (sep == "." and size == 3 and shape in ("{b} {n}", "{n} - {b}",
                                                        "chuyển vào {n} ({b})")))
    number = sep.join(digits[i:i + size] for i in range(0, len(digits), size))
    out = redact("Ủng hộ gia đình, " + shape.format(n=number, b=bank) + ", chủ hộ nhận")
    assert digits not in _compact(out), (number, out)


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=__import__("datetime").date(1925, 1, 1),
             max_value=__import__("datetime").date(2023, 12, 31)),
    st.sampled_from(["{d}/{m}/{y}", "{dd}-{mm}-{y}", "{dd}.{mm}.{y}", "ngày {d} tháng {m} năm {y}",
                     "{d} tháng {m} năm {y}"]),
    st.sampled_from(["sinh ngày {}", "ngày sinh: {}", "Ngày sinh {}", "SN {}", "sinh {}",
                     "ngày tháng năm sinh: {}"]),
)
def test_dates_of_birth_go_and_meeting_dates_stay(day, shape, lead):
    date = shape.format(d=day.day, m=day.month, dd=f"{day.day:02d}", mm=f"{day.month:02d}",
                        y=day.year)
    out = redact("Bà cụ " + lead.format(date) + ", sống một mình")
    assert str(day.year) not in out and "[ngày sinh]" in out, (date, out)
    meeting = f"Hội nghị họp {date}, 120 đại biểu dự"
    assert redact(meeting) == meeting


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from("BCNPKE"), st.text(alphabet="0123456789", min_size=7, max_size=7),
    st.sampled_from(["hộ chiếu số {}", "hộ chiếu: {}", "số hộ chiếu {}", "HC số {}",
                     "passport {}", "{}"]),
    st.sampled_from(["MST {}", "mã số thuế: {}", "mã số doanh nghiệp {}", "MST cá nhân {}"]),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
)
def test_passport_and_tax_numbers_go(letter, digits, passport_shape, tax_shape, tax9):
    out = redact("Ông chủ nhà có " + passport_shape.format(letter + digits) + " và "
                 + tax_shape.format("0" + tax9) + " nhưng chưa khai báo")
    assert digits not in _compact(out) and tax9 not in _compact(out), out

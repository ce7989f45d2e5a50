"""Reading files as offices produce them, and parsing Vietnamese numbers and dates."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hbt_analysis.fmt import fmt_int, fmt_num
from hbt_analysis.intake import read_table
from hbt_analysis.io import (
    ROW,
    CellError,
    ReadError,
    decode_bytes,
    parse_date,
    parse_int,
    parse_number,
)
from hbt_analysis.schema import GROUP_CONFERENCES, header_key

HEADER_VI = "Mã phường;Mã tổ dân phố;Ngày hội nghị;Số hộ được mời;Số hộ dự;Số ý kiến"
ROWS = ["00241;00241-TDP01;05/01/2023;1.200;800;2", "00244;00244-TDP03;2023-01-09;300;210;1"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("35.323", 35323), ("35,323", 35323), ("35 323", 35323), ("1.435 ý kiến", 1435),
        ("68,6%", 68.6), ("68.6", 68.6), ("1.234.567", 1234567), ("1,234.5", 1234.5),
        ("1.234,5", 1234.5), ("12,5", 12.5), ("0", 0), ("-3", -3), ("  42 ", 42),
        ("51.477 hộ", 51477), (35323, 35323), (12.0, 12), ("", None), (None, None), ("—", None),
    ],
)
def test_parse_number_vietnamese_and_english_forms(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["abc", "12a", "1.2.3,4,5", "hai trăm", "1..2", ".", "1,2,3"])
def test_parse_number_refuses_what_is_not_a_number(text):
    with pytest.raises(CellError):
        parse_number(text)


def test_parse_int_refuses_fractions():
    assert parse_int("12,0") == 12
    with pytest.raises(CellError, match="whole number"):
        parse_int("12,5")


@given(st.integers(min_value=0, max_value=10**9))
def test_vietnamese_formatted_integers_round_trip(n):
    assert parse_int(fmt_int(n)) == n
    assert parse_int(fmt_int(n, "en")) == n
    assert parse_int(str(n)) == n


@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=1, max_value=9))
def test_vietnamese_decimals_round_trip(whole, tenth):
    value = whole + tenth / 10
    assert parse_number(fmt_num(value, 1)) == pytest.approx(value)
    assert parse_number(fmt_num(value, 1, "en")) == pytest.approx(value)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("05/01/2023", dt.date(2023, 1, 5)), ("5/1/2023", dt.date(2023, 1, 5)),
        ("05-01-2023", dt.date(2023, 1, 5)), ("05.01.2023", dt.date(2023, 1, 5)),
        ("2023-01-05", dt.date(2023, 1, 5)), ("ngày 5 tháng 1 năm 2023", dt.date(2023, 1, 5)),
        (dt.datetime(2023, 1, 5, 0, 0), dt.date(2023, 1, 5)), (44931, dt.date(2023, 1, 5)),
        ("44931", dt.date(2023, 1, 5)), ("", None), (None, None),
    ],
)
def test_parse_date_forms(cell, expected):
    assert parse_date(cell) == expected


@pytest.mark.parametrize("cell", ["31/02/2023", "hôm qua", "2023/13/45", 12])
def test_parse_date_refuses_non_dates(cell):
    with pytest.raises(CellError):
        parse_date(cell)


TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def to_windows_1258_form(text: str) -> str:
    """Text as Windows-1258 stores it: base letters precomposed, tone marks combining."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONE_MARKS)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        out.append(base + tones)
    return "".join(out)


def _write(path: Path, text: str, encoding: str, bom: bytes = b"") -> Path:
    if encoding == "cp1258":
        text = to_windows_1258_form(text)
    path.write_bytes(bom + text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("encoding", "bom", "sep"),
    [("utf-8", b"", ";"), ("utf-8", b"\xef\xbb\xbf", ","), ("utf-16-le", b"\xff\xfe", "\t"),
     ("utf-16-le", b"", "\t"), ("cp1258", b"", ";")],
)
def test_reads_the_encodings_offices_produce(tmp_path, encoding, bom, sep):
    text = "\n".join(r.replace(";", sep) for r in [HEADER_VI, *ROWS]) + "\n"
    path = _write(tmp_path / "to_dan_pho.csv", text, encoding, bom)
    raw = read_table(path, GROUP_CONFERENCES)
    assert list(raw.frame["group_code"]) == ["00241-TDP01", "00244-TDP03"]
    assert raw.headers["households_invited"] == "Số hộ được mời"
    assert list(raw.frame[ROW]) == [2, 3]


def test_windows_1258_decomposed_marks_become_nfc(tmp_path):
    path = _write(tmp_path / "g.csv", "Mã phường;Mã tổ dân phố;Ghi chú\n00241;T1;Họp ghép tổ\n",
                  "cp1258")
    raw = read_table(path, GROUP_CONFERENCES)
    assert decode_bytes(path.read_bytes()).count("\u0323") >= 1  # decoded: marks combining
    assert raw.frame["notes"].iloc[0] == "Họp ghép tổ"  # read: one NFC form


def test_header_found_below_a_title_and_in_any_spelling(tmp_path):
    text = (
        "UBND PHƯỜNG NGUYỄN DU;;;\nKẾT QUẢ HỘI NGHỊ NĂM 2023;;;\n;;;\n"
        "MA PHUONG;ma to dan pho;SO HO DUOC MOI;So ho du\n00241;00241-TDP01;100;80\n"
    )
    raw = read_table(_write(tmp_path / "g.csv", text, "utf-8"), GROUP_CONFERENCES)
    assert raw.header_row == 4
    assert list(raw.frame[ROW]) == [5]
    assert set(raw.headers) == {"ward_code", "group_code", "households_invited",
                                "households_attended"}


def test_excel_with_merged_title_row_and_leading_zero_codes(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["BÁO CÁO HỘI NGHỊ TỔ DÂN PHỐ"])
    ws.merge_cells("A1:F1")
    ws.append(["Mã phường", "Mã tổ dân phố", "Ngày hội nghị", "Số hộ được mời", "Số hộ dự",
               "Số ý kiến"])
    ws.append([241, "00241-TDP01", dt.datetime(2023, 1, 5), 120, 90, 1])
    ws.append([None] * 6)  # a blank row does not shift the numbering
    ws.append(["00244", "00244-TDP01", "06/01/2023", "1.200", "800", "2 ý kiến"])
    wb.save(tmp_path / "g.xlsx")
    raw = read_table(tmp_path / "g.xlsx", GROUP_CONFERENCES)
    assert list(raw.frame[ROW]) == [3, 5]
    from hbt_analysis.io import parse_code

    assert parse_code(raw.frame["ward_code"].iloc[0], width=5) == "00241"


def test_parquet_is_read_with_the_same_aliases(tmp_path):
    df = pd.DataFrame({"so ho duoc moi": [10], "so ho du": [7], "ma phuong": ["00241"],
                       "ma tdp": ["00241-TDP01"]})
    df.to_parquet(tmp_path / "g.parquet")
    raw = read_table(tmp_path / "g.parquet", GROUP_CONFERENCES)
    assert raw.frame["households_attended"].iloc[0] == 7


def test_unreadable_files_get_bilingual_errors(tmp_path):
    with pytest.raises(ReadError, match=r"tệp trống.*empty"):
        read_table(_write(tmp_path / "e.csv", "\n\n", "utf-8"), GROUP_CONFERENCES)
    with pytest.raises(ReadError, match=r"văn bản thường.*plain text"):  # text named .ods
        read_table(_write(tmp_path / "g.ods", "x", "utf-8"), GROUP_CONFERENCES)
    with pytest.raises(ReadError, match=r"tiêu đề.*header"):
        read_table(_write(tmp_path / "g.csv", "a,b\n1,2\n", "utf-8"), GROUP_CONFERENCES)


@given(st.text(alphabet="ÁáẢảÀàĐđ Ư ư Số hộ được mời_-()", max_size=30))
def test_header_key_is_idempotent(text):
    assert header_key(header_key(text)) == header_key(text)

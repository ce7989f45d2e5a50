"""Vietnamese number formats: 35.323; 68,6%; dd/mm/yyyy; no signed zero."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hbt_analysis.fmt import (
    MISSING,
    fmt_change,
    fmt_date,
    fmt_int,
    fmt_num,
    fmt_pct,
    fmt_pp,
    fmt_pp_change,
    fmt_signed,
)


def test_vietnamese_and_english_forms():
    assert fmt_int(35323) == "35.323"
    assert fmt_int(35323, "en") == "35,323"
    assert fmt_pct(35323 / 51477) == "68,6%"
    assert fmt_pct(2142 / 2203, lang="en") == "97.2%"
    assert fmt_num(1234567.891, 2) == "1.234.567,89"
    assert fmt_date(dt.date(2023, 2, 28)) == "28/02/2023"
    assert fmt_signed(-5645) == "-5.645" and fmt_signed(1116) == "+1.116"
    assert fmt_pp(0.012) == "+1,2 điểm %" and fmt_pp(-0.035, lang="en") == "-3,5 pp".replace(
        ",", ".")
    # a leader's sentence says the change in words, the Vietnamese way
    assert fmt_change(-74) == "giảm 74" and fmt_change(1116) == "tăng 1.116"
    assert fmt_change(1116, lang="en") == "up 1,116" and fmt_change(0.2) == "không đổi"
    assert fmt_pp_change(-0.035) == "giảm 3,5 điểm %" and fmt_pp_change(0.0004) == "không đổi"
    assert fmt_pp_change(0.012, lang="en") == "up 1.2 pp"
    assert fmt_change(None) == fmt_pp_change(float("nan")) == MISSING


@pytest.mark.parametrize("value", [None, float("nan"), pd.NA, pd.NaT])
def test_missing_values_show_a_dash(value):
    assert fmt_int(value) == fmt_pct(value) == fmt_date(value) == MISSING


@given(st.floats(min_value=-0.0004999, max_value=0.0004999))
def test_a_rounded_zero_has_no_sign(x):
    assert fmt_pp(x) == "0,0 điểm %"
    assert fmt_num(x / 10, 1) == "0,0"
    assert fmt_signed(x) == "0"

"""A ward by code or by name, the same in `hbt report --ward` and in the notebooks; an unknown
one answered with the list of wards ("mã – tên"), in a notebook without a traceback."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from hbt_analysis.report.plan import PlanError, YearInfo, resolve_wards
from hbt_analysis.units import UnknownWardError, check_ward, fold_name, resolve_ward
from tests.conftest import needs_bundled_data

ROOT = Path(__file__).resolve().parents[1]
KERNEL = "hbt-analysis"
WARDS = (("00241", "Nguyễn Du"), ("00244", "Bạch Đằng"), ("00286", "Bạch Mai"),
         ("00283", "Vĩnh Tuy"))


@pytest.mark.parametrize("typed, code", [
    ("00286", "00286"), (286, "00286"), ("286", "00286"), (" 00241 ", "00241"),
    ("Bạch Mai", "00286"), ("bạch mai", "00286"), ("BẠCH ĐẰNG", "00244"), ("bach dang", "00244"),
    ("Phường Bạch Mai", "00286"), ("phuong  vinh tuy", "00283"), ("P. Nguyễn Du", "00241"),
    ("Ba\u0323ch Mai", "00286"),  # decomposed tone mark (typed on another keyboard)
])
def test_a_ward_by_code_or_by_name(typed, code):
    assert resolve_ward(typed, WARDS) == code


def test_an_unknown_ward_lists_codes_and_names():
    with pytest.raises(UnknownWardError) as err:
        resolve_ward("Bạch Maii", WARDS, 2023)
    message = str(err.value)
    assert "'Bạch Maii'" in message and "2023" in message
    assert "00286 – Bạch Mai" in message and "00241 – Nguyễn Du" in message
    assert len(message.splitlines()) == 1 + len(WARDS)
    # what IPython prints instead of a traceback: the message alone
    assert err.value._render_traceback_() == message.splitlines()
    with pytest.raises(UnknownWardError):
        resolve_ward("99999", WARDS)
    with pytest.raises(ValueError):  # still a ValueError for callers that catch those
        resolve_ward("", WARDS)


def test_names_that_differ_only_by_their_marks_are_not_guessed():
    wards = (("1", "Hòa"), ("2", "Hoa"))
    assert resolve_ward("Hòa", wards) == "1" and resolve_ward("hoa", wards) == "2"
    with pytest.raises(UnknownWardError):
        resolve_ward("Hóa", wards)  # neither: refused, not taken for one of them
    assert fold_name("Phường  Đống Đa") == "phuong dong da"


def test_the_cli_uses_the_same_resolver():
    info = YearInfo(2023, "h", True, WARDS, True)
    assert resolve_wards(["Bạch Mai,bach dang", "district", "286"], info) == [
        "00286", "00244", None]
    with pytest.raises(PlanError) as err:
        resolve_wards(["Bạch Maii"], info)
    assert "00286 – Bạch Mai" in str(err.value) and "'all'" in str(err.value)


@needs_bundled_data
def test_notebook_helper_accepts_a_name():
    import hbt_analysis as hbt

    ds = hbt.load(2023)
    assert check_ward(ds, None) is None
    assert check_ward(ds, "Bạch Mai") == "00286" == check_ward(ds, 286)


# -- the notebooks on a real kernel (papermill) -----------------------------------------------

def _papermill(stem: str, out: Path, **params):
    import papermill as pm

    return pm.execute_notebook(str(ROOT / "notebooks" / f"{stem}.ipynb"), str(out),
                               parameters={"year": 2023, **params}, kernel_name=KERNEL,
                               progress_bar=False, cwd=str(ROOT))


@needs_bundled_data
def test_03_accepts_a_ward_name(tmp_path):
    from tests.nbtools import errors, texts

    nb = _papermill("03_opinions", tmp_path / "03.ipynb", ward="Bạch Mai")
    assert not errors(nb)
    assert "phường Bạch Mai" in texts(nb)


@needs_bundled_data
@pytest.mark.parametrize("stem", [
    pytest.param("00_overview", marks=pytest.mark.slow),
    pytest.param("01_attendance", marks=pytest.mark.slow),
    pytest.param("02_compare_years", marks=pytest.mark.slow),
    "03_opinions",
])
def test_an_unknown_ward_fails_the_run_with_the_list_and_no_traceback(tmp_path, stem):
    import papermill as pm

    out = tmp_path / f"{stem}.ipynb"
    with pytest.raises(pm.PapermillExecutionError) as err:
        _papermill(stem, out, ward="Bạch Maii")
    assert err.value.ename == "UnknownWardError"
    nb = nbformat.read(out, as_version=4)
    shown = [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert len(shown) == 1
    lines = shown[0]["traceback"]
    assert lines[0].startswith("Không có phường 'Bạch Maii' trong dữ liệu năm 2023")
    assert "  00286 – Bạch Mai" in lines and "  00241 – Nguyễn Du" in lines
    assert len(lines) == 19  # the message and the 18 wards: no traceback, no code
    assert not any("Traceback" in line or "File " in line or "\x1b[" in line for line in lines)

"""Office files as they are handed over: each kind read right, or refused naming its cause.

Every case is a real file (openpyxl, LibreOffice-made .xls/.ods in tests/data/intake, an
encrypted workbook from msoffcrypto-tool, an HTML page) run through `hbt validate`, the way
an office would check its folder; the input files must come out byte for byte unchanged.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

import hbt_analysis as hbt
import hbt_analysis.dataset  # hbt.dataset below is the submodule: load it here, not by luck
from hbt_analysis.intake import open_source, read_files
from hbt_analysis.io import ReadError
from hbt_analysis.text import normalize
from tests import intake_files as make
from tests.conftest import DATA, needs_bundled_data

pytestmark = needs_bundled_data
FIXTURES = Path(__file__).parent / "data" / "intake"
TOTALS = make.totals() if (DATA / "2023").is_dir() else {}


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def validate(folder: Path, *args: str, env_path: str | None = None) -> tuple[int, str]:
    """`hbt validate FOLDER` as an office runs it; the folder must not change."""
    before = _digest(folder)
    env = dict(os.environ, **({"PATH": env_path} if env_path else {}))
    result = subprocess.run(
        [sys.executable, "-m", "hbt_analysis.cli", "validate", str(folder),
         "--data-dir", str(DATA), "--all-warnings", *args],
        capture_output=True, text=True, timeout=300, env=env)
    out = result.stdout + result.stderr
    assert "Traceback" not in out, out
    assert _digest(folder) == before, "validation must not change any input file"
    return result.returncode, out


def assert_reads_2023(folder: Path) -> hbt.Dataset:
    ds = hbt.dataset.load_files(sorted(folder.iterdir()), 2023, reference_dir=DATA,
                                strict=True)
    g = ds.group_conferences
    assert len(g) == TOTALS["groups"]
    assert g["households_invited"].sum() == TOTALS["invited"]
    assert g["households_attended"].sum() == TOTALS["attended"]
    assert g["opinions_count"].sum() == TOTALS["opinions"]
    expected = pd.read_csv(DATA / "2023" / "group_conferences.csv", dtype={"ward_code": str})
    merged = g.merge(expected, on="group_code", suffixes=("", "_expected"))
    assert len(merged) == len(g), "every group code as in the source"
    assert (merged["households_attended"] == merged["households_attended_expected"]).all()
    assert (merged["ward_code"] == merged["ward_code_expected"]).all()
    return ds


# --- layouts ----------------------------------------------------------------------------

def test_report_sheet_with_merged_two_row_header_headings_subtotals_and_total(tmp_path):
    folder = tmp_path / "2023"
    make.report_sheet(folder)
    ds = assert_reads_2023(folder)
    code, out = validate(folder, "--explain")
    assert code == 0, out
    assert "Dòng tiêu đề: 7–8 (+ dòng số thứ tự cột 9)" in out
    assert "'Số hộ / Được mời' → Số hộ được mời" in out
    assert "Bỏ qua 18 dòng cộng" in out and "Bỏ qua 1 dòng tổng cộng" in out
    assert "khớp với các dòng số liệu" in out
    assert "Bỏ qua 18 tiêu đề phường" in out
    assert ds.intake is not None


def test_wards_known_from_their_heading_rows_and_groups_from_names(tmp_path):
    folder = tmp_path / "2023"
    make.report_sheet(folder, ward_code_column=False)
    assert_reads_2023(folder)


def test_ward_blocks_pasted_with_their_own_headers(tmp_path):
    folder = tmp_path / "2023"
    make.report_sheet(folder, repeated_headers=True)
    assert_reads_2023(folder)
    code, out = validate(folder, "--explain")
    assert code == 0
    assert "dòng tiêu đề lặp lại" in out


@pytest.mark.parametrize(("kwargs", "label", "figures"), [
    ({"subtotal_delta": 10}, "Cộng phường Nguyễn Du", ("1.670", "1.660")),
    ({"total_delta": -100}, "TỔNG CỘNG", ("51.377", "51.477")),
])
def test_a_subtotal_or_total_that_disagrees_is_an_error_naming_row_and_figures(
        tmp_path, kwargs, label, figures):
    folder = tmp_path / "2023"
    make.report_sheet(folder, **kwargs)
    code, out = validate(folder)
    assert code == 1, out
    assert label in out and all(f in out for f in figures), out
    assert "dòng/row" in out


def test_one_sheet_per_ward_and_a_hidden_backup_is_not_counted_twice(tmp_path):
    folder = tmp_path / "2023"
    make.sheet_per_ward(folder, hidden_backup=True)
    assert_reads_2023(folder)
    code, out = validate(folder)
    assert code == 0
    assert "Sheet ẩn" in out and "(cu)" in out


def test_a_ward_left_out_is_refused_by_name(tmp_path):
    folder = tmp_path / "2023"
    make.sheet_per_ward(folder, leave_out="00286")
    code, out = validate(folder)
    assert code == 1
    assert "Bạch Mai (00286)" in out


def test_a_copy_of_the_workbook_is_reported_and_read_once(tmp_path):
    folder = tmp_path / "2023"
    path = make.sheet_per_ward(folder)
    shutil.copy(path, folder / "Tong hop TDP 2023 (1).xlsx")
    (folder / "~$Tong hop TDP 2023.xlsx").write_bytes(b"\x00lock")
    assert_reads_2023(folder)
    code, out = validate(folder)
    assert code == 0, out
    assert "trùng hoàn toàn" in out and "(1).xlsx" in out


def test_a_copy_with_other_figures_is_refused_naming_both_files(tmp_path):
    folder = tmp_path / "2023"
    path = make.sheet_per_ward(folder)
    wb = load_workbook(path)
    wb.worksheets[0]["H3"] = 1  # the copy differs in one cell
    wb.save(folder / "Tong hop TDP 2023 - Copy.xlsx")
    code, out = validate(folder)
    assert code == 1
    assert "Copy.xlsx" in out and "Tong hop TDP 2023.xlsx" in out


# --- names, encodings, formats ----------------------------------------------------------

def test_wards_and_groups_by_name_in_every_spelling(tmp_path):
    folder = tmp_path / "2023"
    make.by_name(folder)
    assert_reads_2023(folder)


def test_a_misspelled_ward_is_refused_with_the_closest_suggestion(tmp_path):
    folder = tmp_path / "2023"
    make.by_name(folder, misspell="P. Bạch Dằng")
    code, out = validate(folder)
    assert code == 1
    assert "'P. Bạch Dằng' — có phải Bạch Đằng (00244)?" in out
    assert "dòng/row 22" in out


def test_html_table_saved_as_xls(tmp_path):
    folder = tmp_path / "2023"
    make.html_as_xls(folder)
    assert_reads_2023(folder)
    _, out = validate(folder, "--explain")
    assert "trang web (HTML)" in out


def test_csv_with_semicolons_decimal_commas_and_thousand_dots(tmp_path):
    folder = tmp_path / "2023"
    make.semicolon_csv(folder)
    assert_reads_2023(folder)


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_excel_97_2003_and_libreoffice_files(tmp_path, suffix):
    """Made by LibreOffice from the report sheet (tests/data/intake/README.md says how)."""
    folder = tmp_path / "2023"
    make.copy_other_tables(folder)
    shutil.copy(FIXTURES / f"bieu_mau.{suffix}", folder / f"bieu_mau.{suffix}")
    assert_reads_2023(folder)
    assert open_source(folder / f"bieu_mau.{suffix}").kind == suffix


def test_an_xls_that_is_really_an_xlsx_is_read_with_a_note(tmp_path):
    folder = tmp_path / "2023"
    make.report_sheet(folder)
    (folder / "to_dan_pho.xlsx").rename(folder / "to_dan_pho.xls")
    assert_reads_2023(folder)
    source = open_source(folder / "to_dan_pho.xls")
    assert source.kind == "xlsx" and "thực chất là Excel (.xlsx)" in source.notes_vi[0]


# --- damaged files ----------------------------------------------------------------------

def _encrypted(src: Path, dst: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    with src.open("rb") as fh, dst.open("wb") as out:
        OOXMLFile(fh).encrypt("123456", out)


@pytest.mark.parametrize(("name", "make_bytes", "cause"), [
    ("Tong hop 2023.xlsx", "encrypted", "mật khẩu"),
    ("to_dan_pho.xlsx", lambda good: b"", "tệp trống (0 byte)"),
    ("to_dan_pho.xlsx", lambda good: good[: len(good) // 2], "bị hỏng"),
    ("to_dan_pho.csv", lambda good: b"STT,Ma\x00\x00\x01\x02" * 50, "NUL"),
    ("to_dan_pho.xlsx", lambda good: b"%PDF-1.4\n%\xe2\xe3\n1 0 obj", "PDF"),
    ("to_dan_pho.xlsx", "docx", "Word"),
    ("to_dan_pho.xlsx", lambda good: b"<html><body><h1>500 Internal Server Error</h1>"
     b"</body></html>", "HTML"),
])
def test_damaged_files_are_refused_naming_the_file_and_the_cause(tmp_path, name, make_bytes,
                                                                 cause):
    folder = tmp_path / "2023"
    good = make.report_sheet(tmp_path / "good")
    make.copy_other_tables(folder)
    target = folder / name
    if make_bytes == "encrypted":
        _encrypted(good, target)
    elif make_bytes == "docx":
        with zipfile.ZipFile(target, "w") as zf:
            zf.writestr("[Content_Types].xml", "<Types/>")
            zf.writestr("word/document.xml", "<w:document/>")
    else:
        target.write_bytes(make_bytes(good.read_bytes()))
    code, out = validate(folder)
    assert code == 1
    assert name in out and cause in out, out
    with pytest.raises(hbt.DataError):
        hbt.dataset.load_files(sorted(folder.iterdir()), 2023, reference_dir=DATA)


def test_open_source_raises_read_error_never_a_library_exception(tmp_path):
    for data in (b"PK\x03\x04garbage", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100):
        path = tmp_path / "x.xlsx"
        path.write_bytes(data)
        with pytest.raises(ReadError):
            open_source(path)


# --- never wrong numbers in silence -----------------------------------------------------

def _rows_with_last_year(g: pd.DataFrame) -> list[list[object]]:
    return [[2023, r.ward_code, r.ward_name, r.group_code, r.group_name,
             r.conference_date.to_pydatetime(), r.households_invited + 7,
             r.households_attended + 3, r.households_invited, r.households_attended,
             r.opinions_count] for r in g.itertuples()]


def test_last_years_columns_beside_this_years_are_set_aside_with_a_warning(tmp_path):
    folder = tmp_path / "2023"
    make.copy_other_tables(folder)
    headers = ["Năm", "Mã phường", "Tên phường", "Mã tổ dân phố", "Tên tổ dân phố",
               "Ngày hội nghị", "Số hộ được mời (2022)", "Số hộ dự (2022)", "Số hộ được mời",
               "Số hộ dự", "Số ý kiến"]
    make.template_workbook(folder / "hbt_2023.xlsx", _rows_with_last_year(make.groups()),
                           headers)
    assert_reads_2023(folder)
    code, out = validate(folder)
    assert code == 0
    assert "bỏ qua cột G 'Số hộ được mời (2022)'" in out


def test_a_year_band_over_two_blocks_reads_this_years_block(tmp_path):
    folder = tmp_path / "2023"
    make.copy_other_tables(folder)
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã tổ dân phố", "Mã phường", "Năm 2022", None, "Năm 2023", None, None])
    ws.merge_cells("C1:D1")
    ws.merge_cells("E1:G1")
    ws.append([None, None, "Số hộ được mời", "Số hộ dự", "Số hộ được mời", "Số hộ dự",
               "Số ý kiến"])
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    for r in make.groups().itertuples():
        ws.append([r.group_code, r.ward_code, r.households_invited + 5, r.households_attended,
                   r.households_invited, r.households_attended, r.opinions_count])
    wb.save(folder / "so_sanh.xlsx")
    ds = hbt.dataset.load_files(sorted(folder.iterdir()), 2023, reference_dir=DATA,
                                strict=False)
    g = ds.group_conferences
    assert g["households_invited"].sum() == TOTALS["invited"]


@pytest.mark.parametrize("variant", ["columns", "title"])
def test_last_years_figures_in_this_years_folder_are_refused(tmp_path, variant):
    folder = tmp_path / "2023"
    make.copy_other_tables(folder)
    if variant == "columns":
        headers = list(make.TEMPLATE_HEADERS)
        headers[6:8] = ["Số hộ được mời (2022)", "Số hộ dự (2022)"]
        make.template_workbook(folder / "hbt.xlsx", headers=headers)
        expected = "năm 2022"
    else:
        make.report_sheet(folder, year_in_title=2022)
        expected = "Tiêu đề của bảng ghi năm 2022"
    code, out = validate(folder)
    assert code == 1
    assert expected in out, out


def test_two_unmarked_columns_for_one_figure_are_refused_naming_both(tmp_path):
    folder = tmp_path / "2023"
    make.copy_other_tables(folder)
    headers = list(make.TEMPLATE_HEADERS)
    headers[4] = "Số hộ được mời"  # instead of the group name, a second 'invited'
    make.template_workbook(folder / "hbt.xlsx", headers=headers)
    code, out = validate(folder)
    assert code == 1
    assert "Hai cột cùng có thể là 'Số hộ được mời'" in out
    assert "cột E" in out and "cột G" in out


def _formula_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "2023"
    make.copy_other_tables(folder)
    wb = Workbook()
    ws = wb.active
    ws.title = "To dan pho"
    ws.append(["HỘI NGHỊ TỔ DÂN PHỐ"])
    ws.append(make.TEMPLATE_HEADERS)
    for i, r in enumerate(make._template_rows(make.groups()), start=3):
        ws.append([*r[:8], f"=COUNTIF('Y kien'!E:E,D{i})", None])
    ops = wb.create_sheet("Y kien")
    src = pd.read_csv(DATA / "2023" / "opinions.csv", dtype=str, keep_default_na=False)
    ops.append(["Mã ý kiến", "Năm", "Cấp hội nghị", "Mã phường", "Mã tổ dân phố",
                "Nội dung ý kiến"])
    for r in src.itertuples():
        ops.append([r.opinion_id, 2023, r.level, r.ward_code, r.group_code or None, r.text])
    (folder / "opinions.csv").unlink()
    wb.save(folder / "hbt.xlsx")  # openpyxl stores formulas without their results
    return folder


def test_formulas_without_stored_results_are_refused_naming_the_cells(tmp_path):
    """Without LibreOffice nothing can compute them: one error naming the cells and the fix."""
    folder = _formula_folder(tmp_path)
    code, out = validate(folder, env_path="/nonexistent")
    assert code == 1
    assert "công thức chưa có kết quả" in out and "I3:I265" in out
    assert "Paste Values" in out
    assert out.count("[LỖI/ERROR]") == 1, "one error for the column, not one per cell"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_formulas_without_stored_results_are_computed_by_libreoffice(tmp_path):
    folder = _formula_folder(tmp_path)
    assert_reads_2023(folder)
    code, out = validate(folder)
    assert code == 0, out
    assert "tính bằng LibreOffice" in out


def test_month_first_dates_are_refused_with_that_reason(tmp_path):
    folder = tmp_path / "2023"
    make.copy_other_tables(folder)
    rows = make._template_rows(make.groups())
    for r in rows:
        r[5] = r[5].strftime("%m/%d/%Y")
    make.template_workbook(folder / "hbt.xlsx", rows)
    code, out = validate(folder)
    assert code == 1
    assert "tháng trước ngày" in out and "month first" in out


def test_dates_written_with_weekday_time_or_two_digit_year(tmp_path):
    folder = tmp_path / "2023"
    make.copy_other_tables(folder)
    rows = make._template_rows(make.groups())
    weekdays = ["Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật"]
    for i, r in enumerate(rows):
        d = r[5]
        r[5] = [f"{weekdays[d.weekday()]}, {d:%d/%m/%Y}", f"{d:%d/%m/%Y} (tối)",
                f"{d.day}/{d.month}/{d:%y}", d][i % 4]
    make.template_workbook(folder / "hbt.xlsx", rows)
    ds = assert_reads_2023(folder)
    expected = make.groups().set_index("group_code")["conference_date"]
    got = ds.group_conferences.set_index("group_code")["conference_date"]
    assert (got.sort_index() == expected.sort_index()).all()


def test_a_group_count_far_from_last_years_is_warned(tmp_path):
    src = pd.read_csv(DATA / "2023" / "group_conferences.csv", dtype=str)
    (tmp_path / "2022").mkdir()
    src.assign(year="2022").to_csv(tmp_path / "2022" / "group_conferences.csv", index=False)
    (tmp_path / "2023").mkdir()
    fewer = src[~src["group_code"].isin([f"00283-TDP{i:02d}" for i in range(1, 9)])]
    fewer.to_csv(tmp_path / "2023" / "group_conferences.csv", index=False)
    shutil.copytree(DATA / "reference", tmp_path / "reference")
    ds = hbt.load(2023, tmp_path, strict=False)
    changed = [p for p in ds.warnings if p.code == "group_count_changed"]
    assert len(changed) == 1 and "Vĩnh Tuy" in changed[0].message_vi
    assert "năm 2022 có" in changed[0].message_vi


def test_read_files_records_how_every_sheet_was_read(tmp_path):
    folder = tmp_path / "2023"
    make.sheet_per_ward(folder, hidden_backup=True)
    intake = read_files(sorted(folder.iterdir()),
                        2023, hbt.load_reference(DATA)["wards"])
    sheets = [s for f in intake.files for s in f.sheets]
    assert sum(1 for s in sheets if s.table == "group_conferences" and s.used) == 18
    hidden = [s for s in sheets if not s.visible]
    assert len(hidden) == 1 and not hidden[0].used


def test_the_reader_never_writes_to_the_file(tmp_path):
    path = make.report_sheet(tmp_path / "2023")
    before = path.read_bytes()
    open_source(path)
    read_files([path], 2023, hbt.load_reference(DATA)["wards"])
    assert path.read_bytes() == before


def test_encrypted_bytes_in_memory_are_not_needed_to_name_the_cause(tmp_path):
    """A password-protected .xls (BIFF FILEPASS) or .xlsx (OLE EncryptionInfo) alike."""
    good = make.report_sheet(tmp_path / "g")
    enc = tmp_path / "enc.xlsx"
    _encrypted(good, enc)
    buf = io.BytesIO(enc.read_bytes())
    assert buf.read(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    with pytest.raises(ReadError, match="mật khẩu"):
        open_source(enc)


def test_letters_lost_to_an_ansi_save_are_refused_not_guessed(tmp_path):
    folder = tmp_path / "2023"
    path = make.by_name(folder)
    text = path.read_text(encoding="utf-8-sig")
    lossy = "".join(ch if ord(ch) < 256 else "?" for ch in text)  # Notepad's 'Save as ANSI'
    path.write_bytes(lossy.encode("cp1252", errors="replace"))
    code, out = validate(folder)
    assert code == 1
    assert "to_dan_pho.csv" in out and "dấu hỏi '?'" in out


def test_last_years_whole_file_in_this_years_folder_is_refused(tmp_path):
    """Every row says 2022 (and every date too): never read as 2023."""
    folder = tmp_path / "2023"
    make.copy_other_tables(folder)
    rows = make._template_rows(make.groups())
    for r in rows:
        r[0] = 2022
        r[5] = r[5].replace(year=2022)
    make.template_workbook(folder / "Tong hop HNDBND.xlsx", rows)
    code, out = validate(folder)
    assert code == 1
    assert "Năm là 2022" in out and "thuộc năm 2022" in out


def test_columns_marked_last_year_in_words_are_set_aside(tmp_path):
    folder = tmp_path / "2023"
    make.copy_other_tables(folder)
    headers = ["Năm", "Mã phường", "Tên phường", "Mã tổ dân phố", "Tên tổ dân phố",
               "Ngày hội nghị", "Số hộ được mời năm trước", "Số hộ dự năm trước",
               "Số hộ được mời", "Số hộ dự", "Số ý kiến"]
    make.template_workbook(folder / "hbt_2023.xlsx", _rows_with_last_year(make.groups()),
                           headers)
    assert_reads_2023(folder)


def test_a_total_column_beside_its_breakdown_is_read_as_the_total(tmp_path):
    folder = tmp_path / "2023"
    make.copy_other_tables(folder)
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã tổ dân phố", "Mã phường", "Ngày", "Số hộ được mời", "Số hộ dự",
               "Ý kiến, kiến nghị", None, None])
    ws.append([None, None, None, None, None, "Tổng số", "Trong đó", None])
    ws.append([None, None, None, None, None, None, "Đã giải quyết", "Chuyển cấp trên"])
    for c in "ABCDE":
        ws.merge_cells(f"{c}1:{c}3")
    ws.merge_cells("F1:H1")
    ws.merge_cells("F2:F3")
    ws.merge_cells("G2:H2")
    for r in make.groups().itertuples():
        ws.append([r.group_code, r.ward_code, r.conference_date.to_pydatetime(),
                   r.households_invited, r.households_attended, r.opinions_count,
                   r.opinions_count // 2, r.opinions_count // 3])
    wb.save(folder / "bieu_03.xlsx")
    ds = hbt.dataset.load_files(sorted(folder.iterdir()), 2023, reference_dir=DATA,
                                strict=False)
    assert ds.group_conferences["opinions_count"].sum() == TOTALS["opinions"]


def test_a_total_written_above_the_rows_and_headings_that_carry_their_ward_totals(tmp_path):
    folder = tmp_path / "2023"
    make.copy_other_tables(folder)
    g = make.groups()
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Mã TDP", "Tên TDP", "Số hộ được mời", "Số hộ tham dự", "Số ý kiến"])
    ws.append(["TỔNG CỘNG", None, None, int(g["households_invited"].sum()),
               int(g["households_attended"].sum()), int(g["opinions_count"].sum())])
    for i, (_, block) in enumerate(g.groupby("ward_code")):
        ws.append([make.ROMAN[i], f"Phường {block['ward_name'].iloc[0]}", None,
                   int(block["households_invited"].sum()),
                   int(block["households_attended"].sum()), int(block["opinions_count"].sum())])
        for k, r in enumerate(block.itertuples(), start=1):
            ws.append([k, r.group_code, r.group_name, r.households_invited,
                       r.households_attended, r.opinions_count])
    wb.save(folder / "bieu.xlsx")
    ds = hbt.dataset.load_files(sorted(folder.iterdir()), 2023, reference_dir=DATA,
                                strict=False)
    assert len(ds.group_conferences) == TOTALS["groups"]
    assert ds.group_conferences["households_invited"].sum() == TOTALS["invited"]
    assert not [p for p in ds.warnings if p.code == "total_mismatch"]


def test_a_hidden_sheet_of_last_year_is_not_read_and_not_an_error(tmp_path):
    folder = tmp_path / "2023"
    path = make.template_workbook(tmp_path / "2023" / "hbt.xlsx")
    make.copy_other_tables(folder)
    wb = load_workbook(path)
    old = wb.create_sheet("TDP 2022")
    old.append(["HỘI NGHỊ TỔ DÂN PHỐ NĂM 2022"])
    old.append(make.TEMPLATE_HEADERS)
    old.append([2022, "00241", "Nguyễn Du", "00241-TDP01", "Tổ 1", "05/02/2022", 100, 90, 0])
    old.sheet_state = "hidden"
    wb.save(path)
    assert_reads_2023(folder)


def test_dates_half_turned_by_a_month_first_computer_are_refused(tmp_path):
    folder = tmp_path / "2023"
    make.copy_other_tables(folder)
    rows = make._template_rows(make.groups())
    for r in rows:
        d = r[5]
        r[5] = d.replace(month=d.day, day=d.month) if d.day <= 12 else d.strftime("%d/%m/%Y")
    make.template_workbook(folder / "hbt.xlsx", rows)
    code, out = validate(folder)
    assert code == 1
    assert "máy đặt kiểu Mỹ" in out


def test_a_file_of_nul_bytes_is_damaged_not_a_crash(tmp_path):
    folder = tmp_path / "2023"
    make.copy_other_tables(folder)
    (folder / "to_dan_pho.xlsx").write_bytes(b"\x00" * 20000)
    code, out = validate(folder)
    assert code == 1 and "bị hỏng" in out


# --- kinds found by the second held-out set ----------------------------------------------

def _sums(block: pd.DataFrame) -> list[int]:
    return [int(block[c].sum()) for c in ("households_invited", "households_attended",
                                          "opinions_count")]


def _load(folder: Path, strict: bool = True) -> hbt.Dataset:
    return hbt.dataset.load_files(sorted(folder.iterdir()), 2023, reference_dir=DATA,
                                  strict=strict)


def test_unit_name_column_of_headings_with_sums_and_groups_by_name(tmp_path):
    """'Tên đơn vị' holds both the ward headings (with their sums) and 'Tổ dân phố số N';
    the column-number row reads 'A B 1 2 3=2/1 4'; a 'Tổng số hộ' column is not invited."""
    folder = tmp_path / "2023"
    make.copy_other_tables(folder)
    g = make.groups()
    wb = Workbook()
    ws = wb.active
    ws.append(["BÁO CÁO KẾT QUẢ HỘI NGHỊ"])
    ws.append(["Số TT", "Tên đơn vị", "Tổng số hộ", "Ngày", "Số hộ được mời", "Số hộ tham dự",
               "Tỷ lệ (%)", "Số ý kiến"])
    ws.append(["A", "B", "1", "2", "3", "4", "5=4/3", "6"])
    ws.append(["TOÀN QUẬN", None, int(g["households_invited"].sum() * 1.4), None, *_sums(g)[:2],
               None, _sums(g)[2]])
    for i, (_, block) in enumerate(g.groupby("ward_code")):
        inv, att, op = _sums(block)
        ws.append([make.ROMAN[i], f"Phường {block['ward_name'].iloc[0]}", None, None, inv, att,
                   None, op])
        for k, r in enumerate(block.itertuples(), start=1):
            n = int(r.group_code.rsplit("TDP", 1)[1])
            ws.append([k, f"Tổ dân phố số {n}", r.households_invited + 50,
                       r.conference_date.to_pydatetime(), r.households_invited,
                       r.households_attended, None, r.opinions_count])
    wb.save(folder / "Bieu 02.xlsx")
    assert_reads_2023(folder)


def test_subtotal_columns_and_a_ward_name_merged_into_its_subtotal_row(tmp_path):
    folder = tmp_path / "2023"
    make.copy_other_tables(folder)
    g = make.groups()
    wb = Workbook()
    ws = wb.active
    ws.append(["Phường", "STT", "Mã tổ", "Tên tổ", "Số hộ mời", "Số hộ dự", "Ý kiến", "Ngày",
               "Cộng theo phường", None])
    ws.append([None] * 8 + ["Hộ được mời", "Số ý kiến"])
    ws.merge_cells("I1:J1")
    row = 3
    for _, block in g.groupby("ward_code"):
        first = row
        for k, r in enumerate(block.itertuples(), start=1):
            ws.append([None, k, r.group_code, r.group_name, r.households_invited,
                       r.households_attended, r.opinions_count,
                       r.conference_date.to_pydatetime(),
                       *([_sums(block)[0], _sums(block)[2]] if k == 1 else [None, None])])
            row += 1
        ws.append([None, None, None, "Cộng", *_sums(block)])
        row += 1
        ws.cell(first, 1, f"PHƯỜNG {block['ward_name'].iloc[0].upper()}")
        ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
    ws.append([None, None, None, "TỔNG CỘNG", *_sums(g)])
    wb.save(folder / "ban in.xlsx")
    assert_reads_2023(folder)


def test_notes_with_figures_under_the_grand_total_are_not_groups(tmp_path):
    folder = tmp_path / "2023"
    path = make.template_workbook(folder / "hbt.xlsx")
    make.copy_other_tables(folder)
    g = make.groups()
    wb = load_workbook(path)
    ws = wb.active
    ws.append(["TỔNG CỘNG", None, None, None, None, None, *_sums(g)])
    ws.append(["Ghi chú:"])
    ws.append(["- Số TDP tổ chức hội nghị", None, None, None, None, None, len(g)])
    ws.append(["- Số hộ không tham dự", None, None, None, None, None, None,
               _sums(g)[0] - _sums(g)[1]])
    ws.append([None, None, None, None, None, None, None, "NGƯỜI LẬP BIỂU"])
    wb.save(path)
    assert_reads_2023(folder)


@pytest.mark.parametrize("typed_wrong", [False, True])
def test_a_summary_sheet_per_ward_is_checked_against_the_groups_never_read(tmp_path,
                                                                          typed_wrong):
    folder = tmp_path / "2023"
    path = make.template_workbook(folder / "Tong hop.xlsx")
    make.copy_other_tables(folder)
    g = make.groups()
    wb = load_workbook(path)
    ws = wb.create_sheet("Tổng hợp", 0)
    ws.append(["STT", "Phường", "Số TDP", "Số hộ được mời", "Số hộ dự", "Số ý kiến"])
    for i, (_, block) in enumerate(g.groupby("ward_code"), start=1):
        inv, att, op = _sums(block)
        if typed_wrong and i == 5:
            att += 25
        ws.append([i, block["ward_name"].iloc[0], len(block), inv, att, op])
    wb.save(path)
    if not typed_wrong:
        assert_reads_2023(folder)
        return
    code, out = validate(folder)
    assert code != 0
    ward = sorted(g["ward_code"].unique())[4]
    block = g[g["ward_code"] == ward]
    assert "Bảng tổng hợp" in out and ward in out and "dòng/row 6" in out
    assert f"{int(block['households_attended'].sum()):,}".replace(",", ".") in out


def test_an_instructions_sheet_with_example_rows_is_not_read(tmp_path):
    folder = tmp_path / "2023"
    path = make.template_workbook(folder / "Bieu mau.xlsx")
    make.copy_other_tables(folder)
    wb = load_workbook(path)
    ws = wb.create_sheet("Hướng dẫn", 0)
    ws.append(["Cách điền: mỗi tổ một dòng"])
    ws.append(make.TEMPLATE_HEADERS)
    ws.append([2023, "00241", "Nguyễn Du", "00241-TDP01", "Tổ 1", "Ví dụ", 100, 80, 2])
    ws.append([2023, "00241", "Nguyễn Du", "00241-TDP02", "Tổ 2", "05/01/2023", 120, 90, 1])
    wb.save(path)
    assert_reads_2023(folder)


@pytest.mark.parametrize("same_figures", [True, False])
def test_a_wards_own_file_beside_the_district_file(tmp_path, same_figures):
    """Read once when its rows agree with the district's (a warning names it); refused
    naming both files and a differing figure when they do not."""
    folder = tmp_path / "2023"
    make.template_workbook(folder / "Tong hop toan quan.xlsx")
    make.copy_other_tables(folder)
    g = make.groups()
    ward = g[g["ward_code"] == "00286"].copy()
    if not same_figures:
        ward.loc[ward.index[2], "households_attended"] -= 4
    rows = make._template_rows(ward)
    for r in rows:
        r[0] = None  # the ward's file leaves 'Năm' blank: the folder's year
    make.template_workbook(folder / "UBND P Bach Mai.xlsx", rows)
    if same_figures:
        ds = assert_reads_2023(folder)
        assert any(p.code == "duplicate_rows" for p in ds.warnings)
        return
    code, out = validate(folder)
    assert code != 0 and "hai nơi" in out and "UBND P Bach Mai" in out
    assert "Tong hop toan quan" in out


def test_dates_without_a_year_take_the_folders_with_a_warning(tmp_path):
    g = make.groups()
    rows = make._template_rows(g)
    for i, r in enumerate(rows):
        d = r[5]
        r[5] = f"{d.day}/{d.month}" if i % 2 else f"ngày {d.day:02d}/{d.month:02d}"
    folder = tmp_path / "2023"
    make.template_workbook(folder / "hbt.xlsx", rows)
    make.copy_other_tables(folder)
    ds = assert_reads_2023(folder)
    assert (pd.to_datetime(ds.group_conferences["conference_date"]).dt.year == 2023).all()
    assert any(p.code == "date_without_year" for p in ds.warnings)


def test_people_and_guests_columns_are_not_households(tmp_path):
    g = make.groups()
    rows = [[*r[:7], r[7] + 40, r[7], 5, r[8]] for r in make._template_rows(g)]
    headers = [*make.TEMPLATE_HEADERS[:7], "Số người dự", "Số hộ dự",
               "Số đại biểu khách mời", "Số ý kiến"]
    folder = tmp_path / "2023"
    make.template_workbook(folder / "hbt.xlsx", rows, headers)
    make.copy_other_tables(folder)
    assert_reads_2023(folder)


def test_a_month_first_date_in_a_day_first_column_says_so():
    from hbt_analysis.io import CellError, parse_date

    with pytest.raises(CellError) as err:
        parse_date("2/17/2023")
    assert "tháng trước" in err.value.message_vi and "month first" in err.value.message_en
    assert str(parse_date("2023-03-08T00:00:00.000")) == "2023-03-08"
    assert hbt.units.WardResolver.from_frame(
        pd.read_csv(DATA / "reference" / "wards_2023.csv", dtype=str)
    ).resolve("Ph. Nguyễn Du").code == "00241"


def test_some_wards_rows_in_tcvn3_in_a_unicode_sheet_and_codes_without_zeros(tmp_path):
    """Rows pasted from one ward's old .VnTime file among Unicode rows (beyond the first
    rows of the sheet), and group codes whose ward part Excel stripped ('241-TDP01')."""
    from hbt_analysis.legacy_codes import from_unicode

    g = make.groups()
    rows = make._template_rows(g)
    legacy_wards = set(sorted(g["ward_code"].unique())[7:9])
    for r in rows:
        if r[1] in legacy_wards:
            r[2], r[4] = from_unicode(r[2], "tcvn3"), from_unicode(r[4], "tcvn3")
        r[3] = r[3].lstrip("0")
    folder = tmp_path / "2023"
    make.template_workbook(folder / "tong_hop.xlsx", rows)
    make.copy_other_tables(folder)
    ds = assert_reads_2023(folder)
    assert any("TCVN3" in p.message_en for p in ds.warnings)


def test_a_sent_to_column_is_who_answers_not_the_opinion(tmp_path):
    folder = tmp_path / "2023"
    make.copy_other_tables(folder, opinions=False)
    shutil.copy(DATA / "2023" / "group_conferences.csv", folder)
    op = pd.read_csv(DATA / "2023" / "opinions.csv", dtype=str, keep_default_na=False)
    op = op.rename(columns={"text": "Nội dung ý kiến", "addressed_to": "Đề nghị gửi"})
    op.to_csv(folder / "y_kien.csv", index=False)
    ds = _load(folder)
    assert len(ds.opinions) == len(op)
    assert ds.opinions["text"].tolist() == [normalize(t) for t in op["Nội dung ý kiến"]]
    assert ds.opinions["addressed_to"].fillna("").tolist() == op["Đề nghị gửi"].tolist()


def test_a_group_named_without_a_number_is_asked_for_its_number_not_taken_for_a_subtotal(
        tmp_path):
    """'Khu tập thể A' in the group column beside its ward is a group whose name has no
    number: the error names that cell and asks for a number; it is no 'subtotal' that
    disagrees with the rows around it (what an office was told before)."""
    folder = tmp_path / "2023"
    make.copy_other_tables(folder)
    g = make.groups()
    rows = [[i + 1, r.ward_name, f"Tổ {int(r.group_code.rsplit('TDP', 1)[1])}",
             r.conference_date.strftime("%d/%m/%Y"), r.households_invited,
             r.households_attended, r.opinions_count] for i, r in enumerate(g.itertuples())]
    rows[2][2] = "Khu tập thể A"
    frame = pd.DataFrame(rows, columns=["STT", "Phường", "Tổ dân phố", "Ngày họp",
                                        "Số hộ được mời", "Số hộ dự", "Số ý kiến"])
    frame.to_csv(folder / "bao_cao.csv", index=False)
    code, out = validate(folder)
    assert code == 1
    assert "dòng/row 4, cột/column 'Tổ dân phố'" in out
    assert "'Khu tập thể A'" in out and "'Tổ 5'" in out
    assert "Dòng cộng" not in out and "subtotal" not in out


def test_ward_headings_that_count_their_groups_in_the_group_column_stay_headings(tmp_path):
    """'Phường Bạch Mai | 17 TDP | sums': a heading with its ward's totals, checked as one."""
    folder = tmp_path / "2023"
    make.copy_other_tables(folder)
    g = make.groups()
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Phường", "Tổ dân phố", "Ngày họp", "Số hộ được mời", "Số hộ dự",
               "Số ý kiến"])
    for _, block in g.groupby("ward_code"):
        inv, att, op = _sums(block)
        ws.append([None, f"Phường {block['ward_name'].iloc[0]}", f"{len(block)} TDP", None,
                   inv, att, op])
        for k, r in enumerate(block.itertuples(), start=1):
            n = int(r.group_code.rsplit("TDP", 1)[1])
            ws.append([k, None, f"Tổ {n}", r.conference_date.to_pydatetime(),
                       r.households_invited, r.households_attended, r.opinions_count])
    wb.save(folder / "Bieu.xlsx")
    assert_reads_2023(folder)

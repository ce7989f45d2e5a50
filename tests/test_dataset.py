"""Loading a year: the bundled data, the Excel/Parquet paths, the synthetic flag, caching."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

import hbt_analysis as hbt
from hbt_analysis.fmt import fmt_date, fmt_int, fmt_pct
from hbt_analysis.schema import YEARLY_TABLES
from hbt_analysis.template import HEADER_ROW, write_workbook
from tests.conftest import DATA, needs_bundled_data

pytestmark = needs_bundled_data


def _published(year: int, level: str) -> pd.Series:
    pub = pd.read_csv(DATA / "reference" / "published_totals.csv")
    return pub[(pub["year"] == year) & (pub["level"] == level)].iloc[0]


def test_bundled_years_and_published_totals_of_2023():
    assert hbt.available_years() == [2022, 2023, 2024, 2025, 2026]
    ds = hbt.load(2023)
    for level, conf in (("to_dan_pho", ds.group_conferences), ("phuong", ds.ward_conferences)):
        pub = _published(2023, level)
        assert len(conf) == pub["units_held"]
        assert conf["households_invited"].sum() == pub["households_invited"]
        assert conf["households_attended"].sum() == pub["households_attended"]
        assert (ds.opinions["level"] == level).sum() == pub["opinions"]
        assert round(100 * conf["households_attended"].sum()
                     / conf["households_invited"].sum(), 1) == pub["rate_pct"]
    assert ds.synthetic
    assert ds.reconciliation()["agrees"].all()


def test_2024_reconciliation_shows_unpublished_figures_as_missing():
    rec = hbt.load(2024).reconciliation().set_index("figure")
    assert rec.loc["households_invited", "qualifier"] == "not_published"
    assert pd.isna(rec.loc["households_invited", "agrees"])
    assert rec.loc["households_attended", "qualifier"] == "nearly"
    assert rec.loc["households_attended", "agrees"]
    assert rec.loc["units_held", "data"] == 264


def test_schema_columns_and_types():
    ds = hbt.load(2023)
    g = ds.group_conferences
    assert list(g.columns) == YEARLY_TABLES["group_conferences"].names
    assert g["households_invited"].dtype == "int64"
    assert pd.api.types.is_datetime64_any_dtype(g["conference_date"])
    assert set(g["ward_code"]) <= set(ds.wards["ward_code"])
    assert ds.opinions.loc[ds.opinions["level"] == "phuong", "group_code"].isna().all()


def _fill_template_like_a_clerk(template: Path, ds: hbt.Dataset) -> None:
    """Type the year's rows into an empty template: Vietnamese numbers, dd/mm/yyyy dates."""
    wb = load_workbook(template)
    for table in YEARLY_TABLES.values():
        ws = wb[table.sheet_name]
        frame = getattr(ds, table.name)
        for i, record in enumerate(frame.to_dict("records"), start=HEADER_ROW + 1):
            for j, col in enumerate(table.columns, start=1):
                value = record.get(col.name)
                if value is None or pd.isna(value):
                    continue
                if col.dtype == "int":
                    value = fmt_int(value)  # "1.234", as typed by hand
                elif col.dtype == "date":
                    value = fmt_date(value)
                ws.cell(i, j, value)
    wb.save(template)


def test_template_filled_by_openpyxl_loads_to_the_same_dataset(tmp_path):
    csv_ds = hbt.load(2023)
    folder = tmp_path / "2023"
    folder.mkdir()
    shutil.copytree(DATA / "reference", tmp_path / "reference")
    result = subprocess.run([sys.executable, "-m", "hbt_analysis.cli", "template",
                             str(folder / "nhap_2023.xlsx"), "--year", "2023"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    _fill_template_like_a_clerk(folder / "nhap_2023.xlsx", csv_ds)
    xlsx_ds = hbt.load(2023, tmp_path)
    for name in YEARLY_TABLES:
        pd.testing.assert_frame_equal(getattr(xlsx_ds, name), getattr(csv_ds, name))
    assert not xlsx_ds.synthetic  # typed in by a person: no generator metadata


def test_write_workbook_and_parquet_round_trips(tmp_path):
    csv_ds = hbt.load(2023)
    shutil.copytree(DATA / "reference", tmp_path / "reference")
    (tmp_path / "2023").mkdir()
    tables = {name: getattr(csv_ds, name) for name in YEARLY_TABLES}
    write_workbook(tables, tmp_path / "2023" / "hbt_2023.xlsx", year=2023)
    (tmp_path / "p" / "2023").mkdir(parents=True)
    shutil.copytree(DATA / "reference", tmp_path / "p" / "reference")
    for name, frame in tables.items():
        frame.to_parquet(tmp_path / "p" / "2023" / f"{name}.parquet")
    for root in (tmp_path, tmp_path / "p"):
        other = hbt.load(2023, root)
        for name in YEARLY_TABLES:
            pd.testing.assert_frame_equal(getattr(other, name), getattr(csv_ds, name))


def test_template_has_dropdown_instructions_and_vietnamese_headers(tmp_path):
    path = write_workbook(None, tmp_path / "mau.xlsx", year=2023)
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Huong dan"
    ws = wb["To dan pho"]
    headers = [c.value for c in ws[HEADER_ROW]]
    assert headers[:3] == ["Năm", "Mã phường", "Tên phường"]
    formulas = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert any("Danh sach phuong" in f for f in formulas)
    wards = [r[0].value for r in wb["Danh sach phuong"].iter_rows(min_row=2)]
    assert len(wards) == 18 and wards[0] == "00241"
    guide = wb["Huong dan"]
    assert guide["A1"].value.endswith("— QUẬN HAI BÀ TRƯNG")  # the area of the registry
    assert any("vd. 00241-TDP05" in (c.value or "") for c in guide["A"])


def test_template_follows_the_registry_wards_in_force(tmp_path):
    """Without a year: the wards in force today (after the merger, the new wards); with
    another area's registry, its own wards, its title and its codes in the example."""
    import datetime as dt

    from hbt_analysis.registry import registry

    reg = registry(path=DATA / "reference" / "units.csv")
    today = reg.valid_on(dt.date.today())
    expected = today[today["kind"] == "phường"]["code"].tolist()
    wb = load_workbook(write_workbook(None, tmp_path / "now.xlsx", units=reg))
    assert [r[0].value for r in wb["Danh sach phuong"].iter_rows(min_row=2)] == expected
    units = tmp_path / "units.csv"
    units.write_text("code,name,kind,parent\n900,Hòa Mỹ,huyện,\n90001,An Bình,xã,900\n"
                     "90004,Tân Tiến,thị trấn,900\n", encoding="utf-8")
    wb = load_workbook(write_workbook(None, tmp_path / "own.xlsx", year=2027,
                                      units=registry(path=units)))
    assert [r[0].value for r in wb["Danh sach phuong"].iter_rows(min_row=2)] == ["90001", "90004"]
    guide = wb["Huong dan"]
    assert guide["A1"].value.endswith("— HUYỆN HÒA MỸ")
    assert any("vd. 90001-TDP05" in (c.value or "") for c in guide["A"])


def test_synthetic_flag_follows_the_generated_files(tmp_path):
    shutil.copytree(DATA / "reference", tmp_path / "reference")
    shutil.copytree(DATA / "2023", tmp_path / "2023")
    assert hbt.load(2023, tmp_path).synthetic
    groups = tmp_path / "2023" / "group_conferences.csv"
    groups.write_text(groups.read_text(encoding="utf-8").replace("\n", "\r\n"), encoding="utf-8")
    assert hbt.load(2023, tmp_path).synthetic  # other generated files are still there
    for name in ("ward_conferences.csv", "opinions.csv"):
        path = tmp_path / "2023" / name
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert not hbt.load(2023, tmp_path).synthetic  # all replaced: real data, no note
    (tmp_path / "2023" / "dataset.json").unlink()
    assert not hbt.load(2023, tmp_path).synthetic


def test_loaded_datasets_are_independent_copies():
    a = hbt.load(2023)
    a.group_conferences.loc[0, "households_attended"] = -1
    assert hbt.load(2023).group_conferences.loc[0, "households_attended"] >= 0


def test_cli_validate_2023_prints_the_published_figures():
    result = subprocess.run([sys.executable, "-m", "hbt_analysis.cli", "validate", "--year",
                             "2023"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for level in ("to_dan_pho", "phuong"):
        pub = _published(2023, level)
        for figure in (pub["units_held"], pub["households_invited"],
                       pub["households_attended"], pub["opinions"]):
            assert fmt_int(figure) in result.stdout
        assert fmt_pct(pub["rate_pct"] / 100) in result.stdout
    assert "TỔNG HỢP" in result.stdout  # synthetic, said where a person reads it


group_rows = st.lists(
    st.tuples(st.integers(0, 400), st.integers(0, 400), st.integers(0, 3)),
    min_size=1, max_size=12,
)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=group_rows, bad=st.data())
def test_validation_flags_exactly_the_rows_where_attended_exceeds_invited(tmp_path_factory, rows,
                                                                          bad):
    root = tmp_path_factory.mktemp("h")
    shutil.copytree(DATA / "reference", root / "reference")
    (root / "2023").mkdir()
    lines = ["Mã phường,Mã tổ dân phố,Ngày hội nghị,Số hộ được mời,Số hộ dự,Số ý kiến"]
    for i, (a, b, ops) in enumerate(rows):
        lines.append(f"00241,00241-TDP{i:02d},10/01/2023,{fmt_int(a)},{fmt_int(b)},{ops}")
    (root / "2023" / "group_conferences.csv").write_text("\n".join(lines) + "\n", "utf-8")
    ds = hbt.load(2023, root, strict=False)
    flagged = sorted(p.row for p in ds.warnings if p.code == "attended_gt_invited")
    expected = [i + 2 for i, (a, b, _) in enumerate(rows) if b > a]
    assert flagged == expected
    assert not [p for p in ds.warnings if p.severity == "error" and p.code != "attended_gt_invited"]


def test_written_workbooks_are_byte_for_byte_reproducible(tmp_path):
    tables = {"group_conferences": hbt.load(2023).group_conferences.head(20)}
    a = write_workbook(tables, tmp_path / "a.xlsx", year=2023).read_bytes()
    b = write_workbook(tables, tmp_path / "b.xlsx", year=2023).read_bytes()
    assert a == b


def test_a_missing_table_is_named_with_its_sheet(tmp_path):
    (tmp_path / "2023").mkdir()
    shutil.copy(DATA / "2023" / "opinions.csv", tmp_path / "2023" / "opinions.csv")
    with pytest.raises(hbt.DataError) as err:
        hbt.load(2023, tmp_path)
    missing = [p for p in err.value.problems if p.code == "missing_table"]
    assert len(missing) == 1
    sheet = YEARLY_TABLES["group_conferences"].sheet_name
    for message in (missing[0].message_vi, missing[0].message_en):
        assert f"'{sheet}'" in message and "{" not in message


def test_a_data_folder_without_reference_uses_the_bundled_facts(tmp_path, monkeypatch):
    """As in a report kernel, where HBT_DATA_DIR points at the office's own folder."""
    shutil.copytree(DATA / "2023", tmp_path / "2023")
    monkeypatch.setenv("HBT_DATA_DIR", str(tmp_path))
    ds = hbt.load(2023)
    assert ds.files[0].parent == tmp_path / "2023"
    assert len(ds.wards) == 18 and ds.reconciliation()["agrees"].all()
    assert hbt.load(2023, tmp_path).content_hash == ds.content_hash

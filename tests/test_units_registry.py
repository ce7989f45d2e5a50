"""The unit registry: the wards in force in each year, an office's own area, and the years
after the merger of 01/07/2025 (synthetic 2025 and 2026) loaded, validated and compared."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import hbt_analysis as hbt
from hbt_analysis import compare as cmp
from hbt_analysis import synth_merger
from hbt_analysis.registry import RegistryError, registry, unit_colors
from hbt_analysis.validate import DataError
from tests.conftest import DATA, needs_bundled_data

UNITS = DATA / "reference" / "units.csv"


# --- the bundled registry ---------------------------------------------------------------

def test_the_wards_in_force_follow_the_dates():
    reg = registry(path=UNITS)
    assert len(reg.wards(2023)) == 18
    in_2025 = reg.wards(2025)
    assert len(reg.units(2025).query("kind == 'phường'")) == 15  # three merged 01/01/2025
    assert len(in_2025) == 18  # ... still accepted the year after: successor not recorded
    assert set(reg.ended_unrecorded(2025)["name"]) == {"Cầu Dền", "Đống Mác", "Quỳnh Lôi"}
    new = reg.wards(2026)
    assert len(new) == 9 and reg.ended_unrecorded(2026).empty
    assert {"Hai Bà Trưng", "Bạch Mai", "Vĩnh Tuy"} <= set(new["ward_name"])
    # a code names a ward only within its period: 00256 was Lê Đại Hành, is Hai Bà Trưng
    assert reg.lookup("00256", 2024)["name"] == "Lê Đại Hành"
    assert reg.lookup("00256", 2026)["name"] == "Hai Bà Trưng"
    assert not reg.same_unit("00256", 2024, 2026)
    assert reg.same_unit("00241", 2022, 2025) and reg.same_unit("00274", 2024, 2025)
    assert reg.changed_between(2024, 2025) == []
    assert len(reg.changed_between(2025, 2026)) == 9


def test_scope_names_come_from_the_registry():
    reg = registry(path=UNITS)
    old, new = reg.area(2024), reg.area(2026)
    assert old.whole_title() == "Toàn quận Hai Bà Trưng" and old.whole() == "Toàn quận"
    assert old.title("en") == "Hai Bà Trưng district" and old.units("en") == "wards"
    assert new.whole() == "Toàn khu vực" and new.kind_en == "area"
    assert old.unit("Bạch Mai") == "phường Bạch Mai"
    assert old.unit("Bạch Mai", "en") == "Bạch Mai ward"


def test_colours_for_any_number_of_wards():
    from plotly.colors import qualitative

    from hbt_analysis.style import ward_color

    reg = registry(path=UNITS)
    old = reg.colors(2023)
    # the 18 old wards keep the colours charts always gave them (Dark24, in official order)
    assert list(old.values()) == list(qualitative.Dark24[:18])
    assert all(ward_color(c) == old[c] for c in old)
    # a code reused by a new ward after the merger gets the new ward's own colour
    new = {c: ward_color(c, 2026) for c in reg.wards(2026)["ward_code"]}
    assert len(set(new.values())) == len(new)
    assert ward_color("00256", 2026) != ward_color("00256", 2024) == old["00256"]
    many = unit_colors([f"{i:05d}" for i in range(126)])
    assert len(set(many.values())) == 126
    assert all(c.startswith("#") and len(c) == 7 for c in list(many.values())[74:])


def test_the_crosswalk_gets_the_new_codes_from_the_registry():
    cw = hbt.load_reference()["crosswalk"]
    assert cw["new_ward_code"].notna().all()
    hbt_rows = cw[cw["new_ward_name"] == "Hai Bà Trưng"]
    assert set(hbt_rows["new_ward_code"]) == {"00256"}


# --- a units file with mistakes ------------------------------------------------------------

def test_a_bad_units_file_names_every_problem(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text(
        "code,name,kind,parent,valid_from,valid_to\n"
        "900,Mẫu,quận,,,\n"
        "90001,An Bình,phường,900,,2025-06-30\n"
        "90001,An Bình mới,phường,900,2025-01-01,\n"      # overlaps the row above
        "90002,Hòa Lạc,phường,999,,\n"                     # no such parent
        "90003,Tân Tiến,phường,900,31/02/2024,\n",         # no such day
        encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        registry(path=path)
    text = str(err.value)
    assert "dòng/row 4" in text and "90001" in text
    assert "dòng/row 5" in text and "'parent'" in text
    assert "dòng/row 6" in text and "'valid_from'" in text
    out = subprocess.run([sys.executable, "-m", "hbt_analysis.cli", "--units", str(path),
                          "validate", "--year", "2023"], capture_output=True, text=True)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "units.csv" in out.stderr


# --- an office's own area: a made-up district ------------------------------------------------

MADE_UP_UNITS = """code,name,kind,parent,valid_from,valid_to,successor,source,note
900,Hòa Mỹ,quận,,,,,made up for a test,
90001,An Bình,phường,900,,,,,
90004,Tân Tiến,phường,900,,,,,
90007,Đông Hòa,phường,900,,,,,
"""


def made_up_district(root: Path, rows: list[str]) -> Path:
    """A data folder of another district: its own registry and a year of data with ward
    names as offices write them."""
    (root / "reference").mkdir(parents=True)
    (root / "reference" / "units.csv").write_text(MADE_UP_UNITS, encoding="utf-8")
    (root / "2025").mkdir()
    (root / "2025" / "to_dan_pho.csv").write_text(
        "Phường,Tổ dân phố,Ngày hội nghị,Số hộ được mời,Số hộ dự,Số ý kiến\n"
        + "\n".join(rows) + "\n", encoding="utf-8")
    return root


ROWS = ["P. An Bình,Tổ 1,05/01/2025,120,80,2", "Phường An Bình,Tổ 2,06/01/2025,90,70,1",
        "TÂN TIẾN,TDP số 1,07/01/2025,150,99,3", "Dong Hoa,Tổ dân phố số 03,08/01/2025,60,41,0"]


def test_a_made_up_district_loads_and_validates_with_its_own_registry(tmp_path):
    root = made_up_district(tmp_path / "hoa_my", ROWS)
    ds = hbt.load(2025, root)
    assert ds.group_conferences["ward_code"].tolist() == ["90001", "90001", "90004", "90007"]
    assert ds.group_conferences["group_code"].tolist()[-1] == "90007-TDP03"
    assert ds.wards["ward_code"].tolist() == ["90001", "90004", "90007"]
    assert ds.area.whole_title() == "Toàn quận Hòa Mỹ"
    assert ds.scope_name("90004") == "phường Tân Tiến"
    assert ds.ward_name(None) == "Toàn quận"
    assert ds.published.empty  # the old district's published totals are not its figures
    assert not any(p.code == "reconciliation" for p in ds.warnings)
    out = subprocess.run([sys.executable, "-m", "hbt_analysis.cli", "validate", "--data-dir",
                          str(root), "--year", "2025"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_made_up_district_refuses_a_ward_outside_its_registry(tmp_path):
    root = made_up_district(tmp_path / "hoa_my",
                            [*ROWS, "Phường Bạch Mai,Tổ 4,09/01/2025,80,50,1"])
    with pytest.raises(DataError) as err:
        hbt.load(2025, root)
    assert "Không nhận ra phường 'Phường Bạch Mai'" in str(err.value)


def test_units_file_given_on_the_command_line(tmp_path):
    root = made_up_district(tmp_path / "hoa_my", ROWS)
    units = tmp_path / "hoa_my_units.csv"
    shutil.move(root / "reference" / "units.csv", units)
    out = subprocess.run([sys.executable, "-m", "hbt_analysis.cli", "--units", str(units),
                          "validate", "--data-dir", str(root), "--year", "2025"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    out = subprocess.run([sys.executable, "-m", "hbt_analysis.cli", "validate", "--data-dir",
                          str(root), "--year", "2025"], capture_output=True, text=True)
    assert out.returncode == 1  # the bundled registry does not know these wards
    assert "An Bình" in out.stdout + out.stderr


RURAL_UNITS = """code,name,kind,parent,valid_from,valid_to,successor,source,note
900,Hòa Mỹ,huyện,,,,,made up for a test,
90001,An Bình,xã,900,,,,,
90004,Tân Tiến,xã,900,,,,,
90007,Đông Hòa,thị trấn,900,,,,,
"""
RURAL_TEXTS = ("Đề nghị sửa chữa đường liên thôn bị xuống cấp, nhiều ổ gà sau mưa.",
               "Cử tri phản ánh rác thải ven kênh chưa được thu gom kịp thời.",
               "Đề nghị lắp thêm đèn chiếu sáng ở đoạn đường vào trường tiểu học.",
               "Nhân dân đề nghị kiểm tra việc lấn chiếm hành lang đê.")


def made_up_rural_district(root: Path) -> Path:
    """Another area of another kind: a huyện of two xã and a thị trấn, two years of data in
    the project's tables (groups, ward conferences, opinions), its own registry."""
    (root / "reference").mkdir(parents=True)
    (root / "reference" / "units.csv").write_text(RURAL_UNITS, encoding="utf-8")
    wards = [("90001", "An Bình"), ("90004", "Tân Tiến"), ("90007", "Đông Hòa")]
    for year in (2024, 2025):
        gc = ["year,ward_code,ward_name,group_code,group_name,conference_date,"
              "households_invited,households_attended,opinions_count,notes"]
        wc = ["year,ward_code,ward_name,conference_date,households_invited,"
              "households_attended,opinions_count"]
        op = ["opinion_id,year,level,ward_code,group_code,text,addressed_to,status,response"]
        for w, (code, name) in enumerate(wards):
            for g in range(1, 4):
                invited = 90 + 17 * g + 11 * w + (year - 2024) * 5
                attended = invited * (55 + 7 * g + 3 * w - (year - 2024) * 4) // 100
                n = (g + w + year) % 3
                group = f"{code}-TDP{g:02d}"
                gc.append(f"{year},{code},{name},{group},Thôn {g},{year}-01-{10 + g:02d},"
                          f"{invited},{attended},{n},")
                op += [f'{year}-{group}-{k:02d},{year},to_dan_pho,{code},{group},'
                       f'"{RURAL_TEXTS[(g + k + w) % len(RURAL_TEXTS)]}",,,'
                       for k in range(1, n + 1)]
            wc.append(f"{year},{code},{name},{year}-03-0{w + 1},40,{37 - w},0")
        (root / str(year)).mkdir()
        for table, rows in (("group_conferences", gc), ("ward_conferences", wc),
                            ("opinions", op)):
            (root / str(year) / f"{table}.csv").write_text("\n".join(rows) + "\n",
                                                            encoding="utf-8")
    return root


def test_a_made_up_district_builds_its_reports(tmp_path):
    """Another area (a huyện of two xã and a thị trấn, its own registry given with --units,
    two years of its own data) validates and builds every default report through the real
    batch, titled by its own area and units; no page names the bundled area, its codes or
    its ward count."""
    root = made_up_rural_district(tmp_path / "hoa_my")
    units = tmp_path / "hoa_my_units.csv"
    shutil.move(root / "reference" / "units.csv", units)
    cli = [sys.executable, "-m", "hbt_analysis.cli", "--units", str(units)]
    out = subprocess.run([*cli, "validate", "--data-dir", str(root)], capture_output=True,
                         text=True)
    assert out.returncode == 0 and "HỢP LỆ" in out.stdout, out.stdout + out.stderr
    out_dir = tmp_path / "out"
    out = subprocess.run([*cli, "report", "--data-dir", str(root), "--year", "2025", "--ward",
                          "toàn huyện", "--ward", "Đông Hòa", "--output", str(out_dir),
                          "--workers", "2", "--docx"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    run = out_dir / "2025" / "latest"
    pages = sorted(run.glob("*/*.html"))
    stems = {"00_overview", "01_attendance", "02_compare_years", "03_opinions"}
    assert {(p.parent.name, p.stem) for p in pages} == {
        (scope, stem) for scope in ("district", "90007") for stem in stems}
    index = (run / "index.html").read_text(encoding="utf-8")
    assert "Hội nghị đại biểu Nhân dân — huyện Hòa Mỹ — năm 2025" in index
    bundled = registry(path=UNITS)
    codes = re.compile(r"\b(" + "|".join(sorted(set(bundled.frame["code"]) - {"007"})) + r")\b")
    elsewhere = re.compile(r"(?i:hai b[aà] tr[uư]ng|to[aà]n qu[aậ]n|\b18 (phường|xã))"
                           r"|\b[qQ]uận [A-ZĐ]"
                           # its units are xã and a thị trấn, under a huyện: no label, heading,
                           # sentence or table of its reports says 'phường' or 'quận'
                           r"|(?i:\bphường\b|\bquận\b)")
    for page in [*pages, run / "index.html"]:
        html = page.read_text(encoding="utf-8")
        text = re.sub(r"<script.*?</script>|<style.*?</style>", "", html, flags=re.S)
        assert not elsewhere.search(text), (page, elsewhere.search(text).group(0))
        assert not codes.search(text), (page, codes.search(text).group(0))
        if page.name == "index.html":
            continue
        scope = "Toàn huyện Hòa Mỹ" if page.parent.name == "district" else "Thị trấn Đông Hòa"
        assert f"— {scope} — 2025" in html, page
    from docx import Document

    for path in sorted(run.glob("*/*.docx")):
        doc = Document(str(path))
        text = "\n".join([p.text for p in doc.paragraphs] + [
            c.text for t in doc.tables for row in t.rows for c in row.cells])
        assert not elsewhere.search(text), (path, elsewhere.search(text).group(0))
        assert "Hội nghị cấp xã, thị trấn" in text or "Hội nghị cấp thị trấn" in text
    compare = (run / "district" / "02_compare_years.html").read_text(encoding="utf-8")
    assert "So với năm 2024, năm 2025 có 9 → 9 tổ dân phố" in compare


# --- the years after the merger ---------------------------------------------------------------

@needs_bundled_data
def test_2026_by_new_wards_loads_and_validates():
    ds = hbt.load(2026)
    assert ds.synthetic and "giả định" in ds.metadata["note_vi"]
    assert len(ds.wards) == 9 and set(ds.group_conferences["ward_code"]) == set(
        ds.wards["ward_code"])
    assert ds.area.whole() == "Toàn khu vực"
    assert ds.published.empty  # nothing published for 2026: nothing looks published
    assert ds.group_crosswalk is not None
    assert ds.wards["households_2019"].isna().all()  # no census figures for new wards
    out = subprocess.run([sys.executable, "-m", "hbt_analysis.cli", "validate", "--year",
                          "2026"], capture_output=True, text=True)
    assert out.returncode == 0 and "HỢP LỆ" in out.stdout


@needs_bundled_data
def test_2025_keeps_the_wards_merged_into_unrecorded_ones_with_a_warning():
    ds = hbt.load(2025)
    late = [p for p in ds.warnings if p.code == "ward_merged_unrecorded"]
    assert {p.message_vi.split(" (")[0] for p in late} >= {"Phường Cầu Dền", "Phường Đống Mác",
                                                          "Phường Quỳnh Lôi"}
    assert len(ds.ward_conferences) == 15  # they hold no ward conference of their own
    assert len(ds.wards) == 18


def _office_2026(tmp_path: Path, ward: str) -> Path:
    root = tmp_path / "data"
    shutil.copytree(DATA / "reference", root / "reference")
    (root / "2026").mkdir()
    (root / "2026" / "to_dan_pho.csv").write_text(
        "Phường,Tổ dân phố,Ngày hội nghị,Số hộ được mời,Số hộ dự,Số ý kiến\n"
        f"{ward},Tổ 1,05/01/2026,120,80,2\n{ward},Tổ 2,06/01/2026,100,70,1\n",
        encoding="utf-8")
    return root


def test_an_office_file_of_2026_maps_names_to_the_new_wards(tmp_path):
    root = _office_2026(tmp_path, "Phường Hai Bà Trưng")
    ds = hbt.load(2026, root)
    assert ds.group_conferences["ward_code"].tolist() == ["00256", "00256"]
    assert ds.group_conferences["group_code"].tolist() == ["00256-TDP01", "00256-TDP02"]


def test_an_old_ward_in_2026_is_refused_saying_when_it_ended(tmp_path):
    root = _office_2026(tmp_path, "00241")
    with pytest.raises(DataError) as err:
        hbt.load(2026, root)
    text = str(err.value)
    assert "Nguyễn Du" in text and "30/06/2025" in text and "9 phường" in text
    assert "18 phường" not in text
    root = _office_2026(tmp_path / "by_name", "Phường Lê Đại Hành")
    with pytest.raises(DataError) as err:
        hbt.load(2026, root)
    assert "Lê Đại Hành có hiệu lực đến 30/06/2025" in str(err.value)


@needs_bundled_data
def test_comparison_across_the_merger_goes_through_the_crosswalks():
    base, new = hbt.load(2024), hbt.load(2026)
    # codes are never paired across the merger (00256 was another ward)
    direct = cmp.paired_changes(cmp.scoped_groups(base), cmp.scoped_groups(new))
    assert direct.empty and direct.attrs["not_comparable"]
    assert "group_crosswalk.csv" in cmp.paired_sentence(direct)
    # through the group crosswalk: every new group, merged groups summed
    regrouped = cmp.groups_in_new_units(base, new)
    cw = new.group_crosswalk
    merged = cw[cw.duplicated("new_group_code", keep=False)]
    assert len(merged)
    code = merged["new_group_code"].iloc[0]
    olds = merged[merged["new_group_code"] == code]["old_group_code"]
    expect = base.group_conferences.set_index("group_code").loc[olds,
                                                                "households_invited"].sum()
    assert regrouped.set_index("group_code").loc[code, "households_invited"] == expect
    pairs = cmp.paired_changes(regrouped, cmp.scoped_groups(new))
    assert len(pairs) == len(new.group_conferences)
    # ward level: through the group crosswalk when there is one ...
    wards = cmp.ward_comparison(base, new)
    assert (wards["basis"] == "by_group").all() and len(wards) == 9
    assert wards["invited_base"].sum() == base.group_conferences["households_invited"].sum()
    # ... else not comparable, saying why (split wards, wards the crosswalk does not place)
    bare = new.copy()
    bare.group_crosswalk = None
    assert cmp.groups_in_new_units(base, bare) is None
    wards = cmp.ward_comparison(base, bare)
    assert not wards["comparable"].any()
    row = wards.set_index("ward_name").loc["Hai Bà Trưng"]
    assert "Lê Đại Hành" in row["reason"] and "Cầu Dền" in row["reason"]
    assert pd.isna(row["rate_base"])
    # a ward code of the new year is not compared with its namesake of the old: the new
    # ward's summary goes through the group crosswalk, or says it cannot compare
    text = cmp.comparison_sentence(base, new, ward="00256")
    row = cmp.ward_comparison(base, new, ward="00256").iloc[0]
    assert "theo bảng chuyển đổi tổ dân phố" in text and "58 tổ của phường Hai Bà Trưng" in text
    assert f"{row['rate_base'] * 100:.1f}".replace(".", ",") + "%" in text
    old = base.group_conferences[base.group_conferences["ward_code"] == "00256"]
    assert row["attended_base"] != old["households_attended"].sum()  # not Lê Đại Hành's
    assert f"{int(row['attended_base']):,}".replace(",", ".") in text
    assert "không so sánh trực tiếp" in cmp.comparison_sentence(base, bare, ward="00256")
    assert cmp.comparison_sentence(base, new).startswith("So với năm 2024, năm 2026")


@needs_bundled_data
def test_year_to_year_within_the_old_wards_is_unchanged():
    a, b = hbt.load(2024), hbt.load(2025)
    assert cmp.groups_in_new_units(a, b) is not None
    pairs = cmp.paired_changes(cmp.scoped_groups(a), cmp.scoped_groups(b))
    assert len(pairs) == 264
    assert (cmp.ward_comparison(a, b)["basis"] == "same_ward").all()


@needs_bundled_data
def test_the_old_ward_tables_leave_the_new_wards_alone():
    datasets = {y: hbt.load(y) for y in (2024, 2026)}
    by_ward = cmp.trends(datasets, scope="ward")
    cw = datasets[2026].crosswalk
    regrouped = cmp.regroup_new_wards(by_ward, cw)
    assert set(regrouped["year"]) == {2024}  # 2026's 00277 is not Bách Khoa
    assert cmp.unmapped_wards(by_ward, cw)["ward_code"].tolist() == ["00265", "00274", "00292"]
    # a ward's trend: the years in which its code named it, and before the merger the groups
    # that are now its own (group crosswalk), never the old ward that had its code
    trend = cmp.trends(datasets, ward="00256")
    assert trend["year"].tolist() == [2024, 2026]
    assert trend["basis"].tolist() == ["by_group", "same_ward"]
    regrouped = cmp.groups_in_new_units(datasets[2024], datasets[2026], "00256")
    first = trend.iloc[0]
    assert first["attended"] == regrouped["households_attended"].sum()
    assert first["groups"] == regrouped["old_group_codes"].str.split("; ").explode().nunique()
    assert pd.isna(first["ward_rate"])  # the ward conference was another ward's
    assert "2024" in cmp.trends_caption(trend) and cmp.trends_caption(
        cmp.trends(datasets)) is None
    bare = datasets[2026].copy()
    bare.group_crosswalk = None
    assert cmp.trends({2024: datasets[2024], 2026: bare}, ward="00256")["year"].tolist() == [2026]


# --- the group crosswalk file -----------------------------------------------------------------

def test_a_group_crosswalk_with_mistakes_is_refused_row_by_row(tmp_path):
    root = _office_2026(tmp_path, "Phường Hai Bà Trưng")
    (root / "2026" / "group_crosswalk.csv").write_text(
        "Mã tổ dân phố cũ,Mã tổ dân phố mới\n00256-TDP01,00256-TDP01\n00256-TDP01,00256-TDP01\n"
        "00259-TDP02,00256-TDP09\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        hbt.load(2026, root)
    text = str(err.value)
    assert "group_crosswalk.csv, dòng/row 3" in text  # the duplicate
    assert "dòng/row 4" in text and "00256-TDP09" in text  # not one of the year's groups


# --- the generator ------------------------------------------------------------------------------

def test_the_merger_years_are_made_from_the_same_households():
    y25, y26 = synth_merger.generate(2025), synth_merger.generate(2026)
    assert synth_merger.generate(2026)["group_conferences"].equals(y26["group_conferences"])
    cw = y26["group_crosswalk"]
    old = set(y25["group_conferences"]["group_code"])
    assert set(cw["old_group_code"]) == old and not cw["old_group_code"].duplicated().any()
    assert set(cw["new_group_code"]) == set(y26["group_conferences"]["group_code"])
    assert y26["group_conferences"]["ward_code"].nunique() == 9
    assert (y26["group_conferences"]["households_attended"]
            <= y26["group_conferences"]["households_invited"]).all()


@needs_bundled_data
def test_the_bundled_merger_years_are_what_the_generator_makes(tmp_path):
    written = synth_merger.write(tmp_path)
    for path in written:
        if path.suffix == ".csv":
            assert path.read_bytes() == (DATA / path.parent.name / path.name).read_bytes(), path


@needs_bundled_data
def test_a_new_ward_is_never_compared_with_the_old_ward_that_had_its_code():
    """00256 was Lê Đại Hành in 2025 and is the new Hai Bà Trưng in 2026: the overview shows
    no change against 2025 for it, and its opinions are compared with those of the groups
    that became it (the group crosswalk), never with Lê Đại Hành's."""
    from hbt_analysis import brief
    from hbt_analysis import opinions as op
    from hbt_analysis import scope as sc
    from hbt_analysis.opinions.shifts import _before_in_new_ward

    ds, prev = brief.load_with_previous(2026)
    assert prev.year == 2025 and not ds.registry.same_unit("00256", 2025, 2026)
    ward = sc.resolve(2026, "00256")
    assert ward.previous is None and ward.not_comparable
    # its change against 2025 goes through the group crosswalk (the groups that became it)
    row = cmp.ward_comparison(prev, ds, ward="00256").iloc[0]
    assert row["basis"] == "by_group"
    pp = f"{abs(row['change']) * 100:.1f}".replace(".", ",")
    moved = "tăng" if row["change"] > 0 else "giảm"
    assert any(c.note == f"{moved} {pp} điểm % so với 2025 (qua bảng chuyển đổi)"
               for c in brief.cards(ward)), [c.note for c in brief.cards(ward)]
    bullet = brief.change_bullet(ward, brief.BriefOptions())
    assert bullet.startswith("So với năm 2025 (theo bảng chuyển đổi tổ dân phố")
    lê_đại_hành = prev.group_conferences[prev.group_conferences["ward_code"] == "00256"]
    rate_old = lê_đại_hành["households_attended"].sum() / lê_đại_hành[
        "households_invited"].sum()
    assert f"{rate_old * 100:.1f}".replace(".", ",") + "%" not in bullet
    whole = sc.resolve(2026)  # the whole area: the same households
    assert whole.previous.year == 2025 and not whole.not_comparable
    assert "So với năm 2025" in brief.change_bullet(whole, brief.BriefOptions())
    before = _before_in_new_ward(prev, ds, "00256", "all")
    cw = ds.group_crosswalk
    mine = set(ds.group_conferences.loc[ds.group_conferences["ward_code"] == "00256",
                                        "group_code"])
    assert len(before) and set(before["group_code"]) <= set(
        cw.loc[cw["new_group_code"].isin(mine), "old_group_code"])
    old_ward = prev.opinions[prev.opinions["ward_code"] == "00256"]
    assert not before["opinion_id"].isin(old_ward["opinion_id"]).all()
    shifts = op.compare_with_previous(2026, ward="00256")
    assert not shifts.attrs.get("not_comparable") and (shifts["year_before"] == 2025).all()


@needs_bundled_data
def test_without_a_group_crosswalk_a_new_wards_opinions_are_not_compared(tmp_path):
    from hbt_analysis import opinions as op

    for sub in ("reference", "2025", "2026"):
        shutil.copytree(DATA / sub, tmp_path / sub)
    (tmp_path / "2026" / "group_crosswalk.csv").unlink()
    shifts = op.compare_with_previous(2026, ward="00256", data_dir=tmp_path)
    assert shifts.empty and shifts.attrs["not_comparable"] == 2025
    from hbt_analysis import brief
    from hbt_analysis import scope as sc

    ward = sc.resolve(2026, "00256", data_dir=str(tmp_path))  # the brief says why, no figure
    assert "đơn vị mới, không so với năm trước" in [c.note for c in brief.cards(ward)]
    bullet = brief.change_bullet(ward, brief.BriefOptions())
    assert "không so sánh được với năm 2025" in bullet and "Lê Đại Hành" in bullet
    assert "không có bảng chuyển đổi tổ dân phố" in op.shift_sentence(shifts, 2026)
    same = op.compare_with_previous(2026, data_dir=tmp_path)  # the whole area still compares
    assert len(same) and (same["year_before"] == 2025).all()


def test_the_whole_area_is_named_by_any_kind_of_area():
    """`--ward` takes the whole area by a generic word or by any area kind of the registry's
    kinds table (not one district's word written into the code)."""
    from hbt_analysis.report.plan import PlanError, YearInfo, resolve_wards

    info = YearInfo(year=2026, content_hash="x", synthetic=True,
                    wards=(("90001", "An Bình"), ("90004", "Tân Tiến")), has_previous_year=False)
    for word in ("district", "area", "toàn huyện", "Toàn-Quận", "thanh pho", "toàn khu vực"):
        assert resolve_wards([word], info) == [None], word
    assert resolve_wards(["An Bình", "all"], info) == ["90001", None, "90004"]
    with pytest.raises(PlanError):
        resolve_wards(["toàn xã"], info)  # a ward kind is not the area


def test_labels_and_sections_name_the_areas_own_units(tmp_path):
    """A huyện's reports say 'xã, thị trấn' where the bundled district's say 'phường', in
    labels and section texts alike; back to the wards' words afterwards."""
    from hbt_analysis import labels, style

    units = tmp_path / "units.csv"
    units.write_text(RURAL_UNITS, encoding="utf-8")
    area = registry(path=units).area(2025)
    try:
        labels.use_area(area)
        assert labels.label("ward_name") == "Xã, thị trấn"
        assert labels.label("title_ward_rates") == "Tỷ lệ hộ dự hội nghị theo xã, thị trấn"
        assert labels.label("ward_code", "en") == "Commune and township code"
        text = style.section("opinions.reach", "vi", area).data
        assert "hội nghị xã, thị trấn" in text and "phường" not in text
        assert "communes and townships" in style.section("compare.wards", "en", area).data
    finally:
        labels.use_area(None)
    assert labels.label("ward_name") == "Phường"
    assert "phường" in style.section("opinions.reach", "vi").data

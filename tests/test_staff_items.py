"""Where the office grouped its opinions itself (the column staff_item), its grouping wins.

Each case is a real workbook written with openpyxl under the headers offices use, loaded
through the same path as any year (`hbt.load`, `hbt validate`); the items are read back from
the library's public calls and checked against the keys written in the file.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

import hbt_analysis as hbt
import hbt_analysis.dataset  # hbt.dataset below is the submodule: load it here, not by luck
from hbt_analysis import opinions as op
from hbt_analysis.intake.header import label_role
from hbt_analysis.opinions import staff_items
from hbt_analysis.opinions.consolidate import consolidate
from hbt_analysis.opinions.yearly import year_requests
from hbt_analysis.schema import OPINIONS
from tests.conftest import DATA, ROOT, needs_bundled_data

pytestmark = needs_bundled_data
KEY_HEADER = "Số TT tổng hợp"


def _bundled_opinions() -> pd.DataFrame:
    return pd.read_csv(DATA / "2023" / "opinions.csv", dtype=str, keep_default_na=False)


def _pick(opinions: pd.DataFrame) -> dict[str, list[str]]:
    """Opinion IDs for the staff keys: a request across two wards, one within a ward, and
    two opinions of different wards and topics that the machine never puts together."""
    group = opinions[opinions["level"] == "to_dan_pho"]
    wards = sorted(group["ward_code"].unique())
    a = group[group["ward_code"] == wards[0]]["opinion_id"].tolist()
    b = group[group["ward_code"] == wards[1]]["opinion_id"].tolist()
    c = group[group["ward_code"] == wards[2]]["opinion_id"].tolist()
    return {"across": [a[0], a[1], b[0]], "within": [a[2], a[3]], "odd": [b[1], c[0]]}


def _write_year(root: Path, keys: dict[str, object], extra_rows: list[list] | None = None
                ) -> Path:
    """A data folder whose 2023 opinions are an .xlsx with Vietnamese headers and the
    staff's key column (`keys`: opinion ID -> the cell as staff typed it)."""
    shutil.copytree(DATA / "reference", root / "reference")
    year = root / "2023"
    year.mkdir()
    for name in ("group_conferences.csv", "ward_conferences.csv"):
        shutil.copy(DATA / "2023" / name, year / name)
    wb = Workbook()
    ws = wb.active
    ws.title = "Tong hop y kien"
    ws.append(["STT", "Mã ý kiến", "Cấp hội nghị", "Mã phường", "Mã tổ dân phố",
               "Nội dung ý kiến", KEY_HEADER])
    for n, r in enumerate(_bundled_opinions().itertuples(), start=1):
        ws.append([n, r.opinion_id, r.level, r.ward_code, r.group_code or None, r.text,
                   keys.get(r.opinion_id)])
    for row in extra_rows or []:
        ws.append(row)
    wb.save(year / "y_kien_2023.xlsx")
    return root


@pytest.fixture(scope="module")
def staff_year(tmp_path_factory):
    ops = _bundled_opinions()
    picked = _pick(ops)
    # as staff type them: a number, the same label in two spellings, a zero-padded number
    keys = {picked["across"][0]: 1, picked["across"][1]: "1", picked["across"][2]: 1.0,
            picked["within"][0]: "KN-2", picked["within"][1]: " kn-2 ",
            picked["odd"][0]: "003", picked["odd"][1]: 3}
    root = _write_year(tmp_path_factory.mktemp("staff"), keys)
    return hbt.load(2023, root), picked


@pytest.mark.parametrize("header", ["Nhóm kiến nghị", "Số TT tổng hợp",
                                    "Kiến nghị tổng hợp số", "NHOM KIEN NGHI", "STT tổng hợp"])
def test_the_headers_offices_use_are_the_staff_key(header):
    assert label_role(header, OPINIONS) == "staff_item"


def test_the_text_and_id_headers_are_still_read_as_before():
    assert label_role("Nội dung kiến nghị", OPINIONS) == "text"
    assert label_role("Mã ý kiến", OPINIONS) == "opinion_id"
    # offices number each petition "Mã kiến nghị": an id, not a grouping (read as one, every
    # opinion would be an item of its own)
    assert label_role("Mã kiến nghị", OPINIONS) == "opinion_id"


def test_keys_are_read_from_the_workbook_as_staff_wrote_them(staff_year):
    ds, picked = staff_year
    keys = ds.opinions.set_index("opinion_id")["staff_item"]
    assert [keys[i] for i in picked["across"]] == ["1", "1", "1"]
    assert [keys[i] for i in picked["within"]] == ["KN-2", "kn-2"]
    assert [keys[i] for i in picked["odd"]] == ["3", "3"]
    assert keys.notna().sum() == 7


def test_area_items_follow_the_staff_keys(staff_year):
    ds, picked = staff_year
    items = op.consolidated(ds)
    staff = items[items["source"] == "staff"]
    got = {frozenset(m) for m in staff["members"]}
    assert got == {frozenset(v) for v in picked.values()}
    across = staff[staff["members"].map(set) == set(picked["across"])].iloc[0]
    assert across["n_wards"] == 2 and across["n_opinions"] == 3
    assert across["text"] in set(ds.opinions.set_index("opinion_id").loc[
        picked["across"], "text"])
    assert "Cán bộ đã tổng hợp" in across["reason"]
    # every group-level opinion in exactly one item
    members = [m for ms in items["members"] for m in ms]
    group_ids = ds.opinions.loc[ds.opinions["level"] == "to_dan_pho", "opinion_id"]
    assert sorted(members) == sorted(group_ids)


def test_a_key_across_wards_is_one_item_per_ward_in_the_ward_lists(staff_year):
    ds, picked = staff_year
    opinions = ds.opinions.set_index("opinion_id")
    for oid in picked["across"]:
        ward = opinions.loc[oid, "ward_code"]
        items = op.consolidated(ds, ward)
        item = items[items["members"].map(lambda m, o=oid: o in m)].iloc[0]
        assert item["source"] == "staff"
        assert set(item["members"]) == {o for o in picked["across"]
                                        if opinions.loc[o, "ward_code"] == ward}


def test_blank_keys_are_consolidated_by_the_machine_among_themselves(staff_year):
    ds, picked = staff_year
    yr = year_requests(ds)
    keyed = {o for v in picked.values() for o in v}
    for scope in ("area", "ward"):
        items, members = yr.items(scope)
        machine = items[items["source"] == "machine"]
        assert not keyed & {m for ms in machine["members"] for m in ms}
        idx = yr.rows((yr.opinions["level"] == "to_dan_pho")
                      & ~yr.opinions["opinion_id"].isin(keyed))
        alone, _ = consolidate(yr.opinions.iloc[idx], yr.features[idx],
                               [yr.places[i] for i in idx], yr.vectorizer, 0.2, scope)
        assert {frozenset(m) for m in machine["members"]} == \
            {frozenset(m) for m in alone["members"]}
        assert set(members.loc[members["source"] == "staff", "opinion_id"]) == keyed


def test_the_agreement_is_the_machines_pairs_against_the_staffs(staff_year):
    ds, picked = staff_year
    yr = year_requests(ds)
    _, machine = yr.machine_items("area")
    machine_item = dict(zip(machine["opinion_id"], machine["item"], strict=True))
    staff_of = {o: k for k, v in picked.items() for o in v}
    assert machine_item[picked["odd"][0]] != machine_item[picked["odd"][1]]
    pairs = list(itertools.combinations(staff_of, 2))
    same_staff = {p for p in pairs if staff_of[p[0]] == staff_of[p[1]]}
    same_machine = {p for p in pairs if machine_item[p[0]] == machine_item[p[1]]}
    tp = len(same_staff & same_machine)
    precision = tp / len(same_machine) if same_machine else 1.0
    recall = tp / len(same_staff)
    _, members = yr.items("area")
    score = staff_items.agreement(members, "area")
    assert score["opinions"] == 7 and score["staff_items"] == 3
    assert score["precision"] == pytest.approx(precision)
    assert score["recall"] == pytest.approx(recall) and recall < 1
    assert score["f1"] < 1
    table = op.staff_agreement_table(ds)
    assert list(table.iloc[:, 0]) == ["Toàn khu vực", "Trong từng phường"]
    assert table.iloc[0]["F1"] == f"{score['f1']:.2f}".replace(".", ",")


def test_the_leaders_page_says_once_that_the_list_follows_the_office(staff_year):
    ds, _ = staff_year
    items = op.consolidated(ds)
    shown = str(op.items_html(items, op.consolidated_members(ds, items.head(10)), n=10))
    n = len(ds.opinions[ds.opinions["level"] == "to_dan_pho"])
    assert shown.count("Danh sách theo tổng hợp của cán bộ") == 1
    assert f"cho 7 ý kiến; {n - 7:,} ý kiến còn lại do máy gộp".replace(",", ".") in shown


def test_without_staff_keys_the_list_is_the_machines_as_before():
    ds = hbt.load(2023)
    assert "staff_item" not in ds.opinions
    items, members = year_requests(ds).items("area")
    assert "source" not in items and "source" not in members
    shown = str(op.items_html(items.head(3).assign(reason="", group_list="", ward_name=""),
                              op.consolidated_members(ds, items.head(3)), n=3))
    assert "tổng hợp của cán bộ" not in shown
    assert op.staff_agreement_table(ds).empty


def test_the_same_keys_from_a_csv_by_columns_and_by_rows(tmp_path):
    ops = _bundled_opinions()
    picked = _pick(ops)
    ops["Nhóm kiến nghị"] = ops["opinion_id"].map(
        {o: k for k, v in picked.items() for o in v}).fillna("")
    folder = tmp_path / "2023"
    folder.mkdir()
    for name in ("group_conferences.csv", "ward_conferences.csv"):
        shutil.copy(DATA / "2023" / name, folder / name)
    ops.to_csv(folder / "opinions.csv", index=False)
    files = sorted(folder.iterdir())
    by_columns = hbt.dataset.load_files(files, 2023, reference_dir=DATA, columnar=True)
    by_rows = hbt.dataset.load_files(files, 2023, reference_dir=DATA, columnar=False)
    pd.testing.assert_series_equal(by_columns.opinions["staff_item"],
                                   by_rows.opinions["staff_item"], check_dtype=False)
    assert by_rows.opinions["staff_item"].value_counts().to_dict() == {
        "across": 3, "within": 2, "odd": 2}


def test_an_unusable_key_is_refused_naming_file_row_and_column(tmp_path):
    import datetime as dt

    ops = _bundled_opinions()
    picked = _pick(ops)
    # Excel turned "1/2" into 1 February; a whole opinion pasted into the key column
    keys = {picked["across"][0]: dt.datetime(2023, 2, 1),
            picked["within"][0]: "Đề nghị UBND phường sửa đèn chiếu sáng ngõ 46 Lò Đúc đã hỏng "
                                 "lâu ngày, buổi tối rất tối",
            picked["odd"][0]: 2.5}
    root = _write_year(tmp_path, keys)
    rows = {oid: n + 1 for n, oid in enumerate(ops["opinion_id"], start=1)}  # under the header
    with pytest.raises(hbt.DataError) as err:
        hbt.load(2023, root)
    bad = [p for p in err.value.errors if p.column == KEY_HEADER]
    assert sorted(p.row for p in bad) == sorted(rows[o] for o in keys)
    assert all("y_kien_2023.xlsx" in p.file for p in bad)
    by_row = {p.row: p for p in bad}
    assert "thành ngày" in by_row[rows[picked["across"][0]]].message_vi
    assert "into a date" in by_row[rows[picked["across"][0]]].message_en
    assert "quá dài" in by_row[rows[picked["within"][0]]].message_vi
    # as an office checks its folder: exit 1, the file, row and column named, no traceback
    result = subprocess.run([sys.executable, "-m", "hbt_analysis.cli", "validate",
                             str(root / "2023"), "--data-dir", str(root)],
                            capture_output=True, text=True, timeout=300)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in out
    assert "y_kien_2023.xlsx" in out and KEY_HEADER in out
    assert str(rows[picked["odd"][0]]) in out


def test_keys_no_two_opinions_share_are_warned_as_an_id_column(tmp_path):
    ops = _bundled_opinions()
    group = ops[ops["level"] == "to_dan_pho"]["opinion_id"].tolist()[:25]
    root = _write_year(tmp_path, {o: f"KN{n}" for n, o in enumerate(group)})
    ds = hbt.load(2023, root)
    warned = [p for p in ds.warnings if p.code == "staff_keys_group_nothing"]
    assert len(warned) == 1 and "Mã ý kiến" in warned[0].message_vi


def test_the_docs_say_the_column_exists_and_what_it_does():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    data_readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    for text in (readme, data_readme):
        assert "`staff_item`" in text and "Nhóm kiến nghị" in text
    assert "follows the staff's grouping" in readme
    assert "where given, the consolidated list follows it" in data_readme


def test_wards_that_number_their_own_requests_from_one_are_warned(staff_year, tmp_path):
    ds, _ = staff_year
    assert not [p for p in ds.warnings if p.code == "staff_keys_per_ward"]  # one ward has 1
    ops = _bundled_opinions()
    group = ops[ops["level"] == "to_dan_pho"]
    keys = {}
    for ward in sorted(group["ward_code"].unique())[:3]:  # each ward: 1, 1, 2
        ids = group.loc[group["ward_code"] == ward, "opinion_id"].tolist()[:3]
        keys.update({ids[0]: 1, ids[1]: 1, ids[2]: 2})
    warned = [p for p in hbt.load(2023, _write_year(tmp_path, keys)).warnings
              if p.code == "staff_keys_per_ward"]
    assert len(warned) == 1 and "ghi mã phường trước số" in warned[0].message_vi
    assert "3 phường" in warned[0].message_vi and warned[0].column


def test_wording_reach_and_routes_keep_working_on_the_staffs_items(staff_year):
    ds, picked = staff_year
    opinions = ds.opinions.set_index("opinion_id")
    ward = opinions.loc[picked["within"][0], "ward_code"]
    items = op.consolidated(ds, ward)
    within = items[items["members"].map(set) == set(picked["within"])].iloc[0]
    sentences = op.request_sentences(items[items["item"] == within["item"]], 1)
    assert len(sentences) == 1 and "tổ dân phố" in sentences[0]
    reach = op.reach_table(ds, ward)
    row = reach[reach["members"].map(set) == set(picked["within"])]
    assert len(row) == 1 and row["reached"].dtype == bool
    routes = op.routes(ds, ward)
    assert set(picked["within"]) <= set(routes["opinion_id"])

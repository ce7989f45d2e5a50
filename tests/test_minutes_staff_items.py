"""A ward summary's numbered requests keep their numbers as the staff's keys (staff_item).

`hbt import-minutes` (the real CLI) on real Word files: the shared examples (eight groups'
minutes and Thanh Nhàn's summary, a table numbered 1–17 across its fields) and summaries
written here with python-docx (numbers that start again under each field; no numbers).
Only the summary's own rows are keyed: it names the groups, not which of their opinions.
When staff then give a group's opinion the same key, that is the link (linking.py).
"""

from __future__ import annotations

import pandas as pd
from openpyxl import load_workbook

from hbt_analysis import load, review_flags
from hbt_analysis.cli import main
from hbt_analysis.minutes.importer import summary_keys
from hbt_analysis.minutes.reader import read_document
from hbt_analysis.opinions.yearly import year_requests
from tests import minutes_docs as md
from tests.test_minutes_import import _docs, _flags


def _summary(tmp_path, lines: list[str], name: str = "tong hop.docx", ward: str = "QUỲNH MAI"):
    return read_document(md.summary(tmp_path / name, lines, ward))


def test_numbers_that_start_again_under_each_field_are_told_apart_by_the_field(tmp_path):
    r = _summary(tmp_path, ["I. Lĩnh vực môi trường",
                            "1. Nạo vét rãnh thoát nước ngõ 12 (TDP 3, 6).",
                            "2. Thu gom rác đúng giờ (Tổ dân phố số 4, 12).",
                            "II. Lĩnh vực giao thông",
                            "1. Kẻ vạch đi bộ trước trường (TDP 9)."])
    assert [o.number for o in r.opinions] == ["1", "2", "1"]
    assert summary_keys(r) == [f"{r.ward_code}-1 (môi trường)", f"{r.ward_code}-2 (môi trường)",
                               f"{r.ward_code}-1 (giao thông)"]


def test_a_running_number_is_kept_as_printed(tmp_path):
    r = _summary(tmp_path, ["I. Lĩnh vực môi trường",
                            "1. Nạo vét rãnh thoát nước ngõ 12 (TDP 3, 6).",
                            "2. Thu gom rác đúng giờ (Tổ dân phố số 4, 12).",
                            "II. Lĩnh vực giao thông",
                            "3. Kẻ vạch đi bộ trước trường (TDP 9)."])
    assert summary_keys(r) == [f"{r.ward_code}-{n}" for n in (1, 2, 3)]


def test_numbers_that_repeat_with_nothing_to_tell_them_apart_give_no_keys(tmp_path):
    from hbt_analysis.minutes.importer import build

    r = _summary(tmp_path, ["1. Nạo vét rãnh thoát nước ngõ 12 (TDP 3, 6).",
                            "1. Thu gom rác đúng giờ (Tổ dân phố số 4, 12)."])
    assert [o.number for o in r.opinions] == ["1", "1"] and summary_keys(r) == [None, None]
    result = build([r], 2023)
    assert result.opinions["staff_item"].isna().all()
    assert any("trùng nhau" in n and "repeat" in n for n in r.notes)



def test_numbers_of_a_summary_whose_ward_is_unknown_are_not_kept_and_the_note_says_why(
        tmp_path):
    from hbt_analysis.minutes.importer import build

    r = _summary(tmp_path, ["1. Nạo vét rãnh thoát nước ngõ 12 (TDP 3, 6).",
                            "2. Thu gom rác đúng giờ (Tổ dân phố số 4, 12)."], ward="HOA SEN")
    assert r.ward_code is None and [o.number for o in r.opinions] == ["1", "2"]
    result = build([r], 2023)
    assert result.opinions["staff_item"].isna().all()
    note = next(n for n in r.notes if "staff_item" in n)
    assert "phường nào" in note and "ward is unknown" in note
    assert "trùng nhau" not in note and "repeat" not in note


def test_a_summary_table_numbered_01_02_under_its_fields(tmp_path):
    """The plain table form (STT | Tổ dân phố | Nội dung | Cấp giải quyết), numbers typed
    with a zero and started again under each field's heading row."""
    doc = md.new(header_table=False)
    md.para(doc, "ỦY BAN MTTQ VIỆT NAM PHƯỜNG QUỲNH MAI")
    md.para(doc, "Hà Nội, ngày 02 tháng 3 năm 2023")
    md.para(doc, "TỔNG HỢP Ý KIẾN, KIẾN NGHỊ CỦA NHÂN DÂN")
    t = md.table(doc, [["STT", "Tổ dân phố", "Nội dung ý kiến, kiến nghị", "Cấp giải quyết"],
                       ["I. Môi trường", "", "", ""],
                       ["01", "3, 6", "Nạo vét rãnh thoát nước ngõ 12 trước mùa mưa.", "Phường"],
                       ["02", "4", "Thu gom rác đúng giờ ở đầu ngõ chợ.", "Phường"],
                       ["II. Giao thông", "", "", ""],
                       ["01", "9", "Kẻ vạch đi bộ trước cổng trường tiểu học.", "Quận"]])
    md.merge_row(t, 1)
    md.merge_row(t, 4)
    r = read_document(md.save(doc, tmp_path / "tong hop bang.docx"))
    assert [o.number for o in r.opinions] == ["01", "02", "01"]
    assert r.opinions[0].text.startswith("Nạo vét") and r.opinions[0].groups == ["3", "6"]
    assert summary_keys(r) == [f"{r.ward_code}-1 (Môi trường)", f"{r.ward_code}-2 (Môi trường)",
                               f"{r.ward_code}-1 (Giao thông)"]


def test_a_summary_that_does_not_number_its_requests_gets_no_keys(tmp_path):
    r = _summary(tmp_path, ["I. Lĩnh vực môi trường",
                            "- Nạo vét rãnh thoát nước ngõ 12 (TDP 3, 6).",
                            "- Thu gom rác đúng giờ (Tổ dân phố số 4, 12)."])
    assert len(r.opinions) == 2 and summary_keys(r) == [None, None]


def _imported(tmp_path, capsys):
    """The shared examples through `hbt import-minutes`, then checked as staff would
    (figures filled in from the paper, every flag ticked)."""
    out = tmp_path / "data"
    main(["import-minutes", str(_docs(tmp_path)), "--out", str(out), "--year", "2023"])
    printed = capsys.readouterr().out
    assert "17 kiến nghị trong bản tổng hợp của phường ghi vào cột staff_item" in printed
    year = out / "2023"
    g = pd.read_csv(year / "group_conferences.csv", dtype=str)
    g.loc[g["group_code"] == "00295-TDP19", ["households_invited", "households_attended"]] = [
        "150", "101"]
    g.loc[g["group_code"] == "00271-TDP09", "households_invited"] = "185"
    g.to_csv(year / "group_conferences.csv", index=False)
    rows = _flags(year / review_flags.FILE_NAME)
    for r in rows:
        r["checked"] = "x"
    review_flags.write(year / review_flags.FILE_NAME, rows)
    return out


def test_the_import_keys_the_summarys_requests_and_no_groups_opinion(tmp_path, capsys):
    out = _imported(tmp_path, capsys)
    ops = pd.read_csv(out / "2023" / "opinions.csv", dtype=str)
    ward = ops[ops["level"] == "phuong"]
    assert ward["staff_item"].tolist() == [f"00271-{n}" for n in range(1, 18)]
    assert ops.loc[ops["level"] == "to_dan_pho", "staff_item"].isna().all()
    review = load_workbook(out / "2023" / "kiem_tra_bien_ban.xlsx", read_only=True)
    assert any("staff_item" in str(v) for ws in review for row in ws.iter_rows(values_only=True)
               for v in row)
    ds = load(2023, out)
    assert ds.opinions.loc[ds.opinions["level"] == "phuong", "staff_item"].notna().all()
    # seventeen keys no two ward-level opinions share are the rule there, not an ID column
    assert not [p for p in ds.warnings if p.code.startswith("staff_keys")]
    yr = year_requests(ds)
    items, _ = yr.items("ward")
    assert "source" not in items  # no group opinion keyed: the list is the machine's
    links = yr.links()
    assert set(links["source"]) == {"machine"}
    assert main(["validate", "--data-dir", str(out), "--year", "2023"]) == 0
    capsys.readouterr()


def test_a_key_staff_copy_onto_a_groups_opinion_becomes_the_link(tmp_path, capsys):
    out = _imported(tmp_path, capsys)
    path = out / "2023" / "opinions.csv"
    ops = pd.read_csv(path, dtype=str, keep_default_na=False)
    request = ops[ops["staff_item"] == "00271-1"].iloc[0]  # rubbish dumped, TDP 3 and 18
    sources = ops[(ops["group_code"].isin(["00271-TDP03", "00271-TDP18"]))
                  & ops["text"].str.contains("rác")]
    assert len(sources) >= 1
    ops.loc[sources.index, "staff_item"] = "00271-1"
    ops.to_csv(path, index=False)
    ds = load(2023, out)
    links = year_requests(ds).links()
    own = links[links["ward_opinion_id"] == request["opinion_id"]]
    assert set(own["opinion_id"]) == set(sources["opinion_id"])
    assert set(own["source"]) == {"staff"}
    assert set(links.loc[links["ward_opinion_id"] != request["opinion_id"], "source"]) == {
        "machine"}

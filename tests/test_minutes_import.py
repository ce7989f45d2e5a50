"""`hbt import-minutes` through the real CLI: tables, review workbook, flags, `hbt validate`."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from hbt_analysis import load, review_flags
from hbt_analysis.cli import main
from hbt_analysis.minutes.wordfile import soffice_path
from hbt_analysis.validate import DataError
from tests import minutes_docs as md

DATA = Path(__file__).parent / "data" / "minutes"
ROOT = Path(__file__).resolve().parents[1]


def _docs(tmp_path: Path, which: str = "shared") -> Path:
    """A folder of documents (no gold.json, no case.md) as an office would hand it over."""
    folder = tmp_path / "bien_ban"
    for p in (DATA / which).rglob("*"):
        if p.suffix.lower() in (".docx", ".doc"):
            if p.suffix == ".doc" and soffice_path() is None:
                continue
            target = folder / p.relative_to(DATA / which)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, target)
    return folder


def _flags(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_import_writes_the_tables_review_and_flags(tmp_path, capsys):
    docs = _docs(tmp_path)
    before = _digest(docs)
    out = tmp_path / "data"
    code = main(["import-minutes", str(docs), "--out", str(out), "--year", "2023"])
    printed = capsys.readouterr()
    assert code == 1  # written, and some documents need checking
    assert "Traceback" not in printed.err + printed.out
    assert _digest(docs) == before  # the documents are only read
    year = out / "2023"
    g = pd.read_csv(year / "group_conferences.csv", dtype={"ward_code": str})
    assert len(g) == 8 and set(g["ward_code"]) == {"00286", "00295", "00271"}
    row = g[g["group_code"] == "00286-TDP09"].iloc[0]
    assert (row["households_invited"], row["households_attended"], row["opinions_count"]) == (
        196, 135, 6)
    assert row["conference_date"] == "2023-01-08"
    mk19 = g[g["group_code"] == "00295-TDP19"].iloc[0]
    assert pd.isna(mk19["households_invited"]) and pd.isna(mk19["households_attended"])
    ops = pd.read_csv(year / "opinions.csv", dtype=str)
    ward_level = ops[ops["level"] == "phuong"]
    assert len(ward_level) == 17 and ward_level["group_code"].isna().all()
    assert ward_level["source_groups"].iloc[0] == "00271-TDP03;00271-TDP18"
    assert ward_level["addressed_to"].iloc[0] == "UBND phường"
    assert len(ops[ops["level"] == "to_dan_pho"]) == 43
    # the review workbook: one row per document, the problems named
    wb = load_workbook(year / "kiem_tra_bien_ban.xlsx", read_only=True)
    docs_sheet = list(wb["Biên bản"].iter_rows(values_only=True))
    assert len(docs_sheet) == 1 + 9
    tn9 = next(r for r in docs_sheet if r[0] == "bien ban tdp 9.docx")
    assert "88,1%" in tn9[15] and "CÓ" in tn9[14]
    flags = _flags(year / review_flags.FILE_NAME)
    codes = {(f["document"], f["flag"]) for f in flags}
    assert ("TDP so 19 - PMK.docx", "missing_attendance") in codes
    assert ("bien ban tdp 9.docx", "attended_gt_invited") in codes
    assert ("bien ban tdp 9.docx", "percentage_mismatch") in codes
    assert "hbt validate" in printed.out


def test_validate_names_every_flag_until_it_is_checked(tmp_path, capsys):
    docs = _docs(tmp_path)
    out = tmp_path / "data"
    main(["import-minutes", str(docs), "--out", str(out), "--year", "2023"])
    capsys.readouterr()
    assert main(["validate", "--data-dir", str(out), "--year", "2023"]) == 1
    text = capsys.readouterr().out
    assert "review_flags.csv" in text and "88,1%" in text
    assert "group_conferences.csv" in text and "Số hộ được mời" in text  # the empty figure
    with pytest.raises(DataError):
        load(2023, out)
    # staff check the paper, fix the figures, tick every flag
    g = pd.read_csv(out / "2023" / "group_conferences.csv", dtype=str)
    g.loc[g["group_code"] == "00295-TDP19", ["households_invited", "households_attended"]] = [
        "150", "101"]
    g.loc[g["group_code"] == "00271-TDP09", "households_invited"] = "185"
    g.to_csv(out / "2023" / "group_conferences.csv", index=False)
    path = out / "2023" / review_flags.FILE_NAME
    rows = _flags(path)
    for r in rows:
        r["checked"] = "x"
    review_flags.write(path, rows)
    ds = load(2023, out)
    assert int(ds.group_conferences["households_attended"].sum()) == 135 + 157 + 147 + 80 + 101 \
        + 128 + 101 + 163
    assert not ds.synthetic


def test_existing_data_is_never_replaced_without_force(tmp_path, capsys):
    docs = _docs(tmp_path)
    out = tmp_path / "data"
    main(["import-minutes", str(docs), "--out", str(out), "--year", "2023"])
    first = _digest(out / "2023")
    assert main(["import-minutes", str(docs), "--out", str(out), "--year", "2023"]) == 2
    assert "--force" in capsys.readouterr().err
    assert _digest(out / "2023") == first
    # without --year the folder is known only after reading: still refused, nothing lost
    assert main(["import-minutes", str(docs), "--out", str(out)]) == 2
    assert _digest(out / "2023") == first
    assert main(["import-minutes", str(docs), "--out", str(out), "--force"]) == 1
    backups = [p for p in (out / "2023").iterdir() if p.name.startswith(".sao-luu-")]
    assert len(backups) == 1
    kept = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in backups[0].iterdir()}
    assert kept == first


def test_two_documents_for_one_group_are_named_and_refused_by_validate(tmp_path, capsys):
    docs = _docs(tmp_path, "dev")
    out = tmp_path / "data"
    main(["import-minutes", str(docs), "--out", str(out)])
    capsys.readouterr()
    flags = _flags(out / "2023" / review_flags.FILE_NAME)
    dup = {f["document"] for f in flags if f["flag"] == "duplicate_group"}
    assert dup == {"BB TDP 12 Vinh Tuy.docx", "BB TDP 12 Vinh Tuy - sua lai.docx"}
    main(["validate", "--data-dir", str(out), "--year", "2023"])
    text = capsys.readouterr().out
    assert "00283-TDP12" in text and "nhiều lần" in text  # validate's duplicate rule too
    ops = pd.read_csv(out / "2023" / "opinions.csv", dtype=str)
    assert ops["opinion_id"].is_unique  # the pair's opinions stay apart, by document
    assert set(ops.loc[ops["group_code"] == "00283-TDP12", "source_document"]) == dup


def test_a_group_missing_from_the_registry_is_flagged(tmp_path, scratch_data, capsys):
    # the registry: groups 1-3 of Bạch Mai known from an earlier year
    year = scratch_data / "2022"
    year.mkdir()
    pd.DataFrame({
        "year": 2022, "ward_code": "00286", "group_code": [f"00286-TDP0{i}" for i in (1, 2, 3)],
        "conference_date": "2022-01-10", "households_invited": 100,
        "households_attended": 80, "opinions_count": 0,
    }).to_csv(year / "group_conferences.csv", index=False)
    docs = tmp_path / "docs"
    doc = md.new(ward="BẠCH MAI", group=42)
    md.para(doc, "BIÊN BẢN")
    md.para(doc, "Hồi 19h ngày 12/01/2023. Số hộ được mời 120 hộ, có mặt 90 hộ.")
    md.para(doc, "Ý kiến của đại biểu:")
    md.para(doc, "- Đề nghị sửa đèn.")
    md.save(doc, docs / "to 42.docx")
    out = tmp_path / "out"
    code = main(["import-minutes", str(docs), "--out", str(out),
                 "--data-dir", str(scratch_data)])
    assert code == 0  # a warning, not an error
    flags = _flags(out / "2023" / review_flags.FILE_NAME)
    assert [(f["group_code"], f["flag"]) for f in flags] == [
        ("00286-TDP42", "group_not_in_registry")]
    assert "TDP01" in flags[0]["message_vi"]


def test_bad_input_gets_a_message_not_a_traceback(tmp_path, capsys):
    assert main(["import-minutes", str(tmp_path / "khong-co")]) == 2
    assert "no such folder" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "ghi chu.txt").write_text("không phải biên bản")
    assert main(["import-minutes", str(empty)]) == 2
    assert "no .docx" in capsys.readouterr().err
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "hong.docx").write_bytes(b"PK\x03\x04garbage")
    (bad / "~$khoa.docx").write_bytes(b"lock file")  # Word's lock file: ignored
    assert main(["import-minutes", str(bad), "--year", "2023", "--out",
                 str(tmp_path / "o")]) == 1
    printed = capsys.readouterr()
    assert "Traceback" not in printed.out + printed.err
    flags = _flags(tmp_path / "o" / "2023" / review_flags.FILE_NAME)
    assert [(f["document"], f["flag"]) for f in flags] == [("hong.docx", "unreadable")]


def test_no_speaker_name_reaches_the_opinions(tmp_path):
    from hbt_analysis.minutes.importer import import_folder

    result = import_folder(_docs(tmp_path, "dev"), 2023)
    texts = " ".join(result.opinions["text"])
    for name in ("Nguyễn", "Trần Văn", "Lê Thị", "Phạm", "Hoàng"):
        for honorific in ("Ông", "Bà"):
            assert f"{honorific} {name}" not in texts


def test_synth_minutes_never_writes_over_a_folder(tmp_path, capsys):
    folder = tmp_path / "bien_ban"
    folder.mkdir()
    (folder / "cu.docx").write_bytes(b"old")
    assert main(["synth", "--minutes", str(folder)]) == 2
    assert (folder / "cu.docx").read_bytes() == b"old"
    assert main(["synth", "--minutes", str(tmp_path / "x"), "--year", "2031"]) == 2
    assert "2022, 2023, 2024" in capsys.readouterr().err


def test_minutes_of_2026_are_read_by_the_new_wards(tmp_path):
    """After the merger 'Bạch Mai' is the new ward (another code than the old one), with the
    year given or read from the meeting dates."""
    from hbt_analysis.registry import registry

    new_code = registry().wards(2026).set_index("ward_name").loc["Bạch Mai", "ward_code"]
    old_code = registry().wards(2024).set_index("ward_name").loc["Bạch Mai", "ward_code"]
    assert new_code != old_code
    docs = tmp_path / "bien_ban"
    docs.mkdir()
    doc = md.new("BẠCH MAI", 7)
    md.para(doc, "BIÊN BẢN HỘI NGHỊ ĐẠI BIỂU NHÂN DÂN")
    md.para(doc, "Hôm nay, ngày 10/01/2026, tại nhà văn hóa tổ dân phố số 7.")
    md.para(doc, "Số hộ được mời: 120 hộ; số hộ tham dự: 85 hộ.")
    md.para(doc, "Ý kiến 1: Đề nghị sửa đèn chiếu sáng ngõ 12.")
    md.save(doc, docs / "bien_ban_to_7.docx")
    for args in (["--year", "2026"], []):
        out = tmp_path / f"data{len(args)}"
        main(["import-minutes", str(docs), "--out", str(out), *args])
        g = pd.read_csv(out / "2026" / "group_conferences.csv", dtype={"ward_code": str})
        assert g["ward_code"].tolist() == [new_code], args
        assert g["group_code"].tolist() == [f"{new_code}-TDP07"], args

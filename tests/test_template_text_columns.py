"""The blank template's staff_item column is Text: what staff type there stays as typed.

`hbt template` (the real CLI) writes the template; the 2023 year is typed into it, and the
request numbers are typed in LibreOffice Calc itself (tests/office_typing.py: Calc's own
command for typed input, so the cell's format decides as at the keyboard). "1/2" must come
back as the key "1/2", and the year must load; typed into a General cell (how the template
was before), Calc makes it a date, and the load refuses it naming the file, the row and the
column.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import hbt_analysis as hbt
from hbt_analysis.schema import OPINIONS
from hbt_analysis.template import HEADER_ROW, MAX_ROWS
from hbt_analysis.validate import DataError
from tests.conftest import DATA, needs_bundled_data
from tests.test_dataset import _fill_template_like_a_clerk

pytestmark = needs_bundled_data
HERE = Path(__file__).parent


def _office_python() -> str | None:
    """A Python with LibreOffice's uno module (python3-uno), and soffice beside it."""
    if shutil.which("soffice") is None:
        return None
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and subprocess.run([candidate, "-c", "import uno"],
                                         capture_output=True).returncode == 0:
            return candidate
    return None


OFFICE_PYTHON = _office_python()
needs_office = pytest.mark.skipif(OFFICE_PYTHON is None,
                                  reason="LibreOffice with python3-uno not installed")


def _template(folder: Path) -> Path:
    path = folder / "nhap_2023.xlsx"
    result = subprocess.run([sys.executable, "-m", "hbt_analysis.cli", "template", str(path),
                             "--year", "2023"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return path


def _column(name: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(OPINIONS.names.index(name) + 1)


def test_the_blank_templates_request_column_is_text_on_every_row(tmp_path):
    wb = load_workbook(_template(tmp_path))
    ws = wb[OPINIONS.sheet_name]
    col = _column("staff_item")
    assert ws[f"{col}{HEADER_ROW}"].value == "Nhóm kiến nghị (cán bộ tổng hợp)"
    formats = {ws[f"{col}{r}"].number_format for r in range(HEADER_ROW + 1,
                                                            HEADER_ROW + MAX_ROWS + 1)}
    assert formats == {"@"}
    assert ws.column_dimensions[col].number_format == "@"  # rows past the covered ones too
    assert ws[f"{_column('addressed_to')}{HEADER_ROW + 1}"].number_format == "General"
    guide = " ".join(str(c.value) for c in wb["Huong dan"]["A"])
    assert "Nhóm kiến nghị" in guide and "Văn bản (Text)" in guide
    line = next(c for c in wb["Huong dan"]["A"] if "Văn bản (Text)" in str(c.value))
    assert wb["Huong dan"].row_dimensions[line.row].height >= 45  # its wrapped lines shown


def _typed_year(tmp_path: Path, general: bool) -> tuple[Path, list[dict], dict[str, str]]:
    """The 2023 year typed into a fresh template, and request numbers typed in Calc on four
    group opinions (in a General column instead when `general`, as before)."""
    root = tmp_path / "data"
    (root / "2023").mkdir(parents=True)
    shutil.copytree(DATA / "reference", root / "reference")
    path = _template(root / "2023")
    ds = hbt.load(2023)
    _fill_template_like_a_clerk(path, ds)
    if general:  # the template as it was: the column left General
        wb = load_workbook(path)
        ws = wb[OPINIONS.sheet_name]
        col = _column("staff_item")
        ws.column_dimensions[col].number_format = "General"
        for r in range(HEADER_ROW + 1, HEADER_ROW + MAX_ROWS + 1):
            ws[f"{col}{r}"].number_format = "General"
        wb.save(path)
    ops = ds.opinions
    rows = {oid: HEADER_ROW + 1 + i for i, oid in enumerate(ops["opinion_id"])}
    group = ops[ops["level"] == "to_dan_pho"]["opinion_id"].tolist()
    keys = {group[0]: "1/2", group[1]: "1/2", group[2]: "3-1", group[3]: "3-1"}
    cells = [[OPINIONS.sheet_name, f"{_column('staff_item')}{rows[o]}", k]
             for o, k in keys.items()]
    typed = path.with_name("typed.xlsx")
    done = subprocess.run([OFFICE_PYTHON, str(HERE / "office_typing.py"), str(path),
                           str(typed), json.dumps(cells, ensure_ascii=False)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    typed.replace(path)
    return root, [json.loads(line) for line in done.stdout.splitlines()], keys



def test_which_columns_are_text_is_the_schemas_declaration(tmp_path, monkeypatch):
    """The schema says which columns are kept as typed (Column.as_text); the template
    follows it: declared on another column, that column is Text too."""
    import dataclasses

    from hbt_analysis import schema
    from hbt_analysis.template import write_workbook

    assert [c.name for t in schema.YEARLY_TABLES.values() for c in t.columns
            if c.as_text] == ["staff_item"]
    columns = tuple(dataclasses.replace(c, as_text=True) if c.name == "addressed_to" else c
                    for c in OPINIONS.columns)
    monkeypatch.setitem(schema.YEARLY_TABLES, OPINIONS.name,
                        dataclasses.replace(OPINIONS, columns=columns))
    ws = load_workbook(write_workbook(None, tmp_path / "t.xlsx", year=2023))[OPINIONS.sheet_name]
    assert ws[f"{_column('addressed_to')}{HEADER_ROW + 1}"].number_format == "@"
    assert ws[f"{_column('staff_item')}{HEADER_ROW + 1}"].number_format == "@"

@needs_office
@pytest.mark.slow
def test_request_numbers_typed_in_calc_stay_as_typed_and_load(tmp_path):
    root, cells, keys = _typed_year(tmp_path, general=False)
    assert [(c["shown"], c["type"], c["format"]) for c in cells] == [
        ("1/2", "TEXT", "@"), ("1/2", "TEXT", "@"), ("3-1", "TEXT", "@"), ("3-1", "TEXT", "@")]
    ds = hbt.load(2023, root)
    got = ds.opinions.set_index("opinion_id")["staff_item"]
    assert {o: got[o] for o in keys} == keys and got.notna().sum() == 4
    from hbt_analysis import opinions as op

    items = op.consolidated(ds)
    staff = items[items["source"] == "staff"]
    assert sorted(map(sorted, staff["members"])) == sorted(
        sorted(o for o in keys if keys[o] == k) for k in ("1/2", "3-1"))


@needs_office
@pytest.mark.slow
def test_in_a_general_column_calc_makes_a_date_and_the_load_names_the_cell(tmp_path):
    root, cells, keys = _typed_year(tmp_path, general=True)
    assert cells[0]["type"] == "VALUE" and cells[0]["shown"] != "1/2"  # a day now
    with pytest.raises(DataError) as err:
        hbt.load(2023, root)
    bad = [p for p in err.value.errors if p.column == "Nhóm kiến nghị (cán bộ tổng hợp)"]
    ops = pd.read_csv(DATA / "2023" / "opinions.csv", dtype=str)
    first = HEADER_ROW + 1 + ops.index[ops["opinion_id"] == next(iter(keys))][0]
    assert first in {p.row for p in bad} and all("nhap_2023.xlsx" in p.file for p in bad)
    assert any("thành ngày" in p.message_vi and "into a date" in p.message_en for p in bad)

"""The Excel entry template: what ward staff fill in, and the bundled Excel year.

A sheet per table with Vietnamese headers under a title row (the layout offices already
use), the ward list as a drop-down, and an instructions sheet. `write_workbook` fills the
same layout with data, so the bundled Excel year and a staff-filled template load alike.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from hbt_analysis.registry import WARD_KINDS, Registry, reference_date, registry
from hbt_analysis.schema import LEVELS, STATUSES, WARDS, YEARLY_TABLES, Table

WARD_SHEET = "Danh sach phuong"
INSTRUCTION_SHEET = "Huong dan"
HEADER_ROW = 2  # row 1 holds the title, as in the offices' own sheets
MAX_ROWS = 5000  # rows the drop-downs cover in an empty template
FIXED_TIME = dt.datetime(2020, 1, 1)  # workbook metadata: deterministic output

_TITLE_FONT = Font(bold=True, size=13)
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="A4161A")

TITLE = "MẪU NHẬP SỐ LIỆU HỘI NGHỊ ĐẠI BIỂU NHÂN DÂN"  # + " — " the area's title (registry)
#: The instructions sheet; {group} is a group code of the template's first ward.
INSTRUCTIONS = [
    (TITLE, ""),
    ("", ""),
    ("Cách điền (tiếng Việt)", "How to fill it in (English)"),
    ("Mỗi sheet là một bảng: 'To dan pho' (hội nghị tổ dân phố), 'Phuong' (hội nghị phường), "
     "'Y kien' (ý kiến, kiến nghị).",
     "Each sheet is one table: 'To dan pho' (group conferences), 'Phuong' (ward conferences), "
     "'Y kien' (opinions)."),
    ("Không đổi tên các cột ở dòng 2; điền dữ liệu từ dòng 3, mỗi dòng một hội nghị "
     "hoặc một ý kiến.",
     "Do not rename the headers in row 2; enter data from row 3, one conference or opinion a row."),
    ("Mã phường chọn từ danh sách (sheet 'Danh sach phuong'); mã tổ dân phố giữ nguyên qua các "
     "năm, vd. {group}.",
     "Pick the ward code from the list (sheet 'Danh sach phuong'); keep group codes stable "
     "across years, e.g. {group}."),
    ("Ngày ghi dd/mm/yyyy; số hộ là số nguyên (35.323 hoặc 35323); số hộ dự không lớn hơn số "
     "hộ được mời.",
     "Dates as dd/mm/yyyy; household counts are whole numbers (35.323 or 35323); attended "
     "cannot exceed invited."),
    ("Số ý kiến của mỗi tổ phải bằng số dòng ý kiến của tổ đó trong sheet 'Y kien'.",
     "Each group's opinion count must equal its rows in the 'Y kien' sheet."),
    ("Cột 'Nhóm kiến nghị (cán bộ tổng hợp)' (không bắt buộc): ghi cùng một số hoặc nhãn "
     "ngắn (vd. 12, 1/2, KN-03) cho các ý kiến đã tổng hợp thành một kiến nghị; ý kiến cấp "
     "phường ghi cùng số với các ý kiến của tổ mà nó đưa lên. Cột đã định dạng Văn bản (Text): "
     "giữ nguyên định dạng đó, để Excel không đổi '1/2' thành ngày.",
     "Column 'Nhóm kiến nghị (cán bộ tổng hợp)' (optional): give the opinions consolidated "
     "into one request the same number or short label (e.g. 12, 1/2, KN-03); a ward-level "
     "opinion takes the number of the group opinions it carries forward. The column is "
     "formatted as Text: keep it so, or Excel turns '1/2' into a date."),
    ("Kiểm tra tệp: hbt validate <thư mục hoặc tệp>",
     "Check the file: hbt validate <folder or file>"),
]


def write_workbook(
    tables: dict[str, pd.DataFrame] | None,
    path: str | Path,
    wards: pd.DataFrame | None = None,
    year: int | None = None,
    units: Registry | None = None,
) -> Path:
    """Write the template layout, filled with `tables` (or empty when None).

    The wards (drop-down list) and the area in the title come from the unit registry
    (`units`, else the one in use): those of `year`, or those in force today without one.
    """
    reg = units if units is not None else registry()
    day = reference_date(year) if year else dt.date.today()
    if wards is None:
        in_force = reg.valid_on(day)
        in_force = in_force[in_force["kind"].isin(WARD_KINDS)]
        wards = pd.DataFrame({"ward_code": in_force["code"].to_numpy(),
                              "ward_name": in_force["name"].to_numpy()})
    area = reg.area_on(day)
    path = Path(path)
    wb = Workbook()
    _instructions(wb.active, area.title().upper() if area.name else "",
                  f"{wards['ward_code'].iloc[0] if len(wards) else '<mã phường>'}-TDP05")
    for table in YEARLY_TABLES.values():
        ws = wb.create_sheet(table.sheet_name)
        frame = (tables or {}).get(table.name)
        _table_sheet(ws, table, frame, len(wards), year)
    _ward_sheet(wb.create_sheet(WARD_SHEET), wards)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.properties.creator = "hbt-analysis"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    tmp = path.with_name(f".{path.name}.tmp")
    wb.save(tmp)
    _fix_zip_times(tmp)
    tmp.replace(path)  # never leave a half-written workbook where a good one was
    return path


def _fix_zip_times(path: Path) -> None:
    """Rewrite the .xlsx zip with fixed entry times: the same tables give the same bytes."""
    with zipfile.ZipFile(path) as src:
        entries = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in entries:
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2020-01-01T00:00:00Z",
                              data)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)


def _instructions(ws, area_title: str, group: str) -> None:
    ws.title = INSTRUCTION_SHEET
    for r, (vi, en) in enumerate(INSTRUCTIONS, start=1):
        if r == 1 and area_title:
            vi = f"{vi} — {area_title}"
        ws.cell(r, 1, vi.replace("{group}", group))
        ws.cell(r, 2, en.replace("{group}", group))
    ws["A1"].font = _TITLE_FONT
    ws["A3"].font = ws["B3"].font = Font(bold=True)
    ws.column_dimensions["A"].width = 90
    ws.column_dimensions["B"].width = 90
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        # a height for the wrapped lines (Calc and a printout do not grow rows by themselves)
        longest = max(len(str(c.value or "")) for c in row)
        ws.row_dimensions[row[0].row].height = 15 * max(1, -(-longest // 95))


def _table_sheet(ws, table: Table, frame: pd.DataFrame | None, n_wards: int,
                 year: int | None) -> None:
    title = f"{table.label_vi.upper()}" + (f" — NĂM {year}" if year else "")
    ws.cell(1, 1, title).font = _TITLE_FONT
    columns = list(table.columns)
    for j, col in enumerate(columns, start=1):
        cell = ws.cell(HEADER_ROW, j, col.label_vi)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        ws.column_dimensions[get_column_letter(j)].width = 60 if col.name in (
            "text", "response") else max(14, len(col.label_vi) + 4)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    n = 0 if frame is None else len(frame)
    if frame is not None:
        for i, record in enumerate(frame.itertuples(index=False), start=HEADER_ROW + 1):
            values = record._asdict()
            for j, col in enumerate(columns, start=1):
                value = values.get(col.name)
                if value is None or (not isinstance(value, str) and pd.isna(value)):
                    continue
                cell = ws.cell(i, j)
                if col.dtype == "date":
                    cell.value = pd.Timestamp(value).to_pydatetime()
                    cell.number_format = "dd/mm/yyyy"
                elif col.dtype == "int":
                    cell.value = int(value)
                    cell.number_format = "#,##0"
                else:
                    cell.value = str(value)
                    if col.name.endswith("code") or col.as_text:
                        cell.number_format = "@"
    last = HEADER_ROW + max(n, MAX_ROWS)
    for j, col in enumerate(columns, start=1):
        letter = get_column_letter(j)
        rng = f"{letter}{HEADER_ROW + 1}:{letter}{last}"
        if col.as_text:  # typed as written: "1/2" stays "1/2", not 1 February (schema)
            ws.column_dimensions[letter].number_format = "@"
            for row in range(HEADER_ROW + 1, last + 1):
                ws.cell(row, j).number_format = "@"
        if col.name == "ward_code":
            dv = DataValidation(type="list", formula1=f"'{WARD_SHEET}'!$A$2:$A${n_wards + 1}",
                                allow_blank=True, showErrorMessage=True,
                                errorTitle="Mã phường", error="Chọn mã phường trong danh sách.")
        elif col.name == "level":
            dv = DataValidation(type="list", formula1=f'"{",".join(LEVELS)}"', allow_blank=True)
        elif col.name == "status":
            dv = DataValidation(type="list", formula1=f'"{",".join(STATUSES)}"', allow_blank=True)
        elif col.dtype == "int":
            dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                                allow_blank=True, showErrorMessage=True,
                                error="Nhập số nguyên không âm.")
        else:
            continue
        ws.add_data_validation(dv)
        dv.add(rng)


def _ward_sheet(ws, wards: pd.DataFrame) -> None:
    for j, col in enumerate(WARDS.columns[:2], start=1):
        cell = ws.cell(1, j, col.label_vi)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for i, r in enumerate(wards.itertuples(index=False), start=2):
        ws.cell(i, 1, r.ward_code).number_format = "@"
        ws.cell(i, 2, r.ward_name)
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 24

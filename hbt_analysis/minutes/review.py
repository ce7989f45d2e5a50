"""The review workbook: what was read from each document and what could not be, for staff
to check against the paper before the data is used.

Sheets: "Biên bản" (one row per document: kind, ward, group, date, invited, attended, the
printed and the recomputed rate, opinions read and stated, what to check), "Cần kiểm tra"
(one row per flag), "Ý kiến đã đọc" (every opinion with its document and answer) and
"Hướng dẫn" (how to use it). Sheet names never look like a table's, so the loader never
mistakes the workbook for data.
"""

from __future__ import annotations

from pathlib import Path

from hbt_analysis.fmt import fmt_date, fmt_num
from hbt_analysis.minutes.importer import KIND_LABELS, ImportResult

_RED = "FFF4CCCC"
_AMBER = "FFFFF2CC"
_HEADER = "FFDCE6F1"

DOCUMENT_COLUMNS = (
    ("Tệp / File", 34), ("Loại / Kind", 24), ("Phường / Ward", 16), ("Mã phường", 10),
    ("Tổ / Group", 7), ("Mã tổ", 14), ("Ngày họp / Date", 12), ("Được mời / Invited", 11),
    ("Có mặt / Attended", 11), ("Đơn vị / Unit", 9), ("Tỷ lệ ghi / Printed rate", 11),
    ("Tỷ lệ tính lại / Computed", 11), ("Ý kiến đọc được / Opinions read", 11),
    ("Ý kiến ghi trong BB / Stated", 11), ("Cần kiểm tra / To check", 10),
    ("Vấn đề / Problems", 48), ("Cách đọc / How it was read", 36),
    ("Đã kiểm tra / Checked", 10),
)


def write_review(result: ImportResult, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Biên bản"
    ws.append([c for c, _ in DOCUMENT_COLUMNS])
    per_doc: dict[int, list] = {}
    for reading, f, _ in result.flags:
        if reading is not None:
            per_doc.setdefault(id(reading), []).append(f)
    for r in result.readings:
        flags = per_doc.get(id(r), [])
        errors = [f for f in flags if f.severity == "error"]
        computed = (100 * r.attended / r.invited) if r.invited and r.attended is not None else None
        ws.append([
            r.file, KIND_LABELS[r.kind][0], r.ward_name or "", r.ward_code or "",
            r.group or "", r.group_code or "", fmt_date(r.date) if r.date else "",
            r.invited, r.attended, r.attendance_unit or "",
            (fmt_num(r.rate_printed, 1) + "%") if r.rate_printed is not None else "",
            (fmt_num(computed, 1) + "%") if computed is not None else "",
            len(r.opinions), r.stated_opinions,
            "CÓ / YES" if errors else ("xem / look" if flags else ""),
            "\n".join(f"• {f.message_vi} / {f.message_en}" for f in flags),
            "\n".join(r.notes), "",
        ])
        for cell in ws[ws.max_row][7:9]:
            cell.number_format = "#,##0"  # 4.737 in a Vietnamese Excel
        fill = _RED if errors else _AMBER if flags else None
        if fill:
            for cell in ws[ws.max_row]:
                cell.fill = PatternFill("solid", fgColor=fill)
    _style(ws, DOCUMENT_COLUMNS, Alignment, Font, PatternFill, get_column_letter)

    ws2 = wb.create_sheet("Cần kiểm tra")
    cols2 = (("Tệp / File", 30), ("Mã phường", 10), ("Mã tổ", 14), ("Mức / Severity", 10),
             ("Vấn đề / Flag", 20), ("Nội dung", 55), ("Problem", 55),
             ("Đã kiểm tra / Checked", 10))
    ws2.append([c for c, _ in cols2])
    for reading, f, _ in result.flags:
        ws2.append([
            reading.file if reading else "", reading.ward_code if reading else "",
            reading.group_code if reading else "",
            "lỗi / error" if f.severity == "error" else "cảnh báo / warning", f.code,
            f.message_vi, f.message_en, "",
        ])
        if f.severity == "error":
            for cell in ws2[ws2.max_row]:
                cell.fill = PatternFill("solid", fgColor=_RED)
    _style(ws2, cols2, Alignment, Font, PatternFill, get_column_letter)

    ws3 = wb.create_sheet("Ý kiến đã đọc")
    cols3 = (("Tệp / File", 26), ("Mã phường", 10), ("Mã tổ", 14), ("STT", 5),
             ("Nội dung ý kiến / Opinion", 70), ("Trả lời tại hội nghị / Answer", 45),
             ("Lĩnh vực (tiêu đề) / Heading", 22), ("Tổ nêu / Groups", 14),
             ("Cấp giải quyết / Addressed to", 16))
    ws3.append([c for c, _ in cols3])
    for r in result.readings:
        for k, op in enumerate(r.opinions, start=1):
            ws3.append([r.file, r.ward_code or "", r.group_code or "", k, op.text,
                        op.response, op.heading, ", ".join(op.groups), op.addressed_to])
    _style(ws3, cols3, Alignment, Font, PatternFill, get_column_letter)

    ws4 = wb.create_sheet("Hướng dẫn")
    for line in _GUIDE:
        ws4.append([line])
    ws4.column_dimensions["A"].width = 120
    ws4["A1"].font = Font(bold=True, size=13)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _style(ws, columns, Alignment, Font, PatternFill, get_column_letter) -> None:
    for i, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [w for _, w in columns]
    for row in ws.iter_rows(min_row=1):
        lines = 1
        for cell, width in zip(row, widths, strict=False):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            text = "" if cell.value is None else str(cell.value)
            # wrapped lines, so the row is tall enough on screen and on paper
            lines = max(lines, sum(1 + len(part) // max(int(width * 1.1), 1)
                                   for part in text.split("\n")))
        ws.row_dimensions[row[0].row].height = min(15 * lines, 400)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    # printed on A4 landscape, all columns on one page's width, the header on every page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"


_GUIDE = (
    "Kiểm tra kết quả đọc biên bản / Checking what was read from the minutes",
    "",
    "1. Sheet 'Biên bản': mỗi dòng là một tài liệu. Dòng tô đỏ có lỗi phải kiểm tra trước khi "
    "dùng số liệu; dòng tô vàng nên xem lại.",
    "   One row per document. Red rows have errors to check before the data is used; amber "
    "rows are worth a look.",
    "2. So sánh phường, tổ, ngày họp, số hộ được mời và có mặt với bản giấy. Sửa số liệu trong "
    "group_conferences.csv (hoặc ward_conferences.csv, opinions.csv) cùng thư mục.",
    "   Compare ward, group, date, invited and attended with the paper. Fix figures in "
    "group_conferences.csv (or ward_conferences.csv, opinions.csv) in the same folder.",
    "3. Sau khi kiểm tra một vấn đề, ghi 'x' vào cột 'checked' của dòng tương ứng trong "
    "review_flags.csv; 'hbt validate' sẽ không báo vấn đề đó nữa.",
    "   Once a problem is checked, write 'x' in the 'checked' column of its row in "
    "review_flags.csv; 'hbt validate' stops reporting it.",
    "4. Không có số nào được đoán: số không ghi trong biên bản để trống và phải bổ sung từ sổ "
    "theo dõi.",
    "   Nothing is guessed: a figure the minutes do not give is left empty and must be added "
    "from the records.",
    "5. Tên người phát biểu không được chép vào nội dung ý kiến.",
    "   The speakers' names are not copied into the opinions.",
)

"""Office files of every kind the reader must handle, built from the bundled 2023 data.

Each builder writes a year folder the way a ward office would hand it over (a report sheet
with merged headers and subtotals, one sheet per ward, names instead of codes, a web
system's HTML saved as .xls, ...), with the ward and opinion tables beside it as CSV, so a
correct read gives the 2023 totals. `python -m tests.intake_files OUT` writes them all.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "2023"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
         "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"]


def groups() -> pd.DataFrame:
    g = pd.read_csv(DATA / "group_conferences.csv", dtype=str, keep_default_na=False)
    for c in ("households_invited", "households_attended", "opinions_count"):
        g[c] = g[c].astype(int)
    g["conference_date"] = pd.to_datetime(g["conference_date"])
    return g


def totals() -> dict[str, int]:
    g = groups()
    return {"groups": len(g), "invited": int(g["households_invited"].sum()),
            "attended": int(g["households_attended"].sum()),
            "opinions": int(g["opinions_count"].sum())}


def copy_other_tables(folder: Path, opinions: bool = True) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / "ward_conferences.csv", folder / "ward_conferences.csv")
    if opinions:
        shutil.copy(DATA / "opinions.csv", folder / "opinions.csv")


def _title_block(ws, year: int = 2023) -> int:
    ws.append(["ỦY BAN MTTQ VIỆT NAM", None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA "
               "VIỆT NAM"])
    ws.merge_cells("A1:D1")
    ws.merge_cells("F1:K1")
    ws.append(["QUẬN HAI BÀ TRƯNG", None, None, None, None, "Độc lập - Tự do - Hạnh phúc"])
    ws.append([None, None, None, None, None, f"Hai Bà Trưng, ngày 15 tháng 3 năm {year}"])
    ws.append([])
    ws.append([f"BÁO CÁO KẾT QUẢ HỘI NGHỊ ĐẠI BIỂU NHÂN DÂN Ở TỔ DÂN PHỐ NĂM {year}"])
    ws.merge_cells("A5:K5")
    ws["A5"].font = Font(bold=True)
    ws.append([])
    return 7  # the next row


def report_sheet(folder: Path, *, ward_code_column: bool = True, subtotal_delta: int = 0,
                 total_delta: int = 0, repeated_headers: bool = False,
                 year_in_title: int = 2023) -> Path:
    """The district's usual report sheet (biểu mẫu), as c03 of the shared examples.

    `subtotal_delta` adds that much to the first ward's 'Được mời' subtotal (a typing error);
    `total_delta` to the grand total. Without the ward code column, wards are known from
    their heading rows and groups from names ('Tổ dân phố số 5').
    """
    g = groups()
    wb = Workbook()
    ws = wb.active
    ws.title = "Bieu 01"
    row = _title_block(ws, year_in_title)

    def header(at: int) -> int:
        first = ["STT", "Mã phường", "Tổ dân phố", "Ngày hội nghị", "Số hộ", None, "Tỷ lệ (%)",
                 "Số ý kiến", "Ghi chú"]
        if not ward_code_column:
            first = ["STT", "Tổ dân phố", "Ngày hội nghị", "Số hộ", None, "Tỷ lệ (%)",
                     "Số ý kiến", "Ghi chú"]
        second = [None] * len(first)
        k = first.index("Số hộ")
        second[k], second[k + 1] = "Được mời", "Tham dự"
        for j, v in enumerate(first):
            ws.cell(at, j + 1, v)
            ws.cell(at + 1, j + 1, second[j])
        for j in range(len(first)):
            if j not in (k, k + 1):
                ws.merge_cells(start_row=at, start_column=j + 1, end_row=at + 1,
                               end_column=j + 1)
        ws.merge_cells(start_row=at, start_column=k + 1, end_row=at, end_column=k + 2)
        for j in range(len(first)):
            ws.cell(at + 2, j + 1, f"({j + 1})")
        return at + 3

    row = header(row)
    for w, (_code, block) in enumerate(g.groupby("ward_code", sort=True)):
        if repeated_headers and w:
            row = header(row + 1)
        ws.cell(row, 1, ROMAN[w])
        ws.cell(row, 2, f"PHƯỜNG {block['ward_name'].iloc[0].upper()}")
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
        row += 1
        for i, r in enumerate(block.itertuples(), start=1):
            rate = round(r.households_attended / r.households_invited, 3)
            values = [i, r.ward_code, r.group_name, r.conference_date.to_pydatetime(),
                      r.households_invited, r.households_attended, rate, r.opinions_count,
                      r.notes or None]
            if not ward_code_column:
                values.pop(1)
            for j, v in enumerate(values):
                ws.cell(row, j + 1, v)
            row += 1
        sums = [int(block["households_invited"].sum()) + (subtotal_delta if w == 0 else 0),
                int(block["households_attended"].sum()), None,
                int(block["opinions_count"].sum())]
        first_count = 4 if ward_code_column else 3
        ws.cell(row, 3 if ward_code_column else 2,
                f"Cộng phường {block['ward_name'].iloc[0]}")
        for j, v in enumerate(sums):
            if v is not None:
                ws.cell(row, first_count + j + 1, v)
        row += 2
    first_count = 4 if ward_code_column else 3
    ws.cell(row, 1, "TỔNG CỘNG")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=first_count)
    ws.cell(row, first_count + 1, int(g["households_invited"].sum()) + total_delta)
    ws.cell(row, first_count + 2, int(g["households_attended"].sum()))
    ws.cell(row, first_count + 4, int(g["opinions_count"].sum()))
    row += 2
    ws.cell(row, 2, "Người lập biểu")
    ws.cell(row, 7, "TM. BAN THƯỜNG TRỰC")
    ws.cell(row + 1, 2, "(Ký, ghi rõ họ tên)")
    ws.cell(row + 4, 2, "Nguyễn Thị Lan")
    copy_other_tables(folder)
    path = folder / "to_dan_pho.xlsx"
    wb.save(path)
    return path


TEMPLATE_HEADERS = ["Năm", "Mã phường", "Tên phường", "Mã tổ dân phố", "Tên tổ dân phố",
                    "Ngày hội nghị", "Số hộ được mời", "Số hộ dự", "Số ý kiến", "Ghi chú"]


def _template_rows(block: pd.DataFrame) -> list[list[object]]:
    return [[int(r.year), r.ward_code, r.ward_name, r.group_code, r.group_name,
             r.conference_date.to_pydatetime(), r.households_invited, r.households_attended,
             r.opinions_count, r.notes or None] for r in block.itertuples()]


def sheet_per_ward(folder: Path, *, hidden_backup: bool = False, leave_out: str | None = None
                   ) -> Path:
    """One sheet per ward, named as clerks name them; optionally a hidden backup sheet."""
    g = groups()
    wb = Workbook()
    wb.remove(wb.active)
    names = ["P.{}", "{}", "Phường {}", "TDP {}", "{} 2023", "Sheet{}"]
    for i, (code, block) in enumerate(g.groupby("ward_code", sort=True)):
        if code == leave_out:
            continue
        ward = block["ward_name"].iloc[0]
        ws = wb.create_sheet(names[i % len(names)].format(ward if i % 6 != 5 else i + 1))
        ws.append([f"HỘI NGHỊ TỔ DÂN PHỐ — PHƯỜNG {ward.upper()} — NĂM 2023"])
        ws.append(TEMPLATE_HEADERS)
        for r in _template_rows(block):
            ws.append(r)
        if hidden_backup and i == 3:
            backup = wb.create_sheet(f"{ward} (cu)")
            backup.append(TEMPLATE_HEADERS)
            for r in _template_rows(block):
                backup.append(r)
            backup.sheet_state = "hidden"
    copy_other_tables(folder)
    path = folder / "Tong hop TDP 2023.xlsx"
    wb.save(path)
    return path


def template_workbook(path: Path, rows: list[list[object]] | None = None,
                      headers: list[str] | None = None, title: str = "HỘI NGHỊ TỔ DÂN PHỐ"
                      ) -> Path:
    """The group table in the template's columns (or others), under a title row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "To dan pho"
    ws.append([title])
    ws.append(headers or TEMPLATE_HEADERS)
    for r in rows if rows is not None else _template_rows(groups()):
        ws.append(r)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def by_name(folder: Path, misspell: str | None = None) -> Path:
    """Wards and groups written by name in every common spelling, no codes."""
    g = groups()
    spellings = ["Phường {}", "P. {}", "P.{}", " {} ", "phường  {} ", "{upper}", "{plain}"]
    rows = []
    from hbt_analysis.text import fold

    for i, r in enumerate(g.itertuples()):
        style = spellings[i % len(spellings)]
        ward = style.format(r.ward_name, upper=r.ward_name.upper(),
                            plain=fold(r.ward_name).title())
        n = int(r.group_code.rsplit("TDP", 1)[1])
        group = ["Tổ {}", "TDP số {}", "Tổ dân phố số {:02d}", "TDP {}", "Tổ số {}"][i % 5]
        rows.append([i + 1, ward, group.format(n), r.conference_date.strftime("%d/%m/%Y"),
                     r.households_invited, r.households_attended, r.opinions_count])
    if misspell:
        rows[20][1] = misspell
    frame = pd.DataFrame(rows, columns=["STT", "Phường", "Tổ dân phố", "Ngày hội nghị",
                                        "Số hộ được mời", "Số hộ dự", "Số ý kiến"])
    folder.mkdir(parents=True, exist_ok=True)
    copy_other_tables(folder)
    path = folder / "to_dan_pho.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    return path


def html_as_xls(folder: Path) -> Path:
    """A web system's 'Xuất Excel': an HTML table saved as .xls."""
    g = groups()
    cells = "".join(
        f"<tr><td>{r.ward_code}</td><td>{r.ward_name}</td><td>{r.group_code}</td>"
        f"<td style=\"mso-number-format:'dd/mm/yyyy'\">{r.conference_date:%d/%m/%Y}</td>"
        f"<td>{r.households_invited}</td><td>{r.households_attended}</td>"
        f"<td>{r.opinions_count}</td></tr>" for r in g.itertuples())
    html = (
        '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta '
        'http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>'
        '<table border="1"><tr><th colspan="7">BÁO CÁO HỘI NGHỊ 2023</th></tr>'
        "<tr><th>Mã phường</th><th>Tên<br>phường</th><th>Mã tổ dân phố</th>"
        "<th>Ngày hội nghị</th><th>Số hộ được mời</th><th>Số hộ dự</th><th>Số ý kiến</th>"
        f"</tr>{cells}</table></body></html>"
    )
    copy_other_tables(folder)
    path = folder / "to_dan_pho.xls"
    path.write_text(html, encoding="utf-8")
    return path


def semicolon_csv(folder: Path) -> Path:
    """CSV from a Vietnamese-locale Excel: ';' separators, decimal commas, dd/mm/yyyy."""
    g = groups()
    lines = ["STT;Mã phường;Mã tổ dân phố;Ngày hội nghị;Số hộ được mời;Số hộ dự;Tỷ lệ;Số ý kiến"]
    for i, r in enumerate(g.itertuples(), start=1):
        rate = f"{100 * r.households_attended / r.households_invited:.1f}".replace(".", ",")
        invited = f"{r.households_invited:,}".replace(",", ".")
        lines.append(f"{i};{r.ward_code};{r.group_code};{r.conference_date:%d/%m/%Y};"
                     f"{invited};{r.households_attended};{rate}%;{r.opinions_count}")
    copy_other_tables(folder)
    path = folder / "to_dan_pho.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "intake_cases")
    report_sheet(out / "report_sheet" / "2023")
    sheet_per_ward(out / "sheet_per_ward" / "2023", hidden_backup=True)
    by_name(out / "by_name" / "2023")
    html_as_xls(out / "html_as_xls" / "2023")
    semicolon_csv(out / "semicolon_csv" / "2023")
    print(f"written under {out}")

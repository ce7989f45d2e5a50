"""How each file was read, in words an office can check against its own sheet.

`render(intake)` is the text of `hbt validate --explain`: per file its real format, per sheet
the table it holds (or why it was skipped), the header rows and the column each became, the
rows read, the headings, subtotals, totals and signatures left out (and whether the totals
agree), the names mapped to codes and the legacy text converted.
"""

from __future__ import annotations

from hbt_analysis.fmt import fmt_int
from hbt_analysis.intake.header import column_letter
from hbt_analysis.intake.readings import Intake, SheetReading
from hbt_analysis.intake.sources import KIND_LABELS
from hbt_analysis.schema import YEARLY_TABLES

EXTRA_ROLES = {
    "stt": ("số thứ tự", "row number"), "rate": ("tỷ lệ", "rate"),
    "households_total": ("tổng số hộ", "total households"),
    "unit_subtotal": ("cột cộng theo phường", "a ward subtotal column"),
    "groups_count": ("số tổ dân phố (tổng hợp)", "number of groups (a summary)"),
    "guests": ("số người/khách mời, không phải số hộ", "persons or guests, not households"),
}
NOTE_KINDS = {
    "heading": ("tiêu đề phường", "ward headings"),
    "heading_subtotal": ("tiêu đề phường kèm số cộng", "ward headings with totals"),
    "section": ("tiêu đề mục", "section headings"),
    "after_total": ("ghi chú dưới dòng tổng", "notes under the grand total"),
    "subtotal": ("dòng cộng", "subtotal rows"),
    "total": ("dòng tổng cộng", "total rows"),
    "repeat_header": ("dòng tiêu đề lặp lại", "repeated headers"),
    "number_row": ("dòng số thứ tự cột", "column-number rows"),
    "signature": ("dòng chữ ký/ngày tháng", "signature and date rows"),
    "other": ("dòng khác (không có số liệu)", "other rows (no figures)"),
}


def _t(lang: str, vi: str, en: str) -> str:
    return vi if lang == "vi" else en


def _rows(rows: list[int], limit: int = 8) -> str:
    rows = sorted(rows)
    if not rows:
        return ""
    spans: list[str] = []
    start = prev = rows[0]
    for r in [*rows[1:], None]:
        if r is not None and r == prev + 1:
            prev = r
            continue
        spans.append(f"{start}" if start == prev else f"{start}–{prev}")
        if r is not None:
            start = prev = r
    shown = ", ".join(spans[:limit])
    return shown + (", …" if len(spans) > limit else "")


def render(intake: Intake, lang: str = "vi") -> str:
    """The explanation of a reading, one block per file."""
    out: list[str] = []
    for fr in intake.files:
        kind = KIND_LABELS.get(fr.kind or "", fr.kind or "")
        out.append(f"\n{_t(lang, 'Tệp', 'File')} {fr.path.name}" + (f" — {kind}" if kind else ""))
        for note in (fr.notes_vi if lang == "vi" else fr.notes_en):
            out.append(f"  · {note}")
        if not fr.read and not (fr.notes_vi if lang == "vi" else fr.notes_en):
            out.append("  · " + _t(lang, "không đọc được (xem lỗi bên dưới)",
                                    "could not be read (see the errors below)"))
        for sr in fr.sheets:
            out += _sheet(sr, lang)
    mapped = intake.names_mapped
    if mapped.get("ward"):
        out.append("\n" + _t(lang, "Tên phường → mã:", "Ward names → codes:"))
        for raw, code in sorted(mapped["ward"].items(), key=lambda kv: (kv[1], kv[0]))[:40]:
            out.append(f"  '{raw}' → {code}")
        if len(mapped["ward"]) > 40:
            out.append(f"  … ({fmt_int(len(mapped['ward']) - 40)})")
    if mapped.get("group"):
        sample = sorted(mapped["group"].items(), key=lambda kv: kv[1])
        out.append("\n" + _t(lang, f"Tên tổ → mã: {fmt_int(len(sample))} tổ, ví dụ",
                             f"Group names → codes: {fmt_int(len(sample), 'en')} groups, e.g."))
        for raw, code in sample[:6]:
            out.append(f"  '{raw}' → {code}")
    return "\n".join(out).lstrip("\n")


def _sheet(sr: SheetReading, lang: str) -> list[str]:
    name = f"Sheet '{sr.sheet}'" if sr.sheet else _t(lang, "Bảng", "Table")
    hidden = _t(lang, " (sheet ẩn)", " (hidden sheet)") if not sr.visible else ""
    if sr.table is None:
        why = sr.why_vi if lang == "vi" else sr.why_en
        return [f"  {name}{hidden}: " + _t(lang, "bỏ qua", "skipped") + f" — {why}"]
    table = YEARLY_TABLES[sr.table]
    head = f"  {name}{hidden} → {table.label(lang)}"
    if not sr.used:
        why = sr.why_vi if lang == "vi" else sr.why_en
        return [head + " — " + _t(lang, "không đọc", "not read") + f": {why}"]
    h = sr.header
    lines = [head]
    rows = [r + 1 for r in h.rows]
    span = f"{rows[0]}" if len(rows) == 1 else f"{rows[0]}–{rows[-1]}"
    extra = ""
    if h.number_row is not None:
        extra = _t(lang, f" (+ dòng số thứ tự cột {h.number_row + 1})",
                   f" (+ column-number row {h.number_row + 1})")
    lines.append("    " + _t(lang, "Dòng tiêu đề", "Header rows") + f": {span}{extra}")
    lines.append("    " + _t(lang, "Cột", "Columns") + ":")
    chosen = {id(c) for c in h.chosen.values()}
    aside = {id(c): (vi, en) for c, vi, en in h.set_aside}
    for col in h.columns:
        if id(col) in chosen:
            target = table.column(col.role).label(lang)
        elif id(col) in aside:
            vi, en = aside[id(col)]
            target = _t(lang, f"bỏ qua ({vi})", f"set aside ({en})")
        elif col.role in EXTRA_ROLES:
            target = _t(lang, f"{EXTRA_ROLES[col.role][0]} (không đọc)",
                        f"{EXTRA_ROLES[col.role][1]} (not read)")
        elif col.role and col.role not in table.names:
            target = _t(lang, "không thuộc bảng này (không đọc)", "not part of this table")
        else:
            target = _t(lang, "không nhận ra (không đọc)", "not recognised (not read)")
        year = f" [{col.year}]" if col.year else ""
        lines.append(f"      {column_letter(col.index):>2} '{col.label}'{year} → {target}")
    block = sr.block
    data_rows = block.data_rows()
    lines.append("    " + _t(lang, f"Đọc {fmt_int(len(data_rows))} dòng số liệu",
                            f"Read {fmt_int(len(data_rows), 'en')} data rows")
                 + (f" ({_rows(data_rows, 3)})" if data_rows else ""))
    by_kind: dict[str, list] = {}
    for note in block.notes:
        by_kind.setdefault(note.kind, []).append(note)
    for kind, notes in by_kind.items():
        if kind == "derived":
            for n in notes:
                lines.append(f"    · {n.detail_vi if lang == 'vi' else n.detail_en}")
            continue
        label = NOTE_KINDS.get(kind, (kind, kind))[0 if lang == "vi" else 1]
        part = "    " + _t(lang, "Bỏ qua", "Skipped") + f" {len(notes)} {label}: " + \
            _rows([n.row for n in notes])
        checked = [n for n in notes if n.agrees is not None]
        if checked:
            bad = [n for n in checked if not n.agrees]
            part += " — " + (_t(lang, "khớp với các dòng số liệu", "agree with the data rows")
                             if not bad else _t(lang, f"{len(bad)} dòng KHÔNG khớp",
                                                f"{len(bad)} do NOT agree"))
        lines.append(part)
    if block.filled_down:
        for role, n in block.filled_down.items():
            lines.append("    " + _t(
                lang, f"Điền xuống {fmt_int(n)} ô '{table.column(role).label_vi}' để trống "
                "(ghi một lần cho cả phường)",
                f"Filled down {fmt_int(n, 'en')} empty '{table.column(role).label_en}' cells "
                "(written once per ward)"))
    if sr.merges:
        lines.append("    " + _t(lang, f"{fmt_int(sr.merges)} ô thuộc vùng gộp lấy giá trị "
                                         "của ô gộp",
                                f"{fmt_int(sr.merges, 'en')} cells of merged ranges take the "
                                "merged value"))
    for letter, encoding, n in sr.encodings:
        enc = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI-Windows", "mixed": "TCVN3/VNI",
               "utf8-as-cp1252": "UTF-8 bị đọc sai"}.get(encoding, encoding)
        where_vi, where_en = (f"Cột {letter}", f"Column {letter}") if letter else (
            "Dòng tiêu đề", "Title and header rows")
        lines.append("    " + _t(lang, f"{where_vi}: chuyển {fmt_int(n)} ô từ {enc} sang "
                                         "Unicode",
                                f"{where_en}: {fmt_int(n, 'en')} cells converted from "
                                f"{enc} to Unicode"))
    if sr.context_ward and "ward_code" not in h.chosen and "ward_name" not in h.chosen:
        lines.append("    " + _t(lang, f"Phường lấy từ tên sheet/tiêu đề/tên tệp: "
                                         f"{sr.context_ward}",
                                f"Ward taken from the sheet name, title or file name: "
                                f"{sr.context_ward}"))
    return lines

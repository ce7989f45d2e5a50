"""The pieces of a table found in several sheets or files, joined once.

A hidden backup sheet, an instructions sheet, a '(1)' copy of a workbook or a ward's own file
beside the district's is read once (a warning says so); two versions of one table with
different figures are an error. A summary sheet (the groups' sums per ward) is checked
against the groups' rows, never read as data.
"""

from __future__ import annotations

import contextlib
import re

import pandas as pd

from hbt_analysis import units as nm
from hbt_analysis.fmt import fmt_int
from hbt_analysis.intake.header import COUNT_ROLES, cell_text
from hbt_analysis.intake.readings import SheetReading
from hbt_analysis.io import CellError, RawTable, parse_number
from hbt_analysis.problems import Problem
from hbt_analysis.schema import YEARLY_TABLES
from hbt_analysis.text import fold

_COPY_RE = re.compile(r"(\(\d+\)|\bcopy\b|\bcopy of\b|ban sao|bản sao|\bbackup\b|\bsao luu\b|"
                      r"\bold\b|\bcu\b|\(cũ\)|\bbk\b)", re.I)

#: Sheets of instructions or examples that come with a form: their rows are not data.
_GUIDE_RE = re.compile(r"huong\s*dan|instruction|guide|\bvi\s*du\b|example|\bmau\s*(nhap|dien)|"
                       r"^\s*(hd|vd|mau)\s*$|cach\s*(ghi|dien|nhap)")


def _fingerprint(sr: SheetReading) -> tuple:
    roles = sorted(sr.header.chosen) if sr.header else []
    return tuple(sorted(
        tuple(cell_text(rec.get(r)) for r in roles) for rec in sr.block.records
    )) if sr.block else ()


def _drop_copies(pieces: list[SheetReading], problems: list[Problem]) -> list[SheetReading]:
    """The same table twice (a hidden backup sheet, a '(1)' copy of a workbook): read once."""
    pieces = [p for p in pieces if p.used]
    visible = [p for p in pieces if p.visible]
    for p in pieces:
        if not p.visible and visible:
            p.used = False
            p.why_vi = "sheet ẩn (bản sao lưu?): không đọc, để không cộng hai lần"
            p.why_en = "hidden sheet (a backup?): not read, so nothing is counted twice"
            problems.append(Problem(
                "warning", p.where(), None, None,
                f"Sheet ẩn '{p.sheet}' cũng có bảng {YEARLY_TABLES[p.table].label_vi}: không "
                "đọc (để không cộng hai lần). Nếu đó mới là số liệu đúng, hãy bỏ ẩn và xóa "
                "sheet cũ.",
                f"The hidden sheet '{p.sheet}' also holds the table "
                f"{YEARLY_TABLES[p.table].label_en}: not read (nothing counted twice). If it "
                "holds the right figures, unhide it and delete the old one.",
                "hidden_sheet",
            ))
    pieces = [p for p in pieces if p.used]
    guides = [p for p in pieces if _GUIDE_RE.search(fold(p.sheet or p.path.stem))]
    if guides and len(guides) < len(pieces):
        for p in guides:
            p.used = False
            p.why_vi = "sheet hướng dẫn/ví dụ: không đọc"
            p.why_en = "an instructions or example sheet: not read"
        pieces = [p for p in pieces if p.used]
    if len(pieces) < 2:
        return pieces
    kept: list[SheetReading] = []
    for p in sorted(pieces, key=lambda p: (bool(_COPY_RE.search(p.path.stem)), str(p.path))):
        fp = _fingerprint(p)
        twin = next((k for k in kept if _fingerprint(k) == fp), None)
        if twin is None:
            kept.append(p)
            continue
        p.used = False
        p.why_vi = f"trùng hoàn toàn với {twin.where()}: không đọc lần nữa"
        p.why_en = f"identical to {twin.where()}: not read twice"
        problems.append(Problem(
            "warning", p.where(), None, None,
            f"Bảng này trùng hoàn toàn với {twin.where()} (một bản sao?): chỉ đọc một lần. Nên "
            "xóa bản sao khỏi thư mục.",
            f"This table is identical to {twin.where()} (a copy?): read once only. Better "
            "remove the copy from the folder.",
            "duplicate_copy",
        ))
    for a, b, shared in _overlaps(kept):
        if len(b.block.records) > len(a.block.records):
            a, b = b, a  # the smaller piece (a ward's file) is the one read again
        differ = _differing(a, b)
        if not differ:
            # the same records in both (a ward's own file beside the district's): read once
            keys_a = {_record_key(a, rec) for rec in a.block.records}
            before = len(b.block.records)
            b.block.records = [rec for rec in b.block.records
                               if _record_key(b, rec) not in keys_a]
            if not b.block.records:
                b.used = False
                b.why_vi = f"mọi dòng đã có, cùng số liệu, ở {a.where()}: không đọc lần nữa"
                b.why_en = f"every row is also in {a.where()}, same figures: not read twice"
            problems.append(Problem(
                "warning", b.where(), None, None,
                f"{fmt_int(before - len(b.block.records))} dòng ở đây đã có ở {a.where()} với "
                "cùng số liệu: chỉ đọc một lần. Nên bỏ tệp trùng khỏi thư mục.",
                f"{fmt_int(before - len(b.block.records), 'en')} rows here are also in "
                f"{a.where()} with the same figures: read once. Better remove the duplicate "
                "from the folder.",
                "duplicate_rows",
            ))
            continue
        problems.append(Problem(
            "error", b.where(), None, None,
            f"Bảng {YEARLY_TABLES[a.table].label_vi} có ở hai nơi ({a.where()} và {b.where()}) "
            f"với {fmt_int(shared)} đơn vị chung nhưng số liệu khác nhau (vd. {differ}): chỉ "
            "giữ một bản đúng.",
            f"The table {YEARLY_TABLES[a.table].label_en} is in two places ({a.where()} and "
            f"{b.where()}) with {fmt_int(shared, 'en')} units in common but different "
            f"figures (e.g. {differ}): keep only the right one.",
            "two_sources",
        ))
    return [p for p in kept if p.used]


_KEY_ROLE = {"group_conferences": ("group_code", "group_name"),
             "ward_conferences": ("ward_code", "ward_name"), "opinions": ("opinion_id", "text")}
_FIGURES = ("households_invited", "households_attended", "opinions_count", "conference_date",
            "text", "status")


def _record_key(p: SheetReading, rec: dict) -> tuple[str, str]:
    role, alt = _KEY_ROLE[p.table]
    code = cell_text(rec.get(role))
    if code and re.match(r"^\d{5}\s*[-_]", code):
        return "", code  # a full group code names its ward itself
    return rec.get("_ward_ctx") or p.context_ward or "", code or fold(cell_text(rec.get(alt)))


def _differing(a: SheetReading, b: SheetReading) -> str:
    """The first unit whose figures differ between two pieces ('' when none does)."""
    by_key = {_record_key(a, rec): rec for rec in a.block.records}
    for rec in b.block.records:
        twin = by_key.get(_record_key(b, rec))
        if twin is None:
            continue
        for role in _FIGURES:
            if role in a.header.chosen and role in b.header.chosen and \
                    cell_text(twin.get(role)) != cell_text(rec.get(role)):
                return (f"{_record_key(b, rec)[1]}: {cell_text(twin.get(role))} / "
                        f"{cell_text(rec.get(role))}")
    return ""


def _overlaps(pieces: list[SheetReading]) -> list[tuple[SheetReading, SheetReading, int]]:
    """Pieces whose units overlap (two versions of one table), not one table split by ward."""
    if len(pieces) < 2:
        return []
    keyed = [(p, {_record_key(p, rec) for rec in p.block.records}) for p in pieces]
    out = []
    for i, (a, ka) in enumerate(keyed):
        for b, kb in keyed[i + 1:]:
            shared = len(ka & kb)
            if shared and shared >= 0.5 * min(len(ka), len(kb)):
                out.append((a, b, shared))
    return out



# --- summary sheets -------------------------------------------------------------------

def _is_summary(sr: SheetReading) -> bool:
    """The groups' sums per ward ('Phường' | 'Số TDP' | 'Số hộ được mời' …), no group named."""
    roles = {c.role for c in sr.header.columns} if sr.header else set()
    return "groups_count" in roles and not roles & {"group_code", "group_name"}


def _number_or_zero(cell: object) -> float:
    try:
        return parse_number(cell) or 0.0
    except (CellError, TypeError, ValueError):
        return 0.0


def _check_summaries(summaries: list[SheetReading], groups: RawTable | None,
                     resolver: nm.WardResolver, problems: list[Problem]) -> None:
    """A summary sheet is checked against the groups' rows of each ward, never read again."""
    sums: dict[str, dict[str, float]] = {}
    if groups is not None and "ward_code" in groups.frame:
        frame = groups.frame
        roles = [r for r in COUNT_ROLES if r in frame]
        numbers = pd.DataFrame({r: frame[r].map(_number_or_zero) for r in roles})
        sums = numbers.groupby(frame["ward_code"]).sum().to_dict("index")
    for sr in summaries:
        sr.used = False
        sr.why_vi = "bảng tổng hợp theo phường: đối chiếu với các tổ dân phố, không đọc lại"
        sr.why_en = "a summary per ward: checked against the groups' rows, not read again"
        problems += sr.problems
        for rec in sr.block.records:
            ward = resolver.resolve(cell_text(rec.get("ward_code"))).code or resolver.find_in(
                cell_text(rec.get("ward_name")))
            if ward is None:
                continue
            for role, col in sr.header.chosen.items():
                if role not in COUNT_ROLES:
                    continue
                with contextlib.suppress(CellError, TypeError, ValueError):
                    written = parse_number(rec.get(role))
                    computed = sums.get(ward, {}).get(role, 0.0)
                    if written is None or abs(written - computed) < 0.5:
                        continue
                    name = resolver.names.get(ward, ward)
                    problems.append(Problem(
                        "error", sr.where(), rec["_row"], col.label,
                        f"Bảng tổng hợp ghi phường {name} ({ward}) có {col.label} = "
                        f"{fmt_int(written)} nhưng các tổ dân phố của phường cộng được "
                        f"{fmt_int(computed)}; sửa bảng tổng hợp hoặc số của các tổ.",
                        f"The summary says ward {name} ({ward}) has {col.label} = "
                        f"{fmt_int(written, 'en')} but its groups' rows add up to "
                        f"{fmt_int(computed, 'en')}; fix the summary or the groups' figures.",
                        "summary_mismatch",
                    ))


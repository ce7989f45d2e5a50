"""Each row's ward and group codes, from codes, names, ward headings, sheet or file names.

A name that cannot be placed, a row under another ward's heading or a group code of another
ward is an error naming the row; each spelling mapped to a code is recorded for `--explain`.
"""

from __future__ import annotations

import re

from hbt_analysis import units as nm
from hbt_analysis.intake.header import cell_text
from hbt_analysis.intake.readings import SheetReading
from hbt_analysis.problems import Problem
from hbt_analysis.schema import Table

#: What a row's unit is resolved from: rows that agree on these get the same codes.
_UNIT_KEYS = ("ward_code", "ward_name", "group_code", "group_name", "_ward_ctx")


def _resolve_units_once(out: dict[str, object], rec: dict[str, object], piece: SheetReading,
                        table: Table, resolver: nm.WardResolver, problems: list[Problem],
                        mapped: dict[str, dict[str, str]],
                        resolved: dict[tuple, dict[str, object]]) -> None:
    """:func:`_resolve_units`, once per spelling of a row's units (`resolved` remembers the
    codes of each spelling that raised no problem; one that did is resolved again, so each
    of its rows gets its own message)."""
    key = tuple(rec.get(k) for k in _UNIT_KEYS)
    hit = resolved.get(key)
    if hit is not None:
        out.update(hit)
        return
    before = len(problems)
    _resolve_units(out, rec, piece, table, resolver, problems, mapped)
    if len(problems) == before:
        resolved[key] = {k: out[k] for k in ("ward_code", "ward_name", "group_code")
                         if k in out}


_SHORT_WARD_IN_CODE = re.compile(r"^(\d{3,4})([-_]\s*[A-Za-z]*\s*\d.*)$")


def _plain_codes(out: dict, rec: dict, resolver: nm.WardResolver, with_group: bool) -> bool:
    """The common case at once: a known ward code and a group code of that ward."""
    ward = rec.get("ward_code")
    if type(ward) is not str or ward not in resolver.names or rec.get("ward_name"):
        return False
    ctx = rec.get("_ward_ctx")
    if ctx is not None and ctx != ward:
        return False
    if with_group:
        group = rec.get("group_code")
        if group is None and not rec.get("group_name"):
            out["group_code"] = None  # a ward-level opinion
        elif type(group) is not str or not group.startswith(ward) or group[5:6] not in "-_":
            return False
        else:
            out["group_code"] = group
    out["ward_code"] = ward
    return True


def _resolve_units(out: dict, rec: dict, piece: SheetReading, table: Table,
                   resolver: nm.WardResolver, problems: list[Problem],
                   mapped: dict[str, dict[str, str]]) -> None:
    """ward_code and group_code from codes, names, headings, sheet or file names."""
    where, row = piece.where(), rec["_row"]
    chosen = piece.header.chosen
    ward_code = None
    raw_code = cell_text(rec.get("ward_code"))
    raw_name = cell_text(rec.get("ward_name"))
    for raw, role in ((raw_code, "ward_code"), (raw_name, "ward_name")):
        if not raw:
            continue
        match = resolver.resolve(raw)
        if match.code:
            if role == "ward_name" and ward_code and match.code != ward_code:
                continue  # validate reports a name that does not match its code
            if ward_code is None and not raw.isdigit():
                mapped["ward"][raw] = match.code
            ward_code = ward_code or match.code
        elif raw.isdigit() and len(raw) <= 5:
            ward_code = raw.zfill(5)  # an unknown code: validate names it
        else:
            header = chosen[role].label
            retired = resolver.retired.get(nm.fold_name(nm.strip_prefix(raw)))
            why_vi = f" ({retired[0]})" if retired else ""
            why_en = f" ({retired[1]})" if retired else ""
            problems.append(Problem(
                "error", where, row, header,
                f"Không nhận ra phường '{raw}'{why_vi}"
                f"{nm.suggestion_text(match.suggestions, 'vi')} "
                "Ghi đúng tên hoặc mã phường 5 chữ số.",
                f"Unknown ward '{raw}'{why_en}{nm.suggestion_text(match.suggestions, 'en')} "
                "Write the ward's name as in the list or its 5-digit code.",
                "unknown_ward_name",
            ))
            ward_code = ward_code or ""
    if ward_code is None:
        ward_code = rec.get("_ward_ctx") or piece.context_ward
        if ward_code is None:
            problems.append(Problem(
                "error", where, row, None,
                "Không biết dòng này thuộc phường nào: bảng không có cột phường, không có dòng "
                "tiêu đề phường bên trên, tên sheet và tên tệp cũng không nêu phường; thêm cột "
                "'Mã phường' hoặc 'Phường'.",
                "Cannot tell which ward this row belongs to: no ward column, no ward heading "
                "above it, and neither the sheet nor the file name names a ward; add a 'Mã "
                "phường' or 'Phường' column.",
                "ward_unknown",
            ))
            ward_code = ""
    if ward_code == "":
        ward_code = None
    ctx = rec.get("_ward_ctx")
    if ward_code and ctx and ctx != ward_code and (raw_code or raw_name):
        problems.append(Problem(
            "error", where, row, chosen.get("ward_code", chosen.get("ward_name")).label,
            f"Dòng ghi phường {resolver.names.get(ward_code, ward_code)} nhưng nằm dưới tiêu "
            f"đề phường {resolver.names.get(ctx, ctx)}; sửa cho khớp.",
            f"The row says ward {resolver.names.get(ward_code, ward_code)} but sits under the "
            f"heading of {resolver.names.get(ctx, ctx)}; make them agree.",
            "ward_heading_mismatch",
        ))
    out["ward_code"] = ward_code
    if "ward_name" in out and ward_code and not raw_name:
        out["ward_name"] = resolver.names.get(ward_code)
    if "group_code" not in [c.name for c in table.columns]:
        return
    raw_group = cell_text(rec.get("group_code"))
    if m := _SHORT_WARD_IN_CODE.match(raw_group):
        raw_group = m.group(1).zfill(5) + m.group(2)  # '241-TDP01': Excel's lost zeros
    name_group = cell_text(rec.get("group_name"))
    code = None
    if raw_group and nm.ward_of_group_code(raw_group):
        code = raw_group
    elif raw_group or name_group:
        if ward_code:
            code = nm.group_code_for(ward_code, raw_group or name_group)
        if code is None and ward_code and (raw_group or (name_group and table.name !=
                                                           "opinions")):
            label = chosen["group_code" if raw_group else "group_name"].label
            problems.append(Problem(
                "error", where, row, label,
                f"Không xác định được mã tổ dân phố từ '{raw_group or name_group}'"
                + ("" if ward_code else " (chưa biết phường)")
                + f": ghi mã dạng {ward_code}-TDP05 hoặc tên dạng 'Tổ 5'.",
                f"Cannot tell the group code from '{raw_group or name_group}'"
                + ("" if ward_code else " (the ward is unknown)")
                + f": write a code like {ward_code}-TDP05 or a name like 'Tổ 5'.",
                "unknown_group_name",
            ))
        elif code:
            ward_label = resolver.names.get(ward_code, ward_code)
            mapped["group"][f"{raw_group or name_group} ({ward_label})"] = code
    if code and ward_code in resolver.names:
        prefix = nm.ward_of_group_code(code)
        if prefix and prefix != ward_code:
            problems.append(Problem(
                "error", where, row, chosen.get("group_code", chosen.get("group_name")).label,
                f"Mã tổ {code} thuộc phường {prefix} nhưng dòng ghi phường {ward_code}; sửa mã "
                "tổ hoặc phường.",
                f"Group code {code} belongs to ward {prefix} but the row says ward "
                f"{ward_code}; fix one of them.",
                "group_ward_mismatch",
            ))
    out["group_code"] = code


"""What a person must still check in a year's data, kept beside the tables.

Some problems cannot be seen in the tables themselves: a printed attendance rate that
disagrees with the printed counts, a group the registry does not know, a document that could
not be read. `hbt import-minutes` writes them to ``review_flags.csv`` in the year's folder;
the loader reports every row whose ``checked`` cell is empty (errors stop the year from
loading, warnings are shown), so `hbt validate` names them until someone has looked, fixed
the table if needed, and written "x" in ``checked``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from hbt_analysis.problems import Problem

FILE_NAME = "review_flags.csv"
COLUMNS = ("document", "ward_code", "group_code", "flag", "severity", "message_vi",
           "message_en", "checked")


def write(path: Path, rows: Iterable[dict[str, object]]) -> Path:
    """Write the flags (dicts with COLUMNS' keys) as UTF-8 CSV with a BOM (Excel opens it)."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: ("" if row.get(c) is None else row.get(c)) for c in COLUMNS})
    return path


def problems(folder: Path) -> list[Problem]:
    """A problem for every flag nobody has ticked as checked."""
    path = Path(folder) / FILE_NAME
    if not path.is_file():
        return []
    out = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row_number, row in enumerate(csv.DictReader(fh), start=2):
            if (row.get("checked") or "").strip():
                continue
            severity = "error" if (row.get("severity") or "").strip() == "error" else "warning"
            unit = row.get("group_code") or row.get("ward_code") or ""
            where = f"{row.get('document', '')}" + (f" ({unit})" if unit else "")
            out.append(Problem(
                severity, str(path), row_number, "checked",
                f"{where}: {row.get('message_vi', '')} Khi đã kiểm tra (và sửa bảng nếu cần), "
                "ghi 'x' vào cột checked.",
                f"{where}: {row.get('message_en', '')} Once checked (and the table fixed if "
                "needed), write 'x' in the checked column.",
                f"review_{row.get('flag', '')}",
            ))
    return out

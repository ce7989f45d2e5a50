"""No area is written into the code: the package and the notebooks name no ward code, no
"Hai Bà Trưng", no "quận …"/"Toàn quận" scope and no "18 phường" (issue 12). Areas, wards and
their codes come from the unit registry (data/reference/units.csv, or an office's own file).

What may name them: the reference data (data/reference), the package's data files (the
lexicons in hbt_analysis/resources), the synthetic generator (synth*.py) and the tests. The
report text in resources (section headings, page templates, the page's CSS and script) is
checked like code.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "hbt_analysis"
NOTEBOOKS = ROOT / "notebooks"
#: Resources that are report text rather than data: checked like code.
TEXT_RESOURCES = ("sections.yaml", "report_templates", "report")

#: (what, pattern): each is a way an area gets written into code.
FORBIDDEN: list[tuple[str, re.Pattern[str]]] = [
    ("the old district's name", re.compile(r"hai\s+b[aà]\s+tr[uư]ng", re.I)),
    ("'Toàn quận' as a scope", re.compile(r"to[aà]n[\s_-]+qu[aậ]n", re.I)),
    ("'quận <Name>' as a scope", re.compile(r"\bqu[aậ]n\s+[A-ZĐÀ-Ỹ]")),
    ("a ward code (5 digits, leading zero)", re.compile(r"(?<![\w.,=#/-])0\d{4}(?![\w.,%])")),
    ("a ward code (quoted)", re.compile(r"""(?<![\w.])["']\d{5}["']""")),
    ("a group code of a real ward", re.compile(r"\b\d{5}-TDP", re.I)),
    ("'18' as the ward count", re.compile(
        r"\b18\s+(phường|xã|đơn vị|wards?|units?)\b|\b(all|cả|tất cả|toàn bộ)\s+18\b", re.I)),
]


def checked_files() -> list[Path]:
    """The package's code and report text, the notebooks (synth*.py and data files not)."""
    files = [p for p in PACKAGE.rglob("*.py") if not p.name.startswith("synth")]
    for name in TEXT_RESOURCES:
        target = PACKAGE / "resources" / name
        files += [target] if target.is_file() else [p for p in target.rglob("*") if p.is_file()]
    files += sorted(NOTEBOOKS.glob("*.ipynb"))
    return sorted(p for p in files if "__pycache__" not in p.parts)


def lines_of(path: Path) -> list[tuple[str, str]]:
    """(where, line) of a file; for a notebook, of its cells' sources (not ids, not outputs)."""
    if path.suffix == ".ipynb":
        nb = nbformat.read(path, as_version=4)
        return [(f"{path.name} cell {i} line {j}", line)
                for i, cell in enumerate(nb.cells, 1)
                for j, line in enumerate(cell.source.splitlines(), 1)]
    text = path.read_text(encoding="utf-8")
    return [(f"{path.relative_to(ROOT)}:{j}", line) for j, line in enumerate(text.splitlines(), 1)]


def find_area(lines: list[tuple[str, str]]) -> list[str]:
    hits = []
    for where, line in lines:
        line = unicodedata.normalize("NFC", line)
        for what, pattern in FORBIDDEN:
            m = pattern.search(line)
            if m:
                hits.append(f"{where}: {what}: {m.group(0)!r} in {line.strip()[:100]!r}")
    return hits


def test_the_check_covers_the_package_and_the_notebooks():
    files = checked_files()
    names = {p.name for p in files}
    assert {"registry.py", "cli.py", "labels.py", "sections.yaml", "00_overview.ipynb",
            "03_opinions.ipynb", "index.html.j2"} <= names
    assert not any(p.name.startswith("synth") for p in files)
    assert len(files) > 80


@pytest.mark.parametrize("line", [
    "    help='phường: mã (00241), tên, toàn quận'",
    '"""\'Toàn quận Hai Bà Trưng\' / \'phường Bạch Mai\'"""',
    "    title = 'Tỷ lệ dự TOÀN QUẬN'",
    "QUẬN HAI BA TRUNG",
    "    where = 'quận Hoàn Kiếm'",
    "    ward = \"00256\"",
    "    code = '32152'",
    "    example = '00241-TDP05'",
    "    '(18 phường): 2.142/2.203 hộ dự'",
    "    '''The wards a scope covers: all 18 for the district.'''",
])
def test_the_check_finds_an_area_written_into_code(line):
    assert find_area([("x.py:1", line)])


@pytest.mark.parametrize("line", [
    "@lru_cache(maxsize=65536)",
    "    if 20000 <= cell <= 80000:",
    '    "--virtual-time-budget=30000",',
    "    \"\"\"An integer count: 35323 -> '35.323' (vi) or '35,323' (en).\"\"\"",
    '    "ubnd", "ủy_ban_nhân_dân", "phường", "quận", "ubnd phường", "ubnd quận",',
    "    area.whole()  # 'Toàn <kind>'",
    "    '3, 18' / 'TDP 3 và 18'",
    '   "id": "92410a60",',
])
def test_the_check_leaves_other_numbers_and_words_alone(line):
    assert find_area([("x.py:1", line)]) == []


def test_no_area_is_written_into_the_package_or_the_notebooks():
    hits = [hit for path in checked_files() for hit in find_area(lines_of(path))]
    assert not hits, ("Tên/mã địa bàn viết cứng trong mã nguồn (lấy từ danh mục đơn vị "
                      "units.csv) / area names or codes written into the code (take them "
                      "from the unit registry):\n" + "\n".join(hits))

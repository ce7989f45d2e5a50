"""Opinions kept in a table: "STT | Người phát biểu | Nội dung ý kiến | Trả lời" in minutes, or
"STT | Nội dung | Tổ dân phố | Cấp giải quyết" in a ward's summary, with heading rows per field.

The content column is the opinion; the speaker column is dropped, the answer column becomes
the response, the group and level columns become the opinion's groups and addressed_to.
A row whose cells all say the same thing ("I. Lĩnh vực môi trường" merged across) is a field
heading, not an opinion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hbt_analysis.minutes.segment import (
    Opinion,
    clean_opinion,
    marker_number,
    strip_marker,
    strip_speaker,
)
from hbt_analysis.minutes.wordfile import Table
from hbt_analysis.text import fold

_CONTENT = re.compile(r"noi\s+dung|y\s+kien|kien\s+nghi|de\s+xuat|phan\s+anh|van\s+de")
_ANSWER = re.compile(r"tra\s+loi|giai\s+dap|ket\s+qua|giai\s+quyet\s+tai|"
                     r"y\s+kien\s+cua\s+(?:to|ban)"
                     r"|tiep\s+thu")
_SPEAKER = re.compile(r"nguoi\s+(?:phat\s+bieu|neu|kien\s+nghi|phan\s+anh)|ho\s+(?:va\s+)?ten|"
                      r"dai\s+bieu|cu\s+tri|ho\s+gia\s+dinh|dia\s+chi")
_GROUP = re.compile(r"(?<![a-z])(?:to\s+dan\s+pho|tdp|to)(?![a-z])|don\s+vi")
_LEVEL = re.compile(r"cap\s+giai\s+quyet|tham\s+quyen|co\s+quan|don\s+vi\s+giai\s+quyet|"
                    r"noi\s+giai\s+quyet|cap\s+tra\s+loi")
_FIELD = re.compile(r"linh\s+vuc|nhom\s+van\s+de|chu\s+de")
_STT = re.compile(r"^\s*(?:stt|tt|so\s+tt|so\s+thu\s+tu)\s*\.?\s*$")


@dataclass
class Columns:
    content: int
    answer: int | None = None
    speaker: int | None = None
    group: int | None = None
    level: int | None = None
    field: int | None = None
    stt: int | None = None


def find_columns(header: list[str]) -> Columns | None:
    """Which column is which, from the header row; None when no content column is named."""
    folded = [fold(h) for h in header]
    roles: dict[str, int] = {}
    for i, h in enumerate(folded):
        if not h:
            continue
        if _STT.match(h) and "stt" not in roles:
            roles["stt"] = i
        elif _LEVEL.search(h) and "level" not in roles:
            roles["level"] = i
        elif _ANSWER.search(h) and "answer" not in roles:
            roles["answer"] = i
        elif _SPEAKER.search(h) and not _CONTENT.search(h) and "speaker" not in roles:
            roles["speaker"] = i
        elif _CONTENT.search(h) and "content" not in roles:
            roles["content"] = i
        elif _GROUP.search(h) and "group" not in roles:
            roles["group"] = i
        elif _FIELD.search(h) and "field" not in roles:
            roles["field"] = i
    if "content" not in roles:
        return None
    return Columns(**roles)


def is_opinion_table(table: Table) -> bool:
    """A header naming a content column whose cells read as opinions, not as labels."""
    texts = table.texts()
    if len(texts) < 2:
        return False
    cols = find_columns(texts[0])
    if cols is None:
        return False
    if re.search(r"y\s+kien|kien\s+nghi|de\s+xuat|phan\s+anh", fold(texts[0][cols.content])):
        return True
    cells = [r[cols.content] for r in texts[1:] if cols.content < len(r) and r[cols.content]]
    return bool(cells) and sum(len(c.split()) for c in cells) / len(cells) >= 10


def _heading_row(row: list[str], cols: Columns) -> str | None:
    values = [c.strip() for c in row if c.strip()]
    if not values:
        return ""
    if len(set(values)) == 1 and (len(row) > 1):
        return values[0]
    content = row[cols.content].strip() if cols.content < len(row) else ""
    stt = row[cols.stt].strip() if cols.stt is not None and cols.stt < len(row) else ""
    if stt and not re.fullmatch(r"\d{1,3}\.?", stt) and (not content or content == stt):
        return stt
    return None


_GROUP_NUMBERS = re.compile(r"\d{1,3}[a-zA-Z]?")


def group_numbers(text: str) -> list[str]:
    """'3, 18' / 'TDP 3 và 18' / 'Tổ 3; Tổ 18' -> ['3', '18'] (a suffix letter kept: '5A')."""
    folded = fold(text)
    folded = re.sub(r"(?<![a-z])(?:to\s+dan\s+pho|tdp|to)(?:\s+so)?", " ", folded)
    return [n.upper().lstrip("0") or "0" for n in _GROUP_NUMBERS.findall(folded)]


def table_opinions(table: Table) -> list[Opinion]:
    texts = table.texts()
    cols = find_columns(texts[0])
    if cols is None:
        return []
    out: list[Opinion] = []
    current_field = ""
    for row in texts[1:]:
        heading = _heading_row(row, cols)
        if heading == "":
            continue
        if heading is not None:
            current_field = field_name(heading)
            continue
        if cols.content >= len(row):
            continue
        raw = row[cols.content]
        if re.fullmatch(r"[\s(\d)]*", raw):
            continue  # a column-number row "(1) (2) (3)"
        _, body = strip_marker(raw.strip())
        body, removed, _ = strip_speaker(body)
        text, cut = clean_opinion(" ".join(body.split()))
        if not text:
            continue
        response = cut
        if cols.answer is not None and cols.answer < len(row):
            response = " ".join(row[cols.answer].split()) or cut
        stt = row[cols.stt].strip() if cols.stt is not None and cols.stt < len(row) else ""
        number = stt.rstrip(".") if re.fullmatch(r"\d{1,3}(?:\.\d{1,2})*\.?", stt) else \
            marker_number(raw.strip())
        op = Opinion(text, response, current_field, speaker_removed=removed, number=number)
        if cols.group is not None and cols.group < len(row):
            op.groups = group_numbers(row[cols.group])
        if cols.level is not None and cols.level < len(row):
            op.addressed_to = " ".join(row[cols.level].split())
        if cols.field is not None and cols.field < len(row) and row[cols.field].strip():
            op.heading = field_name(row[cols.field])
        out.append(op)
    return out


def field_name(heading: str) -> str:
    """A field heading without its marker and "Lĩnh vực", "Về", "Nhóm": "I. Lĩnh vực môi
    trường" -> "môi trường"."""
    _, body = strip_marker(heading.strip())
    body = re.sub(r"^(?:lĩnh\s+vực|về|nhóm)\s+", "", body.strip(), flags=re.IGNORECASE)
    return body.rstrip(":").strip()


def headerless_opinions(table: Table) -> list[Opinion]:
    """Opinions from a table without a header inside the opinions section: the column of
    long texts is the opinion ("1. | Đề nghị …"), a short row across is a field heading."""
    texts = table.texts()
    if not texts:
        return []
    width = max(len(r) for r in texts)
    words = [sum(len(r[c].split()) for r in texts if c < len(r)) for c in range(width)]
    content = max(range(width), key=lambda c: words[c])
    long_rows = [r for r in texts if content < len(r) and len(r[content].split()) >= 8]
    if not long_rows:
        return []
    out: list[Opinion] = []
    heading = ""
    for row in texts:
        if content >= len(row):
            continue
        values = [c.strip() for c in row if c.strip()]
        if values and len(set(values)) == 1 and len(values[0].split()) <= 12:
            heading = field_name(values[0])
            continue
        _, body = strip_marker(row[content].strip())
        body, removed, _ = strip_speaker(body)
        text, cut = clean_opinion(" ".join(body.split()))
        if text:
            out.append(Opinion(text, cut, heading, speaker_removed=removed))
    return out


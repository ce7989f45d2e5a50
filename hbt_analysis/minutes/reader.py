"""One document read as a careful clerk reads it: which ward and group, when, how many came,
which opinions were raised, and everything that could not be read or does not add up.

`read_document(path)` takes a `.docx` (or `.doc` through LibreOffice) and returns a
`Reading`; nothing in it is guessed: a figure that is not written is missing and flagged.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from hbt_analysis.minutes import dates, fields, segment, tables
from hbt_analysis.minutes.flags import Flag, flag
from hbt_analysis.minutes.segment import Opinion
from hbt_analysis.minutes.units import WardResolver, group_code, resolver_from_reference
from hbt_analysis.minutes.wordfile import (
    Paragraph,
    Table,
    WordDocument,
    WordFileError,
    legacy_module,
    read_word,
)
from hbt_analysis.text import fold, normalize

SYNTHETIC_MARK = "hbt-analysis synthetic"  # in the core properties of generated minutes

_TITLE_MINUTES = re.compile(r"^\W*bien\s+ban\b")
_TITLE_SUMMARY = re.compile(
    r"^\W*(?:bao\s+cao\s+)?(?:ket\s+qua\s+)?tong\s+hop\b.*(?:y\s+kien|kien\s+nghi)|"
    r"^\W*bao\s+cao\b.*tong\s+hop.*(?:y\s+kien|kien\s+nghi)|"
    r"^\W*(?:danh\s+muc|danh\s+sach|bang\s+tong\s+hop)\b.*(?:y\s+kien|kien\s+nghi)")
_GROUP = re.compile(
    r"(?<![a-z])(?:to\s+dan\s+pho|tdp|to)\s*(?:so\s*)?(\d{1,3})([a-z])?(?![\d])(?!\s*[/,;]\s*\d)")
_WARD_CONFERENCE = re.compile(r"hoi\s+nghi\s+dai\s+bieu\s+nhan\s+dan\s+(?:cap\s+)?phuong")


@dataclass
class Reading:
    """What one document says, as read; `flags` name what a person must check."""

    path: Path
    kind: str = "minutes"  # minutes (a group's) / ward_minutes / ward_summary / unreadable
    ward_code: str | None = None
    ward_name: str | None = None
    group: str | None = None  # the group's number as written ("9", "5A")
    date: dt.date | None = None
    invited: int | None = None
    attended: int | None = None
    attendance_unit: str | None = None
    rate_printed: float | None = None
    opinions: list[Opinion] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how things were read, for the reviewer
    stated_opinions: int | None = None
    groups_held: str | None = None  # ward summaries: "25/25"
    says_no_opinions: bool = False  # "Hội nghị không có ý kiến phát biểu"
    synthetic: bool = False

    @property
    def file(self) -> str:
        return self.path.name

    @property
    def group_code(self) -> str | None:
        if self.ward_code is None or self.group is None:
            return None
        m = re.fullmatch(r"(\d+)([A-Z]?)", self.group)
        return group_code(self.ward_code, int(m.group(1)), m.group(2)) if m else None

    @property
    def needs_review(self) -> bool:
        return any(f.severity == "error" for f in self.flags)

    def as_gold(self) -> dict:
        """The shape of the examples' gold.json (for the benchmark)."""
        return {
            "kind": "ward_summary" if self.kind == "ward_summary" else "minutes",
            "ward": self.ward_name,
            "group": (int(self.group) if self.group and self.group.isdigit() else self.group),
            "date": self.date.isoformat() if self.date else None,
            "invited": self.invited,
            "attended": self.attended,
            "attendance_unit": self.attendance_unit,
            "opinions": [o.text for o in self.opinions],
            "flags": [f.code for f in self.flags],
        }


def read_document(path: Path | str, resolver: WardResolver | None = None, *,
                  converted: Path | None = None) -> Reading:
    """Read one document; an unreadable one comes back as kind 'unreadable' with the reason."""
    path = Path(path)
    resolver = resolver or resolver_from_reference()
    try:
        doc = read_word(path, converted=converted)
    except WordFileError as err:
        reading = Reading(path, kind="unreadable")
        reading.flags.append(flag("unreadable", reason_vi=err.message_vi,
                                  reason_en=err.message_en))
        return reading
    return read_word_document(doc, resolver)


# --- the document as entries -----------------------------------------------------------

@dataclass
class _Entry:
    text: str  # a paragraph's text ('' for a table)
    bold: bool = False
    table: Table | None = None

    def lines(self) -> list[str]:
        if self.table is None:
            return [self.text]
        return [c.text for row in self.table.rows for c in row if not c.continued and c.text]


def _entries(doc: WordDocument) -> list[_Entry]:
    out = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            text = normalize_keep_breaks(block.text)
            if text.strip():
                out.append(_Entry(text, block.bold))
        else:
            for row in block.rows:
                for cell in row:
                    for p in cell.paragraphs:
                        p.text = normalize_keep_breaks(p.text)
            if _layout_table(block):  # the whole text typed inside a one-column table
                out += [_Entry(p.text, p.bold) for row in block.rows for cell in row
                        if not cell.continued for p in cell.paragraphs if p.text.strip()]
            else:
                out.append(_Entry("", table=block))
    return out


def _layout_table(table: Table) -> bool:
    """A table used only to lay out text: one column, and long enough to hold sections."""
    filled = [[c for c in row if not c.continued and c.text] for row in table.rows]
    if any(len(cells) > 1 for cells in filled):
        return False
    paragraphs = sum(len(c.paragraphs) for cells in filled for c in cells)
    return paragraphs >= 6 and not tables.is_opinion_table(table)


def normalize_keep_breaks(text: str) -> str:
    """normalize() each soft-broken line, keeping the breaks and tabs for the layout rules."""
    lines = text.replace("\r", "\n").split("\n")
    return "\n".join(" ".join(normalize(part) for part in line.split("\t") if part.strip())
                     if "\t" in line else normalize(line) for line in lines).strip("\n")


# --- reading ---------------------------------------------------------------------------

def read_word_document(doc: WordDocument, resolver: WardResolver) -> Reading:
    reading = Reading(doc.path)
    reading.synthetic = SYNTHETIC_MARK in " ".join(doc.properties.values())
    if doc.converted_from:
        reading.notes.append(f"chuyển từ {doc.converted_from} bằng LibreOffice / converted "
                             f"from {doc.converted_from} with LibreOffice")
    _repair_garbled(doc, reading)
    if doc.legacy_encodings:
        names = ", ".join(sorted(e.upper() for e in doc.legacy_encodings))
        reading.notes.append(f"văn bản mã cũ {names} đã chuyển sang Unicode / legacy {names} "
                             "text converted to Unicode")
    entries = _entries(doc)
    if not any(e.lines() for e in entries):
        reading.kind = "unreadable"
        reading.flags.append(flag("empty_document"))
        return reading
    title = _title_index(entries)
    if title is None and _other_document(entries):
        reading.kind = "unreadable"
        reading.flags.append(flag("not_minutes"))
        return reading
    head = entries[: title + 4] if title is not None else entries[:12]
    head_text = "\n".join(line for e in head for line in e.lines())
    title_text = _title_text(entries, title) if title is not None else ""
    summary = bool(_TITLE_SUMMARY.search(title_text)) or (
        title is None and bool(re.search(r"tong\s+hop", fold(doc.path.stem))))
    reading.kind = "ward_summary" if summary else "minutes"
    _read_ward(reading, head_text, entries, resolver)
    if not summary:
        _read_group(reading, head_text, entries, title)
        if reading.group is None and reading.ward_code and (
                _WARD_CONFERENCE.search(fold(head_text)) or not re.search(
                    r"to\s+dan\s+pho|tdp", fold(head_text))):
            reading.kind = "ward_minutes"
            if title is None or not _TITLE_MINUTES.match(title_text):
                # a report, a plan, a letter: not the minutes of a conference
                reading.kind = "unreadable"
                reading.flags.append(flag("not_minutes"))
                return reading
    if summary:
        zone = (0, len(entries))
        reading.opinions = _summary_opinions(entries, title)
    else:
        zone = _opinion_zone(entries, reading)
        reading.opinions = _zone_opinions(entries, zone, reading)
    _read_date(reading, entries, zone)
    _read_attendance(reading, entries, zone, summary)
    _check(reading)
    return reading


def _repair_garbled(doc: WordDocument, reading: Reading) -> None:
    """Text typed in a legacy encoding without its font (pasted, or the font renamed),
    or UTF-8 read as Windows-1252: converted before anything is normalised."""
    legacy = legacy_module()
    if legacy is None:
        if doc.legacy_encodings:
            reading.flags.append(flag("garbled_text"))
        return
    sample = "\n".join(p.text for p, _ in doc.paragraphs())
    _, encoding = legacy.repair(sample)
    if encoding is None:
        # only some paragraphs pasted from an old file: each is judged on its own
        for p, _ in doc.paragraphs():
            fixed, enc = legacy.repair(p.text) if not p.text.isascii() else (p.text, None)
            if enc:
                p.text = fixed
                doc.legacy_encodings.add(enc)
        if not doc.legacy_encodings and legacy.looks_garbled(sample):
            reading.flags.append(flag("garbled_text"))
        return
    for p, _ in doc.paragraphs():
        p.text = legacy.to_unicode(p.text, encoding)
    for block in doc.blocks:  # the lower parts of merged cells are not in paragraphs()
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    if cell.continued:
                        for p in cell.paragraphs:
                            p.text = legacy.to_unicode(p.text, encoding)
    doc.legacy_encodings.add(encoding)


_OTHER_TITLE = re.compile(
    r"^\W*(?:bao\s+cao|ke\s+hoach|thong\s+bao|giay\s+moi|to\s+trinh|quyet\s+dinh|cong\s+van|"
    r"nghi\s+quyet|chuong\s+trinh)\b")


def _other_document(entries: list[_Entry]) -> bool:
    """A report, plan, notice or invitation (a title in capitals that is not 'BIÊN BẢN')."""
    for e in entries[:15]:
        if e.table is None and e.text.isupper() and _OTHER_TITLE.match(fold(e.text)):
            return True
    return False


def _title_index(entries: list[_Entry]) -> int | None:
    for i, e in enumerate(entries[:40]):
        if e.table is not None:
            continue
        if _TITLE_MINUTES.match(fold(e.text)) or _TITLE_SUMMARY.match(_title_text(entries, i)):
            return i
    return None


def _title_text(entries: list[_Entry], i: int) -> str:
    """The title folded; a one-word title ("BÁO CÁO") with the line that says of what."""
    folded = fold(entries[i].text)
    if re.fullmatch(r"\W*(?:bao\s+cao|tong\s+hop)\W*", folded) and i + 1 < len(entries) and \
            entries[i + 1].table is None:
        folded += " " + fold(entries[i + 1].text)
    return folded


def _read_ward(reading: Reading, head_text: str, entries: list[_Entry],
               resolver: WardResolver) -> None:
    head = resolver.find(head_text)
    body_text = "\n".join(line for e in entries for line in e.lines())
    body = resolver.find(body_text)
    stem = reading.path.stem
    from_name = resolver.find(re.sub(r"[_\-.]+", " ", stem))
    chosen = None
    for source, matches, how in (
        ("head", [m for m in head if m.prefixed], "header"),
        ("body", [m for m in body if m.prefixed], "text"),
        ("name", [m for m in from_name if m.prefixed], "file name"),
        ("name", from_name, "file name"),
        ("head", head, "header"),
    ):
        if matches:
            codes = list(dict.fromkeys(m.code for m in matches))
            chosen = (codes[0], how, source)
            break
    if chosen is None:
        for token in re.split(r"[\s_\-.()]+", stem):
            code = resolver.from_initials(token)
            if code:
                chosen = (code, "file name", "initials")
                break
    if chosen is None:
        reading.flags.append(flag("missing_ward"))
        return
    code, how, source = chosen
    reading.ward_code, reading.ward_name = code, resolver.names[code]
    if source in ("name", "initials"):
        reading.notes.append(f"phường lấy từ tên tệp / ward from the file name ({stem})")
    named_in_file = {m.code for m in from_name if m.prefixed} | (
        {resolver.from_initials(t) for t in re.split(r"[\s_\-.()]+", stem)} - {None})
    others = {m.code for m in head if m.prefixed} | named_in_file
    if others - {code}:
        names = ", ".join(resolver.names[c] for c in sorted(others - {code}))
        reading.flags.append(flag("ward_conflict", chosen=resolver.names[code], other=names))


def _read_group(reading: Reading, head_text: str, entries: list[_Entry],
                title: int | None) -> None:
    found = _groups_in(head_text)
    if not found and not _WARD_CONFERENCE.search(fold(head_text)):
        # (a ward conference's first opinions name the groups they come from: not its group)
        early = entries[: (title or 0) + 10]
        found = _groups_in("\n".join(line for e in early for line in e.lines()))
    from_name = _groups_in(re.sub(r"[_\-.]+", " ", reading.path.stem))
    if not found and from_name:
        found = from_name
        reading.notes.append("số tổ lấy từ tên tệp / group number from the file name")
    if not found:
        return
    reading.group = found[0]
    distinct = list(dict.fromkeys(found + from_name))
    if len(distinct) > 1:
        reading.flags.append(flag("group_conflict", chosen=found[0],
                                  other=", ".join(d for d in distinct if d != found[0])))


def _groups_in(text: str) -> list[str]:
    out = []
    for m in _GROUP.finditer(fold(text)):
        number = str(int(m.group(1)))
        out.append(number + (m.group(2) or "").upper())
    return out


# --- opinions ---------------------------------------------------------------------------

def _opinion_zone(entries: list[_Entry], reading: Reading) -> tuple[int, int]:
    """(first, end) entry indices of the opinions section; (0, 0) when there is none."""
    best, start, inline = 0, None, None
    weak: list[tuple[int, str | None]] = []
    for i, e in enumerate(entries):
        if e.table is not None:
            continue
        line = e.text.split("\n")[0]
        strength = segment.is_start_heading(line, e.bold)
        if not strength and line.rstrip().endswith(":"):
            # "… Sau khi thảo luận, các đại biểu nêu các ý kiến sau:"
            last = re.split(r"(?<=[.!?])\s+", line.strip())[-1]
            if last != line.strip():
                strength = segment.is_start_heading(last, False)
        rest = None
        colon = line.find(":")
        if not strength and 0 < colon <= 80 and line[colon + 1:].strip():
            # "IV. Ý kiến của đại biểu: không có ý kiến." / "Thảo luận: có 3 ý kiến …"
            strength = segment.is_start_heading(line[:colon + 1], e.bold)
            rest = e.text[colon + 1:].strip()
        if strength == 1:
            weak.append((i, rest))
        if strength > best:
            best, start, inline = strength, i, rest
            if strength == 2:
                break
    if best == 1 and len(weak) > 1:
        # several "Thảo luận"-like headings (an agenda item in bold, the section itself):
        # the one followed by the most opinion-like lines, the later one on a tie
        start, inline = max(weak, key=lambda w: (_opinion_like_after(entries, w[0]), w[0]))
    if start is not None and inline is not None:
        stated = segment.stated_count(entries[start].text)
        entries[start] = _Entry(inline)  # the heading's own content is the section's first line
        if stated is not None:
            reading.stated_opinions = stated
        start -= 1
    start_family = ""
    if start is None:
        # no heading: from the first speaker or "Ý kiến N" line, or an opinions table
        for i, e in enumerate(entries):
            if e.table is not None and tables.is_opinion_table(e.table):
                start = i - 1
                break
            if e.table is None:
                info = segment.classify(e.text)
                if info.kind == "opinion" and (info.speaker or info.family == "ykien"):
                    start = i - 1
                    break
        if start is None:
            reading.flags.append(flag("opinions_not_found"))
            return (0, 0)
        reading.notes.append("không có tiêu đề phần ý kiến; đọc từ ý kiến đầu tiên / no "
                             "opinions heading; read from the first opinion")
    else:
        start_family, _ = segment.strip_marker(entries[start].text.strip())
    end = len(entries)
    for j in range(start + 1, len(entries)):
        e = entries[j]
        if e.table is not None:
            if _is_signature_table(e.table):
                end = j
                break
            continue
        line = e.text.split("\n")[0]
        if segment.is_end(line, e.bold, start_family) or (
                j > start + 1 and segment.is_resolution_line(line)):
            end = j
            break
    return (start + 1, end)


def _attendance_table(table: Table) -> bool:
    figures, _ = fields.table_figures(table.texts(), 0)
    return any(f.role in ("invited", "attended") for f in figures)


def _opinion_like_after(entries: list[_Entry], i: int) -> int:
    """How many lines after entry i, up to the next heading, read as opinions."""
    n = 0
    for e in entries[i + 1:i + 40]:
        if e.table is not None:
            n += 3 * tables.is_opinion_table(e.table)
            continue
        info = segment.classify(e.text, e.bold)
        if info.kind == "heading":
            break
        if info.kind == "opinion" and len(info.body.split()) >= 8:
            n += 1
    return n


def _is_signature_table(table: Table) -> bool:
    text = fold(" ".join(line for row in table.texts() for line in row))
    return bool(re.search(r"thu\s+ky|chu\s+(?:tri|toa)|tm\.|(?:da\s+ky)", text)) and len(text) < 400


def _zone_opinions(entries: list[_Entry], zone: tuple[int, int],
                   reading: Reading) -> list[Opinion]:
    first, end = zone
    out: list[Opinion] = []
    lines: list[tuple[str, bool]] = []
    stated = None

    def flush() -> None:
        nonlocal lines, stated
        if lines:
            ops, info = segment.segment_lines(lines)
            out.extend(ops)
            if stated is None:
                stated = info["stated_count"]
        lines = []

    # the heading line itself may state the count ("… 6 ý kiến, cụ thể như sau:")
    stated = reading.stated_opinions
    if stated is None and first > 0 and entries[first - 1].table is None:
        stated = segment.stated_count(entries[first - 1].text)
    for e in entries[first:end]:
        if e.table is not None:
            if tables.is_opinion_table(e.table):
                flush()
                out.extend(tables.table_opinions(e.table))
            elif not _is_signature_table(e.table) and not _attendance_table(e.table):
                flush()
                out.extend(tables.headerless_opinions(e.table))
            continue
        lines.append((e.text, e.bold))
    flush()
    if not out:
        # opinions in a table outside any heading
        for e in entries:
            if e.table is not None and tables.is_opinion_table(e.table):
                out.extend(tables.table_opinions(e.table))
    reading.stated_opinions = stated
    zone_text = fold(" ".join(e.text for e in entries[max(first - 1, 0):end] if e.table is None))
    reading.says_no_opinions = bool(re.search(
        r"khong\s+co\s+(?:y\s+kien|kien\s+nghi|dai\s+bieu\s+nao)|khong\s+ai\s+(?:phat\s+bieu|"
        r"co\s+y\s+kien)|\b0\s+y\s+kien", zone_text))
    return out


def _summary_opinions(entries: list[_Entry], title: int | None) -> list[Opinion]:
    out: list[Opinion] = []
    for e in entries:
        if e.table is not None and tables.is_opinion_table(e.table):
            out.extend(tables.table_opinions(e.table))
    if out:
        return out
    # headed sections per field with numbered items, groups in parentheses
    start = (title or 0) + 1
    if title is not None and _title_text(entries, title) != fold(entries[title].text):
        start += 1  # "BÁO CÁO" over the line that says of what
    for i in range(start, len(entries)):
        e = entries[i]
        if e.table is None and (segment.is_start_heading(e.text, e.bold) == 2 or re.search(
                r"(?:nhu\s+sau|cu\s+the)\s*:?\s*$", fold(e.text))):
            start = i + 1
            break
    else:
        # no line opens the list: the subtitle and the opening paragraph (the period, the
        # households) come before the first marked item or field heading
        marked = [i for i in range(start, len(entries)) if entries[i].table is None
                  and segment.strip_marker(entries[i].text.strip())[0] != "none"]
        if marked:
            start = marked[0]
    lines: list[tuple[str, bool]] = []
    for e in entries[start:]:
        if e.table is not None:
            continue
        if (segment.is_end(e.text, e.bold, "") and re.match(
                r"^\W*(?:noi\s+nhan|tren\s+day|tm\.)", fold(e.text))) or _CLOSING.match(
                fold(e.text)):
            break
        lines.append((e.text, e.bold))
    ops, _ = segment.segment_lines(lines)
    for op in ops:
        op.text, op.groups = _split_groups(op.text)
    return ops


#: A summary's closing paragraph: "Ban Thường trực … kính đề nghị UBND phường …"
_CLOSING = re.compile(
    r"^(?:tren\s+day\b|(?:ban\s+thuong\s+truc|uy\s+ban\s+mttq|ubmttq|ban\s+cong\s+tac|"
    r"mat\s+tran)\b[^.]*\bkinh\s+(?:de\s+nghi|trinh|gui|bao\s+cao))")
_GROUPS_TRAILING = re.compile(
    r"\s*[\[(]\s*((?:các\s+)?(?:tổ\s+dân\s+phố|TDP|tổ|Tổ)\s*(?:số)?\s*:?\s*"
    r"\d{1,3}[A-Za-z]?(?:\s*(?:,|;|và|-|–)\s*(?:(?:TDP|tổ|Tổ)\s*(?:số)?\s*)?\d{1,3}[A-Za-z]?)*)"
    r"\s*[\])]\s*\.?\s*$", re.IGNORECASE)
_GROUPS_LEADING = re.compile(
    r"^\s*((?:các\s+)?(?:tổ\s+dân\s+phố|TDP|Tổ|tổ)\s*(?:số)?\s*\d{1,3}[A-Za-z]?"
    r"(?:\s*(?:,|;|và)\s*(?:(?:TDP|Tổ|tổ)\s*(?:số)?\s*)?\d{1,3}[A-Za-z]?)*)\s*[:\-–]\s*",
    re.IGNORECASE)


def _split_groups(text: str) -> tuple[str, list[str]]:
    m = _GROUPS_TRAILING.search(text)
    if m:
        body = text[:m.start()].rstrip()
        if not body.endswith((".", "!", "?")) and text.rstrip().endswith("."):
            body += "."
        return body, tables.group_numbers(m.group(1))
    m = _GROUPS_LEADING.match(text)
    if m:
        rest = text[m.end():].strip()
        return rest[:1].upper() + rest[1:], tables.group_numbers(m.group(1))
    return text, []


# --- date and attendance -----------------------------------------------------------------

def _flat_lines(entries: list[_Entry]) -> list[tuple[int, str]]:
    return [(i, line) for i, e in enumerate(entries) for line in e.lines()]


def _read_date(reading: Reading, entries: list[_Entry], zone: tuple[int, int]) -> None:
    first, end = zone
    lines = [(i, line) for i, line in _flat_lines(entries)
             if reading.kind == "ward_summary" or not (first <= i < end) or first == end]
    candidates = dates.date_candidates([line for _, line in lines])
    prefer = ("place", "other", "held") if reading.kind == "ward_summary" else (
        "held", "place", "other")
    chosen = dates.pick_date(candidates, prefer)
    if chosen is not None and chosen.kind != "held" and reading.kind != "ward_summary":
        days = dates.held_days_without_year([line for _, line in lines])
        if days and all((d, m) != (chosen.date.day, chosen.date.month) for _, d, m in days):
            # "ngày 31/12" was the meeting, the minutes were signed months later: the
            # signing date is not the meeting's, and the year of the meeting is not certain
            _, d, m = days[0]
            reading.notes.append(
                f"ngày họp ghi {d:02d}/{m:02d}, không ghi năm; không xác định được năm / the "
                f"meeting is dated {d:02d}/{m:02d} with no year, which could not be told")
            chosen = None
    if chosen is None:
        reading.flags.append(flag("missing_date"))
        return
    reading.date = chosen.date
    held = {c.date for c in candidates if c.kind == "held"}
    place = {c.date for c in candidates if c.kind == "place"}
    if reading.kind != "ward_summary" and held and place and not (held & place):
        reading.notes.append(
            "ngày lập biên bản khác ngày họp; dùng ngày họp / the minutes are dated "
            f"{min(place):%d/%m/%Y}, the meeting was held {reading.date:%d/%m/%Y}")


def _read_attendance(reading: Reading, entries: list[_Entry], zone: tuple[int, int],
                     summary: bool) -> None:
    first, end = zone
    figures: list[fields.Figure] = []
    rates: list = []
    for i, e in enumerate(entries):
        if not summary and first <= i < end and first != end:
            continue  # opinions mention numbers of their own
        if e.table is not None:
            if tables.is_opinion_table(e.table) or _is_signature_table(e.table):
                continue
            f, r = fields.table_figures(e.table.texts(), i)
        else:
            f, r = fields.figures_in_line(e.text, i)
        figures += f
        rates += r
    att = fields.combine(figures, rates)
    reading.invited, reading.attended = att.invited, att.attended
    reading.attendance_unit = att.unit
    reading.rate_printed = att.rate_printed
    if att.invited_from_total:
        reading.flags.append(flag("invited_from_total", value=att.invited))
    elif att.total_seen is not None and reading.invited is None:
        reading.notes.append(
            f"biên bản ghi tổng số hộ {att.total_seen} nhưng không ghi số hộ được mời; không "
            f"lấy tổng số làm số được mời / the minutes give {att.total_seen} households in "
            "all but no invited figure; the total was not taken as invited")
    if att.conflicts:
        reading.flags.append(flag("attendance_conflict", values="; ".join(att.conflicts)))
    if reading.invited is None or reading.attended is None:
        missing = [n for n, v in (("được mời/invited", reading.invited),
                                  ("có mặt/attended", reading.attended)) if v is None]
        reading.flags.append(flag("missing_attendance", which=", ".join(missing)))
    if reading.invited is not None and reading.attended is not None:
        if reading.attended > reading.invited:
            reading.flags.append(flag("attended_gt_invited", invited=reading.invited,
                                      attended=reading.attended))
        if fields.rate_disagrees(att):
            reading.flags.append(flag(
                "percentage_mismatch", printed=att.rate_text, rate=att.rate_printed,
                computed=100 * reading.attended / reading.invited,
                invited=reading.invited, attended=reading.attended))
    if att.unit == "đại biểu":
        reading.notes.append("số liệu tính theo đại biểu, không theo hộ / counts are "
                             "representatives, not households")
    if summary:
        for _, line in _flat_lines(entries):
            m = re.search(r"(?<![\d/])(\d{1,3})\s*/\s*(\d{1,3})(?![\d/])", line)
            if m and re.search(r"to\s+dan\s+pho|tdp", fold(line)):
                reading.groups_held = f"{m.group(1)}/{m.group(2)}"
                break
        if reading.groups_held is None:
            for e in entries:
                if e.table is not None:
                    texts = e.table.texts()
                    for h, v in zip(texts[0], texts[1] if len(texts) > 1 else [], strict=False):
                        if re.search(r"to\s+dan\s+pho|tdp", fold(h)) and re.fullmatch(
                                r"\s*\d{1,3}\s*/\s*\d{1,3}\s*", v):
                            reading.groups_held = v.replace(" ", "")


def _check(reading: Reading) -> None:
    if reading.kind == "minutes" and reading.group is None:
        reading.flags.append(flag("missing_group"))
    if not reading.opinions and not reading.says_no_opinions and not any(
            f.code == "opinions_not_found" for f in reading.flags):
        reading.flags.append(flag("no_opinions"))
    if reading.stated_opinions is not None and reading.opinions and \
            reading.stated_opinions != len(reading.opinions) and reading.kind != "ward_summary":
        reading.flags.append(flag("opinion_count_mismatch", stated=reading.stated_opinions,
                                  found=len(reading.opinions)))

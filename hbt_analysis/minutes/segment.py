"""Which lines of the minutes are opinions, and where each one starts and ends.

The opinions sit under a heading ("IV. Ý KIẾN PHÁT BIỂU CỦA ĐẠI BIỂU", "Các ý kiến, kiến nghị
của Nhân dân:", "Phần 2: Thảo luận") and run to the resolution ("HỘI NGHỊ THỐNG NHẤT", "Nghị
quyết", "Kết luận"). Inside, an opinion starts with a marker ("1.", "-", "+", "Ý kiến 2:") or a
speaker ("Ông Nguyễn Văn A (số nhà 12) phát biểu:"); a paragraph without one continues the
opinion before it. The answers given at the meeting ("Đồng chí Tổ trưởng trả lời: …", "* Trả
lời: …", a block of "- Về việc …: …" after "… tiếp thu và giải đáp:") and the field
sub-headings ("a) Về vệ sinh môi trường:") are not opinions; the answers are kept as the
opinions' responses. The speaker's name is dropped from the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from hbt_analysis.text import fold

_UPPER = "".join(
    c for c in map(chr, range(0x41, 0x1EFA))
    if c.isupper() and unicodedata.name(c, "").startswith("LATIN CAPITAL LETTER")
)
_NAME_WORD = rf"[{_UPPER}][^\W\d_]*"
_HONORIFIC = (r"(?:[Ôô]ng|[Bb]à|[Aa]nh|[Cc]hị|[Cc]ô|[Cc]hú|[Bb]ác|[Cc]ụ|[Ee]m|[Cc]háu|"
              r"[Đđ]ồng\s+chí|[Đđ]/[Cc]|[Cc]ử\s+tri|[Hh]ội\s+viên|[Đđ]ại\s+biểu|ĐB|Ô\.|B\.)")
#: A speaker at the start of a line: honorific + capitalised name, then anything short
#: (address, role) up to the colon.
_LEAD = r"(?:(?:[Ýý]\s+kiến|[Pp]hát\s+biểu|[Kk]iến\s+nghị)(?:\s+của)?\s+)?"  # "Ý kiến của ông …"
_SPEAKER = re.compile(
    rf"^\s*{_LEAD}(?:{_HONORIFIC}\s*\.?\s*)({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})"
    r"(?P<rest>[^:\n]{0,160}?)\s*:\s*"
)
#: "Bà Nguyễn Thị Lan (tổ 5) đề nghị phường …": the name goes, the request stays.
_SPEAKER_BEFORE_VERB = re.compile(
    rf"^\s*(?:{_HONORIFIC}\s*\.?\s*)({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})"
    r"(?:\s*\([^()]{0,80}\)|\s*[,–\-][^,–\-:.]{0,80}[,–\-])?\s+"
    r"(?=(?:đề\s+nghị|kiến\s+nghị|phản\s+ánh|đề\s+xuất|hỏi|cho\s+rằng|cho\s+biết|nêu|"
    r"mong\s+muốn|yêu\s+cầu|bày\s+tỏ|góp\s+ý)\b)"
)
_SURNAMES = ("Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Đào|Đinh|"
             "Lương|Trịnh|Mai|Tạ|Chu|Cao|Lâm|Hà|Tô|Kiều|Quách|Đoàn|Vương|Trương|Lại|Thái|Phùng|"
             "Nghiêm|Khuất|Đàm|Lưu|Tăng|Triệu|Văn|Từ|Hứa|Nông|Lò|Doãn|Khổng|Mạc|Giáp|Bạch|Thân")
_BARE_SPEAKER = re.compile(
    rf"^\s*(?:{_SURNAMES})(?:\s+{_NAME_WORD}){{1,3}}"
    r"(?P<rest>\s*(?:\([^()]{0,80}\)|[,–\-][^:\n.]{0,80}))?\s*"
    r"(?:(?:phát\s+biểu|ý\s+kiến|có\s+ý\s+kiến|nêu|đề\s+nghị|kiến\s+nghị|phản\s+ánh)\s*)?:\s*"
)
_SPEECH_VERB = re.compile(
    r"\b(?:phát\s+biểu|nêu\s+ý\s+kiến|có\s+ý\s+kiến|góp\s+ý|ý\s+kiến|trình\s+bày|hỏi|nói|"
    r"phản\s+ánh|kiến\s+nghị|đề\s+nghị|đề\s+xuất|cho\s+rằng|nêu)\b", re.IGNORECASE)
_SPEAKER_NO_COLON = re.compile(
    rf"^\s*(?:{_HONORIFIC}\s*\.?\s*)({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}})"
    r"(?P<rest>(?:\s*\([^)]{0,80}\)|\s*[,–-][^,–\-:.]{0,80}[,–-])?)\s*"
    r"(?P<verb>phát\s+biểu|nêu\s+ý\s+kiến|có\s+ý\s+kiến|góp\s+ý|ý\s+kiến)\s*[,:]?\s*",
    re.IGNORECASE,
)
_ANSWER_WORDS = re.compile(
    r"trả\s+lời|giải\s+đáp|tiếp\s+thu|giải\s+trình|giải\s+thích|phúc\s+đáp|làm\s+rõ|"
    r"thông\s+tin\s+lại|trao\s+đổi\s+lại|^\W*TL\W*$", re.IGNORECASE)
_OFFICIAL_TITLE = re.compile(
    r"tổ\s+trưởng|trưởng\s+ban|bí\s+thư|chủ\s+tịch|cskv|cảnh\s+sát\s+khu\s+vực|công\s+an\s+phường|"
    r"cán\s+bộ|đại\s+diện\s+(?:ubnd|phường|công\s+an)|chủ\s+trì|chủ\s+tọa", re.IGNORECASE)
#: Who answers at the meeting, when a soft-broken line starts with them and a colon.
_ANSWERER = re.compile(
    r"^\W*(?:(?:đồng\s+chí|đ/c)\s+)?(?:tổ\s+trưởng|trưởng\s+ban|bí\s+thư|chủ\s+trì|chủ\s+tọa|"
    r"cảnh\s+sát\s+khu\s+vực|cskv|đại\s+diện\s+(?:ubnd|công\s+an|phường|ban)|ban\s+ctmt|"
    r"bctmt|ban\s+công\s+tác\s+mặt\s+trận|công\s+an\s+phường|lãnh\s+đạo\s+phường)[^:]{0,40}:",
    re.IGNORECASE)
#: An official, then within a few words what they do in reply, with no colon.
_OFFICIAL_REPLIES = re.compile(
    r"^(?:(?:đồng\s+chí|đ/c)\s+)?(?:tổ\s+trưởng|trưởng\s+ban|bí\s+thư|chủ\s+trì|chủ\s+tọa|"
    r"cảnh\s+sát\s+khu\s+vực|cskv|đại\s+diện\s+(?:ubnd|công\s+an|phường|ban)|ban\s+ctmt|bctmt|"
    r"ban\s+công\s+tác\s+mặt\s+trận|công\s+an\s+phường|lãnh\s+đạo\s+phường|chủ\s+tịch|"
    r"phó\s+chủ\s+tịch)\b[^.:!?]{0,60}?\b(?:trả\s+lời|giải\s+đáp|tiếp\s+thu|giải\s+trình|"
    r"giải\s+thích|phúc\s+đáp|làm\s+rõ|ghi\s+nhận)\b", re.IGNORECASE)
_OFFICIAL = re.compile(
    r"^(?:[-*+→>•\s]*)(?:đồng\s+chí|đ/c|ông|bà|ban|tổ\s+trưởng|trưởng\s+ban|bí\s+thư|"
    r"chủ\s+trì|chủ\s+tọa|chủ\s+toạ|cảnh\s+sát|cskv|công\s+an|đại\s+diện|lãnh\s+đạo|chủ\s+tịch|"
    r"phó\s+chủ\s+tịch|ubnd|hội\s+nghị|tổ\s+dân\s+phố|bctmt|ban\s+ctmt|trả\s+lời|giải\s+đáp|"
    r"ý\s+kiến\s+(?:trả\s+lời|giải\s+đáp)|phần\s+trả\s+lời|nội\s+dung\s+trả\s+lời|tl\s*$)",
    re.IGNORECASE,
)
_NUMBER_WORDS = r"(?:nhất|một|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười(?:\s+\w+)?)"
_YKIEN = re.compile(
    rf"^\s*(?:ý\s*kiến|y\s*kien|ý\s*kiến\s+thứ)\s*(?:thứ\s*|số\s*)?(\d{{1,2}}|{_NUMBER_WORDS})"
    r"\s*(?:\((?P<who>[^)]*)\))?\s*[:.\-–)]?\s*",
    re.IGNORECASE,
)
_SUBNUMBERED = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})+)\s*[.):]?\s+(?=\S)")
_NUMBERED = re.compile(r"^\s*\(?(\d{1,2})\s*(?:[.):/]|\s-|-)\s*(?=[^\d\s]|$)")
_ROMAN = re.compile(r"^\s*([IVXL]{1,6})\s*[.):/\-–]\s*")
_LETTER = re.compile(r"^\s*\(?([a-zđ])\s*[).]\s+")
_BULLET = re.compile(r"^\s*([-–—+•*·▪►→⇒●○◦❖✓✔»>=\uf000-\uf0ff]+|o(?=\s))\s*")
_PART = re.compile(r"^\s*(?:phần|mục)\s+(\d+|[IVX]+|thứ\s+\w+)\s*[:.\-–]\s*", re.IGNORECASE)

_START_STRONG = re.compile(
    r"y\s+kien.*(?:dai\s+bieu|nhan\s+dan|cu\s+tri|phat\s+bieu|thao\s+luan|kien\s+nghi|"
    r"dong\s+gop|cua\s+cac\s+ho|hoi\s+nghi)|kien\s+nghi.*(?:nhan\s+dan|cu\s+tri|dai\s+bieu)|"
    r"y\s+kien\s+(?:phat\s+bieu|thao\s+luan|dong\s+gop|kien\s+nghi)|"
    r"cac\s+y\s+kien|noi\s+dung\s+(?:y\s+kien|thao\s+luan)")
_START_WEAK = re.compile(r"thao\s+luan|y\s+kien|kien\s+nghi|phat\s+bieu|de\s+xuat|gop\s+y")
_END_HEADING = re.compile(
    r"thong\s+nhat|nghi\s+quyet|ket\s+luan|nhat\s+tri|bieu\s+quyet|ket\s+thuc|be\s+mac|"
    r"chi\s+tieu|phuong\s+huong|bau\s+|tong\s+ket")
_END_LINE = re.compile(
    r"^\s*(?:hoi\s+nghi\s+(?:ket\s+thuc|be\s+mac)|bien\s+ban\s+(?:ket\s+thuc|duoc|da\s+duoc|"
    r"nay|lap\s+xong)|thu\s+ky\s*$|chu\s+(?:tri|toa)\s*$|tm\.|noi\s+nhan|tren\s+day\s+la)")
_ANSWER_INTRO = re.compile(
    r"(?:tra\s+loi|giai\s+dap|tiep\s+thu|giai\s+trinh|giai\s+thich|phuc\s+dap)")
_STATED_COUNT = re.compile(
    r"(\d{1,3})\s*(?:luot\s+)?(?:y\s+kien|luot\s+y\s+kien|luot\s+phat\s+bieu)")
_TRAILING_ANSWER = re.compile(
    r"\s*\((?=\s*(?:đ/c|đồng\s+chí|tổ\s+trưởng|trưởng\s+ban|ban\s+công\s+tác|ban\s+ctmt|bctmt|"
    r"hội\s+nghị|cảnh\s+sát|cskv|công\s+an|đại\s+diện|lãnh\s+đạo|chủ\s+trì|chủ\s+tịch|ubnd|"
    r"phường|tổ\s+dân\s+phố|trả\s+lời|giải\s+đáp|tl\s*:|đã\s+(?:được\s+)?(?:giải\s+đáp|trả\s+lời|"
    r"tiếp\s+thu|giải\s+thích|giải\s+quyết)))"
    r"[^()]*(?:trả\s+lời|giải\s+đáp|tiếp\s+thu|giải\s+thích|giải\s+trình|tl\s*:|giải\s+quyết)"
    r"[^()]*\)\s*\.?\s*$", re.IGNORECASE)
#: A whole sentence in parentheses after the opinion's last sentence, telling what was or
#: will be done ("… năm 2023. (Việc sửa chữa đã được đưa vào kế hoạch.)"): the meeting's
#: answer written in by the secretary, not a part of the request.
_TRAILING_NOTE = re.compile(
    r"(?<=[.!?])\s*\((?=[A-ZĐÀ-Ỹ])(?=[^()]*\b(?:sẽ|đã|ghi\s+nhận|thẩm\s+quyền|dự\s+kiến|"
    r"đang|tiếp\s+thu)\b)(?=(?:[^()\s]+\s+){5})[^()]*[.!?]\s*\)\s*$")
_INLINE_ANSWER = re.compile(
    r"(?:(?<=[.!?;])|(?<=[.!?;][\"”]))\s*[-*+→>•]?\s*"
    r"(?=(?:(?:Đồng\s+chí|Đ/c|đ/c|Ông|Bà)\s+)?"
    r"(?:Tổ\s+trưởng|Trưởng\s+ban|Bí\s+thư|Chủ\s+trì|Cảnh\s+sát|CSKV|Công\s+an|Đại\s+diện|"
    r"Lãnh\s+đạo|Chủ\s+tịch|Phó\s+Chủ\s+tịch|Ban\s+công\s+tác|BCTMT|Ban\s+CTMT|Hội\s+nghị|"
    r"Trả\s+lời|Giải\s+đáp)[^.:\n]{0,80}?(?:trả\s+lời|giải\s+đáp|tiếp\s+thu|giải\s+thích)?"
    r"[^.:\n]{0,30}:)")


@dataclass
class Opinion:
    """One opinion as the minutes divide them, with what the meeting answered."""

    text: str
    response: str = ""
    heading: str = ""  # the sub-heading it sat under ("Về vệ sinh môi trường")
    groups: list[str] = field(default_factory=list)  # ward summaries: the groups named
    addressed_to: str = ""  # ward summaries: "Cấp giải quyết"
    speaker_removed: bool = False
    number: str = ""  # its number as the document prints it ("3", "2.1"), "" when unnumbered


@dataclass
class LineInfo:
    kind: str  # opinion / answer / heading / intro / blank
    body: str  # the text without marker and speaker
    family: str = ""  # number / bullet:- / letter / roman / ykien / speaker / part / none
    speaker: bool = False
    ends_colon: bool = False
    prefix: str = ""  # the speaker as written (dropped from the text)


def strip_marker(text: str) -> tuple[str, str]:
    """(family, text without its list marker)."""
    if m := _YKIEN.match(text):
        return "ykien", text[m.end():]
    if m := _PART.match(text):
        return "part", text[m.end():]
    if (m := _ROMAN.match(text)) and len(text) > m.end() and text[m.end()].isupper():
        return "roman", text[m.end():]
    if m := _SUBNUMBERED.match(text):
        return "number2", text[m.end():]
    if m := _NUMBERED.match(text):
        return "number", text[m.end():]
    if m := _LETTER.match(text):
        return "letter", text[m.end():]
    if m := _BULLET.match(text):
        return "bullet:" + m.group(1)[:1], text[m.end():]
    return "none", text


def marker_number(text: str) -> str:
    """The number a line's list marker prints ("3. Đề nghị …" -> "3", "2.1 …" -> "2.1",
    "Ý kiến 4: …" -> "4"); "" for a bullet, a letter or no marker."""
    for pattern in (_YKIEN, _SUBNUMBERED, _NUMBERED):
        if (m := pattern.match(text)) and m.group(1).replace(".", "").isdigit():
            return m.group(1)
    return ""


def strip_speaker(text: str) -> tuple[str, bool, str]:
    """(text without the speaker, whether one was removed, what was removed)."""
    m = _SPEAKER.match(text)
    if m and not re.search(r"[.!?]\s", m.group("rest")):
        rest = m.group("rest")
        prefix = text[:m.end()]
        # "Ông A đề nghị: …", "Bà B (số 5) phát biểu: …", "Ông C – số 98 – ý kiến: …"
        if not rest.strip() or re.match(r"^\s*[(,–\-]", rest) or _SPEECH_VERB.search(rest) \
                or _ANSWER_WORDS.search(rest):
            return text[m.end():], True, prefix
    m = _SPEAKER_NO_COLON.match(text)
    if m:
        return text[m.end():], True, text[:m.end()]
    m = _SPEAKER_BEFORE_VERB.match(text)
    if m and not _place_name(text[:m.end()]):
        rest = text[m.end():]
        return rest[:1].upper() + rest[1:], True, text[:m.end()]
    m = _BARE_SPEAKER.match(text)  # "Nguyễn Văn An (số 12): …"
    if m and text[m.end():].strip():
        return text[m.end():], True, text[:m.end()]
    return text, False, ""


#: Streets, places and figures whose names begin with an honorific: not speakers.
PLACES_WITH_HONORIFIC = ("Bà Triệu", "Bà Huyện Thanh Quan", "Ông Ích Khiêm", "Bà Kiệu",
                         "Bác Hồ", "Cô Giang", "Cô Bắc", "Bà Chúa Kho", "Bà Đen", "Ông Tượng")


def _place_name(prefix: str) -> bool:
    """'Bà Triệu', 'Ông Ích Khiêm': streets, not speakers."""
    return prefix.lstrip().startswith(PLACES_WITH_HONORIFIC)


def _is_answer_prefix(prefix: str) -> bool:
    return bool(_ANSWER_WORDS.search(prefix))


def heading_like(text: str, bold: bool = False) -> bool:
    """A section or field heading: short, no sentence inside, capitals or a final colon."""
    t = text.strip()
    if not t:
        return False
    family, body = strip_marker(t)
    words = t.split()
    letters = [c for c in body if c.isalpha()]
    upper = bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8
    if re.search(r"(?<!\b[A-ZĐa-zđ])(?<!\b[A-ZĐ][a-zđ])[.!?]\s+\S", body.rstrip(":").rstrip()):
        return False  # a sentence inside: prose
    if t.endswith((".", ";", ",")) and not upper:
        return False
    if upper and len(words) <= 20:
        return True
    if t.endswith(":") and len(words) <= 16:
        return True
    if family in ("roman", "part") and len(words) <= 14:
        return True
    return bold and len(words) <= 14


_NO_OPINIONS = re.compile(
    r"khong\s+co\s+(?:y\s+kien|kien\s+nghi|dai\s+bieu\s+nao|ai\s+phat\s+bieu)|"
    r"khong\s+ai\s+(?:phat\s+bieu|co\s+y\s+kien)")


def classify(text: str, bold: bool = False) -> LineInfo:
    t = text.strip()
    if not t:
        return LineInfo("blank", "")
    if len(t.split()) <= 25 and _NO_OPINIONS.search(fold(t)) and strip_marker(t)[0] == "none" \
            and not re.search(r"\bkhac\b", fold(t)):
        return LineInfo("intro", t)  # "Hội nghị không có ý kiến phát biểu." (not an item)
    family, body = strip_marker(t)
    who = None
    if family == "ykien":
        m = _YKIEN.match(t)
        who = m.group("who") if m else None
    body_stripped, removed, prefix = strip_speaker(body)
    ends_colon = t.endswith(":")
    if removed and _is_answer_prefix(prefix):
        rest = body_stripped.strip()
        return LineInfo("answer" if rest else "intro", rest, family, True, ends_colon)
    if removed:
        return LineInfo("opinion", body_stripped.strip(), family, True, ends_colon, prefix)
    if family == "ykien":  # "Ý kiến 2: …", "Ý kiến 3 (Bà …):" (the speaker in brackets)
        return LineInfo("opinion", body.strip(), family, who is not None, ends_colon)
    # "Trả lời: …", "Đồng chí Tổ trưởng trả lời: …", "→ Trả lời: …"
    colon = body.find(":")
    if 0 < colon <= 120:
        head = body[:colon]
        if _ANSWER_WORDS.search(head) and _OFFICIAL.match(head) and not re.search(
                r"[.!?]\s", head) and not _ASKS_FOR_ANSWER.match(fold(head)):
            rest = body[colon + 1:].strip()
            return LineInfo("answer" if rest else "intro", rest, family, False, ends_colon)
    if family == "none" and _OFFICIAL_REPLIES.match(t):
        # "Đồng chí Bí thư chi bộ tiếp thu các ý kiến, …" (no colon): the meeting answers
        return LineInfo("answer", t, family, False, ends_colon)
    if heading_like(t, bold) and (family != "bullet:-" or ends_colon):
        return LineInfo("heading", body.strip(), family, False, ends_colon)
    if ends_colon and len(t.split()) <= 40 and _intro_kind(t) == "intro":
        return LineInfo("intro", body.strip(), family, False, ends_colon)
    return LineInfo("opinion", body.strip(), family, False, ends_colon)


#: "Đề nghị trả lời: …", "Kiến nghị được trả lời: …": a request for an answer, not one.
_ASKS_FOR_ANSWER = re.compile(r"^\W*(de\s+nghi|kien\s+nghi|yeu\s+cau|mong|xin|can)\b")
_ASKS_AT_END = re.compile(r"\b(de\s+nghi|kien\s+nghi|yeu\s+cau|mong|xin|can|duoc)\s*$")


def _intro_kind(text: str) -> str:
    folded = fold(text)
    if re.search(r"nhu\s+sau|sau\s+day|cu\s+the|gom|bao\s+gom|mot\s+so|cac\s+y\s+kien|"
                 r"y\s+kien|kien\s+nghi|van\s+de|noi\s+dung", folded):
        return "intro"
    return ""


def is_start_heading(text: str, bold: bool = False) -> int:
    """2 for a strong opinions heading, 1 for a weak one ("Thảo luận"), 0 otherwise."""
    if not heading_like(text, bold):
        return 0
    family, body = strip_marker(text.strip())
    if family == "ykien" or strip_speaker(body)[1]:
        return 0  # "Ý kiến 1:", "Bà X (số 5) phát biểu:": an opinion starts, not a section
    folded = fold(text)
    if _END_HEADING.search(folded) and not _START_STRONG.search(folded):
        return 0
    if _is_answer_heading(folded):
        return 0
    if _START_STRONG.search(folded):
        return 2
    if _START_WEAK.search(folded):
        return 1
    return 0


def is_end(text: str, bold: bool, start_family: str) -> bool:
    t = text.strip()
    folded = fold(t)
    if _END_LINE.match(folded):
        return True
    colon = t.find(":")
    if 0 < colon <= 60 and colon < len(t) - 1:  # "V. Kết luận: Hội nghị thống nhất …"
        head = t[:colon + 1]
        family, _ = strip_marker(head)
        if heading_like(head, bold) and family in ("roman", "part", start_family) and \
                _END_HEADING.search(fold(head)) and not is_start_heading(head, bold):
            return True
    if not heading_like(t, bold):
        return False
    if is_start_heading(t, bold):
        return False
    family, _ = strip_marker(t)
    if _END_HEADING.search(folded):
        return True
    if family in ("roman", "part") and family == start_family:
        return True
    letters = [c for c in t if c.isalpha()]
    return bool(letters) and family in ("none", "roman", "part") and start_family in (
        "none", "roman", "part") and sum(c.isupper() for c in letters) / len(letters) > 0.8 \
        and not re.search(r"\bve\b|linh\s+vuc", folded)


_RESOLUTION_LINE = re.compile(
    r"^(?:ket\s+luan|nghi\s+quyet|chu\s+tri\s+ket\s+luan|"
    r"hoi\s+nghi\s+(?:da\s+)?(?:nhat\s+tri|thong\s+nhat|bieu\s+quyet|thong\s+qua))\b")


def is_resolution_line(text: str) -> bool:
    """An unmarked line that starts the resolution ("Hội nghị biểu quyết thông qua …",
    "Kết luận: …"), not an intro that ends with a colon."""
    t = text.strip()
    family, body = strip_marker(t)
    # "IV. Hội nghị thống nhất …": a new part of the minutes, whatever its length
    return family in ("none", "roman", "part") and not t.endswith(":") and bool(
        _RESOLUTION_LINE.match(fold(body if family != "none" else t)))


def stated_count(text: str) -> int | None:
    m = _STATED_COUNT.search(fold(text))
    return int(m.group(1)) if m else None


def split_soft_breaks(text: str) -> list[str]:
    """A paragraph's soft line breaks: new items where the next piece starts one, else spaces."""
    if "\n" not in text:
        return [text]
    pieces = [p for p in text.split("\n")]
    out = [pieces[0]]
    for piece in pieces[1:]:
        if not piece.strip():
            continue
        fam, body = strip_marker(piece.strip())
        _, removed, _ = strip_speaker(body)
        if _ASKS_AT_END.search(fold(out[-1])):  # "… đề nghị\ntrả lời: …": one request
            out[-1] = out[-1].rstrip() + " " + piece.strip()
        elif _ANSWERER.match(piece) and not _ANSWER_WORDS.search(piece.split(":")[0]):
            out.append("Trả lời: " + piece[piece.find(":") + 1:].strip())
        elif fam != "none" or removed or _starts_answer(piece):
            out.append(piece)
        else:
            out[-1] = out[-1].rstrip() + " " + piece.strip()
    return out


def _starts_answer(text: str) -> bool:
    colon = text.find(":")
    if 0 < colon <= 120 and bool(_ANSWER_WORDS.search(text[:colon])) and bool(
            _OFFICIAL.match(text[:colon])):
        return True
    return bool(_ANSWERER.match(text))  # "Đ/c Tổ trưởng: …" after a soft line break


def clean_opinion(text: str) -> tuple[str, str]:
    """(opinion, answer cut from it): an answer in trailing parentheses or after the text."""
    response = ""
    m = _TRAILING_ANSWER.search(text) or _TRAILING_NOTE.search(text)
    if m:
        response = text[m.start():].strip().strip("()").strip()
        text = text[:m.start()]
    m = _INLINE_ANSWER.search(text)
    if m and m.start() > 20:
        response = (text[m.start():].strip() + " " + response).strip()
        text = text[:m.start()]
    text = " ".join(text.split())
    text = text.strip(" \t-–;")
    return text, response


# --- the state machine over the opinions' lines --------------------------------------------

@dataclass
class _Item:
    kind: str  # opinion / answer
    parts: list[str]
    family: str
    heading: str = ""
    speaker: bool = False
    block: bool = False  # an answer in a block after the opinions: matched by its words
    number: str = ""  # the number its first line prints


def segment_lines(lines: list[tuple[str, bool]], *, marked: bool | None = None
                  ) -> tuple[list[Opinion], dict]:
    """Opinions from the lines of the opinions section ((text, bold) in order).

    `marked`: whether opinions start with markers or speakers (None: decide from the lines;
    when none does, each paragraph is one opinion).
    """
    pieces: list[tuple[str, bool]] = []
    for text, bold in lines:
        for piece in split_soft_breaks(text):
            pieces.append((piece, bold))
    infos = [classify(t, b) for t, b in pieces]
    if marked is None:
        marked = any(i.kind in ("opinion",) and (i.family != "none" or i.speaker)
                     for i in infos)
    items: list[_Item] = []
    current: _Item | None = None
    mode = "opinion"
    opinion_family = ""
    answer_family = ""
    field_name = ""
    stated = None
    for (text, _bold), info in zip(pieces, infos, strict=True):
        if info.kind == "blank":
            continue
        if info.kind == "heading":
            folded = fold(text)
            if _is_answer_heading(folded):
                mode, current, answer_family = "answer", None, ""
                continue
            mode = "opinion"
            if not re.search(r"nhu\s+sau|cu\s+the|sau\s+day|\d", folded):
                field_name = info.body.rstrip(":").strip()
            current = None
            if stated is None:
                stated = stated_count(text)
            continue
        if info.kind == "intro":
            folded = fold(text)
            if stated is None:
                stated = stated_count(text)
            if _ANSWER_INTRO.search(folded) and not re.search(r"y\s+kien\s+(?:cua|phat)", folded):
                mode, current, answer_family = "answer", None, ""
            else:
                current = None
            continue
        if info.kind == "answer":
            item = _Item("answer", [info.body] if info.body else [], info.family)
            _attach_answer(items, item)
            current = item
            continue
        # an opinion-looking line
        starts = info.family != "none" or info.speaker
        if mode == "answer":
            official = info.speaker and _OFFICIAL_TITLE.search(info.prefix) and not \
                _SPEECH_VERB.search(info.prefix)  # "Đồng chí B – CSKV: sẽ tuần tra"
            new_opinion = (info.speaker and not official) or info.family == "ykien" or (
                starts and answer_family and opinion_family and info.family == opinion_family
                and info.family != answer_family)
            if not new_opinion:
                if starts or current is None:
                    if not answer_family:
                        answer_family = info.family
                    item = _Item("answer", [info.body], info.family, block=True)
                    _attach_answer(items, item)
                    current = item
                else:
                    current.parts.append(info.body)
                continue
            mode = "opinion"
        if info.ends_colon and not info.speaker and info.family not in ("ykien",) and \
                len(info.body.split()) <= 12:
            field_name = info.body.rstrip(":").strip()  # "a) Về vệ sinh môi trường:"
            current = None
            continue
        if marked and not starts and current is not None:
            current.parts.append(info.body)
            continue
        current = _Item("opinion", [info.body] if info.body else [], info.family, field_name,
                        info.speaker, number=marker_number(text.strip()))
        if not opinion_family:
            opinion_family = info.family
        items.append(current)
    opinions: list[Opinion] = []
    for item in items:
        joined = " ".join(p.strip() for p in item.parts if p.strip())
        if item.kind == "answer":
            target = _answered(opinions, joined) if item.block else (
                opinions[-1] if opinions else None)
            if target is not None and joined:
                target.response = (target.response + " " + joined).strip()
            continue
        text, cut = clean_opinion(joined)
        if text:
            opinions.append(Opinion(text, cut, item.heading, speaker_removed=item.speaker,
                                    number=item.number))
    return opinions, {"stated_count": stated, "marked": marked}


def _answered(opinions: list[Opinion], answer: str) -> Opinion | None:
    """The opinion a block answer is about ("Về việc đổ rác: …"): the most shared words."""
    head = answer.split(":", 1)[0] if ":" in answer[:160] else answer
    words = set(re.findall(r"\w+", fold(head))) - {"ve", "viec", "y", "kien", "cua", "va", "the"}
    if not words or not opinions:
        return None
    best, best_share = None, 0.0
    for op in opinions:
        share = len(words & set(re.findall(r"\w+", fold(op.text)))) / len(words)
        if share > best_share:
            best, best_share = op, share
    return best if best_share >= 0.5 else None


def _is_answer_heading(folded: str) -> bool:
    """'Ý kiến trả lời:', 'Đồng chí Tổ trưởng giải đáp các ý kiến:' (not 'Ý kiến của Nhân dân')."""
    return bool(_ANSWER_INTRO.search(folded)) and not re.search(
        r"y\s+kien\s+(?:cua|phat\s+bieu|dong\s+gop)\s*(?:cac\s+)?(?:dai\s+bieu|nhan\s+dan|cu\s+tri)",
        folded)


def _attach_answer(items: list[_Item], answer: _Item) -> None:
    items.append(answer)  # joined to the opinion before it when the opinions are assembled

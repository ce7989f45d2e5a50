"""Redaction of personal data in opinion text, before any opinion is shown for sharing.

Meeting minutes name the people who spoke ("ông Nguyễn Văn A, tổ 5"), and petitions carry
phone numbers, citizen ID numbers and e-mail addresses. Reports for leadership must not
repeat them. What must survive is everything that places an opinion: street names (many
are named after people: "phố Lê Đại Hành", "phố Bà Triệu"), wards, house numbers and
alleys ("ngõ 45 phố Bạch Mai", "số 12 ngách 3/15"), dates, amounts and organisations.

So the rules are deliberately narrow: a phone number has a phone shape (10 digits from
0 or +84 for mobiles, 11 for landlines such as 024 xxxx xxxx), an ID number is a 12-digit
run (CCCD) or a 9-digit one starting with 0 or following "CMND/CCCD", and a person's name is
only recognised after an honorific (ông, bà, anh, chị, cô, chú, cụ, em, bác, đồng chí) or
"Họ và tên:". Replacements are Vietnamese words in brackets, so a redacted sentence still
reads naturally ("ông [họ tên] đề nghị ...") and redacting twice changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import pandas as pd

#: The token each kind of personal data is replaced with.
REPLACEMENTS: dict[str, str] = {
    "phone": "[số điện thoại]",
    "id_number": "[số CCCD]",
    "email": "[email]",
    "name": "[họ tên]",
}

Span = tuple[int, int]

# --- numbers -----------------------------------------------------------------------------

_SEP = r"[ .\-]?"  # one optional separator between digit groups: space, dot or dash
_NOT_AFTER_DIGIT = r"(?<![\d])(?<![\d][.,])"  # not the tail of a longer number or amount
_NOT_BEFORE_DIGIT = r"(?![\d])(?![.,\-]\d)"

# Mobile: 0 + 9 digits, or +84/84 + 9 digits; the first digit after the prefix is 3,5,7,8,9
# (the 2018 numbering plan). Digits may be grouped with single spaces, dots or dashes.
_MOBILE = (
    r"(?:\+\s?84|\(\+?84\)|84|0)" + _SEP + r"[35789]" + "".join(_SEP + r"\d" for _ in range(8))
)
# Landline: 02x + 8 digits (Hà Nội 024 xxxx xxxx), also +84 24 ..., and "(024) 3869 1234".
_LANDLINE = (
    r"(?:(?:\+\s?84|84)" + _SEP + r"|0|\(0?)"
    + r"2\d\)?" + _SEP + r"\d" + "".join(_SEP + r"\d" for _ in range(7))
)
# Hà Nội and Hồ Chí Minh City landlines before 2017: 04/08 + 8 digits.
_OLD_LANDLINE = r"(?:0|\(0)[48]\)?" + "".join(_SEP + r"\d" for _ in range(8))
_PHONE_RE = re.compile(
    _NOT_AFTER_DIGIT
    + r"(?:" + _MOBILE + "|" + _LANDLINE + "|" + _OLD_LANDLINE + r")"
    + _NOT_BEFORE_DIGIT
)
# "84.500.000.000 đồng" has a phone's digits but an amount's shape: dot-grouped threes.
_AMOUNT_SHAPE_RE = re.compile(r"[1-9]\d{0,2}(?:([.,])\d{3})(?:\1\d{3})+")

# Citizen ID: 12 digits (CCCD, starting with a 0xx province code) or 9 digits (old CMND)
# starting with 0; any 9 or 12 digits that follow "CCCD", "CMND", "căn cước". Amounts are
# written with dots and do not start with 0, so they never match.
_ID12_RE = re.compile(r"(?<![\d.,])0\d{11}(?![\d])(?![.,]\d)")
_ID9_RE = re.compile(r"(?<![\d.,])0\d{8}(?![\d])(?![.,]\d)")
_ID_KEYWORD_RE = re.compile(
    r"(?:CCCD|CMND|CMTND|CMT|căn cước(?: công dân)?|chứng minh(?: nhân dân| thư)?|định danh)"
    r"(?:\s*(?:số|so|:|là|No\.?))*\s*[:\-]?\s*(\d(?:[ .]?\d){8}(?:(?:[ .]?\d){3})?)(?![\d])",
    re.IGNORECASE,
)

_EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![^\W\d_]|-)"
)

# --- names -------------------------------------------------------------------------------

#: Words that introduce a person. Longest first so "đồng chí" wins over shorter forms.
HONORIFICS: tuple[str, ...] = (
    "đồng chí", "đ/c", "ông", "bà", "anh", "chị", "cô", "chú", "cụ", "em", "bác",
)
_HONORIFIC_WORDS = frozenset(h for h in HONORIFICS if " " not in h and "/" not in h)
_HONORIFIC_RE = re.compile(
    r"(?<![^\W\d_])(?<!/)(" + "|".join(re.escape(h) for h in HONORIFICS) + r")(?![\w/])",
    re.IGNORECASE,
)
_FULL_NAME_LABEL_RE = re.compile(
    r"(?<![^\W\d_])(?:họ và tên|họ tên|họ, tên)\s*(?:người kiến nghị|người phản ánh)?\s*:\s*",
    re.IGNORECASE,
)

#: Capitalised words that follow an honorific but are titles, places, organisations or
#: ordinary words, not names: "ông Chủ tịch UBND phường", "bà Tổ trưởng", "Bà con tổ 5",
#: "các cụ Hội Người cao tuổi". Words that are also common surnames or given names (Đoàn,
#: Thanh, Trung, Trường, Công, Chính, Thành, Đại, Chi, Ngân, Cảnh) are deliberately absent:
#: a missed title costs a word, a missed name costs someone's privacy.
NOT_NAME_WORDS: frozenset[str] = frozenset(
    w.lower()
    for w in (
        "Chủ", "Phó", "Trưởng", "Tổ", "Bí", "Giám", "Thủ", "Cán", "Thiếu", "Thượng",
        "Hội", "Ban", "Ủy", "Uỷ", "UBND", "HĐND", "MTTQ", "TDP", "CA", "Đảng",
        "Phường", "Quận", "Phố", "Đường", "Ngõ", "Ngách", "Hẻm", "Khu", "Số", "Nhà", "Bệnh",
        "Sở", "Phòng", "Viện", "Tòa", "Toà", "Cục", "Mặt", "Kiểm", "Đội", "Luật",
        "Giáo", "Tổng", "Trạm", "Công ty", "Cty", "Đề", "Xin", "Cho", "Có", "Không",
        "Đã", "Đang", "Sẽ", "Và", "Với", "Của", "Ở", "Tại", "Là", "Thì", "Nhưng", "Các",
        "Những", "Mọi", "Phản", "Hỏi", "Cảm", "Rất", "Cũng", "Còn", "Này", "Đó", "Ấy",
        "Nào", "Gì", "Ạ", "Họ", "Tên", "Con", "Cháu", "Kiến", "Nêu", "Yêu", "Về",
        "Đến", "Từ", "Trong", "Khi", "Vì", "Nên", "Được", "Bị", "Phải", "Nay",
    )
)

#: Proper nouns that begin with an honorific: streets, the district, temples, Hồ Chí Minh.
PROPER_NOUNS_WITH_HONORIFIC: tuple[str, ...] = (
    "Hai Bà Trưng", "Bà Triệu", "Bà Huyện Thanh Quan", "Ông Ích Khiêm", "Bà Kiệu",
    "Bác Hồ", "Cô Giang", "Cô Bắc", "Bà Chúa Kho", "Bà Đen", "Ông Tượng", "Chú Cuội",
)
#: Words before an honorific that make it part of a place name: "phố Bà Triệu".
_PLACE_WORDS = (
    "phố", "đường", "ngõ", "ngách", "hẻm", "phường", "quận", "chợ", "đền", "chùa", "miếu",
    "đình", "khu", "trường", "tòa", "toà", "nhà", "cầu", "hồ", "vườn hoa", "công viên",
    "tượng đài", "tuyến", "số",
)
_PLACE_BEFORE_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(w) for w in _PLACE_WORDS) + r")\s+$", re.IGNORECASE
)
_WORD_RE = re.compile(r"[^\W\d_]+")  # a run of letters
_NEXT_WORD_RE = re.compile(r"[ \t]+([^\W\d_]+)")  # spaces, then a run of letters

#: Surnames that, written in lower case after an honorific, still start a full name
#: ("ông nguyễn văn an"). The first set is never an everyday word there; the second is
#: one too ("ông lưu ý", "bà lương hưu", "anh đỗ xe", "chị đoàn viên"), so it counts only
#: before a middle name ("ông lưu văn an"). Surnames that are mostly other words after
#: an honorific ("cụ cao tuổi", "ông mai về", "anh lý giải") are in neither.
LOWER_CASE_SURNAMES: frozenset[str] = frozenset((
    "nguyễn", "trần", "lê", "phạm", "huỳnh", "vũ", "võ", "đặng", "bùi", "ngô", "trịnh",
    "trương", "phùng", "quách", "nghiêm", "khuất",
))
LOWER_CASE_SURNAMES_BEFORE_MIDDLE: frozenset[str] = frozenset((
    "hoàng", "phan", "dương", "đoàn", "lương", "vương", "kiều", "đàm", "lưu", "tạ", "hồ",
    "đỗ", "đinh",
))
#: Middle names that mark the word before as a surname ("trần thị hoa", "lê văn nam").
_MIDDLE_NAMES = frozenset((
    "văn", "thị", "đức", "hữu", "quang", "minh", "ngọc", "thanh", "xuân", "thu", "kim",
    "công", "đình", "huy", "tiến", "mạnh", "quốc", "bá", "trọng", "duy", "anh", "hồng",
    "nhật", "thế", "gia", "bảo", "khánh", "hoài", "phương", "việt", "hải", "thành",
    "trung", "đăng", "như", "mỹ", "bích", "diệu", "phúc", "hoàng",
))
#: Lower-case words that end a lower-case name: what people say right after one.
_AFTER_NAME_WORDS = frozenset((
    "đề", "nghị", "phản", "ánh", "hỏi", "nói", "cho", "rằng", "là", "ở", "tại", "có",
    "đã", "đang", "sẽ", "và", "với", "của", "thì", "nhưng", "cũng", "được", "bị", "kiến",
    "nêu", "trình", "bày", "tổ", "số", "ngõ", "ngách", "phố", "phường", "nhà", "trưởng",
    "phó", "bí", "thư", "chủ", "tịch", "cán", "bộ", "ý", "về", "xin", "đến", "không",
    "rất", "mới", "vừa", "hiện", "nay", "khi", "vì", "nên", "yêu", "cầu", "thắc", "mắc",
    "phát", "biểu", "họp", "góp", "tham", "dự", "nhắc", "trả", "lời", "đồng", "nhất",
    "trí", "chia", "sẻ", "gửi", "mong", "muốn", "cảm", "ơn", "báo", "đại", "diện", "thay",
    "mặt", "cùng", "đi", "về", "lại", "còn", "thấy", "đây", "đó", "này", "ấy",
))
#: Words that make a surname-like word after an honorific an ordinary expression:
#: "anh nghiêm túc", "ông trịnh trọng", "em phạm lỗi", "bà lê bước", "anh võ sư".
_NOT_AFTER_SURNAME = frozenset((
    "túc", "khắc", "chỉnh", "cấm", "trọng", "lỗi", "tội", "pháp", "luật", "quy", "tình",
    "bước", "từng", "la", "núi", "biển", "sư", "vàng", "thuật", "trường", "trụ", "ngùi",
    "nghê", "ngơ", "ngọng", "vẽ",
))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _name_after(
    text: str, start: int, *, label: bool = False, max_words: int = 5,
    avoid: Iterable[Span] = (),
) -> Span | None:
    """The span of the words that form a name starting at `start`, if any.

    After an honorific only capitalised words count ("bà con" is not a name), or a name
    typed in lower case that starts with a known surname (:func:`_lower_case_name`), and
    the name stops at the first title, place or ordinary word. After "Họ và tên:" (label=True)
    lower-case names count too, since the field holds nothing else.
    """
    pos = start
    words: list[Span] = []
    first_capitalised = False
    while len(words) < max_words:
        gap = re.match(r"[ \t]+", text[pos:]) if not (label and not words) else None
        gap_len = gap.end() if gap else 0
        if not (label and not words) and gap_len == 0:
            break  # words of a name are separated by spaces; punctuation ends it
        m = _WORD_RE.match(text, pos + gap_len)
        if m is None:
            break
        word = m.group()
        low = word.lower()
        if low in NOT_NAME_WORDS or (low in _HONORIFIC_WORDS and (not words or low != "anh")):
            break  # "ÔNG BÀ", "Anh Chị Em": honorifics, not a name (but "cô Mai Anh" is one)
        if any(a <= m.start() < b for a, b in avoid):
            break  # "Hai Bà Trưng" after a name is a place, not more of the name
        if not _is_capitalised(word) and (not label or (words and first_capitalised)):
            break  # after "Họ tên: Đỗ Huy" a lower-case word is the next thing, not the name
        if not words:
            first_capitalised = _is_capitalised(word)
        words.append((m.start(), m.start() + len(word)))
        pos = m.start() + len(word)
    if not words and not label:
        words = _lower_case_name(text, pos)
    if not words:
        return None
    return words[0][0], words[-1][1]


def _lower_case_name(text: str, pos: int) -> list[Span]:
    """A full name typed in lower case after an honorific: "ông nguyễn văn an".

    Only a known surname starts one (some only before a middle name), and not when the
    next word makes it an ordinary expression ("anh nghiêm túc", "em phạm lỗi"). After a
    middle name the next word is always part of the name ("bà nguyễn thị thư", "ông phạm
    đức anh"); a fourth word only if it is not what people say next ("ông hoàng văn minh
    phát biểu"). Without a middle name the name is the surname and one more word.
    """
    words: list[str] = []
    spans: list[Span] = []
    while len(words) < 4:
        m = _NEXT_WORD_RE.match(text, pos)
        if m is None:
            break
        low = m.group(1).lower()
        after_middle = len(words) == 2 and words[1] in _MIDDLE_NAMES
        if not words:
            if low not in LOWER_CASE_SURNAMES and low not in LOWER_CASE_SURNAMES_BEFORE_MIDDLE:
                return []
        elif len(words) == 1 and (
            low in _NOT_AFTER_SURNAME
            or (words[0] in LOWER_CASE_SURNAMES_BEFORE_MIDDLE and low not in _MIDDLE_NAMES)
        ):
            return []
        elif not after_middle and (
            low in _AFTER_NAME_WORDS or low in NOT_NAME_WORDS or low in _HONORIFIC_WORDS
        ):
            break
        words.append(low)
        spans.append(m.span(1))
        pos = m.end()
        if len(words) >= 2 and low not in _MIDDLE_NAMES:
            break  # the given name ends it
    return spans if len(spans) >= 2 else []


def _proper_noun_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    for p in PROPER_NOUNS_WITH_HONORIFIC:
        for m in re.finditer(r"(?<!\w)" + re.escape(p) + r"(?!\w)", text):
            spans.append(m.span())
    return spans


def _name_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    proper = _proper_noun_spans(text)
    for m in _FULL_NAME_LABEL_RE.finditer(text):
        span = _name_after(text, m.end(), label=True, avoid=proper)
        if span:
            spans.append(span)
    for m in _HONORIFIC_RE.finditer(text):
        if any(a <= m.start() < b for a, b in proper):
            continue  # "phố Bà Triệu", "quận Hai Bà Trưng", "Bác Hồ"
        if _PLACE_BEFORE_RE.search(text[max(0, m.start() - 20): m.start()]):
            continue  # "đường Cô Giang": an honorific inside a place name
        span = _name_after(text, m.end(), avoid=proper)
        if span:
            spans.append(span)
    return spans


def _number_spans(text: str) -> list[tuple[str, Span]]:
    found: list[tuple[str, Span]] = []
    for m in _EMAIL_RE.finditer(text):
        found.append(("email", m.span()))
    for m in _ID_KEYWORD_RE.finditer(text):
        found.append(("id_number", m.span(1)))
    for m in _ID12_RE.finditer(text):
        found.append(("id_number", m.span()))
    for m in _PHONE_RE.finditer(text):
        if not _AMOUNT_SHAPE_RE.fullmatch(m.group()):
            found.append(("phone", m.span()))
    for m in _ID9_RE.finditer(text):
        found.append(("id_number", m.span()))
    return found


def _resolve(text: str, found: Iterable[tuple[str, Span]]) -> list[tuple[str, Span]]:
    """Drop spans that overlap an earlier-listed (higher-priority) one; names are cut short."""
    kept: list[tuple[str, Span]] = []
    for kind, (a, b) in found:
        for _, (ka, kb) in kept:
            if a < kb and ka < b and kind == "name" and a < ka:
                b = ka  # a name running into an e-mail or number: keep the part before it
                while b > a and text[b - 1].isspace():
                    b -= 1
        if any(a < kb and ka < b for _, (ka, kb) in kept) or a >= b:
            continue
        kept.append((kind, (a, b)))
    return sorted(kept, key=lambda x: x[1])


def find_personal_data(text: str) -> list[tuple[str, Span]]:
    """Every piece of personal data in `text` as (kind, (start, end)), in reading order.

    Kinds: "email", "id_number", "phone", "name". Spans index the NFC form of the text
    (opinions are NFC already). A name span covers the name only, not its honorific.
    """
    if not isinstance(text, str) or not text:
        return []
    text = _nfc(text)
    found = _number_spans(text)
    found += [("name", s) for s in _name_spans(text)]
    return _resolve(text, found)


def redact(text: str) -> str:
    """`text` with phone numbers, ID numbers, e-mails and people's names replaced.

    >>> redact("Ông Nguyễn Văn An (0912 345 678) ở ngõ 45 phố Bạch Mai")
    'Ông [họ tên] ([số điện thoại]) ở ngõ 45 phố Bạch Mai'
    """
    if not isinstance(text, str):
        return text
    text = _nfc(text)
    out: list[str] = []
    last = 0
    for kind, (a, b) in find_personal_data(text):
        out.append(text[last:a])
        out.append(REPLACEMENTS[kind])
        last = b
    out.append(text[last:])
    return "".join(out)


def redact_series(s: pd.Series) -> pd.Series:
    """`redact` on every text of a Series; missing values stay missing."""
    return s.map(redact, na_action="ignore")

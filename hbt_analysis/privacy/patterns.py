"""Personal data with a shape: phone, ID, passport and tax numbers, bank accounts, e-mails,
social handles and links, vehicle plates, dates of birth and house or flat numbers.

Each finder takes the text twice, as it is (`text`, spaces unified) and folded (`low`:
lower case, no diacritics, same length), and returns `(kind, start, end)` triples. Keyword
rules read `low`, so "số nhà", "so nha" and "SỐ NHÀ" are one; shape rules read `text`.

What stays: amounts ("84.500.000 đồng"), dates that are not a birth date, alleys and streets
("ngõ 259 phố Vọng", "ngách 15/2"), residential groups ("tổ dân phố số 8"), hotlines
(1900 ..., 113) and building names ("nhà B5", "tòa T2").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

Hit = tuple[str, int, int]

_SEP = r"[ .\-]?"  # one optional separator between digit groups: space, dot or dash
_NOT_AFTER_DIGIT = r"(?<![\d])(?<![\d][.,])"  # not the tail of a longer number or amount
_NOT_BEFORE_DIGIT = r"(?![\d])(?![.,\-]\d)"


def _digits(n: int) -> str:
    return "".join(_SEP + r"\d" for _ in range(n))


# Mobile: 0 + 9 digits (first 3,5,7,8,9), or +84/84; old 11-digit mobiles 01x + 8 digits.
_MOBILE = r"(?:\+\s?84(?:\s?\(0\))?|\(\+?84\)|84|0)" + _SEP + r"[35789]" + _digits(8)
_OLD_MOBILE = r"(?:(?:\+\s?84|84)" + _SEP + r"|0)1" + _SEP + r"[2-9]" + _digits(8)
# Landline: 02x + 8 digits (Hà Nội 024 xxxx xxxx), also +84 24 ..., "(024) 3869 1234".
_LANDLINE = r"(?:(?:\+\s?84|84)" + _SEP + r"|0|\(0?)" + r"2\d\)?" + _SEP + r"\d" + _digits(7)
_OLD_LANDLINE = r"(?:0|\(0)[48]\)?" + _digits(8)  # before 2017: 04/08 + 8 digits
PHONE_RE = re.compile(
    _NOT_AFTER_DIGIT
    + r"(?:" + "|".join((_MOBILE, _OLD_MOBILE, _LANDLINE, _OLD_LANDLINE)) + r")"
    + _NOT_BEFORE_DIGIT
)
# "84.500.000.000 đồng" has a phone's digits but an amount's shape: dot-grouped threes.
_AMOUNT_SHAPE_RE = re.compile(r"[1-9]\d{0,2}(?:([.,])\d{3})(?:\1\d{3})+")

# Citizen ID: 12 digits from 0 (province code), grouped or not; 9 digits from 0 (old CMND).
_ID12_RE = re.compile(r"(?<![\d.,])0\d\d" + _digits(9) + r"(?![\d])(?![.,]\d)")
_ID9_RE = re.compile(r"(?<![\d.,])0\d{8}(?![\d])(?![.,]\d)")
_KEYWORD_TAIL = r"(?:\s*(?:so|:|la|no\.?|#)\b)*\s*[:\-]?\s*"
_ID_KEYWORD_RE = re.compile(
    r"\b(?:cccd|cmnd|cmtnd|cmt|can cuoc(?: cong dan)?|chung minh(?: nhan dan| thu)?"
    r"|(?:so|ma) dinh danh(?: ca nhan)?|dinh danh ca nhan|gplx|giay phep lai xe|bang lai(?: xe)?)"
    + _KEYWORD_TAIL + r"(\d(?:[ .\-]?\d){8}(?:(?:[ .\-]?\d){3})?)(?![\d])"
)
_INSURANCE_RE = re.compile(  # social and health insurance numbers: personal too
    r"\b(?:(?:ma )?so bhxh|ma bhxh|so so bhxh|(?:ma |so )?the bhyt|ma bhyt"
    r"|so bao hiem xa hoi|ma so bao hiem xa hoi)" + _KEYWORD_TAIL
    + r"([a-z]{0,2}\d{8,13})(?![\d])"
)
_PASSPORT_RE = re.compile(
    r"\b(?:ho chieu|passport)" + _KEYWORD_TAIL + r"([a-z] ?\d{7,8})\b"
)
_PASSPORT_SHAPE_RE = re.compile(r"(?<![\w.])[BCNPK]\d{7}(?![\w])")
_TAX_RE = re.compile(
    r"\b(?:mst|ma so thue|ma thue)(?: ca nhan| doanh nghiep| cua ho kinh doanh)?"
    + _KEYWORD_TAIL + r"(\d(?:[ .]?\d){9}(?:-\d{3})?)(?![\d])"
)
_BANK_RE = re.compile(
    r"\b(?:stk|so tk|so tai khoan|tai khoan(?: ngan hang| ca nhan| so)?|tk)"
    + _KEYWORD_TAIL
    + r"(?:(?:tai|ngan hang|nh)\s+)?(?:[a-z][a-z]{1,14}\s+){0,2}"
    r"(\d(?:[ .\-]?\d){7,18})(?![\d])"
)
EMAIL_RE = re.compile(
    r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![^\W\d_]|-)"
)
# Links to a personal page on a social network; handles written "@name".
_SOCIAL_URL_RE = re.compile(
    r"(?:https?://)?(?:www\.|m\.|web\.)?"
    r"(?:facebook\.com|fb\.com|fb\.me|zalo\.me|tiktok\.com|instagram\.com|youtube\.com"
    r"|twitter\.com|x\.com|t\.me|threads\.net)/[^\s,;()\[\]<>\"']+",
    re.IGNORECASE,
)
_HANDLE_RE = re.compile(r"(?<![\w.@#\]])@[A-Za-z0-9_.]{3,30}(?<!\.)")
# "zalo: Lan Bánh Cuốn", "facebook Tuan Pham Hbt", "nick fb: Hoa Nguyen": the display name.
_SOCIAL_NAME_RE = re.compile(
    r"\b(?:zalo|facebook|face|fb|nick(?: fb| facebook| zalo)?|tiktok|instagram|telegram|viber"
    r"|tai khoan (?:zalo|facebook|fb|tiktok))(?: ca nhan| ten| la)?\s*[:\-]?\s*"
    r"[\"“'‘]?(?=[^\W\d_])"
)
_CAP_WORD_RE = re.compile(r"[^\W\d_][^\W\d_'’]*")

# Vehicle plates: 29A-123.45, 29-B1 12345, 30E1-234.56, 30F 112.34, 29LD-12345.
PLATE_RE = re.compile(
    r"(?<![\w.\-/])\d{2}\s?-?\s?[A-Z]{1,2}\d?(?:\s?[-.]\s?|\s)?(?:\d{3}\.\d{2}|\d{4,5})(?![\w])"
)

_DATE = r"\d{1,2}\s?[/\-.]\s?\d{1,2}\s?[/\-.]\s?(?:19|20)?\d{2}"
_YEAR = r"(?:19|20)\d{2}"
_DOB_RE = re.compile(
    r"(?<!ve )(?<!hoc )(?<!phat )(?<!thi )(?<!ky )(?<!hy )(?<!nu )(?<!tai )"
    r"\b(?:sinh ngay|ngay sinh|ngay,? thang,? nam sinh|sinh thang|sinh nam|nam sinh|sinh"
    r"|sn|ns)\b\s*[:\-]?\s*(?:ngay\s+|nam\s+)?"
    r"(" + _DATE + r"|" + _YEAR + r")(?![\d/])"
)

# House, flat, room and kiosk numbers. Explicit words first, then "số N" and a bare number
# only where what follows or precedes makes them an address ("số 7 ngách 15/2", "ở 12 ngõ 46").
_NUM = r"\d{1,4}[a-z]?(?:[/\-]\d{1,4}[a-z]?)?"
_HOUSE_EXPLICIT_RE = re.compile(
    r"\b(?:so nha(?: so)?|(?<!toa )nha so|can ho(?: so)?|can so|ki[- ]?ot(?: so)?|sn)"
    r"\s*[:.]?\s*(" + _NUM + r")(?![\w/])"
    r"|\bcan\s+(\d{3,4}[a-z]?)(?![\w/])"  # "căn 1506"
)
_ROOM_RE = re.compile(r"\b(?:p\.\s?|phong\s+(?:so\s+)?)(\d{3,4}[a-z]?)(?![\w/])")
_ROOM_SHORT_RE = re.compile(r"(?<![\w.])P(\d{3,4})(?![\w/])")  # "P405 nhà A3"
_ALLEY_AFTER = r"(?=\s*[,(]?\s*(?:ngo|ngach|hem|kiet|pho|duong|p\.|phong|to\s+\d|khu|tap the))"
_SO_RE = re.compile(r"\bso\s+(" + _NUM + r")(?![\w/])")
_BARE_STREET_RE = re.compile(  # "ở 12B Lò Đúc": a number, then a street's name
    r"(?:\b(?:ở|tại|trú tại|địa chỉ|Địa chỉ|sống tại)\s*:?\s+)(\d{1,4}[A-Za-z]?)"
    r"(?=\s+(?:phố\s+|đường\s+)?[A-ZĐ][^\W\d_]*\s+[A-ZĐ])"
)
_BARE_RE = re.compile(
    r"(?:\b(?:o|tai|tru tai|dia chi|nha o|song tai|cu tru tai)\s*:?\s+)(" + _NUM
    + r")(?=\s+(?:ngo|ngach|hem|kiet|pho|duong)\b)"
)
_NHA_RE = re.compile(
    r"\bnha\s+(\d{1,4}[a-z]?)(?![\w/])(?=\s*[,)]|\s+(?:ngo|ngach|hem|kiet|pho|duong)\b|\s*$)"
)
_HO_SO_RE = re.compile(r"\b[Hh]ộ số\s+(" + _NUM + r")(?![\w/])")
#: Words before "số N" that make it a group, team, route or document number, not a house.
_NOT_HOUSE_BEFORE = re.compile(
    r"(?:\bto|to dan pho|tdp|doi|tuyen|cum|khu|phuong|quan|quyet dinh|cong van|van ban"
    r"|thong bao|ke hoach|bien ban|bao cao|nghi quyet|chi thi|giay|the|ban|lo|so|ve|muc"
    r"|dieu|khoan|lan|ky|thang|nam|ngay|tang|cong|cua|ban|xe|tuyen xe|chuyen|giai"
    r"|nhom|doan|chi hoi|chi bo|truong|lop|hop|thung|cot|toa nha)\s*$"
)
_HOUSE_BEFORE = re.compile(
    r"(?:\b(?:o|tai|tru tai|dia chi|nha|ho|nha o|can|song tai|cu tru tai)\s*:?\s*$"
    r"|(?:^|\n)\s*(?:\d+\.\s*)?[^\n]{0,60}?\s[-–]\s*$|[-–(]\s*$)"
)


# A local 8-digit landline, only after a word that says it is a phone number.
_LOCAL_PHONE_RE = re.compile(
    r"\b(?:sdt|dt|dien thoai|so may|may ban|so may ban)\s*[:.]?\s*(\d{2}(?:[ .]?\d){6})(?![\d])"
)


def phones(text: str, low: str) -> Iterator[Hit]:
    for m in PHONE_RE.finditer(text):
        if not _AMOUNT_SHAPE_RE.fullmatch(m.group()):
            yield "phone", m.start(), m.end()
    for m in _LOCAL_PHONE_RE.finditer(low):
        yield "phone", m.start(1), m.end(1)


def id_numbers(text: str, low: str) -> Iterator[Hit]:
    for m in _ID_KEYWORD_RE.finditer(low):
        yield "id_number", m.start(1), m.end(1)
    for m in _INSURANCE_RE.finditer(low):
        yield "id_number", m.start(1), m.end(1)
    for rx in (_ID12_RE, _ID9_RE):
        for m in rx.finditer(text):
            yield "id_number", m.start(), m.end()


def passports_and_tax(text: str, low: str) -> Iterator[Hit]:
    for m in _PASSPORT_RE.finditer(low):
        yield "passport", m.start(1), m.end(1)
    for m in _PASSPORT_SHAPE_RE.finditer(text):
        yield "passport", m.start(), m.end()
    for m in _TAX_RE.finditer(low):
        yield "tax_id", m.start(1), m.end(1)


def bank_accounts(text: str, low: str) -> Iterator[Hit]:
    for m in _BANK_RE.finditer(low):
        digits = re.sub(r"\D", "", m.group(1))
        if len(digits) >= 8:
            yield "bank_account", m.start(1), m.end(1)


_SOCIAL_WORDS = ("zalo", "face", "fb", "nick", "tiktok", "instagram", "telegram", "viber")


def emails_and_social(text: str, low: str) -> Iterator[Hit]:
    if "@" in text:
        for m in EMAIL_RE.finditer(text):
            yield "email", m.start(), m.end()
        for m in _HANDLE_RE.finditer(text):
            yield "social", m.start(), m.end()
    if "/" in text:
        for m in _SOCIAL_URL_RE.finditer(text):
            end = m.end()
            while end > m.start() and text[end - 1] in ".,:;!?":
                end -= 1
            yield "social", m.start(), end
    if not any(w in low for w in _SOCIAL_WORDS):
        return
    for m in _SOCIAL_NAME_RE.finditer(low):
        span = _display_name(text, m.end())
        if span:
            yield "social", *span


def _display_name(text: str, pos: int) -> tuple[int, int] | None:
    """Capitalised words from `pos`: a display name ("Tuan Pham Hbt", "Lan Bánh Cuốn")."""
    start, end, count = pos, pos, 0
    while count < 5:
        m = _CAP_WORD_RE.match(text, pos)
        if m is None or not m.group()[0].isupper():
            break
        end, count = m.end(), count + 1
        if text[end:end + 1] != " " or not text[end + 1:end + 2].isalpha():
            break
        pos = end + 1
    return (start, end) if count else None


_PLATE_WORD_RE = re.compile(r"(?:bien so|bien kiem soat|bks|xe|o to|xe may|taxi)\s*(?:xe\s*)?"
                            r"(?:so\s*)?[:\-]?\s*$")


def plates(text: str, low: str) -> Iterator[Hit]:
    for m in PLATE_RE.finditer(text):
        # "lớp 10A 2024" is not a plate: a plate has a dash or a dot, or follows "biển số"
        if "-" in m.group() or "." in m.group() or _PLATE_WORD_RE.search(
                low[max(0, m.start() - 25):m.start()]):
            yield "plate", m.start(), m.end()


def dates_of_birth(text: str, low: str) -> Iterator[Hit]:
    for m in _DOB_RE.finditer(low):
        if low[m.start():m.start() + 2] in ("sn", "ns") and (
            text[m.start():m.start() + 2] not in ("SN", "NS")
        ):
            continue  # only the upper-case abbreviations SN / NS mean "sinh năm"
        yield "dob", m.start(1), m.end(1)


def houses(text: str, low: str) -> Iterator[Hit]:
    """House, flat, room and kiosk numbers with their word ("số nhà 12", "P.305")."""
    for m in _HOUSE_EXPLICIT_RE.finditer(low):
        if low.startswith("sn", m.start()) and re.fullmatch(r"(?:19|20)\d\d", m.group(1)):
            continue  # SN 1962: a year of birth
        yield "house", m.start(), m.end()
    for rx in (_ROOM_RE, _NHA_RE):
        for m in rx.finditer(low):
            yield "house", m.start(), m.end()
    for m in _ROOM_SHORT_RE.finditer(text):
        yield "house", m.start(), m.end()
    for m in _HO_SO_RE.finditer(text):
        yield "house", m.start(), m.end()
    for m in _SO_RE.finditer(low):
        before = low[max(0, m.start() - 80):m.start()]
        if _NOT_HOUSE_BEFORE.search(before):
            continue
        after_alley = re.match(_ALLEY_AFTER, low[m.end():])
        if after_alley or _HOUSE_BEFORE.search(before):
            yield "house", m.start(), m.end()
    for m in _BARE_RE.finditer(low):
        yield "house", m.start(1), m.end(1)
    for m in _BARE_STREET_RE.finditer(text):
        yield "house", m.start(1), m.end(1)


FINDERS = (emails_and_social, id_numbers, passports_and_tax, bank_accounts, phones, plates,
           dates_of_birth, houses)


def find(text: str, low: str) -> list[Hit]:
    """Every shaped item, in the order of FINDERS (earlier wins an overlap)."""
    return [hit for finder in FINDERS for hit in finder(text, low)]

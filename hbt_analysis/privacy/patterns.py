"""Personal data with a shape: phone, ID, passport and tax numbers, bank accounts, e-mails,
social handles and links, vehicle plates, dates of birth and house or flat numbers, and any
other run of nine or more digits (kind "number": whatever word goes before it, a number that
long names someone).

Each kind is found by its own shape and by the words that announce it, with a few words
allowed between ("hộ chiếu Hàn Quốc số M12345678", "MST chi nhánh: 0102030405-001"); a bank
account also by the bank's name beside it, before or after (`resources/names/banks.txt`).

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
from functools import cache

from . import lexicon

Hit = tuple[str, int, int]

_SEP = r"[ .\-]?"  # one optional separator between digit groups: space, dot or dash
_NOT_AFTER_DIGIT = r"(?<![\d])(?<![\d][.,])"  # not the tail of a longer number or amount
_NOT_BEFORE_DIGIT = r"(?![\d])(?![.,\-]\d)"


def _digits(n: int) -> str:
    return "".join(_SEP + r"\d" for _ in range(n))


# Mobile: 0 + 9 digits (first 3,5,7,8,9), or +84/84; old 11-digit mobiles 01x + 8 digits.
_INTL = r"(?:\+\s?84(?:\s?\(0\))?|\(\+?84\)|0084|84)"  # +84, (+84), 0084, 84
_MOBILE = r"(?:" + _INTL + r"|0)" + _SEP + r"[35789]" + _digits(8)
_OLD_MOBILE = r"(?:" + _INTL + _SEP + r"|0)1" + _SEP + r"[2-9]" + _digits(8)
# Landline: 02x + 8 digits (Hà Nội 024 xxxx xxxx), also +84 24 ..., "(024) 3869 1234".
_LANDLINE = r"(?:" + _INTL + _SEP + r"|0|\(0?)" + r"2\d\)?" + _SEP + r"\d" + _digits(7)
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
# A few words may stand between a keyword and its number: "hộ chiếu Hàn Quốc số M12345678",
# "MST chi nhánh: 0102030405-001", "tài khoản Vietinbank số 1088 6543 2109".
_FILLER = r"\)?(?:\s*[,(]?\s*(?!so\b)[a-z][a-z\-]*\b\)?\.?){0,5}?" + _KEYWORD_TAIL
# Passports: a letter or two and 7-8 digits (Vietnamese C1234567, Korean M12345678,
# Japanese TZ1234567), 9 digits (American); without a keyword, one capital and 7 digits.
_PASSPORT_RE = re.compile(
    r"\b(?:ho chieu|passport|hc(?=\s*(?:so\b|:|[a-z]{1,2} ?\d{6})))" + _FILLER
    + r"([a-z]{1,2} ?-?\d{6,9}|\d{8,9})(?![\w])"
)
_PASSPORT_SHAPE_RE = re.compile(r"(?<![\w.\-/])[A-Z]\d{7}(?![\w])(?![.,\-/]\d)")
# Tax codes: 10 digits, a branch's 10-3 ("0102030405-001"), a person's 12-digit ID number;
# the enterprise code and the business registration number are the same number.
_TAX_RE = re.compile(
    r"\b(?:mst|msdn|ma so thue|ma thue|ma so doanh nghiep|ma doanh nghiep|ma so dn"
    r"|ma so ho kinh doanh|(?:so )?(?:giay )?(?:chung nhan )?dang ky (?:kinh doanh|doanh nghiep"
    r"|ho kinh doanh)|(?:so )?dkkd|so gcn dkkd)\b" + _FILLER
    + r"(\d(?:[ .\-]?\d){9}(?: ?[-–] ?\d{3})?|\d{12}|\d{2}[a-z]\d{6,8})(?![\w])"
)
_TAX_SHAPE_RE = re.compile(r"(?<![\w.,\-/])\d{10} ?[-–] ?\d{3}(?![\w\-/])")
# Bank accounts: 6 to 19 digits grouped any way, after an account word or a bank's name, or
# before the bank's name ("1020 3040 5060 tại Vietinbank").
_ACCOUNT_WORD_RE = re.compile(
    r"\b(?:(stk|so tk|so tai khoan|tai khoan|tk|chu tk|chu tai khoan)|(ngan hang|nh|chuyen khoan"
    r"|ck|vi dien tu))\b"
)
_RUN_RE = re.compile(r"(?<![\w.,])\d(?:[ .\-]?\d)*(?![\w])")
_SENTENCE_END_RE = re.compile(r"[;!?\n]|\.(?:\s|$)")
#: What follows an amount or a count, not an account: "500000 đồng", "12000000 người".
_UNIT_AFTER_RE = re.compile(
    r"\s*(?:d\b|dong|vnd|trieu|ty|nghin|ngan\b(?! hang)|usd|\$|%|m2|m²|m\b|km|kg|nguoi|ho\b|luot"
    r"|suat|tan\b|lit|kw)"
)
_NOT_ACCOUNT_FILLER = re.compile(r"\b(?:zalo|facebook|fb|dien thoai|sdt|dt|cccd|cmnd|mst"
                                 r"|ma so thue|ho chieu)\b")


@cache
def _bank_name_re() -> re.Pattern[str]:
    names = "|".join(sorted((re.escape(n) for n in lexicon.banks()), key=len, reverse=True))
    return re.compile(r"\b(?:" + names + r")\b")


@cache
def _before_bank_re() -> re.Pattern[str]:
    names = "|".join(sorted((re.escape(n) for n in lexicon.banks()), key=len, reverse=True))
    return re.compile(r"(?<![\w.,])(\d(?:[ .\-]?\d){7,18})(?![\w])\s*[-–(,:]?\s*"
                      r"(?:(?:tai|o|qua|cua)\s+)?(?:ngan hang\b|nh\s+[a-z]|(?:" + names + r")\b)")
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
    r"|(?:kenh )?youtube"
    r"|tai khoan (?:zalo|facebook|fb|tiktok))(?: ca nhan| ten| la)?\s*[:\-]?\s*"
    r"[\"“'‘]?(?=[^\W\d_])"
)
_CAP_WORD_RE = re.compile(r"[^\W\d_][^\W\d_'’]*")

# Vehicle plates: province code, series, number. Cars 30A-123.45, 30E-12345, 30H 123 45;
# motorbikes 29-B1 123.45, 29B1-56789, 29 X5 0123; under 50 cc 29AA-012.34; electric
# motorbikes 29MĐ1-012.34; diplomatic 80NG-123-45. Typed in lower case too ("29e2 098.76").
PLATE_RE = re.compile(
    r"(?<![\w.\-/])\d{2} ?[-.]? ?([A-Za-zĐđ]{1,2}\d?)(?: ?[-.] ?| )?"
    r"(\d{3}[. \-]\d{2}|\d{4,5})(?![\w])(?![.,\-/]\d)"
)

_YEAR4 = r"(?:19|20)\d{2}"
_CAN_CHI = (r"(?:giap|at|binh|dinh|mau|ky|canh|tan|nham|quy)\s+"
            r"(?:ty|suu|dan|mao|meo|thin|ti|ngo|mui|than|dau|tuat|hoi)")
_DAY = r"(?:ngay\s+)?(?:(?:mong|mung)\s+)?"
_DOB_VALUE = "|".join((
    _YEAR4 + r"-\d{1,2}-\d{1,2}",  # 1985-11-20
    r"(?:ngay\s+)?\d{1,2}\s?[/\-.]\s?\d{1,2}\s?[/\-.]\s?(?:" + _YEAR4 + r"|\d{2})",  # 5/3/1950
    _DAY + r"\d{1,2}\s+thang\s+\d{1,2}\s*,?\s*(?:nam\s+)?" + _YEAR4,  # 5 tháng 3 năm 1950
    r"(?:thang\s+)?\d{1,2}\s?[/\-.]\s?" + _YEAR4,  # tháng 8/2017
    r"thang\s+\d{1,2}\s*,?\s*(?:nam\s+)?" + _YEAR4,  # tháng 8 năm 2017
    r"(?:nam\s+)?(?:" + _CAN_CHI + r"\s*\(?\s*)?" + _YEAR4,  # 1985, "Bính Tý 1936"
))
_DOB_RE = re.compile(
    r"(?<!ve )(?<!hoc )(?<!phat )(?<!thi )(?<!ky )(?<!hy )(?<!nu )(?<!tai )(?<!tuyen )"
    r"(?<!chieu )(?<!an )(?<!khai )(?<!dan )(?<!hoi )(?<!giang )(?<!hi )"
    r"\b(?:sinh ngay|ngay sinh|ngay,? thang,? nam sinh|sinh thang|sinh nam|nam sinh"
    r"|sinh (?:ra )?vao(?: ngay| thang| nam)?|sinh ra(?: ngay| thang| nam)?|sinh|sn|ns"
    r"|dob|d\.o\.b)(?:\b|(?=\d))\.?\s*[:\-]?\s*(?:la\s+)?(" + _DOB_VALUE + r")(?![\d/])(?![.\-]\d)"
    r"(?!\s*(?:tro (?:ve|len|xuong|di)|den (?:nam )?\d))"  # "sinh năm 1950 trở về trước"
)
_DOB_LOOSE_RE = re.compile(  # "ngày sinh của cháu là 12/3/2018": a full date, words between
    r"\b(?:ngay sinh|nam sinh)(\s+cua(?:\s+[a-z]+){1,3}?(?:\s+la)?|\s+la)\s*[:\-]?\s*"
    r"(\d{1,2}\s?[/\-.]\s?\d{1,2}\s?[/\-.]\s?(?:19|20)\d{2})(?![\d/])"
)
_DOB_SHORT_YEAR_RE = re.compile(  # "sinh năm 85", "sinh năm '62"
    r"\bsinh nam\s*[:\-]?\s*('?\d{2})(?![\d/.,])(?!\s*(?:tuoi|nguoi|ho\b|thang|ngay|lan))"
)

# House, flat, room and kiosk numbers. Explicit words first, then "số N" and a bare number
# only where what follows or precedes makes them an address ("số 7 ngách 15/2", "ở 12 ngõ 46").
_NUM = r"\d{1,4}[a-z]?(?:[/\-]\d{1,4}[a-z]?)?"
_HOUSE_EXPLICIT_RE = re.compile(
    r"\b(?:so nha(?: so)?|(?<!toa )nha so|can ho(?: so)?|can so|ki[- ]?ot(?: so)?|sn"
    r"|gian hang(?: so)?|sap(?: hang)? so)"
    r"\s*[:.]?\s*(" + _NUM + r")(?![\w/])"
    r"|\bcan\s+(\d{3,4}[a-z]?)(?![\w/])"  # "căn 1506"
)
_ROOM_RE = re.compile(r"\b(?:p\.\s?|phong\s+(?:so\s+)?)(\d{3,4}[a-z]?)(?![\w/])")
_ROOM_SHORT_RE = re.compile(r"(?<![\w.])P(\d{3,4})(?![\w/])")  # "P405 nhà A3"
_ALLEY_AFTER = r"(?=\s*[,(]?\s*(?:ngo|ngach|hem|kiet|pho|duong|p\.|phong|to\s+\d|khu|tap the))"
_SO_RE = re.compile(r"\bso\s+(" + _NUM + r")(?![\w/])")
_BARE_STREET_RE = re.compile(  # "ở 12B Lò Đúc": a number, then a street's name
    r"(?:\b(?:ở|tại|trú tại|địa chỉ|Địa chỉ|sống tại)\s*:?\s+)"
    r"(\d{1,4}[A-Za-z]?(?:/\d{1,4}[A-Za-z]?)*)"
    r"(?=\s+(?:phố\s+|đường\s+)?[A-ZĐ][^\W\d_]*\s+[A-ZĐ])"
)
_BARE_RE = re.compile(
    r"(?:\b(?:o|tai|tru tai|dia chi|nha o|song tai|cu tru tai)\s*:?\s+)(" + _NUM
    + r")(?=\s+(?:ngo|ngach|hem|kiet|pho|duong)\b)"
)
_NHA_RE = re.compile(
    r"\bnha\s+(\d{1,4}[a-z]?)(?![\w/])"
    r"(?=\s*[,);]|\s+[-–]\s|\s+(?:ngo|ngach|hem|kiet|pho|duong)\b|\s*$)"
)
# "(9 ngõ 14 Tăng Bạt Hổ)", "- 27 ngách 6/4 Vĩnh Tuy": a bare number opening an address, when
# the alley after it has a number or a name ("3 ngõ bị ngập" is three alleys)
# ", số 47 Bạch Mai", "(34 Lạc Trung)": after a comma or a bracket, a number and a street's
# capitalised name, then the clause ends
_AFTER_COMMA_STREET_RE = re.compile(
    r"(?:[,(]|\s[-–])\s*((?:[Ss]ố\s+)?\d{1,4}[A-Za-z]?(?:/\d{1,4})?)"
    r"(?=\s+(?:phố\s+|đường\s+)?[A-ZĐ][^\W\d_]+(?:\s+[A-ZĐ][^\W\d_]+){0,3}\s*(?:[,);]|\s[-–]|$))"
)
_BARE_OPEN_RE = re.compile(
    r"(?:^|[(,\-–]\s*)(\d{1,4}[A-Za-z]?(?:/\d{1,4}[A-Za-z]?)?)"
    r"(?=\s+(?:[Nn]gõ|[Nn]gách|[Hh]ẻm|[Kk]iệt|NGÕ|NGÁCH)\s+(?:\d|[A-ZĐ]))"
)
# a flat or room named by its block or floor: "căn hộ B1-1205", "căn A-1203", "căn hộ 15.08"
_FLAT_CODE_RE = re.compile(
    r"\b(?:can ho|can|phong|p\.)(?: so)?\s*[:.]?\s*"
    r"([a-z]{1,2}\d{0,2} ?[\-.] ?\d{2,4}[a-z]?|\d{1,2}[.\-]\d{2})(?![\w/])(?![.,\-]\d)"
    r"(?!\s*(?:m2|m²|nguoi|ho\b|phong|can))"
)
# a small room number where what follows says it is a room: "phòng 12 số 5 ngõ Hòa Mã"
_ROOM_SMALL_RE = re.compile(
    r"\bphong\s+(?:so\s+)?(\d{1,2}[a-z]?)(?![\w/])"
    r"(?=\s*(?:[,)]|[-–]\s|(?:so|nha|ngo|ngach|toa|tang|khu|tap the|kí tuc|ki tuc|ktx)\b))"
)
_HO_SO_RE = re.compile(r"\b[Hh]ộ số\s+(" + _NUM + r")(?![\w/])")
#: Words before "số N" that make it a group, team, route or document number, not a house.
_NOT_HOUSE_BEFORE = re.compile(
    r"(?:\bto|to dan pho|tdp|doi|tuyen|cum|khu|phuong|quan|quyet dinh|cong van|van ban"
    r"|thong bao|ke hoach|bien ban|bao cao|nghi quyet|chi thi|giay|the|ban|lo|so|ve|muc"
    r"|dieu|khoan|lan|ky|thang|nam|ngay|tang|cong|cua|ban|xe|tuyen xe|chuyen|giai"
    r"|nhom|doan|chi hoi|chi bo|truong|lop|hop|thung|cot|toa nha)\s*$"
)
#: Capitalised words after a number that start something other than a street's name.
_NOT_STREET_START = frozenset((
    "to", "tdp", "phuong", "quan", "ubnd", "hdnd", "ngo", "ngach", "nha", "toa", "khu", "ho",
    "nguoi", "nam", "thang", "ngay", "lan", "y", "kien", "hoi", "doi", "ban", "chi", "dang",
    "cong", "truong", "lop", "tang", "can", "phong", "cau", "cum", "diem", "tuyen", "xe", "so",
))
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
    for m in _TAX_SHAPE_RE.finditer(low):
        yield "tax_id", m.start(), m.end()


def _not_an_account(low: str, a: int, b: int, account_word: bool = False) -> bool:
    """An amount, a count or a date rather than an account number (after "STK", dotted
    threes are an account unless a unit follows)."""
    run = low[a:b]
    amount = not account_word and _AMOUNT_SHAPE_RE.fullmatch(run)
    return bool(amount or _UNIT_AFTER_RE.match(low, b)
                or low[b:b + 1] == "/" or low[max(0, a - 1):a] == "/")


def bank_accounts(text: str, low: str) -> Iterator[Hit]:
    """Account numbers after an account word or a bank's name, or before the bank's name."""
    anchors = [(m.end(), bool(m.group(1))) for m in _ACCOUNT_WORD_RE.finditer(low)]
    anchors += [(m.end(), False) for m in _bank_name_re().finditer(low)]
    for end, account_word in anchors:
        window = low[end:end + 70]
        stop = _SENTENCE_END_RE.search(window)
        window = window[:stop.start()] if stop else window
        m = _RUN_RE.search(window)
        if m is None:
            continue
        filler = window[:m.start()]
        if len(filler.split()) > 6 or _NOT_ACCOUNT_FILLER.search(filler):
            continue
        a, b = end + m.start(), end + m.end()
        digits = sum(ch.isdigit() for ch in m.group())
        if digits < (6 if account_word else 8) or _not_an_account(low, a, b, account_word):
            continue
        yield "bank_account", a, b
    for m in _before_bank_re().finditer(low):
        if not _not_an_account(low, m.start(1), m.end(1)):
            yield "bank_account", m.start(1), m.end(1)


_SOCIAL_WORDS = ("zalo", "face", "fb", "nick", "tiktok", "instagram", "telegram", "viber",
                 "youtube", "insta", "ig")
#: First words of a page that belongs to a group or a body, not a person.
_GROUP_PAGE = frozenset((
    "hoi", "cu", "nhom", "group", "cong", "cau", "clb", "ubnd", "phuong", "tdp", "to", "ban",
    "chung", "khu", "doan", "chi", "truong", "page", "fanpage", "trang", "mat", "quan",
    "zalo", "facebook", "fb", "tiktok", "youtube", "instagram",
))
# "Instagram: lan.hbt", "fb: hoa.nguyen.92": a handle written without "@"
_BARE_HANDLE_RE = re.compile(
    r"\b(?:instagram|insta|ig|tiktok|telegram|twitter|zalo|facebook|fb|nick)\s*[:\-]\s*"
    r"([a-z0-9]+[._][a-z0-9._]*[a-z0-9]|[a-z]+\d+[a-z0-9]*)(?![\w@])"
)


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
    for m in _BARE_HANDLE_RE.finditer(low):
        yield "social", m.start(1), m.end(1)
    for m in _SOCIAL_NAME_RE.finditer(low):
        span = _display_name(text, m.end())
        if span and low[span[0]:span[1]].split()[0] not in _GROUP_PAGE:
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


_PLATE_WORD_RE = re.compile(r"\b(?:bien|bks|bien kiem soat|xe|oto|o to|taxi|bien so)\b")


def plates(text: str, low: str) -> Iterator[Hit]:
    for m in PLATE_RE.finditer(text):
        plate, series, number = m.group(), m.group(1), m.group(2)
        said = bool(_PLATE_WORD_RE.search(low[max(0, m.start() - 30):m.start()]))
        if series.isupper() or series[:1] in "Đ":
            # "lớp 10A 2024" is not a plate: a plate has a dash or a dot, follows a word
            # that says so, or has a motorbike's series and five digits ("29B1 12345")
            ok = "-" in plate or "." in plate or said or (
                series[-1].isdigit() and len(re.sub(r"\D", "", number)) == 5)
        else:  # typed in lower case: "29e2 098.76", "xe 30a 12345"
            ok = said or re.fullmatch(r"\d{3}\.\d{2}", number) is not None
        if ok:
            yield "plate", m.start(), m.end()


def dates_of_birth(text: str, low: str) -> Iterator[Hit]:
    if "sinh" not in low and "sn" not in low and "ns" not in low and "dob" not in low \
            and "d.o.b" not in low:
        return
    for m in _DOB_LOOSE_RE.finditer(low):
        if not re.search(r"\b(?:hop|ky niem|le|to chuc|mung)\b", m.group(1)):
            yield "dob", m.start(2), m.end(2)
    for rx in (_DOB_RE, _DOB_SHORT_YEAR_RE):
        for m in rx.finditer(low):
            word = text[m.start():m.start() + 2]
            lower_sn = word.lower() == "sn" and word != "SN"
            if word in ("ns", "Ns", "nS") or (lower_sn and not re.search(_YEAR4, m.group(1))):
                continue  # "ns" is not "năm sinh" in lower case; "sn 38" is a house
            end = m.end(1) + ("(" in m.group(1) and low[m.end(1):m.end(1) + 1] == ")")
            yield "dob", m.start(1), end


def houses(text: str, low: str) -> Iterator[Hit]:
    """House, flat, room and kiosk numbers with their word ("số nhà 12", "P.305")."""
    for m in _HOUSE_EXPLICIT_RE.finditer(low):
        if low.startswith("sn", m.start()) and re.fullmatch(r"(?:19|20)\d\d", m.group(1)):
            continue  # SN 1962: a year of birth
        yield "house", m.start(), m.end()
    for rx in (_ROOM_RE, _NHA_RE, _ROOM_SMALL_RE, _FLAT_CODE_RE):
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
    for m in _BARE_OPEN_RE.finditer(text):
        yield "house", m.start(1), m.end(1)
    for m in _AFTER_COMMA_STREET_RE.finditer(text):
        number = m.group(1)
        before = low[max(0, m.start() - 40):m.start()]
        street = text[m.end(1):].split(None, 1)[0] if text[m.end(1):].strip() else ""
        if re.fullmatch(_YEAR4, number) or _NOT_HOUSE_BEFORE.search(before) or \
                lexicon.fold(street) in _NOT_STREET_START:
            continue
        yield "house", m.start(1), m.end(1)


_LONG_RUN_RE = re.compile(r"(?<![\w.,/\-])\d{2,}(?:[ .\-]\d{2,})*(?![\w/])(?![.,\-]\d)")


def long_numbers(text: str, low: str) -> Iterator[Hit]:
    """Any other run of 9 or more digits: a number that identifies someone, whatever word
    goes before it, unless it is an amount, a count, a hotline or years side by side."""
    for m in _LONG_RUN_RE.finditer(low):
        run = m.group()
        groups = re.split(r"[ .\-]", run)
        digits = "".join(groups)
        if len(digits) < 9 or _AMOUNT_SHAPE_RE.fullmatch(run) or _UNIT_AFTER_RE.match(
                low, m.end()) or digits.startswith(("1800", "1900")) or all(
                re.fullmatch(_YEAR4, g) for g in groups):
            continue
        yield "number", m.start(), m.end()


FINDERS = (emails_and_social, bank_accounts, id_numbers, passports_and_tax, phones, plates,
           dates_of_birth, houses)


#: Finders that need six digits in a row (spaces, dots or dashes between): most opinions
#: have none, and skipping them keeps redaction fast.
_NEED_SIX_DIGITS = (bank_accounts, id_numbers, passports_and_tax, phones)
_SIX_DIGITS_RE = re.compile(r"\d(?:[ .\-]?\d){5}")
_DIGIT_RE = re.compile(r"\d")


def find(text: str, low: str) -> list[Hit]:
    """Every shaped item, in the order of FINDERS (earlier wins an overlap), then the long
    numbers none of them explained."""
    if _DIGIT_RE.search(text) is None:
        return list(emails_and_social(text, low))
    six = _SIX_DIGITS_RE.search(text) is not None
    hits = [hit for finder in FINDERS if six or finder not in _NEED_SIX_DIGITS
            for hit in finder(text, low)]
    for kind, a, b in long_numbers(text, low) if six else ():
        if not any(a < hb and ha < b for _, ha, hb in hits):
            hits.append((kind, a, b))
    return hits

"""People's names, found as a reader finds them.

A reader knows a name by what comes before it (an honorific, a title, a label such as
"Người làm đơn:", "cử tri", "nhà ông") and by its shape (a surname, a middle name such as
Văn or Thị, a given name). So the finder walks the capitalised words of the text, looks
back for what introduces them, and decides:

- after an honorific, a title or a label: a name, whatever its words ("cháu Vy", "ông Mai
  Hắc Dũng"), unless the words are a folk or historical figure said that way ("bà Trưng",
  "ông Công ông Táo"), or the honorific starts a common noun ("bà con", "Anh Công an");
- after several people ("các ông Hải, Tuấn, Dũng"): each name of the list;
- with no introduction: a full name by its shape (surname + middle name + given name,
  in any case: "NGUYỄN THỊ HẠNH", "Nguyen Van Nam"), unless it is a street, ward, school or
  figure ("Lê Văn Hưu", "Trường THCS Ngô Gia Tự") or follows a place word ("phố ...");
- two words with no introduction ("Hà My") or an unusual middle name: the statistical
  tagger decides (`ner.is_person`), and the span is listed as uncertain for review.

Names typed in lower case count after an honorific when they have a full name's shape
("anh nguyen van nam", "bà nguyễn thị huyền"), and a lone given name counts in a text typed
without any diacritics ("chị hoa nhà ngõ 5").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lexicon as lx

# One word: letters, and the abbreviation "Ng." (Nguyễn).
_TOKEN_RE = re.compile(r"[^\W\d_]+")


class Token:
    """One word: its span, itself, folded (`key`) and in lower case (`low`)."""

    __slots__ = ("cap", "end", "key", "low", "start", "upper", "word")

    def __init__(self, start: int, end: int, word: str, key: str, low: str) -> None:
        self.start, self.end, self.word, self.key, self.low = start, end, word, key, low
        self.cap = word[:1].isupper()
        self.upper = self.cap and len(word) > 1 and word.isupper()


@dataclass(frozen=True)
class Candidate:
    """A span found to be a name (`sure` False: the tagger decided) or kept but doubtful."""

    start: int
    end: int
    is_name: bool
    sure: bool
    reason: str


#: Capitalised words that are never part of a name: bodies, places, titles, sentence words.
STOP_WORDS = frozenset(w.lower() for w in (
    "UBND", "HĐND", "MTTQ", "TDP", "CA", "UB", "Ủy", "Uỷ", "Ban", "Hội", "Đội", "Tổ",
    "Phường", "Quận", "Phố", "Đường", "Ngõ", "Ngách", "Hẻm", "Công ty", "Cty", "Trường",
    "Trạm", "Bệnh", "Sở", "Phòng", "Cục", "Viện", "Đảng", "Mặt", "Nhà", "Khu", "Chợ",
    "Đền", "Chùa", "Cầu", "Sông", "Tòa", "Toà", "Trung", "Chi", "Số", "THCS",
    "THPT", "TH", "MN", "Mầm", "Tiểu", "Điện", "Cảnh", "Công", "Thành", "Hà Nội", "Việt",
    "Nam", "Quốc", "Đề", "Xin", "Cho", "Có", "Không", "Đã", "Đang", "Sẽ", "Và", "Với",
    "Của", "Ở", "Tại", "Là", "Thì", "Nhưng", "Các", "Những", "Mọi", "Phản", "Hỏi",
    "Cảm", "Rất", "Cũng", "Còn", "Này", "Đó", "Ấy", "Nào", "Gì", "Ạ", "Họ", "Tên",
    "Kiến", "Nêu", "Yêu", "Về", "Đến", "Từ", "Trong", "Khi", "Vì", "Nên", "Được", "Bị",
    "Phải", "Nay", "SĐT", "ĐT", "CCCD", "CMND", "STK", "MST", "Email", "Zalo",
    "Facebook", "Tết", "Giêng", "Chạp", "Chủ", "Thứ", "Ngày", "Tháng", "Năm", "Ý",
    "Đại", "Phó", "Trưởng", "Bí", "Cán", "Giám", "Thủ", "Thiếu", "Thượng", "Hiệu",
    "Kế", "Chánh", "Luật", "Giáo", "Bác", "Đồng",
) if " " not in w)
#: Stop words that are also common names: a stop only when a lower-case word follows
#: ("Công an", "Trung tâm", "Thành phố", "Đại úy") or nothing name-like follows.
_NAME_STOPS = frozenset(("công", "thành", "trung", "nam", "quốc", "việt", "chi", "cảnh",
                         "đại", "đồng", "bác", "trường", "hội", "ý", "phó"))
_HONORIFIC_INITIALS = frozenset("ABCOÔaboô")
#: Honorifics that end a name when they follow it ("Anh" and "Em" are names too).
_PERSON_WORDS = frozenset(("ông", "bà", "chị", "cô", "chú", "cụ", "bác", "cháu", "thím", "dì",
                           "mợ", "cậu", "bạn", "bé", "thầy"))
#: Words before a capitalised run that make it a place ("phố Lê Đại Hành").
_PLACE_WORDS = (
    "phố", "đường", "ngõ", "ngách", "hẻm", "kiệt", "phường", "quận", "huyện", "xã", "chợ",
    "đền", "chùa", "đình", "miếu", "phủ", "khu", "trường", "tòa", "toà", "nhà", "cầu", "hồ",
    "vườn hoa", "công viên", "tượng đài", "tuyến", "số", "tập thể", "ngã tư", "ngã ba",
    "sông", "mương", "kênh", "bệnh viện", "thcs", "thpt", "tiểu học", "mầm non",
    "trung học", "đại học", "học viện", "nhà văn hóa", "nhà văn hoá", "chung cư",
    "khu đô thị", "bến xe", "ga", "cụm", "thôn", "làng", "dốc",
    "góc", "đầu", "cuối", "gầm", "chân", "bãi", "khu vực", "địa bàn", "đoạn", "nút giao",
    "giao với",
)


def _place_regex(words: list[str]) -> re.Pattern[str]:
    alternatives = sorted({re.escape(w) for w in words}, key=len, reverse=True)
    return re.compile(r"(?:^|[^\w])(?:" + "|".join(alternatives) + r")\s+(?:[\d/]+[^\W_]?\s+)?$")


_PLACE_BEFORE_RE = _place_regex(list(_PLACE_WORDS))
_PLACE_BEFORE_PLAIN_RE = _place_regex([lx.fold(w) for w in _PLACE_WORDS])
_ADMIN_BEFORE_RE = re.compile(r"(?:^|[^a-z])(?:phuong|quan|xa|huyen)\s+$")
#: What people say right after a lower-case name ("ông hoàng văn minh phát biểu").
_AFTER_NAME = frozenset(lx.fold(w) for w in (
    "đề", "nghị", "phản", "ánh", "hỏi", "nói", "cho", "rằng", "là", "ở", "tại", "có", "đã",
    "đang", "sẽ", "và", "với", "của", "thì", "nhưng", "cũng", "được", "bị", "kiến", "nêu",
    "trình", "bày", "tổ", "số", "ngõ", "ngách", "phố", "phường", "nhà", "trưởng", "phó",
    "bí", "thư", "chủ", "tịch", "cán", "bộ", "ý", "về", "xin", "đến", "không", "rất",
    "mới", "vừa", "hiện", "nay", "khi", "vì", "nên", "yêu", "cầu", "thắc", "mắc", "phát",
    "biểu", "họp", "góp", "tham", "dự", "nhắc", "trả", "lời", "đồng", "chia", "gửi",
    "mong", "muốn", "cảm", "ơn", "báo", "đại", "diện", "thay", "mặt", "cùng", "đi", "lại",
    "còn", "thấy", "đây", "đó", "này", "ấy", "sinh", "tuổi", "p", "pa", "sdt", "dt",
))
#: Words that make a surname-like word after an honorific an ordinary expression:
#: "anh nghiêm túc", "ông trịnh trọng", "em phạm lỗi", "bà lê bước".
_NOT_AFTER_SURNAME = frozenset(lx.fold(w) for w in (
    "túc", "khắc", "chỉnh", "cấm", "trọng", "lỗi", "tội", "pháp", "luật", "quy", "tình",
    "bước", "từng", "la", "núi", "biển", "sư", "vàng", "thuật", "trường", "trụ", "ngùi",
    "nghê", "ngơ", "ngọng", "vẽ", "xe", "ý", "giải", "hưu", "viên", "kết", "thể", "lý",
))
#: Lower-case words after one capitalised word that make it a body of a place.
_BODY_AFTER = frozenset(("phuong", "quan", "truong", "xa", "huyen", "thanh", "co", "khoi"))
#: Surnames that, typed in lower case, are rarely anything else after an honorific.
_LOWER_SURNAMES = frozenset(lx.fold(w) for w in (
    "nguyễn", "trần", "lê", "phạm", "huỳnh", "vũ", "võ", "đặng", "bùi", "ngô", "trịnh",
    "trương", "phùng", "quách", "nghiêm", "khuất", "hoàng", "phan", "dương", "đoàn",
    "lương", "vương", "kiều", "đàm", "lưu", "tạ", "hồ", "đỗ", "đinh",
))
_LOWER_NEEDS_MIDDLE = frozenset(lx.fold(w) for w in (
    "hoàng", "phan", "dương", "đoàn", "lương", "vương", "kiều", "đàm", "lưu", "tạ", "hồ",
    "đỗ", "đinh",
))
#: In text typed without diacritics, honorific + these are words, not a given name.
_PLAIN_NOT_NAME = frozenset((
    "chi phi", "chi tiet", "chi bo", "chi hoi", "chi tra", "chi dao", "chi em", "chi co",
    "anh sang", "anh huong", "anh em", "ba con", "co the", "co quan", "co so", "co y",
    "cu the", "cu tri", "em be", "chu y", "chu tri", "chu ho", "chu nha", "ong ba",
    "co giao", "ba me", "chau be", "bac si", "anh hung", "chu nhat", "ba nam", "ba ngay",
))


_INITIAL_RE = re.compile(r"(?:^|[^\w.])([BbOoAaCcÔô])\.\s*$")  # "B. Hoàng Thị Lụa", "Ô. Nguyễn"
_TRAILING_WORDS_RE = re.compile(r"(?:[^\W\d_]|[/ ])*")  # matched on the reversed text
_PARENTHESIS_END_RE = re.compile(r"\s*\([^)\n]{0,40}\)\s*$")


def _trailing_words(segment: str) -> list[str]:
    """The words at the end of `segment` with nothing but spaces between them and the end."""
    if not segment.endswith((" ", "\n")) and segment:
        return []
    tail = _TRAILING_WORDS_RE.match(segment.rstrip("\n ")[::-1]).group()
    return tail[::-1].split()


def _suffix(words: list[str], phrases: frozenset[str], longest: int = 5) -> str | None:
    for n in range(min(longest, len(words)), 0, -1):
        cand = " ".join(words[-n:])
        if cand in phrases:
            return cand
    return None


def tokens(text: str, low: str | None = None, lowered: str | None = None) -> list[Token]:
    low = lx.fold(text) if low is None else low
    lowered = lx.lower(text) if lowered is None else lowered
    return [Token(a, b, m.group(), low[a:b], lowered[a:b])
            for m in _TOKEN_RE.finditer(text) for a, b in (m.span(),)]


def _is_plain(toks: list[Token]) -> bool:
    """Typed (nearly) without diacritics: at most one word in five carries any."""
    if not toks:
        return False
    marked = sum(1 for t in toks if not t.word.isascii())
    return marked * 5 <= len(toks)


class NameFinder:
    """Names in one text. `text` has its spaces unified; `low` is `text` folded."""

    def __init__(self, text: str, low: str, is_person=None) -> None:
        self.text, self.low = text, low
        lowered = lx.lower(text)
        self.toks = tokens(text, low, lowered)
        self.is_person = is_person
        self.plain = _is_plain(self.toks)
        # triggers are read with their diacritics ("cầu" is a bridge, "cậu" an uncle),
        # unless the text was typed without them
        self.ctx = low if self.plain else lowered
        self.trig = lx.triggers(folded=self.plain)
        self.found: list[Candidate] = []

    # -- context ---------------------------------------------------------------------------
    def _before(self, i: int, width: int = 60) -> str:
        start = self.toks[i].start
        return self.low[max(0, start - width):start]

    def trigger(self, i: int) -> str | None:
        """What introduces the word at token i: honorific, plural, label, title, near-title."""
        start = self.toks[i].start
        seg = self.ctx[max(0, start - 60):start]
        trig = self.trig
        words = _trailing_words(seg.rsplit("\n", 1)[-1] if not seg.endswith("\n") else "")
        if words:
            compound = _suffix(words, trig["compound"], 3) or ""
            title = _suffix(words, trig["title"], 5) or ""
            if compound and len(compound) > len(title):
                return None  # "bà con", "chị em" (but "Cô giáo Hằng": a title, a name)
            if _suffix(words, trig["plural"], 3):
                return "plural"
            if title:
                return "title"
            if _suffix(words, trig["honorific"], 2):
                return "honorific"
        if _INITIAL_RE.search(self.text[max(0, start - 4):start]):
            return "honorific"
        label = _PARENTHESIS_END_RE.sub(" ", seg).rstrip()
        if label.endswith((":", "-", "–")) or seg.endswith("\n") or words:
            lw = _trailing_words(label.rstrip(":-–").rstrip() + " ")
            if _suffix(lw, trig["label"], 6):
                return "label"
        for k in range(1, min(len(words), 5)):
            if _suffix(words[:-k], trig["title"], 5):
                return "near_title"  # "Phó Chủ tịch UBND phường Nguyễn Thanh Tùng"
        return None

    def place_before(self, i: int) -> bool:
        start = self.toks[i].start
        before = self.ctx[max(0, start - 30):start].rsplit("\n", 1)[-1]
        rx = _PLACE_BEFORE_PLAIN_RE if self.plain else _PLACE_BEFORE_RE
        return bool(rx.search(before))

    def _gap(self, i: int) -> str:
        """The text between token i-1 and token i."""
        return self.text[self.toks[i - 1].end:self.toks[i].start] if i > 0 else ""

    def _next_lower(self, j: int) -> str:
        """The lower-case word right after token j (one space between), or ""."""
        if j + 1 < len(self.toks) and self._gap(j + 1) == " " and not self.toks[j + 1].cap:
            return self.toks[j + 1].key if self.plain else self.toks[j + 1].low
        return ""

    # -- extent ----------------------------------------------------------------------------
    def extent(self, i: int, loose: bool) -> int:
        """Index after the last word of the capitalised run that could be a name from i.

        loose (after an introduction): any capitalised word but a stop word; otherwise
        (and always in all-capital text) only words of the name lists.
        """
        j = i
        caps_text = self.toks[i].upper
        while j < len(self.toks) and j - i < 5:
            t = self.toks[j]
            if j > i and (self._gap(j) != " " and not self._abbrev_gap(j)
                          and not self._initial_gap(j)):
                break
            if not t.cap and not self._lower_middle(i, j):
                break
            key = t.key
            lower_next = self._next_lower(j)
            if lower_next and f"{key if self.plain else t.low} {lower_next}" in \
                    self.trig["compound"]:
                break  # "Công an", "Hiệu trưởng"
            word = t.low
            if word in STOP_WORDS and (word not in _NAME_STOPS or (j == i and not loose)):
                break
            nxt = self.toks[j + 1] if j + 1 < len(self.toks) else None
            if j == i and word in _NAME_STOPS and nxt is not None and nxt.cap and (
                    self._gap(j + 1) == " " and not (self._name_word(nxt.key) if self.plain
                                                     else nxt.low in lx.name_words_exact())):
                break  # "Trường Tiểu học", "Hội Phụ nữ": a body, not a name
            if j == i and word == "phó" and nxt is not None and nxt.low in STOP_WORDS:
                break  # "Anh Phó Công an phường": a deputy, not the surname Phó
            if j > i and word in _PERSON_WORDS and self.toks[j - 1].key not in ("thi", "van"):
                break  # "ông Công ông Táo": the next person
            if (caps_text or not loose) and j > i and not self._name_word(key) and not (
                    j == i + 2 and self.toks[i].key in lx.surnames()
                    and self.toks[i + 1].key in lx.middle_names()):
                break  # (the word after a surname and a middle name is a given name)
            j += 1
        return j

    def _lower_middle(self, i: int, j: int) -> bool:
        """"Nguyễn văn Khải": a middle name typed in lower case between a capitalised
        surname and a capitalised given name."""
        toks = self.toks
        return (j == i + 1 and toks[i].key in lx.surnames() and toks[j].key in lx.middle_names()
                and j + 1 < len(toks) and toks[j + 1].cap and self._gap(j + 1) == " "
                and toks[j + 1].key in lx.given_names())

    def _initial_gap(self, j: int) -> bool:
        """"Nguyễn V. Nam", "N.V. Nam": a one-letter initial and its full stop."""
        prev = self.toks[j - 1]
        return len(prev.word) == 1 and prev.cap and self._gap(j) in (". ", ".")

    def _abbrev_gap(self, j: int) -> bool:
        """"Ng. Văn Cảnh": the surname abbreviated."""
        return self._gap(j) in (". ", ".") and self.toks[j - 1].key == "ng"

    @staticmethod
    def _name_word(key: str) -> bool:
        return (key in lx.given_names() or key in lx.middle_names() or key in lx.surnames()
                or len(key) == 1)  # an initial

    # -- shape -----------------------------------------------------------------------------
    def _surname_len(self, i: int, j: int) -> int:
        """Words of the surname at token i (2 for "Tôn Nữ"), 0 if none."""
        k0 = self.toks[i].key
        if i + 1 < j and f"{k0} {self.toks[i + 1].key}" in lx.surnames():
            return 2
        if k0 in lx.surnames() or (k0 == "ng" and self._abbrev_gap(i + 1) if i + 1 < j else False):
            return 1
        if len(k0) == 1 and i + 1 < j and self._initial_gap(i + 1):
            return 1  # "N.V. Nam", "N. Văn Nam"
        return 0

    def shape(self, i: int, j: int) -> str:
        """"full" (surname + middle + given), "pair" (surname + given), "odd" or ""."""
        n = j - i
        s = self._surname_len(i, j)
        if not s or n - s < 1:
            return ""
        rest = [t.key for t in self.toks[i + s:j]]
        if len(rest) >= 2 and (rest[0] in lx.middle_names() or len(rest[0]) == 1):
            return "full"  # (the run's words were checked by `extent`)
        if len(rest) >= 2 and all(k in lx.given_names() or k in lx.middle_names() for k in rest):
            return "full"
        if len(rest) == 1 and rest[0] in lx.given_names():
            return "pair"
        return "odd"

    def known_place(self, i: int, j: int) -> bool:
        key = " ".join(t.key for t in self.toks[i:j])
        return key in lx.places() or self.figure(key)

    def figure(self, key: str) -> bool:
        ctx = lx.figures().get(key)
        if ctx is None:
            return False
        return not ctx or any(c in self.low for c in ctx)

    # -- the walk --------------------------------------------------------------------------
    def run(self) -> list[Candidate]:
        i = 0
        toks = self.toks
        while i < len(toks):
            t = toks[i]
            if not t.cap:
                if t.key in lx.surnames() or (self.plain and t.key in lx.given_names()):
                    i = self._lower_case(i)
                else:
                    i += 1
                continue
            if self._introducer(i):
                i += 1
                continue
            trig = self.trigger(i)
            if trig != "honorific" or self.plain:
                k = self._place_run(i)
                if k:  # "Đại Cồ Việt", "Bà Triệu", "cau Long Bien" (typed without marks)
                    i = k
                    continue
            j = self.extent(i, loose=trig in ("honorific", "label", "title", "plural"))
            if j == i:
                i += 1
                continue
            i = self._decide(i, j, trig)
        return self.found

    def _place_run(self, i: int) -> int:
        """The end of a known place or figure of 2+ words starting at token i, else 0."""
        r = i + 1
        while r < len(self.toks) and r - i < 6 and self.toks[r].cap and self._gap(r) == " ":
            r += 1
        for k in range(r, i + 1, -1):
            if self.known_place(i, k) and not (
                    k < len(self.toks) and self.toks[k].cap and self._gap(k) == " "
                    and self.toks[k].key in lx.middle_names()):
                return k  # (not "Bà Triệu Thị Hoa": a middle name follows)
        return 0

    def _introducer(self, i: int) -> bool:
        """An honorific, title or sentence word opening a capitalised run ("Bà", "Tổ")."""
        t = self.toks[i]
        word = t.key if self.plain else t.low
        if t.word in _HONORIFIC_INITIALS and i + 1 < len(self.toks) and self._initial_gap(i + 1):
            return True  # "Ô. Nguyễn Văn Tâm", "B. Hoàng Thị Lụa", "A. Tuấn"
        if t.upper and len(t.word) <= 5 and not self._name_word(t.key) and i + 1 < len(
                self.toks) and self.toks[i + 1].cap and not self.toks[i + 1].upper:
            return True  # "chủ TK Đinh Văn Sâm": an abbreviation before a name
        if word in self.trig["honorific"] or word in _PERSON_WORDS:
            # "Bà Ông Thị Nụ": after an honorific, a surname that looks like one
            return not (i > 0 and self.toks[i - 1].low in _PERSON_WORDS and i + 1 < len(
                self.toks) and self.toks[i + 1].key in lx.middle_names())
        return t.low in STOP_WORDS and t.low not in _NAME_STOPS

    def _add(self, i: int, j: int, is_name: bool, sure: bool, reason: str) -> None:
        end = self.toks[j - 1].end
        if is_name and j < len(self.toks) and self._gap(j) == "-":
            end = self.toks[j].end  # "Kim Ji-young": a hyphenated given name
        self.found.append(Candidate(self.toks[i].start, end, is_name, sure, reason))

    def _honorific_figure(self, i: int, j: int) -> bool:
        """ "bà Trưng", "Bác Hồ", "chú Cuội", "ông Công ông Táo", "Bà Triệu"."""
        if i == 0:
            return False
        words = " ".join(t.key for t in self.toks[i:j])
        for back in (1, 2):
            if i - back < 0:
                break
            lead = " ".join(t.key for t in self.toks[i - back:i])
            if self.figure(f"{lead} {words}"):
                return True
        # a figure's bare name after a singular honorific is a namesake ("cụ Lê Văn Tám")
        return self.figure(words) and self.trigger(i) != "honorific"

    def _decide(self, i: int, j: int, trig: str | None) -> int:
        shape = self.shape(i, j)
        if trig in ("title", "near_title") and j == i + 1 and lx.fold(
                self._next_lower(i)) in _BODY_AFTER:
            return j  # "Bí thư Đoàn phường": the ward's Youth Union, not a man named Đoàn
        if trig in ("honorific", "label", "title", "plural"):
            if self._honorific_figure(i, j):
                return j
            if trig != "honorific" and self.known_place(i, j):
                self._add(i, j, False, True, "tên phố, phường hoặc nhân vật lịch sử")
                return j
            if trig == "honorific" and _INITIAL_RE.search(
                    self.text[max(0, self.toks[i].start - 4):self.toks[i].start]) and not (
                    self._name_word(self.toks[i].key)):
                return j  # "A. Phần mở đầu": a list letter, not "anh"
            self._add(i, j, True, True, {"honorific": "sau danh xưng", "label": "sau nhãn",
                                         "title": "sau chức danh", "plural": "danh sách"}[trig])
            if trig in ("plural", "label"):
                return self._list(j)
            return j
        if self.place_before(i) and not (  # "Phó Chủ tịch UBND phường Nguyễn Thanh Tùng"
                shape == "full" and trig == "near_title"
                and _ADMIN_BEFORE_RE.search(self._before(i, 12))
                and not self.known_place(i, j)):
            return j  # "phố Lê Đại Hành", "Trường THCS Ngô Gia Tự"
        if self.known_place(i, j) or self._known_prefix(i, j):
            if shape:
                self._add(i, j, False, True, "tên phố, phường hoặc nhân vật lịch sử")
            return j
        if shape == "full":
            self._add(i, j, True, True, "đủ họ, đệm, tên")
            return j
        if shape in ("pair", "odd") or trig == "near_title":
            if shape or self._name_word(self.toks[i].key):
                person = self.is_person(self.text, self.toks[i].start, self.toks[j - 1].end) \
                    if self.is_person else False
                reason = "bộ gán nhãn thực thể: tên người" if person else \
                    "bộ gán nhãn thực thể: không phải tên người"
                self._add(i, j, person, False, reason)
            return j
        return j

    def _known_prefix(self, i: int, j: int) -> bool:
        return any(self.known_place(i, k) for k in range(j - 1, i, -1))

    def _list(self, j: int) -> int:
        """After "các ông Hải": ", Tuấn, Dũng" and "và Cúc" are names too."""
        toks = self.toks
        while j < len(toks):
            gap = self._gap(j)
            if toks[j].low in ("và", "hoặc", "va", "hoac") and j + 1 < len(toks) and (
                    gap.strip() in ("", ",") and self._gap(j + 1) == " "):
                j += 1  # "Lan, Huệ và Cúc"
            elif not re.fullmatch(r"\s*,\s*", gap):
                break
            if not toks[j].cap:
                break
            k = self.extent(j, loose=True)
            if k == j or self.known_place(j, k):
                break
            self._add(j, k, True, True, "danh sách")
            j = k
        return j

    # -- lower case ------------------------------------------------------------------------
    def _lower_full(self, i: int) -> int:
        """ "cử tri nông thị hương giang": surname, middle name and given name in lower case
        after an introduction; the index after the name (and the span added), else 0."""
        toks = self.toks
        n = 0
        while i + n < len(toks) and n < 4 and not toks[i + n].cap and (
                n == 0 or self._gap(i + n) == " "):
            key = toks[i + n].key
            exact = self.plain or toks[i + n].low in lx.name_words_exact()
            if (n != 1 and key in _AFTER_NAME) or not exact:
                break  # "cử tri phản ánh hai nội dung": "phản" is not the surname Phan
            if n == 0 and key not in lx.surnames():
                return 0
            if n == 1 and key not in lx.middle_names():
                return 0
            if n >= 2 and key not in lx.given_names() and key not in lx.middle_names():
                break
            n += 1
        if n < 3 or toks[i + 1].key in _NOT_AFTER_SURNAME:
            return 0
        self._add(i, i + n, True, True, "họ tên viết thường")
        return i + n

    def _lower_case(self, i: int) -> int:
        """ "anh nguyen van nam", "bà nguyễn thị huyền", "Họ tên: đỗ huy", "chị hoa"."""
        toks = self.toks
        key = toks[i].key
        if key in _LOWER_SURNAMES and i + 2 < len(toks) and toks[i + 1].key in ("thi", "van") \
                and (self.plain or toks[i + 1].low in ("thị", "văn")) and not self.place_before(i) \
                and not (i > 0 and toks[i - 1].key == "gia" and key == "dinh"):  # gia đình văn hóa
            end = self._lower_full(i)  # "nguyen thi hoa to 5 de nghi": a name anywhere
            if end:
                return end
        if key in lx.surnames() and i + 2 < len(toks) and toks[i + 1].key in lx.middle_names() \
                and (self.plain or (toks[i].low in lx.name_words_exact()
                     and toks[i + 1].low in lx.name_words_exact())) \
                and self.trigger(i) in ("honorific", "title", "plural"):
            end = self._lower_full(i)
            if end:
                return end
        if key not in _LOWER_SURNAMES and not (self.plain and key in lx.given_names()) and (
                ":" not in self._gap(i) or key not in lx.surnames()):
            return i + 1
        trig = self.trigger(i)
        if trig not in ("honorific", "label"):
            return i + 1
        if trig == "label":
            # "Họ và tên: đỗ huy": only right after the label's colon, from a surname
            if not re.search(r"[:\-–]\s*$", self._gap(i)) or key not in lx.surnames():
                return i + 1
            j = i + 1
            while j < len(toks) and j - i < 4 and self._gap(j) == " " and (
                    toks[j].key not in _AFTER_NAME) and not toks[j].cap:
                j += 1
            if j - i >= 2:
                self._add(i, j, True, True, "sau nhãn")
            return j
        keys = [t.key for t in toks[i:i + 4]]
        gaps_ok = [self._gap(k) == " " for k in range(i + 1, min(i + 4, len(toks)))]
        first = keys[0]
        if first in _LOWER_SURNAMES and len(keys) >= 2 and gaps_ok[:1] == [True]:
            second = keys[1]
            if second in _NOT_AFTER_SURNAME or toks[i + 1].cap:
                return i + 1
            if second in lx.middle_names() and len(keys) >= 3 and gaps_ok[1:2] == [True] and (
                    not toks[i + 2].cap):  # after a middle name, the next word is the name
                n = 3
                if len(keys) >= 4 and gaps_ok[2:3] == [True] and keys[2] in lx.middle_names() \
                        and keys[3] not in _AFTER_NAME and not toks[i + 3].cap:
                    n = 4
                self._add(i, i + n, True, True, "họ tên viết thường")
                return i + n
            if first not in _LOWER_NEEDS_MIDDLE and second in lx.given_names() and \
                    second not in _AFTER_NAME:
                self._add(i, i + 2, True, True, "họ tên viết thường")
                return i + 2
            return i + 1
        honorific = toks[i - 1] if i > 0 else None
        if self.plain and first in lx.given_names() and first not in _AFTER_NAME and (
                honorific is not None and not honorific.word.isascii()
                and honorific.low in self.trig["honorific"] | lx.triggers(False)["honorific"]):
            # "chị hoa nha ngo 5": a text typed without diacritics but for the honorific
            self._add(i, i + 1, True, False, "tên viết thường, không dấu")
        return i + 1


def find(text: str, low: str, is_person=None) -> list[Candidate]:
    """Name candidates in `text` (spaces unified) given its folded form `low`."""
    return NameFinder(text, low, is_person).run()

# ruff: noqa: E501  (a bank of Vietnamese phrases reads better unwrapped)
"""Synthetic opinion texts for hbt_analysis.synth: natural Vietnamese written like minutes.

Texts are built compositionally (opener x problem x place x request, in one of several
sentence frames) from a bank of issues per topic, then given the noise real minutes carry:
abbreviations, old tone-mark placement, a few typos or missing diacritics, and now and
then a phone number, a 12-digit CCCD number or a named person, and (from a separate random
stream, so the rest of the text is unchanged) the other personal data minutes carry: names
with no honorific or after a title, given names alone, house and flat numbers, vehicle
plates, dates of birth, bank accounts, social accounts, passport and tax numbers. Every
planted item is recorded verbatim (`Opinion.planted`), so tests can look for it in what
reports export without asking the redaction code.

Everything here is made up. Street and landmark names are real places of Hai Bà Trưng so
the texts read naturally; nothing said about them is true.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import yaml

#: Target rates of personal data in texts (the tests check them loosely).
PHONE_RATE = 0.03
CCCD_RATE = 0.01
NAME_RATE = 0.03
#: Share of opinions given one more kind of personal data (names without honorific, house
#: and flat numbers, plates, dates of birth, bank and social accounts, passport, tax numbers).
EXTRA_PERSONAL_RATE = 0.05
#: Share of minute-takers who write hoà, thuỷ rather than hòa, thủy.
OLD_STYLE_SHARE = 0.35

# --------------------------------------------------------------------------------------
# Places
# --------------------------------------------------------------------------------------

#: Streets and landmarks near each ward (by official ward code), the landmarks used in every
#: ward and the alley numbers drawn: resources/synth_places.yaml (see :func:`load_places`).
class BankError(ValueError):
    """A generator data file (issues or places) that cannot be used; lists every problem."""


def _resource_text(name: str, path: str | Path | None) -> tuple[str, str]:
    if path is None:
        ref = resources.files("hbt_analysis").joinpath("resources", name)
        return ref.read_text("utf-8"), f"{name} (packaged)"
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"Không tìm thấy tệp / file not found: {p}")
    return p.read_text("utf-8"), str(p)


def _yaml(text: str, source: str) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise BankError(f"{source}: YAML lỗi / invalid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise BankError(f"{source}: cần một bảng (mapping) / expected a mapping at the top")
    return data


def _strings(value: object) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        return None
    return [" ".join(v.split()) for v in value]


@functools.lru_cache(maxsize=4)
def load_places(path: str | Path | None = None) -> dict[str, object]:
    """The places file: {"wards": {code: {streets, landmarks, blocks}}, "district_landmarks",
    "alley_numbers"}. Every problem in the file is listed in one :class:`BankError`."""
    text, source = _resource_text("synth_places.yaml", path)
    data = _yaml(text, source)
    problems: list[str] = []
    wards: dict[str, dict[str, list[str]]] = {}
    raw_wards = data.get("wards")
    if not isinstance(raw_wards, dict) or not raw_wards:
        problems.append("thiếu 'wards' / no 'wards' mapping")
        raw_wards = {}
    for code, entry in raw_wards.items():
        if not isinstance(code, str):
            problems.append(f"mã phường {code!r} phải đặt trong dấu nháy ('00241') / write ward "
                            f"code {code!r} in quotes, or YAML reads it as a number")
            continue
        lists = {}
        for key in ("streets", "landmarks", "blocks"):
            values = _strings(entry.get(key) if isinstance(entry, dict) else None)
            if not values:
                problems.append(f"{code}: '{key}' cần ít nhất một tên / '{key}' needs at least "
                                "one name")
            lists[key] = values or []
        wards[code] = lists
    landmarks = _strings(data.get("district_landmarks")) or []
    if len(landmarks) < 2:
        problems.append("'district_landmarks' cần ít nhất hai tên / needs at least two names")
    numbers = data.get("alley_numbers")
    if not isinstance(numbers, list) or not numbers or not all(
            isinstance(n, int) and n > 0 for n in numbers):
        problems.append("'alley_numbers' phải là danh sách số nguyên dương / must be a list of "
                        "positive integers")
        numbers = []
    if problems:
        raise BankError(f"{source}:\n- " + "\n- ".join(problems))
    return {"wards": wards, "district_landmarks": landmarks, "alley_numbers": list(numbers)}


_PLACES = load_places()
WARD_PLACES: dict[str, dict[str, list[str]]] = _PLACES["wards"]  # type: ignore[assignment]
_DISTRICT_LANDMARKS: list[str] = _PLACES["district_landmarks"]  # type: ignore[assignment]
_NGO_NUMBERS: list[int] = _PLACES["alley_numbers"]  # type: ignore[assignment]


def _pick(rng: np.random.Generator, seq: list | tuple):
    return seq[int(rng.integers(len(seq)))]


def _places(ward_code: str) -> dict[str, list[str]]:
    return WARD_PLACES.get(ward_code, {"streets": ["Bạch Mai"], "landmarks": ["chợ Mơ"],
                                       "blocks": ["Thanh Nhàn"]})


def _ngo(rng: np.random.Generator, street: str) -> str:
    n = _pick(rng, _NGO_NUMBERS)
    r = rng.random()
    if r < 0.18:
        return f"ngách {n}/{int(rng.integers(2, 40))} {street}"
    if r < 0.24:
        return f"hẻm {n}/{int(rng.integers(2, 30))}/{int(rng.integers(1, 15))} {street}"
    return f"ngõ {n} {street}"


def _place(rng: np.random.Generator, ward_code: str) -> dict[str, str]:
    """One location, as several phrasings the templates can use."""
    p = _places(ward_code)
    street = _pick(rng, p["streets"])
    street2 = _pick(rng, [s for s in p["streets"] if s != street] or p["streets"])
    ngo = _ngo(rng, street)
    r = rng.random()
    if r < 0.40:
        place = ngo
    elif r < 0.55:
        place = f"{_pick(rng, ['đầu', 'cuối', 'giữa', 'khu vực'])} {ngo}"
    elif r < 0.67:
        place = f"phố {street}"
    elif r < 0.77:
        place = f"khu tập thể {_pick(rng, p['blocks'])}"
        if rng.random() < 0.5:
            place += f", nhà {_pick(rng, ['A', 'B', 'C', 'D', 'E', 'G'])}{int(rng.integers(1, 12))}"
    elif r < 0.87:
        place = f"khu vực {_pick(rng, p['landmarks'] + _DISTRICT_LANDMARKS[:2])}"
    elif r < 0.94:
        place = f"đoạn {street} giao với {street2}"
    else:
        place = f"chung cư mini số {int(rng.integers(2, 90))} {ngo}"
    at = _pick(rng, ["tại", "ở", "tại"]) if not place.startswith("khu vực") else ""
    return {
        "place": place,
        "at_place": f"{at} {place}".strip(),
        "street": street,
        "street2": street2,
        "ngo": ngo,
        "block": _pick(rng, p["blocks"]),
        "landmark": _pick(rng, p["landmarks"]),
    }


# --------------------------------------------------------------------------------------
# The issue bank
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    """One thing residents raise: ways to state the problem, what they ask, who decides."""

    topic: str
    problems: tuple[str, ...]
    requests: tuple[str, ...]
    short: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    authorities: tuple[str, ...] = ("UBND phường",)
    addressed: tuple[str, ...] = ("UBND phường",)
    years: tuple[int, ...] = ()  # empty = every year
    weight: float = 1.0
    key: str = ""

    @property
    def placed(self) -> bool:
        """Whether its texts name a place (raised about one place, not the whole ward)."""
        texts = (*self.problems, *self.requests, *self.short, *self.questions)
        return any(slot in PLACE_SLOTS for t in texts for slot in _SLOT_RE.findall(t))


#: What the texts may fill in ({at_place}, ...): the place slots of :func:`_place` and the years.
PLACE_SLOTS = ("place", "at_place", "street", "street2", "ngo", "block", "landmark")
SLOTS = (*PLACE_SLOTS, "year", "prev_year")
#: Who staff record as having to answer (the `addressed` lists).
ADDRESSED = ("Tổ dân phố", "UBND phường", "UBND quận", "Thành phố")
_SLOT_RE = re.compile(r"\{([^{}]*)\}")
_ISSUE_LISTS = ("problems", "requests", "short", "questions", "authorities", "addressed")


def _check_issue(raw: object, i: int, topics: tuple[str, ...], seen: set[str],
                 problems: list[str]) -> Issue | None:
    where = f"vấn đề thứ {i} / issue #{i}"
    if not isinstance(raw, dict):
        problems.append(f"{where}: cần một bảng / expected a mapping")
        return None
    key = raw.get("key")
    if not isinstance(key, str) or not key.strip():
        problems.append(f"{where}: thiếu 'key' / no 'key'")
        key = f"#{i}"
    elif key in seen:
        problems.append(f"{key}: 'key' trùng / duplicate key")
    seen.add(key)
    where = key
    unknown = set(raw) - {"key", "topic", "weight", "years", *_ISSUE_LISTS}
    if unknown:
        problems.append(f"{where}: trường lạ / unknown fields: {', '.join(sorted(unknown))}")
    topic = raw.get("topic")
    if topic not in topics:
        problems.append(f"{where}: chủ đề {topic!r} không có trong danh mục / topic not in the "
                        f"taxonomy ({', '.join(topics)})")
    lists: dict[str, tuple[str, ...]] = {}
    for name in _ISSUE_LISTS:
        if name not in raw:
            lists[name] = ()
            continue
        values = _strings(raw[name])
        if values is None:
            problems.append(f"{where}: '{name}' phải là danh sách câu không rỗng / must be a "
                            "list of non-empty strings")
            values = []
        for text in values:
            for slot in _SLOT_RE.findall(text):
                if slot not in SLOTS:
                    problems.append(f"{where}: chỗ trống lạ {{{slot}}} trong / unknown "
                                    f"placeholder {{{slot}}} in {text!r} (có / known: "
                                    f"{', '.join(SLOTS)})")
        lists[name] = tuple(values)
    for name in ("problems", "requests"):
        if not lists[name]:
            problems.append(f"{where}: cần ít nhất một '{name}' / needs at least one '{name}'")
    if not lists["authorities"]:
        lists["authorities"] = ("UBND phường",)
    bad = [a for a in lists["addressed"] if a not in ADDRESSED]
    if bad:
        problems.append(f"{where}: 'addressed' lạ / unknown 'addressed' {bad} (có / known: "
                        f"{', '.join(ADDRESSED)})")
    addressed = lists["addressed"] or ("UBND phường",)
    weight = raw.get("weight", 1.0)
    if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight <= 0:
        problems.append(f"{where}: 'weight' phải là số dương / must be a positive number")
        weight = 1.0
    years = raw.get("years", [])
    if not isinstance(years, list) or not all(isinstance(y, int) for y in years):
        problems.append(f"{where}: 'years' phải là danh sách năm / must be a list of years")
        years = []
    return Issue(str(topic), lists["problems"], lists["requests"], lists["short"],
                 lists["questions"], lists["authorities"], addressed, tuple(years),
                 float(weight), key=str(key))


@functools.lru_cache(maxsize=4)
def load_issues(path: str | Path | None = None) -> tuple[Issue, ...]:
    """The bank of issues (resources/synth_issues.yaml, or a file of the same shape), checked:
    known topics, placeholders and answering levels, at least one problem and request each,
    unique keys. Every problem in the file is listed in one :class:`BankError`."""
    text, source = _resource_text("synth_issues.yaml", path)
    data = _yaml(text, source)
    raw = data.get("issues")
    if not isinstance(raw, list) or not raw:
        raise BankError(f"{source}: thiếu danh sách 'issues' / no 'issues' list")
    problems: list[str] = []
    seen: set[str] = set()
    issues = [_check_issue(item, i, TOPICS, seen, problems) for i, item in enumerate(raw, 1)]
    missing = set(TOPICS) - {i.topic for i in issues if i is not None}
    if missing:
        problems.append(f"chủ đề chưa có vấn đề nào / topics with no issue: "
                        f"{', '.join(sorted(missing))}")
    if problems:
        raise BankError(f"{source}:\n- " + "\n- ".join(problems))
    return tuple(i for i in issues if i is not None)


TOPICS = ("moi_truong", "giao_thong", "an_ninh_trat_tu", "pccc", "trat_tu_do_thi", "ha_tang",
          "dat_dai_quy_hoach", "an_sinh_xa_hoi", "van_hoa_van_minh", "chinh_quyen", "khac")
ISSUES: tuple[Issue, ...] = load_issues()

#: Intended topic mix (primary topic) by year; the agenda of 2024 added PCCC and the code of
#: conduct in public places.
TOPIC_WEIGHTS: dict[int, dict[str, float]] = {
    2022: {"moi_truong": 18, "giao_thong": 11, "an_ninh_trat_tu": 12, "pccc": 4,
           "trat_tu_do_thi": 13, "ha_tang": 16, "dat_dai_quy_hoach": 5, "an_sinh_xa_hoi": 9,
           "van_hoa_van_minh": 5, "chinh_quyen": 5, "khac": 2},
    2023: {"moi_truong": 18, "giao_thong": 12, "an_ninh_trat_tu": 12, "pccc": 4,
           "trat_tu_do_thi": 13, "ha_tang": 16, "dat_dai_quy_hoach": 5, "an_sinh_xa_hoi": 7,
           "van_hoa_van_minh": 6, "chinh_quyen": 5, "khac": 2},
    2024: {"moi_truong": 16, "giao_thong": 11, "an_ninh_trat_tu": 11, "pccc": 10,
           "trat_tu_do_thi": 12, "ha_tang": 14, "dat_dai_quy_hoach": 4, "an_sinh_xa_hoi": 6,
           "van_hoa_van_minh": 9, "chinh_quyen": 5, "khac": 2},
}

# --------------------------------------------------------------------------------------
# Frames
# --------------------------------------------------------------------------------------

_OPENERS = (
    "Cử tri phản ánh", "Bà con phản ánh", "Nhiều hộ dân phản ánh", "Ý kiến phản ánh",
    "Một số cử tri cho biết", "Bà con trong tổ bức xúc vì", "Đại diện các hộ {at_place} phản ánh",
    "Hội Người cao tuổi phản ánh", "Chi hội Phụ nữ phản ánh", "Phản ánh:", "Cử tri nêu",
    "Nhiều ý kiến cho rằng", "Ý kiến cử tri:", "Bà con tiếp tục phản ánh",
)
_REQUEST_LEADS = (
    "Đề nghị {auth} {req}.", "Kiến nghị {auth} sớm {req}.", "Bà con kiến nghị {auth} {req}.",
    "Đề nghị {req}.", "Mong {auth} quan tâm, {req}.", "Đề nghị {auth} có biện pháp {req}.",
    "Đề nghị {auth} chỉ đạo {req}.", "Cử tri đề nghị {auth} {req}.",
    "Đề nghị {auth} xem xét, {req}.",
)
_QUESTION_LEADS = ("Cử tri hỏi: {q}?", "{q}?", "Bà con muốn biết: {q}?", "Đề nghị trả lời: {q}?",
                   "Cử tri đặt câu hỏi {q}?")
_PRAISE = (
    "Cử tri đánh giá cao kết quả công tác năm qua của tổ", "Bà con ghi nhận phường đã có nhiều cố gắng",
    "Nhất trí với báo cáo và dự thảo nghị quyết hội nghị",
    "Nhất trí với nội dung báo cáo",
    "Cử tri ghi nhận việc chỉnh trang ngõ xóm đã có chuyển biến",
)
_AGREE_ONLY = (
    "Nhất trí với báo cáo và dự thảo nghị quyết hội nghị.",
    "Nhất trí cao với báo cáo tổng kết năm {prev_year} và phương hướng năm {year}.",
    "Đồng ý với nội dung dự thảo nghị quyết, không có ý kiến khác.",
    "Cử tri nhất trí với báo cáo, không có ý kiến gì thêm.",
)
_RECURRENT = ("Kiến nghị này đã nêu tại hội nghị năm {prev_year} nhưng chưa được giải quyết:",
              "Tiếp tục kiến nghị (đã nêu nhiều lần):", "Nhắc lại ý kiến năm trước:")
_TIMES = ("Tình trạng này kéo dài nhiều tháng.", "Việc này đã kéo dài nhiều năm.",
          "Bà con đã phản ánh nhiều lần.", "Từ đầu năm đến nay vẫn chưa được khắc phục.",
          "Tổ đã báo cáo phường nhưng chưa có chuyển biến.")
_HERE = ("ở đây", "khu vực này", "ngay trước cửa nhà", "trong ngõ")

# Person names for the named-person noise.
_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ",
             "Ngô", "Dương", "Đinh", "Đoàn", "Trịnh", "Lương", "Tạ", "Chu", "Mai")
_MIDDLE_M = ("Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Mạnh", "Thanh", "Ngọc", "Công")
_MIDDLE_F = ("Thị", "Thu", "Thanh", "Ngọc", "Minh", "Hồng", "Kim", "Thúy")
_GIVEN_M = ("Hùng", "Dũng", "Tuấn", "Bình", "Nam", "Long", "Sơn", "Hải", "Quân", "Thắng",
            "Cường", "Thành", "Hòa", "Phong", "Trung", "Khánh", "Tùng", "Vinh", "Toàn", "Hiếu")
_GIVEN_F = ("Lan", "Hoa", "Hương", "Mai", "Hạnh", "Thủy", "Nga", "Hằng", "Yến", "Loan", "Dung",
            "Liên", "Phương", "Thảo", "Vân", "Oanh")
_HONORIFICS_M = ("ông", "ông", "anh", "chú", "bác")
_HONORIFICS_F = ("bà", "bà", "chị", "cô")
_PHONE_PREFIXES = ("091", "094", "088", "098", "097", "096", "086", "090", "093", "089", "032",
                   "033", "035", "036", "038", "039", "070", "076", "077", "078", "081", "083",
                   "084", "085", "056", "058")


def person_name(rng: np.random.Generator) -> tuple[str, str]:
    """(honorific, full name) of a made-up person."""
    if rng.random() < 0.55:
        return (_pick(rng, _HONORIFICS_M),
                f"{_pick(rng, _SURNAMES)} {_pick(rng, _MIDDLE_M)} {_pick(rng, _GIVEN_M)}")
    return (_pick(rng, _HONORIFICS_F),
            f"{_pick(rng, _SURNAMES)} {_pick(rng, _MIDDLE_F)} {_pick(rng, _GIVEN_F)}")


def phone_number(rng: np.random.Generator) -> str:
    """A made-up Vietnamese mobile number in one of the formats people write."""
    prefix = _pick(rng, _PHONE_PREFIXES)
    rest = "".join(str(int(d)) for d in rng.integers(0, 10, 7))
    digits = prefix + rest  # 10 digits
    style = int(rng.integers(6))
    if style == 0:
        return f"{digits[:4]} {digits[4:7]} {digits[7:]}"
    if style == 1:
        return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
    if style == 2:
        return digits
    if style == 3:
        return f"+84 {digits[1:4]} {digits[4:7]} {digits[7:]}"
    if style == 4:
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return f"(+84) {digits[1:]}"


def cccd_number(rng: np.random.Generator) -> str:
    """A made-up 12-digit citizen ID (province 001 = Hà Nội, century/sex digit, birth year)."""
    sex_century = _pick(rng, ("0", "1"))
    yy = f"{int(rng.integers(40, 100)):02d}"
    rest = "".join(str(int(d)) for d in rng.integers(0, 10, 6))
    return f"001{sex_century}{yy}{rest}"


# --------------------------------------------------------------------------------------
# Noise
# --------------------------------------------------------------------------------------

_ABBREVIATIONS = (
    ("Ủy ban nhân dân", "UBND"), ("tổ dân phố", "TDP"), ("an ninh trật tự", "ANTT"),
    ("phòng cháy, chữa cháy", "PCCC"), ("an toàn giao thông", "ATGT"),
    ("vệ sinh môi trường", "VSMT"), ("Mặt trận Tổ quốc", "MTTQ"), ("Hội đồng nhân dân", "HĐND"),
    ("bảo hiểm y tế", "BHYT"), ("giấy chứng nhận quyền sử dụng đất", "GCN QSDĐ"),
)
_EXPANSIONS = (("UBND phường", "Ủy ban nhân dân phường"), ("UBND quận", "Ủy ban nhân dân quận"),
               ("PCCC", "phòng cháy, chữa cháy"), ("ANTT", "an ninh trật tự"))
# New-style (on the main vowel) -> old-style tone placement, for oa/oe/uy syllables.
_TONES = {"a": "àáảãạ", "e": "èéẻẽẹ", "y": "ỳýỷỹỵ"}
_O_TONES = "òóỏõọ"
_U_TONES = "ùúủũụ"
_OLD_STYLE: dict[str, str] = {}
for _i in range(5):
    _OLD_STYLE[_O_TONES[_i] + "a"] = "o" + _TONES["a"][_i]
    _OLD_STYLE[_O_TONES[_i] + "e"] = "o" + _TONES["e"][_i]
    _OLD_STYLE[_U_TONES[_i] + "y"] = "u" + _TONES["y"][_i]
_OLD_TO_NEW = {v: k for k, v in _OLD_STYLE.items()}


def old_tone_marks(text: str) -> str:
    """'hòa' -> 'hoà', 'thủy' -> 'thuỷ', 'khỏe' -> 'khoẻ' (only where the syllable ends there).

    The brief calls this placement "old"; typists disagree on which is old, what matters is that
    both occur in real minutes and normalisation must make them one.
    """
    out = text
    for new, old in _OLD_STYLE.items():
        i = out.find(new)
        while i >= 0:
            end = i + len(new)
            if end == len(out) or not out[end].isalpha():
                out = out[:i] + old + out[end:]
            i = out.find(new, i + 1)
    return out


def new_tone_marks(text: str) -> str:
    """The reverse of old_tone_marks, so the bank can be written either way."""
    out = text
    for old, new in _OLD_TO_NEW.items():
        i = out.find(old)
        while i >= 0:
            end = i + len(old)
            if end == len(out) or not out[end].isalpha():
                out = out[:i] + new + out[end:]
            i = out.find(old, i + 1)
    return out


def strip_diacritics(text: str) -> str:
    s = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFC", "".join(c for c in s if not unicodedata.combining(c)))


def _typo(rng: np.random.Generator, text: str) -> str:
    """One small slip of the keyboard or of the pen."""
    words = text.split(" ")
    kind = int(rng.integers(5))
    if kind == 0 and len(words) > 4:  # a doubled word
        i = int(rng.integers(1, len(words) - 1))
        words.insert(i, words[i])
        return " ".join(words)
    if kind == 1:  # a word without its diacritics
        idx = [i for i, w in enumerate(words) if strip_diacritics(w) != w]
        if idx:
            i = _pick(rng, idx)
            words[i] = strip_diacritics(words[i])
        return " ".join(words)
    if kind == 2:  # double space, no final full stop
        i = int(rng.integers(1, max(2, len(words))))
        return (" ".join(words[:i]) + "  " + " ".join(words[i:])).rstrip(".")
    if kind == 3:  # two letters swapped in one word
        idx = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
        if idx:
            i = _pick(rng, idx)
            w = words[i]
            j = int(rng.integers(1, len(w) - 1))
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
        return " ".join(words)
    return text[0].lower() + text[1:] if text else text  # lower-case start


def abbreviate(rng: np.random.Generator, text: str) -> str:
    out = text
    for full, abbr in _ABBREVIATIONS:
        if full in out and rng.random() < 0.6:
            out = out.replace(full, abbr)
        cap = full[0].upper() + full[1:]
        if cap in out and rng.random() < 0.6:
            out = out.replace(cap, abbr)
    return out


def expand(rng: np.random.Generator, text: str) -> str:
    out = text
    for abbr, full in _EXPANSIONS:
        if abbr in out and rng.random() < 0.5:
            out = out.replace(abbr, full, 1)
    return out


# --------------------------------------------------------------------------------------
# Composition
# --------------------------------------------------------------------------------------


def _cap(s: str) -> str:
    s = s.strip()
    return s[:1].upper() + s[1:] if s else s


def _fill(template: str, slots: dict[str, str]) -> str:
    return template.format(**slots)


def issues_for(topic: str, year: int) -> list[Issue]:
    return [i for i in ISSUES if i.topic == topic and (not i.years or year in i.years)]


def _choose_issue(rng: np.random.Generator, topic: str, year: int) -> Issue:
    cands = issues_for(topic, year)
    w = np.array([i.weight for i in cands], dtype=float)
    return cands[int(rng.choice(len(cands), p=w / w.sum()))]


def _request_sentence(rng: np.random.Generator, issue: Issue, slots: dict[str, str]) -> str:
    lead = _pick(rng, _REQUEST_LEADS)
    return _fill(lead, {"auth": _pick(rng, issue.authorities),
                        "req": _fill(_pick(rng, issue.requests), slots)})


@dataclass
class Opinion:
    """One generated text with its truth (what the generator meant)."""

    text: str
    topics: tuple[str, ...]
    issue: Issue
    frame: str
    has_phone: bool = False
    has_cccd: bool = False
    has_name: bool = False
    planted: list[tuple[str, str]] = field(default_factory=list)  # (kind, verbatim text)


@dataclass(frozen=True)
class Concern:
    """One request of a ward: an issue about one place (or about the whole ward, for an issue
    whose texts name no place). Groups that raise the same concern word it differently; the
    consolidated list should put them together, and the truth tables name it by `key`."""

    key: str  # the same wherever and whenever it is raised: issue key [| the place]
    issue: Issue
    slots: tuple[tuple[str, str], ...]  # the place, fixed for the concern
    used: frozenset[str] = frozenset()  # the place slots its texts name

    @property
    def topic(self) -> str:
        return self.issue.topic

    def fits(self, template: str) -> bool:
        """Whether `template` names no place other than the concern's."""
        return _place_slots(template) <= self.used


#: The key of the opinions that only agree with the report (no request).
AGREE_KEY = "khac-agree"


def _place_slots(template: str) -> frozenset[str]:
    return frozenset(("place" if s == "at_place" else s) for s in _SLOT_RE.findall(template)
                     if s in PLACE_SLOTS)


def new_concern(rng: np.random.Generator, issue: Issue, ward_code: str) -> Concern:
    """A concern about `issue` at a place of the ward drawn now (none if it names no place).

    The place is the one a problem statement of the issue names (an issue may describe the
    same trouble at an alley in one wording and at a landmark in another: a concern keeps
    to one), so every opinion of the concern names the same place, or none.
    """
    slots = _place(rng, ward_code)
    used = _place_slots(_pick(rng, issue.problems))
    key = issue.key + "".join(f"|{slots[s]}" for s in sorted(used))
    return Concern(key, issue, tuple(slots.items()), used)


_ALLEY_RE = re.compile(r"\b(ngõ|ngách|hẻm) (\d[\d/]*) ")


def _vary_place(rng: np.random.Generator, slots: dict[str, str]) -> dict[str, str]:
    """The concern's place as another person writes it: "ngõ 46 Lò Đúc", "ngõ số 46 Lò Đúc",
    "ngõ 46 phố Lò Đúc"; "tại" or "ở"."""
    out = dict(slots)
    r = rng.random()
    for key in ("place", "ngo"):
        text = out[key]
        if r < 0.2:
            text = _ALLEY_RE.sub(r"\1 số \2 ", text, count=1)
        elif r < 0.4 and not out["street"].lower().startswith(("phố", "đường")):
            text = _ALLEY_RE.sub(r"\1 \2 phố ", text, count=1)
        out[key] = text
    at = "" if out["place"].startswith("khu vực") else _pick(rng, ("tại", "ở", "tại"))
    out["at_place"] = f"{at} {out['place']}".strip()
    return out


def _groups_named(numbers: list[int]) -> str:
    """"tổ dân phố số 3, số 7 và số 12" as ward summaries write the groups that raised it."""
    words = [f"số {n}" for n in numbers]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " và " + words[-1]


def compose(rng: np.random.Generator, topic: str, year: int, ward_code: str,
            second_topic: str | None = None, level: str = "to_dan_pho",
            concern: Concern | None = None, repeat_year: int | None = None,
            named_groups: list[int] | None = None, agree: bool = False) -> Opinion:
    """One opinion text on `topic` (and `second_topic` if given), before noise.

    concern: the request it makes (its issue and place); None draws a new issue and place.
    repeat_year: the year the same group (or ward) raised it before; the minute-taker may say
    so. named_groups: for a ward-level opinion, the numbers of the groups it carries forward
    (named in some). agree: an opinion that only agrees with the report (no request).
    """
    slots0 = {"year": str(year), "prev_year": str(year - 1)}
    if agree:
        issue = _choose_issue(rng, "khac", year)
        text = _fill(_pick(rng, _AGREE_ONLY), slots0)
        return Opinion(text, ("khac",), issue, "agree")
    if concern is not None:
        issue = concern.issue
        slots = _vary_place(rng, dict(concern.slots)) | slots0
        fits = concern.fits
    else:
        issue = _choose_issue(rng, topic, year)
        slots = _place(rng, ward_code) | slots0

        def fits(template: str) -> bool:
            return True
    problems = [p for p in issue.problems if fits(p)]
    short = [p for p in issue.short if fits(p)]
    questions = [p for p in issue.questions if fits(p)]
    problem_t = _pick(rng, problems)
    problem = _fill(problem_t, slots)
    # A place named in the problem is not named again in the opener.
    opener_slots = slots | {"at_place": "trong ngõ"} if "{at_place}" in problem_t else slots
    opener = _fill(_pick(rng, _OPENERS), opener_slots)
    if second_topic is not None:
        other = _choose_issue(rng, second_topic, year)
        slots2 = _place(rng, ward_code) | slots0
        p2 = _fill(_pick(rng, other.problems), slots2)
        r1 = _fill(_pick(rng, issue.requests), slots)
        r2 = _fill(_pick(rng, other.requests), slots2)
        head = _pick(rng, (f"{opener} hai nội dung: thứ nhất, ", f"{opener} ",
                           "Ý kiến gồm hai vấn đề: "))
        joiners = ["; ngoài ra, ", "; đồng thời ", ". Bên cạnh đó, "]
        if "thứ nhất" in head:
            joiners += ["; thứ hai, ", "; thứ hai, "]
        joiner = _pick(rng, joiners)
        text = (f"{head}{problem}{joiner}{p2}. Đề nghị {_pick(rng, issue.authorities)} {r1}, "
                f"{_pick(rng, ('đồng thời', 'và', 'cùng với đó là'))} {r2}.")
        return _for_ward(rng, Opinion(_cap(text), (topic, second_topic), issue, "two_issues"),
                         level, named_groups)

    r = rng.random()
    if repeat_year is not None and rng.random() < 0.35:
        frame = "recurrent"
        lead = _fill(_pick(rng, _RECURRENT), slots | {"prev_year": str(repeat_year)})
        text = f"{lead} {problem}. {_request_sentence(rng, issue, slots)}"
    elif r < 0.42:
        frame = "report_request"
        when = f" {_pick(rng, _TIMES)}" if rng.random() < 0.25 else ""
        text = f"{opener} {problem}.{when} {_request_sentence(rng, issue, slots)}"
    elif r < 0.55:
        frame = "request_first"
        req = _fill(_pick(rng, issue.requests), slots)
        text = (f"Đề nghị {_pick(rng, issue.authorities)} {req}, "
                f"{_pick(rng, ('vì', 'do', 'bởi hiện nay'))} {problem}.")
    elif r < 0.68 and (questions or short):
        frame = "question"
        if questions and rng.random() < 0.6:
            q = _fill(_pick(rng, questions), slots)
        else:
            req = _fill(_pick(rng, issue.requests), slots)
            q = _pick(rng, (f"bao giờ {_pick(rng, issue.authorities)} mới {req}",
                            f"khi nào thì {req}",
                            f"đến bao giờ {problem.split(',')[0]} mới được giải quyết"))
        text = _cap(_fill(_pick(rng, _QUESTION_LEADS), {"q": _cap(q) if rng.random() < 0.5 else q}))
    elif r < 0.82 and short:
        frame = "terse"
        s = _fill(_pick(rng, short), slots)
        tail = _pick(rng, (", đề nghị xử lý.", " – đề nghị phường xử lý.", ". Đề nghị kiểm tra.",
                           f", đề nghị {_fill(_pick(rng, issue.requests), slots)}.",
                           ".", " (đã phản ánh nhiều lần)."))
        text = s + tail
    elif r < 0.92:
        frame = "praise_but"
        text = (f"{_pick(rng, _PRAISE)}, tuy nhiên {problem}. "
                f"{_request_sentence(rng, issue, slots)}")
    else:
        frame = "personal"
        lead = _pick(rng, ("Gia đình tôi ở {place},", "Nhà tôi ngay {place},",
                           "Các hộ chúng tôi {at_place} rất bức xúc vì"))
        local = _fill(problem_t, slots | {"at_place": _pick(rng, _HERE)})
        text = f"{_fill(lead, slots)} {local}. {_request_sentence(rng, issue, slots)}"
    return _for_ward(rng, Opinion(_cap(text), (topic,), issue, frame), level, named_groups)


def _for_ward(rng: np.random.Generator, op: Opinion, level: str,
              named_groups: list[int] | None) -> Opinion:
    """A ward-level opinion as ward summaries open it: on behalf of the groups, sometimes
    naming them."""
    if level != "phuong":
        return op
    text = op.text
    if named_groups:
        lead = _pick(rng, ("Cử tri tổ dân phố {g} phản ánh: ", "Ý kiến của tổ dân phố {g}: ",
                           "Tổ dân phố {g} kiến nghị: "))
        text = lead.format(g=_groups_named(named_groups)) + text[0].lower() + text[1:]
    elif rng.random() < 0.35:
        text = _pick(rng, ("Thay mặt cử tri tổ dân phố, ", "Đại diện các tổ dân phố phản ánh: ",
                           "Tổng hợp từ hội nghị các tổ dân phố: ")) + text[0].lower() + text[1:]
    op.text = _cap(text)
    return op


def add_personal_data(rng: np.random.Generator, op: Opinion, ward_code: str,
                      phone: bool, cccd: bool, name: bool) -> Opinion:
    """Put a phone number, a CCCD number and/or a named person into the text."""
    text = op.text.rstrip()
    if name:
        hon, full = person_name(rng)
        slots = _place(rng, ward_code)
        house = f"số {int(rng.integers(1, 120))} {slots['ngo']}"
        kind = int(rng.integers(4))
        if kind == 0:
            text = f"{hon.capitalize()} {full} ở {house} phản ánh: {text[0].lower()}{text[1:]}"
        elif kind == 1:
            text = f"{text} Người phản ánh: {hon} {full}, {house}."
        elif kind == 2:
            text = (f"{text} Cụ thể là hộ {hon} {full} ({house}) "
                    f"{_pick(rng, ('vi phạm nhiều lần', 'đã được nhắc nhở nhưng không chấp hành'))}.")
        else:
            text = f"{text} Đề nghị liên hệ {hon} {full} (tổ trưởng) để phối hợp."
        op.has_name = True
        op.planted.append(("name", full))
        if kind != 3:
            op.planted.append(("house", house))
    if cccd:
        num = cccd_number(rng)
        text = f"{text} {_pick(rng, ('CCCD số', 'Số CCCD:', 'căn cước công dân số', 'CCCD'))} {num}."
        op.has_cccd = True
        op.planted.append(("id_number", num))
    if phone:
        num = phone_number(rng)
        text = f"{text} {_pick(rng, ('Liên hệ:', 'SĐT', 'ĐT:', 'Số điện thoại:', 'Điện thoại liên hệ'))} {num}."
        op.has_phone = True
        op.planted.append(("phone", num))
    op.text = text.replace("..", ".")
    return op


_BANKS = ("Vietcombank", "Agribank", "BIDV", "VietinBank", "Techcombank", "MB", "ACB")
_NICKS = ("Bánh Cuốn", "Hàng Xôi", "Sửa Xe", "Tạp Hóa", "Hoa Tươi", "Mẹ Bắp")
_TITLES = ("Tổ trưởng", "Tổ phó", "Bí thư chi bộ", "Trưởng ban công tác Mặt trận",
           "Chi hội trưởng phụ nữ", "Cảnh sát khu vực")


def _digits(rng: np.random.Generator, n: int) -> str:
    return "".join(str(int(d)) for d in rng.integers(0, 10, n))


def add_more_personal_data(rng: np.random.Generator, op: Opinion, ward_code: str) -> Opinion:
    """One more kind of personal data, as minutes and petitions write it (see module doc)."""
    hon, full = person_name(rng)
    given = full.split()[-1]
    kind = int(rng.integers(11))
    text = op.text.rstrip()
    if kind == 0:  # a full name with no honorific, opening the opinion
        text, item = f"{full} phản ánh: {text[0].lower()}{text[1:]}", ("name", full)
    elif kind == 1:  # after a title
        title = _pick(rng, _TITLES)
        text, item = f"{text} {title} {full} đã ghi nhận ý kiến.", ("name", full)
    elif kind == 2:  # given names alone, after honorifics
        other = person_name(rng)[1].split()[-1]
        text = f"{text} Cháu {given} nhà {hon} {other} cũng bị ảnh hưởng."
        item = ("name", f"Cháu {given} nhà {hon} {other}")
    elif kind == 3:  # a house number before its alley
        slots = _place(rng, ward_code)
        house = f"Nhà số {int(rng.integers(1, 150))}"
        text, item = f"{text} {house} {slots['ngo']} bị ảnh hưởng nhiều nhất.", ("house", house)
    elif kind == 4:  # a flat or room number
        flat = _pick(rng, (f"P.{int(rng.integers(1, 13))}0{int(rng.integers(1, 9))}",
                           f"căn hộ {int(rng.integers(2, 25))}0{int(rng.integers(1, 9))}"))
        text, item = f"{text} Hộ ở {flat} tòa B đề nghị được trả lời.", ("house", flat)
    elif kind == 5:  # a vehicle plate
        plate = (f"{_pick(rng, ('29', '30'))}{_pick(rng, 'ABCDEFGHK')}-"
                 f"{_digits(rng, 3)}.{_digits(rng, 2)}")
        text, item = f"{text} Xe ô tô {plate} thường xuyên đỗ chắn lối đi.", ("plate", plate)
    elif kind == 6:  # a date of birth
        dob = f"{int(rng.integers(1, 29)):02d}/{int(rng.integers(1, 13)):02d}/{int(rng.integers(1935, 1965))}"
        text, item = f"{text} ({hon.capitalize()} {full}, sinh ngày {dob}.)", ("dob", dob)
        op.planted.append(("name", full))
    elif kind == 7:  # a bank account
        account = f"{_pick(rng, ('1', '2', '7'))}{_digits(rng, 12)}"
        text = f"{text} Ủng hộ xin chuyển vào STK {account} {_pick(rng, _BANKS)}."
        item = ("bank_account", account)
    elif kind == 8:  # a social account
        handle = _pick(rng, (f"{given} {_pick(rng, _NICKS)}",
                             f"facebook.com/{strip_diacritics(given).lower()}.{_digits(rng, 4)}"))
        sep = ": " if "/" not in handle else " "
        text, item = f"{text} Ảnh đã đăng trên zalo{sep}{handle}.", ("social", handle)
    elif kind == 9:  # a passport number
        passport = f"{_pick(rng, 'BC')}{_digits(rng, 7)}"
        text, item = f"{text} Người thuê nhà có hộ chiếu số {passport}.", ("passport", passport)
    else:  # a personal tax number (personal ones start with 8)
        tax = f"8{_digits(rng, 9)}"
        text, item = f"{text} Hộ kinh doanh có mã số thuế {tax}.", ("tax_id", tax)
    op.text = text.replace("..", ".")
    op.planted.append(item)
    return op


def add_noise(rng: np.random.Generator, text: str, old_style: bool = False) -> tuple[str, str]:
    """Abbreviations, old tone marks, typos, missing diacritics; returns (text, what was done)."""
    done = []
    if rng.random() < 0.55:
        text = abbreviate(rng, text)
        done.append("abbr")
    elif rng.random() < 0.3:
        text = expand(rng, text)
    if old_style and rng.random() < 0.9:
        text = old_tone_marks(text)
        done.append("old_tones")
    r = rng.random()
    if r < 0.015:
        text = strip_diacritics(text)
        done.append("no_diacritics")
    elif r < 0.08:
        text = _typo(rng, text)
        done.append("typo")
    return text, ";".join(done)


def draw_topic(rng: np.random.Generator, year: int) -> str:
    """A primary topic in the year's intended mix (TOPIC_WEIGHTS)."""
    weights = TOPIC_WEIGHTS.get(year, TOPIC_WEIGHTS[2023])
    codes = list(weights)
    p = np.array([weights[c] for c in codes], dtype=float)
    return codes[int(rng.choice(len(codes), p=p / p.sum()))]


def generate_opinion(rng: np.random.Generator, year: int, ward_code: str,
                     level: str = "to_dan_pho", old_style: bool | None = None,
                     pii_rng: np.random.Generator | None = None, *,
                     topic: str | None = None, concern: Concern | None = None,
                     repeat_year: int | None = None, named_groups: list[int] | None = None,
                     agree: bool = False) -> Opinion:
    """One finished opinion (with noise and, sometimes, personal data).

    old_style: whether the minute-taker places tone marks the other way (hoà, thuỷ); a
    typist keeps one habit, so the caller decides per conference. None draws it.
    pii_rng: the stream that decides the other kinds of personal data (none without it).
    topic / concern / repeat_year / named_groups / agree: see :func:`compose` (a topic is
    drawn from the year's mix when neither topic nor concern is given).
    """
    weights = TOPIC_WEIGHTS.get(year, TOPIC_WEIGHTS[2023])
    if agree:
        topic = "khac"
    elif concern is not None:
        topic = concern.topic
    elif topic is None:
        topic = draw_topic(rng, year)
    second = None
    # a ward summary's line carries one request (a group's opinion may raise two)
    one = level == "phuong" and concern is not None
    if topic != "khac" and not agree and rng.random() < 0.15 and not one:
        others = [c for c in weights if c not in (topic, "khac")]
        q = np.array([weights[c] for c in others], dtype=float)
        second = others[int(rng.choice(len(others), p=q / q.sum()))]
    op = compose(rng, topic, year, ward_code, second, level, concern=concern,
                 repeat_year=repeat_year, named_groups=named_groups, agree=agree)
    op.text = new_tone_marks(op.text)  # one convention before the noise decides
    phone = rng.random() < PHONE_RATE
    cccd = rng.random() < CCCD_RATE
    name = rng.random() < NAME_RATE
    if old_style is None:
        old_style = rng.random() < OLD_STYLE_SHARE
    text, _ = add_noise(rng, op.text, old_style)
    op.text = text
    if phone or cccd or name:
        op = add_personal_data(rng, op, ward_code, phone, cccd, name)
    if pii_rng is not None and pii_rng.random() < EXTRA_PERSONAL_RATE:
        op = add_more_personal_data(pii_rng, op, ward_code)
    op.text = unicodedata.normalize("NFC", " ".join(op.text.split(" ")).strip())
    op.planted = [(k, unicodedata.normalize("NFC", v)) for k, v in op.planted]
    return op


# --------------------------------------------------------------------------------------
# Follow-up: who answers, what they said
# --------------------------------------------------------------------------------------

_STATUS_P = {
    "Tổ dân phố": {"resolved": 0.8, "in_progress": 0.2, "forwarded": 0.0},
    "UBND phường": {"resolved": 0.6, "in_progress": 0.3, "forwarded": 0.1},
    "UBND quận": {"resolved": 0.2, "in_progress": 0.3, "forwarded": 0.5},
    "Thành phố": {"resolved": 0.05, "in_progress": 0.15, "forwarded": 0.8},
}
_RESPONSES = {
    "resolved": (
        "Đã chỉ đạo tổ dân phố phối hợp xử lý, kết quả đã thông báo tới bà con.",
        "UBND phường đã kiểm tra, xử lý dứt điểm trong tháng {m}/{year}.",
        "Đã khắc phục xong.",
        "Đã làm việc với đơn vị liên quan, vụ việc đã được giải quyết.",
        "Đã giải quyết, trả lời cử tri tại hội nghị.",
        "Đã xử lý; tổ dân phố tiếp tục theo dõi, báo cáo nếu tái diễn.",
        "Đã tiếp thu, thực hiện từ quý {q}/{year}.",
    ),
    "in_progress": (
        "Đang khảo sát, dự kiến thực hiện trong quý {q}/{year}.",
        "UBND phường đang phối hợp các đơn vị kiểm tra, xử lý.",
        "Đã đưa vào kế hoạch năm {year}, đang triển khai.",
        "Đang tiếp tục xử lý, sẽ thông báo kết quả tại tổ dân phố.",
        "Đã giao bộ phận chuyên môn xem xét, đang hoàn thiện hồ sơ.",
    ),
    "forwarded": (
        "Đã tổng hợp, chuyển UBND quận xem xét giải quyết theo thẩm quyền.",
        "Nội dung thuộc thẩm quyền cấp trên, đã chuyển UBND quận.",
        "Đã báo cáo, đề xuất Thành phố xem xét.",
        "Đã chuyển các sở, ngành liên quan giải quyết theo thẩm quyền.",
        "Đã có văn bản gửi UBND quận, chờ trả lời.",
    ),
}


_RESOLVED_BY = {
    "Tổ dân phố": ("Tổ dân phố đã vận động các hộ, tình trạng đã chấm dứt.",
                   "Đã nhắc nhở, các hộ cam kết thực hiện.",
                   "Tổ đã họp dân, thống nhất cách làm; đã thực hiện xong."),
    "UBND quận": ("UBND quận đã trả lời bằng văn bản; nội dung đã được giải quyết.",
                  "Đã được UBND quận bố trí kinh phí, thi công xong tháng {m}/{year}."),
    "Thành phố": ("Đã được Thành phố đưa vào danh mục đầu tư, hoàn thành tháng {m}/{year}.",
                  "Các sở, ngành của Thành phố đã trả lời, nội dung đã được giải quyết."),
}


def follow_up(rng: np.random.Generator, op: Opinion, year: int, level: str) -> tuple[str, str, str]:
    """(addressed_to, status, response) for an opinion that has been answered."""
    addressed = list(op.issue.addressed)
    if level == "phuong":
        addressed = [a for a in addressed if a != "Tổ dân phố"] or ["UBND phường"]
    elif "UBND phường" in addressed and rng.random() < 0.25:  # small local matters
        addressed = ["Tổ dân phố", *addressed]
    to = _pick(rng, addressed)
    p = _STATUS_P[to].copy()
    if year <= 2022:  # older opinions have had longer to be resolved
        p["resolved"] += 0.15
        p["in_progress"] = max(0.0, p["in_progress"] - 0.15)
    statuses = list(p)
    w = np.array([p[s] for s in statuses])
    status = statuses[int(rng.choice(len(statuses), p=w / w.sum()))]
    options = _RESPONSES[status]
    if status == "resolved" and to in _RESOLVED_BY and rng.random() < 0.7:
        options = _RESOLVED_BY[to]
    resp = _pick(rng, options).format(
        m=int(rng.integers(3, 13)), q=_pick(rng, ("II", "III", "IV")), year=year)
    return to, status, resp

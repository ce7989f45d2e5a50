"""Redaction of personal data in opinion text, before any opinion is shown for sharing.

Minutes name the people who spoke and the people they speak about ("Ông Nguyễn Văn Dũng
(số nhà 12 ngõ 46 Lò Đúc) phản ánh ...", "Tổ trưởng Lê Thị Nhung", "cháu Vy nhà chị
Loan"), and petitions carry phone, ID, passport and tax numbers, bank accounts, dates of
birth, plates, e-mails and social accounts. Reports for leadership must not repeat them.
What must survive is what the opinion is about: streets, alleys and wards (many named after
people: "phố Lê Đại Hành", "ngõ 259 Phố Vọng"), organisations, amounts, dates, and the folk
and historical figures minutes mention ("bà Trưng", "ông Công ông Táo", "Bác Hồ").

- `patterns`: everything with a shape (numbers, plates, addresses, e-mails, links);
- `names`: people's names from what introduces them and their shape, with word lists in
  `resources/names/` (surnames, given and middle names, titles, places, figures);
- `ner`: underthesea's bundled tagger, asked only where the rules are unsure.

Each item is replaced by a Vietnamese word in brackets, so a redacted sentence still reads
naturally ("ông [họ tên] ([số điện thoại]) đề nghị ...") and redacting twice changes
nothing. Input is read in NFC, so NFD and NFC text give the same output.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from . import lexicon, names, ner, patterns

#: The token each kind of personal data is replaced with.
REPLACEMENTS: dict[str, str] = {
    "name": "[họ tên]",
    "phone": "[số điện thoại]",
    "id_number": "[số CCCD]",
    "passport": "[số hộ chiếu]",
    "tax_id": "[mã số thuế]",
    "bank_account": "[số tài khoản]",
    "email": "[email]",
    "social": "[tài khoản mạng xã hội]",
    "plate": "[biển số xe]",
    "dob": "[ngày sinh]",
    "house": "[số nhà]",
    "number": "[dãy số]",
}
#: What each kind is called in the review list.
KIND_LABELS: dict[str, str] = {
    "name": "họ tên", "phone": "số điện thoại", "id_number": "số CCCD/CMND",
    "passport": "số hộ chiếu", "tax_id": "mã số thuế", "bank_account": "số tài khoản",
    "email": "email", "social": "mạng xã hội", "plate": "biển số xe", "dob": "ngày sinh",
    "house": "số nhà, số phòng",
    "number": "dãy số khác (giấy tờ, tài khoản…)",
}

Span = tuple[int, int]
_TOKEN_RE = re.compile("|".join(re.escape(t) for t in REPLACEMENTS.values()))
_YEAR_AFTER_NAME_RE = re.compile(
    r"\s*\(\s*((?:19|20)\d{2}(?:\s?[-–]\s?(?:19|20)\d{2})?)\s*\)")


@dataclass(frozen=True)
class Finding:
    """One span of the (NFC) text: personal data to remove, or a doubt kept for review.

    `sure` is False where the statistical tagger decided; `reason` says why, in Vietnamese.
    """

    kind: str
    start: int
    end: int
    text: str
    sure: bool = True
    reason: str = ""


@dataclass(frozen=True)
class Scan:
    """What redaction found in one text: `found` is removed, `doubts` were kept."""

    text: str
    found: tuple[Finding, ...]
    doubts: tuple[Finding, ...]

    @property
    def redacted(self) -> str:
        out: list[str] = []
        last = 0
        for f in self.found:
            out.append(self.text[last:f.start])
            out.append(REPLACEMENTS[f.kind])
            last = f.end
        out.append(self.text[last:])
        return "".join(out)

    @property
    def unsure(self) -> tuple[Finding, ...]:
        """Spans a person should look at: removed by the tagger's say-so, or kept in doubt."""
        return tuple(f for f in self.found if not f.sure) + self.doubts


class _Shadow:
    """The text as the finders read it: spaces unified, zero-width characters dropped, with
    the way back to the text's own positions."""

    def __init__(self, text: str) -> None:
        if any(z in text for z in lexicon.ZERO_WIDTH):
            keep = [i for i, ch in enumerate(text) if ch not in lexicon.ZERO_WIDTH]
            self.index = [*keep, len(text)]
            text = "".join(text[i] for i in keep)
        else:
            self.index = None
        self.text = lexicon.unify_spaces(text)
        # the replacement tokens of an earlier redaction are never read again
        self.text = _TOKEN_RE.sub(lambda m: "#" * len(m.group()), self.text)
        self.low = lexicon.fold(self.text)

    def back(self, a: int, b: int) -> Span:
        if self.index is None:
            return a, b
        return self.index[a], self.index[b - 1] + 1 if b > a else self.index[a]


def _resolve(hits: list[tuple[str, int, int, bool, str]]) -> list[tuple[str, int, int, bool, str]]:
    """Earlier hits win overlaps, except that a longer hit replaces shorter ones it covers."""
    kept: list[tuple[str, int, int, bool, str]] = []
    for hit in hits:
        _, a, b, _, _ = hit
        if a >= b:
            continue
        overlapping = [k for k in kept if a < k[2] and k[1] < b]
        if not overlapping:
            kept.append(hit)
        elif all(a <= k[1] and k[2] <= b and (b - a) > (k[2] - k[1]) for k in overlapping) and \
                hit[0] != "name":
            kept = [k for k in kept if k not in overlapping] + [hit]
    return sorted(kept, key=lambda h: h[1])


@lru_cache(maxsize=131072)
def _scan_nfc(text: str) -> Scan:
    shadow = _Shadow(text)
    hits = [(kind, a, b, True, "") for kind, a, b in patterns.find(shadow.text, shadow.low)]
    doubts: list[Finding] = []
    for c in names.find(shadow.text, shadow.low, ner.is_person):
        a, b = shadow.back(c.start, c.end)
        if c.is_name:
            hits.append(("name", c.start, c.end, c.sure, c.reason))
        else:
            doubts.append(Finding("name", a, b, text[a:b], False, c.reason))
    for _, _, b, _, _ in [h for h in hits if h[0] == "name"]:
        m = _YEAR_AFTER_NAME_RE.match(shadow.text, b)
        if m:  # "ông Kha Văn Lũy (1944)": a year of birth in brackets after a name
            hits.append(("dob", m.start(1), m.end(1), True, ""))
    found = []
    for kind, a, b, sure, reason in _resolve(hits):
        a, b = shadow.back(a, b)
        found.append(Finding(kind, a, b, text[a:b], sure, reason))
    taken = [(f.start, f.end) for f in found]
    doubts = [d for d in doubts if not any(d.start < e and s < d.end for s, e in taken)]
    return Scan(text, tuple(found), tuple(doubts))


def scan(text: str) -> Scan:
    """Everything redaction finds in `text` (read as NFC), with its doubts."""
    if not isinstance(text, str):
        text = ""
    return _scan_nfc(unicodedata.normalize("NFC", text))


def find_personal_data(text: str) -> list[tuple[str, Span]]:
    """Every piece of personal data in `text` as (kind, (start, end)), in reading order.

    Kinds: the keys of REPLACEMENTS. Spans index the NFC form of the text. A name span
    covers the name only, not its honorific or title.
    """
    if not isinstance(text, str) or not text:
        return []
    return [(f.kind, (f.start, f.end)) for f in scan(text).found]


def redact(text: str) -> str:
    """`text` with every piece of personal data replaced by a word in brackets.

    >>> redact("Ông Nguyễn Văn An (0912 345 678) ở số nhà 12 ngõ 45 phố Bạch Mai")
    'Ông [họ tên] ([số điện thoại]) ở [số nhà] ngõ 45 phố Bạch Mai'
    """
    if not isinstance(text, str):
        return text
    return _redact_nfc(unicodedata.normalize("NFC", text))


@lru_cache(maxsize=131072)
def _redact_nfc(text: str) -> str:
    out = _scan_nfc(text).redacted
    for _ in range(3):  # until nothing more is found, so redacting twice changes nothing
        again = _scan_nfc(out).redacted if out != text else out
        if again == out:
            break
        out = again
    return out


def cut_before_marker(text: str, end: int) -> int:
    """`end`, or the start of the redaction marker it falls inside: a text shortened at
    `end` ends before '[số điện thoại]', never in the middle of it ('[số điện …')."""
    for m in _TOKEN_RE.finditer(text):
        if m.start() >= end:
            break
        if end < m.end():
            return m.start()
    return end


def redact_series(s: pd.Series) -> pd.Series:
    """`redact` on every text of a Series (each distinct text once); missing values stay."""
    return s.map(redact, na_action="ignore")


_NOTES = {
    "vi": ("Thông tin cá nhân trong ý kiến (họ tên, số điện thoại, số giấy tờ, địa chỉ nhà, "
           "biển số xe, ngày sinh, tài khoản) được che tự động; cán bộ kiểm tra danh sách rà "
           "soát đi kèm báo cáo trước khi gửi ra ngoài.",
           "Báo cáo không hiển thị nguyên văn ý kiến, chỉ tổng hợp theo lĩnh vực.",
           "Ý kiến được hiển thị nguyên văn, KHÔNG che thông tin cá nhân: không gửi ra ngoài."),
    "en": ("Personal data in opinions (names, phone and ID numbers, house numbers, plates, "
           "dates of birth, accounts) is masked automatically; staff check the review list "
           "that comes with the reports before sending them out.",
           "This report shows no opinion verbatim, only summaries by topic.",
           "Opinions are shown as written, personal data NOT masked: do not send this out."),
}


def shown_note(lang: str = "vi", redact: bool = True, verbatim: bool = True) -> str:
    """What a report says about the opinion texts it shows (for the notebooks)."""
    automatic, summaries_only, unmasked = _NOTES.get(lang, _NOTES["vi"])
    if not verbatim:
        return summaries_only
    return automatic if redact else unmasked


def cache_clear() -> None:
    """Forget every text seen (for timing a cold start)."""
    _scan_nfc.cache_clear()
    _redact_nfc.cache_clear()
    ner.cache_clear()


__all__ = ["KIND_LABELS", "REPLACEMENTS", "Finding", "Scan", "cache_clear",
           "cut_before_marker", "find_personal_data", "redact", "redact_series", "scan",
           "shown_note"]

"""The topics' taxonomy: ``resources/topics.yaml`` (or an analyst's own file of the same
shape) read and checked, the topic codes and names, and a staff-coded topic column read
against it. Part of :mod:`hbt_analysis.topics`, which re-exports its public names.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

from hbt_analysis.text import fold, normalize

__all__ = [
    "OTHER",
    "TOPIC_CODES",
    "Taxonomy",
    "TaxonomyError",
    "Topic",
    "load_taxonomy",
    "parse_staff_topics",
    "topic_name",
]

#: The code of "no topic / other" (every taxonomy must have it).
OTHER = "khac"


@dataclass(frozen=True)
class Topic:
    """One topic: its code, names, scope and (phrase, weight) pairs."""

    code: str
    name_vi: str
    name_en: str
    scope: str = ""
    phrases: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    """The topics in display order, plus matching settings."""

    topics: tuple[Topic, ...]
    ignore: tuple[str, ...] = ()
    secondary_min_score: float = 1.0
    min_score: float = 0.7
    first_mention_bonus: float = 0.5
    source: str = ""
    #: `not_a_request`: how an opinion that asks nothing opens (who speaks, then agreement,
    #: thanks or praise) and the words that still make it ask (see :meth:`asks`).
    speakers: tuple[str, ...] = ()
    agreement: tuple[str, ...] = ()
    asks: tuple[str, ...] = ()
    _by_code: dict[str, Topic] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_code.update({t.code: t for t in self.topics})

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.topics)

    def __getitem__(self, code: str) -> Topic:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(
                f"Mã chủ đề không có trong danh mục / unknown topic code: {code!r} "
                f"(có / known: {', '.join(self.codes)})"
            ) from None

    def name(self, code: str, lang: str = "vi") -> str:
        t = self[code]
        return t.name_en if lang == "en" else t.name_vi

    @functools.cached_property
    def not_a_request_patterns(self) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
        if not self.agreement:
            return None

        def alt(words: Iterable[str]) -> str:
            forms = {w for w in words} | {fold(w) for w in words}
            return "|".join(re.escape(w) for w in sorted(forms, key=len, reverse=True))

        speaker = rf"(?:(?:{alt(self.speakers)})\s+)?" if self.speakers else ""
        opens = re.compile(rf"\W*{speaker}(?:(?:cơ bản|co ban|rất|rat)\s+)?"
                           rf"(?:{alt(self.agreement)})(?!\w)")
        asks = re.compile(rf"(?<!\w)(?:{alt(self.asks)})(?!\w)|\?")
        return opens, asks

    def is_request(self, text: str) -> bool:
        """False for an opinion that only agrees, thanks or praises ("Nhất trí với báo
        cáo", "Cảm ơn phường đã sửa đèn ngõ 46", "Bà con phấn khởi …") and asks nothing:
        not a request, so of no topic (khac). `text` normalised and in lower case, with
        or without accents."""
        rx = self.not_a_request_patterns
        if rx is None or not rx[0].match(text):  # the opening only: one step for most
            return True
        return bool(rx[1].search(text))


class TaxonomyError(ValueError):
    """A taxonomy file that cannot be used (message in Vietnamese and English)."""


def _clean_phrase(p: str) -> str:
    return normalize(p).lower()


def _parse_taxonomy(data: object, source: str) -> Taxonomy:
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise TaxonomyError(
            f"{source}: thiếu danh sách 'topics' / the file has no 'topics' list"
        )
    weak_weight = float(data.get("weak_weight", 0.4))
    topics: list[Topic] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["topics"], start=1):
        if not isinstance(raw, dict) or not raw.get("code"):
            problems.append(f"chủ đề thứ {i} không có 'code' / topic #{i} has no 'code'")
            continue
        code = str(raw["code"]).strip()
        if code in seen:
            problems.append(f"mã trùng / duplicate code: {code}")
        seen.add(code)
        phrases: dict[str, float] = {}
        for key, default in (("phrases", 1.0), ("weak", weak_weight)):
            for item in raw.get(key) or []:
                if isinstance(item, dict):
                    text, weight = item.get("phrase"), item.get("weight", default)
                else:
                    text, weight = item, default
                if not isinstance(text, str) or not text.strip():
                    problems.append(
                        f"{code}: cụm từ rỗng hoặc sai / empty or invalid phrase {item!r}"
                    )
                    continue
                try:
                    phrases[_clean_phrase(text)] = float(weight)
                except (TypeError, ValueError):
                    problems.append(f"{code}: trọng số sai / bad weight for {text!r}")
        topics.append(
            Topic(
                code=code,
                name_vi=str(raw.get("name_vi") or code),
                name_en=str(raw.get("name_en") or raw.get("name_vi") or code),
                scope=" ".join(str(raw.get("scope") or "").split()),
                phrases=tuple(phrases.items()),
            )
        )
    if OTHER not in seen:
        problems.append(f"thiếu chủ đề '{OTHER}' / the taxonomy needs a '{OTHER}' topic")
    if problems:
        raise TaxonomyError(f"{source}:\n- " + "\n- ".join(problems))
    return Taxonomy(
        topics=tuple(topics),
        ignore=tuple(_clean_phrase(p) for p in data.get("ignore") or [] if isinstance(p, str)),
        secondary_min_score=float(data.get("secondary_min_score", 1.0)),
        min_score=float(data.get("min_score", 0.7)),
        first_mention_bonus=float(data.get("first_mention_bonus", 0.5)),
        source=source,
        **_not_a_request(data.get("not_a_request")),
    )


def _not_a_request(raw: object) -> dict[str, tuple[str, ...]]:
    """The `not_a_request` section of topics.yaml: speakers, agreement, asks."""
    if not isinstance(raw, dict):
        return {}
    return {key: tuple(_clean_phrase(str(w)) for w in raw.get(key) or [] if str(w).strip())
            for key in ("speakers", "agreement", "asks")}


@functools.lru_cache(maxsize=8)
def _load_cached(path: str | None) -> Taxonomy:
    if path is None:
        ref = resources.files("hbt_analysis").joinpath("resources", "topics.yaml")
        text, source = ref.read_text("utf-8"), "topics.yaml (packaged)"
    else:
        p = Path(path)
        if not p.exists():
            raise FileNotFoundError(
                f"Không tìm thấy tệp danh mục chủ đề / taxonomy file not found: {p}"
            )
        text, source = p.read_text("utf-8"), str(p)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{source}: YAML lỗi / invalid YAML: {exc}") from None
    return _parse_taxonomy(data, source)


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """The packaged taxonomy (``path=None``) or an analyst's own YAML file of the same shape."""
    return _load_cached(None if path is None else str(Path(path).resolve()))


TOPIC_CODES: tuple[str, ...] = load_taxonomy().codes


def topic_name(code: str, lang: str = "vi") -> str:
    """Display name of a topic code in Vietnamese (default) or English (``lang="en"``)."""
    return load_taxonomy().name(code, lang)


def _staff_lookup(taxonomy: Taxonomy) -> dict[str, str]:
    table: dict[str, str] = {}
    for t in taxonomy.topics:
        for label in (t.code, t.name_vi, t.name_en):
            table[fold(label)] = t.code
    return table


def parse_staff_topics(values: pd.Series, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Split a staff column ("code" or "code;code", codes or vi/en names) into primary and
    secondary codes. Unknown labels raise one error listing them all."""
    taxonomy = taxonomy or load_taxonomy()
    lookup = _staff_lookup(taxonomy)
    primary, secondary, unknown = [], [], set()
    for v in values.tolist():
        if v is None or (not isinstance(v, str) and pd.isna(v)) or not str(v).strip():
            primary.append(pd.NA)
            secondary.append(pd.NA)
            continue
        parts = [p.strip() for p in re.split(r"[;|,]", str(v)) if p.strip()]
        codes = []
        for p in parts:
            code = lookup.get(fold(p))
            if code is None:
                unknown.add(p)
            elif code not in codes:
                codes.append(code)
        primary.append(codes[0] if codes else pd.NA)
        secondary.append(codes[1] if len(codes) > 1 else pd.NA)
    if unknown:
        raise ValueError(
            "Cột chủ đề của cán bộ có nhãn không có trong danh mục / the staff topic column "
            f"has labels not in the taxonomy: {', '.join(sorted(unknown))}"
        )
    return pd.DataFrame(
        {"topic_primary": pd.array(primary, dtype="string"),
         "topic_secondary": pd.array(secondary, dtype="string")},
        index=values.index,
    )

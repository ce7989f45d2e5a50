"""Who must answer (cấp giải quyết): each opinion routed to a level — tổ dân phố, phường,
quận/thành phố — or to a sector body (điện lực, cấp nước, thoát nước, môi trường đô thị,
công an, …), from an editable table (resources/routing.yaml, read like topics.yaml).

Where staff filled `addressed_to`, theirs wins; the rules' answer is kept beside it and
:func:`routing_agreement` reports how often the two agree. The rules are phrases, so each
route says which words decided it (`route_matched`).
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

from hbt_analysis.fmt import fmt_int, fmt_pct
from hbt_analysis.labels import unit_words
from hbt_analysis.text import expand_abbreviations, fold, has_diacritics, normalize

__all__ = [
    "LEVEL_ORDER",
    "Router",
    "RoutingError",
    "default_router",
    "route_counts",
    "route_opinions",
    "routing_agreement",
    "routing_sentence",
]

#: What an object of the request vocabulary adds to its answerer's score (the `objects`
#: section of routing.yaml): more than the longest phrase that only names whom the text
#: addresses ("đề nghị ủy ban nhân dân phường" scores 3.5).
OBJECT_WEIGHT = 4.0

#: The levels, from the nearest to the farthest.
LEVEL_ORDER = ("to_dan_pho", "phuong", "quan_tp", "nganh")


class RoutingError(ValueError):
    """A routing table that cannot be used (every problem listed, in Vietnamese and English)."""


@dataclass(frozen=True)
class Target:
    """A level or a body that answers opinions."""

    code: str
    name_vi: str
    name_en: str
    level: str  # the level itself, or the level a body belongs to
    phrases: tuple[tuple[str, float], ...] = ()


@dataclass
class Router:
    """Routes opinions with the phrase table of `path` (None: the packaged routing.yaml)."""

    path: str | Path | None = None
    targets: dict[str, Target] = field(init=False)
    topic_levels: dict[str, str] = field(init=False)
    staff: list[tuple[str, str]] = field(init=False)  # (folded alias, target), longest first

    def __post_init__(self) -> None:
        data, source = _read(self.path)
        self.source = source
        self.targets, self.topic_levels, self.staff, self.objects = _parse(data, source)
        # Two tables: phrases with their accents for a text written with them ("cống" is a
        # drain, "công" is not), without for a text typed without accents.
        accented: dict[str, list[tuple[str, float]]] = {}
        folded: dict[str, list[tuple[str, float]]] = {}
        for t in self.targets.values():
            for phrase, weight in t.phrases:
                accented.setdefault(phrase, []).append((t.code, weight))
                folded.setdefault(fold(phrase), []).append((t.code, weight))
        from hbt_analysis.topics import _trie_regex

        def compile_(table: dict) -> re.Pattern[str] | None:
            return re.compile(r"(?<!\w)(" + _trie_regex(table) + r")(?!\w)") if table else None

        self._tables = {True: (accented, compile_(accented)), False: (folded, compile_(folded))}

    # ----------------------------------------------------------------------------------
    def name(self, code: object, lang: str = "vi") -> str:
        """A level's or body's name ("Phường", "Điện lực"); "—" for none."""
        if not isinstance(code, str) or code not in self.targets:
            return "—"
        t = self.targets[code]
        name = t.name_en if lang == "en" else t.name_vi
        return name.format(**unit_words(lang)) if "{" in name else name

    def level_of(self, code: object) -> str | None:
        return self.targets[code].level if isinstance(code, str) and code in self.targets else None

    def rules(self, text: str, topic: object = None) -> tuple[str, str, str]:
        """(target, level, matched phrases) the rules give one opinion."""
        norm = expand_abbreviations(normalize(text or ""))
        accented = has_diacritics(norm)
        table, rx = self._tables[accented]
        read = norm.lower() if accented else fold(norm)
        scores: dict[str, float] = {}
        first: dict[str, int] = {}
        matched: dict[str, list[str]] = {}
        if rx is not None:
            for pos, m in enumerate(rx.finditer(read)):
                phrase = " ".join(m.group(1).split())
                for code, weight in table.get(phrase, ()):
                    if phrase in matched.get(code, []):
                        continue
                    scores[code] = scores.get(code, 0.0) + (
                        1.0 + 0.5 * (len(phrase.split()) - 1)) * weight
                    first.setdefault(code, pos)
                    matched.setdefault(code, []).append(phrase)
        if self.objects:
            # what the request is about (resources/request_synonyms.yaml) says who answers
            # more often than the body a text happens to name: "đề nghị phường báo công ty
            # chiếu sáng" is answered by the lighting company
            from hbt_analysis.opinions.similarity import request_concepts

            for obj in sorted(request_concepts(text).objects):
                code = self.objects.get(obj)
                if code is not None:
                    scores[code] = scores.get(code, 0.0) + OBJECT_WEIGHT
                    first.setdefault(code, 10**6)
                    matched.setdefault(code, []).append(f"[{obj}]")
        if scores:
            best = min(scores, key=lambda c: (-scores[c], first[c]))
            return best, self.targets[best].level, "; ".join(matched[best])
        level = self.topic_levels.get(str(topic), "phuong") if isinstance(topic, str) \
            else "phuong"
        return level, level, ""

    def staff_target(self, value: object) -> str | None:
        """The level or body staff meant by what they wrote in addressed_to (None if blank
        or not recognised)."""
        if not isinstance(value, str) or not value.strip():
            return None
        key = fold(normalize(value))
        for alias, code in self.staff:
            if key == alias or key.startswith(alias + " ") or key.startswith(alias + ","):
                return code
        return None


def _read(path: str | Path | None) -> tuple[object, str]:
    if path is None:
        ref = resources.files("hbt_analysis").joinpath("resources", "routing.yaml")
        text, source = ref.read_text("utf-8"), "routing.yaml (packaged)"
    else:
        p = Path(path)
        if not p.exists():
            raise FileNotFoundError(f"Không tìm thấy bảng cấp giải quyết / routing table "
                                    f"not found: {p}")
        text, source = p.read_text("utf-8"), str(p)
    try:
        return yaml.safe_load(text), source
    except yaml.YAMLError as exc:
        raise RoutingError(f"{source}: YAML lỗi / invalid YAML: {exc}") from None


def _phrases(raw: object, where: str, problems: list[str]) -> tuple[tuple[str, float], ...]:
    out: dict[str, float] = {}
    for item in raw or []:
        text, weight = (item.get("phrase"), item.get("weight", 1.0)) if isinstance(
            item, dict) else (item, 1.0)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: cụm từ rỗng hoặc sai / empty or invalid phrase {item!r}")
            continue
        try:
            out[" ".join(normalize(text).lower().split())] = float(weight)
        except (TypeError, ValueError):
            problems.append(f"{where}: trọng số sai / bad weight for {text!r}")
    return tuple(out.items())


def _parse(data: object, source: str
           ) -> tuple[dict[str, Target], dict[str, str], list[tuple[str, str]], dict[str, str]]:
    problems: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("levels"), list):
        raise RoutingError(f"{source}: thiếu danh sách 'levels' / the file has no 'levels' list")
    targets: dict[str, Target] = {}
    for raw in data["levels"]:
        code = raw.get("code") if isinstance(raw, dict) else None
        if code not in LEVEL_ORDER:
            problems.append(f"cấp {code!r} không hợp lệ / unknown level {code!r} (có / known: "
                            f"{', '.join(LEVEL_ORDER)})")
            continue
        targets[code] = Target(code, str(raw.get("name_vi") or code),
                               str(raw.get("name_en") or code), code,
                               _phrases(raw.get("phrases"), code, problems))
    missing = [c for c in LEVEL_ORDER if c not in targets]
    if missing:
        problems.append(f"thiếu cấp / levels missing: {', '.join(missing)}")
    for raw in data.get("bodies") or []:
        code = raw.get("code") if isinstance(raw, dict) else None
        if not isinstance(code, str) or not code:
            problems.append(f"một đơn vị không có 'code' / a body has no 'code': {raw!r}")
            continue
        if code in targets:
            problems.append(f"mã trùng / duplicate code: {code}")
        level = raw.get("level", "nganh")
        if level not in LEVEL_ORDER:
            problems.append(f"{code}: cấp {level!r} không hợp lệ / unknown level {level!r}")
        targets[code] = Target(code, str(raw.get("name_vi") or code),
                               str(raw.get("name_en") or code), str(level),
                               _phrases(raw.get("phrases"), code, problems))
    topic_levels = {}
    for topic, level in (data.get("topic_levels") or {}).items():
        if level not in LEVEL_ORDER:
            problems.append(f"topic_levels.{topic}: cấp {level!r} không hợp lệ / unknown level")
        topic_levels[str(topic)] = str(level)
    staff: list[tuple[str, str]] = []
    for code, aliases in (data.get("staff") or {}).items():
        if code not in targets:
            problems.append(f"staff.{code}: không có cấp hay đơn vị này / no such level or body")
            continue
        for alias in aliases or []:
            staff.append((fold(normalize(str(alias))), str(code)))
    staff.sort(key=lambda a: (-len(a[0]), a[0]))
    objects: dict[str, str] = {}
    for obj, code in (data.get("objects") or {}).items():
        if code not in targets:
            problems.append(f"objects.{obj}: không có cấp hay đơn vị {code!r} / no such level "
                            f"or body {code!r}")
            continue
        objects[str(obj)] = str(code)
    if problems:
        raise RoutingError(f"{source}:\n- " + "\n- ".join(problems))
    return targets, topic_levels, staff, objects


@functools.cache
def default_router() -> Router:
    """The packaged table's router, built once per process."""
    return Router()


# --------------------------------------------------------------------------------------
# Routing opinions
# --------------------------------------------------------------------------------------
ROUTE_COLUMNS = ["route", "route_level", "route_source", "route_matched", "route_rules",
                 "route_rules_level", "route_staff"]


def route_opinions(opinions: pd.DataFrame, router: Router | None = None) -> pd.DataFrame:
    """The opinions with who must answer: `route` (level or body code), `route_level`,
    `route_source` ("staff" where staff filled addressed_to and it is recognised, else
    "rules"), `route_matched` (the rules' phrases), and the rules' own answer
    (`route_rules`, `route_rules_level`) and staff's (`route_staff`) for the agreement."""
    router = router or default_router()
    texts = opinions["text"].fillna("").astype(str).tolist()
    topics = (opinions["topic_primary"].tolist() if "topic_primary" in opinions
              else [None] * len(opinions))
    ruled = [router.rules(t, p) for t, p in zip(texts, topics, strict=True)]
    staff_values = (opinions["addressed_to"].tolist() if "addressed_to" in opinions
                    else [None] * len(opinions))
    staff = [router.staff_target(v) for v in staff_values]
    out = opinions.copy()
    out["route_rules"] = [r[0] for r in ruled]
    out["route_rules_level"] = [r[1] for r in ruled]
    out["route_matched"] = [r[2] for r in ruled]
    out["route_staff"] = staff
    out["route"] = [s if s is not None else r[0] for s, r in zip(staff, ruled, strict=True)]
    out["route_level"] = [router.level_of(c) for c in out["route"]]
    out["route_source"] = ["staff" if s is not None else "rules" for s in staff]
    return out


def route_counts(routed: pd.DataFrame, wards: pd.DataFrame | None = None,
                 router: Router | None = None, lang: str = "vi") -> pd.DataFrame:
    """Opinions per level and ward: one row per ward (every ward of `wards`), one column per
    level (in LEVEL_ORDER, by name) and the total."""
    router = router or default_router()
    codes = list(wards["ward_code"]) if wards is not None else sorted(
        routed["ward_code"].dropna().unique())
    names = dict(zip(wards["ward_code"], wards["ward_name"], strict=True)) if wards is not None \
        else {}
    table = pd.crosstab(routed["ward_code"], routed["route_level"]).reindex(
        index=codes, columns=list(LEVEL_ORDER), fill_value=0)
    table.columns = [router.name(c, lang) for c in table.columns]
    table.columns.name = None
    table.insert(0, "ward_name", [names.get(c, c) for c in table.index])
    table["total"] = table.iloc[:, 1:].sum(axis=1).astype("int64")
    table.index.name = "ward_code"
    return table.reset_index()


def routing_agreement(routed: pd.DataFrame, router: Router | None = None,
                      lang: str = "vi") -> pd.DataFrame:
    """Where staff filled addressed_to: how often the rules give the same level, per
    staff level (n, agree, share). The last row is all of them together."""
    router = router or default_router()
    cols = ["level", "level_name", "n", "agree", "share"]
    has = routed["route_staff"].notna() if "route_staff" in routed else pd.Series(dtype=bool)
    if not len(routed) or not has.any():
        return pd.DataFrame(columns=cols)
    sub = routed[has]
    staff_level = sub["route_staff"].map(router.level_of)
    same = staff_level == sub["route_rules_level"]
    rows = []
    for level in LEVEL_ORDER:
        mask = staff_level == level
        if mask.any():
            rows.append({"level": level, "level_name": router.name(level, lang),
                         "n": int(mask.sum()), "agree": int(same[mask].sum())})
    rows.append({"level": "all", "level_name": "Tất cả" if lang == "vi" else "All",
                 "n": len(sub), "agree": int(same.sum())})
    out = pd.DataFrame(rows, columns=cols[:-1])
    out["share"] = out["agree"] / out["n"]
    return out


def routing_sentence(routed: pd.DataFrame, router: Router | None = None,
                     lang: str = "vi", agreement: bool = True) -> str:
    """Where the opinions must go: the count at each level, and (where staff recorded it,
    `agreement`: the analyst's sentence) how often the table agrees with staff."""
    router = router or default_router()
    if routed.empty:
        return ("Không có ý kiến nào để phân theo cấp giải quyết." if lang == "vi"
                else "There are no opinions to route.")
    counts = routed["route_level"].value_counts()
    parts = [f"{router.name(lv, lang).lower() if lang == 'en' else router.name(lv, lang)}"
             f" {fmt_int(counts[lv], lang=lang)}" for lv in LEVEL_ORDER if counts.get(lv, 0)]
    staff = int((routed["route_source"] == "staff").sum()) if agreement else 0
    agree = routing_agreement(routed, router, lang) if staff else None
    if lang == "vi":
        text = "Theo cấp phải giải quyết: " + "; ".join(parts) + " ý kiến."
        if staff:
            share = agree["share"].iloc[-1]
            text += (f" {fmt_int(staff)} ý kiến đã có cấp giải quyết do cán bộ ghi (giữ nguyên); "
                     f"bảng phân cấp cho cùng kết quả ở {fmt_pct(share)} số đó.")
        return text
    text = "By who must answer: " + "; ".join(parts) + " opinions."
    if staff:
        text += (f" Staff recorded who must answer for {fmt_int(staff, lang='en')} (kept); the "
                 f"table agrees with them on {fmt_pct(agree['share'].iloc[-1], lang='en')}.")
    return text


def staff_levels(values: Iterable[object], router: Router | None = None) -> list[str | None]:
    """The level each staff value means (for checks and tests)."""
    router = router or default_router()
    return [router.level_of(router.staff_target(v)) for v in values]

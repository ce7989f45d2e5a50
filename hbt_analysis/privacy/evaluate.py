"""Scoring redaction on a corpus whose personal and keep items someone else marked.

A corpus is JSON lines: {"id", "text", "personal": [{"text", "kind"}], "keep": [{"text",
"kind"}]}. An item counts as removed when, for every time it occurs in the text, the
redacted text has one occurrence fewer of it, and, for a name, of each pair of its words (a
name cut in half still leaks), and, for items with numbers, of each run of 3 or more of its
digits (a number partly masked still leaks). A keep item is untouched when its text
survives every time it occurs. Used by benchmarks/bench_privacy.py and the tests.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from . import redact as _redact


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _count(haystack: str, needle: str) -> int:
    return haystack.count(needle) if needle else 0


def _word_count(haystack: str, words: str) -> int:
    return len(re.findall(r"(?<![^\W_])" + re.escape(words) + r"(?![^\W_])", haystack))


def _digit_runs(s: str) -> list[str]:
    return re.findall(r"\d{3,}", s)


def item_removed(original: str, redacted: str, item: str, kind: str) -> bool | None:
    """Whether every occurrence of `item` in `original` is gone from `redacted` (see top);
    None when the item is not in the text at all (a corpus error, counted apart)."""
    n = _count(original, item)
    if n == 0:
        return None
    if _count(redacted, item) > _count(original, item) - n:
        return False
    if kind == "name":
        original, redacted, item = (_spaces(x) for x in (original, redacted, item))
        words = item.split()
        pieces = [" ".join(words[i:i + 2]) for i in range(len(words) - 1)] or words
        for piece in pieces:
            if _word_count(redacted, piece) > _word_count(original, piece) - n:
                return False
    return all(_count(redacted, run) <= _count(original, run) - n for run in _digit_runs(item))


def _spaces(s: str) -> str:
    return re.sub(r"[^\S\n]", " ", s)


def item_kept(original: str, redacted: str, item: str) -> bool:
    return _count(redacted, item) >= _count(original, item)


def load(path: Path) -> list[dict]:
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            row["text"] = _nfc(row["text"])
            for key in ("personal", "keep"):
                row[key] = [{"text": _nfc(i["text"]), "kind": i["kind"]} for i in row.get(key, [])]
            rows.append(row)
    return rows


def score(rows: list[dict], redact: Callable[[str], str] = _redact) -> dict:
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    keep_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses, broken, not_found = [], [], []
    with_personal = clean = perfect = 0
    for row in rows:
        out = redact(row["text"])
        ok_all = True
        for item in row["personal"]:
            ok = item_removed(row["text"], out, item["text"], item["kind"])
            if ok is None:
                not_found.append((row["id"], item["kind"], item["text"]))
                continue
            per_kind[item["kind"]][0] += ok
            per_kind[item["kind"]][1] += 1
            ok_all &= ok
            if not ok:
                misses.append((row["id"], item["kind"], item["text"], out))
        keep_ok = True
        for item in row["keep"]:
            ok = item_kept(row["text"], out, item["text"])
            keep_kind[item["kind"]][0] += ok
            keep_kind[item["kind"]][1] += 1
            keep_ok &= ok
            if not ok:
                broken.append((row["id"], item["kind"], item["text"], out))
        if row["personal"]:
            with_personal += 1
            clean += ok_all
            perfect += ok_all and keep_ok
    removed = sum(v[0] for v in per_kind.values())
    total = sum(v[1] for v in per_kind.values())
    kept = sum(v[0] for v in keep_kind.values())
    keep_total = sum(v[1] for v in keep_kind.values())
    return {
        "texts": len(rows),
        "personal_items": total,
        "recall": removed / total if total else 1.0,
        "recall_by_kind": {k: {"removed": v[0], "items": v[1], "recall": v[0] / v[1]}
                           for k, v in sorted(per_kind.items())},
        "keep_items": keep_total,
        "keep_rate": kept / keep_total if keep_total else 1.0,
        "keep_by_kind": {k: {"kept": v[0], "items": v[1], "rate": v[0] / v[1]}
                         for k, v in sorted(keep_kind.items())},
        "texts_with_personal": with_personal,
        "fully_clean": clean / with_personal if with_personal else 1.0,
        "clean_and_intact": perfect / with_personal if with_personal else 1.0,
        "items_not_in_text": not_found,
        "misses": misses,
        "broken": broken,
    }



"""The statistical signal: underthesea's bundled named-entity tagger, offline.

Rules decide most names; the tagger is asked only about what they cannot decide (two
capitalised words with no honorific, such as "Hà My" or "Hồng Mai"), and only about the
sentence that holds them, so it runs on few, short texts. Answers are cached per sentence.
"""

from __future__ import annotations

import re
from functools import lru_cache

_SENTENCE_RE = re.compile(r"[^.!?;\n]*")


def _sentence(text: str, start: int, end: int, words: int = 8) -> tuple[str, int]:
    """The clause around [start, end), at most `words` words each side, and its offset."""
    left = max(text.rfind(c, 0, start) for c in ".!?;:\n(") + 1
    rights = [i for i in (text.find(c, end) for c in ".!?;:\n)") if i >= 0]
    right = min(rights) if rights else len(text)
    before = text[left:start].split(" ")
    if len(before) > words + 1:
        left = start - len(" ".join(before[-(words + 1):]))
    after = text[end:right].split(" ")
    if len(after) > words + 1:
        right = end + len(" ".join(after[:words + 1]))
    return text[left:right], left


@lru_cache(maxsize=65536)
def person_spans(sentence: str) -> tuple[tuple[int, int], ...]:
    """Character spans underthesea tags as a person (B-PER/I-PER) in `sentence`."""
    from underthesea import ner

    spans: list[tuple[int, int]] = []
    pos = 0
    current: list[int] | None = None
    for word, _pos, _chunk, tag in ner(sentence):
        at = sentence.find(word, pos)
        if at < 0:
            continue
        pos = at + len(word)
        if tag.endswith("PER"):
            if tag.startswith("I-") and current is not None:
                current[1] = pos
            else:
                current = [at, pos]
                spans.append(current)  # type: ignore[arg-type]
        else:
            current = None
    return tuple((a, b) for a, b in spans)


def is_person(text: str, start: int, end: int) -> bool:
    """Whether the tagger calls text[start:end] (part of) a person's name in its sentence."""
    sentence, offset = _sentence(text, start, end)
    a, b = start - offset, end - offset
    return any(pa < b and a < pb for pa, pb in person_spans(sentence))


def cache_clear() -> None:
    person_spans.cache_clear()

"""underthesea's word segmentation, same output, several times cheaper per text.

Why: cold segmentation is the largest cost of the opinion pipeline at national scale (~3 M
texts a year, each new to the cache). ``underthesea.word_tokenize`` spends about half of
its time in its Rust featurizer, which writes 43 feature strings for every token and hands
them to Python, and a quarter rebuilding its regular expression (fixed words included) and
reading each match's named groups in Python, on every call.

:func:`tokenize_many` does the same work with less waste:

- the regular expression is built once, by underthesea's own recipe (its pattern list and
  the fixed-word alternative exactly as ``tokenize`` writes it), and each token is the
  whole match (the one named group that matched always spans it);
- the 43 feature strings are written in Python from the model's own feature templates
  (``features.bin``) and dictionary, once per distinct token, token pair and token triple
  (words repeat: a year of opinions has a few tens of thousands of distinct tokens), with
  the Rust featurizer's rules (``lower``, ``isdigit`` = parses as an i32, ``istitle`` = the
  first letter of every part is its own upper case, ``is_in_dict`` on the lower case);
- the model itself is underthesea_core's ``CRFTagger.tag``, unchanged.

Guards, since this reads underthesea's internals (the pattern list, the model folder):
the versions are pinned in pyproject.toml / environment.yml; texts with a character outside
the alphabet checked against the Rust featurizer (``SAFE_ALPHABET``: Latin, Vietnamese,
combining accents, punctuation, digits) take underthesea's own featurizer; on first use a
self-check compares a few sentences with ``word_tokenize`` and, if they differ (another
underthesea), every text goes through ``word_tokenize`` with a warning.
tests/test_wordseg.py proves equal output on every bundled and corpus opinion and on
characters of every script.
"""

from __future__ import annotations

import functools
import itertools
import re
import warnings
from collections.abc import Sequence
from operator import itemgetter
from pathlib import Path

__all__ = ["SAFE_ALPHABET", "tokenize_many", "word_tokenize_reference"]

#: Characters whose lower case, upper case and "title" test agree between Python and the
#: Rust featurizer (tests/test_wordseg.py checks every one of them); a text with any other
#: character is featurized by underthesea_core itself. Left out: "ƛ" (U+019B), which has
#: an upper case in Rust's newer Unicode tables and none in Python 3.11's.
SAFE_ALPHABET = ("\x00-\u019a\u019c-\u024f\u0300-\u036f\u1e00-\u1eff\u2000-\u206f"
                 "\u20a0-\u20cf")
_UNSAFE = re.compile(f"[^{SAFE_ALPHABET}]")
_TEMPLATE = re.compile(r"T\[(-?\d+)(?:,(-?\d+))?\](?:\.(\w+))?")
_I32 = re.compile(r"[+-]?[0-9]+")
_GETTERS = [itemgetter(k) for k in range(16)]
_CACHE_MAX = 200_000  # entries per cache (tokens, pairs, triples); cleared past it

_SELF_CHECK = (
    "Đề nghị UBND phường xử lý dứt điểm tình trạng lấn chiếm vỉa hè ở ngõ 35, phố Bạch Mai.",
    "Cử tri phản ánh: rác thải sinh hoạt tập kết sai giờ (từ 17h-19h) gây mất vệ sinh môi "
    "trường; đề nghị xoá bỏ điểm tập kết, kiểm tra 2 lần/tuần.",
    "Hỗ trợ 1.500.000 đồng cho hộ nghèo, T.Ư và TP. Hà Nội; e-mail: abc@xyz.vn, 43H-0530.",
)


def word_tokenize_reference(text: str, fixed_words: Sequence[str]) -> list[str]:
    """underthesea's own call, as text.py used it before: the reference for the tests."""
    from underthesea import word_tokenize

    return word_tokenize(text, use_token_normalize=False, fixed_words=list(fixed_words))


class _Segmenter:
    """The regex, the feature templates with their caches, and the CRF model."""

    def __init__(self, fixed_words: Sequence[str]) -> None:
        import joblib
        import underthesea.pipeline.word_tokenize as wt
        from underthesea.pipeline.text_normalize.character_normalize import (
            normalize_characters_in_text,
        )
        from underthesea.pipeline.word_tokenize import regex_tokenize
        from underthesea_core import CRFFeaturizer, CRFTagger

        self.fixed_words = list(fixed_words)
        patterns = list(regex_tokenize.regex_patterns)
        if self.fixed_words:  # as regex_tokenize.tokenize writes it
            escaped = [re.sub(" ", r"\ ", w) for w in self.fixed_words]
            patterns = ["(?P<fixed_words>\\b" + "\\b|\\b".join(escaped) + "\\b)", *patterns]
        self.pattern = re.compile(r"(" + "|".join(patterns) + ")", re.VERBOSE | re.UNICODE)
        self.normalize_characters = normalize_characters_in_text

        model = Path(wt.__file__).parent / "models" / "ws_crf_vlsp2013_20230727"
        templates = joblib.load(model / "features.bin")
        self.dictionary = joblib.load(model / "dictionary.bin")
        self.tagger = CRFTagger()
        self.tagger.load(str(model / "models.bin"))
        self.rust_featurizer = CRFFeaturizer(templates, self.dictionary)
        self.templates = self._parse(templates)
        # per span, its templates' first offsets (slots); each slot's templates in order
        self.slots = {span: sorted({o1 for _, o1, _, _ in group})
                      for span, group in self.templates.items()}
        flat_order = [j for span, group in self.templates.items()
                      for o in self.slots[span] for j, o1, _, _ in group if o1 == o]
        # the concatenated slots -> the templates' order
        self.order = itemgetter(*sorted(range(len(templates)), key=flat_order.__getitem__))
        self.layout = {
            span: (max(0, -slots[0]), max(0, slots[-1]) + span + 1,
                   self._ends(span, "BOS"), self._ends(span, "EOS"))
            for span, slots in self.slots.items()
        }
        self._caches: dict[int, dict] = {span: {} for span in self.templates}

    @staticmethod
    def _parse(templates: list[str]) -> dict[int, list[tuple[int, int, str | None, str]]]:
        """Templates by span (0: one token, 1: a pair, 2: a triple), each as (position in
        the feature list, first offset, function, syntax). Anything this module does not
        know raises ValueError (the caller then uses word_tokenize)."""
        by_span: dict[int, list[tuple[int, int, str | None, str]]] = {}
        for j, syntax in enumerate(templates):
            m = _TEMPLATE.fullmatch(syntax)
            fn = m and m.group(3)
            if not m or fn not in (None, "lower", "isdigit", "istitle", "is_in_dict"):
                raise ValueError(f"feature template not supported: {syntax!r}")
            o1 = int(m.group(1))
            o2 = int(m.group(2)) if m.group(2) is not None else o1
            if o2 < o1:
                raise ValueError(f"feature template not supported: {syntax!r}")
            by_span.setdefault(o2 - o1, []).append((j, o1, fn, syntax))
        if any(len({o1 for _, o1, _, _ in g}) > len(_GETTERS) for g in by_span.values()):
            raise ValueError("too many feature offsets")
        return by_span

    def _values(self, gram: tuple[str, ...], span: int) -> tuple[tuple[str, ...], ...]:
        """The feature strings of one n-gram for every template of its span, by slot."""
        text = " ".join(gram)
        out = []
        for _, _, fn, syntax in self.templates[span]:
            if fn is None:
                value = text
            elif fn == "lower":
                value = text.lower()
            elif fn == "isdigit":
                value = ("True" if _I32.fullmatch(text) and -2**31 <= int(text) < 2**31
                         else "False")
            elif fn == "istitle":
                value = ("True" if all(p[:1] == p[:1].upper() for p in text.split(" "))
                         else "False")
            else:  # is_in_dict
                value = "True" if text.lower() in self.dictionary else "False"
            out.append(f"{syntax}={value}")
        return self._by_slot(span, out)

    def _by_slot(self, span: int, values: list[str]) -> tuple[tuple[str, ...], ...]:
        """The values of a span's templates (in their order) grouped by first offset."""
        group = self.templates[span]
        return tuple(tuple(v for (_, o1, _, _), v in zip(group, values, strict=True) if o1 == o)
                     for o in self.slots[span])

    def _ends(self, span: int, end: str) -> tuple[tuple[str, ...], ...]:
        return self._by_slot(span, [f"{syntax}={end}" for *_, syntax in self.templates[span]])

    def features(self, tokens: list[str]) -> list[tuple[str, ...]]:
        """Each token's feature strings, in the templates' order (the Rust featurizer's):
        per span, the n-grams' cached strings padded with the BOS / EOS values (a template
        reads "BOS" when its first token is before the text, else "EOS" when its last is
        past the end), each template's column one slice of them."""
        n = len(tokens)
        columns: list[list[tuple[str, ...]]] = []
        for span, (left, right, bos, eos) in self.layout.items():
            cache = self._caches[span]
            if len(cache) > _CACHE_MAX:
                cache.clear()
            keys = (tokens if span == 0  # the n-grams starting at each token that has them
                    else list(zip(*(tokens[k:] for k in range(span + 1)), strict=False)))
            grams = list(map(cache.get, keys))
            for p, v in enumerate(grams):
                if v is None:
                    key = keys[p]
                    grams[p] = cache[key] = self._values((key,) if span == 0 else key, span)
            padded = [bos] * left + grams + [eos] * right
            for k, o1 in enumerate(self.slots[span]):
                columns.append(list(map(_GETTERS[k], padded[left + o1 : left + o1 + n])))
        order, chain = self.order, itertools.chain.from_iterable
        return [order(tuple(chain(row))) for row in zip(*columns, strict=True)]

    def tokens(self, text: str) -> list[str]:
        text = self.normalize_characters(text)
        return [m.group(0) for m in self.pattern.finditer(text)]

    def words(self, text: str) -> list[str]:
        tokens = self.tokens(text)
        if not tokens:
            return []
        if _UNSAFE.search(text):
            feats = self.rust_featurizer.process([[[t] for t in tokens]])[0]
        else:
            feats = self.features(tokens)
        tags = self.tagger.tag(feats)
        out: list[str] = []
        for tag, token in zip(tags, tokens, strict=True):  # as word_tokenize joins them
            if tag == "I-W" and out:
                out[-1] = out[-1] + " " + token
            else:
                out.append(token)
        return out


@functools.cache
def _segmenter(fixed_words: tuple[str, ...]) -> _Segmenter | None:
    """The fast segmenter, or None when it does not reproduce word_tokenize here."""
    try:
        seg = _Segmenter(fixed_words)
        same = all(seg.words(t) == word_tokenize_reference(t, fixed_words)
                   for t in _SELF_CHECK)
    except Exception as exc:  # another underthesea layout: fall back, say why
        warnings.warn(f"fast word segmentation disabled ({exc!r}); using word_tokenize",
                      RuntimeWarning, stacklevel=3)
        return None
    if not same:
        warnings.warn("fast word segmentation differs from word_tokenize with this "
                      "underthesea version; using word_tokenize", RuntimeWarning, stacklevel=3)
        return None
    return seg


def tokenize_many(texts: Sequence[str], fixed_words: Sequence[str] = ()) -> list[list[str]]:
    """``word_tokenize(t, use_token_normalize=False, fixed_words=fixed_words)`` for each
    text, with the same result, faster (see the module's docstring)."""
    seg = _segmenter(tuple(fixed_words))
    if seg is None:
        return [word_tokenize_reference(t, fixed_words) for t in texts]
    return [seg.words(t) for t in texts]

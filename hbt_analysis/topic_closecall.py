"""The second opinion on close calls of the topic rules.

The phrase rules of topics.yaml decide most opinions clearly. Where the two best topics
are within ``CLOSE_CALL_MARGIN`` of each other, or one topic is found alone on one short
phrase (``LONE_TOPIC_MAX``), or the best is too weak to count, a small
linear model (TF-IDF of syllables + logistic regression, trained on the project's
labelled opinions) picks between those two topics (or, where the best is too weak, between
it and ``khac``).
It is consulted only there — about a sixth of real opinions, a third of the benchmark's
many-topic ones — and only as a table of weights (resources/topic_closecall.json, ~2.700
syllables × 11 topics), so classifying
stays a dictionary lookup per syllable: no scikit-learn at prediction time, the same answer on every
machine, and each decision can be shown ("the rules hesitated between A and B; the model
chose B").

Retrain (after the labelled sets change) in the source checkout (the package installed
editable); a rerun on the same machine gives the same file, another scikit-learn, numpy or
BLAS may move a weight in its last (fourth) decimal::

    .venv/bin/python -m hbt_analysis.topic_closecall

which reads ``TRAINING_SETS``: the project's labelled opinions, two independent authors'
sets and the seventeen consolidation study sets (``tests/data/study_set_topics.csv``,
written by ``benchmarks/export_study_topics.py``), some twenty authors in all.
``independent_opinions_3.csv`` stays out: it is the classifier's held-out set. An
installed package has no ``tests/data``: name labelled CSVs (``text``, ``topic``) instead.
"""

from __future__ import annotations

import functools
import json
import math
import re
from array import array
from collections.abc import Iterable, Sequence
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CLOSE_CALL_MARGIN", "LONE_TOPIC_MAX", "TRAINING_SETS", "CloseCallModel",
           "close_call_model", "main", "terms", "training_data"]

#: The labelled files the packaged model is trained on (paths from the repository root).
TRAINING_SETS = (
    "tests/data/labelled_opinions.csv",
    "tests/data/independent_opinions.csv",
    "tests/data/independent_opinions_2.csv",
    "tests/data/study_set_topics.csv",
)

#: The rules' two best topics closer than this (in phrase-score points; one phrase of one
#: word scores 1) are a close call. 1.0 since the model is trained on some twenty authors
#: (session 22, leave-one-author-out over seventeen sets: 0.5 → 1.0 → 1.5 → 2.0 gave a mean
#: accuracy of 93,6 → 94,0 → 94,2 → 94,5%; classifying costs 1,24 → 1,33 → 1,41× the
#: rules alone, and 1,5 would leave topics below 50.000 opinions per CPU second under a
#: shared machine's load: benchmarks/results/closecall.md).
CLOSE_CALL_MARGIN = 1.0
#: A topic found alone with at most this score (one short phrase) is a close call between
#: it and khac.
LONE_TOPIC_MAX = 1.0

_WORD_RE = re.compile(r"\w+")


def terms(text: str) -> list[str]:
    """The syllables of a text as the rules match it (lower case; without accents when it
    was typed without). Syllable pairs were tried: no better on the held-out set, five
    times the weights and twice the time."""
    return _WORD_RE.findall(text)


class CloseCallModel:
    """Logistic regression over TF-IDF of which terms occur (binary), kept as plain weights.

    ``fit(texts, labels)`` trains with scikit-learn (maintainers only); ``scores`` and
    ``choose`` need nothing but the weights: per topic, a dictionary term -> idf × weight,
    so a text's score is a sum of lookups done in C (``sum(map(...))``).
    """

    def __init__(self, C: float = 4.0, min_df: int = 2) -> None:
        self.C = C
        self.min_df = min_df

    # training -----------------------------------------------------------------------
    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> CloseCallModel:
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        from hbt_analysis.text import fold, normalize

        # each opinion as written (lower case) and without its accents, so the model reads
        # a text the way the rules read it: accented, or folded when typed without accents
        written = [normalize(t).lower() for t in texts]
        docs = written + [fold(t) for t in written]
        vec = TfidfVectorizer(analyzer=terms, binary=True, min_df=self.min_df)
        x = vec.fit_transform(docs)
        lr = LogisticRegression(C=self.C, max_iter=5000).fit(x, list(labels) * 2)
        classes = [str(c) for c in lr.classes_]
        coef, intercept = lr.coef_, lr.intercept_
        if len(classes) == 2:  # one row for "the second class": split it between the two
            coef, intercept = np.vstack([-coef, coef]) / 2, np.array([-1, 1]) * intercept / 2
        vocab = sorted(vec.vocabulary_.items())
        self._set([float(b) for b in intercept], classes,
                  {t: (float(vec.idf_[j]), [float(coef[k, j]) for k in range(len(classes))])
                   for t, j in vocab})
        self.n_trained_ = len(written)
        return self

    def _set(self, intercept: list[float], classes: list[str],
             weights: dict[str, tuple[float, list[float]]]) -> None:
        self.classes_ = classes
        self.intercept_ = dict(zip(classes, intercept, strict=True))
        self.weights_ = weights
        self._idf2 = {t: idf * idf for t, (idf, _) in weights.items()}
        self._by_class = {c: {t: idf * ws[k] for t, (idf, ws) in weights.items()}
                          for k, c in enumerate(classes)}
        # term -> (idf², idf × weight of each topic); topic k at position k + 1
        # (compact arrays, not tuples of float objects: the table stays in the CPU's cache
        # between the rules' regex runs)
        self._rows = {t: array("d", (idf * idf, *(idf * w for w in ws)))
                      for t, (idf, ws) in weights.items()}
        self._index = {c: k + 1 for k, c in enumerate(classes)}

    def to_json(self, path: str | Path, sources: Iterable[str] = ()) -> None:
        data = {
            "about": "Second opinion on the topic rules' close calls "
                     "(hbt_analysis/topic_closecall.py); regenerate, do not edit.",
            "trained_on": list(sources), "n_trained": self.n_trained_, "C": self.C,
            "min_df": self.min_df, "classes": self.classes_,
            "intercept": [round(self.intercept_[c], 4) for c in self.classes_],
            "terms": {t: [round(idf, 4), *(round(w, 4) for w in ws)]
                      for t, (idf, ws) in sorted(self.weights_.items())},
        }
        Path(path).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"))
                              + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, text: str) -> CloseCallModel:
        data = json.loads(text)
        model = cls(C=data.get("C", 4.0), min_df=data.get("min_df", 2))
        model._set(list(data["intercept"]), list(data["classes"]),
                   {t: (v[0], v[1:]) for t, v in data["terms"].items()})
        model.n_trained_ = data.get("n_trained", 0)
        return model

    # predicting ---------------------------------------------------------------------
    def scores(self, text: str, candidates: Sequence[str]) -> dict[str, float]:
        """The model's score (log-odds, before the softmax) of each candidate topic it
        knows, for a text as the rules match it (:func:`hbt_analysis.topics.matching_text`);
        the highest is its choice (the softmax keeps the order). For showing; ``prefer``
        is the fast path."""
        idf2 = self._idf2
        known = list(filter(idf2.__contains__, set(terms(text))))
        norm = sum(map(idf2.__getitem__, known))
        scale = 1.0 / math.sqrt(norm) if norm else 0.0
        return {c: sum(map(self._by_class[c].__getitem__, known)) * scale + self.intercept_[c]
                for c in candidates if c in self._by_class}

    def prefer(self, text: str, a: str, b: str) -> str:
        """`a` or `b`, whichever the model scores higher (`a` on a tie or if it knows
        either not). One dictionary holds every syllable's (idf², idf × weight per topic),
        so a text costs one lookup per distinct syllable and three sums done in C."""
        ka, kb = self._index.get(a), self._index.get(b)
        if ka is None or kb is None:
            return a
        rows = self._rows
        hits = list(filter(None, map(rows.get, set(_WORD_RE.findall(text)))))
        lean = sum(map(itemgetter(ka), hits)) - sum(map(itemgetter(kb), hits))
        bias = self.intercept_[a] - self.intercept_[b]
        if bias:  # the weights are of the unit-length vector: scale the bias back to them
            lean += bias * math.sqrt(sum(map(itemgetter(0), hits)))
        return a if lean >= 0 else b


@functools.cache
def close_call_model() -> CloseCallModel | None:
    """The packaged model (resources/topic_closecall.json), read once; None if absent."""
    ref = resources.files("hbt_analysis").joinpath("resources", "topic_closecall.json")
    if not ref.is_file():
        return None
    return CloseCallModel.from_json(ref.read_text("utf-8"))


def training_data(paths: Iterable[str | Path]) -> pd.DataFrame:
    """`set`, `text`, `topic` of labelled CSVs (a file without a `set` column is one set,
    named after the file), rows in file order; rows without text or topic left out."""
    import pandas as pd

    frames = []
    for path in paths:
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        except ValueError as exc:  # not a CSV, empty, not UTF-8
            raise ValueError(f"{path}: không đọc được tệp CSV / cannot read the CSV: "
                             f"{exc}") from None
        lacking = [c for c in ("text", "topic") if c not in frame.columns]
        if lacking:
            raise ValueError(
                f"{path}: thiếu cột {', '.join(lacking)} / missing column(s) "
                f"{', '.join(lacking)}: a labelled CSV needs `text` and `topic` (and may "
                f"have `set`)")
        if "set" not in frame.columns:
            frame["set"] = Path(path).stem
        frames.append(frame[["set", "text", "topic"]])
    data = pd.concat(frames, ignore_index=True)
    return data[(data["text"].str.strip() != "") & (data["topic"] != "")]


def main(argv: list[str] | None = None) -> int:
    """``python -m hbt_analysis.topic_closecall [CSV ...] [--out FILE]``: train the model on
    the labelled CSVs (default: ``TRAINING_SETS`` of the source checkout) and write its
    weights. A missing or unreadable file ends with a message in Vietnamese and English
    and exit status 2, and nothing is written."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(description="Train the close-call model and write "
                                                 "hbt_analysis/resources/topic_closecall.json")
    parser.add_argument("csv", nargs="*", type=Path,
                        help="labelled CSVs (text, topic[, set]); default: TRAINING_SETS")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).parent / "resources" / "topic_closecall.json")
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parents[1]
    paths = args.csv or [root / p for p in TRAINING_SETS]
    missing = [p for p in paths if not Path(p).is_file()]
    if missing:
        where = "\n".join(f"  {p}" for p in missing)
        hint = ("" if args.csv else
                "\nCác tệp mặc định (TRAINING_SETS) chỉ có trong bản sao mã nguồn của dự án "
                "(git clone, cài bằng `pip install -e .`), không có trong gói đã cài; hãy "
                "chạy từ đó, hoặc chỉ rõ các tệp CSV có nhãn (cột text, topic): "
                "python -m hbt_analysis.topic_closecall A.csv B.csv --out model.json"
                "\nThe default files (TRAINING_SETS) live only in the project's source "
                "checkout (git clone, installed with `pip install -e .`), not in an "
                "installed package: run it there, or name labelled CSVs (columns text, "
                "topic) as above.")
        print(f"Không tìm thấy tệp huấn luyện / training file not found:\n{where}{hint}",
              file=sys.stderr)
        return 2
    if not args.out.parent.is_dir():
        print(f"Không có thư mục / no such folder: {args.out.parent} (--out)", file=sys.stderr)
        return 2
    try:
        data = training_data(paths)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    model = CloseCallModel().fit(data["text"].tolist(), data["topic"].tolist())
    out = args.out
    model.to_json(out, sources=[Path(p).name for p in paths])
    print(f"{len(data)} opinions of {data['set'].nunique()} sets, "
          f"{len(model.weights_)} terms -> {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

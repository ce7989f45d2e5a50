"""The words people used: content words and two-word phrases (underthesea segmentation),
the terms that set a topic or ward apart (TF-IDF), themes found without the taxonomy (NMF)
and the opinions most typical of each topic.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np
import pandas as pd

from hbt_analysis.opinions.counts import _ward_names
from hbt_analysis.opinions.display import (
    TOPIC_COLUMNS,
    level_label,
    topic_label,
)


def _is_content(token: str) -> bool:
    from hbt_analysis.text import STOPWORDS

    return (
        token not in STOPWORDS
        and any(ch.isalpha() for ch in token)
        and not token.replace("_", "").isdigit()
    )


def _is_proper_noun(tokens: list[str], i: int) -> bool:
    """A name of a street, ward or person: a capitalised syllable ("Trần_Bình_Trọng",
    "đường_Tuệ_Tĩnh") other than a sentence's first; acronyms (UBND, PCCC) stay."""
    caps = [p[:1].isupper() and not p.isupper() for p in tokens[i].split("_") if p]
    starts_sentence = i == 0 or tokens[i - 1] in {".", "!", "?", ":", ";", "-", "–", "\n"}
    return any(caps[1:]) if starts_sentence else any(caps)


def opinion_terms(texts: Iterable[str], drop_proper_nouns: bool = True) -> list[list[str]]:
    """For each text: its content words and two-word phrases.

    Words come from text.segment (underthesea, cached) with their syllables joined by "_"
    ("vỉa_hè"); a phrase is two neighbouring content words joined by a space
    ("lấn_chiếm vỉa_hè"). No phrase bridges a dropped stopword, so "rác và nước" gives
    the words "rác" and "nước" but no phrase. Street, ward and people's names (capitalised
    inside a sentence) are dropped by default: they say where, not what.
    """
    return [list(t) for t in _terms_of(list(texts), drop_proper_nouns)]


#: (text, drop_proper_nouns) -> its terms, for this process: top terms, themes and typical
#: opinions read the same year's texts, each distinct text is read once.
_TERMS: dict[tuple[str, bool], tuple[str, ...]] = {}
_TERMS_MAX = 400_000


def _terms_of(texts: list[str], drop_proper_nouns: bool = True) -> list[tuple[str, ...]]:
    """opinion_terms as shared tuples (not to be changed), each distinct text once."""
    import sys

    from hbt_analysis.text import segment_many

    drop = bool(drop_proper_nouns)
    distinct = list(dict.fromkeys(texts))
    todo = [t for t in distinct if (t, drop) not in _TERMS]
    if todo and len(_TERMS) + len(todo) > _TERMS_MAX:
        _TERMS.clear()  # full: start afresh, and this call's known texts must be made again
        todo = distinct
    if todo:
        intern = sys.intern
        for text, tokens in zip(todo, segment_many(todo), strict=True):
            low = [t.lower() for t in tokens]
            keep = [
                _is_content(t) and not (drop and _is_proper_noun(tokens, i))
                for i, t in enumerate(low)
            ]
            words = [intern(t) for t, k in zip(low, keep, strict=True) if k]
            phrases = [intern(f"{low[i]} {low[i + 1]}") for i in range(len(low) - 1)
                       if keep[i] and keep[i + 1]]
            _TERMS[(text, drop)] = tuple(words + phrases)
    return [_TERMS[(t, drop)] for t in texts]


def term_kind(term: str) -> str:
    """"phrase" for two words joined by a space ("lấn_chiếm vỉa_hè"), else "word"."""
    return "phrase" if " " in term else "word"


def readable_term(term: str) -> str:
    """A term as a person writes it: "lấn_chiếm vỉa_hè" -> "lấn chiếm vỉa hè"."""
    return term.replace("_", " ")


def _identity(doc: list[str]) -> list[str]:
    return doc


def top_terms(
    opinions: pd.DataFrame, by: str = "topic_primary", n: int = 10, min_count: int = 2,
    lang: str = "vi",
) -> pd.DataFrame:
    """The words and two-word phrases that set each topic (or ward, or level) apart.

    Each group's opinions form one document; TF-IDF across the groups (log-scaled counts
    times log(groups / groups using the term)) ranks a term high when the group uses it
    often and other groups rarely; a term every group uses scores 0. One group alone is
    ranked by frequency.
    Terms used fewer than `min_count` times in a group are dropped (one speaker's quirk).
    Columns: <by>, name, kind ("word"/"phrase"), rank, term (readable), count, score.
    """
    if opinions.empty:
        return pd.DataFrame(columns=_term_columns(by))
    return rank_term_counts(term_counts_by(opinions, by), opinions, by, n, min_count, lang)


def _term_columns(by: str) -> list[str]:
    return [by, "name", "kind", "rank", "term", "count", "score"]


def group_keys(opinions: pd.DataFrame, by: str) -> list[object]:
    """Each opinion's group under `by`; opinions without one form the group "—"."""
    return opinions[by].astype("object").where(opinions[by].notna(), "—").tolist()


def term_counts_by(opinions: pd.DataFrame, by: str) -> dict[object, Counter]:
    """Each group's term counts, groups in order of first opinion: what :func:`top_terms`
    ranks, and what partitions of a large year add up (counts sum, ranks do not)."""
    counts: dict[object, Counter] = {}
    terms = _terms_of(opinions["text"].fillna("").astype(str).tolist())
    for key, t in zip(group_keys(opinions, by), terms, strict=True):
        counts.setdefault(key, Counter()).update(t)
    return counts


def rank_term_counts(counts: dict[object, Counter], opinions: pd.DataFrame,
                     by: str = "topic_primary", n: int = 10, min_count: int = 2,
                     lang: str = "vi") -> pd.DataFrame:
    """:func:`top_terms` from each group's term counts (groups ranked in the dict's order);
    `opinions` only names the groups."""
    from scipy import sparse
    from sklearn.preprocessing import normalize

    cols = _term_columns(by)
    groups = [g for g in counts if sum(counts[g].values())]
    if not groups:
        return pd.DataFrame(columns=cols)
    vocab = sorted({t for g in groups for t in counts[g]})  # ties broken in this order
    index = {t: j for j, t in enumerate(vocab)}
    rows_i = [i for i, g in enumerate(groups) for _ in counts[g]]
    cols_j = [index[t] for g in groups for t in counts[g]]
    data = [float(c) for g in groups for c in counts[g].values()]
    raw = sparse.csr_matrix((data, (rows_i, cols_j)), shape=(len(groups), len(vocab)))
    raw.sort_indices()
    if len(groups) > 1:
        df = np.asarray((raw > 0).sum(axis=0)).ravel()
        idf = np.log(len(groups) / df)  # a term every group uses scores 0: it sets none apart
    else:
        idf = np.ones(raw.shape[1])  # one group: nothing to contrast, rank by frequency
    matrix = normalize(raw.log1p().multiply(idf).tocsr())
    rows = []
    for i, g in enumerate(groups):
        # the group's own terms only (its row's non-zeros, not the whole vocabulary), best
        # first, ties in vocabulary order
        own = slice(matrix.indptr[i], matrix.indptr[i + 1])
        columns, scores = matrix.indices[own], matrix.data[own]
        taken = {"word": 0, "phrase": 0}
        for k in np.lexsort((columns, -scores)):
            if scores[k] <= 0 or min(taken.values()) >= n:
                break
            term = vocab[columns[k]]
            kind = term_kind(term)
            if taken[kind] >= n or counts[g][term] < min_count:
                continue
            taken[kind] += 1
            rows.append({by: g, "kind": kind, "rank": taken[kind], "term": readable_term(term),
                         "count": counts[g][term], "score": float(scores[k])})
    out = pd.DataFrame(rows, columns=[c for c in cols if c != "name"])
    out.insert(1, "name", out[by].map(_group_namer(by, opinions, lang)))
    return out


def top_terms_table(
    opinions: pd.DataFrame, by: str = "topic_primary", n: int = 8, min_count: int = 2,
    lang: str = "vi",
) -> pd.DataFrame:
    """:func:`top_terms` one row per group: name, words, phrases (comma-separated, best first)."""
    long = top_terms(opinions, by=by, n=n, min_count=min_count, lang=lang)
    rows = []
    for (key, name), sub in long.groupby([by, "name"], sort=False):
        rows.append({
            by: key, "name": name,
            "words": ", ".join(sub.loc[sub["kind"] == "word", "term"]),
            "phrases": ", ".join(sub.loc[sub["kind"] == "phrase", "term"]),
        })
    out = pd.DataFrame(rows, columns=[by, "name", "words", "phrases"])
    return out.drop(columns=[by]).rename(columns={"name": _name_column(by)})


def _name_column(by: str) -> str:
    return {"ward_code": "ward_name", "group_code": "group_name", "level": "level"}.get(
        by, "topic_name"
    )


def _group_namer(by: str, opinions: pd.DataFrame, lang: str):
    """value of column `by` -> the reader's name for it (the opinions read once, not per row)."""
    if by in TOPIC_COLUMNS or by == "topic":
        return lambda value: topic_label(value, lang)
    if by == "ward_code":
        names = _ward_names(opinions, None)
        return lambda value: names.get(value, str(value))
    if by == "level":
        return lambda value: level_label(str(value), lang)
    return str


#: Words of every minute (who is asked, who speaks) that would otherwise make a "theme" of
#: their own; dropped for themes only. Words and phrases as opinion_terms writes them.
THEME_STOPWORDS: frozenset[str] = frozenset({
    "ubnd", "ủy_ban_nhân_dân", "phường", "quận", "ubnd phường", "ubnd quận", "thành_phố",
    "tổ_dân_phố", "tdp", "người", "người_dân", "bà_con", "cử_tri", "hộ", "hộ_dân",
    "ý_kiến", "kiến_nghị", "phản_ánh", "mong", "quan_tâm", "xem_xét", "sớm", "nhiều",
    "cấp", "cơ_quan", "chức_năng", "các_cơ_quan", "công_an", "đơn_vị", "tình_trạng",
})


def _tfidf_per_opinion(
    opinions: pd.DataFrame, min_df: int | float = 1, max_df: float = 1.0,
    drop: frozenset[str] = frozenset(),
):
    from sklearn.feature_extraction.text import TfidfVectorizer

    terms = _terms_of(opinions["text"].fillna("").astype(str).tolist())
    if drop:  # a term is dropped when it, or a word of a phrase, is in `drop`
        vocab = set().union(*terms) if terms else set()
        bad = {t for t in vocab if t in drop or any(w in drop for w in t.split(" "))}
        terms = [[t for t in doc if t not in bad] for doc in terms] if bad else terms
    vec = TfidfVectorizer(
        analyzer=_identity, sublinear_tf=True, min_df=min_df, max_df=max_df, norm="l2"
    )
    try:
        matrix = vec.fit_transform(terms)
    except ValueError:  # empty vocabulary: nothing but stopwords
        return None, None
    return matrix, vec.get_feature_names_out()



class _ShownTexts:
    """texts_for_showing(opinions, redact)[i], redacted only when asked for: a city's
    typical opinions and theme examples show a few dozen of its ~60.000 texts."""

    def __init__(self, opinions: pd.DataFrame | None, redact: bool) -> None:
        self._raw = [] if opinions is None else opinions["text"].fillna("").tolist()
        self._redact = redact
        self._done: dict[int, str] = {}

    def __getitem__(self, i: int) -> str:
        if not self._raw:  # verbatim=False: no text is shown
            return ""
        i = int(i)
        if i not in self._done:
            text = self._raw[i]
            if self._redact:
                from hbt_analysis.privacy import redact

                text = redact(text)
            self._done[i] = text
        return self._done[i]


def themes(
    opinions: pd.DataFrame, k: int = 8, n_words: int = 8, n_examples: int = 2,
    random_state: int = 0, redact: bool = True, lang: str = "vi", verbatim: bool = True,
) -> pd.DataFrame:
    """Themes found in the words alone (NMF over TF-IDF), to show what the taxonomy misses.

    Each theme: its top words, how many opinions it leads (its largest weight), the
    taxonomy topic most of them carry and the share of "khac" among them (a theme that is
    mostly "khac" is a candidate for a new topic), and example opinions (redacted unless
    `redact=False`; none with `verbatim=False`). Deterministic for a given `random_state`.
    Too few opinions (fewer than 2 per theme) give an empty frame.
    """
    from sklearn.decomposition import NMF

    cols = ["theme", "words", "opinions", "share", "dominant_topic", "dominant_share",
            "other_share", "examples"]
    if len(opinions) < max(2 * k, 4):
        return pd.DataFrame(columns=cols)
    matrix, vocab = _tfidf_per_opinion(opinions, min_df=2, max_df=0.3, drop=THEME_STOPWORDS)
    if matrix is None or matrix.shape[1] < k:
        return pd.DataFrame(columns=cols)
    model = NMF(n_components=k, init="nndsvda", random_state=random_state, max_iter=500)
    weights = model.fit_transform(matrix)
    lead = np.where(weights.max(axis=1) > 0, weights.argmax(axis=1), -1)
    texts = _ShownTexts(opinions, redact) if verbatim else _ShownTexts(None, False)
    topics = opinions["topic_primary"].astype("object").to_numpy()
    rows = []
    for t in range(k):
        top = np.argsort(-model.components_[t], kind="stable")[:n_words]
        members = np.flatnonzero(lead == t)
        member_topics = pd.Series(topics[members]).value_counts()
        dominant = member_topics.index[0] if len(member_topics) else None
        best = list(dict.fromkeys(
            i for i in np.argsort(-weights[:, t], kind="stable")[: 5 * n_examples]
            if weights[i, t] > 0
        ))
        best = list({texts[i]: i for i in reversed(best)}.values())[::-1][:n_examples]
        rows.append({
            "theme": t + 1,
            "words": ", ".join(readable_term(str(vocab[j])) for j in top),
            "opinions": len(members),
            "share": len(members) / len(opinions),
            "dominant_topic": topic_label(dominant, lang) if dominant is not None else "—",
            "dominant_share": member_topics.iloc[0] / len(members) if len(members) else np.nan,
            "other_share": (member_topics.get("khac", 0) / len(members)) if len(members)
            else np.nan,
            "examples": " | ".join(texts[i] for i in best),
        })
    out = pd.DataFrame(rows, columns=cols)
    out = out.sort_values(["opinions", "theme"], ascending=[False, True]).reset_index(drop=True)
    return out if verbatim else out.drop(columns="examples")


def representative_opinions(
    opinions: pd.DataFrame, n: int = 3, redact: bool = True, lang: str = "vi",
    verbatim: bool = True,
) -> pd.DataFrame:
    """For each primary topic, the `n` opinions closest to what the topic's opinions say.

    "Closest" is cosine similarity to the topic's mean TF-IDF vector, so the examples are
    typical rather than extreme. Texts are redacted unless `redact=False` (for an analyst
    working alone); `verbatim=False` (reports that show topic summaries only) gives none.
    Columns: topic, topic_name, rank, opinion_id, level, ward_code, text, similarity.
    """
    cols = ["topic", "topic_name", "rank", "opinion_id", "level", "ward_code", "text",
            "similarity"]
    if opinions.empty or not verbatim:
        return pd.DataFrame(columns=cols)
    matrix, _ = _tfidf_per_opinion(opinions)
    texts = _ShownTexts(opinions, redact)
    topics = opinions["topic_primary"].astype("object")
    rows = []
    for code in topics.value_counts().index:  # the most raised topic first
        idx = np.flatnonzero((topics == code).to_numpy())
        if matrix is None:
            sims = np.zeros(len(idx))
        else:
            sub = matrix[idx]
            centroid = np.asarray(sub.mean(axis=0)).ravel()
            norm = np.linalg.norm(centroid)
            sims = (sub @ centroid) / norm if norm > 0 else np.zeros(len(idx))
            sims = np.asarray(sims).ravel()
        seen: set[str] = set()
        for j in np.argsort(-sims, kind="stable"):
            i = idx[j]
            if texts[i] in seen:
                continue  # the same words twice teach the reader nothing
            seen.add(texts[i])
            if len(seen) > n:
                break
            rows.append({
                "topic": code, "topic_name": topic_label(code, lang), "rank": len(seen),
                "opinion_id": opinions["opinion_id"].iloc[i] if "opinion_id" in opinions else i,
                "level": opinions["level"].iloc[i], "ward_code": opinions["ward_code"].iloc[i],
                "text": texts[i], "similarity": float(sims[j]),
            })
    return pd.DataFrame(rows, columns=cols)

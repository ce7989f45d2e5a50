"""Scores of the consolidation, the ward links, the repeats, the routes and the topics against
a labelled folder (the format of an independent author's set: clusters.jsonl,
ward_links.jsonl, repeat_pairs.jsonl; see benchmarks/bench_consolidation.py).

The labels are read as written; our pipeline runs on the texts alone (the labelled topic and
answerer are never given to it).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "ANSWERER_BUCKETS",
    "labelled_year",
    "pair_scores",
    "read_jsonl",
    "repeat_pair_similarities",
    "score_folder",
]

#: How the labelled answerers group into the four levels of the issue.
ANSWERER_BUCKETS = {
    "to_dan_pho": "to_dan_pho", "phuong": "phuong", "quan_thanh_pho": "quan_tp",
    "dien_luc": "nganh", "cap_nuoc": "nganh", "moi_truong_do_thi": "nganh",
    "cong_an": "nganh", "thoat_nuoc": "nganh", "giao_thong_cong_chinh": "nganh",
    "y_te": "nganh", "giao_duc": "nganh", "khac": "nganh",
}
#: Our routing codes as the labelled set names them.
OUR_TO_LABELLED = {"quan_tp": "quan_thanh_pho", "cay_xanh": "giao_thong_cong_chinh",
                   "giao_thong_van_tai": "giao_thong_cong_chinh",
                   "vien_thong": "khac", "bao_hiem": "khac", "nganh": "khac"}


def read_jsonl(path: Path) -> list[dict]:
    """Rows of a JSON-lines file; a bad line is an error naming the file and line."""
    rows = []
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}, dòng/line {n}: JSON lỗi / invalid JSON: {exc}") from None
    return rows


def pair_scores(true: Sequence[object], pred: Sequence[object],
                block: Sequence[object] | None = None) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a clustering (a pair is positive when both are
    in one cluster), over all pairs or (with `block`) only pairs with the same block value
    (e.g. the same ward), plus the adjusted Rand index (of all items)."""
    from sklearn.metrics import adjusted_rand_score

    t = np.asarray([str(x) for x in true], dtype=object)
    p = np.asarray([str(x) for x in pred], dtype=object)
    b = np.zeros(len(t), dtype=object) if block is None else np.asarray(
        [str(x) for x in block], dtype=object)
    tp = pos_true = pos_pred = 0
    for value in dict.fromkeys(b):
        idx = np.flatnonzero(b == value)
        ct = pd.crosstab(t[idx], p[idx]).to_numpy()
        tp += int((ct * (ct - 1) // 2).sum())
        a, c = ct.sum(axis=1), ct.sum(axis=0)
        pos_true += int((a * (a - 1) // 2).sum())
        pos_pred += int((c * (c - 1) // 2).sum())
    precision = tp / pos_pred if pos_pred else 1.0
    recall = tp / pos_true if pos_true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1,
            "ari": float(adjusted_rand_score(t, p)), "pairs_true": pos_true,
            "pairs_predicted": pos_pred}


def _frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows)
    out["opinion_id"] = out["id"].astype(str)
    out["ward_code"] = out["ward_code"].astype(str).str.zfill(5)
    group = out.get("group", pd.Series("", index=out.index)).fillna("").astype(str).str.strip()
    # no group named: no group code (two such opinions are not "of one group")
    out["group_code"] = (out["ward_code"] + "-" + group).where(group != "", None)
    out["year"] = 2023
    return out


def _requests(opinions: pd.DataFrame):
    """Our pipeline on the texts alone: topics, features, places (a YearRequests)."""
    from hbt_analysis.opinions.yearly import YearRequests
    from hbt_analysis.topics import classify_opinions

    frame = opinions[["opinion_id", "year", "level", "ward_code", "group_code", "text"]]
    return YearRequests(classify_opinions(frame), 2023)


def labelled_year(folder: str | Path):
    """A labelled folder read as one year: its group-level opinions, its ward-level
    opinions, the ward links' rows, and our pipeline on all their texts (a YearRequests)."""
    folder = Path(folder)
    clusters_path = folder / "clusters.jsonl"
    if not clusters_path.exists():
        raise FileNotFoundError(f"Không có {clusters_path} / no clusters.jsonl in {folder}")
    ops = _frame(read_jsonl(clusters_path))
    ops["level"] = "to_dan_pho"
    links_rows = read_jsonl(folder / "ward_links.jsonl") if (
        folder / "ward_links.jsonl").exists() else []
    ward_ops = _frame(links_rows) if links_rows else ops.iloc[0:0]
    if len(ward_ops):
        ward_ops["level"] = "phuong"
        ward_ops["group_code"] = None
    yr = _requests(pd.concat([ops, ward_ops], ignore_index=True))
    return ops, ward_ops, links_rows, yr


def score_folder(folder: str | Path, threshold: float | None = None,
                 link_threshold: float | None = None,
                 repeat_threshold: float | None = None) -> dict[str, object]:
    """Every score the folder's files allow (missing files are skipped)."""
    from hbt_analysis.opinions.consolidate import DEFAULT_THRESHOLD
    from hbt_analysis.opinions.linking import DEFAULT_LINK_THRESHOLD
    from hbt_analysis.opinions.repeats import DEFAULT_REPEAT_THRESHOLD
    from hbt_analysis.topics import default_classifier
    from hbt_analysis.topics import evaluate as topic_eval

    folder = Path(folder)
    thr = DEFAULT_THRESHOLD if threshold is None else threshold
    out: dict[str, object] = {"folder": str(folder), "threshold": thr}
    ops, ward_ops, links_rows, yr = labelled_year(folder)
    n_group = len(ops)

    # consolidation: across the area (the labels' clusters) and within each ward
    items, members = yr.items("area", thr)
    pred = ops["opinion_id"].map(dict(zip(members["opinion_id"], members["item"], strict=True)))
    out["consolidation_area"] = pair_scores(ops["cluster"], pred)
    items_w, members_w = yr.items("ward", thr)
    pred_w = ops["opinion_id"].map(dict(zip(members_w["opinion_id"], members_w["item"],
                                            strict=True)))
    out["consolidation_ward"] = pair_scores(ops["cluster"], pred_w, ops["ward_code"])
    out["opinions"] = n_group
    out["clusters_true"] = int(ops["cluster"].nunique())
    out["items_area"] = len(items)
    out["items_ward"] = len(items_w)

    # topics (the primary topic against the labels)
    res = topic_eval(default_classifier(), ops["text"].tolist(), ops["topic"].tolist())
    out["topics"] = {"n": res["n"], "accuracy": res["accuracy"], "macro_f1": res["macro_f1"],
                     "per_topic": res["per_topic"].round(3).to_dict(orient="index")}

    # routing (against the labelled answerer, and its four levels)
    routed = yr.routes().iloc[:n_group]
    ours = routed["route"].map(lambda c: OUR_TO_LABELLED.get(c, c))
    ours_level = routed["route_level"].astype(str)
    gold = ops["answerer"].astype(str)
    gold_level = gold.map(ANSWERER_BUCKETS)
    out["routing"] = {"n": n_group, "accuracy": float((ours == gold).mean()),
                      "level_accuracy": float((ours_level == gold_level).mean())}

    # ward links
    if len(ward_ops):
        links = yr.links(DEFAULT_LINK_THRESHOLD if link_threshold is None else link_threshold)
        known = set(ops["opinion_id"])
        gold_pairs = {(r["id"], s) for r in links_rows for s in r["sources"] if s in known}
        missing = sum(1 for r in links_rows for s in r["sources"] if s not in known)
        got = set(zip(links["ward_opinion_id"], links["opinion_id"], strict=True))
        tp = len(gold_pairs & got)
        new = [r["id"] for r in links_rows if not r["sources"]]
        out["ward_links"] = {
            "ward_opinions": len(links_rows), "links_true": len(gold_pairs),
            "sources_not_in_clusters": missing,
            "precision": tp / len(got) if got else 1.0,
            "recall": tp / len(gold_pairs) if gold_pairs else 1.0,
            "new_at_ward_level": len(new),
            "new_left_unlinked": sum(1 for w in new if w not in set(links["ward_opinion_id"])),
        }
    # repeats: is this year's opinion the same request as last year's (same group)?
    pairs_path = folder / "repeat_pairs.jsonl"
    if pairs_path.exists():
        out["repeats"] = _score_repeats(read_jsonl(pairs_path), yr, repeat_threshold
                                        or DEFAULT_REPEAT_THRESHOLD)
    return out


def repeat_pair_similarities(rows: list[dict], yr) -> np.ndarray:
    """The similarity of each labelled repeat pair (last year's text, this year's opinion),
    as `repeats.raised_again` computes it: in this year's feature space (`yr`, the
    YearRequests of the folder), with places, topics and what is asked."""
    from hbt_analysis.opinions.linking import similarity_between
    from hbt_analysis.opinions.similarity import find_places, request_concepts
    from hbt_analysis.text import normalize
    from hbt_analysis.topics import classify_opinions

    prev = pd.DataFrame({"text": [r["prev_text"] for r in rows]})
    prev = classify_opinions(prev)
    feats, places = yr.features_of("repeat-pairs", prev["text"].tolist())
    pos = {oid: i for i, oid in enumerate(yr.opinions["opinion_id"])}
    now_topics = yr.opinions["topic_primary"].tolist()
    sims = np.zeros(len(rows))
    for k, r in enumerate(rows):
        i = pos.get(r["this_id"])
        if i is None:
            f_now = yr.vectorizer.transform([r["this_text"]])
            p_now = [find_places(normalize(r["this_text"]))]
            t_now = [None]
        else:
            f_now, p_now, t_now = yr.features[[i]], [yr.places[i]], [now_topics[i]]
        sims[k] = similarity_between(f_now, feats[[k]], p_now, [places[k]], t_now,
                                     [prev["topic_primary"].iloc[k]],
                                     [request_concepts(r["this_text"])],
                                     [request_concepts(r["prev_text"])])[0, 0]
    return sims


def _score_repeats(rows: list[dict], yr, threshold: float) -> dict[str, object]:
    pred = repeat_pair_similarities(rows, yr) >= threshold
    gold = np.array([bool(r["same_request"]) for r in rows])
    tp = int((pred & gold).sum())
    resolved = np.array([r.get("status") == "resolved" for r in rows])
    return {"pairs": len(rows), "accuracy": float((pred == gold).mean()),
            "precision": tp / int(pred.sum()) if pred.any() else 1.0,
            "recall": tp / int(gold.sum()) if gold.any() else 1.0,
            "came_back_true": int((gold & resolved).sum()),
            "came_back_found": int((gold & resolved & pred).sum()),
            "threshold": threshold}

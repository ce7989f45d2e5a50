"""Cross-author evidence for the request vocabulary (resources/request_synonyms.yaml), and what
it is worth on an author it was not drawn from (leave-one-author-out).

    .venv/bin/python benchmarks/vocab_evidence.py mine [KIND]  # candidates, evidence, effect
    .venv/bin/python benchmarks/vocab_evidence.py loao [KIND]  # leave-one-author-out estimate
    .venv/bin/python benchmarks/vocab_evidence.py ceiling      # a perfect reading of objects

KIND: none (missing phrases, below), --families (FAMILIES), --drops [--ratio R] (phrases that
name a place, a reason or a means where they are read alone: made `context_only`, so they
still name their object where nothing else is named), --merges (two objects authors
join), --words (formulas). `--out FILE` keeps the measured candidates (loao reads them again
if the file exists). The base is the vocabulary of the worktree; the vocabulary is swapped
in-process (benchmarks/vocab_swap.py), the package untouched.

A *candidate* is a phrase that members of one labelled cluster use where the cluster's other
members name an object of the vocabulary and they do not (the pair is missed because nothing
connects them): "phrase -> that object". Its *evidence* is the number of authors (study sets,
each written by another person) in whose clusters it does that, and its *counter-evidence* the
opinions of clusters about another object that use it too. A candidate is kept only when two or
more authors use it that way, its counter-evidence is small, and, added alone, it lowers no set's
area F1 (the false merges it would add are measured, not guessed).

Leave-one-author-out: for each study set, the candidates are chosen from the sixteen others
only (their evidence, their counter-evidence, their measured effect), added together, and the
result is scored on the seventeenth. The mean of the seventeen is the honest estimate of what
the method gives the next author.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import consolidation_harness as H  # noqa: E402
from vocab_swap import (  # noqa: E402
    base_vocabulary,
    dominant_objects,
    opinions,
    pair_change,
    score,
    sets_using,
    with_edits,
)

from hbt_analysis.opinions import request_words as RW  # noqa: E402
from hbt_analysis.text import fold  # noqa: E402

MAX_LEN = 4
#: A word as request_words splits an opinion (a split that differs gives another count of
#: words than RW.word_roles, and :func:`spans` then reads nothing of that opinion)
_WORD = re.compile(r"[^\W_]+")


def spans(text: str) -> set[tuple[str, str]]:
    """The opinion's phrases of 1-4 words as (written lower case, folded): no place, formula,
    digit or punctuation inside; not starting or ending with a function word; with at least
    one word the vocabulary does not read."""
    norm = RW.normalize(text or "")
    toks = RW.word_roles(text)
    # the words, in order, broken at punctuation (a phrase does not cross a comma)
    words = [m.group(0) for m in _WORD.finditer(RW.expand_abbreviations(norm))]
    breaks = set()
    pos = 0
    joined = RW.expand_abbreviations(norm)
    for k, m in enumerate(_WORD.finditer(joined)):
        if re.search(r"[,.;:!?()\-–/\"]", joined[pos:m.start()]):
            breaks.add(k)
        pos = m.end()
    out = set()
    if len(words) != len(toks):
        return out
    for i in range(len(toks)):
        for j in range(i + 1, min(i + MAX_LEN, len(toks)) + 1):
            seg = toks[i:j]
            if any(k in breaks for k in range(i + 1, j)):
                break
            if any(r in ("place", "formula") or f.isdigit() for _, f, r in seg):
                break
            if seg[0][2] == "function" or seg[-1][2] == "function":
                continue
            if not any(r == "what" for _, _, r in seg):
                continue
            out.add((" ".join(w for w, _, _ in seg), " ".join(f for _, f, _ in seg)))
    return out


def evidence(names: list[str]) -> dict[tuple[str, str], dict]:
    """For each (folded phrase, object): the sets where members of a cluster about that object
    use it without naming the object (`pos`), the opinions of clusters about another object
    that use it (`neg`), and the accented spellings seen."""
    ev: dict[tuple[str, str], dict] = {}
    seen_in: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for name in names:
        texts, gold = opinions(name)
        dom = dominant_objects(name)
        for t, c in zip(texts, gold, strict=True):
            objs = RW.request_concepts(t).objects
            for low, folded in spans(t):
                seen_in[folded].append((name, dom.get(c)))
                obj = dom.get(c)
                if obj and obj not in objs:
                    e = ev.setdefault((folded, obj), {"pos": Counter(), "spell": Counter()})
                    e["pos"][name] += 1
                    e["spell"][low] += 1
    for (folded, obj), e in ev.items():
        e["neg"] = Counter(n for n, d in seen_in[folded] if d is not None and d != obj)
        e["same"] = Counter(n for n, d in seen_in[folded] if d == obj)
    return ev


def candidates(names: list[str], min_authors: int = 2) -> list[dict]:
    """Phrases used by `min_authors` or more authors for one object where the vocabulary reads
    none of it (the counter-evidence is weighed by :func:`choose`, on the sets it may see)."""
    out = []
    for (folded, obj), e in evidence(names).items():
        authors = len(e["pos"])
        if authors < min_authors:
            continue
        spelling = e["spell"].most_common(1)[0][0]
        out.append({"phrase": spelling, "folded": folded, "object": obj, "authors": authors,
                    "pos": dict(e["pos"]), "neg": dict(e["neg"]), "same": dict(e["same"])})
    # the longer phrase first where one contains another with the same evidence
    out.sort(key=lambda c: (-c["authors"], -sum(c["pos"].values()), c["folded"]))
    return out


def measure_alone(cands: list[dict], base: dict, names: list[str],
                  base_scores: dict) -> None:
    """Each candidate added alone: Δ area F1 and the right / wrong pairs it adds, on each set
    that uses its words (the others cannot change)."""
    for c in cands:
        data = with_edits(base, [c["edit"]])
        touched = sets_using(c["folded"], names)
        sc = score(touched, data)
        c["delta"] = {n: sc[n]["area"]["f1"] - base_scores[n]["area"]["f1"] for n in touched}
        c["pairs"] = {n: pair_change(n, base_scores[n]["pred"], sc[n]["pred"]) for n in touched}


def could_be_chosen(c: dict, names: list[str], min_authors: int = 2) -> bool:
    """Whether some fold's training sets (all but one) would give the candidate its chance."""
    for held in names:
        pos = {n for n in c["pos"] if n != held}
        neg = sum(v for n, v in c["neg"].items() if n != held)
        same = sum(v for n, v in c["same"].items() if n != held)
        if len(pos) >= min_authors and neg * 3 <= same:
            return True
    return False


#: Families of words tried (`--families`): the phrases residents use for one object that the
#: vocabulary did not read, each drawn from missed pairs of the study sets and widened to the
#: family (real wording checked with published minutes and notices; see consolidation.md,
#: "Session 22").
FAMILIES: dict[str, tuple[str, list[str]]] = {
    "clearing a drain names the drain": ("cong_thoat_nuoc", [
        "thông cống", "khơi thông cống", "thông cống rãnh", "nạo vét rãnh", "nạo vét mương",
        "khơi thông rãnh", "thông rãnh", "nạo vét cống rãnh", "khơi thông cống rãnh"]),
    "flushing the mains for cloudy water": ("chat_luong_nuoc", [
        "súc xả", "súc xả đường ống", "súc rửa đường ống", "xúc xả đường ống", "súc rửa",
        "súc đường ống", "súc xả mạng lưới"]),
    "table tennis, badminton: the clubs' sports": ("ngay_hoi", [
        "bóng bàn", "cầu lông", "bóng chuyền hơi", "cờ tướng"]),
    "bare 'chế độ' of group officers": ("phu_cap", ["chế độ"]),
    "'chế độ' of policy families is theirs": ("ho_ngheo", [
        "chế độ người có công", "chế độ thương binh", "chế độ liệt sĩ", "chế độ bảo trợ",
        "chế độ bảo trợ xã hội", "chế độ chính sách người có công"]),
    "more money for the group's activities": ("kinh_phi_to", [
        "cấp thêm kinh phí", "bổ sung kinh phí", "tăng kinh phí hoạt động"]),
    "low voltage": ("tram_bien_ap", [
        "điện áp thấp", "điện sụt", "sụt điện", "điện yếu vào mùa hè", "điện không đủ", "áp thấp"]),
    "painted speed bumps": ("go_giam_toc", [
        "vạch sơn giảm tốc", "vạch giảm tốc", "sơn giảm tốc", "gờ sơn giảm tốc"]),
    "outdoor gym machines by name": ("may_tap", [
        "xà đơn", "xà kép", "máy đi bộ", "máy tập đi bộ", "máy đi bộ trên không", "máy đạp xe",
        "máy xoay eo"]),
    "building beyond the permit": ("xay_dung_sai_phep", [
        "quá phép", "xây quá phép", "sai giấy phép", "vượt giấy phép", "xây vượt phép"]),
}


def _alternation(phrases) -> re.Pattern[str]:
    """Whole-word phrases, the longest first."""
    alts = sorted(set(phrases), key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, alts))})(?!\w)")


def _finder(phrases: list[str]):
    acc = _alternation(" ".join(RW.normalize(p).lower().split()) for p in phrases)
    fol = _alternation(fold(" ".join(RW.normalize(p).lower().split())) for p in phrases)

    def found(text: str) -> bool:
        norm = " ".join(RW.expand_abbreviations(RW.normalize(text or "")).lower().split())
        return bool((acc.search(norm) if RW.has_diacritics(norm) else None)
                    or (not RW.has_diacritics(norm) and fol.search(fold(norm))))
    return found


def family_candidates(names: list[str]) -> list[dict]:
    """Each family of FAMILIES with its evidence: the sets whose clusters about its object
    have members using one of its phrases without the vocabulary reading the object."""
    out = []
    for label, (obj, phrases) in FAMILIES.items():
        found = _finder(phrases)
        pos, neg, same = Counter(), Counter(), Counter()
        for name in names:
            texts, gold = opinions(name)
            dom = dominant_objects(name)
            for t, c in zip(texts, gold, strict=True):
                if not found(t) or c not in dom:
                    continue
                if dom[c] == obj:
                    same[name] += 1
                    if obj not in RW.request_concepts(t).objects:
                        pos[name] += 1
                else:
                    neg[name] += 1
        out.append({"edit": ["family", obj, "|".join(phrases)], "phrase": label, "object": obj,
                    "phrases": phrases, "folded": "", "authors": len(pos), "pos": dict(pos),
                    "neg": dict(neg), "same": dict(same)})
    return out


def measure_families(cands: list[dict], base: dict, names: list[str],
                     base_scores: dict) -> None:
    for c in cands:
        found = _finder(c["phrases"])
        touched = [n for n in names if any(found(t) for t in opinions(n)[0])]
        sc = score(touched, with_edits(base, [c["edit"]]))
        c["delta"] = {n: sc[n]["area"]["f1"] - base_scores[n]["area"]["f1"] for n in touched}
        c["pairs"] = {n: pair_change(n, base_scores[n]["pred"], sc[n]["pred"]) for n in touched}


def word_candidates(names: list[str], min_authors: int = 12, min_uses: int = 40,
                    max_purity: float = 0.05) -> list[dict]:
    """Words (one or two syllables) that are not read as anything and that most authors use
    across requests of every kind: two opinions using one are rarely in the same cluster (the
    share of such pairs, `purity`, below `max_purity`). Candidates for the formulas of
    request_boilerplate.txt: how a request is said, not what it asks."""
    occ: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for name in names:
        texts, gold = opinions(name)
        for t, c in zip(texts, gold, strict=True):
            toks = [(w, r) for w, _, r in RW.word_roles(t)]
            words = {w for w, r in toks if r == "what" and not w.isdigit()}
            words |= {f"{a} {b}" for (a, ra), (b, rb) in itertools.pairwise(toks)
                      if ra == rb == "what"}
            for w in words:
                if RW.has_diacritics(w):
                    occ[w][name].append(c)
    out = []
    for w, by_set in occ.items():
        uses = {n: len(cs) for n, cs in by_set.items()}
        if sum(uses.values()) < min_uses or len(uses) < min_authors:
            continue
        same = {n: sum(v * (v - 1) // 2 for v in Counter(cs).values()) for n, cs in by_set.items()}
        pairs = {n: len(cs) * (len(cs) - 1) // 2 for n, cs in by_set.items()}
        if sum(same.values()) > max_purity * max(1, sum(pairs.values())):
            continue
        out.append({"edit": ["boiler", w, ""], "phrase": w, "object": "(formula)", "folded": "",
                    "authors": len(uses), "pos": uses, "neg": {}, "same": {},
                    "pairs_same": same, "pairs_all": pairs})
    return sorted(out, key=lambda c: -sum(c["pos"].values()))


#: Content words among the candidates of :func:`word_candidates` (what is asked, or a part of
#: a word whose other half carries it: "công" of công an / công trình): not tried as formulas.
NOT_FORMULAS = frozenset({
    "ban", "bàn", "bảo", "bố", "chủ", "chức", "công", "cư", "cấp", "cầu", "cụ", "cửa", "dân",
    "già", "hoạt", "hàng", "hè", "hình", "hộ", "khu", "kiểm", "kết", "lý", "lối", "máy", "mùa",
    "ngõ", "người", "nhà", "phòng", "sinh", "số", "sử", "thể", "thời", "toàn", "trí", "trẻ",
    "tập", "tổ", "tục", "viên", "vực", "xe", "xử", "điểm", "đường", "đầu"})
_NOT_FORMULA_PHRASES = frozenset({"khu tập", "xe máy", "người già", "mùa hè", "ban công",
                                  "sinh hoạt", "khu dân", "dân cư", "nhà dân", "đầu ngõ"})


def measure_words(cands: list[dict], base: dict, names: list[str], base_scores: dict) -> None:
    for c in cands:
        touched = sorted(c["pos"])
        sc = score(touched, with_edits(base, [c["edit"]]))
        c["delta"] = {n: sc[n]["area"]["f1"] - base_scores[n]["area"]["f1"] for n in touched}
        c["pairs"] = {n: pair_change(n, base_scores[n]["pred"], sc[n]["pred"]) for n in touched}


def object_hits(text: str) -> list[tuple[str, str]]:
    """The object phrases of the vocabulary found in an opinion, as the reader finds them
    (with accents where the text has them, places left out): (phrase as matched, object)."""
    return RW.object_phrases(text)


def drop_candidates(names: list[str], ratio: float | None = None) -> list[dict]:
    """Phrases of an object that, where they are the only thing naming it, sit in clusters
    about another object for three or more authors and in none about it (the phrase says
    something else there: where, why, by what means): `pos` those uses by set."""
    right: dict[tuple[str, str], Counter] = defaultdict(Counter)
    wrong: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for name in names:
        texts, gold = opinions(name)
        dom = dominant_objects(name)
        for t, c in zip(texts, gold, strict=True):
            hits = object_hits(t)
            by_obj = Counter(o for _, o in hits)
            for phrase, obj in hits:
                if by_obj[obj] != 1 or c not in dom:
                    continue
                (right if dom[c] == obj else wrong)[(phrase, obj)][name] += 1
    out = []
    for (phrase, obj), w in sorted(wrong.items()):
        # three authors or more, and never the only word for its object in a cluster about
        # it: the phrase is a place, a reason or another thing wherever it is read alone
        if len(w) < 3 or (sum(right[(phrase, obj)].values()) * ratio > sum(w.values())
                          if ratio else right[(phrase, obj)]):
            continue
        out.append({"edit": ["drop", phrase, obj], "phrase": phrase, "object": obj,
                    "folded": fold(phrase), "authors": len(w), "pos": dict(w), "neg": {},
                    "same": dict(right[(phrase, obj)])})
    return out


def merge_candidates(names: list[str], base_scores: dict) -> list[dict]:
    """Pairs of objects that members of one cluster name where the vocabulary keeps them
    apart (a missed pair whose objects conflict), with the authors who do so."""
    pos: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for name in names:
        texts, gold = opinions(name)
        pred = base_scores[name]["pred"]
        objs = [RW.request_concepts(t).objects for t in texts]
        for i in range(len(texts)):
            for j in range(i + 1, len(texts)):
                if gold[i] != gold[j] or pred[i] == pred[j]:
                    continue
                a, b = objs[i], objs[j]
                if a and b and not a & b:
                    for x in a:
                        for y in b:
                            pos[tuple(sorted((x, y)))][name] += 1
    return [{"edit": ["merge", x, y], "phrase": f"{x} = {y}", "object": x, "folded": "",
             "authors": len(c), "pos": dict(c), "neg": {}, "same": {}}
            for (x, y), c in sorted(pos.items()) if len(c) >= 2]


def measure_merges(cands: list[dict], base: dict, names: list[str],
                   base_scores: dict) -> None:
    """Each merge alone on each set naming both objects (the others cannot change)."""
    named = {n: set().union(*(RW.request_concepts(t).objects for t in opinions(n)[0]))
             for n in names}
    for c in cands:
        _, x, y = c["edit"]
        touched = [n for n in names if x in named[n] and y in named[n]]
        sc = score(touched, with_edits(base, [c["edit"]]))
        c["delta"] = {n: sc[n]["area"]["f1"] - base_scores[n]["area"]["f1"] for n in touched}
        c["pairs"] = {n: pair_change(n, base_scores[n]["pred"], sc[n]["pred"]) for n in touched}


def choose(cands: list[dict], train: list[str], min_authors: int = 2,
           worst: float = -0.002) -> list[dict]:
    """The candidates kept with the evidence of `train` only: used for the object by
    `min_authors` authors of `train`, used for other objects there at most a third as often as
    for this one, and, alone, a positive sum
    of Δ area F1 over `train` with no set of `train` losing more than `worst`."""
    kept = []
    tr = set(train)
    for c in cands:
        pos = {n for n in c["pos"] if n in tr}
        if len(pos) < min_authors:
            continue
        if c.get("edit", [""])[0] == "drop" and sum(v for n, v in c["pos"].items() if n in tr) \
                <= sum(v for n, v in c["same"].items() if n in tr):
            continue
        neg = sum(v for n, v in c["neg"].items() if n in tr)
        if c.get("edit", ["add"])[0] in ("add", "family") and neg * 3 > sum(
                v for n, v in c["same"].items() if n in tr):
            continue
        deltas = [v for n, v in c["delta"].items() if n in tr]
        if not deltas or sum(deltas) <= 0 or min(deltas) < worst:
            continue
        kept.append(c)
    return kept


def ceiling(names: list[str], exact: bool = False) -> dict[str, float]:
    """Area F1 of each set if the vocabulary read every member of a cluster with a dominant
    object as naming it (the missing words all found; `exact`: and nothing else, no
    misreading left) — what a perfect vocabulary of objects could give, with the similarity
    and clustering as they are. The dominant object is the labels' (an oracle)."""
    import hbt_analysis

    original_concepts, original_text = RW.request_concepts, RW.request_text
    oracle: dict[str, str] = {}
    for name in names:
        texts, gold = opinions(name)
        dom = dominant_objects(name)
        oracle.update({t: dom[c] for t, c in zip(texts, gold, strict=True) if c in dom})

    @functools.cache
    def concepts(text: str) -> RW.Concepts:
        got = original_concepts(text)
        if text not in oracle:
            return got
        objs = frozenset({oracle[text]}) if exact else got.objects | {oracle[text]}
        return RW.Concepts(objs, got.actions)

    @functools.cache
    def request_text(text: str) -> str:
        got = original_text(text)
        if text in oracle and oracle[text] not in got.split():
            return f"{got} {oracle[text]}"
        return got

    concepts.cache_clear = lambda: None  # the harness clears the real caches
    request_text.cache_clear = lambda: None
    patched = []
    for mod in list(sys.modules.values()):
        if getattr(mod, "__name__", "").startswith(hbt_analysis.__name__):
            for attr in ("request_concepts", "request_text"):
                if getattr(mod, attr, None) is getattr(RW, attr):
                    patched.append((mod, attr, getattr(mod, attr)))
    try:
        for mod, attr, _ in patched:
            setattr(mod, attr, concepts if attr == "request_concepts" else request_text)
        # the harness clears RW's caches by name: keep the originals there to clear
        out = {}
        for name in names:
            r = H.score_set(H.CORPORA / H.STUDY.get(name, name))
            out[name] = float(r["area"]["f1"])
    finally:
        for mod, attr, old in patched:
            setattr(mod, attr, old)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["mine", "loao", "ceiling"])
    parser.add_argument("--drops", action="store_true",
                        help="candidates are phrases taken out of an object (misreadings)")
    parser.add_argument("--ratio", type=float, default=None,
                        help="--drops: also phrases right somewhere, if wrong this many times "
                             "as often")
    parser.add_argument("--words", action="store_true",
                        help="candidates are words of every request, as formulas")
    parser.add_argument("--families", action="store_true",
                        help="candidates are the FAMILIES of words tried")
    parser.add_argument("--merges", action="store_true",
                        help="candidates are pairs of objects to read as one")
    parser.add_argument("--sets", nargs="*", default=list(H.STUDY))
    parser.add_argument("--out", type=Path, nargs="+",
                        default=[Path("/tmp/vocab_evidence.json")],
                        help="where the measured candidates go (loao: read, several joined)")
    args = parser.parse_args(argv)
    names = args.sets
    base = base_vocabulary()
    base_scores = score(names, base)
    if args.what == "ceiling":
        found, exact = ceiling(names), ceiling(names, exact=True)
        print("set: area F1 now / every member reads its cluster's object / and only it")
        for n in names:
            print(f"{n:>5}: {base_scores[n]['area']['f1']:.4f} / {found[n]:.4f} / {exact[n]:.4f}")
        print(f" mean: {np.mean([base_scores[n]['area']['f1'] for n in names]):.4f} / "
              f"{np.mean(list(found.values())):.4f} / {np.mean(list(exact.values())):.4f}")
        return 0
    if args.what == "mine" or not args.out[0].exists():
        if args.drops:
            cands = drop_candidates(names, args.ratio)
            print(f"{len(cands)} phrases read where the labels say another object", flush=True)
            for c in cands:
                touched = sets_using(c["folded"], names)
                sc = score(touched, with_edits(base, [c["edit"]]))
                c["delta"] = {n: sc[n]["area"]["f1"] - base_scores[n]["area"]["f1"]
                              for n in touched}
        elif args.words:
            cands = [c for c in word_candidates(names)
                     if c["phrase"] not in NOT_FORMULAS | _NOT_FORMULA_PHRASES]
            print(f"{len(cands)} words of every kind of request", flush=True)
            measure_words(cands, base, names, base_scores)
        elif args.families:
            cands = family_candidates(names)
            measure_families(cands, base, names, base_scores)
        elif args.merges:
            cands = merge_candidates(names, base_scores)
            print(f"{len(cands)} pairs of objects joined by two or more authors", flush=True)
            measure_merges(cands, base, names, base_scores)
        else:
            cands = [c for c in candidates(names) if could_be_chosen(c, names)]
            for c in cands:
                c["edit"] = ["add", c["phrase"], c["object"]]
            print(f"{len(cands)} candidates with evidence of two or more authors", flush=True)
            measure_alone(cands, base, names, base_scores)
        args.out[0].write_text(json.dumps({"cands": cands}, ensure_ascii=False, indent=1))
        for c in cands:
            print(f"{c['authors']} {c['object']:<18} {c['phrase']:<28} pos {c['pos']} neg "
                  f"{c['neg']} Δ {sum(c['delta'].values()):+.4f} "
                  f"{ {n: round(v, 4) for n, v in c['delta'].items() if abs(v) > 1e-9} }")
        if args.what == "mine":
            return 0
    cands = [c for path in args.out for c in json.loads(path.read_text())["cands"]]
    print("held-out set: area F1 before -> after (candidates chosen on the sixteen others)")
    before, after = [], []
    for held in names:
        train = [n for n in names if n != held]
        kept = choose(cands, train)
        data = with_edits(base, [c["edit"] for c in kept])
        f1 = score([held], data)[held]["area"]["f1"]
        before.append(base_scores[held]["area"]["f1"])
        after.append(f1)
        print(f"{held:>5}: {before[-1]:.4f} -> {f1:.4f} ({f1 - before[-1]:+.4f}) with "
              f"{len(kept)} phrases", flush=True)
    print(f" mean: {np.mean(before):.4f} -> {np.mean(after):.4f} "
          f"({np.mean(after) - np.mean(before):+.4f})")
    kept = choose(cands, names)
    print(f"chosen on all {len(names)} sets: {len(kept)}")
    for c in kept:
        print(f"  {c['phrase']} -> {c['object']}  authors {sorted(c['pos'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

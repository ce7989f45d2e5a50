"""Score the reader on folders of office files whose right answer is known.

Each case is `<case>/2023/<files>` with either `case.json` ({"expect": "read"|"refuse",
"totals": {...}, "refusal_mentions": [...]}) or the shared examples' `case.md` (totals in
"A correct read gives: …", "Expectation class: `read`", mentions after "one of"). Each case
runs through the real CLI (`hbt validate`) and the library, and is scored:

- read cases: read with the right totals (groups, invited, attended, group opinions, wards,
  ward invited/attended, ward opinions), or refused clearly (the second best), or refused
  unclearly, or READ WRONG (exit 0 with other totals: the failure that matters most);
- refuse cases: refused naming the cause (a mention), refused without naming it, or
  ACCEPTED (exit 0);
- every case: no traceback, and no input file changed.

    python benchmarks/score_intake.py FOLDER [FOLDER ...] [--out results.md]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hbt_analysis.dataset import load_files, year_files  # noqa: E402

FIELDS = ("groups", "invited", "attended", "group_opinions", "wards", "ward_invited",
          "ward_attended", "ward_opinions")


def case_spec(case: Path) -> dict | None:
    if (case / "case.json").exists():
        return json.loads((case / "case.json").read_text(encoding="utf-8"))
    md = case / "case.md"
    if not md.exists():
        return None
    text = md.read_text(encoding="utf-8")
    m = re.search(r"Expectation class: `(\w+)`", text)
    nums = re.search(r"A correct read gives: (\d+) groups, (\d+) invited, (\d+) attended, "
                     r"(\d+) group opinions; (\d+) wards, (\d+)/(\d+), (\d+) ward opinions", text)
    mentions = re.search(r"mentions one of \[(.*)\]", text)
    return {
        "expect": m.group(1) if m else "read",
        "totals": dict(zip(FIELDS, map(int, nums.groups()), strict=True)) if nums else {},
        "refusal_mentions": re.findall(r"['\"](.*?)['\"](?:,|$)", mentions.group(1))
        if mentions else [],
    }


def digest(folder: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def totals_of(folder: Path, year: int) -> dict[str, int]:
    ds = load_files(year_files(folder), year, strict=False)
    g, w, o = ds.group_conferences, ds.ward_conferences, ds.opinions
    n_group_ops = int((o["level"] == "to_dan_pho").sum()) if len(o) else int(
        g["opinions_count"].sum())
    n_ward_ops = int((o["level"] == "phuong").sum()) if len(o) else int(
        w["opinions_count"].sum())
    return {"groups": len(g), "invited": int(g["households_invited"].sum()),
            "attended": int(g["households_attended"].sum()), "group_opinions": n_group_ops,
            "wards": len(w), "ward_invited": int(w["households_invited"].sum()),
            "ward_attended": int(w["households_attended"].sum()), "ward_opinions": n_ward_ops}


def score_case(case: Path, spec: dict) -> dict:
    year_dir = next(p for p in sorted(case.iterdir()) if p.is_dir() and p.name.isdigit())
    before = digest(case)
    run = subprocess.run([sys.executable, "-m", "hbt_analysis.cli", "validate", str(year_dir),
                          "--all-warnings"], capture_output=True, text=True, timeout=600)
    out = run.stdout + run.stderr
    changed = digest(case) != before
    mentioned = any(m.lower() in out.lower() for m in spec.get("refusal_mentions", []))
    result = {"case": case.name, "expect": spec["expect"], "exit": run.returncode,
              "traceback": "Traceback" in out, "changed": changed, "mentioned": mentioned}
    if run.returncode == 0:
        got = totals_of(year_dir, int(year_dir.name))
        want = {k: v for k, v in spec.get("totals", {}).items() if k in FIELDS}
        wrong = {k: (got[k], v) for k, v in want.items() if got.get(k) != v}
        result["wrong"] = wrong
        if spec["expect"] == "read":
            result["outcome"] = "read_right" if not wrong else "READ_WRONG"
        else:
            result["outcome"] = "ACCEPTED_BAD"
    elif run.returncode == 1:
        if spec["expect"] == "read":
            result["outcome"] = "refused_clear" if mentioned else "refused_unclear"
        else:
            result["outcome"] = "refused_right" if mentioned else "refused_unnamed"
    else:
        result["outcome"] = "CRASH"
    errors = [ln for ln in out.splitlines() if ln.startswith("    ") and "ERROR" not in ln]
    result["first_error"] = next((ln.strip() for ln in out.splitlines()
                                  if ln.startswith("[LỖI")), "")
    result["detail"] = errors[0].strip() if errors else ""
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    rows = []
    for folder in args.folders:
        for case in sorted(p for p in folder.iterdir() if p.is_dir()):
            spec = case_spec(case)
            if spec is None:
                continue
            r = score_case(case, spec)
            r["set"] = folder.name
            rows.append(r)
            detail = r["detail"][:110] if r["outcome"] != "read_right" else ""
            print(f"{r['case']:<48} {r['expect']:<7} {r['outcome']:<16} "
                  f"{r.get('wrong') or ''} {detail}", flush=True)
    reads = [r for r in rows if r["expect"] == "read"]
    refuses = [r for r in rows if r["expect"] != "read"]
    right = sum(r["outcome"] == "read_right" for r in reads)
    silent = [r["case"] for r in rows if r["outcome"] in ("READ_WRONG", "ACCEPTED_BAD")]
    summary = [
        f"cases: {len(rows)} ({len(reads)} read, {len(refuses)} refuse)",
        f"read cases read with the right totals: {right}/{len(reads)}"
        + (f" ({100 * right / len(reads):.1f}%)" if reads else ""),
        f"read cases refused clearly instead: "
        f"{sum(r['outcome'] == 'refused_clear' for r in reads)}",
        f"refuse cases refused naming the cause: "
        f"{sum(r['outcome'] == 'refused_right' for r in refuses)}/{len(refuses)}",
        f"read wrong or accepted in silence: {len(silent)} {silent}",
        f"tracebacks: {sum(r['traceback'] for r in rows)}; crashes: "
        f"{sum(r['outcome'] == 'CRASH' for r in rows)}; inputs changed: "
        f"{sum(r['changed'] for r in rows)}",
    ]
    print("\n".join(summary))
    if args.out:
        args.out.write_text(json.dumps({"summary": summary, "cases": rows}, ensure_ascii=False,
                                       indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

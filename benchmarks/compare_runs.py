"""Compare two `hbt report` runs of the same plan (report.md, 2026-11-30 21:26 section).

    .venv/bin/python benchmarks/compare_runs.py OUTPUT_A OUTPUT_B [--year 2023]

OUTPUT_A/B: the `--output` folders of two runs (each holding one run of the year). Masks
only what differs between any two runs of the same code (run id, "Lập lúc" time, plotly's
random div ids, papermill's random id of the injected-parameters cell), then reports the
pages byte for byte, the pages as lxml reads them (elements, attributes, text; whitespace
between elements apart) and the executed notebooks (sources, metadata but timing values,
execution counts, outputs). Prints, writes nothing.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import lxml.html
import nbformat


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("a", type=Path)
    ap.add_argument("b", type=Path)
    ap.add_argument("--year", default="2023")
    args = ap.parse_args()
    a_root = next(args.a.glob(f"{args.year}/2*/"))
    b_root = next(args.b.glob(f"{args.year}/2*/"))
    masks = [
        (re.escape(a_root.name), "RUNID"), (re.escape(b_root.name), "RUNID"),
        (r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", "DATE"),
        (r"celltag_injected-parameters\" id=\"cell-id=[0-9a-f]{8}",
         "celltag_injected-parameters\" id=\"INJ"),
        (r'id="cell-id=[0-9a-f]{8}"( class="[^"]*celltag_injected-parameters)', r'id="INJ"\1'),
        (r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID"),
    ]

    def mask(text: str) -> str:
        for pattern, replacement in masks:
            text = re.sub(pattern, replacement, text)
        return text

    def tree(text: str) -> list[tuple]:
        root = lxml.html.document_fromstring(mask(text))
        return [(el.tag, tuple(sorted((k, " ".join(v.split()) if k == "class" else v)
                                      for k, v in el.attrib.items())),
                 el.text or "", el.tail or "") for el in root.iter() if isinstance(el.tag, str)]

    def stripped(t: list[tuple]) -> list[tuple]:
        return [(tag, attrs, text.strip(), tail.strip()) for tag, attrs, text, tail in t]

    same = masked = parsed = spaces = 0
    differ = []
    pages = sorted(p for p in a_root.rglob("*.html") if p.name != "ky_thuat.html")
    for pa in pages:
        rel = pa.relative_to(a_root)
        ta, tb = pa.read_text(), (b_root / rel).read_text()
        if ta == tb:
            same += 1
        elif mask(ta) == mask(tb):
            masked += 1
        elif tree(ta) == tree(tb):
            parsed += 1
        elif stripped(tree(ta)) == stripped(tree(tb)):
            spaces += 1
        else:
            differ.append(str(rel))
    print(f"{len(pages)} pages (ky_thuat.html aside: its durations): {same} byte-identical, "
          f"{masked} identical once masked, {parsed} same as parsed, {spaces} same but for "
          f"whitespace between elements, {len(differ)} differ {differ[:5]}")

    def cells(path: Path) -> str:
        nb = nbformat.read(str(path), as_version=4)
        out = []
        for c in nb.cells:
            d = {"type": c.cell_type, "source": c.source,
                 "meta": {k: v for k, v in c.metadata.items() if k != "execution"},
                 "timing_keys": sorted(c.metadata.get("execution", {}))}
            if c.cell_type == "code":
                d["ec"], d["outputs"] = c.execution_count, c.outputs
            out.append(d)
        meta = {k: v for k, v in nb.metadata.items() if k != "hbt"}
        return mask(json.dumps({"cells": out, "meta": meta}, sort_keys=True,
                               ensure_ascii=False))

    notebooks = sorted(a_root.rglob("*.ipynb"))
    bad = [str(p.relative_to(a_root)) for p in notebooks
           if cells(p) != cells(b_root / p.relative_to(a_root))]
    print(f"{len(notebooks)} executed notebooks: {len(notebooks) - len(bad)} identical, "
          f"{len(bad)} differ {bad[:5]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A4 PDFs of the report pages, printed by headless Chromium (Debian's `chromium`).

The page is laid out at the printed width (A4 less its margins), so the charts are drawn
at the size they are printed and nothing is cut; the page's print CSS keeps figures and
tables whole and puts the data note in the margin of every page. Each PDF is printed by its
own Chromium process (its own profile folder), a few at a time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .plan import PlanError

#: A4 (210 mm) less the page's 14 mm margins, in CSS pixels (96 per inch), plus the page's
#: own 14 px side padding on screen: the charts are drawn as wide as they will be printed.
WINDOW_WIDTH = 716
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 120


def find_chromium() -> str | None:
    """The Chromium to print with: $HBT_CHROMIUM, else the first on PATH."""
    env = os.environ.get("HBT_CHROMIUM")
    if env:
        return env if Path(env).exists() or shutil.which(env) else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    """The Chromium path, or a PlanError saying how to install it (nothing has run yet)."""
    found = find_chromium()
    if found is None:
        raise PlanError(
            "Cần Chromium để ghi PDF (--pdf) nhưng không tìm thấy. Cài bằng / Chromium is "
            "needed for --pdf and was not found. Install it: sudo apt-get install chromium "
            "(hoặc đặt biến HBT_CHROMIUM / or set HBT_CHROMIUM to its path)")
    return found


def print_pdf(page: Path, target: Path | None = None, chromium: str | None = None,
              timeout_s: float = TIMEOUT_S) -> Path:
    """Print one HTML page to `target` (default: beside it, .pdf). Raises on failure."""
    chromium = chromium or require_chromium()
    page = Path(page).resolve()
    target = Path(target or page.with_suffix(".pdf")).resolve()
    partial = target.with_name(f".{target.name}.part")
    with tempfile.TemporaryDirectory(prefix="hbt-chromium-") as profile:
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-extensions", "--disable-background-networking", "--no-first-run",
               "--disable-sync", "--disable-component-update", "--hide-scrollbars",
               f"--user-data-dir={profile}", f"--window-size={WINDOW_WIDTH},1000",
               "--run-all-compositor-stages-before-draw", "--virtual-time-budget=30000",
               "--no-pdf-header-footer", f"--print-to-pdf={partial}",
               page.as_uri() + "?print"]  # report.js: draw the charts without waiting a frame
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s)
    if result.returncode != 0 or not partial.is_file() or partial.stat().st_size == 0:
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"Chromium không in được {page.name} / could not print it "
                           f"(exit {result.returncode}): {result.stderr.strip()[-300:]}")
    partial.replace(target)
    return target


def print_pdfs(pages: Iterable[Path], workers: int = 2) -> tuple[set[Path], list[str]]:
    """Print every page beside itself; returns (PDFs written, messages of failures)."""
    chromium = require_chromium()
    pages = list(pages)
    done: set[Path] = set()
    problems: list[str] = []

    def one(page: Path) -> None:
        try:
            done.add(print_pdf(page, chromium=chromium))
        except Exception as exc:  # one page's failure is reported, the others still print
            problems.append(f"PDF: {exc}")

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        list(pool.map(one, pages))
    return {p.resolve() for p in done}, problems

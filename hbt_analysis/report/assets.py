"""The scripts and styles a report page needs, and where they come from.

plotly.js: the reports' charts use only scatter and bar traces, so a page loads the
vendored *basic* build (1,2 MB, npm `plotly.js-basic-dist-min`, the same plotly.js version
as the installed plotly package) instead of the 4,8 MB full build. A page whose charts need
another trace type, or an installed plotly that bundles another plotly.js version, gets the
full build from the plotly package: never a chart that fails to draw.

A run writes each bundle its pages need once, into `<run>/_assets/`; a self-contained page
carries it inline. Nothing is fetched at run time: `vendor()` (a maintainer's command)
fetches the pinned npm package and checks its integrity.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
PLOTLY_DIR = RESOURCES / "plotly"
REPORT_DIR = RESOURCES / "report"
ASSETS_DIR = "_assets"
#: Trace types in the basic build (its README: bar, pie, scatter).
BASIC_TRACES = frozenset({"scatter", "bar", "pie"})
NPM_PACKAGE = "plotly.js-basic-dist-min"
#: npm integrity of the vendored versions (a new version is added here when vendored).
PINNED = {
    "4.1.1": "sha512-1oNF8PeQx2hv/y7tqEVWKD3JGwn/MGEMQ8mL9HUwsaqG9FGy/OU5FHUHvzqbqxN4mnwZGI9abTiE"
             "775C4kkjMQ==",
}


@dataclass(frozen=True)
class Bundle:
    """One plotly.js build: its file name in `_assets/` and where its text comes from."""

    name: str
    vendored: Path | None = None  # None: the full build of the installed plotly package

    def text(self) -> str:
        return _read(self.vendored) if self.vendored is not None else _full_plotly()


@cache
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


@cache
def _full_plotly() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


@cache
def installed_version() -> str:
    """The plotly.js version the installed plotly package writes figures for."""
    from plotly.offline import get_plotlyjs_version

    return get_plotlyjs_version()


def basic_path(version: str | None = None) -> Path:
    return PLOTLY_DIR / f"plotly-basic-{version or installed_version()}.min.js"


def bundle_for(traces: set[str] | frozenset[str]) -> Bundle:
    """The smallest build that draws these trace types with the installed plotly."""
    path = basic_path()
    if set(traces) <= BASIC_TRACES and path.is_file():
        return Bundle(path.name, path)
    return Bundle(f"plotly-{installed_version()}.min.js")


def bundle_named(name: str) -> Bundle:
    """The bundle a page refers to by file name (as exported)."""
    path = PLOTLY_DIR / name
    return Bundle(name, path if path.is_file() else None)


def write_bundle(run_dir: Path, name: str) -> Path:
    """`<run>/_assets/<name>` (written once per run)."""
    target = run_dir / ASSETS_DIR / name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        tmp.write_text(bundle_named(name).text(), encoding="utf-8")
        tmp.replace(target)
    return target


@cache
def page_css() -> str:
    return (REPORT_DIR / "report.css").read_text(encoding="utf-8")


@cache
def page_js() -> str:
    return (REPORT_DIR / "report.js").read_text(encoding="utf-8")


# --- for maintainers: fetch the pinned npm package ------------------------------------------

def vendor(version: str, integrity: str | None = None) -> Path:
    """Fetch `plotly.js-basic-dist-min@version` with npm, check its integrity against the
    pinned value, and write `resources/plotly/plotly-basic-<version>.min.js`."""
    expected = integrity or PINNED.get(version)
    if expected is None:
        raise SystemExit(f"no pinned integrity for {version}: pass it (npm view "
                         f"{NPM_PACKAGE}@{version} dist.integrity) and add it to PINNED")
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["npm", "pack", f"{NPM_PACKAGE}@{version}", "--json"], cwd=tmp,
                             check=True, capture_output=True, text=True).stdout
        info = json.loads(out)[0]
        tarball = Path(tmp) / info["filename"]
        digest = "sha512-" + base64.b64encode(
            hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if digest != expected:
            raise SystemExit(f"integrity mismatch for {NPM_PACKAGE}@{version}: {digest}")
        with tarfile.open(tarball) as tar:
            member = tar.extractfile("package/plotly-basic.min.js")
            assert member is not None
            target = basic_path(version)
            target.write_bytes(member.read())
            lic = tar.extractfile("package/LICENSE")
            if lic is not None:
                (PLOTLY_DIR / "LICENSE").write_bytes(lic.read())
    return target


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) >= 2 and args[0] == "vendor":
        if shutil.which("npm") is None:
            raise SystemExit("npm is needed to vendor plotly.js")
        print(vendor(args[1], args[2] if len(args) > 2 else None))
        return 0
    print("usage: python -m hbt_analysis.report.assets vendor VERSION [INTEGRITY]")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())

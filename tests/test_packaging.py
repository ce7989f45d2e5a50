"""environment.yml and pyproject.toml name the same dependencies; the notebooks are clean."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
KERNEL = "hbt-analysis"


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + project["optional-dependencies"]["test"]
    return {_name(r): r.replace(" ", "") for r in reqs}


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    out = {}
    for dep in env["dependencies"]:
        items = dep["pip"] if isinstance(dep, dict) else [dep]
        for item in items:
            if item.startswith("-e") or _name(item) in ("python", "pip"):
                continue
            out[_name(item)] = item.replace(" ", "")
    return out


def test_environment_yml_and_pyproject_name_the_same_dependencies():
    assert set(_environment()) == set(_pyproject())


def test_environment_yml_and_pyproject_pin_the_same_versions():
    env, pyproject = _environment(), _pyproject()
    for name, requirement in pyproject.items():
        assert env[name] == requirement, f"{name}: {env[name]} vs {requirement}"


def test_notebooks_are_committed_without_outputs_and_with_a_parameters_cell():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = nb["cells"]
        assert not any(c.get("outputs") for c in cells), f"{path.name} has outputs"
        assert not any(c.get("execution_count") for c in cells), f"{path.name} has counts"
        tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, f"{path.name}: one cell tagged 'parameters'"
        for line in "".join(tagged[0]["source"]).splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                assert "#" in line, f"{path.name}: parameter without a comment: {line}"


def test_data_readme_dictionary_matches_the_schema():
    from hbt_analysis.schema import data_dictionary_markdown

    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    section = text.split("<!-- data-dictionary:start -->\n", 1)[1].split(
        "\n<!-- data-dictionary:end -->", 1)[0]
    assert section.strip() == data_dictionary_markdown().strip()
    assert text.lstrip().startswith("# Data\n\n> **Dữ liệu tổng hợp")  # says "synthetic" first


def test_papermill_documents_every_parameter():
    """papermill --help-notebook must see each line of the parameters cell (no '=' in a
    comment, no annotation it cannot parse), or the runner would reject a real parameter."""
    import papermill as pm

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        cell = next(c for c in nb["cells"]
                    if "parameters" in c.get("metadata", {}).get("tags", []))
        lines = [ln for ln in "".join(cell["source"]).splitlines()
                 if ln.strip() and not ln.lstrip().startswith("#")]
        names = [ln.split(":")[0].split("=")[0].strip() for ln in lines]
        found = pm.inspect_notebook(str(path))
        assert list(found) == names, path.name
        assert all(p["help"] for p in found.values()), path.name


def test_building_the_package_prints_no_deprecation_warning(tmp_path):
    """What `make setup` shows on a fresh machine: pip builds the package from its metadata
    in an isolated environment with the newest setuptools; that must warn about nothing
    (a TOML-table `project.license` printed a deprecation on every set-up)."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "hbt_analysis", src / "hbt_analysis",
                    ignore=shutil.ignore_patterns("__pycache__"))
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(tmp_path / "w"),
         str(src)], capture_output=True, text=True, timeout=600,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    warnings = [line for line in output.splitlines()
                if re.search(r"deprecat|BuildBackendWarning|SetuptoolsWarning", line, re.I)]
    assert not warnings, "\n".join(warnings)
    wheel = next((tmp_path / "w").glob("hbt_analysis-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        metadata = zf.read(next(n for n in zf.namelist() if n.endswith("METADATA"))).decode()
    assert "License-Expression: MIT" in metadata


# --- notebooks as JupyterLab saves them --------------------------------------------------------

def _kernel_language_info() -> dict:
    """What the installed kernel tells a front end about its language (JupyterLab copies it
    into the notebook's metadata when it opens the notebook)."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name=KERNEL)
    try:
        kc.kernel_info()
        while True:
            reply = kc.get_shell_msg(timeout=60)
            if reply["msg_type"] == "kernel_info_reply":
                return dict(reply["content"]["language_info"])
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _lab_kernelspec() -> dict:
    """The kernelspec JupyterLab writes: the installed spec's name, display name and language
    (`python -m ipykernel install --sys-prefix --name hbt-analysis --display-name ...`)."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(KERNEL)
    return {"display_name": spec.display_name, "language": spec.language, "name": KERNEL}


def test_notebook_metadata_is_what_jupyterlab_writes_for_the_installed_kernel():
    """Opening a notebook in JupyterLab must not rewrite its metadata (a diff on every save):
    the committed kernelspec is the installed one, the language_info the kernel's own, less
    the Python patch version (which differs between machines; the git filter strips it)."""
    spec = _lab_kernelspec()
    assert spec["display_name"] == "Python (hbt-analysis)"
    language_info = _kernel_language_info()
    assert language_info.pop("version")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert nb["metadata"]["kernelspec"] == spec, path.name
        assert nb["metadata"]["language_info"] == language_info, path.name


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                          cwd=repo, capture_output=True, text=True, timeout=120, check=True)


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("make") is None,
                    reason="needs git and make")
def test_a_notebook_run_and_saved_in_jupyterlab_shows_no_change_in_git(tmp_path):
    """The filter `make setup` configures (.gitattributes + nbstripout): a notebook executed on
    the real kernel and saved with its outputs, kernelspec and language_info as JupyterLab
    saves them is what git already has. Committed notebooks are fixed points of the filter."""
    from nbclient import NotebookClient

    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / ".gitattributes", repo / ".gitattributes")
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(path, repo / "notebooks" / path.name)
    _git(repo, "init", "-q")
    subprocess.run(["make", "--no-print-directory", "-f", str(ROOT / "Makefile"),
                    f"VENV={sys.prefix}", "git-filter"], cwd=repo, check=True, timeout=60,
                   capture_output=True)
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "notebooks")
    assert _git(repo, "status", "--porcelain").stdout == ""  # committed = already clean

    target = repo / "notebooks" / "01_attendance.ipynb"
    nb = nbformat.read(target, as_version=4)
    nb.metadata.kernelspec = _lab_kernelspec()
    NotebookClient(nb, kernel_name=KERNEL, timeout=600,
                   resources={"metadata": {"path": str(ROOT)}}).execute()
    assert nb.metadata.language_info["version"]  # the kernel's, as JupyterLab writes it
    nbformat.write(nb, target)
    saved = target.read_text(encoding="utf-8")
    assert '"execution_count": 2' in saved and '"output_type": "display_data"' in saved
    assert len(saved) > 10 * len((ROOT / "notebooks" / target.name).read_bytes())

    assert _git(repo, "diff").stdout == ""
    _git(repo, "add", str(target))  # (git status lists a resized file until it is added)
    assert _git(repo, "status", "--porcelain").stdout == ""  # nothing to commit
    assert _git(repo, "show", "HEAD:notebooks/01_attendance.ipynb").stdout == (
        ROOT / "notebooks" / target.name).read_text(encoding="utf-8")

"""What each process of the batch imports: a report kernel's reset helper pulls in neither the
CLI nor nbformat, a worker not pandas, and the batch's processes skip rfc3987_syntax's
grammars (about a second of CPU each); the package's public names still work."""

from __future__ import annotations

import json
import subprocess
import sys


def _modules_after(code: str) -> dict:
    probe = (f"{code}\nimport json, sys\n"
             "print(json.dumps({m: sys.modules.get(m) is not None for m in "
             "('nbformat', 'pandas', 'hbt_analysis.report.cli', 'rfc3987_syntax', 'jsonschema')}))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_kernel_side_helper_imports_no_batch_machinery():
    seen = _modules_after("import hbt_analysis.report._kernelside")
    assert not seen["nbformat"] and not seen["hbt_analysis.report.cli"] and not seen["pandas"]


def test_a_worker_imports_no_pandas_and_no_iri_grammars():
    seen = _modules_after("import hbt_analysis.report.kernelpool\n"
                          "from hbt_analysis.report.export import ReportExporter")
    assert seen["nbformat"] and seen["jsonschema"]
    assert not seen["pandas"] and not seen["rfc3987_syntax"]


def test_public_names_are_imported_on_first_use():
    import hbt_analysis
    import hbt_analysis.report as report

    assert callable(hbt_analysis.load) and hbt_analysis.DataError.__name__ == "DataError"
    assert callable(report.run_batch) and report.EXIT_FAILED == 1
    from hbt_analysis.report import register_cli  # noqa: F401

    assert {"load", "Dataset"} <= set(dir(hbt_analysis))

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


def test_a_report_kernel_skips_the_iri_grammars_yet_has_plotly_and_jsonschema():
    """A warm kernel as the pool starts it: the drivers are imported (plotly's renderers
    pull in nbformat, hence jsonschema) without compiling rfc3987_syntax's grammars."""
    import asyncio
    import os

    from hbt_analysis.report.kernelpool import KERNEL_NAME, WarmKernel

    async def probe() -> dict:
        kernel = WarmKernel(KERNEL_NAME, dict(os.environ), ["plotly.io"])
        await kernel.start()
        try:
            msg_id = kernel.kc.execute(
                "import json, sys\nprint(json.dumps({m: sys.modules.get(m) is not None for m "
                "in ('rfc3987_syntax', 'jsonschema', 'plotly.io._renderers')}))")
            text = ""
            while True:
                msg = await kernel.kc.get_iopub_msg(timeout=60)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "stream":
                    text += msg["content"]["text"]
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    return json.loads(text)
        finally:
            await kernel.stop()

    seen = asyncio.run(probe())
    assert seen["plotly.io._renderers"] and seen["jsonschema"]
    assert not seen["rfc3987_syntax"]

"""One request per report: the kernel runs the notebook's cells itself (`_kernelside.run_cells`)
and the host writes their outputs (`report.execute`). The executed notebook must be what
cell-by-cell execution with nbclient writes: same outputs (streams, display data, rich HTML,
execute results, updated displays, cleared output, errors), same execution counts, same
cells run and skipped, the same error at the same cell; and a kernel that dies or overruns
its time limit is named with the cell it was running. Real kernels, papermill, nbclient.
"""

from __future__ import annotations

import asyncio
import copy
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, DeadKernelError
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from hbt_analysis.report.execute import execute_notebook, runnable_cells
from hbt_analysis.report.kernelpool import KERNEL_NAME, WarmKernel

CELLS = [
    ("parameters", "n = 1"),
    "import sys\nprint('tổ dân phố', n)\nprint('cảnh báo', file=sys.stderr)\nprint('hết')",
    "from IPython.display import HTML, Markdown, clear_output, display\n"
    "display(HTML('<b>đậm</b> <i>nghiêng</i>'))\ndisplay(Markdown('**68,6%**'))",
    "import pandas as pd\npd.DataFrame({'Phường': ['Bạch Mai', 'Vĩnh Tuy'], 'Hộ': [1, 2]})",
    "print('trước')\n1 + n",
    "h = display(HTML('cũ'), display_id=True)\nh.update(HTML('mới'))",
    "print('xoá đi')\nclear_output()\nprint('còn lại')",
    "   ",
    ("skip-execution", "raise RuntimeError('không được chạy')"),
    ("raises-exception", "raise KeyError('được phép')"),
    "x = n * 2\nx",
    "print('lỗi sau đây')\n1 / 0",
    "print('không chạy tới')",
]
FAILING = 13  # `1 / 0`: after the title, the parameters, the injected parameters, CELLS[1:11]


def _notebook(folder: Path) -> nbformat.NotebookNode:
    """The notebook above, read and parameterised as the runner does (papermill)."""
    nb = new_notebook(metadata={"kernelspec": {"name": KERNEL_NAME, "language": "python",
                                               "display_name": KERNEL_NAME}})
    nb.cells.append(new_markdown_cell("# Thử"))
    for cell in CELLS:
        if isinstance(cell, tuple):
            nb.cells.append(new_code_cell(cell[1], metadata={"tags": [cell[0]]}))
        else:
            nb.cells.append(new_code_cell(cell))
    nbformat.write(nb, str(folder / "thu.ipynb"))
    return parameterize_notebook(load_notebook_node(str(folder / "thu.ipynb")), {"n": 3},
                                 kernel_name=KERNEL_NAME, language="python")


def _cell_by_cell(nb: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, Exception]:
    client = NotebookClient(nb, kernel_name=KERNEL_NAME, allow_errors=False,
                            record_timing=True)
    with pytest.raises(CellExecutionError) as raised:
        client.execute()
    return nb, raised.value


async def _on_warm_kernel(nb: nbformat.NotebookNode, timeout_s: float | None = None
                          ) -> tuple[nbformat.NotebookNode, BaseException | None, int | None]:
    kernel = WarmKernel(KERNEL_NAME, dict(os.environ), ["pandas"])
    await kernel.start()
    where: dict = {"cell": None}
    try:
        await execute_notebook(kernel, nb, timeout_s=timeout_s, where=where)
        error = None
    except Exception as exc:
        error = exc
    finally:
        await kernel.stop()
    return nb, error, where["cell"]


def test_one_request_writes_what_cell_by_cell_execution_writes(tmp_path: Path) -> None:
    expected, expected_error = _cell_by_cell(_notebook(tmp_path))
    got, error, cell = asyncio.run(_on_warm_kernel(_notebook(tmp_path)))

    assert isinstance(error, CellExecutionError) and cell == FAILING
    assert (error.ename, error.evalue) == (expected_error.ename, expected_error.evalue)
    assert str(error) == str(expected_error)  # the same message: cell, streams, traceback
    assert got.metadata["language_info"] == expected.metadata["language_info"]
    assert len(got.cells) == len(expected.cells)
    for index, (mine, theirs) in enumerate(zip(got.cells, expected.cells, strict=True)):
        assert mine.get("execution_count") == theirs.get("execution_count"), index
        assert mine.get("outputs") == theirs.get("outputs"), index
        assert sorted(mine.metadata.get("execution", {})) == sorted(
            theirs.metadata.get("execution", {})), index

    kinds = [o.output_type for c in got.cells for o in c.get("outputs", [])]
    assert {"stream", "display_data", "execute_result", "error"} <= set(kinds)
    by_source = {c.source: c for c in got.cells}
    streams = by_source[CELLS[1]].outputs
    assert [o.name for o in streams] == ["stdout", "stderr"]
    assert streams[0].text == "tổ dân phố 3\nhết\n"  # the injected n = 3, not the default
    assert "text/html" in by_source[CELLS[3]].outputs[0].data  # a DataFrame's rich output
    assert by_source[CELLS[5]].outputs[0].data["text/html"] == "mới"  # updated display
    assert [o.text for o in by_source[CELLS[6]].outputs] == ["còn lại\n"]
    assert by_source[CELLS[9][1]].outputs[0].ename == "KeyError"  # allowed, then went on
    assert by_source[CELLS[8][1]].get("execution_count") is None  # skipped by its tag
    assert by_source[CELLS[-1]].execution_count is None and not by_source[CELLS[-1]].outputs


def test_the_cells_run_are_nbclients(tmp_path: Path) -> None:
    nb = _notebook(tmp_path)
    run = [index for index, _, _ in runnable_cells(nb)]
    sources = [nb.cells[i].source for i in run]
    assert CELLS[7] not in sources and CELLS[8][1] not in sources  # blank, skip-execution
    assert [allow for _, _, allow in runnable_cells(nb)].count(True) == 1


@pytest.mark.parametrize(("code", "kind"), [
    ("import time\ntime.sleep(60)", TimeoutError),
    ("import os\nos._exit(1)", DeadKernelError),
])
def test_a_kernel_killed_or_dead_mid_report_names_its_cell(code: str, kind: type) -> None:
    nb = new_notebook(cells=[new_code_cell("x = 1"), new_markdown_cell("…"),
                             new_code_cell(code), new_code_cell("y = 2")])
    _, error, cell = asyncio.run(_on_warm_kernel(copy.deepcopy(nb), timeout_s=4))
    assert isinstance(error, kind) and cell == 2

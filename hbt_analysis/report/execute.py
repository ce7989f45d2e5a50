"""Execute a parameterised notebook on a warm kernel in ONE request (host side).

The kernel runs the cells itself (`_kernelside.run_cells`: one `run_cell` each, as
ipykernel runs an execute_request) and returns the output messages of every cell in the
request's reply. Here they become the cells' outputs through nbclient's own message
handling (`NotebookClient.process_message`), with the execution_count each cell got and
nbclient's timing metadata, so the executed notebook is what cell-by-cell execution with
nbclient writes, without a round trip per cell.

What nbclient guaranteed is kept: empty cells and cells tagged `skip-execution` are not run;
the first error stops the notebook (unless the cell is tagged `raises-exception`) with
nbclient's `CellExecutionError`; a kernel that dies gives `DeadKernelError`; past the time
limit the kernel is killed and `TimeoutError` is raised. `where["cell"]` always holds the
index of the cell the notebook stopped at (the kernel writes the running cell's index to a
small file, read when it dies or is killed).
"""

from __future__ import annotations

import queue
import time
from typing import Any

import nbformat

from ._kernelside import PAYLOAD_SOURCE

SKIP_TAG = "skip-execution"  # nbclient's default `skip_cells_with_tag`
RAISES_TAG = "raises-exception"
POLL_S = 1.0  # how often a silent kernel is checked for life (as nbclient does)


def runnable_cells(nb: nbformat.NotebookNode) -> list[tuple[int, str, bool]]:
    """(index, source, errors allowed) of the cells nbclient would execute, in order."""
    cells = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        tags = cell.metadata.get("tags", [])
        if SKIP_TAG in tags:
            continue
        cells.append((index, cell.source, RAISES_TAG in tags))
    return cells


def request_code(cells: list[tuple[int, str, bool]], progress: str | None) -> str:
    """The one execute_request's code: binds no name in the user's namespace."""
    return ("await __import__('hbt_analysis.report._kernelside', fromlist=['run_cells'])"
            f".run_cells({cells!r}, {progress!r})")


async def execute_notebook(kernel: Any, nb: nbformat.NotebookNode, *,
                           timeout_s: float | None, where: dict[str, Any]) -> None:
    """Execute `nb` in place on `kernel` (a kernelpool.WarmKernel); raise as nbclient does."""
    from nbclient.exceptions import DeadKernelError

    cells = runnable_cells(nb)
    if kernel.language_info:
        nb.metadata["language_info"] = kernel.language_info
    await kernel.drain_iopub()  # the earlier requests' status messages
    progress = kernel.progress_file()
    with open(progress, "wb"):  # empty: no cell started yet
        pass
    msg_id = kernel.kc.execute(request_code(cells, progress), silent=True,
                               store_history=False, allow_stdin=False, stop_on_error=False)
    deadline = None if not timeout_s else time.monotonic() + timeout_s
    while True:
        wait = POLL_S if deadline is None else min(POLL_S, deadline - time.monotonic())
        if wait <= 0:
            where["cell"] = _running_cell(progress)
            await kernel.kill()
            raise TimeoutError(f"quá {timeout_s:g} giây / over the {timeout_s:g} s timeout")
        try:
            reply = await kernel.kc.get_shell_msg(timeout=wait)
        except queue.Empty:
            if not await kernel.alive():
                where["cell"] = _running_cell(progress)
                raise DeadKernelError("Kernel died") from None
            continue
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    content = reply["content"]
    done = next((p["cells"] for p in content.get("payload", [])
                 if p.get("source") == PAYLOAD_SOURCE), None)
    if done is None:  # the runner itself failed (it always leaves its payload)
        raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")
    _apply(nb, done, where)


def _running_cell(progress: str) -> int | None:
    try:
        with open(progress, "rb") as f:
            text = f.read().strip()
        return int(text) if text else None
    except (OSError, ValueError):
        return None


def _apply(nb: nbformat.NotebookNode, done: list[dict[str, Any]],
           where: dict[str, Any]) -> None:
    """Write the executed cells' outputs into `nb`; raise on the first error not allowed."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    client = NotebookClient(nb, record_timing=True)  # only its message handling is used
    allowed = {index: allow for index, _, allow in runnable_cells(nb)}
    for record in done:
        index = record["index"]
        where["cell"] = index
        cell = nb.cells[index]
        cell.metadata["execution"] = dict(record["timing"])
        cell.outputs = []
        client.clear_before_next_output = False  # per cell, as nbclient does
        for msg_type, content in record["outputs"]:
            msg = {"msg_type": msg_type, "header": {"msg_type": msg_type},
                   "parent_header": {}, "content": content}
            client.process_message(msg, cell, index)
        cell.execution_count = record["execution_count"]
        if record["status"] == "error" and not allowed.get(index, False):
            error = next((c for t, c in reversed(record["outputs"]) if t == "error"),
                         {"ename": "Error", "evalue": "", "traceback": []})
            raise CellExecutionError.from_cell_and_msg(cell, error)


"""What a reader sees in an executed notebook: shared by the notebook tests."""

from __future__ import annotations


def texts(nb) -> str:
    """Everything a reader sees in the outputs (markdown, HTML, plain text, streams, errors)."""
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            for key in ("text/markdown", "text/html", "text/plain"):
                if key in o.get("data", {}):
                    out.append(o["data"][key])
            if o.get("output_type") == "stream":
                out.append(o["text"])
            if o.get("output_type") == "error":
                out.append(o["evalue"])
    return "\n".join(out)


def errors(nb) -> list[str]:
    """The errors raised by the notebook's cells, as 'Name: message'."""
    return [f"{o['ename']}: {o['evalue']}" for c in nb.cells for o in c.get("outputs", [])
            if o.get("output_type") == "error"]

"""Writes the small notebooks the report engine is tested with (run after editing this file).

Each has a `parameters` cell (year, ward, lang) like the real notebooks. They exercise what the
engine must get right: plotly charts and escaped opinion text (report_ok), state that must not
leak from one report into the next (leak_set / leak_check), a failing cell (fail), a cell that
exceeds its time limit or is stopped while running (slow) and a kernel that dies (die).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent
PARAMS = (
    "year: int = 2023  # năm hội nghị\n"
    "ward: str | None = None  # mã phường, None = toàn quận\n"
    'lang: str = "vi"  # ngôn ngữ: "vi" hoặc "en"'
)
PLANTED = '<script>window.__pwned = 1</script> và <img src=x onerror="window.__pwned = 2">'


def notebook(*cells: str | tuple[str, str]) -> nbformat.NotebookNode:
    nb = new_notebook(metadata={
        "kernelspec": {"name": "hbt-analysis", "display_name": "Python (hbt-analysis)",
                       "language": "python"},
        "language_info": {"name": "python"},
    })
    for cell in cells:
        if isinstance(cell, tuple) and cell[0] == "md":
            nb.cells.append(new_markdown_cell(cell[1]))
        elif isinstance(cell, tuple) and cell[0] == "parameters":
            nb.cells.append(new_code_cell(cell[1], metadata={"tags": ["parameters"]}))
        else:
            nb.cells.append(new_code_cell(cell))
    return nb


NOTEBOOKS = {
    "report_ok": notebook(
        ("md", "# Báo cáo thử nghiệm"),
        ("parameters", PARAMS),
        "import pandas as pd\nimport plotly.graph_objects as go\nimport plotly.io as pio\n"
        "from IPython.display import Markdown, display\n"
        "from hbt_analysis.fmt import fmt_int, fmt_pct\n"
        'pio.renderers.default = "notebook"  # as style.setup_notebook() does',
        'display(Markdown(f"Phạm vi: **{ward or \'toàn quận\'}**, năm {year}: '
        '{fmt_int(35323)} hộ dự, tỷ lệ {fmt_pct(0.6862)}"))',
        'fig = go.Figure(go.Bar(x=["Tổ 1", "Tổ 2"], y=[35323, 2142]))\nfig.show()',
        'fig2 = go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2]))\nfig2',
        f"opinions = pd.DataFrame({{'Ý kiến': [{PLANTED!r}, 'Đề nghị sửa đường']}})\n"
        "opinions",
    ),
    "leak_set": notebook(
        ("parameters", PARAMS),
        "import os, sys, warnings\nimport pandas as pd\nimport plotly.io as pio\n"
        "LEAK_SENTINEL = 42\n"
        'pd.set_option("display.max_rows", 7)\n'
        'pio.templates.default = "ggplot2"\n'
        'os.environ["HBT_LEAK"] = "1"\n'
        'sys.path.append("/hbt-leak")\n'
        'warnings.simplefilter("error")\n'
        'os.chdir("/")',
    ),
    "leak_check": notebook(
        ("parameters", PARAMS),
        "import os, sys, warnings\nimport pandas as pd\nimport plotly.io as pio\n"
        "import plotly.graph_objects as go\n"
        'assert "LEAK_SENTINEL" not in globals(), "global leaked from a previous report"\n'
        'assert pd.get_option("display.max_rows") == 60, "pandas option leaked"\n'
        'assert pio.templates.default == "plotly", pio.templates.default\n'
        'assert "HBT_LEAK" not in os.environ, "environment leaked"\n'
        'assert "/hbt-leak" not in sys.path, "sys.path leaked"\n'
        'assert not any(f[0] == "error" and f[2] is Warning for f in warnings.filters)\n'
        'assert os.getcwd() != "/", "working directory leaked"\n'
        "assert len(Out) == 0, len(Out)",
        'pio.renderers.default = "notebook"\ngo.Figure(go.Bar(x=[1], y=[1])).show()',
    ),
    "fail": notebook(
        ("parameters", PARAMS),
        "x = 1",
        'raise ValueError("hỏng có chủ ý / failing on purpose")',
        "print('never reached')",
    ),
    "slow": notebook(
        ("parameters", PARAMS),
        # tells a test when it is inside the long cell (HBT_TEST_STARTED_DIR, if set)
        "import os, pathlib, time\n"
        'started = os.environ.get("HBT_TEST_STARTED_DIR")\n'
        "if started:\n"
        '    pathlib.Path(started, f"{ward or \'district\'}.started").touch()\n'
        "time.sleep(120)",
    ),
    "die": notebook(
        ("parameters", PARAMS),
        "import os\nos._exit(1)",
    ),
}


def main() -> None:
    for name, nb in NOTEBOOKS.items():
        nbformat.write(nb, str(HERE / f"{name}.ipynb"))


if __name__ == "__main__":
    main()

"""`python -m hbt_analysis.report ...` = `hbt report ...` (before the lead wires the CLI)."""

import sys

from .cli import main

if __name__ == "__main__":  # worker processes are spawned: they must not re-run the command
    sys.exit(main())

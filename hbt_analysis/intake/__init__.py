"""Reading the files offices hand over: every layout, format and encoding they really use.

`read_files(files, year, wards)` returns the year's tables as raw cells (`io.RawTable`), the
problems found while reading, and a record of how each file and sheet was read, which
`explain.render` turns into the text of `hbt validate --explain`.
"""

from hbt_analysis.intake.reader import FileReading, Intake, SheetReading, read_files, read_table
from hbt_analysis.intake.sources import Source, open_source

__all__ = ["FileReading", "Intake", "SheetReading", "Source", "open_source", "read_files",
           "read_table"]

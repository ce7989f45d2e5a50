"""Reading the conferences' Word minutes and the wards' opinion summaries into the tables.

`read_document(path)` reads one document; `import_folder(folder, year)` reads a folder and
builds the year's tables, the review rows and the flags (see `importer`).
"""

from hbt_analysis.minutes.reader import Reading, read_document

__all__ = ["Reading", "read_document"]

"""Importing Article 5 data (admin areas, hazard areas, land release, milestones) from CSV,
XLSX, GeoJSON, GeoPackage, zipped shapefiles and KML.

A file is imported entirely or not at all: every row is checked first, every problem is
reported with its line, and only a file without errors is saved, in one transaction. Rows are
matched with stored records by external id (admin areas by code, milestones by year and
region), so importing an updated export updates instead of duplicating.
"""

from mineaction.landrelease.importers.columns import CANONICAL_COLUMNS, Column, suggest_columns
from mineaction.landrelease.importers.report import ImportReport, RowIssue, issues_csv
from mineaction.landrelease.importers.run import run_import, run_job
from mineaction.landrelease.importers.tables import ImportFileError, Table, read_table

__all__ = [
    "CANONICAL_COLUMNS",
    "Column",
    "ImportFileError",
    "ImportReport",
    "RowIssue",
    "Table",
    "issues_csv",
    "read_table",
    "run_import",
    "run_job",
    "suggest_columns",
]

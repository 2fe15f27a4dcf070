"""Imports of the location tree and of people and teams from CSV or XLSX files.

Each import checks the whole file first and reports every problem it finds with its row, column
and reason; only a file without errors is written, in one transaction, with one audit entry per
record created or changed (channel `import`). A dry run checks and counts the same way and
writes nothing. Records are matched by code within the mission, so re-importing a file updates
what changed and never duplicates.
"""

from .common import MAX_ERRORS, ImportReport, RowError
from .locations import LOCATION_COLUMNS, LOCATION_REQUIRED, import_locations
from .people import PEOPLE_COLUMNS, PEOPLE_REQUIRED, import_people

__all__ = [
    "LOCATION_COLUMNS",
    "LOCATION_REQUIRED",
    "MAX_ERRORS",
    "PEOPLE_COLUMNS",
    "PEOPLE_REQUIRED",
    "ImportReport",
    "RowError",
    "import_locations",
    "import_people",
]

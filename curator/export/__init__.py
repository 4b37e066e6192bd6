"""Write a reading list in formats other tools read: BibTeX, CSL-JSON, JSON and CSV.

Each format has its module; what BibTeX and CSL-JSON say about a paper (key, date, DOI,
venue) is decided once, in :mod:`curator.export.citation`. Exports are deterministic: the
same list (and history) always gives the same text.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # each format is imported when it is asked for: the CLI needs only the enum
    from curator.models import ReadingList


class ExportFormat(str, Enum):
    """The formats ``curator export`` writes."""

    BIBTEX = "bibtex"
    CSL_JSON = "csl-json"
    JSON = "json"
    CSV = "csv"


def export(
    reading_list: ReadingList, export_format: ExportFormat, *, as_of: dt.date | None = None
) -> str:
    """Return a reading list in ``export_format``; ``as_of`` dates the counts in JSON and CSV."""
    if export_format is ExportFormat.BIBTEX:
        from curator.export.bibtex import bibtex  # noqa: PLC0415 (slow import)

        return bibtex(reading_list)
    if export_format is ExportFormat.CSL_JSON:
        from curator.export.csl import csl_json  # noqa: PLC0415 (slow import)

        return csl_json(reading_list)
    from curator.export.tabular import csv_rows, json_records  # noqa: PLC0415

    if export_format is ExportFormat.JSON:
        return json_records(reading_list, as_of=as_of)
    return csv_rows(reading_list, as_of=as_of)

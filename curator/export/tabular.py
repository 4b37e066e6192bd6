"""A reading list as JSON or CSV: every fact of every paper, as ``curator show --json`` gives it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from curator.models import Entry, ReadingList
from curator.render.records import entry_record

LIST_SEPARATOR = "; "
"""What joins the items of a list-valued field (authors, tags, ...) in a CSV cell."""


def json_records(reading_list: ReadingList, *, as_of: dt.date | None = None) -> str:
    """Return the papers as a JSON array of records, in list order.

    ``as_of`` is the date of the citation counts, which ``velocity`` needs (see
    :func:`curator.render.records.entry_record`).
    """
    records = [entry_record(entry, as_of=as_of) for entry in reading_list.entries]
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def csv_rows(reading_list: ReadingList, *, as_of: dt.date | None = None) -> str:
    """Return the papers as CSV: a header, then one row per paper in list order.

    The columns are the record's fields, in their order. Unknown values are empty cells,
    lists are joined with ``"; "``, and booleans are ``true`` or ``false``.
    """
    records = [entry_record(entry, as_of=as_of) for entry in reading_list.entries]
    columns = list(entry_record(Entry(id="")))  # the same for every entry, known or not
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow(_cell(record[column]) for column in columns)
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(item) for item in value)
    return str(value)

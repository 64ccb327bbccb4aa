"""The change log as CSV, streamed: one generator serves the download view and the
``export_changes`` command, so both write the same columns the same way.

Every cell is scraped or typed text that a spreadsheet may open, so a cell that would
start a formula gets a leading apostrophe (OWASP "CSV injection"); nothing else changes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.models import Change

CHUNK_SIZE = 2000

# Characters a spreadsheet reads as the start of a formula (or that hide one after
# them), plus their full-width forms, which Excel also accepts in some locales.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: str) -> str:
    """Make one cell safe to open in a spreadsheet: ``=1+1`` becomes ``'=1+1``."""
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).isoformat(sep=" ", timespec="minutes")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def change_csv_header() -> list[str]:
    return [
        _("Vendor"),
        _("Kind"),
        _("Entity"),
        _("Name as published"),
        _("Purpose"),
        _("Location"),
        _("Countries"),
        _("Detected"),
        _("Objection deadline"),
        _("Review status"),
        _("Fields changed"),
        _("Previous values"),
        _("Source URL"),
    ]


def change_csv_row(change: Change) -> list[str]:
    """One change as cells. ``row`` is the "after" side for additions and edits and the
    "before" side for removals; for edits, the changed fields and their old values follow.
    """
    row = change.row or {}
    changed = list(change.fields or []) if change.kind == Change.Kind.MODIFIED else []
    previous = "; ".join(f"{name}: {_text(change.before.get(name))}" for name in changed)
    cells = [
        change.source.vendor.name,
        change.get_kind_display(),
        change.subprocessor.name,
        _text(row.get("name")),
        _text(row.get("purpose")),
        _text(row.get("location")),
        _text(row.get("countries")),
        _when(change.detected_at),
        _when(change.objection_deadline),
        change.get_review_status_display(),
        ", ".join(changed),
        previous,
        change.source.url,
    ]
    return [neutralise(str(cell)) for cell in cells]


class _Echo:
    """A file-like object whose write() hands the line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def change_csv_lines(
    changes: QuerySet[Change] | Iterable[Change], chunk_size: int = CHUNK_SIZE
) -> Iterator[str]:
    """The header, then one CSV line per change, read ``chunk_size`` rows at a time."""
    writer = csv.writer(_Echo())
    yield writer.writerow(change_csv_header())
    rows = changes.iterator(chunk_size=chunk_size) if isinstance(changes, QuerySet) else changes
    for change in rows:
        yield writer.writerow(change_csv_row(change))

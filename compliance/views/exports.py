"""The change log as a CSV download, streamed row by row."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from compliance import selectors
from compliance.exports import change_csv_lines
from compliance.views.changes import change_filters


def _with_bom(lines: Iterator[str]) -> Iterator[str]:
    # A byte-order mark tells Excel the file is UTF-8 (names and places in Arabic,
    # German, ... would otherwise be garbled); other readers skip it.
    yield "\ufeff"
    yield from lines


def change_export(request: HttpRequest) -> StreamingHttpResponse:
    """The same changes the list shows for the same filters, as CSV."""
    rows = selectors.change_export_rows(**change_filters(request))
    response = StreamingHttpResponse(
        _with_bom(change_csv_lines(rows)), content_type="text/csv; charset=utf-8"
    )
    filename = f"subwatch-changes-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

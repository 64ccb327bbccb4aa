"""python manage.py export_changes [--since YYYY-MM-DD] > changes.csv"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from compliance.exports import change_csv_lines
from compliance.selectors import change_export_rows


def _parse_day(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise CommandError(
            f"--since must be a date as YYYY-MM-DD, got {value!r}", returncode=2
        ) from exc


class Command(BaseCommand):
    help = "Write the change log as CSV to stdout, header row first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since",
            metavar="YYYY-MM-DD",
            help="Only changes detected on or after this day (in TIME_ZONE).",
        )

    def handle(self, *args: Any, since: str | None = None, **options: Any) -> None:
        day = _parse_day(since) if since is not None else None
        for line in change_csv_lines(change_export_rows(since=day)):
            self.stdout.write(line, ending="")

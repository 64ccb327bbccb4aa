"""The management commands admins and scripts use, with their messages and exit codes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from compliance.models import AlertRule, Source, Vendor
from tests.pages import BASE_ROWS, GOOGLE, list_page
from tests.servers import Page

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as info:
        call_command(*args, stdout=io.StringIO())
    assert info.value.returncode == 2
    assert "\n" not in str(info.value)
    return info.value


@pytest.mark.django_db
def test_add_vendor_prints_the_slug_and_sets_the_options(page_server):
    out = run(
        "add_vendor",
        "--name",
        "Cortexa AI",
        "--url",
        page_server.url("/list"),
        "--interval",
        "6",
        "--notice-days",
        "10",
    )

    assert out.strip() == "cortexa-ai"
    vendor = Vendor.objects.get(slug="cortexa-ai")
    assert vendor.notice_days == 10
    assert vendor.sources.get().check_interval.total_seconds() == 6 * 3600


@pytest.mark.django_db
def test_add_vendor_refuses_bad_and_duplicate_sources(page_server, settings):
    run("add_vendor", "--name", "Cortexa AI", "--url", page_server.url("/list"))

    assert "already exists" in str(
        refused("add_vendor", "--name", "Cortexa Two", "--url", page_server.url("/list"))
    )
    assert "already exists" in str(
        refused("add_vendor", "--name", "cortexa ai", "--url", page_server.url("/other"))
    )
    refused("add_vendor", "--name", "Broken", "--url", "not a url")
    refused("add_vendor", "--name", "Ftp", "--url", "ftp://example.com/list")
    settings.SUBWATCH_ALLOW_PRIVATE_ADDRESSES = False
    error = refused("add_vendor", "--name", "Local", "--url", "http://127.0.0.1:9/list")
    assert "SUBWATCH_ALLOW_PRIVATE_ADDRESSES" in str(error)
    assert Vendor.objects.count() == 1


@pytest.mark.django_db
def test_add_alert_rule_takes_vendors_entities_and_additions_only(cortexa):
    run(
        "add_alert_rule",
        "--email",
        "bob@example.com",
        "--vendor",
        "cortexa-ai",
        "--entity",
        "Google Cloud",
        "--additions-only",
    )

    rule = AlertRule.objects.get()
    assert rule.recipients == ["bob@example.com"]
    assert [v.slug for v in rule.vendors.all()] == ["cortexa-ai"]
    assert rule.additions_only
    assert len(rule.watched_entities) == 1


@pytest.mark.django_db
def test_add_alert_rule_refuses_a_bad_address_or_vendor(cortexa):
    assert "email" in str(refused("add_alert_rule", "--email", "not-an-address"))
    assert "nobody" in str(
        refused("add_alert_rule", "--email", "a@b.example", "--vendor", "nobody")
    )
    assert not AlertRule.objects.exists()


@pytest.mark.django_db
def test_check_sources_now_prints_a_line_per_source_and_sends_mail(
    cortexa, alice_rule, page_server, smtp_server
):
    first = run("check_sources", "--now")
    assert (
        f"cortexa-ai {page_server.url('/subprocessors')}: baseline, rows={len(BASE_ROWS)}" in first
    )
    assert "notifications: sent=0" in first

    page_server.pages["/subprocessors"] = Page(list_page([*BASE_ROWS, GOOGLE]))
    source = Source.objects.get()
    assert source.next_check_at - source.last_checked_at > timedelta(hours=23), (
        "checked now: the scheduler waits a full interval"
    )
    second = run("check_sources", "--vendor", "cortexa-ai", "--now")

    assert "changed, rows=7, changes=1" in second
    assert "notifications: sent=1" in second
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_check_sources_refuses_an_unknown_vendor(cortexa):
    refused("check_sources", "--vendor", "nobody", "--now")


def test_a_script_sees_real_exit_codes(tmp_path, page_server):
    """The commands as a shell script runs them, on a fresh embedded install."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env.update(SUBWATCH_VAR_DIR=str(tmp_path), SUBWATCH_ALLOW_PRIVATE_ADDRESSES="1")
    page_server.pages["/subprocessors"] = Page(list_page())

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert manage("migrate", "--noinput").returncode == 0
    url = page_server.url("/subprocessors")
    added = manage("add_vendor", "--name", "Cortexa AI", "--url", url)
    assert (added.returncode, added.stdout.strip()) == (0, "cortexa-ai")
    again = manage("add_vendor", "--name", "Cortexa AI", "--url", url)
    assert again.returncode == 2
    assert again.stderr.strip().count("\n") == 0 and "already exists" in again.stderr
    assert manage("add_alert_rule", "--email", "alice@example.com").returncode == 0
    checked = manage("check_sources", "--now")
    assert checked.returncode == 0 and "baseline" in checked.stdout
    exported = manage("export_changes", "--since", "2026-01-01")
    assert exported.returncode == 0 and exported.stdout.startswith("Vendor,")
    assert manage("export_changes", "--since", "yesterday").returncode == 2

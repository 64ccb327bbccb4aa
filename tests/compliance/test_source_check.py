"""Checking a source: baseline, typed changes, and noise that must not read as change."""

from __future__ import annotations

from datetime import timedelta

from compliance.models import Change, Check, Listing, Notification, Snapshot
from compliance.services.checks import source_check
from tests.conftest import reload_source
from tests.pages import BASE_ROWS, BOT_CHECK_PAGE, GOOGLE, list_page
from tests.servers import Page


def check(source):
    return source_check(reload_source(source), queue_delivery=False)


def test_first_check_sets_the_baseline_and_alerts_no_one(cortexa_source, alice_rule):
    result = check(cortexa_source)

    assert result.outcome == Check.Outcome.BASELINE
    assert result.rows_found == len(BASE_ROWS)
    assert Listing.objects.filter(source=cortexa_source, removed_at=None).count() == len(BASE_ROWS)
    assert not Change.objects.exists()
    assert not Notification.objects.exists()
    snapshot = Snapshot.objects.get()
    assert b"Cortexa AI Subprocessors" in snapshot.body
    assert snapshot.size == len(list_page().encode())


def test_a_new_row_is_recorded_as_one_added_change(cortexa_source, alice_rule, page_server):
    check(cortexa_source)
    page_server.pages["/subprocessors"] = Page(list_page([*BASE_ROWS, GOOGLE]))

    result = check(cortexa_source)

    assert result.outcome == Check.Outcome.CHANGED
    change = Change.objects.get()
    assert change.kind == Change.Kind.ADDED
    assert change.after["name"] == "Google LLC"
    assert change.after["purpose"] == "Cloud infrastructure"
    assert change.after["countries"] == ["US"]
    assert change.objection_deadline - change.detected_at == timedelta(days=30)
    assert change.old_snapshot_id != change.new_snapshot_id
    assert Notification.objects.filter(change=change, recipient="alice@example.com").count() == 1


def test_a_removed_row_and_a_moved_row_are_typed(cortexa_source, alice_rule, page_server):
    check(cortexa_source)
    rows = [r for r in BASE_ROWS if not r[0].startswith("Zendesk")]
    rows = [
        ("Hetzner Online GmbH", "Backup storage", "Finland") if "Hetzner" in r[0] else r
        for r in rows
    ]
    page_server.pages["/subprocessors"] = Page(list_page(rows))

    check(cortexa_source)

    kinds = {c.kind: c for c in Change.objects.all()}
    assert set(kinds) == {Change.Kind.REMOVED, Change.Kind.MODIFIED}
    assert kinds[Change.Kind.REMOVED].before["name"] == "Zendesk, Inc."
    moved = kinds[Change.Kind.MODIFIED]
    assert "countries" in moved.fields
    assert moved.before["countries"] == ["DE"] and moved.after["countries"] == ["FI"]
    zendesk = Listing.objects.get(name="Zendesk, Inc.")
    assert zendesk.removed_at is not None


def test_an_unchanged_page_stores_no_new_snapshot(cortexa_source, alice_rule):
    check(cortexa_source)
    result = check(cortexa_source)

    assert result.outcome == Check.Outcome.UNCHANGED
    assert Snapshot.objects.count() == 1
    assert not Change.objects.exists()


def test_reordered_rows_and_a_new_date_are_not_changes(cortexa_source, alice_rule, page_server):
    check(cortexa_source)
    page_server.pages["/subprocessors"] = Page(
        list_page(list(reversed(BASE_ROWS)), updated="2 April 2026")
    )

    result = check(cortexa_source)

    assert result.outcome == Check.Outcome.UNCHANGED
    assert not Change.objects.exists()
    assert Snapshot.objects.count() == 2, "the new version is kept as evidence"


def test_a_bot_check_page_is_suspicious_and_removes_nothing(
    cortexa_source, alice_rule, page_server
):
    check(cortexa_source)
    page_server.pages["/subprocessors"] = Page(BOT_CHECK_PAGE, status=200)

    result = check(cortexa_source)

    assert result.outcome == Check.Outcome.SUSPICIOUS
    assert not Change.objects.exists()
    assert not Notification.objects.exists()
    assert Listing.objects.filter(removed_at=None).count() == len(BASE_ROWS)
    source = reload_source(cortexa_source)
    assert source.warning.startswith("No list found")


def test_a_page_that_lost_most_rows_is_held_as_suspicious(cortexa_source, alice_rule, page_server):
    check(cortexa_source)
    page_server.pages["/subprocessors"] = Page(list_page(BASE_ROWS[:2]))

    result = check(cortexa_source)

    assert result.outcome == Check.Outcome.SUSPICIOUS
    assert "lost 4 of 6 rows" in result.error
    assert not Change.objects.exists()
    assert Listing.objects.filter(removed_at=None).count() == len(BASE_ROWS)
    assert reload_source(cortexa_source).warning


def test_the_list_comes_back_after_a_bot_check_without_false_changes(
    cortexa_source, alice_rule, page_server
):
    check(cortexa_source)
    page_server.pages["/subprocessors"] = Page(BOT_CHECK_PAGE)
    check(cortexa_source)
    page_server.pages["/subprocessors"] = Page(list_page())

    result = check(cortexa_source)

    assert result.outcome == Check.Outcome.UNCHANGED
    assert not Change.objects.exists()
    assert reload_source(cortexa_source).warning == ""


def test_a_readded_subprocessor_revives_its_listing(cortexa_source, alice_rule, page_server):
    check(cortexa_source)
    without_stripe = [r for r in BASE_ROWS if not r[0].startswith("Stripe")]
    page_server.pages["/subprocessors"] = Page(list_page(without_stripe))
    check(cortexa_source)
    page_server.pages["/subprocessors"] = Page(list_page())
    check(cortexa_source)

    assert [c.kind for c in Change.objects.order_by("id")] == ["removed", "added"]
    stripe = Listing.objects.get(name="Stripe, Inc.")
    assert stripe.removed_at is None


def test_conditional_get_sends_the_stored_etag(cortexa_source, page_server):
    page_server.pages["/subprocessors"] = Page(list_page(), headers={"ETag": '"v1"'})
    check(cortexa_source)
    page_server.pages["/subprocessors"] = lambda handler: (
        Page("", status=304)
        if handler.headers.get("If-None-Match") == '"v1"'
        else Page(list_page(), headers={"ETag": '"v1"'})
    )

    result = check(cortexa_source)

    assert result.outcome == Check.Outcome.UNCHANGED
    assert page_server.requests[-1][1].get("If-None-Match") == '"v1"'


def test_reworded_names_of_the_same_entities_are_not_changes(
    cortexa_source, alice_rule, page_server
):
    check(cortexa_source)
    reworded = [
        ("Amazon Web Services Inc (AWS)", "Cloud hosting", "United States"),
        ("Cloudflare", "Content delivery network.", "USA"),
        *BASE_ROWS[2:],
    ]
    page_server.pages["/subprocessors"] = Page(list_page(reworded))

    result = check(cortexa_source)

    assert result.outcome == Check.Outcome.UNCHANGED
    assert not Change.objects.exists()
    aws = Listing.objects.get(subprocessor__name="Amazon Web Services")
    assert aws.name == "Amazon Web Services Inc (AWS)", (
        "the listing shows the name as published now"
    )
    assert Listing.objects.filter(removed_at=None).count() == len(BASE_ROWS)


def test_a_new_purpose_is_a_modified_change(cortexa_source, alice_rule, page_server):
    check(cortexa_source)
    rows = [
        ("Stripe, Inc.", "Payment processing and fraud detection", "United States")
        if r[0].startswith("Stripe")
        else r
        for r in BASE_ROWS
    ]
    page_server.pages["/subprocessors"] = Page(list_page(rows))

    check(cortexa_source)

    change = Change.objects.get()
    assert (change.kind, change.fields) == (Change.Kind.MODIFIED, ["purpose"])
    assert change.before["purpose"] == "Payment processing"
    assert change.after["purpose"] == "Payment processing and fraud detection"

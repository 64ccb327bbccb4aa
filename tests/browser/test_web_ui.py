"""The web UI in headless Chromium, as alice the admin, bob the reviewer and charlie the
viewer see it: sign-in, the change log and its filters, a change's evidence, the review
form, escaping of scraped text, the CSV download and the Arabic (right-to-left) pages."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from compliance.models import Change
from tests.compliance.builders import (
    make_bob,
    make_change,
    make_charlie,
    make_snapshot,
    make_source,
    make_subprocessor,
    make_vendor,
    row,
)

# The live server answers from another thread: the rows the tests write must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PASSWORDS = {"bob": "pw-bob-123", "charlie": "pw-charlie-123"}


@pytest.fixture
def bob():
    return make_bob()


@pytest.fixture
def charlie():
    return make_charlie()


@pytest.fixture
def stripe_added():
    """Acme Cloud added Stripe two days ago, with ten days left to object; it also
    dropped an old CDN. Both changes keep their snapshots as evidence."""
    source = make_source(make_vendor("Acme Cloud"), url="https://acme.example.com/subprocessors")
    old = make_snapshot(source, b"<ul><li>Old CDN</li></ul>")
    new = make_snapshot(source, b"<ul><li>Stripe Inc</li></ul>")
    make_change(source, make_subprocessor("Old CDN Ltd"), Change.Kind.REMOVED)
    return make_change(
        source,
        make_subprocessor("Stripe, Inc."),
        after=row("Stripe Inc", purpose="Payments", location="United States", countries=["US"]),
        detected_at=timezone.now() - timedelta(days=2),
        deadline_days=12,
        old_snapshot=old,
        new_snapshot=new,
    )


def sign_in(page: Page, username: str, path: str = "/") -> None:
    """Signs in through the login form, starting from `path`."""
    page.goto(path)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORDS[username])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_an_anonymous_visitor_is_sent_to_login_and_bob_signs_in_to_the_change_log(
    page, live_server, bob
):
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("navigation")).to_have_count(0)

    page.get_by_label("Username").fill("bob")
    page.get_by_label("Password").fill("pw-bob-123")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Changes to subprocessor lists")).to_be_visible()
    expect(page.locator("header")).to_contain_text("bob")


def test_charlie_sees_an_added_subprocessor_filters_it_out_and_opens_its_evidence(
    page, live_server, charlie, stripe_added
):
    sign_in(page, "charlie")
    stripe = page.get_by_role("row").filter(has_text="Stripe, Inc.")
    deadline = timezone.localtime(stripe_added.objection_deadline).strftime("%Y-%m-%d")
    for text in ["Acme Cloud", "Added", "Stripe Inc", "Payments", "United States", deadline]:
        expect(stripe).to_contain_text(text)
    expect(stripe).to_contain_text("10 days left")
    expect(stripe).to_contain_text("New")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "change-log.png", full_page=True)

    page.get_by_label("Kind").select_option(label="Removed")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"[?&]kind=removed"))
    expect(page.get_by_role("link", name="Old CDN Ltd")).to_be_visible()
    expect(page.get_by_role("link", name="Stripe, Inc.")).to_have_count(0)

    page.get_by_role("link", name="Changes", exact=True).click()
    page.get_by_role("link", name="Stripe, Inc.").click()
    expect(page).to_have_url(f"{live_server.url}/changes/{stripe_added.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Added: Stripe, Inc.")
    evidence = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="After"))
    expect(evidence).to_contain_text(stripe_added.new_snapshot.content_hash)
    expect(page.get_by_text(stripe_added.old_snapshot.content_hash)).to_be_visible()


def test_bob_objects_to_a_change_and_charlie_is_refused(
    open_page, live_server, bob, charlie, stripe_added
):
    detail = f"/changes/{stripe_added.pk}/"
    page = open_page()
    sign_in(page, "bob", detail)
    expect(page).to_have_url(f"{live_server.url}{detail}")
    page.get_by_role("button", name="Object").click()
    expect(page.get_by_role("listitem").filter(has_text="Recorded: Objected.")).to_be_visible()
    page.reload()
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Objected")
    expect(facts).to_contain_text("by bob")

    viewer = open_page()
    sign_in(viewer, "charlie", detail)
    expect(viewer.locator("dl.facts")).to_contain_text("Objected")
    expect(viewer.get_by_role("button", name="Accept")).to_have_count(0)
    # Charlie posts the decision anyway, with a valid CSRF token: refused.
    token = viewer.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = viewer.request.post(
        f"{detail}review/", form={"status": "accepted", "csrfmiddlewaretoken": token}
    )
    assert response.status == 403
    viewer.reload()
    expect(viewer.locator("dl.facts")).to_contain_text("Objected")
    stripe_added.refresh_from_db()
    assert (stripe_added.review_status, stripe_added.reviewed_by) == ("objected", bob)


def test_a_scraped_name_with_markup_shows_as_text_and_runs_nothing(page, live_server, charlie):
    evil = "<img src=x onerror=alert(1)>"
    source = make_source(make_vendor("Acme Cloud"))
    change = make_change(source, make_subprocessor(evil), after=row(evil, purpose=evil))
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    def assert_nothing_ran() -> None:
        page.wait_for_load_state("networkidle")  # an injected image would have failed by now
        assert dialogs == []
        assert page.locator("img").count() == 0

    sign_in(page, "charlie")
    assert_nothing_ran()
    expect(page.get_by_role("row").filter(has_text="Acme Cloud")).to_contain_text(evil)
    page.get_by_role("link", name=evil, exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/changes/{change.pk}/")
    assert_nothing_ran()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Added: {evil}")
    expect(page).to_have_title(re.compile(re.escape(evil)))


def test_charlie_downloads_the_change_log_as_csv(page, charlie, stripe_added):
    sign_in(page, "charlie")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    download = info.value
    assert re.fullmatch(r"subwatch-changes-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    lines = Path(download.path()).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == (
        "Vendor,Kind,Entity,Name as published,Purpose,Location,Countries,Detected,"
        "Objection deadline,Review status,Fields changed,Previous values,Source URL"
    )
    assert len(lines) == 3
    assert any(
        line.startswith('Acme Cloud,Added,"Stripe, Inc.",Stripe Inc,Payments') for line in lines
    )


def test_charlie_switches_to_arabic_and_the_page_turns_right_to_left(page, live_server, charlie):
    sign_in(page, "charlie")
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "ltr")
    with page.expect_navigation():
        page.get_by_label("Language").select_option("ar")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(html).to_have_attribute("lang", "ar")
    expect(html).to_have_attribute("dir", "rtl")

"""The web pages, as alice the admin, bob the reviewer and charlie the viewer see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.models import Change, Source
from tests.compliance.builders import (
    make_bob,
    make_change,
    make_changes,
    make_charlie,
    make_check,
    make_listing,
    make_snapshot,
    make_source,
    make_subprocessor,
    make_vendor,
    row,
)

pytestmark = pytest.mark.django_db

# Session + user, then the page's own reads. Pinned: a page that grows a query per
# row fails here before it is slow in production.
CHANGE_LIST_QUERIES = 5  # session, user, vendor filter choices, count, page
CHANGE_DETAIL_QUERIES = 5  # session, user, the change with its evidence joined, 2 permission reads
VENDOR_LIST_QUERIES = 4  # session, user, count, page (counts are subqueries)
VENDOR_DETAIL_QUERIES = 7  # session, user, vendor, recent changes, sources, listings, checks
SUBPROCESSOR_LIST_QUERIES = 5  # session, user, count, page, current listings (prefetch)


@pytest.fixture
def bob(db):
    return make_bob()


@pytest.fixture
def charlie(db):
    return make_charlie()


@pytest.fixture
def acme(db):
    """Acme Cloud with one list source."""
    vendor = make_vendor("Acme Cloud")
    make_source(vendor, url="https://acme.example.com/subprocessors")
    return vendor


def _pages(change: Change) -> list[str]:
    vendor = change.source.vendor
    return [
        reverse("change_list"),
        reverse("change_detail", args=[change.pk]),
        reverse("change_export"),
        reverse("vendor_list"),
        reverse("vendor_detail", args=[vendor.slug]),
        reverse("subprocessor_list"),
    ]


def test_anonymous_visitors_are_sent_to_login_from_every_page(client, acme):
    change = make_change(acme.sources.get())
    login = reverse("login")
    for url in [*_pages(change), reverse("admin:index")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(
            login if not url.startswith("/admin/") else "/admin/login/"
        ), url
    response = client.post(reverse("change_review", args=[change.pk]), {"status": "accepted"})
    assert response.status_code == 302 and response["Location"].startswith(login)
    change.refresh_from_db()
    assert change.review_status == Change.Review.NEW


def test_the_login_page_is_reachable_and_signs_charlie_in(client, charlie):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "charlie", "password": "pw-charlie-123"})
    assert response.status_code == 302 and response["Location"] == reverse("change_list")
    assert client.get(reverse("change_list")).status_code == 200


def test_charlie_signs_out_with_a_post(client, charlie):
    client.force_login(charlie)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("change_list")).status_code == 302


def test_charlie_sees_each_change_with_vendor_purpose_location_deadline_and_status(
    client, charlie, acme
):
    stripe = make_subprocessor("Stripe, Inc.")
    make_change(
        acme.sources.get(),
        stripe,
        after=row("Stripe Inc", purpose="Payments", location="United States", countries=["US"]),
        detected_at=timezone.now() - timedelta(days=2),
        deadline_days=12,
    )
    client.force_login(charlie)
    page = client.get(reverse("change_list")).content.decode()
    for text in ["Acme Cloud", "Added", "Stripe, Inc.", "Stripe Inc", "Payments", "United States"]:
        assert text in page
    assert "10 days left" in page
    assert "New" in page


def test_a_passed_deadline_is_flagged(client, charlie, acme):
    make_change(acme.sources.get(), detected_at=timezone.now() - timedelta(days=40))
    client.force_login(charlie)
    assert "deadline passed" in client.get(reverse("change_list")).content.decode()


def test_the_change_list_filters_by_vendor_kind_and_review_status(client, charlie, acme):
    source = acme.sources.get()
    other = make_source(make_vendor("Globex"))
    make_change(source, make_subprocessor("Added At Acme"))
    make_change(source, make_subprocessor("Removed At Acme"), Change.Kind.REMOVED)
    make_change(source, make_subprocessor("Accepted At Acme"), review_status=Change.Review.ACCEPTED)
    make_change(other, make_subprocessor("Added At Globex"))
    client.force_login(charlie)

    def names(**params) -> set[str]:
        page = client.get(reverse("change_list"), params)
        return {c.subprocessor.name for c in page.context["page"]}

    assert names(vendor=acme.slug) == {"Added At Acme", "Removed At Acme", "Accepted At Acme"}
    assert names(kind="removed") == {"Removed At Acme"}
    assert names(status="accepted") == {"Accepted At Acme"}
    assert names(vendor=acme.slug, kind="added", status="new") == {"Added At Acme"}
    assert len(names(kind="nonsense")) == 4  # an unknown value is ignored, not an error


def test_the_change_list_shows_fifty_changes_a_page(client, charlie, acme):
    source = acme.sources.get()
    for _ in range(51):
        make_change(source)
    client.force_login(charlie)
    first = client.get(reverse("change_list"))
    assert len(first.context["page"]) == 50
    assert "?page=2" in first.content.decode()
    second = client.get(reverse("change_list"), {"page": 2})
    assert len(second.context["page"]) == 1


@pytest.mark.parametrize("n", [3, 30])
def test_the_change_list_runs_the_same_queries_for_3_or_30_changes(
    client, charlie, django_assert_num_queries, n
):
    make_changes(n)
    client.force_login(charlie)
    with django_assert_num_queries(CHANGE_LIST_QUERIES):
        response = client.get(reverse("change_list"))
    assert len(response.context["page"]) == n


def test_change_detail_shows_before_after_fields_changed_and_evidence(client, charlie, acme):
    source = acme.sources.get()
    old, new = make_snapshot(source, b"<p>old list</p>"), make_snapshot(source, b"<p>new</p>")
    change = make_change(
        source,
        make_subprocessor("Twilio"),
        Change.Kind.MODIFIED,
        before=row("Twilio", purpose="SMS", countries=["US"]),
        after=row("Twilio", purpose="SMS and voice", countries=["US", "DE"]),
        fields=["purpose", "countries"],
        old_snapshot=old,
        new_snapshot=new,
        check_run=make_check(source, new),
    )
    client.force_login(charlie)
    page = client.get(reverse("change_detail", args=[change.pk])).content.decode()
    for text in [
        "SMS and voice",
        "US, DE",
        "purpose, countries",
        old.content_hash,
        new.content_hash,
        source.url,
        change.objection_deadline.strftime("%Y-%m-%d"),
    ]:
        assert text in page, text
    assert page.count('class="changed"') == 2
    # Charlie may read but not decide.
    assert reverse("change_review", args=[change.pk]) not in page


def test_change_detail_runs_a_fixed_number_of_queries(client, charlie, django_assert_num_queries):
    change = make_changes(1)[0]
    client.force_login(charlie)
    with django_assert_num_queries(CHANGE_DETAIL_QUERIES):
        assert client.get(reverse("change_detail", args=[change.pk])).status_code == 200


def test_bob_accepts_a_change_and_is_recorded_as_its_reviewer(client, bob, acme):
    change = make_change(acme.sources.get())
    client.force_login(bob)
    assert (
        reverse("change_review", args=[change.pk])
        in client.get(reverse("change_detail", args=[change.pk])).content.decode()
    )
    response = client.post(reverse("change_review", args=[change.pk]), {"status": "objected"})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.review_status == Change.Review.OBJECTED
    assert change.reviewed_by == bob and change.reviewed_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "by bob" in page


def test_bob_cannot_set_an_unknown_review_status(client, bob, acme):
    change = make_change(acme.sources.get())
    client.force_login(bob)
    response = client.post(reverse("change_review", args=[change.pk]), {"status": "new"})
    assert response.status_code == 400
    assert client.get(reverse("change_review", args=[change.pk])).status_code == 405


def test_charlie_cannot_review_a_change(client, charlie, acme):
    change = make_change(acme.sources.get())
    client.force_login(charlie)
    response = client.post(reverse("change_review", args=[change.pk]), {"status": "accepted"})
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.review_status == Change.Review.NEW


def test_the_review_form_needs_a_csrf_token(bob, acme):
    from django.test import Client

    change = make_change(acme.sources.get())
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(bob)
    response = strict.post(reverse("change_review", args=[change.pk]), {"status": "accepted"})
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.review_status == Change.Review.NEW


def test_scraped_script_tags_are_escaped_on_every_page(client, charlie, acme):
    source = acme.sources.get()
    evil = "<script>alert('x')</script>"
    source.warning = evil
    source.last_error = evil
    source.save()
    subprocessor = make_subprocessor(f"Evil {evil}")
    make_listing(source, subprocessor, name=evil, purpose=evil, location=evil)
    change = make_change(source, subprocessor, after=row(evil, purpose=evil, location=evil))
    make_check(source, error=evil, outcome="failed")
    client.force_login(charlie)
    showing_scraped_text = [
        reverse("change_list"),
        reverse("change_detail", args=[change.pk]),
        reverse("vendor_detail", args=[acme.slug]),
        reverse("subprocessor_list"),
    ]
    for url in showing_scraped_text:
        page = client.get(url).content.decode()
        assert "<script>" not in page, url
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page, url


def test_vendor_detail_shows_sources_with_outcome_warning_and_error(client, charlie, acme):
    source = acme.sources.get()
    source.last_outcome = Source.Outcome.SUSPICIOUS
    source.warning = "Half the rows vanished at once; held for review."
    source.last_error = "HTTP 503 from the vendor"
    source.last_checked_at = timezone.now()
    source.save()
    make_listing(source, make_subprocessor("Snowflake"), purpose="Data warehouse")
    make_check(source, outcome="suspicious", rows_found=4)
    client.force_login(charlie)
    page = client.get(reverse("vendor_detail", args=[acme.slug])).content.decode()
    for text in [
        "Suspicious",
        "Half the rows vanished",
        "HTTP 503 from the vendor",
        "Snowflake",
        "Data warehouse",
        source.url,
    ]:
        assert text in page, text


def test_removed_listings_are_not_shown_as_current(client, charlie, acme):
    source = acme.sources.get()
    make_listing(source, make_subprocessor("Gone Ltd"), removed_at=timezone.now())
    client.force_login(charlie)
    response = client.get(reverse("vendor_detail", args=[acme.slug]))
    assert list(response.context["listings"]) == []


def test_vendor_list_counts_sources_listings_and_changes_awaiting_review(client, charlie, acme):
    source = acme.sources.get()
    make_source(acme, last_outcome=Source.Outcome.FAILED)
    for name in ["A", "B"]:
        make_listing(source, make_subprocessor(name))
    make_change(source)
    make_change(source, review_status=Change.Review.ACCEPTED)
    client.force_login(charlie)
    (vendor,) = client.get(reverse("vendor_list")).context["page"]
    assert (vendor.source_count, vendor.failing_count) == (2, 1)
    assert (vendor.listing_count, vendor.unreviewed_count) == (2, 1)


@pytest.mark.parametrize("n", [3, 30])
def test_the_vendor_list_runs_the_same_queries_for_3_or_30_vendors(
    client, charlie, django_assert_num_queries, n
):
    for change in make_changes(n):
        make_listing(change.source, change.subprocessor)
    client.force_login(charlie)
    with django_assert_num_queries(VENDOR_LIST_QUERIES):
        client.get(reverse("vendor_list"))


@pytest.mark.parametrize("n", [1, 10])
def test_vendor_detail_runs_the_same_queries_for_1_or_10_sources(
    client, charlie, acme, django_assert_num_queries, n
):
    for _ in range(n):
        source = make_source(acme)
        snapshot = make_snapshot(source)
        source.current_snapshot = snapshot
        source.save()
        subprocessor = make_subprocessor()
        make_listing(source, subprocessor)
        make_check(source, snapshot)
        make_change(source, subprocessor, new_snapshot=snapshot)
    client.force_login(charlie)
    with django_assert_num_queries(VENDOR_DETAIL_QUERIES):
        client.get(reverse("vendor_detail", args=[acme.slug]))


def test_subprocessor_list_shows_which_vendors_use_it_and_where(client, charlie, acme):
    globex = make_vendor("Globex")
    aws = make_subprocessor("Amazon Web Services")
    make_listing(acme.sources.get(), aws, name="AWS", countries=["IE", "DE"])
    make_listing(make_source(globex), aws, countries=["US"])
    make_listing(make_source(make_vendor("Initech")), aws, removed_at=timezone.now())
    client.force_login(charlie)
    response = client.get(reverse("subprocessor_list"))
    (listed,) = response.context["page"]
    assert listed.vendor_count == 2
    assert listed.countries == ["DE", "IE", "US"]
    page = response.content.decode()
    assert "Acme Cloud" in page and "Globex" in page and "Initech" not in page
    assert "AWS" in page
    found = client.get(reverse("subprocessor_list"), {"q": "aws"}).context["page"]
    assert [s.name for s in found] == ["Amazon Web Services"]


@pytest.mark.parametrize("n", [3, 30])
def test_the_subprocessor_list_runs_the_same_queries_for_3_or_30_subprocessors(
    client, charlie, django_assert_num_queries, n
):
    for change in make_changes(n):
        make_listing(change.source, change.subprocessor)
    client.force_login(charlie)
    with django_assert_num_queries(SUBPROCESSOR_LIST_QUERIES):
        client.get(reverse("subprocessor_list"))


def test_pages_turn_right_to_left_in_arabic(client, charlie):
    client.force_login(charlie)
    page = client.get(reverse("change_list"), headers={"accept-language": "ar"}).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    page = client.get(reverse("change_list"), headers={"accept-language": "en"}).content.decode()
    assert '<html lang="en" dir="ltr">' in page

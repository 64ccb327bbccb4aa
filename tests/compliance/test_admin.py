"""The admin, as alice the admin uses it on tables with many rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from compliance.models import (
    AlertRule,
    Change,
    Check,
    Listing,
    Notification,
    Snapshot,
    Source,
    Subprocessor,
    Vendor,
)
from tests.compliance.builders import (
    make_alice,
    make_bob,
    make_change,
    make_changes,
    make_check,
    make_listing,
    make_snapshot,
    make_source,
    make_vendor,
)

pytestmark = pytest.mark.django_db

MODELS = [Vendor, Source, Snapshot, Check, Subprocessor, Listing, Change, AlertRule, Notification]

# Queries per changelist, the same for 3 rows as for 30: session and user, then the
# admin's own reads (counts, the page, filter choices, date hierarchy).
CHANGELIST_QUERIES = {
    "vendor": 7,  # + date hierarchy (2)
    "source": 5,
    "snapshot": 9,  # + date hierarchy (2), status and content type filter choices
    "check": 8,  # + date hierarchy (2), status filter choices
    "subprocessor": 7,  # + date hierarchy (2)
    "listing": 7,  # + date hierarchy (2)
    "change": 8,  # + date hierarchy (2), vendors that have changes
    "alertrule": 5,
    "notification": 7,  # + date hierarchy (2)
}


@pytest.fixture
def alice(db):
    return make_alice()


def _world(n: int) -> None:
    """n vendors, each with a source, two snapshots, a check, a listing, a change,
    an alert rule watching it and a notification about the change."""
    for change in make_changes(n):
        source, vendor = change.source, change.source.vendor
        make_check(source, change.new_snapshot, rows_found=1, changes_count=1)
        make_listing(source, change.subprocessor)
        rule = AlertRule.objects.create(name=f"Watch {vendor.name}", recipients=["a@example.com"])
        rule.vendors.add(vendor)
        Notification.objects.create(rule=rule, change=change, recipient="a@example.com")


def _changelist(model) -> str:
    return reverse(f"admin:compliance_{model._meta.model_name}_changelist")


def _change_page(obj) -> str:
    return reverse(f"admin:compliance_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.mark.parametrize("n", [3, 30])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_alice_opens_each_changelist_in_the_same_queries_for_3_or_30_rows(
    client, alice, django_assert_num_queries, model, n
):
    _world(n)
    client.force_login(alice)
    with django_assert_num_queries(CHANGELIST_QUERIES[model._meta.model_name]):
        response = client.get(_changelist(model))
    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_alice_opens_the_detail_page_of_every_model(client, alice, model):
    _world(1)
    client.force_login(alice)
    response = client.get(_change_page(model.objects.first()))
    assert response.status_code == 200


def test_the_snapshot_list_never_reads_a_body(client, alice):
    source = make_source(make_vendor())
    make_snapshot(source, b"x" * 100_000)
    client.force_login(alice)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(_changelist(Snapshot))
    assert response.status_code == 200
    assert not [q for q in ctx.captured_queries if "body_compressed" in q["sql"]]


def test_the_snapshot_page_shows_the_body_escaped(client, alice):
    source = make_source(make_vendor())
    snapshot = make_snapshot(source, b"<h1>Subprocessors</h1><script>alert('x')</script>")
    client.force_login(alice)
    page = client.get(_change_page(snapshot)).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script>alert(" not in page
    assert snapshot.content_hash in page


def test_evidence_cannot_be_edited_or_added_in_the_admin(client, alice):
    _world(1)
    client.force_login(alice)
    for model in (Snapshot, Check, Notification):
        obj = model.objects.first()
        page = client.get(_change_page(obj)).content.decode()
        assert 'name="_save"' not in page, model
        assert (
            client.get(reverse(f"admin:compliance_{model._meta.model_name}_add")).status_code == 403
        )


def test_alice_filters_changes_by_kind_status_vendor_and_date(client, alice):
    acme, globex = make_source(make_vendor("Acme")), make_source(make_vendor("Globex"))
    make_change(acme, kind=Change.Kind.ADDED)
    removed = make_change(acme, kind=Change.Kind.REMOVED, review_status="accepted")
    make_change(globex, kind=Change.Kind.ADDED)
    client.force_login(alice)

    def found(**params) -> int:
        response = client.get(_changelist(Change), params)
        assert response.status_code == 200
        return response.context["cl"].result_count

    assert found(kind__exact="removed") == 1
    assert found(review_status__exact="accepted") == 1
    assert found(source__vendor__id__exact=acme.vendor_id) == 2
    day = removed.detected_at
    assert found(detected_at__year=day.year, detected_at__month=day.month) == 3
    assert found(q="Globex") == 1


def test_a_review_status_set_in_the_admin_records_alice_as_reviewer(client, alice):
    change = make_change(make_source(make_vendor()))
    client.force_login(alice)
    page = client.get(_change_page(change))
    form = page.context["adminform"].form
    data = {
        "objection_deadline_0": change.objection_deadline.strftime("%Y-%m-%d"),
        "objection_deadline_1": change.objection_deadline.strftime("%H:%M:%S"),
        "review_status": "objected",
        "notifications-TOTAL_FORMS": "0",
        "notifications-INITIAL_FORMS": "0",
        "notifications-MIN_NUM_FORMS": "0",
        "notifications-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    assert set(form.fields) == {"objection_deadline", "review_status"}
    response = client.post(_change_page(change), data)
    assert response.status_code == 302, response.content[:2000]
    change.refresh_from_db()
    assert change.review_status == Change.Review.OBJECTED
    assert change.reviewed_by == alice and change.reviewed_at is not None


def test_bob_the_reviewer_is_not_let_into_the_admin(client, db):
    client.force_login(make_bob())
    response = client.get(_changelist(Change))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_alice_searches_every_changelist(client, alice, model):
    _world(2)
    client.force_login(alice)
    response = client.get(_changelist(model), {"q": "example"})
    assert response.status_code == 200

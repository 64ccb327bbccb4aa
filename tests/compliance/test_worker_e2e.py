"""The whole pipeline through a real Celery worker on the configured broker:
dispatcher -> check task -> changes -> delivery task -> a real SMTP server."""

from __future__ import annotations

import time

import pytest
from amqp.exceptions import ChannelError
from celery.contrib.testing.worker import start_worker
from celery.worker import state as worker_state
from django.utils import timezone

from compliance import tasks
from compliance.celery import app
from compliance.models import Change, Check, Notification, Source
from compliance.services.alerts import alert_rule_create
from compliance.services.vendors import vendor_create
from tests.pages import BASE_ROWS, GOOGLE, list_page
from tests.servers import Page

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_for(predicate, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def worker():
    # Drop anything a previous run left on the broker before the worker starts.
    with app.connection_for_write() as conn:
        conn.default_channel.queue_declare(queue="celery", durable=True, auto_delete=False)
        conn.default_channel.queue_purge("celery")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as w:
        yield w


def test_a_new_subprocessor_reaches_alice_by_email_exactly_once(page_server, smtp_server, worker):
    page_server.pages["/subprocessors"] = Page(list_page())
    vendor = vendor_create(name="Cortexa AI", url=page_server.url("/subprocessors"))
    source = vendor.sources.get()
    alert_rule_create(emails=["alice@example.com"])

    tasks.sources_dispatch_due.delay()
    baseline = wait_for(
        lambda: Check.objects.filter(source=source).exclude(outcome="running").first(),
        what="the baseline check",
    )
    assert baseline.outcome == Check.Outcome.BASELINE
    assert smtp_server.messages == []

    page_server.pages["/subprocessors"] = Page(list_page([*BASE_ROWS, GOOGLE]))
    Source.objects.filter(id=source.id).update(next_check_at=timezone.now())
    tasks.sources_dispatch_due.delay()

    wait_for(lambda: smtp_server.messages, what="the alert email")
    change = Change.objects.get()
    assert change.kind == Change.Kind.ADDED
    assert change.after["name"] == "Google LLC"
    message = smtp_server.messages[0]["message"]
    assert message["Subject"] == "Cortexa AI added Google LLC as a subprocessor"
    assert smtp_server.messages[0]["to"] == ["alice@example.com"]

    # Delivery again, and another dispatch with nothing due: nothing more is sent.
    tasks.notifications_deliver_due.delay()
    tasks.notifications_deliver.delay(change.check_run_id)
    tasks.sources_dispatch_due.delay()
    tasks.notifications_deliver_due.delay()
    # Twice, a moment apart: a message can be in flight between broker and worker.
    wait_for(lambda: _drained() and (time.sleep(0.5) or _drained()), what="the queue to drain")
    assert len(smtp_server.messages) == 1
    assert Notification.objects.get().status == Notification.Status.SENT
    assert Check.objects.filter(source=source).count() == 2


def _drained() -> bool:
    """Nothing waits on the broker and the in-process worker runs nothing."""
    try:
        with app.connection_for_write() as conn:
            _name, count, _consumers = conn.default_channel.queue_declare(
                queue="celery", passive=True
            )
    except ChannelError:  # Redis drops an empty queue's key
        count = 0
    return count == 0 and not worker_state.active_requests and not worker_state.reserved_requests

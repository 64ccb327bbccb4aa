"""The dispatcher claims each due source once and pushes its next check forward."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from compliance.models import Source
from compliance.services.checks import sources_claim_due
from compliance.services.vendors import vendor_create


def test_it_claims_due_enabled_sources_once(db, page_server):
    for name in ("Due One", "Due Two", "Later", "Paused"):
        vendor_create(name=name, url=page_server.url(f"/{name.replace(' ', '-')}"))
    now = timezone.now()
    Source.objects.filter(vendor__name="Later").update(next_check_at=now + timedelta(hours=1))
    Source.objects.filter(vendor__name="Paused").update(enabled=False)

    claimed = sources_claim_due(now=now)

    names = set(Source.objects.filter(id__in=claimed).values_list("vendor__name", flat=True))
    assert names == {"Due One", "Due Two"}
    assert sources_claim_due(now=now) == [], "a second dispatcher finds nothing left to claim"
    for source in Source.objects.filter(id__in=claimed):
        assert source.next_check_at == now + source.check_interval


def test_it_claims_at_most_one_batch(db, page_server):
    for i in range(5):
        vendor_create(name=f"Vendor {i}", url=page_server.url(f"/{i}"))

    first = sources_claim_due(limit=3)
    second = sources_claim_due(limit=3)

    assert len(first) == 3 and len(second) == 2
    assert not set(first) & set(second)


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_at_once_never_claim_the_same_source(page_server):
    for i in range(40):
        vendor_create(name=f"Vendor {i}", url=page_server.url(f"/{i}"))
    now = timezone.now()
    results: list[list[int]] = []
    start = threading.Barrier(2)

    def dispatch() -> None:
        start.wait()
        try:
            results.append(sources_claim_due(now=now, limit=25))
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    first, second = results
    assert not set(first) & set(second)
    assert len(first) + len(second) == 40

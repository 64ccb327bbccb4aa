from __future__ import annotations

import pytest

from compliance.models import Source
from compliance.services.alerts import alert_rule_create
from compliance.services.vendors import vendor_create
from tests.pages import list_page
from tests.servers import Page


def reload_source(source: Source) -> Source:
    return (
        Source.objects.select_related("vendor", "current_snapshot")
        .defer("current_snapshot__body_compressed")
        .get(id=source.id)
    )


@pytest.fixture
def cortexa(db, page_server):
    """Cortexa AI, whose list is served at /subprocessors, checked every 24 hours."""
    page_server.pages["/subprocessors"] = Page(list_page())
    vendor = vendor_create(name="Cortexa AI", url=page_server.url("/subprocessors"))
    return vendor


@pytest.fixture
def cortexa_source(cortexa) -> Source:
    return reload_source(cortexa.sources.get())


@pytest.fixture
def alice_rule(cortexa):
    """Alice, the privacy lead, wants to hear of every change to any vendor."""
    return alert_rule_create(emails=["alice@example.com"])

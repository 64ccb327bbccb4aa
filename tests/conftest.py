from __future__ import annotations

import pytest

from compliance.models import Source
from tests.pages import list_page
from tests.servers import Page, PageServer, SMTPServer


@pytest.fixture
def page_server():
    server = PageServer().start()
    yield server
    server.stop()


@pytest.fixture
def smtp_server(settings):
    server = SMTPServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _allow_loopback(settings):
    # Every test serves pages from 127.0.0.1; the address guard is tested on its own.
    settings.SUBWATCH_ALLOW_PRIVATE_ADDRESSES = True


def reload_source(source: Source) -> Source:
    from compliance.selectors import source_for_check

    return source_for_check().get(id=source.id)


@pytest.fixture
def cortexa(db, page_server):
    """Cortexa AI, whose list is served at /subprocessors, checked every 24 hours."""
    from compliance.services.vendors import vendor_create

    page_server.pages["/subprocessors"] = Page(list_page())
    return vendor_create(name="Cortexa AI", url=page_server.url("/subprocessors"))


@pytest.fixture
def cortexa_source(cortexa) -> Source:
    return reload_source(cortexa.sources.get())


@pytest.fixture
def alice_rule(cortexa):
    """Alice, the privacy lead, wants to hear of every change to any vendor."""
    from compliance.services.alerts import alert_rule_create

    return alert_rule_create(emails=["alice@example.com"])

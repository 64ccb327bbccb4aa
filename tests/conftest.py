from __future__ import annotations

import pytest

from tests.servers import PageServer, SMTPServer


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
    # Every test serves pages from 127.0.0.1; the guard is tested on its own.
    settings.SUBWATCH_ALLOW_PRIVATE_ADDRESSES = True

"""A page that is down, slow, huge or of the wrong type is a failed check: recorded
with its error, never turned into changes, and the next check works."""

from __future__ import annotations

import pytest

from compliance.models import Change, Check, Listing
from compliance.services.checks import source_check
from compliance.services.vendors import vendor_create
from tests.conftest import reload_source
from tests.pages import BASE_ROWS, list_page
from tests.servers import Page, free_port


def check(source):
    return source_check(reload_source(source), queue_delivery=False)


@pytest.fixture
def baselined(cortexa_source, alice_rule):
    assert check(cortexa_source).outcome == Check.Outcome.BASELINE
    return cortexa_source


FAULTS = {
    "server error": (Page("oops", status=500, content_type="text/plain"), "500"),
    "not found": (Page("gone", status=404, content_type="text/plain"), "404"),
    "a 20 MB body": (Page(b"<p>" + b"x" * (20 * 1024 * 1024)), "limit"),
    "an image": (Page(b"\x89PNG\r\n\x1a\n" + b"\0" * 100, content_type="image/png"), "image/png"),
}


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_a_broken_response_is_a_failed_check_and_loses_nothing(
    baselined, page_server, settings, fault
):
    settings.SUBWATCH_FETCH_MAX_BYTES = 10 * 1024 * 1024
    page, expected_in_error = FAULTS[fault]
    page_server.pages["/subprocessors"] = page

    result = check(baselined)

    assert result.outcome == Check.Outcome.FAILED
    assert expected_in_error in result.error
    source = reload_source(baselined)
    assert source.last_outcome == "failed"
    assert source.consecutive_failures == 1
    assert expected_in_error in source.last_error
    assert Listing.objects.filter(removed_at=None).count() == len(BASE_ROWS)
    assert not Change.objects.exists()

    page_server.pages["/subprocessors"] = Page(list_page())
    recovered = check(baselined)
    assert recovered.outcome == Check.Outcome.UNCHANGED
    assert reload_source(baselined).consecutive_failures == 0


def test_a_page_that_times_out_is_a_failed_check(baselined, page_server, settings):
    settings.SUBWATCH_FETCH_READ_TIMEOUT = 0.5
    page_server.pages["/subprocessors"] = Page(list_page(), delay=2)

    result = check(baselined)

    assert result.outcome == Check.Outcome.FAILED
    assert "127.0.0.1" in result.error, "the error names the host that did not answer"
    assert not Change.objects.exists()


def test_a_refused_connection_is_a_failed_check(db, page_server):
    vendor = vendor_create(name="Gone Corp", url=f"http://127.0.0.1:{free_port()}/list")

    result = check(vendor.sources.get())

    assert result.outcome == Check.Outcome.FAILED
    assert "refused" in result.error.lower()


def test_repeated_failures_are_counted(baselined, page_server):
    page_server.pages["/subprocessors"] = Page("down", status=503, content_type="text/plain")
    for _ in range(3):
        check(baselined)

    assert reload_source(baselined).consecutive_failures == 3
    assert Check.objects.filter(outcome="failed").count() == 3

"""Email alerts: one message per recipient per check, never twice, retried while SMTP is down."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from compliance.models import Notification
from compliance.services.alerts import alert_rule_create
from compliance.services.checks import source_check
from compliance.services.delivery import notifications_deliver
from tests.conftest import reload_source
from tests.pages import BASE_ROWS, GOOGLE, list_page
from tests.servers import Page


def check(source):
    return source_check(reload_source(source), queue_delivery=False)


def add_google(cortexa_source, page_server):
    check(cortexa_source)
    page_server.pages["/subprocessors"] = Page(list_page([*BASE_ROWS, GOOGLE]))
    check(cortexa_source)


def test_it_sends_one_email_naming_the_vendor_and_the_subprocessor(
    cortexa_source, alice_rule, page_server, smtp_server
):
    add_google(cortexa_source, page_server)

    report = notifications_deliver()

    assert report.sent == 1
    assert len(smtp_server.messages) == 1
    mail = smtp_server.messages[0]
    assert mail["to"] == ["alice@example.com"]
    message = mail["message"]
    assert message["Subject"] == "Cortexa AI added Google LLC as a subprocessor"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Cloud infrastructure" in text and "United States" in text
    deadline = Notification.objects.get().change.objection_deadline
    assert deadline.strftime("%Y-%m-%d") in text
    assert "/changes/" in text
    assert "Google LLC" in html and "<table" in html


def test_delivering_again_sends_nothing_more(cortexa_source, alice_rule, page_server, smtp_server):
    add_google(cortexa_source, page_server)
    notifications_deliver()
    notifications_deliver()
    notifications_deliver(now=timezone.now() + timedelta(days=1))

    assert len(smtp_server.messages) == 1
    assert Notification.objects.get().status == Notification.Status.SENT


def test_several_changes_in_one_check_make_one_email(
    cortexa_source, alice_rule, page_server, smtp_server
):
    check(cortexa_source)
    page_server.pages["/subprocessors"] = Page(
        list_page([*BASE_ROWS, GOOGLE, ("OpenAI, L.L.C.", "AI inference", "United States")])
    )
    check(cortexa_source)

    notifications_deliver()

    assert len(smtp_server.messages) == 1
    subject = smtp_server.messages[0]["message"]["Subject"]
    assert subject == "Cortexa AI changed its subprocessor list: 2 changes"
    assert Notification.objects.filter(status="sent").count() == 2


def test_a_watched_entity_rule_hears_only_of_that_entity(cortexa, page_server, smtp_server):
    bob = alert_rule_create(emails=["bob@example.com"], entities=["Google"])
    source = reload_source(cortexa.sources.get())
    check(source)
    page_server.pages["/subprocessors"] = Page(
        list_page([*BASE_ROWS, ("OpenAI, L.L.C.", "AI inference", "United States")])
    )
    check(source)
    assert not Notification.objects.filter(rule=bob).exists()

    page_server.pages["/subprocessors"] = Page(
        list_page([*BASE_ROWS, ("OpenAI, L.L.C.", "AI inference", "United States"), GOOGLE])
    )
    check(source)
    notifications_deliver()

    assert [m["to"] for m in smtp_server.messages] == [["bob@example.com"]]
    assert "Google LLC" in smtp_server.messages[0]["message"]["Subject"]


def test_an_additions_only_rule_ignores_removals(cortexa, page_server):
    rule = alert_rule_create(emails=["carol@example.com"], additions_only=True)
    source = reload_source(cortexa.sources.get())
    check(source)
    page_server.pages["/subprocessors"] = Page(list_page(BASE_ROWS[1:]))
    check(source)

    assert not Notification.objects.filter(rule=rule).exists()


def test_a_rule_scoped_to_another_vendor_stays_quiet(cortexa, page_server):
    from compliance.services.vendors import vendor_create

    page_server.pages["/other"] = Page(list_page())
    vendor_create(name="Other Corp", url=page_server.url("/other"))
    rule = alert_rule_create(emails=["dan@example.com"], vendor_slugs=["other-corp"])
    source = reload_source(cortexa.sources.get())
    check(source)
    page_server.pages["/subprocessors"] = Page(list_page([*BASE_ROWS, GOOGLE]))
    check(source)

    assert not Notification.objects.filter(rule=rule).exists()


def test_smtp_down_defers_the_email_until_the_server_is_back(
    cortexa_source, alice_rule, page_server, smtp_server
):
    add_google(cortexa_source, page_server)
    smtp_server.stop()

    report = notifications_deliver()

    assert report.retrying == 1 and report.sent == 0
    waiting = Notification.objects.get()
    assert waiting.status == Notification.Status.PENDING
    assert waiting.attempts == 1
    assert "Connection refused" in waiting.last_error or "Errno" in waiting.last_error
    assert waiting.next_attempt_at > timezone.now()

    smtp_server.start()
    assert notifications_deliver().sent == 0, "not before its backoff has passed"
    later = timezone.now() + timedelta(hours=1)
    assert notifications_deliver(now=later).sent == 1
    assert notifications_deliver(now=later + timedelta(hours=1)).sent == 0

    assert len(smtp_server.messages) == 1
    sent = Notification.objects.get()
    assert sent.status == Notification.Status.SENT and sent.attempts == 2


def test_a_notification_claimed_by_another_worker_is_not_sent_again(
    cortexa_source, alice_rule, page_server, smtp_server
):
    add_google(cortexa_source, page_server)
    Notification.objects.update(status=Notification.Status.SENDING, claimed_at=timezone.now())

    assert notifications_deliver().sent == 0
    assert smtp_server.messages == []


def test_without_an_smtp_host_mail_is_written_under_var_mail(
    cortexa_source, alice_rule, page_server, settings, tmp_path
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    add_google(cortexa_source, page_server)

    notifications_deliver()

    files = list(tmp_path.iterdir())
    assert len(files) == 1
    assert "Google LLC" in files[0].read_text()


def test_the_subject_and_text_part_are_not_html_escaped(db, page_server, smtp_server):
    from compliance.services.vendors import vendor_create

    page_server.pages["/list"] = Page(list_page())
    vendor = vendor_create(name="Brown & O'Neil", url=page_server.url("/list"))
    alert_rule_create(emails=["alice@example.com"])
    source = reload_source(vendor.sources.get())
    check(source)
    page_server.pages["/list"] = Page(
        list_page([*BASE_ROWS, ("R&amp;D &lt;Labs&gt;", "Research", "Japan")])
    )
    check(source)

    notifications_deliver()

    message = smtp_server.messages[0]["message"]
    assert message["Subject"] == "Brown & O'Neil added R&D <Labs> as a subprocessor"
    assert "R&D <Labs>" in message.get_body(preferencelist=("plain",)).get_content()
    assert "R&amp;D &lt;Labs&gt;" in message.get_body(preferencelist=("html",)).get_content()

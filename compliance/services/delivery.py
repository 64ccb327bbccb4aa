"""Delivering notifications by email: claim, send outside any transaction, then mark.

A notification is claimed with a conditional UPDATE (pending -> sending, with a
token), so two workers never send the same one. Temporary SMTP failures put it
back as pending with a backoff; nothing is ever sent twice.
"""

from __future__ import annotations

import logging
import random
import smtplib
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from django.conf import settings
from django.utils import timezone

from compliance import emails
from compliance.models import Notification

logger = logging.getLogger(__name__)
Status = Notification.Status

# A claim older than this was interrupted mid-send. It is not retried: the
# message may have left, and a duplicate is worse than a visible failure.
STALE_CLAIM = timedelta(minutes=15)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def notifications_deliver(
    *, check_id: int | None = None, now: datetime | None = None
) -> DeliveryReport:
    """Send every due notification (or only those of one check), one email per
    recipient per check."""
    now = now or timezone.now()
    _notifications_fail_stale(now)
    due = Notification.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
    if check_id is not None:
        due = due.filter(change__check_run_id=check_id)
    keys = due.order_by("recipient", "change__check_run_id", "id").values_list(
        "id", "recipient", "change__check_run_id"
    )
    report = DeliveryReport()
    for (recipient, _check), group in groupby(keys, key=lambda k: (k[1], k[2])):
        _deliver_group(recipient, [k[0] for k in group], now, report)
    return report


def _deliver_group(recipient: str, ids: list[int], now: datetime, report: DeliveryReport) -> None:
    token = uuid.uuid4().hex
    claimed = Notification.objects.filter(id__in=ids, status=Status.PENDING).update(
        status=Status.SENDING, claim_token=token, claimed_at=now
    )
    if not claimed:
        return  # another worker got there first
    batch = list(
        Notification.objects.filter(claim_token=token)
        .select_related("change__source__vendor", "change__subprocessor")
        .order_by("change__kind", "change_id")
    )
    # Two rules may notify one recipient about the same change: list it once.
    changes = list({n.change_id: n.change for n in batch}.values())
    try:
        emails.changes_email(recipient, changes).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - classified below, then recorded
        _record_failure(token, batch, exc, report)
        return
    Notification.objects.filter(claim_token=token).update(
        status=Status.SENT, sent_at=timezone.now(), attempts=batch[0].attempts + 1, last_error=""
    )
    report.sent += len(batch)


def _record_failure(token: str, batch: list[Notification], exc: Exception, report) -> None:
    attempts = batch[0].attempts + 1
    error = f"{type(exc).__name__}: {exc}"[:1000]
    if _is_temporary(exc) and attempts < settings.SUBWATCH_EMAIL_MAX_ATTEMPTS:
        Notification.objects.filter(claim_token=token).update(
            status=Status.PENDING,
            attempts=attempts,
            last_error=error,
            next_attempt_at=timezone.now() + backoff(attempts),
            claim_token="",
        )
        report.retrying += len(batch)
        logger.warning("email to %s deferred (attempt %d): %s", batch[0].recipient, attempts, error)
    else:
        Notification.objects.filter(claim_token=token).update(
            status=Status.FAILED, attempts=attempts, last_error=error
        )
        report.failed += len(batch)
        logger.error("email to %s failed for good: %s", batch[0].recipient, error)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes with ±20 % jitter, capped at six hours."""
    base = min(60 * 2 ** (attempts - 1), 6 * 3600)
    return timedelta(seconds=base * random.uniform(0.8, 1.2))


def _is_temporary(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, OSError | socket.timeout | smtplib.SMTPServerDisconnected)


def _notifications_fail_stale(now: datetime) -> None:
    Notification.objects.filter(status=Status.SENDING, claimed_at__lt=now - STALE_CLAIM).update(
        status=Status.FAILED,
        last_error="Interrupted while sending; not retried so that no one gets it twice.",
    )

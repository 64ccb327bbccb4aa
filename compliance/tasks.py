"""Celery tasks: thin. Each takes an id, loads the row and calls one service."""

from __future__ import annotations

import logging

from celery import shared_task

from compliance import selectors
from compliance.services import checks, delivery

logger = logging.getLogger(__name__)


@shared_task
def sources_dispatch_due() -> int:
    """Claim the sources that are due and queue one check each."""
    ids = checks.sources_claim_due()
    for source_id in ids:
        source_check.delay(source_id)
    return len(ids)


@shared_task(acks_late=True)
def source_check(source_id: int) -> str | None:
    source = selectors.source_for_check().filter(id=source_id).first()
    if source is None:
        logger.info("source %s was deleted before its check ran", source_id)
        return None
    return checks.source_check(source).outcome


@shared_task
def notifications_deliver(check_id: int) -> int:
    return delivery.notifications_deliver(check_id=check_id).sent


@shared_task
def notifications_deliver_due() -> int:
    return delivery.notifications_deliver().sent

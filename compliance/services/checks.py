"""Checking a source: fetch, keep the evidence, and apply what changed."""

from __future__ import annotations

import hashlib
import logging
import zlib
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from compliance.models import Check, Snapshot, Source
from compliance.services.listings import ListingUpdate, listing_apply, listing_plan
from scrapers.diff import rows_fingerprint
from scrapers.fetch import FetchError, FetchResult, fetch
from scrapers.parse import parse_document

logger = logging.getLogger(__name__)
Outcome = Check.Outcome


def sources_claim_due(*, now: datetime | None = None, limit: int | None = None) -> list[int]:
    """Claim the sources that are due and push their next check forward.

    Pushing ``next_check_at`` in the same transaction is the claim: a second
    dispatcher skips the locked rows (PostgreSQL) or no longer sees them as due.
    A failed check is thus retried at the next scheduled time.
    """
    now = now or timezone.now()
    limit = limit or settings.SUBWATCH_DISPATCH_BATCH
    with transaction.atomic():
        ids = list(
            Source.objects.select_for_update(skip_locked=True)
            .filter(enabled=True, next_check_at__lte=now)
            .order_by("next_check_at")
            .values_list("id", flat=True)[:limit]
        )
        if ids:
            Source.objects.filter(id__in=ids).update(
                next_check_at=ExpressionWrapper(
                    Value(now) + F("check_interval"), output_field=DateTimeField()
                )
            )
    return ids


def source_check(source: Source, *, queue_delivery: bool = True) -> Check:
    """Check one source once and record the attempt. Never raises for a bad page."""
    started = timezone.now()
    check = Check(source=source, started_at=started)
    try:
        result = fetch(
            source.url,
            etag=source.etag,
            last_modified=source.last_modified,
            connect_timeout=settings.SUBWATCH_FETCH_CONNECT_TIMEOUT,
            read_timeout=settings.SUBWATCH_FETCH_READ_TIMEOUT,
            max_bytes=settings.SUBWATCH_FETCH_MAX_BYTES,
            allow_private=settings.SUBWATCH_ALLOW_PRIVATE_ADDRESSES,
            user_agent=settings.SUBWATCH_USER_AGENT,
        )
    except FetchError as exc:
        return _record_failure(source, check, exc)

    check.http_status = result.status
    current = source.current_snapshot
    if result.not_modified and current is not None:
        return _record_unchanged(source, check, current, result)
    content_hash = hashlib.sha256(result.body).hexdigest()
    if current is not None and current.content_hash == content_hash:
        # The common case: the page is byte-for-byte what we applied last time.
        return _record_unchanged(source, check, current, result)
    return _apply_new_content(source, check, result, content_hash, queue_delivery)


def source_check_now(source: Source) -> Check:
    """Check outside the scheduler (``check_sources --now``): delivery is left to the
    caller, and the next scheduled check moves a full interval on."""
    check = source_check(source, queue_delivery=False)
    Source.objects.filter(id=source.id).update(
        next_check_at=check.finished_at + source.check_interval
    )
    return check


def _apply_new_content(
    source: Source, check: Check, result: FetchResult, content_hash: str, queue_delivery: bool
) -> Check:
    snapshot = _snapshot_store(source, result, content_hash)
    check.snapshot = snapshot
    try:
        parsed = parse_document(
            result.body,
            content_type=result.content_type,
            url=result.url,
            fmt=source.format,
            hint=source.hint,
        )
    except Exception as exc:  # noqa: BLE001 - a parser bug must not lose the check
        logger.exception("source %s: parsing failed", source.id)
        error = FetchError("parse", _("Could not read the page: %(error)s") % {"error": exc})
        return _record_failure(source, check, error)
    if not parsed.found:
        reason = parsed.no_list_reason or _("the page holds no subprocessor list")
        return _record_suspicious(
            source, check, _("No list found: %(reason)s") % {"reason": reason}
        )
    check.rows_found = len(parsed.rows)

    fingerprint = rows_fingerprint(parsed.rows)
    if source.has_baseline and fingerprint == source.rows_hash:
        # New bytes (a date, a banner, reordered rows) but the same list.
        return _record_unchanged(source, check, snapshot, result, touch_listings=True)

    plan = listing_plan(source, parsed.rows)
    if source.has_baseline and plan.removes_too_many(settings.SUBWATCH_MAX_REMOVED_SHARE):
        message = _(
            "The page lost %(removed)d of %(total)d rows at once; not applied until confirmed."
        ) % {"removed": len(plan.diff.removed), "total": plan.previous_count}
        return _record_suspicious(source, check, message)

    if not source.has_baseline:
        outcome = Outcome.BASELINE
    else:
        # A reworded name of the same entity updates the listing but is no change.
        outcome = Outcome.UNCHANGED if plan.diff.empty else Outcome.CHANGED
    update = ListingUpdate(plan=plan, check=check, snapshot=snapshot)
    with transaction.atomic():
        _finish(check, outcome)
        changes = listing_apply(source, update)
        check.changes_count = len(changes)
        check.save(update_fields=["changes_count"])
        source.rows_hash = fingerprint
        source.current_snapshot = snapshot
        source.etag = result.etag
        source.last_modified = result.last_modified
        _source_done(source, outcome, error="", warning="")
        if changes and queue_delivery:
            from compliance import tasks  # tasks imports this module

            transaction.on_commit(lambda: tasks.notifications_deliver.delay(check.id))
    return check


def _snapshot_store(source: Source, result: FetchResult, content_hash: str) -> Snapshot:
    snapshot = (
        Snapshot.objects.defer("body_compressed")
        .filter(source=source, content_hash=content_hash)
        .first()
    )
    if snapshot is not None:
        return snapshot
    snapshot, _created = Snapshot.objects.get_or_create(
        source=source,
        content_hash=content_hash,
        defaults={
            "body_compressed": zlib.compress(result.body, 6),
            "url": result.url,
            "content_type": result.content_type,
            "http_status": result.status,
            "size": len(result.body),
        },
    )
    return snapshot


def _record_unchanged(
    source: Source,
    check: Check,
    snapshot: Snapshot,
    result: FetchResult,
    *,
    touch_listings: bool = False,
) -> Check:
    check.snapshot = snapshot
    with transaction.atomic():
        _finish(check, Outcome.UNCHANGED)
        if touch_listings:
            source.current_snapshot = snapshot
            source.listings.filter(removed_at=None).update(last_seen_at=check.finished_at)
        if result.etag or result.last_modified:
            source.etag, source.last_modified = result.etag, result.last_modified
        _source_done(source, Outcome.UNCHANGED, error="", warning="")
    return check


def _record_suspicious(source: Source, check: Check, message: str) -> Check:
    check.error = message
    with transaction.atomic():
        _finish(check, Outcome.SUSPICIOUS)
        _source_done(source, Outcome.SUSPICIOUS, error="", warning=message)
    logger.warning("source %s suspicious: %s", source.id, message)
    return check


def _record_failure(source: Source, check: Check, exc: FetchError) -> Check:
    check.error = exc.message
    check.http_status = exc.status if exc.status is not None else check.http_status
    with transaction.atomic():
        _finish(check, Outcome.FAILED)
        source.consecutive_failures = F("consecutive_failures") + 1
        _source_done(source, Outcome.FAILED, error=exc.message, warning=source.warning)
    source.refresh_from_db(fields=["consecutive_failures"])
    logger.info("source %s failed (%s): %s", source.id, exc.kind, exc.message)
    return check


def _finish(check: Check, outcome: str) -> None:
    check.outcome = outcome
    check.finished_at = timezone.now()
    check.save()


def _source_done(source: Source, outcome: str, *, error: str, warning: str) -> None:
    source.last_checked_at = timezone.now()
    source.last_outcome = outcome
    source.last_error = error
    source.warning = warning
    fields = ["last_checked_at", "last_outcome", "last_error", "warning"]
    if outcome != Outcome.FAILED:
        source.consecutive_failures = 0
    fields += ["consecutive_failures", "rows_hash", "current_snapshot", "etag", "last_modified"]
    source.save(update_fields=fields)

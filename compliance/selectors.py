"""Reads: the querysets behind pages, exports and the admin.

Every function returns a queryset (or one object) that already joins or prefetches what
its page shows, so a page runs the same number of queries for 3 rows as for 3,000.
Snapshot bodies are never loaded here: evidence pages show hashes and times, and only
the admin detail page decodes a body.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from compliance.models import Change, Check, Listing, Source, Subprocessor, Vendor

RECENT_CHECKS = 20


def _start_of_day(day: date) -> datetime:
    """Midnight at the start of ``day`` in the current time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def count_per(queryset: QuerySet, group_by: str, count: str = "pk") -> Coalesce:
    """COUNT(DISTINCT ``count``) of ``queryset`` per ``group_by`` value, as a correlated
    subquery.

    A subquery rather than a JOIN + COUNT: two joined counts on the same vendor would
    multiply each other's rows, and a GROUP BY would make every paginator COUNT(*)
    wrap the whole grouped query.
    """
    counted = (
        queryset.order_by()
        .values(group_by)
        .annotate(n=Count(count, distinct=count != "pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# --- Changes ----------------------------------------------------------------


def change_list(
    *,
    vendor: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    since: date | None = None,
) -> QuerySet[Change]:
    """Changes, newest first, with vendor and subprocessor joined in.

    ``vendor`` is a vendor slug; ``kind`` and ``status`` are Change.Kind / Change.Review
    values; ``since`` keeps changes detected on or after that day (current time zone).
    """
    qs = Change.objects.select_related("source__vendor", "subprocessor").order_by(
        "-detected_at", "-id"
    )
    if vendor:
        qs = qs.filter(source__vendor__slug=vendor)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(review_status=status)
    if since:
        qs = qs.filter(detected_at__gte=_start_of_day(since))
    return qs


def change_get(*, pk: int) -> Change:
    """One change with everything its detail page shows as evidence (404 if missing)."""
    qs = Change.objects.select_related(
        "source__vendor",
        "subprocessor",
        "check_run",
        "old_snapshot",
        "new_snapshot",
        "reviewed_by",
    ).defer("old_snapshot__body_compressed", "new_snapshot__body_compressed")
    return get_object_or_404(qs, pk=pk)


def change_export_rows(
    since: date | None = None,
    *,
    vendor: str | None = None,
    kind: str | None = None,
    status: str | None = None,
) -> QuerySet[Change]:
    """The change log for CSV export: only the columns the export writes."""
    return change_list(vendor=vendor, kind=kind, status=status, since=since).only(
        "kind",
        "fields",
        "before",
        "after",
        "detected_at",
        "objection_deadline",
        "review_status",
        "source__url",
        "source__vendor__name",
        "subprocessor__name",
    )


# --- Vendors and sources ----------------------------------------------------


def vendor_list() -> QuerySet[Vendor]:
    """Vendors with counts for the overview: sources, failing sources, current listings,
    changes awaiting review, and when they were last checked / last changed."""
    current_listings = Listing.objects.filter(
        source__vendor=OuterRef("pk"), removed_at__isnull=True
    )
    unreviewed = Change.objects.filter(
        source__vendor=OuterRef("pk"), review_status=Change.Review.NEW
    )
    last_change = (
        Change.objects.filter(source__vendor=OuterRef("pk"))
        .order_by("-detected_at")
        .values("detected_at")[:1]
    )
    sources = Source.objects.filter(vendor=OuterRef("pk"))
    failing = sources.filter(last_outcome__in=[Source.Outcome.FAILED, Source.Outcome.SUSPICIOUS])
    last_checked = sources.exclude(last_checked_at=None).order_by("-last_checked_at")
    return Vendor.objects.annotate(
        source_count=count_per(sources, "vendor"),
        failing_count=count_per(failing, "vendor"),
        last_checked_at=Subquery(last_checked.values("last_checked_at")[:1]),
        listing_count=count_per(current_listings, "source__vendor"),
        unreviewed_count=count_per(unreviewed, "source__vendor"),
        last_change_at=Subquery(last_change),
    ).order_by("name")


def vendor_get(*, slug: str) -> Vendor:
    return get_object_or_404(Vendor, slug=slug)


def source_overview(*, vendor: Vendor | None = None) -> QuerySet[Source]:
    """Sources with their vendor, current evidence (no body) and current listing count."""
    current_listings = Listing.objects.filter(source=OuterRef("pk"), removed_at__isnull=True)
    qs = (
        Source.objects.select_related("vendor", "current_snapshot")
        .defer("current_snapshot__body_compressed")
        .annotate(listing_count=count_per(current_listings, "source"))
        .order_by("vendor__name", "url")
    )
    if vendor is not None:
        qs = qs.filter(vendor=vendor)
    return qs


def listing_current(*, vendor: Vendor) -> QuerySet[Listing]:
    """What a vendor publishes today, across its sources."""
    return (
        Listing.objects.filter(source__vendor=vendor, removed_at__isnull=True)
        .select_related("subprocessor", "source")
        .order_by("subprocessor__name", "source__url")
    )


def check_recent(*, vendor: Vendor, limit: int = RECENT_CHECKS) -> QuerySet[Check]:
    """A vendor's latest check attempts, newest first."""
    return (
        Check.objects.filter(source__vendor=vendor)
        .select_related("source")
        .order_by("-started_at", "-id")[:limit]
    )


# --- Subprocessors ----------------------------------------------------------


def subprocessor_usage(*, q: str | None = None) -> QuerySet[Subprocessor]:
    """Subprocessors listed today by at least one vendor, most used first, each with
    ``vendor_count`` and ``current_listings`` (listing, source and vendor, prefetched).

    ``q`` matches the canonical name or any name a vendor published it under.
    """
    current = Listing.objects.filter(subprocessor=OuterRef("pk"), removed_at__isnull=True)
    qs = (
        Subprocessor.objects.filter(Exists(current))
        .annotate(vendor_count=count_per(current, "subprocessor", count="source__vendor"))
        .prefetch_related(
            Prefetch(
                "listings",
                queryset=Listing.objects.filter(removed_at__isnull=True)
                .select_related("source__vendor")
                .order_by("source__vendor__name", "source__url"),
                to_attr="current_listings",
            )
        )
        .order_by("-vendor_count", "name")
    )
    if q:
        named = Listing.objects.filter(subprocessor=OuterRef("pk"), name__icontains=q)
        qs = qs.filter(Q(name__icontains=q) | Exists(named))
    return qs


def vendor_choices() -> QuerySet[Vendor]:
    """Names and slugs only, for filter drop-downs."""
    return Vendor.objects.only("name", "slug").order_by("name")


def source_for_check() -> QuerySet[Source]:
    """Sources with what a check reads: the vendor (notice period) and the applied
    snapshot's hash, never its body."""
    return Source.objects.select_related("vendor", "current_snapshot").defer(
        "current_snapshot__body_compressed"
    )

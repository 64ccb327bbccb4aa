"""Registering vendors and their list sources."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from compliance.models import Source, Vendor
from scrapers.fetch import FetchError, validate_url


class VendorError(Exception):
    """A vendor or source that cannot be registered; the message says why, in one line."""


def vendor_create(
    *,
    name: str,
    url: str,
    interval_hours: float | None = None,
    notice_days: int = 30,
    website: str = "",
    fmt: str = Source.Format.AUTO,
    hint: str = "",
) -> Vendor:
    """Create a vendor with its first list source, or refuse with a VendorError."""
    name = " ".join(name.split())
    if not name:
        raise VendorError(_("A vendor needs a name."))
    if notice_days < 0:
        raise VendorError(_("The notice period cannot be negative."))
    if interval_hours is not None and interval_hours <= 0:
        raise VendorError(_("The check interval must be positive."))
    try:
        url = validate_url(url, allow_private=settings.SUBWATCH_ALLOW_PRIVATE_ADDRESSES)
    except FetchError as exc:
        raise VendorError(exc.message) from exc
    if Source.objects.filter(url=url).exists():
        raise VendorError(_("A source with this URL already exists: %(url)s") % {"url": url})
    if Vendor.objects.filter(name__iexact=name).exists():
        raise VendorError(_("A vendor named %(name)s already exists.") % {"name": name})

    source_fields = {"url": url, "format": fmt, "hint": hint}
    if interval_hours is not None:
        source_fields["check_interval"] = timedelta(hours=interval_hours)
    try:
        with transaction.atomic():
            vendor = Vendor.objects.create(
                name=name, slug=_unique_slug(name), website=website, notice_days=notice_days
            )
            Source.objects.create(vendor=vendor, **source_fields)
    except IntegrityError as exc:
        # Another process registered the same URL or name between the checks and the insert.
        raise VendorError(_("This vendor or source already exists.")) from exc
    return vendor


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200] or "vendor"
    slug, n = base, 2
    while Vendor.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug

"""Rows for the web, admin and export tests, written straight through the ORM."""

from __future__ import annotations

import hashlib
import zlib
from datetime import datetime, timedelta
from itertools import count

from django.contrib.auth.models import Permission, User
from django.utils import timezone

from compliance.models import Change, Check, Listing, Snapshot, Source, Subprocessor, Vendor

_seq = count(1)


def make_alice() -> User:
    """Alice, the admin: a superuser who runs Subwatch."""
    return User.objects.create_superuser("alice", "alice@example.com", "pw-alice-123")


def make_bob() -> User:
    """Bob, the reviewer: may accept or object to changes, not an admin."""
    bob = User.objects.create_user("bob", "bob@example.com", "pw-bob-123")
    bob.user_permissions.add(
        Permission.objects.get(codename="change_change", content_type__app_label="compliance")
    )
    return bob


def make_charlie() -> User:
    """Charlie, the viewer: signed in, reads pages, decides nothing."""
    return User.objects.create_user("charlie", "charlie@example.com", "pw-charlie-123")


def make_vendor(name: str | None = None) -> Vendor:
    n = next(_seq)
    name = name or f"Vendor {n}"
    return Vendor.objects.create(name=name, slug=f"vendor-{n}", website="https://example.com/")


def make_source(vendor: Vendor, **fields) -> Source:
    n = next(_seq)
    fields.setdefault("url", f"https://vendor{n}.example.com/legal/subprocessors")
    return Source.objects.create(vendor=vendor, **fields)


def make_snapshot(source: Source, body: bytes = b"<ul><li>Amazon Web Services</li></ul>"):
    return Snapshot.objects.create(
        source=source,
        content_hash=hashlib.sha256(body).hexdigest(),
        body_compressed=zlib.compress(body),
        url=source.url,
        content_type="text/html; charset=utf-8",
        http_status=200,
        size=len(body),
    )


def make_check(source: Source, snapshot: Snapshot | None = None, **fields) -> Check:
    fields.setdefault("outcome", Check.Outcome.CHANGED)
    return Check.objects.create(source=source, snapshot=snapshot, http_status=200, **fields)


def make_subprocessor(name: str | None = None) -> Subprocessor:
    return Subprocessor.objects.create(name=name or f"Subprocessor {next(_seq)}")


def row(name: str, purpose: str = "Hosting", location: str = "Ireland", countries=("IE",)):
    return {
        "name": name,
        "entity": name,
        "purpose": purpose,
        "location": location,
        "countries": list(countries),
        "section": "",
    }


def make_listing(source: Source, subprocessor: Subprocessor, **fields) -> Listing:
    values = row(subprocessor.name)
    values.pop("entity")
    values.update(fields)
    return Listing.objects.create(source=source, subprocessor=subprocessor, **values)


def make_change(
    source: Source,
    subprocessor: Subprocessor | None = None,
    kind: str = Change.Kind.ADDED,
    *,
    before: dict | None = None,
    after: dict | None = None,
    fields: list[str] | None = None,
    detected_at: datetime | None = None,
    deadline_days: int = 30,
    **extra,
) -> Change:
    subprocessor = subprocessor or make_subprocessor()
    if kind == Change.Kind.ADDED:
        before, after = before or {}, after or row(subprocessor.name)
    elif kind == Change.Kind.REMOVED:
        before, after = before or row(subprocessor.name), after or {}
    else:
        before, after = before or row(subprocessor.name), after or row(subprocessor.name)
    detected_at = detected_at or timezone.now()
    return Change.objects.create(
        source=source,
        subprocessor=subprocessor,
        kind=kind,
        before=before,
        after=after,
        fields=fields or [],
        detected_at=detected_at,
        objection_deadline=detected_at + timedelta(days=deadline_days),
        **extra,
    )


def make_changes(n: int) -> list[Change]:
    """n changes spread over n vendors, each with its own source and snapshots."""
    changes = []
    for _ in range(n):
        source = make_source(make_vendor())
        old, new = make_snapshot(source, b"old"), make_snapshot(source, b"new")
        changes.append(make_change(source, old_snapshot=old, new_snapshot=new))
    return changes

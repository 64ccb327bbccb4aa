"""Applying a parsed list to a source's Listing and recording typed Changes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from compliance.models import Change, Check, Listing, Snapshot, Source, Subprocessor
from compliance.services.alerts import notifications_create
from scrapers.diff import RowDiff, diff_rows, merge_by_entity
from scrapers.rows import Row

_ROW_FIELDS = ("name", "purpose", "location", "countries", "section")


@dataclass
class ListingPlan:
    diff: RowDiff
    new_rows: dict[str, Row]  # the parsed rows, one per entity
    current: dict[str, Listing]  # the listings in force, by entity
    retired: dict[str, Listing]  # listings removed earlier, which an addition revives
    old_rows: dict[str, Row]  # the listings in force as rows, before any write
    previous_count: int

    def removes_too_many(self, share: float) -> bool:
        return self.previous_count > 0 and len(self.diff.removed) / self.previous_count > share


@dataclass
class ListingUpdate:
    plan: ListingPlan
    check: Check
    snapshot: Snapshot


def listing_row(listing: Listing) -> Row:
    return Row(
        name=listing.name,
        entity=listing.subprocessor.name,
        purpose=listing.purpose,
        location=listing.location,
        countries=tuple(listing.countries),
        section=listing.section,
    )


def listing_plan(source: Source, rows: list[Row]) -> ListingPlan:
    """Diff the parsed rows against the source's listing, without writing anything."""
    current: dict[str, Listing] = {}
    retired: dict[str, Listing] = {}
    for listing in source.listings.select_related("subprocessor"):
        bucket = retired if listing.removed_at else current
        bucket[listing.subprocessor.name] = listing
    old_rows = {entity: listing_row(lst) for entity, lst in current.items()}
    return ListingPlan(
        diff=diff_rows(old_rows.values(), rows),
        new_rows=merge_by_entity(rows),
        current=current,
        retired=retired,
        old_rows=old_rows,
        previous_count=len(current),
    )


def listing_apply(source: Source, update: ListingUpdate) -> list[Change]:
    """Write the plan: listings created, updated or retired, and the typed Changes.

    Runs inside the caller's transaction. Changes are recorded only once a
    baseline exists; the first successful check alerts no one.
    """
    plan, now = update.plan, update.check.finished_at or timezone.now()
    added = {row.entity: row for row in plan.diff.added}
    pairs = _pair_rows_with_listings(plan, added)
    # Only rows that are new or published under a new name touch Subprocessor.
    subprocessors = _subprocessors_for(
        row
        for entity, row in plan.new_rows.items()
        if entity not in pairs or pairs[entity].name != row.name
    )
    to_create, to_update = [], []
    for entity, row in plan.new_rows.items():
        listing = pairs.get(entity) or plan.retired.get(entity)
        if listing is None:
            listing = Listing(source=source, subprocessor=subprocessors[entity], first_seen_at=now)
            to_create.append(listing)
        elif listing.removed_at is not None or _row_dict(listing_row(listing)) != _row_dict(row):
            to_update.append(listing)
        _copy_row(listing, row)
        listing.last_seen_at, listing.removed_at = now, None
    for row in plan.diff.removed:
        listing = plan.current[row.entity]
        listing.removed_at = now
        to_update.append(listing)
    Listing.objects.bulk_create(to_create)
    Listing.objects.bulk_update(
        to_update, [*_ROW_FIELDS, "last_seen_at", "removed_at"], batch_size=500
    )
    # The rows that did not change were still seen: one statement for all of them.
    source.listings.filter(removed_at=None).update(last_seen_at=now)
    if not source.has_baseline:  # the first check only sets the baseline
        return []
    changes = _changes_from(source, update, plan, added, pairs, subprocessors, now)
    Change.objects.bulk_create(changes)
    notifications_create(changes)
    return changes


def _pair_rows_with_listings(plan: ListingPlan, added: dict[str, Row]) -> dict[str, Listing]:
    """Map each kept entity of the new rows to the listing the differ matched it with."""
    pairs = {}
    for entity in plan.new_rows:
        old_entity = plan.diff.matched.get(entity, entity)
        if entity not in added and old_entity in plan.current:
            pairs[entity] = plan.current[old_entity]
    return pairs


def _subprocessors_for(rows) -> dict[str, Subprocessor]:
    rows = list(rows)
    entities = {row.entity for row in rows}
    Subprocessor.objects.bulk_create(
        [Subprocessor(name=e) for e in entities], ignore_conflicts=True
    )
    found = {s.name: s for s in Subprocessor.objects.filter(name__in=entities)}
    stale = []
    for row in rows:
        sub = found[row.entity]
        if row.name not in sub.aliases:
            sub.aliases = [*sub.aliases, row.name]
            stale.append(sub)
    Subprocessor.objects.bulk_update(stale, ["aliases"])
    return found


def _copy_row(listing: Listing, row: Row) -> None:
    listing.name = row.name[:500]
    listing.purpose = row.purpose
    listing.location = row.location
    listing.countries = list(row.countries)
    listing.section = row.section[:300]


def _row_dict(row: Row) -> dict:
    return {f: (list(row.countries) if f == "countries" else getattr(row, f)) for f in _ROW_FIELDS}


def _changes_from(source, update, plan, added, pairs, subprocessors, now) -> list[Change]:
    deadline = now + timedelta(days=source.vendor.notice_days)
    common = {
        "source": source,
        "check_run": update.check,
        "old_snapshot_id": source.current_snapshot_id,
        "new_snapshot": update.snapshot,
        "detected_at": now,
        "objection_deadline": deadline,
    }
    changes = [
        Change(kind=Change.Kind.ADDED, subprocessor=subprocessors[e], after=_row_dict(r), **common)
        for e, r in added.items()
    ]
    for row in plan.diff.removed:
        changes.append(
            Change(
                kind=Change.Kind.REMOVED,
                subprocessor=plan.current[row.entity].subprocessor,
                before=_row_dict(plan.old_rows[row.entity]),
                **common,
            )
        )
    fields_by_entity: dict[str, list[str]] = defaultdict(list)
    befores: dict[str, dict] = defaultdict(dict)
    for fc in plan.diff.changed:
        fields_by_entity[fc.entity].append(fc.field)
        befores[fc.entity][fc.field] = fc.before
    for entity, fields in fields_by_entity.items():
        listing, row = pairs.get(entity), plan.new_rows.get(entity)
        if listing is None or row is None:
            continue
        changes.append(
            Change(
                kind=Change.Kind.MODIFIED,
                subprocessor=listing.subprocessor,
                fields=sorted(set(fields)),
                before={**_row_dict(plan.old_rows[listing.subprocessor.name]), **befores[entity]},
                after=_row_dict(row),
                **common,
            )
        )
    return changes

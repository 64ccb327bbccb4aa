"""Diff two row sets keyed by canonical entity. (Interim; issue 3 replaces it.)"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from scrapers.rows import Row


@dataclass(frozen=True, slots=True)
class FieldChange:
    entity: str
    name: str
    field: str  # "purpose", "location" or "countries"
    before: str | list[str]
    after: str | list[str]


@dataclass(slots=True)
class RowDiff:
    added: list[Row] = field(default_factory=list)
    removed: list[Row] = field(default_factory=list)
    changed: list[FieldChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def merge_by_entity(rows: Iterable[Row]) -> dict[str, Row]:
    """One Row per entity: purposes and locations joined, countries united."""
    grouped: dict[str, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.entity, []).append(row)
    merged = {}
    for entity, group in grouped.items():
        purposes = list(dict.fromkeys(r.purpose for r in group if r.purpose))
        locations = list(dict.fromkeys(r.location for r in group if r.location))
        countries = sorted({c for r in group for c in r.countries})
        merged[entity] = Row(
            name=group[0].name,
            entity=entity,
            purpose="; ".join(purposes),
            location="; ".join(locations),
            countries=tuple(countries),
            section=group[0].section,
        )
    return merged


def rows_fingerprint(rows: Iterable[Row]) -> str:
    """A hash of the normalised rows that ignores their order."""
    merged = merge_by_entity(rows)
    payload = sorted(
        (e, r.purpose.lower(), list(r.countries)) for e, r in merged.items()
    )
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


def diff_rows(old: Iterable[Row], new: Iterable[Row]) -> RowDiff:
    before, after = merge_by_entity(old), merge_by_entity(new)
    result = RowDiff()
    result.added = [after[e] for e in after if e not in before]
    result.removed = [before[e] for e in before if e not in after]
    for entity in after.keys() & before.keys():
        b, a = before[entity], after[entity]
        if b.purpose != a.purpose:
            result.changed.append(FieldChange(entity, a.name, "purpose", b.purpose, a.purpose))
        if b.countries != a.countries:
            result.changed.append(
                FieldChange(entity, a.name, "countries", list(b.countries), list(a.countries))
            )
    return result

"""Diff two row sets keyed by canonical entity.

What counts as a change (and what deliberately does not):

* Rows are grouped by ``entity_key(row.entity)``, so one entity published on several rows (GitHub's
  two "Microsoft (Azure)" rows, Slack's three AWS rows) is one unit: no add/remove pairs appear
  when its rows are split, merged or reordered.
* Entities that do not share a key are paired again, in this order, before anything is called
  added or removed: by re-canonicalising the published names (old rows may carry an entity
  computed by an older version of ``canonical_entity``), then fuzzily (``similar_entities``: a
  reordered "Foo (Bar)" / "Bar (Foo)" or a near-identical spelling). A rename by acquisition
  ("Global Data Consortium" -> "London Stock Exchange Group") stays a removal plus an addition.
* purpose: compared as a set of meaningful words (case, punctuation, order, plurals and filler
  words ignored), so "Hosting, CDN" -> "CDN and hosting" is not a change; a new word is.
* countries: a change in the set of codes. A reworded location with the same countries is not a
  change; "location" is only compared when neither side names a country ("Global" -> "EU-only
  datacentres" would be "countries"; "Global" -> "Worldwide" is nothing).
* name: reported only when the published names of the entity share no subset relation in their
  significant words and the entity is not a known alias group (where rewordings such as
  "Amazon Web Services (AWS)" -> "AWS" are expected).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from scrapers.entities import (
    FUZZY_THRESHOLD,
    canonical_entity,
    entity_key,
    is_aliased,
    name_tokens,
    similar_entities,
)
from scrapers.rows import Row


@dataclass(frozen=True, slots=True)
class FieldChange:
    entity: str
    name: str
    field: str  # "purpose", "location", "countries" or "name"
    before: str | list[str]
    after: str | list[str]


@dataclass(slots=True)
class RowDiff:
    added: list[Row] = field(default_factory=list)
    removed: list[Row] = field(default_factory=list)
    changed: list[FieldChange] = field(default_factory=list)
    # Each kept entity of the new side -> the entity it was matched to on the old side
    # (they differ when a name was reworded or canonicalised differently).
    matched: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


# Words that carry no meaning of their own in a purpose or location cell.
_STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        """
    a an and or the of for to in on at by as with from via its it their our your this that these
    those is are be being used use using such including include includes e g eg i ie etc other
    any all which who where when also well per into within""",
    )
)
_FILLER = frozenset(
    re.findall(r"\w+", "service provider vendor solution platform tool software third party")
)
# "Global" and "Worldwide" say the same thing; neither names a country.
_GLOBAL = frozenset(
    re.findall(r"\w+", "global globally worldwide world international anywhere everywhere")
)
_FIELD_ORDER = {"name": 0, "purpose": 1, "countries": 2, "location": 3}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").casefold()


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def purpose_words(text: str) -> frozenset[str]:
    """The meaning-bearing words of a purpose: the unit purposes are compared in."""
    words = {_stem(w) for w in re.findall(r"[^\W_]+", _fold(text))}
    return frozenset(w for w in words if w not in _STOPWORDS and w not in _FILLER)


def _location_words(text: str) -> frozenset[str]:
    words = {_stem(w) for w in re.findall(r"[^\W_]+", _fold(text))} - _STOPWORDS
    return frozenset("global" if w in _GLOBAL else w for w in words)


def _pieces(values: Iterable[str]) -> list[str]:
    """Split already-merged "a; b" values so re-merging a merged row is idempotent."""
    return [p.strip() for v in values if v for p in v.split("; ") if p.strip()]


def _dedupe(pieces: list[str], key) -> list[str]:
    seen: set = set()
    kept = []
    for piece in pieces:
        k = key(piece)
        if k not in seen:
            seen.add(k)
            kept.append(piece)
    return kept


def _group_key(row: Row) -> str:
    return entity_key(row.entity) or entity_key(canonical_entity(row.name)) or _fold(row.name)


def _group(rows: Iterable[Row]) -> dict[str, list[Row]]:
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(_group_key(row), []).append(row)
    return groups


def _merge(group: list[Row]) -> Row:
    first = group[0]
    purposes = _dedupe(_pieces(r.purpose for r in group), purpose_words)
    locations = _dedupe(_pieces(r.location for r in group), lambda s: " ".join(_fold(s).split()))
    return Row(
        name=first.name,
        entity=first.entity or canonical_entity(first.name),
        purpose="; ".join(purposes),
        location="; ".join(locations),
        countries=tuple(sorted({c for r in group for c in r.countries})),
        section=next((r.section for r in group if r.section), ""),
    )


def merge_by_entity(rows: Iterable[Row]) -> dict[str, Row]:
    """One Row per entity: purposes and locations joined with "; " (deduplicated), countries
    united, the first row's name and first non-empty section kept. Keyed by the entity name."""
    return {merged.entity: merged for merged in map(_merge, _group(rows).values())}


def _names(group: list[Row]) -> frozenset[str]:
    return frozenset().union(*(name_tokens(r.name) for r in group))


def rows_fingerprint(rows: Iterable[Row]) -> str:
    """Order-independent hash of the normalised rows: equal fingerprints mean ``diff_rows``
    would report nothing (the converse need not hold)."""
    payload = []
    for key, group in _group(rows).items():
        merged = _merge(group)
        payload.append(
            [
                key,
                sorted(purpose_words(merged.purpose)),
                list(merged.countries),
                [] if merged.countries else sorted(_location_words(merged.location)),
                sorted(_names(group)),
            ]
        )
    payload.sort()
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()


def _pair(old: dict[str, list[Row]], new: dict[str, list[Row]]) -> list[tuple[str, str]]:
    """Pair old and new group keys that name the same entity; see the module docstring."""
    pairs = [(k, k) for k in sorted(old.keys() & new.keys())]
    left = sorted(old.keys() - new.keys())
    right = sorted(new.keys() - old.keys())

    # Re-canonicalised published names: entities stored by an older canonicaliser.
    def recomputed(group: list[Row]) -> set[str]:
        return {entity_key(canonical_entity(r.name)) for r in group}

    right_by_key: dict[str, str] = {}
    for r in right:
        for k in recomputed(new[r]):
            right_by_key.setdefault(k, r)
    for o in list(left):
        keys = sorted(recomputed(old[o]))
        match = next((right_by_key[k] for k in keys if k in right_by_key), None)
        if match is not None and match in right:
            pairs.append((o, match))
            left.remove(o)
            right.remove(match)

    # Fuzzy: best-scoring candidates first, each side used once.
    if left and right:
        scored: list[tuple[float, str, str]] = []
        tokens_right = {r: _names(new[r]) for r in right}
        for o in left:
            tokens_o = _names(old[o])
            for r in right:
                if tokens_o and tokens_o == tokens_right[r]:
                    scored.append((100.0, o, r))
            for r, score, _ in process.extract(
                o, right, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=5
            ):
                if any(
                    similar_entities(a.name, b.name) or similar_entities(a.entity, b.entity)
                    for a in old[o]
                    for b in new[r]
                ):
                    scored.append((score, o, r))
        used_left: set[str] = set()
        used_right: set[str] = set()
        for _score, o, r in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
            if o not in used_left and r not in used_right:
                pairs.append((o, r))
                used_left.add(o)
                used_right.add(r)
    return pairs


def _renamed(before: list[Row], after: list[Row]) -> bool:
    old_words, new_words = _names(before), _names(after)
    if old_words <= new_words or new_words <= old_words:
        return False  # a suffix, a bracketed alias or a qualifier added or dropped
    return not all(is_aliased(r.name) for r in [*before, *after])


def _changes(before: list[Row], after: list[Row]) -> list[FieldChange]:
    b, a = _merge(before), _merge(after)
    changes = []

    def change(field_name: str, old_value, new_value) -> None:
        changes.append(FieldChange(a.entity, a.name, field_name, old_value, new_value))

    if _renamed(before, after):
        change("name", b.name, a.name)
    if purpose_words(b.purpose) != purpose_words(a.purpose):
        change("purpose", b.purpose, a.purpose)
    if b.countries != a.countries:
        change("countries", list(b.countries), list(a.countries))
    elif not a.countries and _location_words(b.location) != _location_words(a.location):
        change("location", b.location, a.location)
    return changes


def diff_rows(old: Iterable[Row], new: Iterable[Row]) -> RowDiff:
    """Added, removed and changed entities between two row sets (raw or already merged)."""
    before, after = _group(old), _group(new)
    pairs = _pair(before, after)
    paired_old = {o for o, _ in pairs}
    paired_new = {n for _, n in pairs}
    result = RowDiff()
    result.added = [_merge(after[k]) for k in sorted(after) if k not in paired_new]
    result.removed = [_merge(before[k]) for k in sorted(before) if k not in paired_old]
    for o, n in pairs:
        result.changed.extend(_changes(before[o], after[n]))
        result.matched[_merge(after[n]).entity] = _merge(before[o]).entity
    result.changed.sort(key=lambda c: (entity_key(c.entity), _FIELD_ORDER[c.field]))
    return result

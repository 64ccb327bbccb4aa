"""Build Rows from raw cell text: name cleaning, plausibility, exclusions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from scrapers.countries import countries_in
from scrapers.entities import canonical_entity
from scrapers.rows import Row

# Footnote markers: *, **, †, ‡, §, [1], (1) after a name, superscript digits, ^1.
_MARKERS_END = re.compile(
    r"(?:\s*(?:[*†‡§¶#]+|\[\s*(?:\d{1,2}|[a-z]|[*†‡]+)\s*\]|\^\d+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\(\s*\d{1,2}\s*\)))+$"
)
_MARKERS_START = re.compile(r"^(?:[*†‡§¶]+|\[\s*\d{1,2}\s*\])\s*")
_BACKTICKS = re.compile(r"^[`'\"“”‘’]+|[`'\"“”‘’]+$")
_TRAILING_PUNCT = re.compile(r"[\s,;:–—-]+$")
# A final full stop ends a sentence ("Stripe.") but belongs to "Inc." or "B.V.".
_SENTENCE_STOP = re.compile(r"(?<=[a-z]{4})\.$|(?<=[a-z][A-Z][a-z])\.$")
_NON_ENTITY = re.compile(
    r"\b(?:privacy (?:policy|notice|statement)|terms of (?:service|use)|data processing "
    r"(?:agreement|addendum)|cookie policy|contact us|inquiries|enquiries)\b",
    re.I,
)
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)
_HOSTNAME = re.compile(r"^[*.]?[\w-]+(?:\.[\w-]+){2,}(?:/\S*)?$|^[*.]\S+$|^\S+/\S+$")
_PLACEHOLDER = re.compile(
    r"^\[?\s*(?:add|insert|enter|your|tbd|todo|xxx+|placeholder|lorem ipsum|vendor name|"
    r"company name)"
    r"\b|^\{\{.*\}\}$|^<%.*%>$|^\[[^\]]*\]$",
    re.I,
)
# Words that start a sentence or a label rather than a name.
_NOT_NAMES = {
    "note",
    "notes",
    "important",
    "none",
    "n/a",
    "na",
    "-",
    "—",
    "yes",
    "no",
    "name",
    "total",
    "last updated",
    "updated",
    "effective",
    "effective date",
    "version",
    "see",
    "disclaimer",
    "subprocessors",
    "sub-processors",
    "subprocessor",
    "sub-processor",
    "not",
    "only",
    "all",
}


def fold(text: str) -> str:
    """Fold runs of whitespace (including non-breaking spaces) into one space."""
    if "\u200b" in text:
        text = text.replace("\u200b", "")
    return " ".join(text.split())  # str.split() also splits on non-breaking spaces


def clean_name(raw: str) -> str:
    """The name as published: whitespace folded, footnote markers and quotes removed."""
    name = fold(raw)
    name = _BACKTICKS.sub("", name).strip()
    for _ in range(2):
        name = _MARKERS_END.sub("", name).strip()
        name = _MARKERS_START.sub("", name).strip()
    name = _TRAILING_PUNCT.sub("", name).strip()
    return _SENTENCE_STOP.sub("", name)


def is_placeholder(name: str) -> bool:
    """True for template rows such as "[Add cloud hosting provider]"."""
    return bool(_PLACEHOLDER.search(fold(name).strip("`")))


def plausible_name(name: str) -> bool:
    """Could this be a company or service name (not a sentence, URL or hostname)?"""
    if not name or len(name) > 90 or len(name) < 2:
        return False
    if name.lower() in _NOT_NAMES or _URL.match(name) or _HOSTNAME.match(name):
        return False
    if len(name.split()) > 10:
        return False
    if name.endswith(":") or _NON_ENTITY.search(name):
        return False
    return any(ch.isalnum() for ch in name)


@lru_cache(maxsize=8192)
def _entity(name: str) -> str:
    return canonical_entity(name)


@lru_cache(maxsize=8192)
def _countries(location: str) -> tuple[str, ...]:
    return tuple(countries_in(location))


def make_row(name: str, purpose: str = "", location: str = "", section: str = "") -> Row | None:
    """Clean the fields and build a Row, or None if the name is not plausible."""
    cleaned = clean_name(name)
    if not plausible_name(cleaned) and not is_placeholder(cleaned):
        return None
    location = fold(location)
    return Row(
        name=cleaned,
        entity=_entity(cleaned),
        purpose=fold(purpose),
        location=location,
        countries=_countries(location) if location else (),
        section=fold(section),
    )


_NOT_SUB = re.compile(
    r"\bnot\s+(?:a|an|our)?\s*(?:sub[- ]?processors?|processors?)\b"
    r"|\bkein(?:e|en)?\s+(?:unter)?auftragsverarbeiter"
    r"|\bn['’]est\s+pas\s+(?:un\s+)?sous[- ]traitant"
    r"|\bno\s+es\s+(?:un\s+)?(?:sub)?encargado",
    re.I,
)


_NOT_SUB_CUES = ("not a", "not an", "not our", "not sub", "kein", "n'est pas", "n’est pas", "no es")


def not_subprocessor_heading(text: str) -> bool:
    """A heading like "Not a subprocessor: Hetzner"."""
    return bool(_NOT_SUB.search(text))


def excluded_names(text: str) -> set[str]:
    """Entities the page says are *not* subprocessors ("Hetzner is not a subprocessor")."""
    names: set[str] = set()
    lowered = text.lower()
    if not any(cue in lowered for cue in _NOT_SUB_CUES):
        return names
    for match in _NOT_SUB.finditer(text):
        before = text[max(0, match.start() - 80) : match.start()]
        after = text[match.end() : match.end() + 60]
        subject = re.search(
            r"([A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3})\s+(?:is|are|ist|est|es)\s*$", before
        )
        if subject:
            names.add(_entity(clean_name(subject.group(1))).lower())
        heading = re.match(r"\s*[:\-–—]\s*([A-Z][\w&.'-]*(?:\s+[A-Z][\w&.'-]*){0,3})", after)
        if heading:
            names.add(_entity(clean_name(heading.group(1))).lower())
    return names


@dataclass
class Candidate:
    """Rows one layout family found, with a score used to pick the best family."""

    kind: str
    rows: list[Row] = field(default_factory=list)
    weight: float = 1.0
    tier: int = 2  # 1: tables/grids/JSON with known headers; 3: weak guesses (bold in prose)

    @cached_property
    def score(self) -> float:
        good = sum(1 for r in self.rows if plausible_name(r.name) and not is_placeholder(r.name))
        detail = sum(0.5 for r in self.rows if r.purpose or r.location)
        return (good + detail) * self.weight

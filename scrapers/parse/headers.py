"""Recognise table headers and field labels by meaning, in several languages.

The vocabulary is data (``scrapers/data/headers.json``): each role (name,
purpose, location, corporate_location, ignore, negative) lists terms. A header
cell takes the role of its longest matching term.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_DATA = Path(__file__).resolve().parent.parent / "data" / "headers.json"
ROLES = ("name", "purpose", "location", "corporate_location", "ignore", "negative")
# When two roles match equally long terms, the earlier one wins.
_PRIORITY = {
    role: i
    for i, role in enumerate(
        ("negative", "location", "corporate_location", "name", "ignore", "purpose")
    )
}
_PUNCT = re.compile(r"[^\w#\s]+", re.UNICODE)
_NON_LATIN = re.compile(r"[\u0600-\u06ff\u3040-\u30ff\u3400-\u9fff]")


def normalise(text: str) -> str:
    """Lower-case, drop hyphens and soft punctuation, fold whitespace."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"(?<=\w)[-\u2010\u2011](?=\w)", "", text)
    text = _PUNCT.sub(" ", text)
    return " ".join(text.split())


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, tuple[tuple[str, bool], ...]]:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    vocab = {}
    for role in ROLES:
        terms = {normalise(t) for t in raw.get(role, []) if normalise(t) or t == "#"}
        if role == "ignore":
            terms.add("#")
        vocab[role] = tuple(
            sorted(((t, bool(_NON_LATIN.search(t))) for t in terms), key=lambda p: -len(p[0]))
        )
    return vocab


def classify(text: str) -> str | None:
    """Return the role of a header cell or field label, or None if unknown."""
    return classify_scored(text)[0]


@lru_cache(maxsize=4096)
def classify_scored(text: str) -> tuple[str | None, int]:
    """Return (role, length of the matching term); (None, 0) if unknown."""
    norm = normalise(text)
    if not norm or len(norm) > 60:
        return None, 0
    padded = f" {norm} "
    best: tuple[int, int, str] | None = None
    for role, terms in _vocabulary().items():
        for term, substring in terms:
            hit = term in norm if substring else f" {term} " in padded
            if hit:
                key = (len(term), -_PRIORITY[role], role)
                if best is None or key > best:
                    best = key
                break  # terms are sorted longest first
    return (best[2], best[0]) if best else (None, 0)


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Which column holds which field; -1 when absent."""

    name: int
    purpose: int = -1
    location: int = -1
    corporate_location: int = -1
    recognised: int = 0  # how many header cells had a known role

    def cell(self, cells: list[str], field: str) -> str:
        index = getattr(self, field)
        return cells[index] if 0 <= index < len(cells) else ""


def is_negative_header(header: list[str]) -> bool:
    """A cookie, pricing or data-category table: never a subprocessor list."""
    roles = [classify(h) for h in header]
    if "negative" not in roles:
        return False
    first = next((r for r in roles if r), None)
    return first == "negative" or "name" not in roles


def map_columns(header: list[str]) -> ColumnMap | None:
    """Map a header row to columns, or None if it is not a subprocessor table header."""
    scored = [classify_scored(h) for h in header]
    roles = [r for r, _ in scored]
    if "negative" in roles:
        first = next((r for r in roles if r), None)
        if first == "negative" or "name" not in roles:
            return None
    chosen: dict[str, int] = {}
    for index, (role, strength) in enumerate(scored):
        if role not in ("name", "purpose", "location", "corporate_location"):
            continue
        if role not in chosen or strength > scored[chosen[role]][1]:
            chosen[role] = index
    recognised = sum(1 for r in roles if r in ("name", "purpose", "location", "corporate_location"))
    if "name" not in chosen:
        # "Tool | Purpose | Country": an unlabelled first column beside known ones.
        if (
            roles
            and roles[0] is None
            and header[0].strip()
            and ("purpose" in chosen or "location" in chosen)
        ):
            chosen["name"] = 0
        else:
            return None
    if len(chosen) < 2 and len(header) > 1:
        return None
    return ColumnMap(
        name=chosen["name"],
        purpose=chosen.get("purpose", -1),
        location=chosen.get("location", -1),
        corporate_location=chosen.get("corporate_location", -1),
        recognised=recognised,
    )

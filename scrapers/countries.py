"""Country names, in the languages vendors publish in, to ISO 3166-1 alpha-2 codes.

Decisions (the data lives in ``scrapers/data/countries.json``):

* "EU" / "European Union" and "EEA" / "European Economic Area" (in every supported language)
  become the pseudo-codes ``"EU"`` and ``"EEA"``. They are kept as written rather than expanded
  to member states: a vendor that says "EU" has not told us which country, and expanding would
  make "EU" -> "EU, Ireland" look like 26 removals. ``region_members()`` expands on demand.
* "Global", "Worldwide", "Europe", "APAC" … give no code: nothing is invented, the words stay in
  the row's ``location``.
* Names match as whole words ("Jersey" inside "New Jersey" is the US state, not JE; "Niger" is not
  found in "Nigeria"). Japanese and Arabic names match as substrings (no spaces between words),
  longest first, so "インドネシア" is Indonesia and not India.
* US states and a few data-centre cities identify their country ("Frankfurt" -> DE).
* "Georgia" is the country unless the same text also names the US ("Atlanta, Georgia, USA").
* Bare two-letter codes count only when the whole text is a list of codes ("US, DE / IE"), since
  "IT", "IN" or "DE" are words too; "US", "USA", "U.S.", "UK", "UAE", "EU", "EEA" count anywhere
  but only in capitals ("contact us" names no country).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "countries.json"
PSEUDO_CODES = ("EU", "EEA")

# Scripts written without spaces between words (or with prefixes glued on) match as substrings.
_UNSPACED = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_TOKEN = re.compile(r"[^\W_]+")
_CODE_LIST = re.compile(r"^\s*[A-Z]{2,3}(?:\s*(?:,|;|/|\||&|\band\b|\s)\s*[A-Z]{2,3})*\s*\.?\s*$")

# Lower level wins when two sources claim the same spelling.
_EXPLICIT, _NAME, _PLACE, _FRAGMENT = range(4)


def _fold(text: str) -> str:
    """Case- and accent-insensitive form: "États-Unis" and "etats unis" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return stripped.casefold()


@dataclass(frozen=True)
class _Table:
    phrases: dict[tuple[str, ...], str]  # folded word tuple -> code
    longest_phrase: int
    substrings: tuple[tuple[str, str], ...]  # (folded text, code), longest first
    abbreviations: re.Pattern[str]
    abbreviation_codes: dict[str, str]
    valid_codes: frozenset[str]
    display: dict[str, dict[str, list[str]]]
    members: dict[str, tuple[str, ...]]
    ambiguous: dict[tuple[str, ...], dict[str, str]]


def _fragments(name: str) -> list[str]:
    """Shorter spellings hidden in formal names: "Korea, Republic of" -> "Korea"."""
    parts = []
    without_parens = re.sub(r"\s*[(（][^)）]*[)）]", "", name).strip()
    if without_parens != name:
        parts.append(without_parens)
        parts.extend(re.findall(r"[(（]([^)）]+)[)）]", name))
    for comma in (",", "،"):
        if comma in without_parens:
            parts.append(without_parens.split(comma)[0])
    return [p.strip() for p in parts if p.strip()]


@lru_cache(maxsize=1)
def _table() -> _Table:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    claims: dict[str, tuple[int, str | None]] = {}

    def claim(spelling: str, code: str, level: int) -> None:
        key = _fold(spelling).strip()
        if not key:
            return
        held = claims.get(key)
        if held is None or level < held[0]:
            claims[key] = (level, code)
        elif level == held[0] and held[1] != code:
            claims[key] = (level, None)  # two countries share the spelling: match neither

    for code, spellings in data["aliases"].items():
        for spelling in spellings:
            claim(spelling, code, _EXPLICIT)
    for code, by_lang in data["regions"].items():
        for spellings in by_lang.values():
            for spelling in spellings:
                claim(spelling, code, _EXPLICIT)
    for code, by_lang in data["names"].items():
        for spellings in by_lang.values():
            for spelling in spellings:
                claim(spelling, code, _NAME)
                for fragment in _fragments(spelling):
                    claim(fragment, code, _FRAGMENT)
    for code, spellings in data["places"].items():
        for spelling in spellings:
            claim(spelling, code, _PLACE)

    phrases: dict[tuple[str, ...], str] = {}
    substrings: list[tuple[str, str]] = []
    for key, (_level, code) in claims.items():
        if code is None:
            continue
        if _UNSPACED.search(key):
            substrings.append((re.sub(r"\s+", "", key), code))
        else:
            words = tuple(_TOKEN.findall(key))
            if words:
                phrases[words] = code
    substrings.sort(key=lambda item: -len(item[0]))

    abbreviation_codes = {
        spelling: code
        for code, spellings in data["abbreviations"].items()
        for spelling in spellings
    }
    alternatives = "|".join(re.escape(s) for s in sorted(abbreviation_codes, key=len, reverse=True))
    display = dict(data["names"])
    display.update(data["regions"])
    return _Table(
        phrases=phrases,
        longest_phrase=max(len(p) for p in phrases),
        substrings=tuple(substrings),
        abbreviations=re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])"),
        abbreviation_codes=abbreviation_codes,
        valid_codes=frozenset(data["names"]) | frozenset(PSEUDO_CODES),
        display=display,
        members={k: tuple(v) for k, v in data["region_members"].items()},
        ambiguous={tuple(_TOKEN.findall(_fold(k))): v for k, v in data["ambiguous"].items()},
    )


def _code_list(text: str, table: _Table) -> set[str] | None:
    """``"US, DE / IE"`` -> {"US", "DE", "IE"}; None unless the whole text is such a list."""
    if not _CODE_LIST.match(text):
        return None
    tokens = [t for t in re.findall(r"[A-Z]{2,3}", text) if t != "AND"]
    codes = [table.abbreviation_codes.get(t, t) for t in tokens]
    if codes and all(c in table.valid_codes for c in codes):
        return set(codes)
    return None


@lru_cache(maxsize=8192)
def countries_in(text: str) -> tuple[str, ...]:
    """Return the sorted, unique ISO codes (plus "EU"/"EEA") of the places named in ``text``."""
    if not text or not text.strip():
        return ()
    table = _table()
    listed = _code_list(text, table)
    if listed is not None:
        return tuple(sorted(listed))

    found: set[str] = set()
    text = unicodedata.normalize("NFC", text)
    folded = _fold(text)
    if _UNSPACED.search(folded):
        compact = re.sub(r"\s+", "", folded)
        for spelling, code in table.substrings:
            if spelling in compact:
                found.add(code)
                # Consume the span so "インド" is not found again inside "インドネシア".
                compact = compact.replace(spelling, "\0")

    # Words keep their span in ``text`` so an abbreviation inside a matched name ("US Virgin
    # Islands") is not counted a second time.
    words = [
        (piece, m.start(), m.end())
        for m in _TOKEN.finditer(text)
        for piece in _TOKEN.findall(_fold(m.group()))
    ]
    matched_spans: list[tuple[int, int]] = []
    seen_ambiguous: list[dict[str, str]] = []
    i = 0
    while i < len(words):
        # Longest phrase first: "new jersey" before "jersey", "papua new guinea" before "guinea".
        for size in range(min(table.longest_phrase, len(words) - i), 0, -1):
            phrase = tuple(w for w, _, _ in words[i : i + size])
            code = table.phrases.get(phrase)
            if code is not None:
                found.add(code)
                if size > 1:
                    matched_spans.append((words[i][1], words[i + size - 1][2]))
                if phrase in table.ambiguous:
                    seen_ambiguous.append(table.ambiguous[phrase])
                i += size
                break
        else:
            i += 1

    for match in table.abbreviations.finditer(text):
        if not any(start <= match.start() < end for start, end in matched_spans):
            found.add(table.abbreviation_codes[match.group(0)])

    for rule in seen_ambiguous:
        if rule["when_also"] in found:
            found.discard(rule["default"])
            found.add(rule["means"])
    return tuple(sorted(found))


def country_name(code: str, lang: str = "en") -> str:
    """Display name of ``code`` in ``lang`` (falling back to English, then to the code itself)."""
    names = _table().display.get(code.upper())
    if not names:
        return code
    return (names.get(lang) or names["en"])[0]


def region_members(code: str) -> tuple[str, ...]:
    """Member states of a pseudo-code ("EU", "EEA"); a plain country code stands for itself."""
    return _table().members.get(code.upper(), (code.upper(),))

"""Canonical entity names: the key that says two published rows are the same subprocessor.

``canonical_entity`` turns a name as published into a stable, readable name:

1. whitespace folded, footnote markers and Markdown emphasis dropped;
2. bracketed parts split off: "Google Cloud Platform (GCP)" -> "Google Cloud Platform" + "GCP",
   "NexMo (aka Vonage)" -> "NexMo" + "Vonage";
3. legal suffixes removed from the end, repeatedly ("Adish Co., Ltd." -> "Adish");
4. the alias table (``data/entity_aliases.json``) looked up for the main part, so
   "Microsoft (Azure)" and "Azure (Microsoft)" are both "Microsoft" and "SendGrid (Twilio Inc.)"
   is "Twilio". Brackets never decide on their own: "MongoDB Atlas (AWS)" is hosted on AWS, it is
   not AWS (the diff still pairs "Foo (Bar)" with a later "Bar (Foo)", see ``similar_entities``);
5. otherwise the cleaned main part, with its published capitalisation.

``entity_key`` is the comparison form (case, accents, punctuation and spaces ignored), so "npm"
and "Npm, Inc." are one entity even though their readable names differ in case.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

DATA_FILE = Path(__file__).parent / "data" / "entity_aliases.json"

# Conservative: "Intercomm" ~ "Intercom" (94), "Mailgun Technology" ~ "Mailgun Technologies";
# "GitHub India" vs "GitHub Canada" (~70) and "Mailjet" vs "Mailgun" (~57) stay apart.
FUZZY_THRESHOLD = 90.0
_FUZZY_MIN_LENGTH = 6

# Written as they are usually published; dots and spaces inside them are optional when matching.
_LEGAL_SUFFIXES = (
    "GmbH & Co. KG",
    "Pty Ltd",
    "Pte Ltd",
    "Pvt Ltd",
    "Private Limited",
    "Sdn Bhd",
    "Unlimited Company",
    "S.à r.l.",
    "S.a.r.l.",
    "S. de R.L. de C.V.",
    "S.A. de C.V.",
    "Inc",
    "Incorporated",
    "LLC",
    "L.L.C.",
    "Ltd",
    "Limited",
    "GmbH",
    "mbH",
    "AG",
    "KG",
    "UG",
    "S.A.",
    "S.A.S.",
    "SAS",
    "SASU",
    "SARL",
    "S.L.",
    "S.L.U.",
    "S.A.U.",
    "S.p.A.",
    "S.r.l.",
    "B.V.",
    "N.V.",
    "Pty",
    "Pte",
    "plc",
    "K.K.",
    "G.K.",
    "Co",
    "Corp",
    "Corporation",
    "Company",
    "ULC",
    "LLP",
    "LP",
    "PBC",
    "AB",
    "AS",
    "A/S",
    "ApS",
    "Oy",
    "Oyj",
    "SE",
    "Ltda",
    "DAC",
    "e.V.",
    "PLLC",
    "Sp. z o.o.",
    "s.r.o.",
    "d.o.o.",
    "Kft",
    "Zrt",
    "OÜ",
    "UAB",
    "SIA",
    "BVBA",
    "Kabushiki Kaisha",
    "Godo Kaisha",
    "株式会社",
    "合同会社",
)
_JAPANESE_PREFIX = re.compile(r"^(?:株式会社|合同会社)\s*")
_FOOTNOTE = re.compile(r"(?:\s*(?:\[\d+\]|\(\d+\)|[*†‡¹²³⁴⁵⁶⁷⁸⁹⁰]+))+\s*$")
_BRACKET = re.compile(r"[(\[（]([^)\]）]*)[)\]）]")
_ALIAS_LEAD = re.compile(
    r"^(?:aka|a\.k\.a\.?|also known as|formerly|previously|dba|d/b/a|doing business as|"
    r"trading as|t/a|now|part of|a|an|subsidiary of|owned by)\s+",
    re.I,
)
# "The Rocket Science Group LLC d/b/a Mailchimp" is written like "... (Mailchimp)".
_INLINE_ALIAS = re.compile(
    r"\s+(?:d/b/a|dba|aka|a\.k\.a\.?|trading as|t/a|doing business as|also known as)\s+(.+)$", re.I
)
_DOMAIN_TAIL = re.compile(r"\.(?:com|io|net|org|co)$", re.I)


def _suffix_pattern(suffix: str) -> str:
    if " " not in suffix and "." not in suffix and "/" not in suffix and "&" not in suffix:
        return re.escape(suffix) + r"\.?"
    pieces = []
    for ch in suffix:
        if ch == ".":
            pieces.append(r"\.?")
        elif ch == " ":
            pieces.append(r"\.?,?\s*")
        else:
            pieces.append(re.escape(ch))
    return "".join(pieces)


_SUFFIX_RE = re.compile(
    r"(?:[\s,]+|(?<=[\u3040-\u9fff]))(?:"
    + "|".join(_suffix_pattern(s) for s in sorted(_LEGAL_SUFFIXES, key=len, reverse=True))
    + r")\s*[.,]?\s*$",
    re.I,
)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn").casefold()


def _clean(name: str) -> str:
    name = name.replace("\u00a0", " ").replace("**", "").replace("__", "")
    name = " ".join(name.split())
    name = _FOOTNOTE.sub("", name)
    name = _INLINE_ALIAS.sub(r" (\1)", name)
    return name.strip(" ,;:-–—")


def strip_legal_suffix(name: str) -> str:
    """ "Amazon Web Services, Inc." -> "Amazon Web Services"; never strips a name to nothing."""
    name = _JAPANESE_PREFIX.sub("", name).strip() or name
    while True:
        shorter = _SUFFIX_RE.sub("", name).strip(" ,")
        if shorter == name or not shorter:
            return name
        name = shorter


def _split(name: str) -> tuple[str, list[str]]:
    """Main part and bracketed alternatives, alias lead-ins removed."""
    alternatives = [_ALIAS_LEAD.sub("", part).strip() for part in _BRACKET.findall(name)]
    main = " ".join(_BRACKET.sub(" ", name).split()).strip(" ,;:-–—")
    return main, [a for a in alternatives if a]


def _words(text: str) -> str:
    text = _DOMAIN_TAIL.sub("", text.strip())
    folded = _fold(text).replace("&", " and ")
    words = re.findall(r"[^\W_]+", folded)
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def entity_key(name: str) -> str:
    """Comparison form of an entity or name: "Hewlett-Packard" == "hewlett packard"."""
    return _words(name).replace(" ", "")


@dataclass(frozen=True)
class _Group:
    entity: str
    company: str


@dataclass(frozen=True)
class _Aliases:
    exact: dict[str, _Group]  # entity_key of the suffix-free alias -> group
    prefixes: tuple[tuple[str, _Group], ...]  # longest first
    by_entity: dict[str, _Group]  # entity_key(entity) -> group


@lru_cache(maxsize=1)
def _aliases() -> _Aliases:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    exact: dict[str, _Group] = {}
    prefixes: list[tuple[str, _Group]] = []
    by_entity: dict[str, _Group] = {}
    for raw in data["groups"]:
        group = _Group(raw["entity"], raw["company"])
        by_entity[entity_key(group.entity)] = group
        for alias in [raw["entity"], *raw["aliases"]]:
            exact[entity_key(strip_legal_suffix(alias))] = group
        for prefix in raw.get("prefixes", []):
            prefixes.append((_words(prefix), group))
    prefixes.sort(key=lambda item: -len(item[0]))
    return _Aliases(exact, tuple(prefixes), by_entity)


def _lookup(part: str) -> _Group | None:
    words = _words(strip_legal_suffix(part))
    if not words:
        return None
    table = _aliases()
    compact = words.replace(" ", "")
    if compact in table.exact:
        return table.exact[compact]
    for prefix, group in table.prefixes:
        if words.startswith(prefix + " "):
            return group
    return None


@lru_cache(maxsize=32768)
def _resolve(name: str) -> tuple[str, _Group | None]:
    cleaned = _clean(name)
    main, alternatives = _split(cleaned)
    if not main:  # the whole name was in brackets
        main, alternatives = (alternatives[0], alternatives[1:]) if alternatives else (cleaned, [])
    group = _lookup(main)
    # A bracket only decides when the main part is in the table too ("Microsoft (Azure)"). An
    # unknown main part keeps its own name: "MongoDB Atlas (AWS)" is hosted on AWS, not AWS.
    if group is not None:
        return group.entity, group
    return strip_legal_suffix(main) or cleaned, None


def canonical_entity(name: str) -> str:
    """Stable, readable canonical entity for a published name ("GCP" -> "Google Cloud")."""
    return _resolve(name)[0]


def company_of(name: str) -> str:
    """Parent company used for watch rules: "Google Analytics" -> "Google"."""
    entity, group = _resolve(name)
    if group is None:
        group = _aliases().by_entity.get(entity_key(entity))
    return group.company if group else entity


def name_tokens(name: str) -> frozenset[str]:
    """Significant words of a published name, brackets included, legal suffixes excluded.

    "Azure (Microsoft)" and "Microsoft (Azure)" give the same set; used to tell a rewording from
    a rename.
    """
    main, alternatives = _split(_clean(name))
    words: set[str] = set()
    for part in [main, *alternatives]:
        words.update(_words(strip_legal_suffix(part)).split())
    return frozenset(_singular(w) for w in words)


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=32768)
def similar_entities(a: str, b: str, threshold: float = FUZZY_THRESHOLD) -> bool:
    """Fuzzy "same entity": equal keys, the same words reordered, or a near-identical spelling."""
    key_a, key_b = entity_key(canonical_entity(a)), entity_key(canonical_entity(b))
    if key_a == key_b:
        return True
    if name_tokens(a) == name_tokens(b) and name_tokens(a):
        return True  # "Foo (Bar)" reworded as "Bar (Foo)"
    if min(len(key_a), len(key_b)) < _FUZZY_MIN_LENGTH:
        return False  # short names differ by a letter too easily ("Sinch" / "Zinch")
    if re.sub(r"\D", "", key_a) != re.sub(r"\D", "", key_b):
        return False  # "Region 1" is not "Region 2"
    return fuzz.ratio(key_a, key_b) >= threshold


def entities_match(a: str, b: str) -> bool:
    """Whether a watched entity ``a`` covers ``b``: same entity, same company, or fuzzy-equal.

    Watching "Google Cloud" matches a change to "Google LLC" (one entity) and to "Google
    Analytics" (one company); watching "Acme" does not match "Acme Analytics".
    """
    if not a.strip() or not b.strip():
        return False
    if entity_key(company_of(a)) == entity_key(company_of(b)):
        return True
    return similar_entities(a, b)


def is_aliased(name: str) -> bool:
    """Whether ``name`` resolves through the alias table (a known large provider)."""
    return _resolve(name)[1] is not None

"""Bullet lists and <br>-separated lines.

Item shapes: "Name – purpose – location", "Name: purpose", "[Name](link). Purpose.",
"[Name](link) for purpose.", "Name (https://…). Purpose." and bare names. A list
counts only under a heading or paragraph that talks about subprocessors, or when
most of its items have the "name – purpose" shape, so navigation lists and lists
of hostnames are left alone.
"""

from __future__ import annotations

import re

from scrapers.parse.htmldoc import BLOCK_TAGS, Block, text_of
from scrapers.parse.rowbuild import (
    Candidate,
    clean_name,
    fold,
    make_row,
    not_subprocessor_heading,
    plausible_name,
)
from scrapers.parse.tables import _CONTEXT
from scrapers.rows import Row

_SEPARATORS = re.compile(r"\s+[–—-]\s+|\s+\|\s+|\t|:\s+")
_URL_PAREN = re.compile(r"\s*\(\s*(?:https?://|www\.|<)[^)]*\)")
_LEGAL_ABBR = re.compile(
    r"\b(?:inc|ltd|co|corp|llc|plc|s\.a|b\.v|n\.v|s\.r\.l|gmbh|pty|p\.b\.c|a\.s|e\.v|u\.s|l\.p|s\.l)$",
    re.I,
)
_LOCATED = re.compile(
    r"\b(?:located|based|hosted|headquartered|stored|processed|situated)\s+in\s+(?:the\s+)?"
    r"([^.:;]+?)\s*(?:[.:;)]|$)",
    re.I,
)
_LEAD_TAGS = ("a", "strong", "b", "em", "code")
_HOSTISH = re.compile(r"^[*.]|^\S+\.\S+\.\S+$|/")


def _item_parts(li) -> tuple[str, str]:
    """(lead, rest): the linked or bold lead text of an item, and what follows it."""
    children = [c for c in li if isinstance(c.tag, str)]
    text_before = (li.text or "").strip()
    if children and not text_before and children[0].tag in _LEAD_TAGS:
        lead_el = children[0]
        if lead_el.tag == "a" or lead_el.tag in ("strong", "b"):
            inner = [c for c in lead_el if isinstance(c.tag, str)]
            lead = text_of(lead_el, lines=False)
            if inner and inner[0].tag == "a":
                lead = text_of(inner[0], lines=False)
            rest = _text_after(li, lead_el)
            return lead, rest
    return "", _own_text(li)


def _own_text(li) -> str:
    parts = [li.text or ""]
    for child in li:
        if isinstance(child.tag, str) and child.tag in ("ul", "ol", "dl", "table"):
            break
        parts.append(text_of(child, lines=False) if isinstance(child.tag, str) else "")
        parts.append(child.tail or "")
    return fold(" ".join(parts))


def _text_after(li, lead_el) -> str:
    parts = [lead_el.tail or ""]
    seen = False
    for child in li:
        if child is lead_el:
            seen = True
            continue
        if not seen:
            continue
        if isinstance(child.tag, str) and child.tag in ("ul", "ol", "dl", "table"):
            break
        if isinstance(child.tag, str):
            parts.append(text_of(child, lines=False))
        parts.append(child.tail or "")
    return fold(" ".join(parts))


_DOC_SUFFIX = re.compile(
    r"\s+(?:data processing (?:agreement|addendum)|dpa|compliance information|"
    r"privacy (?:policy|notice)|security (?:page|information)|terms(?: of (?:service|use))?|"
    r"gdpr(?: center| page)?)$",
    re.I,
)


def split_item(text: str) -> tuple[str, str, str]:
    """Split "Name – purpose – location" style text into (name, purpose, location)."""
    text = _URL_PAREN.sub("", fold(text))
    bracket = re.match(r"^\[([^\]]{2,80})\]\s*(.*)$", text)
    if bracket:  # "[Name] (link) Purpose": a Markdown link broken by a space
        purpose, location = _rest_fields(bracket.group(2))
        return bracket.group(1), purpose, location
    parts = [p.strip() for p in _SEPARATORS.split(text, maxsplit=2) if p.strip()]
    if len(parts) >= 2 and len(parts[0].split()) <= 8:
        name, purpose = parts[0], parts[1].rstrip(".")
        location = parts[2].rstrip(".") if len(parts) > 2 else ""
        return name, purpose, location
    sentence = _split_sentence(text)
    if sentence:
        return sentence[0], sentence[1], ""
    return text, "", ""


def _split_sentence(text: str) -> tuple[str, str] | None:
    """ "Name. Purpose." where the first full stop does not end "Inc." and the like."""
    for match in re.finditer(r"\.\s+", text):
        head = text[: match.start()]
        if _LEGAL_ABBR.search(head) or len(head.split()) > 8:
            continue
        return head, text[match.end() :].rstrip(".")
    return None


def _rest_fields(rest: str) -> tuple[str, str]:
    """Purpose and location from the text after a linked or bold lead."""
    rest = _URL_PAREN.sub("", rest).strip()
    rest = re.sub(r"^[\s.,:;–—|-]+", "", rest)
    rest = re.sub(r"^(?:for|used for|provides?)\s+", "", rest, flags=re.I)
    parts = [p.strip() for p in re.split(r"\s+[–—-]\s+|\s+\|\s+", rest) if p.strip()]
    if len(parts) >= 2:
        return parts[0].rstrip("."), parts[1].rstrip(".")
    located = _LOCATED.search(rest)
    location = located.group(1) if located else ""
    return rest.rstrip("."), location


def item_row(li, section: str, context_location: str) -> Row | None:
    lead, rest = _item_parts(li)
    if lead:
        name = _DOC_SUFFIX.sub("", lead) or lead
        purpose, location = _rest_fields(rest)
    else:
        name, purpose, location = split_item(rest)
        if not purpose:
            located = _LOCATED.search(name)
            if located:
                return None  # a sentence, not a name
    if _HOSTISH.search(clean_name(name)) and " " not in clean_name(name):
        return None
    if not lead and not purpose and len(name.split()) > 6:
        return None
    return make_row(name, purpose, location or context_location, section)


def context_location(text: str) -> str:
    """ "These subprocessors are located in the United States:" -> "United States"."""
    located = _LOCATED.search(text or "")
    return located.group(1).strip() if located else ""


def extract_lists(blocks: list[Block]) -> Candidate:
    rows: list[Row] = []
    structured = 0
    for index, block in enumerate(blocks):
        if block.kind != "list" or not_subprocessor_heading(block.section):
            continue
        intro = _intro(blocks, index)
        items = [li for li in block.el if li.tag == "li"]
        if not items:
            continue
        where = context_location(intro)
        got = [item_row(li, block.section, where) for li in items]
        good = [r for r in got if r and plausible_name(r.name)]
        if len(good) < max(1, 0.6 * len(items)):
            continue
        good = list(dict.fromkeys(good))
        with_purpose = sum(1 for r in good if r.purpose)
        if not _CONTEXT.search(intro) and with_purpose < 0.6 * len(good):
            continue
        structured += with_purpose
        rows += good
    if rows and structured >= 0.6 * len(rows):
        return Candidate("lists", rows, weight=1.6)
    return Candidate("lists", rows, weight=1.1, tier=3)


def _intro(blocks: list[Block], index: int) -> str:
    """The heading and paragraph just above a list: where its context comes from."""
    texts = [blocks[index].section]
    for back in range(index - 1, max(-1, index - 3), -1):
        prev = blocks[back]
        if prev.kind == "para":
            texts.append(text_of(prev.el, lines=False)[:400])
        elif prev.kind == "heading":
            texts.append(prev.text)
            break
        else:
            break
    return " ".join(texts)


def extract_lines(blocks: list[Block]) -> Candidate:
    """Paragraphs whose <br>-separated lines read "Name – purpose – location"."""
    rows: list[Row] = []
    for block in blocks:
        if block.kind != "para" or not_subprocessor_heading(block.section):
            continue
        if not any(isinstance(c.tag, str) and c.tag == "br" for c in block.el.iter()):
            continue
        lines = text_of(block.el).split("\n")
        if len(lines) < 2:
            continue
        got = []
        for line in lines:
            name, purpose, location = split_item(line)
            if purpose:
                row = make_row(name, purpose, location, block.section)
                if row:
                    got.append(row)
        if len(got) >= max(2, 0.6 * len(lines)):
            rows += got
    return Candidate("lines", rows, weight=1.4)


__all__ = ["extract_lines", "extract_lists", "split_item", "BLOCK_TAGS"]

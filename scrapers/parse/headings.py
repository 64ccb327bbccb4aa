"""Prose layouts: heading per entity, definition lists, bold-led paragraphs, bold names in prose.

- Heading per entity (jsdelivr, qfieldcloud): <h3>Name</h3> then paragraphs,
  maybe "Purpose: …" / "Location: …" lines. The heading level whose headings
  most often name something their body talks about is the entity level.
- Definition lists (readthedocs): <dt>Name</dt><dd>purpose</dd>.
- Bold-led paragraphs (toit): <p><b>Name</b><br>Entity Location: USA</p>.
- Bold names in prose (fortrabbit): "… runs on **Amazon Web Services** …"; the
  heading above gives the purpose. The weakest layout, used only when nothing
  structured is found.
"""

from __future__ import annotations

import re

from scrapers.parse.headers import classify
from scrapers.parse.htmldoc import Block, text_of
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

_LABEL = re.compile(r"^\s*([^:：]{2,40})[:：]\s*(.*)$")
_BOLD = ("strong", "b")
_SKIP_HEADINGS = re.compile(
    r"^(?:version|versions|changelog|change log|updates?|contact|contact us|introduction|overview|"
    r"definitions?|disclaimer|summary|history|notes?|faq|table of contents|related|links|"
    r"last updated.*|effective.*)$",
    re.I,
)
MAX_BODY = 1500


def labelled_fields(lines: list[str]) -> tuple[dict[str, str], list[str]]:
    """Split "Purpose: …" / "Location: …" lines from free text."""
    fields: dict[str, str] = {}
    free: list[str] = []
    for line in lines:
        match = _LABEL.match(line)
        role = classify(match.group(1)) if match else None
        if match and role in ("purpose", "location", "corporate_location") and match.group(2):
            fields.setdefault(role, match.group(2).strip())
        else:
            free.append(line)
    if "location" not in fields and "corporate_location" in fields:
        fields["location"] = fields["corporate_location"]
    return fields, free


def _first_sentence(text: str) -> str:
    text = fold(text)
    match = re.search(r"(?<![A-Z])[.!?](?=\s|$)", text)
    sentence = text[: match.end()] if match else text
    return sentence[:300]


def _mentions(name: str, body: str) -> bool:
    """The body names the heading as written ("Exoscale is running …"), not just its topic."""
    bare = re.sub(r"\s*\([^)]*\)", "", clean_name(name)).strip()
    return len(bare) >= 2 and re.search(rf"(?<!\w){re.escape(bare)}(?!\w)", body) is not None


def extract_headings(blocks: list[Block]) -> Candidate:
    """One heading (or bold-only paragraph) per entity, with its body below it."""
    units = _units(blocks)
    by_level: dict[int, list[tuple[str, str, list[str]]]] = {}
    for level, name, parent, body in units:
        if _SKIP_HEADINGS.match(name) or _CONTEXT.search(name) or not_subprocessor_heading(parent):
            continue
        cleaned = clean_name(name)
        if not plausible_name(cleaned) or len(cleaned.split()) > 8 or not body:
            continue
        fields, free = labelled_fields(body)
        if not fields and not _mentions(cleaned, " ".join(body)[:MAX_BODY]):
            continue
        by_level.setdefault(level, []).append((name, parent, body))
    if not by_level:
        return Candidate("headings", [])
    level = max(by_level, key=lambda lv: len(by_level[lv]))
    if len(by_level[level]) < 2:
        return Candidate("headings", [])
    rows: list[Row] = []
    for name, parent, body in by_level[level]:
        fields, free = labelled_fields(body)
        purpose = fields.get("purpose") or (_first_sentence(free[0]) if free else "")
        row = make_row(name, purpose, fields.get("location", ""), parent)
        if row:
            rows.append(row)
    return Candidate("headings", rows, weight=1.5)


def _units(blocks: list[Block]):
    """(level, heading text, parent heading text, body lines) for each heading-like block."""
    units = []
    stack: list[tuple[int, str]] = []
    current = None
    for block in blocks:
        level, title = _heading_like(block)
        if level:
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1][1] if stack else ""
            stack.append((level, title))
            current = [level, title, parent, []]
            units.append(current)
            continue
        if current is None or sum(len(x) for x in current[3]) > MAX_BODY:
            continue
        current[3].extend(text_of(block.el).split("\n"))
    return [(lv, t, p, [b for b in body if b]) for lv, t, p, body in units]


def _heading_like(block: Block) -> tuple[int, str]:
    if block.kind == "heading":
        return block.level, block.text
    if block.kind == "para":
        el = block.el
        kids = [c for c in el if isinstance(c.tag, str)]
        if (
            len(kids) == 1
            and kids[0].tag in _BOLD
            and not (el.text or "").strip()
            and not (kids[0].tail or "").strip()
        ):
            return 8, text_of(kids[0], lines=False)
    return 0, ""


def extract_definitions(blocks: list[Block]) -> Candidate:
    rows: list[Row] = []
    for block in blocks:
        if block.kind != "dl" or not_subprocessor_heading(block.section):
            continue
        name = None
        body: list[str] = []
        pairs = []
        for child in block.el:
            if child.tag == "dt":
                if name is not None:
                    pairs.append((name, body))
                name, body = text_of(child, lines=False), []
            elif child.tag == "dd" and name is not None:
                body.extend(text_of(child).split("\n"))
        if name is not None:
            pairs.append((name, body))
        for dt, dd in pairs:
            fields, free = labelled_fields(dd)
            purpose = fields.get("purpose") or " ".join(free)
            row = make_row(dt, purpose, fields.get("location", ""), block.section)
            if row:
                rows.append(row)
    return Candidate("definitions", rows, weight=1.5)


def extract_bold_led(blocks: list[Block]) -> Candidate:
    """<p><b>Name</b><br>Entity Location: USA</p> paragraphs."""
    rows: list[Row] = []
    for block in blocks:
        if block.kind != "para" or not_subprocessor_heading(block.section):
            continue
        el = block.el
        kids = [c for c in el if isinstance(c.tag, str)]
        if not kids or kids[0].tag not in _BOLD or (el.text or "").strip():
            continue
        if len(kids) < 2 or kids[1].tag != "br" or (kids[0].tail or "").strip():
            continue
        lines = text_of(el).split("\n")
        name, rest = lines[0], lines[1:]
        fields, free = labelled_fields(rest)
        if not fields and not _CONTEXT.search(block.section):
            continue
        purpose = fields.get("purpose") or " ".join(free)
        row = make_row(name, purpose, fields.get("location", ""), block.section)
        if row:
            rows.append(row)
    return Candidate("bold-led", rows if len(rows) >= 2 else [], weight=1.5)


def extract_bold_prose(blocks: list[Block]) -> Candidate:
    """Names set in bold inside running prose, under topic headings."""
    rows: list[Row] = []
    seen: set[str] = set()
    for block in blocks:
        if block.kind != "para" or not block.section or not_subprocessor_heading(block.section):
            continue
        bolds = [c for c in block.el.iter(*_BOLD)]
        if not bolds:
            continue
        text = text_of(block.el, lines=False)
        for bold in bolds:
            name = clean_name(text_of(bold, lines=False))
            if (
                not plausible_name(name)
                or len(name.split()) > 5
                or not _name_case(name)
                or len(text) - len(name) < 40
                or name.isupper()
                and len(name) > 5
                or name.lower() in seen
            ):
                continue
            seen.add(name.lower())
            row = make_row(name, block.section, "", block.section)
            if row:
                rows.append(row)
    return Candidate("bold-prose", rows if len(rows) >= 2 else [], weight=0.7, tier=3)


def _name_case(name: str) -> bool:
    """Proper-noun casing: "Google Analytics", "hCaptcha", not "30 days in advance"."""
    words = name.split()
    capital = sum(1 for w in words if w[0].isupper() or any(c.isupper() for c in w[1:]))
    return name[0].isalpha() and capital >= max(1, len(words) / 2)

"""JSON documents: the longest array of objects whose keys name the entity.

Keys are read with the same header vocabulary as tables ("name", "entity",
"purpose", "location", "countries", …); list values are joined. An object that
maps category names to arrays gives those names as sections.
"""

from __future__ import annotations

import json

from scrapers.parse.headers import classify
from scrapers.parse.rowbuild import Candidate, make_row
from scrapers.rows import Row

MAX_DEPTH = 8


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        for key in ("name", "label", "value", "text"):
            if key in value:
                return _text(value[key])
        return ""
    return str(value)


def _arrays(node, section: str, depth: int = 0):
    """Yield (section, array of dicts) found anywhere in the document."""
    if depth > MAX_DEPTH:
        return
    if isinstance(node, list):
        if node and all(isinstance(x, dict) for x in node):
            yield section, node
        for item in node:
            if isinstance(item, (dict, list)):
                yield from _arrays(item, section, depth + 1)
    elif isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, (dict, list)):
                yield from _arrays(value, str(key), depth + 1)


def _rows(items: list[dict], section: str) -> list[Row]:
    keys: dict[str, str] = {}
    for item in items[:20]:
        for key in item:
            role = classify(str(key).replace("_", " "))
            if role in ("name", "purpose", "location", "corporate_location"):
                keys.setdefault(role, key)
    if "name" not in keys:
        return []
    rows = []
    for item in items:
        location = _text(item.get(keys.get("location"))) or _text(
            item.get(keys.get("corporate_location"))
        )
        row = make_row(
            _text(item.get(keys["name"])),
            _text(item.get(keys.get("purpose"))),
            location,
            _text(item.get("section") or item.get("category")) or section,
        )
        if row:
            rows.append(row)
    return rows


def parse_json_text(text: str) -> Candidate:
    """Rows from a JSON document; raises ValueError when it is not JSON."""
    data = json.loads(text)
    rows: list[Row] = []
    sections_seen = 0
    best: list[Row] = []
    for section, items in _arrays(data, ""):
        got = _rows(items, section)
        if got and section and len(got) == len(items):
            rows += got  # a category -> array map: keep every category
            sections_seen += 1
        if len(got) > len(best):
            best = got
    chosen = rows if sections_seen > 1 and len(rows) > len(best) else best
    return Candidate("json", chosen, weight=3.0, tier=1)

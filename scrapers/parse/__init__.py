"""Turn a fetched document into rows, with no per-vendor configuration.

``parse_document`` sniffs the format (HTML, Markdown/MDX, reStructuredText,
PDF, JSON), renders everything but JSON to HTML, runs each layout family's
extractor (tables, grids, lists, <br> lines, headings, definition lists,
bold-led paragraphs, bold names in prose) and keeps the best-scoring one.
When nothing is found, ``ParseResult.no_list_reason`` says why ("bot check",
"available on request", …) so it never reads as "every subprocessor removed".
"""

from __future__ import annotations

import codecs
import re

from cssselect import SelectorError

from scrapers.parse import nolist
from scrapers.parse.grids import extract_grids
from scrapers.parse.headings import (
    extract_bold_led,
    extract_bold_prose,
    extract_definitions,
    extract_headings,
)
from scrapers.parse.htmldoc import HintNotFound, Page, load_html
from scrapers.parse.lists import extract_lines, extract_lists
from scrapers.parse.markdown import looks_like_markdown, markdown_to_html
from scrapers.parse.rowbuild import Candidate, excluded_names, not_subprocessor_heading
from scrapers.parse.rst import looks_like_rst, rst_to_html
from scrapers.parse.tables import extract_tables
from scrapers.rows import ParseResult, Row

FORMATS = ("auto", "html", "markdown", "rst", "pdf", "json")
# Tie-break order when two families score the same: the more structured wins.
_ORDER = (
    "json",
    "tables",
    "grids",
    "definitions",
    "headings",
    "bold-led",
    "lists",
    "lines",
    "bold-prose",
)
MIN_SCORE = 1.0


class ParseError(ValueError):
    """The call itself is wrong: an unknown ``fmt`` or an invalid ``hint`` selector."""


def parse_document(
    body: bytes | str,
    *,
    content_type: str = "",
    url: str = "",
    fmt: str = "auto",
    hint: str = "",
) -> ParseResult:
    """Parse ``body`` (HTML, Markdown, reStructuredText, PDF or JSON; "auto" sniffs) into rows."""
    if fmt not in FORMATS:
        raise ParseError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    raw = body if isinstance(body, bytes) else None
    if fmt == "auto":
        fmt = sniff(body, content_type=content_type, url=url)
    if fmt == "pdf":
        return _parse_pdf(raw if raw is not None else body.encode("latin-1", "replace"), hint)
    text = body if isinstance(body, str) else decode(body, content_type)
    if _is_binary(text):
        return ParseResult(no_list_reason=nolist.UNREADABLE)
    if fmt == "json":
        return _parse_json(text)
    if fmt == "markdown":
        return parse_html(markdown_to_html(text), hint)
    if fmt == "rst":
        return parse_html(rst_to_html(text), hint)
    return parse_html(text, hint)


def parse_html(markup: str, hint: str = "") -> ParseResult:
    """Rows from HTML: every layout family is tried and the best-scoring one kept."""
    try:
        page = load_html(markup, hint)
    except HintNotFound:
        return ParseResult(no_list_reason=f"the selector hint {hint!r} matched nothing on the page")
    except SelectorError as exc:
        raise ParseError(f"invalid selector hint {hint!r}: {exc}") from exc
    best = best_candidate(page)
    text = page.text()
    rows = _drop_excluded(best.rows if best else [], text)
    if rows:
        reason = nolist.reason_with_rows(text, page.title, rows)
        return ParseResult(rows=[] if reason else rows, no_list_reason=reason)
    links = len(page.root.xpath(".//a[@href]"))
    reason = nolist.reason_without_rows(
        text,
        title=page.title,
        had_templates=page.had_templates,
        meta_refresh=page.meta_refresh,
        links=links,
    )
    return ParseResult(rows=[], no_list_reason=reason)


def candidates(page: Page) -> list[Candidate]:
    blocks = page.blocks
    return [
        extract_tables(blocks),
        extract_grids(page, blocks),
        extract_definitions(blocks),
        extract_headings(blocks),
        extract_bold_led(blocks),
        extract_lists(blocks),
        extract_lines(blocks),
        extract_bold_prose(blocks),
    ]


def best_candidate(page: Page) -> Candidate | None:
    found = [c for c in candidates(page) if c.rows and c.score >= MIN_SCORE]
    if not found:
        return None
    tier = min(c.tier for c in found)
    return max((c for c in found if c.tier == tier), key=lambda c: (c.score, -_ORDER.index(c.kind)))


def _drop_excluded(rows: list[Row], text: str) -> list[Row]:
    """Drop entities the page names as "not a subprocessor", and exact duplicate rows."""
    excluded = excluded_names(text) if "not" in text.lower() else set()
    out = []
    seen = set()
    for row in rows:
        if row.entity.lower() in excluded or not_subprocessor_heading(row.section):
            continue
        if row in seen:
            continue
        seen.add(row)
        out.append(row)
    return out


def _parse_json(text: str) -> ParseResult:
    from scrapers.parse.jsondoc import parse_json_text

    try:
        candidate = parse_json_text(text)
    except ValueError:
        return ParseResult(no_list_reason=nolist.UNREADABLE)
    if not candidate.rows:
        return ParseResult(no_list_reason=nolist.NOT_FOUND)
    reason = nolist.reason_with_rows("", "", candidate.rows)
    return ParseResult(rows=[] if reason else candidate.rows, no_list_reason=reason)


def _parse_pdf(data: bytes, hint: str) -> ParseResult:
    from scrapers.parse.pdf import UnreadablePDF, pdf_to_html

    try:
        markup = pdf_to_html(data)
    except UnreadablePDF as exc:
        return ParseResult(no_list_reason=f"{nolist.UNREADABLE}: unreadable PDF ({exc})"[:300])
    return parse_html(markup, hint)


# --- sniffing and decoding -------------------------------------------------------------------

_EXT = {
    ".pdf": "pdf",
    ".json": "json",
    ".md": "markdown",
    ".mdx": "markdown",
    ".markdown": "markdown",
    ".rst": "rst",
    ".html": "html",
    ".htm": "html",
    ".ejs": "html",
    ".xhtml": "html",
    ".php": "html",
    ".aspx": "html",
}
_HTML_START = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype|html|head|body|\?xml|%)", re.I | re.S
)
_HTML_TAGS = re.compile(r"<(?:p|div|table|tr|td|li|ul|h[1-6]|span|a|section|br|strong)\b", re.I)


def sniff(body: bytes | str, *, content_type: str = "", url: str = "") -> str:
    """Guess the format from the bytes, the Content-Type and the URL's extension."""
    head = body[:2048] if isinstance(body, bytes) else body[:2048].encode("utf-8", "replace")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"%PDF-"):
        return "pdf"
    ctype = content_type.lower()
    if "pdf" in ctype:
        return "pdf"
    if "json" in ctype:
        return "json"
    if "html" in ctype and stripped.startswith(b"<"):
        return "html"
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    for ext, fmt in _EXT.items():
        if path.endswith(ext):
            return fmt
    if "markdown" in ctype:
        return "markdown"
    text = body if isinstance(body, str) else body[:200000].decode("utf-8", "replace")
    if stripped[:1] in (b"{", b"["):
        import json

        try:
            json.loads(text)
            return "json"
        except ValueError:
            pass
    if _HTML_START.match(text):
        return "html"
    if looks_like_rst(text):
        return "rst"
    tags = len(_HTML_TAGS.findall(text[:20000]))
    if tags > 2 * looks_like_markdown(text):
        return "html"
    return "markdown"


def decode(data: bytes, content_type: str = "") -> str:
    """Bytes to text: BOM, then UTF-8, then the declared charset, then Windows-1252."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = re.search(
        rb"charset=[\"']?([\w-]+)", content_type.encode() + b" " + data[:2048], re.I
    )
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), "replace")
        except LookupError:
            pass
    return data.decode("cp1252", "replace")


def _is_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    if "\x00" in sample:
        return True
    control = sum(1 for ch in sample if ch < " " and ch not in "\n\r\t\f") + sample.count("\ufffd")
    return control > 0.1 * len(sample)


__all__ = ["ParseError", "ParseResult", "Row", "parse_document", "parse_html", "sniff", "decode"]

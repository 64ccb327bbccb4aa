"""Load HTML into an lxml tree, drop page chrome, and walk it as blocks with sections.

Every extractor (tables, grids, lists, headings) works on the same ``Page``: the
cleaned tree plus a flat, document-ordered list of blocks, each knowing the
heading it sits under. The walk is one pass over the tree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree
from lxml.cssselect import CSSSelector

from scrapers.parse.rowbuild import fold

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "ul",
        "caption",
    ]
)
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "iframe",
    "head",
    "object",
    "canvas",
    "math",
)
_CHROME = re.compile(
    r"(?:^|\s)(?:nav|navbar|navigation|menu|site-menu|main-menu|footer|site-footer|breadcrumbs?|"
    r"sidebar|cookie-banner|cookie-consent|skip-link|toc|table-of-contents)(?:\s|$)",
    re.I,
)
_CHROME_ROLES = {"navigation", "contentinfo", "banner", "search", "menu", "menubar"}
_EJS = re.compile(r"<%[\s\S]*?%>")
_FOOTNOTE_SUP = re.compile(r"^[\s\d*†‡§,]+$")


class HintNotFound(LookupError):
    """The source's CSS selector hint matched nothing on the page."""


@dataclass(slots=True)
class Block:
    kind: str  # heading, table, list, dl, para, grid
    el: object
    section: str
    level: int = 0  # heading level (1-6, 7 for <summary>)
    text: str = ""  # filled lazily for headings and paragraphs


@dataclass
class Page:
    root: object
    blocks: list[Block] = field(default_factory=list)
    title: str = ""
    meta_refresh: str = ""
    had_templates: bool = False

    def text(self) -> str:
        """All visible text, quickly (no line structure)."""
        return " ".join(etree.tostring(self.root, method="text", encoding="unicode").split())


def text_of(el, *, lines: bool = True) -> str:
    """Visible text of an element; <br> and block boundaries become newlines."""
    if len(el) == 0:  # the common case for cells and list items: one text node
        return fold(el.text or "")
    out: list[str] = []
    _collect(el, out, top=True)
    raw = "".join(out)
    if not lines:
        return fold(raw)
    if "\n" not in raw:
        return fold(raw)
    folded = [" ".join(line.split()) for line in raw.split("\n")]
    return "\n".join(line for line in folded if line)


def _collect(el, out: list[str], top: bool = False) -> None:
    tag = el.tag
    if not isinstance(tag, str):  # comment or processing instruction
        if el.tail and not top:
            out.append(el.tail)
        return
    if tag == "br" or tag in BLOCK_TAGS:
        out.append("\n")
    elif tag in ("td", "th"):
        out.append(" ")
    if tag == "sup":
        sup = "".join(el.itertext()).strip()
        if sup and _FOOTNOTE_SUP.match(sup):
            out.append(f" [{sup}]")
        else:
            out.append(sup)
    else:
        if el.text:
            out.append(el.text)
        for child in el:
            _collect(child, out)
    if tag in BLOCK_TAGS:
        out.append("\n")
    if el.tail and not top:
        out.append(el.tail)


def load_html(markup: str, hint: str = "") -> Page:
    """Parse markup (HTML or an EJS/Liquid template of it) into a cleaned Page."""
    had_templates = False
    if "<%" in markup:
        markup, count = _EJS.subn(" ", markup)
        had_templates = count > 0
    markup = markup.strip()
    if not markup:
        markup = "<html><body></body></html>"
    # Plain lxml elements (not lxml.html's classes): much cheaper to walk.
    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8")
    root = etree.fromstring(markup.encode("utf-8", "replace"), parser)
    if root is None:
        root = etree.fromstring(b"<html><body></body></html>", parser)
    title_el = root.find(".//title")
    title = fold("".join(title_el.itertext())) if title_el is not None else ""
    refresh = ""
    for meta in root.iter("meta"):
        if (meta.get("http-equiv") or meta.get("httpequiv") or "").lower() == "refresh":
            refresh = meta.get("content") or ""
    _drop_chrome(root)
    scope = root
    if hint:
        matches = CSSSelector(hint)(root)
        if not matches:
            raise HintNotFound(hint)
        scope = matches[0] if len(matches) == 1 else _wrap(matches)
    page = Page(root=scope, title=title, meta_refresh=refresh, had_templates=had_templates)
    page.blocks = _walk(scope)
    return page


def _wrap(elements):
    div = etree.Element("div")
    for el in elements:
        div.append(el)
    return div


def _drop_chrome(root) -> None:
    doomed = []
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str):
            if tag is etree.Comment:
                doomed.append(el)
            continue
        if tag in _DROP_TAGS:
            doomed.append(el)
            continue
        role = el.get("role")
        if role and role.lower() in _CHROME_ROLES:
            doomed.append(el)
            continue
        if tag in ("div", "ul", "section", "header") and (
            _CHROME.search(el.get("class") or "") or _CHROME.search(el.get("id") or "")
        ):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is not None:
            _drop(el)


def _drop(el) -> None:
    """Remove an element but keep its tail text (what follows it in the parent)."""
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


_GRID_ROLES = {"table", "grid", "treegrid"}


def _walk(scope) -> list[Block]:
    """One pass: document-ordered blocks, each with the nearest heading above it."""
    blocks: list[Block] = []
    stack: list[tuple[int, str]] = []  # (level, heading text)
    summaries: list[int] = []  # stack depth when each <details> opened
    captured = 0  # inside a table/list/dl/grid: nested blocks belong to it
    for event, el in etree.iterwalk(scope, events=("start", "end")):
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if event == "end":
            if tag == "details" and summaries:
                del stack[summaries.pop() :]
            if captured and _captures(el):
                captured -= 1
            continue
        section = stack[-1][1] if stack else ""
        if captured:
            if _captures(el):
                captured += 1
            continue
        if tag in HEADINGS or tag == "summary":
            level = HEADINGS.get(tag, 7)
            text = text_of(el, lines=False)
            if not text:
                continue
            if tag == "summary":
                summaries.append(len(stack))
            else:
                while stack and stack[-1][0] >= level:
                    stack.pop()
            stack.append((level, text))
            blocks.append(Block("heading", el, text, level, text))
        elif tag == "table":
            blocks.append(Block("table", el, section))
            captured += 1
        elif (el.get("role") or "").lower() in _GRID_ROLES:
            blocks.append(Block("grid", el, section))
            captured += 1
        elif tag in ("ul", "ol"):
            blocks.append(Block("list", el, section))
            captured += 1
        elif tag == "dl":
            blocks.append(Block("dl", el, section))
            captured += 1
        elif tag == "p" or (tag in ("div", "section", "blockquote") and _inline_only(el)):
            blocks.append(Block("para", el, section))
    return blocks


def _captures(el) -> bool:
    tag = el.tag
    return tag in ("table", "ul", "ol", "dl") or (el.get("role") or "").lower() in _GRID_ROLES


def _inline_only(el) -> bool:
    if (
        not (el.text and el.text.strip())
        and not any((c.tail and c.tail.strip()) for c in el)
        and not any(c.tag in ("b", "strong", "a", "span") for c in el)
    ):
        return False
    return all(not isinstance(c.tag, str) or c.tag not in BLOCK_TAGS for c in el)

"""PDF documents: pdfplumber's tables and text lines, laid out as HTML for the HTML extractors.

Each page contributes its tables (cells with wrapped lines joined by spaces) and
its text lines outside the tables, in reading order; lines set larger than the
body text become headings, so sections survive.
"""

from __future__ import annotations

import html
import io
import statistics

import pdfplumber

MAX_PAGES = 200


class UnreadablePDF(ValueError):
    """pdfplumber could not open or read the document."""


def pdf_to_html(data: bytes) -> str:
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            parts = [_page_html(page) for page in pdf.pages[:MAX_PAGES]]
    except Exception as exc:  # pdfminer raises many ad-hoc types (and bare ones) on damaged files
        raise UnreadablePDF(f"{type(exc).__name__}: {exc}") from exc
    return "<html><body>" + "\n".join(parts) + "</body></html>"


def _cell(text: str | None) -> str:
    return html.escape(" ".join((text or "").split()))


def _page_html(page) -> str:
    items: list[tuple[float, str]] = []
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    for table in tables:
        rows = table.extract()
        if not rows:
            continue
        body = "".join(
            "<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>" for row in rows
        )
        items.append((table.bbox[1], f"<table>{body}</table>"))
    lines = [
        line for line in page.extract_text_lines() if not any(_inside(line, box) for box in boxes)
    ]
    sizes = [c["size"] for c in page.chars]  # table text counts: it is body text
    body_size = statistics.median(sizes) if sizes else 0
    for line in lines:
        text = html.escape(line["text"].strip())
        if not text:
            continue
        size = line["chars"][0]["size"] if line.get("chars") else 0
        tag = "h2" if body_size and size > body_size * 1.15 and len(text) < 120 else "p"
        items.append((line["top"], f"<{tag}>{text}</{tag}>"))
    items.sort(key=lambda item: item[0])
    return "\n".join(markup for _, markup in items)


def _inside(line: dict, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    mid_y = (line["top"] + line["bottom"]) / 2
    mid_x = (line["x0"] + line["x1"]) / 2
    return top <= mid_y <= bottom and x0 <= mid_x <= x1

"""Turn a fetched document into rows. (Interim table-only parser; issue 3 replaces it.)"""

from __future__ import annotations

from bs4 import BeautifulSoup

from scrapers.countries import countries_in
from scrapers.entities import canonical_entity
from scrapers.rows import ParseResult, Row


def parse_document(
    body: bytes | str,
    *,
    content_type: str = "",
    url: str = "",
    fmt: str = "auto",
    hint: str = "",
) -> ParseResult:
    """Parse ``body`` (HTML, Markdown, PDF or JSON; ``fmt`` "auto" sniffs) into rows."""
    soup = BeautifulSoup(body, "lxml")
    root = soup.select_one(hint) if hint else soup
    rows: list[Row] = []
    for table in (root or soup).find_all("table"):
        trs = table.find_all("tr")
        if not trs:
            continue
        header = [c.get_text(" ", strip=True).lower() for c in trs[0].find_all(["th", "td"])]
        if not header or not any("name" in h or "processor" in h for h in header):
            continue
        for tr in trs[1:]:
            cells = [c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])]
            if not cells or not cells[0]:
                continue
            cells += [""] * (3 - len(cells))
            rows.append(
                Row(
                    name=cells[0],
                    entity=canonical_entity(cells[0]),
                    purpose=cells[1],
                    location=cells[2],
                    countries=countries_in(cells[2]),
                )
            )
    if not rows:
        return ParseResult(rows=[], no_list_reason="no subprocessor list found on the page")
    return ParseResult(rows=rows)

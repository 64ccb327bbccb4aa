"""CSS and ARIA grids: rows of div/span cells that read like a table.

- ARIA: role="table"/"grid" containers, role="row" rows, role="cell",
  "gridcell", "columnheader" or "rowheader" cells.
- CSS: a container whose children share one class and each hold the same
  number (2-6) of cell elements; the first row, or a sibling just before the
  container, carries the header.
Both become a ``tables.Matrix`` and reuse the table reader.
"""

from __future__ import annotations

from collections import Counter

from scrapers.parse.htmldoc import Block, Page, text_of
from scrapers.parse.rowbuild import Candidate, not_subprocessor_heading
from scrapers.parse.tables import Matrix, find_header, rows_from_matrix
from scrapers.rows import Row

_CELL_ROLES = {"cell", "gridcell", "columnheader", "rowheader"}
_CELL_TAGS = ("div", "span", "p", "strong", "b", "a", "li", "dt", "dd")
MIN_ROWS = 2


def aria_matrix(container) -> Matrix:
    cells: list[list[str]] = []
    head = 0
    for row in container.iter():
        if not isinstance(row.tag, str) or (row.get("role") or "").lower() != "row":
            continue
        texts = []
        all_headers = True
        for cell in row.iter():
            role = (cell.get("role") or "").lower() if isinstance(cell.tag, str) else ""
            if role in _CELL_ROLES:
                texts.append(text_of(cell))
                all_headers &= role in ("columnheader",)
        if texts:
            if all_headers and len(cells) == head:
                head += 1
            cells.append(texts)
    width = max((len(r) for r in cells), default=0)
    return Matrix([r + [""] * (width - len(r)) for r in cells], head)


def css_matrix(container) -> Matrix | None:
    """Rows of a CSS grid, or None when the children do not form one."""
    kids = [c for c in container if isinstance(c.tag, str)]
    if len(kids) < MIN_ROWS + 1:
        return None
    classes = Counter(c.get("class") or "" for c in kids)
    common, count = classes.most_common(1)[0]
    if not common or count < 0.8 * len(kids):
        return None
    rows: list[list[str]] = []
    widths: Counter[int] = Counter()
    for kid in kids:
        cells = [c for c in kid if isinstance(c.tag, str) and c.tag in _CELL_TAGS]
        if not 2 <= len(cells) <= 6:
            return None
        rows.append([text_of(c) for c in cells])
        widths[len(cells)] += 1
    width, n = widths.most_common(1)[0]
    if n < 0.8 * len(rows):
        return None
    header_el = container.getprevious()
    if header_el is not None and isinstance(header_el.tag, str):
        head_cells = [text_of(c) for c in header_el if isinstance(c.tag, str)]
        if len(head_cells) == width:
            rows.insert(0, head_cells)
    return Matrix([r + [""] * (width - len(r)) for r in rows if len(r) <= width])


def extract_grids(page: Page, blocks: list[Block]) -> Candidate:
    rows: list[Row] = []
    for block in blocks:
        if block.kind != "grid" or not_subprocessor_heading(block.section):
            continue
        rows += _read(aria_matrix(block.el), block.section)
    if not rows:
        rows = _css_grids(page, blocks)
    return Candidate("grids", rows, weight=2.5, tier=1)


def _read(matrix: Matrix, section: str) -> list[Row]:
    if len(matrix.cells) < MIN_ROWS:
        return []
    header = find_header(matrix)
    if not header:
        return []
    index, columns = header
    return rows_from_matrix(matrix, section, index + 1, columns)


def _css_grids(page: Page, blocks: list[Block]) -> list[Row]:
    sections = {}
    for block in blocks:
        sections.setdefault(id(block.el), block.section)
    rows: list[Row] = []
    for container in page.root.iter("div", "section", "ul"):
        kids = len(container)
        if kids < MIN_ROWS + 1:
            continue
        matrix = css_matrix(container)
        if matrix is None:
            continue
        section = _section_before(container, blocks)
        rows += _read(matrix, section)
    return rows


def _section_before(container, blocks: list[Block]) -> str:
    """The heading above a container (approximate: the last heading before it in the page)."""
    line = container.sourceline or 0
    section = ""
    for block in blocks:
        if block.kind == "heading" and (block.el.sourceline or 0) <= line:
            section = block.text
    return section

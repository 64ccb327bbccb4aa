"""Tables: <thead> or first-row headers, empty header rows, spans, category rows.

A table counts when its header maps to a name column and at least one other
known column (see ``headers.map_columns``); cookie, pricing and other tables
with a "negative" header are skipped. Several tables on one page are read
one after another; a headerless table right after a recognised one with the
same width continues it (lists split by region or affiliate).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapers.parse.headers import ColumnMap, is_negative_header, map_columns
from scrapers.parse.htmldoc import Block, text_of
from scrapers.parse.rowbuild import Candidate, fold, make_row, not_subprocessor_heading
from scrapers.rows import Row

MAX_SPAN = 50
HEADER_SCAN = 4  # header may sit below a few empty or title rows
_CONTEXT = re.compile(
    r"sub[- ]?process|processor|third[- ]part|service provider|vendor|auftragsverarbeit|"
    r"sous[- ]traitant|encargad|subprocesad|suboperador|subprocessad|responsabil|verwerker|"
    r"委託|サブプロセッサ|المعالج",
    re.I,
)


@dataclass(slots=True)
class Matrix:
    """A table expanded to a rectangle: text per cell, plus where the header rows are."""

    cells: list[list[str]]
    thead_rows: int = 0  # leading rows that came from <thead> or were all <th>
    caption: str = ""


def table_matrix(table) -> Matrix:
    """Expand rowspan/colspan into a rectangle of cell texts."""
    trs = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    grid: list[list[str | None]] = []
    pending: dict[tuple[int, int], str] = {}
    thead_rows = 0
    counting_head = True
    for r, tr in enumerate(trs):
        row: list[str] = []
        col = 0
        cells = [c for c in tr if c.tag in ("td", "th")]
        in_head = tr.getparent().tag == "thead" or (cells and all(c.tag == "th" for c in cells))
        if counting_head and in_head:
            thead_rows += 1
        elif cells:
            counting_head = False
        for cell in cells:
            while (r, col) in pending:
                row.append(pending.pop((r, col)))
                col += 1
            text = text_of(cell)
            colspan = _span(cell.get("colspan"))
            rowspan = _span(cell.get("rowspan"))
            for c in range(colspan):
                row.append(text)
                for extra in range(1, rowspan):
                    pending[(r + extra, col + c)] = text
            col += colspan
        while (r, col) in pending:
            row.append(pending.pop((r, col)))
            col += 1
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    rect = [r + [""] * (width - len(r)) for r in grid]
    caption_el = table.find("caption")
    caption = text_of(caption_el, lines=False) if caption_el is not None else ""
    return Matrix(rect, thead_rows, caption)


def _span(value: str | None) -> int:
    try:
        return max(1, min(MAX_SPAN, int(value or 1)))
    except ValueError:
        return 1


def _joined(text: str, sep: str) -> str:
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    out = ""
    for part in parts:
        if not out:
            out = part
        elif out[-1] in ",;:/(" or part[0] in ",;)":
            out = f"{out} {part}"
        else:
            out = f"{out}{sep}{part}"
    return out


def find_header(matrix: Matrix) -> tuple[int, ColumnMap] | None:
    """The header row index and column map, trying <thead> first then the first rows."""
    cells = matrix.cells
    if matrix.thead_rows > 1:
        merged = [
            " ".join(dict.fromkeys(cells[r][c] for r in range(matrix.thead_rows) if cells[r][c]))
            for c in range(len(cells[0]))
        ]
        mapped = map_columns(merged)
        if mapped:
            return matrix.thead_rows - 1, mapped
    for r in range(min(len(cells), max(HEADER_SCAN, matrix.thead_rows))):
        mapped = map_columns(cells[r])
        if mapped:
            return r, mapped
    return None


def rows_from_matrix(matrix: Matrix, section: str, start: int, columns: ColumnMap) -> list[Row]:
    rows: list[Row] = []
    header = matrix.cells[start - 1] if start > 0 else None
    category = ""
    for cells in matrix.cells[start:]:
        if not any(c.strip() for c in cells):
            continue
        if header and cells == header:
            continue  # repeated header row
        if len(cells) > 1 and len(set(cells)) == 1:
            category = fold(cells[0])  # a full-width row: a category within the table
            continue
        name_cell = columns.cell(cells, "name")
        name = name_cell.split("\n", 1)[0] if name_cell else ""
        location = columns.cell(cells, "location") or columns.cell(cells, "corporate_location")
        row = make_row(
            name,
            purpose=_joined(columns.cell(cells, "purpose"), "; "),
            location=_joined(location, ", "),
            section=category or matrix.caption or section,
        )
        if row:
            rows.append(row)
    return rows


def extract_tables(blocks: list[Block]) -> Candidate:
    """Rows from every subprocessor table among the page's blocks."""
    found: list[Row] = []
    loose: list[Row] = []
    previous: tuple[int, ColumnMap] | None = None  # (width, columns) of the last good table
    best_recognised = 0
    for block in blocks:
        if block.kind != "table":
            if block.kind == "heading":
                previous = None if not_subprocessor_heading(block.text) else previous
            continue
        if not_subprocessor_heading(block.section):
            continue
        matrix = table_matrix(block.el)
        if not matrix.cells or not matrix.cells[0]:
            continue
        width = len(matrix.cells[0])
        if any(is_negative_header(r) for r in matrix.cells[: max(1, matrix.thead_rows)]):
            previous = None  # cookies, prices, data categories
            continue
        header = find_header(matrix)
        if header:
            index, columns = header
            found += rows_from_matrix(matrix, block.section, index + 1, columns)
            previous = (width, columns)
            best_recognised = max(best_recognised, columns.recognised)
        elif previous and previous[0] == width:
            found += rows_from_matrix(matrix, block.section, 0, previous[1])
        elif width <= 4 and _CONTEXT.search(f"{block.section} {matrix.caption}"):
            guess = ColumnMap(
                name=0, purpose=1 if width > 1 else -1, location=2 if width > 2 else -1
            )
            loose += rows_from_matrix(matrix, block.section, 0, guess)
    if found:
        return Candidate("tables", found, weight=3.0 + 0.5 * best_recognised, tier=1)
    return Candidate("tables", loose, weight=1.2, tier=3)

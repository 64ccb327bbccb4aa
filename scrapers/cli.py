"""``python -m scrapers``: parse or diff subprocessor lists from files or URLs.

For people debugging a source and for scripts. Exit codes are the interface:

* 0 — a list was found (``parse``), or the diff was computed (``diff``);
* 2 — bad input or usage: missing/unreadable file, binary junk, an unreadable PDF, a file over the
  size cap, a failed fetch. Always one line on stderr, never a traceback (``--traceback`` shows it);
* 3 — the document holds no list (a bot check, a link elsewhere, "available on request"). For
  ``diff`` this is about NEW only, and no removals are reported: a page that lost its list has
  not lost its subprocessors.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from pathlib import Path
from typing import TextIO

from scrapers.diff import RowDiff, diff_rows
from scrapers.rows import ParseResult, Row

MAX_INPUT_BYTES = 20 * 1024 * 1024
EXIT_OK, EXIT_BAD_INPUT, EXIT_NO_LIST = 0, 2, 3
INPUT_FORMATS = ("auto", "html", "markdown", "pdf", "json", "text")

_TYPES_BY_SUFFIX = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".ejs": "text/html",
    ".md": "text/markdown",
    ".mdx": "text/markdown",
    ".markdown": "text/markdown",
    ".pdf": "application/pdf",
    ".json": "application/json",
    ".txt": "text/plain",
    ".rst": "text/plain",
}


class InputError(Exception):
    """A document we cannot use; its message is the one line shown to the user."""


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m scrapers", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=("json", "table"), default="json", help="output format")
        p.add_argument(
            "--input-format",
            choices=INPUT_FORMATS,
            default="auto",
            help="document format (default: sniff it)",
        )
        p.add_argument("--hint", default="", help="CSS selector of the part holding the list")
        p.add_argument(
            "--allow-private",
            action="store_true",
            help="allow URLs on private or loopback addresses (local test servers)",
        )
        p.add_argument("--traceback", action="store_true", help="show tracebacks (debugging)")

    parse = sub.add_parser("parse", help="print the rows of one document")
    parse.add_argument("source", metavar="PATH_OR_URL")
    common(parse)
    diff = sub.add_parser("diff", help="compare the lists of two documents")
    diff.add_argument("old", metavar="OLD")
    diff.add_argument("new", metavar="NEW")
    common(diff)
    return parser


def _is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def _read(source: str, allow_private: bool) -> tuple[bytes, str, str]:
    """Body, content type and URL of a path, ``-`` (stdin) or an http(s) URL."""
    if _is_url(source):
        from scrapers.fetch import FetchError, fetch  # lazy: a local parse needs no network stack

        try:
            result = fetch(source, allow_private=allow_private, max_bytes=MAX_INPUT_BYTES)
        except FetchError as exc:
            raise InputError(f"cannot fetch {source}: {exc.message}") from exc
        return result.body, result.content_type, source
    if source == "-":
        body = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        if len(body) > MAX_INPUT_BYTES:
            raise InputError(f"standard input is over the {MAX_INPUT_BYTES // 2**20} MB limit")
        return body, "", ""
    path = Path(source)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise InputError(f"not a file: {source}")
        if size > MAX_INPUT_BYTES:
            raise InputError(
                f"{source} is {size / 2**20:.1f} MB, over the {MAX_INPUT_BYTES // 2**20} MB limit"
            )
        body = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"no such file: {source}") from exc
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror or exc}") from exc
    return body, _TYPES_BY_SUFFIX.get(path.suffix.lower(), ""), ""


def _check_document(body: bytes, source: str, input_format: str) -> None:
    """Refuse what no parser should be handed: empty files, binary junk, broken PDFs."""
    if not body.strip():
        raise InputError(f"{source} is empty")
    if body.startswith(b"%PDF-") or input_format == "pdf":
        _check_pdf(body, source)
        return
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 with a byte-order mark: NULs are expected
    head = body[:65536]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in head or controls > len(head) * 0.02:
        raise InputError(f"{source} is not a text document or PDF (binary data)")


def _check_pdf(body: bytes, source: str) -> None:
    import pdfplumber  # lazy: slow to import and only needed for PDFs

    try:
        with pdfplumber.open(io.BytesIO(body)) as pdf:
            if not pdf.pages:
                raise InputError(f"{source} is a PDF with no pages")
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types for a damaged file
        raise InputError(f"{source} is not a readable PDF ({type(exc).__name__})") from exc


def _load(source: str, args: argparse.Namespace) -> ParseResult:
    body, content_type, url = _read(source, args.allow_private)
    _check_document(body, source, args.input_format)
    from scrapers.parse import parse_document

    try:
        return parse_document(
            body, content_type=content_type, url=url, fmt=args.input_format, hint=args.hint
        )
    except Exception as exc:
        # The parser is handed arbitrary documents; whatever breaks it is a property of the input.
        if args.traceback:
            raise
        detail = " ".join(str(exc).split())[:200]
        raise InputError(f"cannot parse {source}: {type(exc).__name__}: {detail}") from exc


def _table(rows: list[list[str]], out: TextIO) -> None:
    widths = [min(40, max(len(r[i]) for r in rows)) for i in range(len(rows[0]))]
    for row in rows:
        cells = [
            (c if len(c) <= w else c[: w - 1] + "…").ljust(w)
            for c, w in zip(row, widths, strict=True)
        ]
        out.write("  ".join(cells).rstrip() + "\n")


def _print_rows(rows: list[Row], fmt: str, out: TextIO) -> None:
    if fmt == "json":
        json.dump([r.as_dict() for r in rows], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    header = ["NAME", "ENTITY", "PURPOSE", "LOCATION", "COUNTRIES", "SECTION"]
    _table(
        [header]
        + [
            [r.name, r.entity, r.purpose, r.location, ",".join(r.countries), r.section]
            for r in rows
        ],
        out,
    )


def _diff_json(diff: RowDiff) -> dict:
    return {
        "added": [r.as_dict() for r in diff.added],
        "removed": [r.as_dict() for r in diff.removed],
        "changed": [
            {
                "name": c.name,
                "entity": c.entity,
                "field": c.field,
                "before": c.before,
                "after": c.after,
            }
            for c in diff.changed
        ],
    }


def _print_diff(diff: RowDiff, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        json.dump(_diff_json(diff), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    for row in diff.added:
        out.write(f"+ {row.entity}  [{row.name}]  {row.purpose}  ({','.join(row.countries)})\n")
    for row in diff.removed:
        out.write(f"- {row.entity}  [{row.name}]  {row.purpose}  ({','.join(row.countries)})\n")
    for change in diff.changed:
        before, after = (
            ", ".join(v) if isinstance(v, list) else v for v in (change.before, change.after)
        )
        out.write(f"~ {change.entity}  {change.field}: {before!r} -> {after!r}\n")
    out.write(
        f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed\n"
    )


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.command == "parse":
        result = _load(args.source, args)
        if not result.found:
            err.write(f"no list: {result.no_list_reason or 'no rows found'}\n")
            if args.format == "json":
                out.write("[]\n")
            return EXIT_NO_LIST
        _print_rows(result.rows, args.format, out)
        return EXIT_OK

    old, new = _load(args.old, args), _load(args.new, args)
    if not new.found:
        err.write(f"no list in NEW: {new.no_list_reason or 'no rows found'}\n")
        if args.format == "json":
            _print_diff(RowDiff(), "json", out)
        return EXIT_NO_LIST
    if not old.found:
        err.write(f"note: no list in OLD ({old.no_list_reason}); every row of NEW is added\n")
    _print_diff(diff_rows(old.rows if old.found else [], new.rows), args.format, out)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    args = _build_parser().parse_args(argv)
    out, err = sys.stdout, sys.stderr
    for stream in (out, err):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")  # never a UnicodeEncodeError traceback
    try:
        return _run(args, out, err)
    except InputError as exc:
        if args.traceback:
            raise
        err.write(f"error: {exc}\n")
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK  # "| head" closed the pipe: the reader has what it wanted
    except KeyboardInterrupt:
        err.write("interrupted\n")
        return 130

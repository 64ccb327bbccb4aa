"""PDF documents give the same rows as HTML; a damaged PDF is an outcome, not a traceback."""

from scrapers.parse import parse_document


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_table_pdf(title: str, rows: list[list[str]]) -> bytes:
    """A one-page PDF with a heading and a ruled table, written by hand (no PDF library)."""
    widths = [160, 170, 150][: len(rows[0])]
    left, top, height = 50, 760, 22
    ops = [f"BT /F1 16 Tf {left} 800 Td ({_escape(title)}) Tj ET", "0.5 w"]
    right = left + sum(widths)
    for i in range(len(rows) + 1):
        y = top - i * height
        ops.append(f"{left} {y} m {right} {y} l S")
    bottom = top - len(rows) * height
    x = left
    for width in [0, *widths]:
        x += width
        ops.append(f"{x} {top} m {x} {bottom} l S")
    for i, row in enumerate(rows):
        x = left
        y = top - (i + 1) * height + 7
        for width, cell in zip(widths, row, strict=True):
            ops.append(f"BT /F1 10 Tf {x + 4} {y} Td ({_escape(cell)}) Tj ET")
            x += width
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_it_reads_a_table_from_a_pdf():
    pdf = make_table_pdf(
        "Subprocessors",
        [
            ["Subprocessor", "Purpose", "Location"],
            ["Amazon Web Services", "Cloud hosting", "United States"],
            ["Hetzner Online GmbH", "Backups", "Germany"],
        ],
    )
    result = parse_document(pdf, url="https://example.com/legal/subprocessors.pdf")
    assert result.no_list_reason is None
    assert [(r.name, r.purpose, r.location) for r in result.rows] == [
        ("Amazon Web Services", "Cloud hosting", "United States"),
        ("Hetzner Online GmbH", "Backups", "Germany"),
    ]
    assert result.rows[0].countries == ("US",)
    assert result.rows[1].countries == ("DE",)
    assert result.rows[0].section == "Subprocessors"


def test_pdf_bytes_are_recognised_without_a_url_or_content_type():
    pdf = make_table_pdf("List", [["Vendor", "Service"], ["Stripe", "Payments"]])
    assert [r.name for r in parse_document(pdf).rows] == ["Stripe"]


def test_an_unreadable_pdf_is_a_no_list_outcome():
    result = parse_document(b"%PDF-1.7\n1 0 obj << /Broken", content_type="application/pdf")
    assert result.rows == []
    assert "unreadable PDF" in result.no_list_reason


def test_a_truncated_pdf_is_a_no_list_outcome():
    pdf = make_table_pdf("List", [["Vendor", "Service"], ["Stripe", "Payments"]])
    result = parse_document(pdf[: len(pdf) // 3], fmt="pdf")
    assert result.rows == []
    assert result.no_list_reason

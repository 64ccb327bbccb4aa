"""Time ``parse_document`` on a ~200 KB HTML page, on one core.

    python -m scrapers.bench --shared ../shared [--runs 50] [--size 200]

The page is built from ``<shared>/bench/gen_pages.py`` (the pages the peer
baseline was measured on): the bodies of consecutive generated pages are joined
into one document until it reaches the target size, so it carries several
40-row tables, navigation, inline CSS and footers, like a large real page.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path

from scrapers.parse import parse_document

TARGET_KB = 200
RUNS = 50


def _generator(shared_dir: Path):
    path = shared_dir / "bench" / "gen_pages.py"
    spec = importlib.util.spec_from_file_location("subwatch_gen_pages", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build_page(shared_dir: Path, target_kb: int = TARGET_KB) -> bytes:
    """One HTML document of about ``target_kb`` KB made of generated pages' bodies."""
    gen = _generator(shared_dir)
    first = gen.build_page(0, 1)
    head, _, rest = first.partition("<body")
    body_open, _, body = rest.partition(">")
    inner = [body.rsplit("</body>", 1)[0]]
    size = len(first.encode())
    i = 1
    while size < target_kb * 1024:
        page = gen.build_page(i, 1)
        part = page.partition("<body")[2].partition(">")[2].rsplit("</body>", 1)[0]
        inner.append(part)
        size += len(part.encode())
        i += 1
    return f"{head}<body{body_open}>{''.join(inner)}</body></html>".encode()


def bench_parse(shared_dir: Path, runs: int = RUNS, target_kb: int = TARGET_KB) -> dict:
    """Median milliseconds and pages per second for parsing the benchmark page."""
    page = build_page(Path(shared_dir), target_kb)
    result = parse_document(page, content_type="text/html")  # warm caches once
    times = []
    for _ in range(max(runs, 1)):
        start = time.perf_counter()
        parse_document(page, content_type="text/html")
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    return {
        "page_kb": round(len(page) / 1024, 1),
        "rows": len(result.rows),
        "runs": len(times),
        "median_ms": round(median, 2),
        "p90_ms": round(sorted(times)[int(0.9 * (len(times) - 1))], 2),
        "pages_per_s": round(1000 / median, 1) if median else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scrapers.bench", description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--size", type=int, default=TARGET_KB, help="page size in KB")
    args = parser.parse_args(argv)
    try:
        figures = bench_parse(args.shared, args.runs, args.size)
    except FileNotFoundError as exc:
        print(f"benchmark page generator not found: {exc}", file=sys.stderr)
        return 2
    print(
        f"parse {figures['page_kb']} KB page ({figures['rows']} rows), {figures['runs']} runs: "
        f"median {figures['median_ms']} ms, p90 {figures['p90_ms']} ms, "
        f"{figures['pages_per_s']} pages/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

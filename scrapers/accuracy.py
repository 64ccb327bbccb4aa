"""Parse every version of the real vendor pages, diff consecutive lists, and check known changes.

    python -m scrapers.accuracy --realpages ../shared/realpages --out docs/accuracy.md

Reads the page histories in ``realpages`` (never copied into the project), parses
each version with ``parse_document``, diffs consecutive versions that hold a list
with ``diff_rows`` (a "no list here" version is skipped over, as the service holds
the last known list), and checks each real change listed in realpages' README.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from scrapers.diff import diff_rows
from scrapers.parse import parse_document
from scrapers.rows import ParseResult

SKIP_FOLDERS = {"facts", "scraped-ai-vendors-markheatzig"}


@dataclass(frozen=True)
class Expected:
    """A real change from realpages/README.md: vendor, entity text, kind, approximate month."""

    vendor: str  # a folder name, or a prefix ending in "*" for every matching folder
    entity: str  # matched case-insensitively against the row's name and entity
    kind: str  # "added" or "removed"
    month: str  # "YYYY-MM", approximate (the change may land a month either side)


EXPECTED: tuple[Expected, ...] = (
    Expected("github", "Anthropic", "added", "2025-03"),
    Expected("github", "OpenAI", "added", "2025-05"),
    Expected("github", "CoreWeave", "added", "2025-09"),
    Expected("github", "CoreWeave", "removed", "2026-01"),
    Expected("github", "xAI", "added", "2025-09"),
    Expected("github", "Fireworks AI", "added", "2025-09"),
    Expected("github", "Hewlett-Packard", "added", "2025-09"),
    Expected("github", "LambdaTest", "added", "2025-09"),
    Expected("github", "Oracle", "added", "2025-09"),
    Expected("github", "FullStory", "added", "2026-01"),
    Expected("github", "Elasticsearch", "added", "2026-01"),
    Expected("github", "Tines", "added", "2026-03"),
    Expected("github", "Splunk", "removed", "2024-09"),
    Expected("github", "Zapier", "removed", "2024-09"),
    Expected("github", "VividCortex", "removed", "2025-09"),
    Expected("37signals-hey", "Rollbar", "added", "2020-09"),
    Expected("37signals-hey", "Rollbar", "removed", "2021-03"),
    Expected("37signals-hey", "Datadog", "removed", "2023-10"),
    Expected("37signals-hey", "AppSignal", "added", "2023-10"),
    Expected("37signals-basecamp", "Datadog", "removed", "2023-10"),
    Expected("37signals-basecamp", "AppSignal", "added", "2023-10"),
    Expected("readthedocs", "Intercom", "removed", "2023-01"),
    Expected("readthedocs", "Google Analytics", "removed", "2024-08"),
    Expected("readthedocs", "Plausible", "added", "2024-08"),
    Expected("range", "Copper", "removed", "2021-11"),
    Expected("range", "HubSpot", "added", "2021-11"),
    Expected("fortrabbit", "Wirecard", "removed", "2020-07"),
    Expected("fortrabbit", "Stripe", "added", "2020-07"),
    Expected("qfieldcloud", "Flow", "removed", "2026-06"),
    Expected("qfieldcloud", "Lettermint", "added", "2026-06"),
    Expected("prairielearn", "OpenAI", "added", "2025-04"),
    Expected("prairielearn", "Anthropic", "added", "2026-04"),
    Expected("prairielearn", "Gemini", "added", "2026-04"),
    Expected("prairielearn", "Zoho", "added", "2026-04"),
    Expected("prairielearn", "Airtable", "removed", "2026-04"),
    Expected("prairielearn", "Cloudflare", "added", "2026-05"),
)

# Pairs a naive differ gets wrong; reported with their full change counts.
NOTABLE_PAIRS = {
    (
        "github",
        "2025-05-14T214015Z_169fa8c5.md",
        "2025-05-14T214521Z_e2be51af.md",
    ): 'GitHub 2025-05 rewording ("Azure (Microsoft)" -> "Microsoft (Azure)"); '
    "only OpenAI is a real addition",
    (
        "cryptlex",
        "2020-09-14T173922Z_193cedef.md",
        "2020-09-14T174116Z_0529b8ea.md",
    ): "cryptlex remove-then-restore within two minutes (the removal before it is real page "
    "content, restored here)",
}


@dataclass
class Version:
    file: str
    result: ParseResult | None
    error: str = ""


@dataclass
class Pair:
    old: str
    new: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    added_keys: list[str] = field(default_factory=list)
    removed_keys: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)


def _month(file_name: str) -> str:
    return file_name[:7]


def _shift(month: str, delta: int) -> str:
    year, mon = int(month[:4]), int(month[5:7]) + delta
    while mon < 1:
        year, mon = year - 1, mon + 12
    while mon > 12:
        year, mon = year + 1, mon - 12
    return f"{year:04d}-{mon:02d}"


def vendor_history(folder: Path) -> tuple[list[Version], list[Pair]]:
    versions: list[Version] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        try:
            result = parse_document(path.read_bytes(), url=path.name)
            versions.append(Version(path.name, result))
        except Exception as exc:  # reported in the document, not hidden
            versions.append(Version(path.name, None, f"{type(exc).__name__}: {exc}"))
    pairs: list[Pair] = []
    last = None
    for version in versions:
        if version.result is None or version.result.no_list_reason is not None:
            continue
        if last is not None:
            diff = diff_rows(last.result.rows, version.result.rows)
            pairs.append(
                Pair(
                    last.file,
                    version.file,
                    added=[r.name for r in diff.added],
                    removed=[r.name for r in diff.removed],
                    changed=[f"{c.name}: {c.field}" for c in diff.changed],
                    added_keys=[f"{r.name} {r.entity}".lower() for r in diff.added],
                    removed_keys=[f"{r.name} {r.entity}".lower() for r in diff.removed],
                )
            )
        last = version
    return versions, pairs


def check_expected(histories: dict[str, tuple[list[Version], list[Pair]]]):
    """(expectation, pair where found or None) for every expected change."""
    outcomes = []
    for exp in EXPECTED:
        _, pairs = histories.get(exp.vendor, ([], []))
        window = {_shift(exp.month, d) for d in (-1, 0, 1)}
        needle = exp.entity.lower()
        found = None
        for pair in pairs:
            keys = pair.added_keys if exp.kind == "added" else pair.removed_keys
            if _month(pair.new) in window and any(needle in k for k in keys):
                found = pair
                break
        outcomes.append((exp, found))
    return outcomes


def build_report(realpages: Path) -> tuple[str, dict]:
    folders = sorted(p for p in realpages.iterdir() if p.is_dir() and p.name not in SKIP_FOLDERS)
    histories = {f.name: vendor_history(f) for f in folders}
    outcomes = check_expected(histories)
    found = [o for o in outcomes if o[1] is not None]
    missed = [o for o in outcomes if o[1] is None]
    nolist = [
        (vendor, v.file, v.result.no_list_reason)
        for vendor, (versions, _) in histories.items()
        for v in versions
        if v.result is not None and v.result.no_list_reason is not None
    ]
    errors = [
        (vendor, v.file, v.error)
        for vendor, (versions, _) in histories.items()
        for v in versions
        if v.error
    ]
    total_versions = sum(len(v) for v, _ in histories.values())
    lines = ["# Parsing accuracy on real vendor pages", ""]
    lines += [
        "Generated by `python -m scrapers.accuracy --realpages <shared>/realpages --out "
        "docs/accuracy.md`. Every version of every vendor in realpages is parsed with "
        "`scrapers.parse.parse_document`; consecutive versions that hold a list are diffed "
        'with `scrapers.diff.diff_rows` (a "no list here" version is skipped, as the '
        "service keeps the last known list). Not covered: `facts/` (excerpts, no versioned "
        "pages) and `scraped-ai-vendors-markheatzig` (another tool's CSV output).",
        "",
        "## Summary",
        "",
        f"- Vendors: {len(histories)}, versions parsed: {total_versions}, "
        f"parser exceptions: {len(errors)}",
        f"- Expected real changes found: **{len(found)} / {len(outcomes)}**"
        + (
            f" (missed: {', '.join(f'{e.vendor} {e.entity} {e.kind}' for e, _ in missed)})"
            if missed
            else ""
        ),
        f'- Versions with "no list here": {len(nolist)}'
        + "".join(f"\n  - {v} `{f}`: {r}" for v, f, r in nolist),
    ]
    notable_stats = {}
    for (vendor, old, new), label in NOTABLE_PAIRS.items():
        pair = next(
            (p for p in histories.get(vendor, ([], []))[1] if p.old == old and p.new == new), None
        )
        if pair is None:
            lines.append(f"- {label}: pair not diffed (one side has no list)")
            continue
        notable_stats[label] = pair.count
        lines.append(
            f"- {label}: {len(pair.added)} added, {len(pair.removed)} removed, "
            f"{len(pair.changed)} field changes reported"
        )
    lines.append(
        "- Rows are keyed by `scrapers.entities.canonical_entity`; false changes in rewording "
        "pairs come from entity canonicalisation (owned by the entities module), not from "
        "row extraction."
    )
    lines += [
        "",
        "## Expected changes",
        "",
        "| vendor | entity | kind | around | found in |",
        "|---|---|---|---|---|",
    ]
    for exp, pair in outcomes:
        where = f"`{pair.old}` -> `{pair.new}`" if pair else "**missed**"
        lines.append(f"| {exp.vendor} | {exp.entity} | {exp.kind} | {exp.month} | {where} |")
    if errors:
        lines += ["", "## Exceptions", ""] + [f"- {v} `{f}`: {e}" for v, f, e in errors]
    lines += ["", "## Per vendor", ""]
    for vendor, (versions, pairs) in histories.items():
        lines += [f"### {vendor}", "", "| version | rows | no list here |", "|---|---|---|"]
        for v in versions:
            rows = len(v.result.rows) if v.result else "error"
            reason = (v.result.no_list_reason if v.result else v.error) or ""
            lines.append(f"| `{v.file}` | {rows} | {reason} |")
        changed_pairs = [p for p in pairs if p.count]
        lines += [
            "",
            f"Changes between consecutive lists ({len(changed_pairs)} of "
            f"{len(pairs)} pairs changed):",
            "",
        ]
        for p in changed_pairs:
            parts = []
            if p.added:
                parts.append("added " + ", ".join(p.added))
            if p.removed:
                parts.append("removed " + ", ".join(p.removed))
            if p.changed:
                parts.append(
                    f"{len(p.changed)} field changes ({'; '.join(p.changed[:6])}"
                    + ("; …" if len(p.changed) > 6 else "")
                    + ")"
                )
            lines.append(f"- `{p.old[:17]}` -> `{p.new[:17]}`: " + "; ".join(parts))
        lines.append("")
    stats = {
        "expected": len(outcomes),
        "found": len(found),
        "missed": [f"{e.vendor} {e.entity} {e.kind}" for e, _ in missed],
        "no_list_versions": len(nolist),
        "errors": len(errors),
        "notable": notable_stats,
    }
    return "\n".join(lines) + "\n", stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scrapers.accuracy", description=__doc__)
    parser.add_argument("--realpages", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("docs/accuracy.md"))
    args = parser.parse_args(argv)
    if not args.realpages.is_dir():
        print(f"realpages folder not found: {args.realpages}", file=sys.stderr)
        return 2
    report, stats = build_report(args.realpages)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(
        f"expected changes found {stats['found']}/{stats['expected']}; "
        f"no-list versions {stats['no_list_versions']}; exceptions {stats['errors']}"
    )
    for name in stats["missed"]:
        print(f"  missed: {name}")
    for label, count in stats["notable"].items():
        print(f"  {label}: {count} reported changes")
    print(f"report written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

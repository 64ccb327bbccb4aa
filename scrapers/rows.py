"""The values passed between parsing, diffing and the Django side."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, slots=True)
class Row:
    """One published row of a subprocessor list.

    ``name`` is as published (whitespace folded, footnote markers removed);
    ``entity`` is the canonical entity used as the diff key; ``countries`` holds
    ISO 3166-1 alpha-2 codes derived from ``location``.
    """

    name: str
    entity: str
    purpose: str = ""
    location: str = ""
    countries: tuple[str, ...] = ()
    section: str = ""

    def as_dict(self) -> dict:
        data = asdict(self)
        data["countries"] = list(self.countries)
        return data


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What a page yielded: rows, or the reason it holds no list.

    "No list here" (a bot check, an error page, a link elsewhere, "available on
    request") is distinct from an empty list and must never read as "everything
    was removed".
    """

    rows: list[Row] = field(default_factory=list)
    no_list_reason: str | None = None

    @property
    def found(self) -> bool:
        return self.no_list_reason is None and bool(self.rows)

"""Country names to ISO 3166-1 alpha-2 codes. (Interim; issue 3 replaces it.)"""

from __future__ import annotations

_NAMES = {"united states": "US", "usa": "US", "germany": "DE", "ireland": "IE"}


def countries_in(text: str) -> tuple[str, ...]:
    """Return the sorted ISO codes of the countries named in ``text``."""
    lowered = text.lower()
    return tuple(sorted({code for name, code in _NAMES.items() if name in lowered}))

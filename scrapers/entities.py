"""Canonical entity names. (Interim; issue 3 replaces it.)"""

from __future__ import annotations

import re

_SUFFIX = re.compile(r"[,.]?\s+(inc|llc|ltd|gmbh|limited|corp|corporation)\.?$", re.I)


def canonical_entity(name: str) -> str:
    """Return the canonical entity for a published name ("Google LLC" -> "Google")."""
    cleaned = " ".join(name.split())
    return _SUFFIX.sub("", cleaned).strip()

"""CPU of one check in this process, without Celery, split into the HTTP exchange and the rest.

After the worker rounds, every source has a baseline and the pages are unchanged. For each
of the N sources we time (``time.process_time``, so this process only; the page server's
CPU is not counted):

* ``fetch()`` alone, with and without the validators (304 vs a full 200 body);
* the check task's body (``tasks.source_check(id)`` called directly: load the source, fetch,
  compare, record the check), with the validators (304) and without them (full body, SHA-256,
  byte-identical).

"Beyond the HTTP exchange" is the difference: what an unchanged page costs us besides fetch().
"""

from __future__ import annotations

import cProfile
import io
import pstats
import re
import time
from collections import Counter
from pathlib import Path

from django.conf import settings

from compliance import tasks
from compliance.models import Source
from scrapers.fetch import fetch

WARMUP = 20


def _fetch_all(sources: list[Source], conditional: bool) -> tuple[float, float, Counter]:
    statuses: Counter = Counter()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for s in sources:
        result = fetch(
            s.url,
            etag=s.etag if conditional else "",
            last_modified=s.last_modified if conditional else "",
            connect_timeout=settings.SUBWATCH_FETCH_CONNECT_TIMEOUT,
            read_timeout=settings.SUBWATCH_FETCH_READ_TIMEOUT,
            max_bytes=settings.SUBWATCH_FETCH_MAX_BYTES,
            allow_private=settings.SUBWATCH_ALLOW_PRIVATE_ADDRESSES,
            user_agent=settings.SUBWATCH_USER_AGENT,
        )
        statuses[result.status] += 1
    return time.process_time() - cpu0, time.perf_counter() - wall0, statuses


def _check_all(ids: list[int]) -> tuple[float, float, Counter]:
    outcomes: Counter = Counter()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for source_id in ids:
        outcomes[tasks.source_check(source_id)] += 1
    return time.process_time() - cpu0, time.perf_counter() - wall0, outcomes


def _clear_validators() -> None:
    Source.objects.update(etag="", last_modified="")


def measure(n: int, profile_path: Path) -> dict:
    sources = list(Source.objects.order_by("id"))
    ids = [s.id for s in sources]
    _fetch_all(sources[:WARMUP], conditional=False)
    _check_all(ids[:WARMUP])

    fetch_304 = _fetch_all(sources, conditional=True)
    fetch_200 = _fetch_all(sources, conditional=False)
    check_304 = _check_all(ids)
    _clear_validators()
    check_200 = _check_all(ids)

    _clear_validators()
    sample = ids[: min(len(ids), 300)]
    profiler = cProfile.Profile()
    profiler.enable()
    _check_all(sample)
    profiler.disable()
    top = _profile_summary(profiler, profile_path, len(sample))

    def ms(cpu: float) -> float:
        return round(1000 * cpu / len(ids), 3)

    return {
        "pages": len(ids),
        "fetch_304_ms": ms(fetch_304[0]),
        "fetch_200_ms": ms(fetch_200[0]),
        "check_304_ms": ms(check_304[0]),
        "check_200_ms": ms(check_200[0]),
        "beyond_304_ms": ms(check_304[0] - fetch_304[0]),
        "beyond_200_ms": ms(check_200[0] - fetch_200[0]),
        "fetch_statuses": {"conditional": dict(fetch_304[2]), "full": dict(fetch_200[2])},
        "check_outcomes": {"conditional": dict(check_304[2]), "full": dict(check_200[2])},
        "check_304_wall_ms": ms(check_304[1]),
        "check_200_wall_ms": ms(check_200[1]),
        "profile_file": str(profile_path),
        "profile_top": top,
    }


def _profile_summary(profiler: cProfile.Profile, path: Path, calls: int) -> list[str]:
    """Write the full profile (by cumulative and own time) and return the top own-time lines."""
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"cProfile of tasks.source_check on {calls} unchanged sources, full GET\n" + out.getvalue()
    )
    rows = []
    for (file, line, func), (_cc, _nc, tt, _ct, _callers) in sorted(
        stats.stats.items(), key=lambda kv: kv[1][2], reverse=True
    )[:8]:
        short = "/".join(Path(file).parts[-2:])
        func = re.sub(r" at 0x[0-9a-f]+", "", func)
        rows.append(f"{1000 * tt / calls:.3f} ms/check own time in {func} ({short}:{line})")
    return rows

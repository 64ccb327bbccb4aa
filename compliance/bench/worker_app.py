"""The Celery app the benchmark's worker runs: compliance's own, with one broker option.

Kombu's filesystem transport polls its folder and sleeps ``polling_interval`` (1 s by
default) whenever a poll finds nothing it may take; with prefetch 1 and acks_late that is
after every batch of ``concurrency`` messages, which caps the stock worker at about
``concurrency`` checks per second whatever they cost. The bench lowers the interval
(``SUBWATCH_BENCH_POLLING_INTERVAL``, default 0.01 s) so it measures the checks, not the
sleeps. Other brokers are left as configured.
"""

from __future__ import annotations

import os

from compliance.celery import app

if str(app.conf.broker_url).startswith("filesystem"):
    _interval = os.environ.get("SUBWATCH_BENCH_POLLING_INTERVAL", "0.01")
    if _interval:
        app.conf.broker_transport_options = {
            **app.conf.broker_transport_options,
            "polling_interval": float(_interval),
        }

__all__ = ["app"]

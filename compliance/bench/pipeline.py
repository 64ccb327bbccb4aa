"""The benchmark run: N generated vendor pages served from 127.0.0.1, checked by a real
Celery worker in rounds (first fetch, recheck with nothing changed, recheck after 5 % of
the pages gained one row), with the worker's CPU measured over each round.

Runs inside a process whose settings already point at the benchmark's own state
(see the ``bench`` management command): it writes to the configured database.
"""

from __future__ import annotations

import html
import math
import os
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max
from django.utils import timezone

from compliance import tasks
from compliance.bench import inproc, procs
from compliance.celery import app
from compliance.models import Change, Check, Snapshot, Source, Vendor
from scrapers.bench import bench_parse
from scrapers.entities import canonical_entity
from scrapers.fetch import validate_url


@dataclass
class Options:
    shared: Path
    work: Path  # var/bench: site/, logs; the state dir is settings.VAR_DIR
    n: int = 1000
    mutate: float = 0.05
    mutate_seed: int = 7
    pool: str = "solo"
    concurrency: int = 1
    parse_runs: int = 50
    polling_interval: float = 0.01  # filesystem broker only (CELERY_BROKER_POLLING_INTERVAL)
    prefetch: int = 16  # worker --prefetch-multiplier; 0: the settings' (1)
    log: object = print


@dataclass
class Round:
    key: str
    title: str
    pages: int
    wall_s: float
    cpu_s: dict[str, float]  # worker, server
    outcomes: dict[str, int]
    statuses: dict[str, int]
    changes: int
    first_check_id: int  # checks of this round have larger ids
    problems: list[str] = field(default_factory=list)
    kinds: dict[str, int] = field(default_factory=dict)  # changes by kind

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.wall_s if self.wall_s else 0.0

    def ms_per_page(self, who: str = "worker") -> float:
        return 1000 * self.cpu_s[who] / self.pages if self.pages else 0.0


@dataclass
class Results:
    n: int
    pool: str
    concurrency: int
    database: str
    broker: str
    polling_interval: float | None = None
    prefetch: int = 0
    page_sizes: str = ""
    rounds: list[Round] = field(default_factory=list)
    mutated: int = 0
    memory: procs.Memory | None = None
    disk: dict = field(default_factory=dict)
    inproc: dict = field(default_factory=dict)
    parse: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def round(self, key: str) -> Round:
        return next(r for r in self.rounds if r.key == key)

    @property
    def unchanged_ms(self) -> float:
        return self.round("unchanged").ms_per_page()

    @property
    def changed_ms(self) -> float:
        """Worker CPU per changed page in the 5 % round, unchanged pages' cost taken out."""
        r = self.round("changed")
        if not self.mutated:
            return 0.0
        rest = self.unchanged_ms * (r.pages - self.mutated) / 1000
        return 1000 * (r.cpu_s["worker"] - rest) / self.mutated


def run(opts: Options) -> Results:
    say = opts.log
    site, logs = opts.work / "site", opts.work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    results = Results(
        n=opts.n,
        pool=opts.pool,
        concurrency=opts.concurrency,
        prefetch=opts.prefetch,
        database=_database_name(),
        broker=settings.CELERY_BROKER_URL.split("://")[0],
    )
    if results.broker in ("localfs", "filesystem"):
        results.polling_interval = opts.polling_interval
    say(f"generating {opts.n} pages into {site}")
    _wipe(site)
    results.page_sizes = _gen_pages(opts, site)
    generated_at = time.time()
    call_command("migrate", verbosity=0, interactive=False)
    _clear_database()
    _purge_broker()

    server, port = procs.start_page_server(site, logs / "page-server.log")
    worker = None
    try:
        ids = register_sources(opts.n, port)
        say(f"registered {len(ids)} sources on http://127.0.0.1:{port}/p/")
        say(f"starting celery worker (--pool {opts.pool} --concurrency {opts.concurrency})")
        env = {**os.environ, "CELERY_BROKER_POLLING_INTERVAL": str(opts.polling_interval)}
        worker = procs.start_worker(
            env, opts.pool, opts.concurrency, logs / "worker.log", opts.prefetch
        )
        meter = procs.CpuMeter({"worker": worker.pid, "server": server.pid})

        def one(key: str, title: str) -> Round:
            r = run_round(key, title, opts.n, meter)
            say(
                f"  {title}: {r.wall_s:.1f} s, {r.pages_per_s:.0f} pages/s, worker CPU "
                f"{r.cpu_s['worker']:.1f} s ({r.ms_per_page():.2f} ms/page), outcomes {r.outcomes}"
            )
            results.rounds.append(r)
            return r

        _check(one("first", "first fetch"), opts.n, {"baseline": opts.n})
        _check(one("unchanged", "recheck, nothing changed"), opts.n, {"unchanged": opts.n})
        Source.objects.update(etag="", last_modified="")  # no conditional GET this time
        _check(
            one("unchanged_full", "recheck, nothing changed, full GET"),
            opts.n,
            {"unchanged": opts.n},
        )
        # The server's Last-Modified has one-second resolution: mutate in a later second.
        time.sleep(max(0.0, generated_at + 1.5 - time.time()))
        changed = _mutate(opts, site)
        results.mutated = len(changed)
        say(f"mutated {len(changed)} pages (one added row each)")
        r3 = one("changed", f"recheck, {opts.mutate:.0%} changed")
        expected = {"changed": len(changed), "unchanged": opts.n - len(changed)}
        _check(r3, opts.n, expected)
        r3.problems += _verify_changes(r3, changed, site)
        results.memory = procs.peak_rss(worker.pid)
    finally:
        if worker is not None:
            procs.stop(worker)
        try:
            results.disk = disk_usage(opts.n)
            say("measuring in-process CPU (fetch alone and the check task without Celery)")
            results.inproc = inproc.measure(opts.n, opts.work / "profile-unchanged.txt")
        finally:
            procs.stop(server)
    say("parse benchmark (one core)")
    results.parse = _parse_on_one_core(opts)
    for r in results.rounds:
        results.problems += [f"{r.title}: {p}" for p in r.problems]
    return results


# --- setup --------------------------------------------------------------------------------


def _wipe(path: Path) -> None:
    if path.exists():
        subprocess.run(["rm", "-rf", "--", str(path)], check=True)


def _gen(opts: Options, site: Path, *extra: str) -> str:
    script = opts.shared / "bench" / "gen_pages.py"
    argv = [sys.executable, str(script), "--out", str(site), "--n", str(opts.n), *extra]
    done = subprocess.run(argv, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def _gen_pages(opts: Options, site: Path) -> str:
    line = _gen(opts, site)
    return line.partition("size min/avg/max = ")[2].partition(";")[0]


def _mutate(opts: Options, site: Path) -> set[int]:
    _gen(opts, site, "--mutate", str(opts.mutate), "--mutate-seed", str(opts.mutate_seed))
    return {int(x) for x in (site / "changed.txt").read_text().split()}


def _database_name() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        return f"PostgreSQL {cur.fetchone()[0].split()[0]}"


def _clear_database() -> None:
    """Empty the bench database (fresh for SQLite; a dedicated PostgreSQL DB otherwise)."""
    if Source.objects.exists() or Vendor.objects.exists():
        call_command("flush", verbosity=0, interactive=False)


def _purge_broker() -> None:
    with app.connection_for_write() as conn:
        conn.default_channel.queue_declare(queue="celery", durable=True, auto_delete=False)
        conn.default_channel.queue_purge("celery")


def register_sources(n: int, port: int) -> list[int]:
    """N vendors with one source each, all due now (bulk, but as vendor_create names them)."""
    validate_url(_url(port, 0), allow_private=settings.SUBWATCH_ALLOW_PRIVATE_ADDRESSES)
    vendors = Vendor.objects.bulk_create(
        [Vendor(name=f"Bench Vendor {i:05d}", slug=f"bench-vendor-{i:05d}") for i in range(n)],
        batch_size=500,
    )
    now = timezone.now()
    sources = Source.objects.bulk_create(
        [Source(vendor=v, url=_url(port, i), next_check_at=now) for i, v in enumerate(vendors)],
        batch_size=500,
    )
    return [s.id for s in sources]


def _url(port: int, i: int) -> str:
    return f"http://127.0.0.1:{port}/p/{i:05d}.html"


def _page_index(url: str) -> int:
    return int(url.rsplit("/", 1)[1].split(".")[0])


# --- rounds -------------------------------------------------------------------------------


def run_round(key: str, title: str, n: int, meter: procs.CpuMeter, timeout: float = 0) -> Round:
    """Make every source due, queue the dispatcher, wait until N checks are recorded."""
    timeout = timeout or max(300.0, n * 0.5)
    start_id = Check.objects.aggregate(m=Max("id"))["m"] or 0
    Source.objects.update(next_check_at=timezone.now() - timedelta(seconds=1))
    batch = settings.SUBWATCH_DISPATCH_BATCH
    meter.start()
    for _ in range(math.ceil(n / batch)):
        tasks.sources_dispatch_due.delay()
    done = 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = Check.objects.filter(id__gt=start_id).count()
        if done >= n:
            break
        time.sleep(0.1)
    wall, cpu = meter.stop()
    checks = Check.objects.filter(id__gt=start_id)
    outcomes = dict(checks.values_list("outcome").annotate(c=Count("id")).order_by())
    statuses = Counter(str(s) for s in checks.values_list("http_status", flat=True))
    problems = []
    if done < n:
        problems.append(f"only {done} of {n} checks recorded after {timeout:.0f} s")
    return Round(
        key=key,
        title=title,
        pages=n,
        wall_s=wall,
        cpu_s=cpu,
        outcomes=outcomes,
        statuses=dict(statuses),
        changes=Change.objects.filter(check_run_id__gt=start_id).count(),
        first_check_id=start_id,
        problems=problems,
    )


def _check(r: Round, n: int, expected: dict[str, int]) -> None:
    if r.outcomes != expected:
        r.problems.append(f"outcomes {r.outcomes}, expected {expected}")
    recent = Check.objects.filter(id__gt=r.first_check_id)
    per_source = recent.values("source").annotate(c=Count("id")).filter(c__gt=1).count()
    if per_source:
        r.problems.append(f"{per_source} sources were checked more than once")
    for error in recent.filter(outcome__in=["failed", "suspicious"]).values_list(
        "error", flat=True
    )[:5]:
        r.problems.append(f"failed/suspicious check: {error}")
    if "changed" not in expected and r.changes:
        r.problems.append(f"{r.changes} changes recorded where none were expected")


def _verify_changes(r: Round, mutated: set[int], site: Path) -> list[str]:
    """Exactly the mutated pages changed, one change each: "added" for the new row's entity,
    or "modified" when the page already listed that canonical entity (gen_pages draws names
    at random, so the new row can be a second "Datadog ..." or a "SendGrid ..." on a page
    listing Twilio, whose purpose and location merge into the existing entity)."""
    problems = []
    changes = Change.objects.filter(check_run_id__gt=r.first_check_id).select_related("source")
    per_page = Counter(_page_index(c.source.url) for c in changes)
    if set(per_page) != mutated:
        problems.append(
            f"changed pages differ from changed.txt: missing {sorted(mutated - set(per_page))[:10]}"
            f", unexpected {sorted(set(per_page) - mutated)[:10]}"
        )
    many = sorted(page for page, count in per_page.items() if count != 1)
    if many:
        problems.append(f"pages with more than one change: {many[:10]}")
    for c in changes:
        page = _page_index(c.source.url)
        new_name, others = _new_row(site, page)
        entity = canonical_entity(new_name)
        if c.kind == Change.Kind.ADDED and c.after.get("name") != new_name:
            problems.append(f"page {page}: added {c.after.get('name')!r}, expected {new_name!r}")
        elif c.kind == Change.Kind.MODIFIED and entity not in {canonical_entity(o) for o in others}:
            problems.append(f"page {page}: 'modified' but {new_name!r} is a new entity")
        elif c.kind == Change.Kind.REMOVED:
            problems.append(f"page {page}: unexpected removal of {c.before.get('name')!r}")
    r.kinds = dict(Counter(c.kind for c in changes))
    return problems


_ENTITY = re.compile(r'<tr class="sp-row" id="sp-(\d+)"><td class="entity"><a [^>]*>([^<]*)</a>')


def _new_row(site: Path, page: int) -> tuple[str, list[str]]:
    """The name gen_pages added to a mutated page (row sp-40) and the page's other names."""
    rows = dict(_ENTITY.findall((site / "p" / f"{page:05d}.html").read_text()))
    new = html.unescape(rows.pop("40", ""))
    return new, [html.unescape(v) for v in rows.values()]


# --- afterwards ---------------------------------------------------------------------------


def disk_usage(n: int) -> dict:
    table = Snapshot._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f"SELECT COUNT(*), SUM(size), SUM(LENGTH(body_compressed)) FROM {table}")
        count, raw, stored = cur.fetchone()
        if connection.vendor == "sqlite":
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            path = Path(settings.DATABASES["default"]["NAME"])
            db_bytes = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
        else:
            cur.execute("SELECT pg_database_size(current_database())")
            db_bytes = cur.fetchone()[0]
    return {
        "db_bytes": db_bytes,
        "db_kb_per_page": round(db_bytes / 1024 / n, 1),
        "snapshots": count,
        "snapshot_raw_kb_per_page": round((raw or 0) / 1024 / n, 1),
        "snapshot_stored_kb_per_page": round((stored or 0) / 1024 / n, 1),
        "checks": Check.objects.count(),
    }


def _parse_on_one_core(opts: Options) -> dict:
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    try:
        return bench_parse(opts.shared, runs=opts.parse_runs)
    finally:
        os.sched_setaffinity(0, before)

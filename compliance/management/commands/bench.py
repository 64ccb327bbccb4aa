"""``manage.py bench``: the end-to-end benchmark (see compliance/bench/).

The command never touches the configured data. It re-runs itself in a child process whose
environment points SUBWATCH_VAR_DIR at ``<work>/state`` (wiped first: a fresh SQLite
database and filesystem broker) and drops DATABASE_URL / CELERY_BROKER_URL, unless
``--use-env-services`` is given, in which case the configured PostgreSQL and broker are used
and the database name must contain "bench" or "test" (it is flushed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

_INNER = "SUBWATCH_BENCH_INNER"
_DROPPED = ("DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_HOST")


class Command(BaseCommand):
    help = (
        "Benchmark: N generated pages served from 127.0.0.1, checked by a real Celery worker "
        "(first fetch, recheck unchanged, recheck 5% changed), plus the parse benchmark."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--shared", type=Path, default=Path("../shared"))
        parser.add_argument("--n", type=int, default=1000, help="number of sources (1000)")
        parser.add_argument("--out", type=Path, help="write the report here (Markdown)")
        parser.add_argument("--work", type=Path, default=None, help="default: var/bench")
        # Fastest on 2 cores shared with the page server (see docs/benchmarks.md): one solo
        # worker, no pool IPC; SQLite takes one writer at a time anyway.
        parser.add_argument("--pool", default="solo", choices=["prefork", "threads", "solo"])
        parser.add_argument("--concurrency", type=int, default=1)
        parser.add_argument("--mutate", type=float, default=0.05)
        parser.add_argument("--mutate-seed", type=int, default=7)
        parser.add_argument("--parse-runs", type=int, default=50)
        parser.add_argument(
            "--polling-interval",
            type=float,
            default=0.01,
            help="filesystem broker poll interval for the bench worker (settings: 0.1 s)",
        )
        parser.add_argument(
            "--prefetch-multiplier",
            type=int,
            default=16,
            help="worker --prefetch-multiplier (settings: 1); 0 keeps the settings' value",
        )
        parser.add_argument(
            "--use-env-services",
            action="store_true",
            help="use DATABASE_URL/CELERY_BROKER_URL (database name must contain bench/test)",
        )

    def handle(self, *args, **opts) -> None:
        if opts["n"] < 20:
            raise CommandError("--n must be at least 20", returncode=2)
        if not (opts["shared"] / "bench" / "gen_pages.py").is_file():
            raise CommandError(
                f"{opts['shared']}/bench/gen_pages.py not found (pass --shared)", returncode=2
            )
        work = (opts["work"] or settings.BASE_DIR / "var" / "bench").resolve()
        if os.environ.get(_INNER) == str(work):
            return self._inner(work, opts)
        code = self._outer(work, opts)
        if code:
            raise CommandError(f"benchmark failed (exit {code})", returncode=code)

    def _outer(self, work: Path, opts: dict) -> int:
        env = dict(os.environ)
        if opts["use_env_services"]:
            _refuse_unless_bench_database(env.get("DATABASE_URL", ""))
        else:
            for name in _DROPPED:
                env.pop(name, None)
        state = work / "state"
        if state.exists():
            shutil.rmtree(state)
        state.mkdir(parents=True)
        env.update(
            {
                _INNER: str(work),
                "SUBWATCH_VAR_DIR": str(state),
                "SUBWATCH_ALLOW_PRIVATE_ADDRESSES": "1",
                "SUBWATCH_DISPATCH_BATCH": str(max(opts["n"], 500)),
                "DJANGO_SETTINGS_MODULE": "compliance.settings",
            }
        )
        argv = [sys.executable, str(settings.BASE_DIR / "manage.py"), "bench"]
        argv += ["--shared", str(opts["shared"].resolve()), "--work", str(work)]
        for name in (
            "n",
            "pool",
            "concurrency",
            "mutate",
            "mutate_seed",
            "parse_runs",
            "polling_interval",
        ):
            argv += ["--" + name.replace("_", "-"), str(opts[name])]
        if opts["out"]:
            argv += ["--out", str(opts["out"].resolve())]
        if opts["use_env_services"]:
            argv.append("--use-env-services")
        return subprocess.run(argv, env=env, cwd=settings.BASE_DIR).returncode

    def _inner(self, work: Path, opts: dict) -> None:
        from compliance.bench import pipeline, report

        def say(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        options = pipeline.Options(
            shared=opts["shared"].resolve(),
            work=work,
            n=opts["n"],
            mutate=opts["mutate"],
            mutate_seed=opts["mutate_seed"],
            pool=opts["pool"],
            concurrency=opts["concurrency"],
            parse_runs=opts["parse_runs"],
            polling_interval=opts["polling_interval"],
            prefetch=opts["prefetch_multiplier"],
            log=say,
        )
        results = pipeline.run(options)
        peer = report.peer_baseline(options.shared)
        machine = report.machine()
        say("")
        say(report.text(results, machine, peer))
        if opts["out"]:
            report.write(opts["out"], results, machine, peer)
            say(f"\nwrote {opts['out']}")
        if results.problems:
            raise CommandError(
                "correctness problems:\n  " + "\n  ".join(results.problems), returncode=1
            )


def _refuse_unless_bench_database(url: str) -> None:
    name = url.rsplit("/", 1)[-1].split("?")[0] if url else ""
    if not url:
        raise CommandError("--use-env-services needs DATABASE_URL", returncode=2)
    if "bench" not in name and "test" not in name:
        raise CommandError(
            f"refusing to flush database {name!r}: its name must contain 'bench' or 'test'",
            returncode=2,
        )

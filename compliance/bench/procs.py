"""Processes the benchmark starts and measures: the page server and the Celery worker.

CPU and memory are read from /proc (Linux only), for a process and all its descendants,
so a prefork worker's pool children are counted with their parent.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _spawn(argv: list[str], log_path: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    log = open(log_path, "ab")  # noqa: SIM115 - handed to the child, closed in stop()
    proc = subprocess.Popen(
        argv, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
    )
    proc.log_file = log  # type: ignore[attr-defined]
    return proc


def start_page_server(site: Path, log_path: Path) -> tuple[subprocess.Popen, int]:
    """``python -m http.server`` on 127.0.0.1 and a free port, as the peer's setup did."""
    port = free_port()
    argv = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    proc = _spawn([*argv, "--directory", str(site)], log_path)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"page server exited with {proc.returncode}; see {log_path}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    stop(proc)
    raise RuntimeError(f"page server did not start on port {port}; see {log_path}")


def start_worker(
    env: dict[str, str], pool: str, concurrency: int, log_path: Path, prefetch: int = 0
) -> subprocess.Popen:
    """A real ``celery -A compliance worker``; returns once it says it is ready."""
    celery = Path(sys.executable).with_name("celery")
    argv = [str(celery), "-A", "compliance", "worker", "--pool", pool]
    argv += ["--concurrency", str(concurrency), "--loglevel", "INFO", "--without-heartbeat"]
    argv += ["--without-gossip", "--without-mingle", "--hostname", f"bench-{os.getpid()}@%h"]
    if prefetch:
        argv += ["--prefetch-multiplier", str(prefetch)]
    log_path.write_bytes(b"")
    proc = _spawn(argv, log_path, env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"worker exited with {proc.returncode}; see {log_path}")
        if b" ready." in log_path.read_bytes():
            return proc
        time.sleep(0.1)
    stop(proc)
    raise RuntimeError(f"worker not ready after 60 s; see {log_path}")


def stop(proc: subprocess.Popen, timeout: float = 30) -> None:
    """TERM (a Celery warm shutdown), then KILL the process group we started."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
    log = getattr(proc, "log_file", None)
    if log is not None:
        log.close()


def _stat(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Fields after the command name, which is in parentheses and may hold spaces.
    return raw[raw.rindex(")") + 2 :].split()


def tree(root: int) -> list[int]:
    """``root`` and all its living descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None:
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def cpu_seconds(root: int) -> float:
    """User + system CPU of the process tree, reaped children included."""
    ticks = 0
    for pid in tree(root):
        fields = _stat(pid)
        if fields is not None:
            # utime, stime, cutime, cstime: fields 14-17 of /proc/PID/stat.
            ticks += sum(int(v) for v in fields[11:15])
    return ticks / _TICK


@dataclass(frozen=True)
class Memory:
    peak_total_mb: float  # sum of each process's peak (an upper bound for the tree)
    peak_largest_mb: float  # the largest single process's peak
    processes: int


def peak_rss(root: int) -> Memory:
    peaks = []
    for pid in tree(root):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return Memory(round(sum(peaks), 1), round(max(peaks, default=0.0), 1), len(peaks))


@dataclass
class CpuMeter:
    """CPU of several process trees between start() and stop()."""

    roots: dict[str, int]

    def start(self) -> None:
        self._t0 = time.perf_counter()
        self._cpu0 = {name: cpu_seconds(pid) for name, pid in self.roots.items()}

    def stop(self) -> tuple[float, dict[str, float]]:
        wall = time.perf_counter() - self._t0
        cpu = {name: cpu_seconds(pid) - self._cpu0[name] for name, pid in self.roots.items()}
        return wall, cpu

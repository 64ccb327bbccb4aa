"""The embedded default's broker: kombu's filesystem transport, made safe to share.

kombu's own transport writes a message file in place, so a worker polling the
folder can take it while it is still empty, fail to decode it and stop with an
"Unrecoverable error"; it claims a file by moving it to the system temp folder,
which is a copy (not atomic) when that is another filesystem; and processes
starting together (web, worker, scheduler) can read an exchange table another
is halfway through writing. Here every file is written under a hidden name and
renamed into place, a worker claims a message by renaming it within the same
folder, and exchange tables change under a lock: rename is atomic, so exactly
one worker gets each message and no one reads half a file.

Registered as ``localfs://`` (see compliance/celery.py).
"""

from __future__ import annotations

import fcntl
import os
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from queue import Empty
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem, virtual
from kombu.transport.filesystem import exchange_queue_t
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads


class Channel(filesystem.Channel):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Names from the last listing of the folder, oldest first. kombu lists and
        # sorts the whole folder for every message, which is quadratic in a long queue.
        self._listed: dict[str, deque[str]] = {}

    def _put(self, queue: str, payload: dict, **kwargs) -> None:
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # Readers skip names that start with a dot (they do not end in ".<queue>.msg").
        partial = os.path.join(self.data_folder_out, f".{name}.partial")
        try:
            with open(partial, "wb") as fh:
                fh.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add message {name!r} to {self.data_folder_out}") from exc

    def _get(self, queue: str) -> dict:
        listed = self._listed.get(queue)
        if not listed:
            wanted = f"{queue}.msg"
            names = os.listdir(self.data_folder_in)
            listed = self._listed[queue] = deque(
                sorted(n for n in names if not n.startswith(".") and n.partition(".")[2] == wanted)
            )
        while listed:
            name = listed.popleft()
            claimed = os.path.join(self.data_folder_in, f".{name}.{os.getpid()}.claimed")
            try:
                os.rename(os.path.join(self.data_folder_in, name), claimed)
            except OSError:
                continue  # another worker claimed it first
            try:
                with open(claimed, "rb") as fh:
                    payload = fh.read()
            finally:
                os.remove(claimed)
            return loads(bytes_to_str(payload))
        raise Empty()

    def get_table(self, exchange: str) -> list:
        """The exchange's bindings: those on disk (other processes') and this
        process's own, which kombu records in memory before writing them out."""
        table = self._stored_table(exchange)
        own = self.state.exchanges.get(exchange, {}).get("table", [])
        return table + [e for e in (exchange_queue_t(*m) for m in own) if e not in table]

    def _stored_table(self, exchange: str) -> list:
        try:
            stored = loads(bytes_to_str(self._exchange_file(exchange).read_bytes()))
        except FileNotFoundError:
            return []
        return [exchange_queue_t(*entry) for entry in stored]

    def _queue_bind(self, exchange, routing_key, pattern, queue) -> None:
        entry = exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with self._tables_locked():
            table = self._stored_table(exchange)
            if entry not in table:
                self._write_table(exchange, [entry, *table])

    def _delete(self, queue, exchange, routing_key, pattern, *args, **kwargs) -> None:
        virtual.Channel._delete(self, queue, exchange, routing_key, pattern, *args, **kwargs)
        entry = exchange_queue_t(routing_key or "", pattern or "", queue or "")
        with self._tables_locked():
            table = self._stored_table(exchange)
            if entry in table:
                self._write_table(exchange, [e for e in table if e != entry])

    @contextmanager
    def _tables_locked(self) -> Iterator[None]:
        self.control_folder.mkdir(parents=True, exist_ok=True)
        with open(self.control_folder / ".tables.lock", "a") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def _write_table(self, exchange: str, table: list) -> None:
        final = self._exchange_file(exchange)
        partial = final.with_name(f".{final.name}.{os.getpid()}.partial")
        partial.write_bytes(str_to_bytes(dumps(table)))
        os.replace(partial, final)


class Transport(filesystem.Transport):
    Channel = Channel
    driver_type = "localfs"
    driver_name = "localfs"

"""The embedded default's broker: kombu's filesystem transport, made safe to share.

kombu's own transport writes a message file in place, so a worker polling the
folder can take it while it is still empty, fail to decode it and stop with an
"Unrecoverable error"; and it claims a file by moving it to the system temp
folder, which is a copy (not atomic) when that is another filesystem. Here a
message is written under a hidden name and renamed into place, and a worker
claims it by renaming it within the same folder: rename is atomic, so exactly
one worker gets each message and no one reads half of one.

Registered as ``localfs://`` (see compliance/celery.py).
"""

from __future__ import annotations

import os
import uuid
from queue import Empty
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads


class Channel(filesystem.Channel):
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
        wanted = f"{queue}.msg"
        for name in sorted(os.listdir(self.data_folder_in)):
            if name.startswith(".") or name.partition(".")[2] != wanted:
                continue
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


class Transport(filesystem.Transport):
    Channel = Channel
    driver_type = "localfs"
    driver_name = "localfs"

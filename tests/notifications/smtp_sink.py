"""A real SMTP server for the outbox tests (aiosmtpd on 127.0.0.1), and a blackhole: a socket
that accepts connections and never answers."""

from __future__ import annotations

import email
import socket
import threading
import time
from collections import Counter

from aiosmtpd.controller import Controller


class _Collect:
    def __init__(self, sink: SmtpSink):
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        with self.sink.lock:
            self.sink.received.append((message["Message-ID"], tuple(envelope.rcpt_tos)))
        if self.sink.delay:
            time.sleep(self.sink.delay)  # a slow server: the batch takes a while
        return "250 OK"


class SmtpSink:
    """Takes every mail except to addresses starting with "refused" (550 at RCPT).
    `start()` on a fixed port (chosen before, so that mail can be queued while it is down)."""

    def __init__(self, port: int, delay: float = 0.0):
        self.port = port
        self.delay = delay
        self.lock = threading.Lock()
        self.received: list[tuple[str, tuple[str, ...]]] = []
        self.controller: Controller | None = None

    def start(self) -> SmtpSink:
        self.controller = Controller(_Collect(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def message_ids(self) -> Counter:
        with self.lock:
            return Counter(message_id for message_id, _ in self.received)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Blackhole:
    """Listens, never accepts nor answers: a client's connect succeeds (the kernel's backlog)
    and then waits for the greeting forever. `attempts()` counts the connections made."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]

    def attempts(self) -> int:
        count = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return count
            conn.close()
            count += 1

    def close(self) -> None:
        self.sock.close()

"""A small asyncio TCP proxy on 127.0.0.1 that misbehaves by a seeded schedule.

The client under test opens one connection per request (no keep-alive), so "the k-th request" is "the k-th
connection". The proxy reads the whole request, adds ``Connection: close`` so the server ends its answer with
EOF, and then, for the request the schedule names, cuts the request after N bytes, cuts the response after N
bytes, delays, sends the request twice, answers 502/503 (before or after the server saw it), or restarts the
server while the request is in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass

FAULT_KINDS = ("cut_request", "cut_response", "delay", "duplicate", "503_before", "502_after", "restart")


@dataclass(frozen=True)
class Fault:
    at_request: int
    kind: str
    amount: int = 0  # bytes for cuts, milliseconds for delays


def schedule(seed: int, *, restart_every: int = 12) -> list[Fault]:
    """One or two faults on the first few requests of a sync, drawn from ``seed``."""
    rng = random.Random(seed)
    kinds = [k for k in FAULT_KINDS if k != "restart"]
    faults = []
    for _ in range(rng.choice((1, 1, 2))):
        kind = "restart" if seed % restart_every == 0 and not faults else rng.choice(kinds)
        amount = rng.randint(1, 40) if kind == "delay" else rng.randint(0, 2000)
        faults.append(Fault(at_request=rng.randint(0, 7), kind=kind, amount=amount))
    return faults


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1].strip())
    body = await reader.readexactly(length) if length else b""
    return head + body


def _with_close(request: bytes) -> bytes:
    head, _, body = request.partition(b"\r\n\r\n")
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body


class FaultProxy:
    def __init__(self, upstream_port: int, restart: Callable[[], None]) -> None:
        self.upstream_port = upstream_port
        self.restart = restart
        self.faults: dict[int, Fault] = {}
        self.requests = 0
        self.fired: list[Fault] = []
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("proxy did not start")

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._server = server
        self._ready.set()
        self._loop.run_forever()
        server.close()
        self._loop.run_until_complete(server.wait_closed())

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def arm(self, faults: list[Fault]) -> None:
        """Apply ``faults`` to the coming requests (counted from now)."""
        self.requests = 0
        self.faults = {fault.at_request: fault for fault in faults}

    def disarm(self) -> None:
        self.faults = {}

    async def _exchange(self, request: bytes, limit: int | None = None) -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        try:
            writer.write(request if limit is None else request[:limit])
            await writer.drain()
            if limit is not None:
                return b""
            return await asyncio.wait_for(reader.read(-1), timeout=20)
        finally:
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            try:
                request = _with_close(await _read_request(reader))
            except (asyncio.IncompleteReadError, ConnectionError, ValueError):
                return
            index = self.requests
            self.requests += 1
            fault = self.faults.pop(index, None)
            if fault is not None:
                self.fired.append(fault)
            response = await self._respond(request, fault)
            if response:
                writer.write(response)
                await writer.drain()
        except (ConnectionError, OSError, TimeoutError):
            pass
        finally:
            writer.close()

    async def _respond(self, request: bytes, fault: Fault | None) -> bytes:
        kind = fault.kind if fault else "pass"
        if kind == "cut_request":
            await self._exchange(request, limit=min(fault.amount, len(request) - 1) if fault else 0)
            return b""
        if kind == "503_before":
            return b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        if kind == "delay" and fault:
            await asyncio.sleep(fault.amount / 1000)
        if kind == "duplicate":
            await self._exchange(request)
        if kind == "restart":
            upstream = asyncio.ensure_future(self._exchange(request))
            await asyncio.sleep(0.005)
            await self._loop.run_in_executor(None, self.restart)
            with contextlib.suppress(ConnectionError, OSError, TimeoutError):
                await upstream
            return b""
        response = await self._exchange(request)
        if kind == "cut_response" and fault:
            return response[: min(fault.amount, max(len(response) - 1, 0))]
        if kind == "502_after":
            return b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        return response

"""Exhaustion (issue 12): no body is read before authentication, bodies are capped per route, blob chunks go to
disk as they arrive, and sign-in throttling cannot be turned against a coordinator."""

from __future__ import annotations

import datetime as dt
import hashlib
import socket
import tracemalloc
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select

from app.sync.protocol import (
    MAX_BATCH,
    MAX_BLOB_BATCH_BYTES,
    MAX_BLOB_CHUNK,
    MAX_JSON_BYTES,
    MAX_PUSH_BYTES,
    ErrorCode,
)
from server.models import LoginFailure
from tests.security.conftest import Api, mutation
from tests.sync.conftest import PASSWORD, District

HEAD_WAIT = 10.0
"""Seconds a test waits for an answer to headers alone; a server that waits for the body never answers."""


def _answer_to_headers(url: str, head: str) -> bytes:
    """Send only a request's head (its body never comes) and return the first bytes of the answer."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=HEAD_WAIT) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode())
        return sock.recv(4096)


def test_an_unauthenticated_write_is_refused_before_its_body(district: District) -> None:
    url = district.server.url
    host = urlsplit(url).netloc
    sha = "0" * 64
    for head in (
        f"PUT /blobs/{sha} HTTP/1.1\nHost: {host}\nContent-Length: 52428800\nContent-Type: application/octet-stream\n\n",
        f"POST /sync/push HTTP/1.1\nHost: {host}\nContent-Length: 52428800\nContent-Type: application/json\n\n",
        f"POST /blobs HTTP/1.1\nHost: {host}\nContent-Length: 8388608\nContent-Type: application/octet-stream\n\n",
        f"PUT /blobs/{sha} HTTP/1.1\nHost: {host}\nAuthorization: Bearer forged\nContent-Length: 1000\n\n",
    ):
        assert _answer_to_headers(url, head).startswith(b"HTTP/1.1 401"), head


def test_bodies_over_a_routes_cap_are_refused_with_413_before_reading(district: District, api: Api) -> None:
    li = api("li")
    url = district.server.url
    host = urlsplit(url).netloc
    token = li.headers["Authorization"]
    for method, path, size in (
        ("POST", "/sync/push", MAX_PUSH_BYTES + 1),
        ("PUT", f"/blobs/{'0' * 64}", MAX_BLOB_CHUNK + 1),
        ("POST", "/blobs", MAX_BLOB_BATCH_BYTES + MAX_JSON_BYTES + 1),
    ):
        head = f"{method} {path} HTTP/1.1\nHost: {host}\nAuthorization: {token}\nContent-Length: {size}\n\n"
        assert _answer_to_headers(url, head).startswith(b"HTTP/1.1 413"), path


def _stream(prefix: bytes, total: int, piece: int = 1 << 20) -> Iterator[bytes]:
    yield prefix
    sent = len(prefix)
    while sent < total:
        size = min(piece, total - sent)
        yield b" " * size
        sent += size


def test_a_chunked_body_over_the_cap_is_cut_off_with_413(district: District, api: Api) -> None:
    li = api("li")
    push = li.post(
        "/sync/push",
        content=_stream(b'{"device_id": "x", "mutations": []', MAX_PUSH_BYTES + (1 << 20)),
        headers={"Content-Type": "application/json"},
    )
    assert push.status_code == 413, push.text
    blob = li.put(f"/blobs/{'0' * 64}", content=_stream(b"", MAX_BLOB_CHUNK + (1 << 20)))
    assert blob.status_code == 413, blob.text


def test_a_batch_over_the_limit_is_413_as_documented(district: District, api: Api) -> None:
    li = api("li")
    batch = [mutation("answer", str(uuid.uuid4()), {}, seq=n + 1) for n in range(MAX_BATCH + 1)]
    answer = li.post("/sync/push", json={"device_id": li.headers["X-Device"], "mutations": batch})
    assert answer.status_code == 413, answer.text
    assert answer.json()["code"] == ErrorCode.BATCH_TOO_LARGE


def test_a_blob_chunk_is_streamed_to_disk_not_held_in_memory(district: District, api: Api) -> None:
    li = api("li")
    data = bytes(range(256)) * (MAX_BLOB_CHUNK // 256)
    sha = hashlib.sha256(data).hexdigest()
    pieces = [data[start : start + 65536] for start in range(0, len(data), 65536)]
    tracemalloc.start()
    try:
        answer = li.put(f"/blobs/{sha}", content=iter(pieces), headers={"Content-Length": str(len(data))})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert answer.json()["complete"], answer.text
    assert peak < len(data) // 3, f"peak {peak} bytes while receiving a {len(data)}-byte chunk"


def _sign_in(client: httpx.Client, password: str, device: str) -> httpx.Response:
    return client.post("/auth/sign-in", json={"username": "li", "password": password, "device_id": device})


def _from(district: District, address: str) -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=district.server.url, transport=transport, timeout=30)


def test_a_stranger_cannot_lock_a_coordinator_out(district: District) -> None:
    with _from(district, "127.0.0.2") as stranger, _from(district, "127.0.0.1") as coordinator:
        for _ in range(8):
            assert _sign_in(stranger, "guess", "stranger-pc").status_code in (401, 429)
        assert _sign_in(stranger, PASSWORD, "stranger-pc").status_code == 429
        assert _sign_in(coordinator, PASSWORD, "li-new-laptop").status_code == 200


def test_the_right_password_from_a_known_device_always_works(district: District) -> None:
    with _from(district, "127.0.0.1") as office_network:
        assert _sign_in(office_network, PASSWORD, "li-laptop").status_code == 200
        for _ in range(8):  # someone on the same network guesses
            assert _sign_in(office_network, "guess", "other-pc").status_code in (401, 429)
        assert _sign_in(office_network, PASSWORD, "other-pc").status_code == 429
        again = _sign_in(office_network, PASSWORD, "li-laptop")
        assert again.status_code == 200, again.text
        assert _sign_in(office_network, "guess", "li-laptop").status_code == 401


def test_the_delay_grows_with_each_failure(district: District) -> None:
    waits = []
    with _from(district, "127.0.0.3") as guesser:
        for _ in range(5):
            assert _sign_in(guesser, "guess", "pc").status_code == 401
        for _ in range(3):
            throttled = _sign_in(guesser, PASSWORD, "pc")
            assert throttled.status_code == 429
            assert throttled.json()["code"] == ErrorCode.RATE_LIMITED
            waits.append(int(throttled.headers["Retry-After"]))
            with district.db.session() as session:  # the wait passes
                for failure in session.scalars(select(LoginFailure)):
                    failure.at -= dt.timedelta(seconds=waits[-1] + 1)
            assert _sign_in(guesser, "guess", "pc").status_code == 401
    assert 0 < waits[0] < waits[1] < waits[2], waits

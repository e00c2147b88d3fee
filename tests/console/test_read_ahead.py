"""The export's read-ahead thread: order kept, errors raised in the consumer, the thread gone however it ends."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from server.console.read_ahead import read_ahead


class Source:
    """Parts made on demand, recording which thread made them and whether the source was closed."""

    def __init__(self, count: int, fail_at: int | None = None) -> None:
        self.count = count
        self.fail_at = fail_at
        self.threads: set[str] = set()
        self.made = 0
        self.closed = False

    def parts(self) -> Iterator[list[int]]:
        try:
            for index in range(self.count):
                if index == self.fail_at:
                    raise ValueError("the database went away")
                self.threads.add(threading.current_thread().name)
                self.made += 1
                yield [index * 10 + offset for offset in range(10)]
        finally:
            self.closed = True


def workers() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "read-ahead"]


def test_every_part_arrives_in_order_fetched_by_the_worker() -> None:
    source = Source(50)
    received = [value for part in read_ahead(source.parts()) for value in part]
    assert received == list(range(500))
    assert source.threads == {"read-ahead"}
    assert source.closed
    assert workers() == []


def test_the_sources_error_is_raised_in_the_consumer_after_the_parts_before_it() -> None:
    source = Source(10, fail_at=4)
    received: list[int] = []
    with pytest.raises(ValueError, match="went away"):
        for part in read_ahead(source.parts()):
            received.extend(part)
    assert received == list(range(40))
    assert workers() == []


def test_a_consumer_that_stops_early_stops_the_worker_and_closes_the_source() -> None:
    source = Source(1000)
    stream = read_ahead(source.parts(), depth=2)
    assert next(stream) == list(range(10))
    stream.close()
    assert workers() == []
    assert source.closed
    assert source.made <= 4, "the worker reads at most the buffer's depth ahead (plus the part it holds)"

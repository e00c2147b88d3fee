"""Reading ahead in a thread: the next rows are fetched while the current ones are written.

An export of the district ledger is bound by Python's work on each row (composing it, writing its cells), while
the database driver spends its time waiting: for PostgreSQL to sort and join the next rows and send them. psycopg
releases the GIL while it waits, so a thread that fetches the next part ahead hides that wait behind the writing
instead of adding it (a 200k-item export: the reading's wait is several seconds).

The buffer holds at most ``depth`` parts, so memory stays bounded whatever the export's size. The thread is the
only user of the database connection until it ends; :func:`read_ahead` stops it and waits for it before it
returns or raises, however the consumer ends (finished, failed, or closed early), so the session can be used or
closed afterwards without two threads ever touching the connection at once.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Generator, Iterable
from typing import TypeVar

T = TypeVar("T")


def read_ahead(parts: Iterable[T], depth: int = 1) -> Generator[T, None, None]:
    """``parts`` in order, fetched by a worker thread up to ``depth`` parts ahead; its error is raised here."""
    buffer: deque[T] = deque()
    changed = threading.Condition()
    finished = False
    stopping = False
    failure: BaseException | None = None
    source = iter(parts)

    def fetch() -> None:
        nonlocal finished, failure
        try:
            for part in source:
                with changed:
                    while len(buffer) >= depth and not stopping:
                        changed.wait()
                    if stopping:
                        return
                    buffer.append(part)
                    changed.notify_all()
        except BaseException as error:  # handed to the consumer, raised in its thread
            failure = error
        finally:
            with changed:
                finished = True
                changed.notify_all()

    worker = threading.Thread(target=fetch, name="read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            with changed:
                while not buffer and not finished:
                    changed.wait()
                if not buffer:
                    if failure is not None:
                        raise failure
                    return
                part = buffer.popleft()
                changed.notify_all()
            yield part
    finally:
        with changed:
            stopping = True
            buffer.clear()
            changed.notify_all()
        worker.join()
        close = getattr(source, "close", None)
        if close is not None:
            close()  # a generator left half-way: its cleanup (the cursor) runs here, in the consumer's thread

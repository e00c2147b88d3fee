"""The application log: one rotating file in the data directory, or standard error when that cannot be written.

Only technical facts go here (tracebacks, timings, counts). Workers' personal data — names, ID numbers, pay,
health facts — never does: services do not log record contents, and user-facing messages are printed, not logged.

On a read-only or full disk the log file cannot be opened; logging then falls back to standard error, so the
error that made the program stop is still reported instead of the log set-up failing in its turn.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import sys
from pathlib import Path

LOG_NAME = "laborcheck.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _LogFile(logging.handlers.RotatingFileHandler):
    """The log file; a record it cannot write (the disk filled up meanwhile) goes to standard error as one line,
    instead of the logging module's own traceback about the failure."""

    def handleError(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):  # standard error itself gone: nothing is left to tell
            sys.stderr.write(logging.Formatter(FORMAT).format(record).splitlines()[0] + "\n")


def setup_logging(log_dir: Path) -> Path | None:
    """Send the ``app`` logger to ``log_dir/laborcheck.log`` (1 MB × 3 files) and return the file's path; where
    the file cannot be written (read-only or full disk), to standard error, and return ``None``."""
    logger = logging.getLogger("app")
    logger.setLevel(logging.INFO)
    for handler in logger.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            return Path(handler.baseFilename)
    path = log_dir / LOG_NAME
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        file_handler = _LogFile(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        if not any(getattr(h, "stream", None) is sys.stderr for h in logger.handlers):
            stream = logging.StreamHandler(sys.stderr)
            stream.setFormatter(logging.Formatter(FORMAT))
            logger.addHandler(stream)
        return None
    file_handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(file_handler)
    return path

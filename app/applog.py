"""The application log: one rotating file in the data directory.

Only technical facts go here (tracebacks, timings, counts). Workers' personal data — names, ID numbers, pay,
health facts — never does: services do not log record contents, and user-facing messages are printed, not logged.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_NAME = "laborcheck.log"


def setup_logging(log_dir: Path) -> Path:
    """Send the ``app`` logger to ``log_dir/laborcheck.log`` (1 MB × 3 files); returns the file's path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_NAME
    logger = logging.getLogger("app")
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in logger.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    return path

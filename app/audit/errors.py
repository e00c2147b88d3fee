"""User-facing errors of the audit services (the base class lives in :mod:`app.errors`)."""

from app.errors import LaborCheckError

__all__ = ["LaborCheckError"]

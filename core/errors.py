"""The one base class of errors a coordinator can cause and must be able to read.

Services raise subclasses of :class:`LaborCheckError` with a Chinese message that says what is wrong and, where
possible, how to fix it; the UI and the CLI show ``str(error)`` as it is, in one place. Anything else that escapes
a service is a bug, not a user error. It lives at the bottom of the layers so every package can raise it.
"""

from __future__ import annotations


class LaborCheckError(Exception):
    """A user-facing error: ``str()`` is a complete Chinese sentence for the coordinator."""

"""The translation marker, apart from the page machinery so that every console module can import it."""

from __future__ import annotations


def T(text: str) -> str:
    """Marks a Chinese string in Python code for translation; it is translated where it is shown (``_()``)."""
    return text

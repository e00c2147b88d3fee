"""Tiny in-memory images for tests (not a test module of its own beyond a sanity check)."""

from __future__ import annotations

import io

from PIL import Image


def png_bytes(size: tuple[int, int] = (300, 120), color: tuple[int, int, int] = (0, 0, 0)) -> bytes:
    image = Image.new("RGB", size, (255, 255, 255))
    for x in range(20, size[0] - 20):
        image.putpixel((x, size[1] // 2 + (x % 17) - 8), color)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_png_bytes_makes_a_decodable_png() -> None:
    assert Image.open(io.BytesIO(png_bytes())).size == (300, 120)

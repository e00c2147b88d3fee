"""A throw-away X server (Xvfb) for starting the application on Qt's real xcb platform, not offscreen.

``Xvfb -displayfd`` picks a free display number itself and writes it once the server accepts connections, so
parallel test runs never collide and nobody waits on a timer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

SCREEN = "1366x768x24"


@contextmanager
def xvfb() -> Iterator[str]:
    """Start Xvfb; yields the DISPLAY value (``:N``) and stops the server afterwards."""
    program = shutil.which("Xvfb")
    if program is None:
        raise RuntimeError("Xvfb is not installed: run `make system-deps` (Debian package xvfb)")
    read, write = os.pipe()
    server = subprocess.Popen(
        [program, "-displayfd", str(write), "-screen", "0", SCREEN, "-nolisten", "tcp", "-noreset"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as numbers:
            number = numbers.readline().strip()
        if not number:
            raise RuntimeError(f"Xvfb did not start (exit status {server.poll()})")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def xcb_environment(display: str, **extra: str) -> dict[str, str]:
    """The environment of a child on the xcb platform of ``display`` (the test session itself runs offscreen)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("QT_", "WAYLAND_"))}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", **extra)
    return env

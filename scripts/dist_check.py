"""Start the PyInstaller bundle offscreen with the GUI self-test on a fresh data directory (``make dist-check``).

    .venv/bin/python scripts/dist_check.py dist/laborcheck

The self-test opens the main window, writes and reads the database (running every migration from the bundled
files), publishes the bundled checklist templates and checks for a CJK font; it must exit 0. The compiled English
translation must be inside the bundle too. Prints the time taken; exits non-zero with the program's output
otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    bundle = Path(sys.argv[1] if len(sys.argv) > 1 else "dist/laborcheck")
    program = bundle / ("laborcheck.exe" if os.name == "nt" else "laborcheck")
    if not program.is_file():
        sys.stderr.write(f"no bundle at {program}: run `make dist` first\n")
        return 2
    translations = list(bundle.rglob("laborcheck_en.qm"))
    if not translations:
        sys.stderr.write("the bundle lacks resources/i18n/laborcheck_en.qm\n")
        return 1
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory() as data_dir:
        started = time.perf_counter()
        result = subprocess.run(
            [str(program), "gui", "--self-test", "--data-dir", data_dir],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        elapsed = time.perf_counter() - started
    sys.stdout.write(result.stdout)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        sys.stderr.write(f"dist-check failed: exit status {result.returncode}\n")
        return 1
    sys.stdout.write(f"dist-check ok: self-test passed in {elapsed:.1f} s\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Notice PDF rendering: a signed notice with 10 findings and 2 signature images.

Cold: a fresh process's first notice, font discovery and loading (parsing the TrueType files) included — what a
coordinator waits for the first time they press "print" after starting the app. Warm: the same notice again with
fonts loaded, the usual case. Target: warm ≤ 0.3 s.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

ROUNDS = 20
_COLD = """
import time
started = time.perf_counter()
from core.fonts import load_notice_fonts
from app.reports.notice_pdf import render_notice
from bench.notice_samples import sample_notice, signature_blobs
imported = time.perf_counter()
fonts = load_notice_fonts()
loaded = time.perf_counter()
render_notice(sample_notice(10), signature_blobs().__getitem__, fonts=fonts)
done = time.perf_counter()
print(imported - started, loaded - imported, done - loaded)
"""


def run() -> dict[str, float]:
    from app.reports.notice_pdf import render_notice
    from bench.notice_samples import sample_notice, signature_blobs
    from core.fonts import load_notice_fonts

    output = subprocess.run([sys.executable, "-c", _COLD], capture_output=True, text=True, check=True).stdout
    imports, fonts_s, first = (float(value) for value in output.split())
    fonts = load_notice_fonts()
    blobs = signature_blobs()
    notice = sample_notice(10)
    timings = []
    size = 0
    for _ in range(ROUNDS):
        started = time.perf_counter()
        size = len(render_notice(notice, blobs.__getitem__, fonts=fonts))
        timings.append(time.perf_counter() - started)
    return {
        "cold_imports_s": imports,
        "cold_fonts_s": fonts_s,
        "cold_first_render_s": first,
        "cold_total_s": imports + fonts_s + first,
        "warm_p50_s": statistics.median(timings),
        "warm_max_s": max(timings),
        "pdf_kib": size / 1024,
    }


def main() -> None:
    figures = run()
    print(f"notice PDF, 10 findings, 2 signatures ({ROUNDS} warm renders, {figures['pdf_kib']:.0f} KiB)")
    print(
        f"  cold  total {figures['cold_total_s']:.2f} s  (imports {figures['cold_imports_s']:.2f} s, "
        f"fonts {figures['cold_fonts_s']:.2f} s, first render {figures['cold_first_render_s']:.2f} s)"
    )
    print(f"  warm  p50 {figures['warm_p50_s']:.3f} s   max {figures['warm_max_s']:.3f} s   (target ≤ 0.3 s)")


if __name__ == "__main__":
    main()

"""Render the sample notices' pages to PNG for docs/screenshots (run from the project root).

    .venv/bin/python scripts/render_notice_samples.py [OUTPUT_DIR]

Writes notice-1-finding.png (-p2.png …) and notice-10-findings-p1.png, -p2.png, … with pdftoppm (poppler-utils);
the PDFs are made in a temporary directory. Look at the pages after changing the layout: clipped text, empty
boxes where a font lacks a glyph, or bad spacing show up here before they reach an enterprise.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.reports.notice_pdf import render_notice
from app.sync.protocol import verification_url
from bench.notice_samples import sample_notice, signature_blobs
from core.fonts import load_notice_fonts


def main() -> None:
    output = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    output.mkdir(parents=True, exist_ok=True)
    fonts = load_notice_fonts()
    with tempfile.TemporaryDirectory() as temp:
        for findings, stem in ((1, "notice-1-finding"), (10, "notice-10-findings")):
            notice = sample_notice(findings)
            url = verification_url("https://laborcheck.dachuan.example.cn", notice.id, notice.content_hash or "")
            pdf = Path(temp) / f"{stem}.pdf"
            pdf.write_bytes(render_notice(notice, signature_blobs().__getitem__, fonts=fonts, verification_url=url))
            for old in Path(temp).glob("page-*.png"):
                old.unlink()
            subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(Path(temp) / "page")], check=True)
            for number, page in enumerate(sorted(Path(temp).glob("page-*.png")), start=1):
                # The one-finding notice's first page is notice-1-finding.png; every other page is -pN.
                single = findings == 1 and number == 1
                target = output / (f"{stem}.png" if single else f"{stem}-p{number}.png")
                page.replace(target)
                print(target)


if __name__ == "__main__":
    main()

"""Render the sample notices' pages to PNG for docs/screenshots (run from the project root).

    .venv/bin/python scripts/render_notice_samples.py [OUTPUT_DIR]

Writes notice-1-finding.png (-p2.png …), notice-3-findings-p1.png … and notice-10-findings-p1.png … (one finding
per checklist module, the statements the templates choose) with pdftoppm (poppler-utils); the PDFs are made in a
temporary directory. ``make screenshots`` calls :func:`render_samples` and adds the summary report's pages.
Look at the pages after changing the layout: clipped text, empty
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


def pdf_pages(pdf: bytes, output: Path, stem: str, *, single_first: bool = False) -> list[Path]:
    """Render every page of ``pdf`` to ``output/stem-pN.png`` (80 dpi); stale pages of an earlier run go first."""
    for old in output.glob(f"{stem}*.png"):
        old.unlink()
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as temp:
        source = Path(temp) / f"{stem}.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "80", "-png", str(source), str(Path(temp) / "page")], check=True)
        pages = sorted(Path(temp).glob("page-*.png"), key=lambda path: int(path.stem.rsplit("-", 1)[1]))
        for number, page in enumerate(pages, start=1):
            target = output / (f"{stem}.png" if single_first and number == 1 else f"{stem}-p{number}.png")
            page.replace(target)
            written.append(target)
    return written


def render_samples(output: Path) -> list[Path]:
    output.mkdir(parents=True, exist_ok=True)
    fonts = load_notice_fonts()
    written: list[Path] = []
    for findings, stem in ((1, "notice-1-finding"), (3, "notice-3-findings"), (10, "notice-10-findings")):
        notice = sample_notice(findings)
        url = verification_url("https://laborcheck.dachuan.example.cn", notice.id, notice.content_hash or "")
        pdf = render_notice(notice, signature_blobs().__getitem__, fonts=fonts, verification_url=url)
        written += pdf_pages(pdf, output, stem, single_first=findings == 1)
    return written


def main() -> None:
    for path in render_samples(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(path)


if __name__ == "__main__":
    main()

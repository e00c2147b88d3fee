"""Turn the one-folder bundle into a .deb for Debian-based laptops (UOS, Kylin): ``make deb``.

    .venv/bin/python scripts/build_deb.py dist/laborcheck -o dist

The package installs the bundle under ``/opt/laborcheck``, a ``laborcheck`` command in ``/usr/bin``, a menu
entry (``packaging/laborcheck.desktop``: 劳动用工法治体检, category Office) and the icon in the hicolor theme. It
has no maintainer scripts: the menu and icon caches are refreshed by the triggers of desktop-file-utils and the
icon theme, and removal leaves nothing behind (the bundle writes nothing under /opt at run time; a coordinator's
data stays in their home directory, as Debian expects).

``Depends`` is what the bundle's ELF files link against and do not carry (the X11/xcb libraries of Qt's xcb
platform, fontconfig, D-Bus, CUPS, libc...), derived by ``dpkg-shlibdeps`` with minimum versions from the build
machine's symbols files — build on the oldest distribution you ship to — plus a Chinese font the interface and
the notice can use; the fonts ``core.fonts`` prefers for the notice's GB/T 9704 faces are Recommends. The
package is gzip-compressed by default: every dpkg reads it (zstd is newer than some UOS/Kylin releases) and it
takes seconds where xz takes minutes on a 2-core machine (``--compression xz``: about a quarter smaller, for a
download over a slow line).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from PIL import Image

from core.fonts import DEBIAN_PACKAGES

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "laborcheck"
INSTALL_DIR = Path("opt") / PACKAGE
FONT_DEPENDS = "fonts-wqy-microhei | fonts-wqy-zenhei"
"""A TrueType CJK face for the interface and the notice (core.fonts finds WenQuanYi; Noto CJK is CFF, unusable)."""
FONT_RECOMMENDS = ", ".join(name for name in DEBIAN_PACKAGES.split() if name not in FONT_DEPENDS)
"""The stand-ins core.fonts prefers for the GB/T 9704 faces (小标宋, 宋体, 楷体); apt installs Recommends by default."""
ICON_SIZES = (48, 128, 256)
DESCRIPTION = """劳动用工法治体检 — labor-law health checks for labor-relations coordinators
 LaborCheck (劳动用工法治体检) walks a coordinator through the labor-law checklists
 at an enterprise, turns every problem into a rectification item with its legal
 basis and deadline, prints the rectification notice (整改通知书) and tracks each
 item until it is verified. It works offline on the laptop's encrypted database
 and syncs with the district office's server."""


def version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def architecture() -> str:
    return subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()


def _link_or_copy(source: str, target: str) -> None:
    """Hard-link a bundle file into the package tree (fast, no second copy of 200 MB); copy across devices."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def is_elf(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as file:
        return file.read(4) == b"\x7fELF"


def stage(bundle: Path, tree: Path) -> None:
    if tree.exists():
        shutil.rmtree(tree)
    (tree / "DEBIAN").mkdir(parents=True)
    shutil.copytree(bundle, tree / INSTALL_DIR, symlinks=True, copy_function=_link_or_copy)
    (tree / "usr" / "bin").mkdir(parents=True)
    (tree / "usr" / "bin" / PACKAGE).symlink_to(Path("/") / INSTALL_DIR / PACKAGE)
    applications = tree / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    shutil.copyfile(ROOT / "packaging" / "laborcheck.desktop", applications / "laborcheck.desktop")
    icons = tree / "usr" / "share" / "icons" / "hicolor"
    with Image.open(ROOT / "resources" / "icons" / "laborcheck.png") as icon:
        for size in ICON_SIZES:
            target = icons / f"{size}x{size}" / "apps" / "laborcheck.png"
            target.parent.mkdir(parents=True)
            icon.resize((size, size), Image.Resampling.LANCZOS).save(target)
    scalable = icons / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copyfile(ROOT / "resources" / "icons" / "laborcheck.svg", scalable / "laborcheck.svg")
    for path in tree.rglob("*"):  # dpkg-deb wants sane modes whatever the umask of the build was
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)


def shared_library_depends(work: Path, tree: Path) -> str:
    """``dpkg-shlibdeps`` over every ELF file of the tree; the bundle's own directories are its private libraries.

    dpkg-shlibdeps expects a Debian source layout: ``debian/control`` beside ``debian/<package>/`` (the tree)."""
    (work / "debian").mkdir(exist_ok=True)
    (work / "debian" / "control").write_text(
        f"Source: {PACKAGE}\n\nPackage: {PACKAGE}\nArchitecture: any\n", encoding="utf-8"
    )
    elves = sorted(path for path in tree.rglob("*") if is_elf(path))
    private = sorted({str(path.parent) for path in elves})
    result = subprocess.run(
        [
            "dpkg-shlibdeps",
            "-O",
            "--warnings=0",
            *(f"-l{directory}" for directory in private),
            *(str(path) for path in elves),
        ],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"dpkg-shlibdeps failed:\n{result.stderr}")
    for line in result.stdout.splitlines():
        if line.startswith("shlibs:Depends="):
            return line.removeprefix("shlibs:Depends=")
    raise SystemExit(f"dpkg-shlibdeps printed no dependencies:\n{result.stdout}")


def installed_size_kib(tree: Path) -> int:
    total = sum(path.lstat().st_size for path in tree.rglob("*") if "DEBIAN" not in path.parts)
    return (total + 1023) // 1024


def write_md5sums(tree: Path) -> None:
    lines = []
    for path in sorted(tree.rglob("*")):
        if path.is_file() and not path.is_symlink() and "DEBIAN" not in path.relative_to(tree).parts:
            digest = hashlib.md5(path.read_bytes(), usedforsecurity=False).hexdigest()
            lines.append(f"{digest}  {path.relative_to(tree).as_posix()}\n")
    (tree / "DEBIAN" / "md5sums").write_text("".join(lines), encoding="utf-8")


def build_deb(bundle: Path, output: Path, work: Path, *, compression: str = "gzip") -> Path:
    if not (bundle / PACKAGE).is_file():
        raise SystemExit(f"no bundle at {bundle}: run `make dist` first")
    tree = work / "debian" / PACKAGE
    stage(bundle, tree)
    depends = ", ".join([shared_library_depends(work, tree), FONT_DEPENDS])
    control = {
        "Package": PACKAGE,
        "Version": version(),
        "Architecture": architecture(),
        "Maintainer": "LaborCheck <laborcheck@users.noreply.invalid>",
        "Installed-Size": str(installed_size_kib(tree)),
        "Depends": depends,
        "Recommends": FONT_RECOMMENDS,
        "Section": "misc",
        "Priority": "optional",
        "Description": DESCRIPTION,
    }
    text = "".join(f"{field}: {value}\n" for field, value in control.items())
    (tree / "DEBIAN" / "control").write_text(text, encoding="utf-8")
    write_md5sums(tree)
    output.mkdir(parents=True, exist_ok=True)
    target = output / f"{PACKAGE}_{control['Version']}_{control['Architecture']}.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", f"-Z{compression}", "--build", str(tree), str(target)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the one-folder bundle (dist/laborcheck)")
    parser.add_argument("-o", "--output", type=Path, default=Path("dist"))
    parser.add_argument("--work", type=Path, default=Path("build") / "deb")
    parser.add_argument("--compression", default="gzip", choices=["gzip", "xz"])
    args = parser.parse_args(argv)
    target = build_deb(args.bundle.resolve(), args.output.resolve(), args.work.resolve(), compression=args.compression)
    sys.stdout.write(f"{target} ({target.stat().st_size / 1e6:.1f} MB)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

# One-command set-up on a fresh Debian/Ubuntu machine: `make run` starts the app, `make test` runs every test.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := fonts-wqy-microhei fonts-arphic-uming poppler-utils postgresql
# The best free stand-ins Debian ships for the faces GB/T 9704 asks for (no free 仿宋 or 小标宋 exists there):
# Noto Serif CJK Black for 小标宋 (converted to TrueType once), AR PL UKai and LXGW WenKai for 楷体.
APT_PACKAGES += fonts-noto-cjk-extra fonts-arphic-ukai fonts-lxgw-wenkai
# The libraries Qt's xcb platform plugin and the PySide6 modules the app imports link against, as derived by
# `.venv/bin/python scripts/qt_system_packages.py` from their `ldd` (tests/install keeps this list complete).
QT_XCB_PACKAGES := libbrotli1 libbsd0 libc6 libcap2 libcom-err2 libdbus-1-3 libegl1 libexpat1 libfontconfig1 \
  libfreetype6 libgcc-s1 libgcrypt20 libgl1 libglib2.0-0 libglvnd0 libglx0 libgpg-error0 libgssapi-krb5-2 \
  libk5crypto3 libkeyutils1 libkrb5-3 libkrb5support0 liblz4-1 liblzma5 libmd0 libpcre2-8-0 libpng16-16 \
  libstdc++6 libsystemd0 libx11-6 libx11-xcb1 libxau6 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 \
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0 libxcb-sync1 \
  libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxcb1 libxdmcp6 libxkbcommon-x11-0 libxkbcommon0 libzstd1 zlib1g
APT_PACKAGES += $(QT_XCB_PACKAGES)
# Xvfb for the self-tests on the real xcb platform; dpkg-dev (dpkg-shlibdeps) and desktop-file-utils for the .deb.
APT_PACKAGES += xvfb dpkg-dev desktop-file-utils
# Debian's browser for the office console's Playwright tests (never a browser download).
APT_PACKAGES += chromium
STAMP := $(VENV)/.installed
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
BUNDLE := dist/laborcheck
DEB := dist/laborcheck_$(VERSION)_$(shell dpkg --print-architecture 2>/dev/null || echo amd64).deb
# Interface translations: the .ts is the source (in git), the .qm is compiled by the set-up (ignored by git).
TS_FILES := $(wildcard resources/i18n/*.ts)
QM_FILES := $(TS_FILES:.ts=.qm)

.PHONY: run test lint typecheck unit bench demo system-deps venv clean translations lupdate dist deb screenshots web-screenshots

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

resources/i18n/%.qm: resources/i18n/%.ts $(STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

translations: $(QM_FILES)

# Refresh the .ts from every tr() in app/ui (keeps existing translations; new strings come in unfinished).
lupdate: $(STAMP)
	$(BIN)/pyside6-lupdate app/ui/*.py -ts resources/i18n/laborcheck_en.ts -target-language en -no-obsolete

venv: system-deps $(STAMP) $(QM_FILES)

run: venv
	$(BIN)/laborcheck gui

lint: venv
	$(BIN)/ruff check app core server tests bench scripts
	$(BIN)/ruff format --check app core server tests bench scripts
	$(BIN)/lint-imports

typecheck: venv
	$(BIN)/mypy

# The bundle and the .deb are built once, then tested as coordinators get them (tests/install: started on xcb
# under Xvfb, the .deb installed and removed); everything else runs offscreen.
unit: venv dist deb
	QT_QPA_PLATFORM=offscreen LABORCHECK_TEST_BUNDLE=$(BUNDLE) LABORCHECK_TEST_DEB=$(DEB) $(BIN)/python -m pytest -q

test: lint typecheck unit

bench: venv dist deb
	$(BIN)/python -m bench

# One-folder PyInstaller bundle in dist/laborcheck/, from what git holds (build.spec reads `git ls-files`).
dist: venv
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN build.spec

# The .deb for Debian-based laptops (UOS, Kylin): the bundle under /opt/laborcheck, a menu entry and an icon.
# DEB_COMPRESSION=xz makes it about 20 MB smaller and takes minutes instead of seconds.
DEB_COMPRESSION ?= gzip
deb: dist
	$(BIN)/python scripts/build_deb.py $(BUNDLE) -o dist --compression $(DEB_COMPRESSION)

# PNGs of every main screen, Chinese and English, from a demo data directory (docs/screenshots/).
screenshots: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py docs/screenshots

# PNGs of every office-console page, Chinese and English, at 1366×768 in Debian's chromium (docs/screenshots/web-*).
web-screenshots: venv
	PYTHONPATH=. $(BIN)/python scripts/web_screenshots.py docs/screenshots

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

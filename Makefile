# One-command set-up on a fresh Debian/Ubuntu machine: `make run` starts the app, `make test` runs every test.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := fonts-wqy-microhei fonts-arphic-uming poppler-utils postgresql
# The best free stand-ins Debian ships for the faces GB/T 9704 asks for (no free 仿宋 or 小标宋 exists there):
# Noto Serif CJK Black for 小标宋 (converted to TrueType once), AR PL UKai and LXGW WenKai for 楷体.
APT_PACKAGES += fonts-noto-cjk-extra fonts-arphic-ukai fonts-lxgw-wenkai
STAMP := $(VENV)/.installed
# Interface translations: the .ts is the source (in git), the .qm is compiled by the set-up (ignored by git).
TS_FILES := $(wildcard resources/i18n/*.ts)
QM_FILES := $(TS_FILES:.ts=.qm)

.PHONY: run test lint typecheck unit bench demo system-deps venv clean translations lupdate dist dist-check screenshots

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

unit: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

test: lint typecheck unit

bench: venv
	$(BIN)/python -m bench

# One-folder PyInstaller bundle in dist/laborcheck/; dist-check starts it offscreen with the GUI self-test.
dist: venv
	$(BIN)/pyinstaller --noconfirm --clean build.spec

dist-check: dist
	$(BIN)/python scripts/dist_check.py dist/laborcheck

# PNGs of every main screen, Chinese and English, from a demo data directory (docs/screenshots/).
screenshots: venv
	QT_QPA_PLATFORM=offscreen $(BIN)/python scripts/screenshots.py docs/screenshots

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache

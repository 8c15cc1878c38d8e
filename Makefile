# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
# scripts/system_packages.py installs (as root) or names the Debian packages they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DIR ?= demo-data
DEMO_DB := sqlite:///$(abspath $(DEMO_DIR))/ledger.db
DEMO_PORT ?= 8700

.PHONY: demo test lint format install clean bench translations lupdate screenshots console-screenshots package package-check

$(STAMP): pyproject.toml
	$(PYTHON) scripts/system_packages.py venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

TS := $(wildcard resources/translations/*.ts)
QM := $(TS:.ts=.qm)

translations: $(QM)

# After changing user-visible strings: refresh the .ts files, then translate the new entries.
lupdate: $(STAMP)
	$(BIN)/pyside6-lupdate -no-obsolete $(wildcard ui/*.py ui/screens/*.py) -ts $(TS)

resources/translations/%.qm: resources/translations/%.ts $(STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

demo: $(STAMP) translations
	$(BIN)/python scripts/system_packages.py xcb
	$(BIN)/python -m ui.demo --data $(abspath $(DEMO_DIR)) --port $(DEMO_PORT)

# The kiosk as one folder for shop-floor PCs without Python: dist/points-kiosk/. build.spec
# only declares what goes in; the cut font and the small ICU data are made before, the
# launcher and dist/VERSION added after.
package: $(STAMP) translations
	$(BIN)/python packaging/kiosk_font.py
	$(BIN)/python packaging/trimmed_icu.py
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN build.spec
	$(BIN)/python packaging/finish_dist.py
	@du -sh --apparent-size dist/points-kiosk | awk '{print "dist/points-kiosk: " $$1}'

# What CI runs: build, then the packaged kiosk checks itself.
package-check: package
	QT_QPA_PLATFORM=offscreen dist/points-kiosk/points-kiosk --self-test
	dist/points-kiosk/kiosk-debug --version

# The HR console's pages, photographed by its browser test in headless Chromium.
console-screenshots: $(STAMP)
	CONSOLE_SCREENSHOTS=$(abspath docs/screenshots/admin) $(BIN)/pytest -q tests/console/test_browser*.py

screenshots: $(STAMP) translations
	$(BIN)/python scripts/system_packages.py offscreen
	$(BIN)/python -m ui.screenshots --data $(abspath $(DEMO_DIR)) --out docs/screenshots

test: lint translations
	$(BIN)/python scripts/system_packages.py offscreen
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest $(PYTEST_ARGS)

# Style, then types: mypy checks the whole project as pyproject.toml configures it.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	$(BIN)/python bench/ledger_orders.py
	$(BIN)/python bench/kiosk_login.py
	$(BIN)/python bench/sync_initial.py

clean:
	rm -rf $(VENV) $(DEMO_DIR) build dist *.egg-info .pytest_cache $(QM)

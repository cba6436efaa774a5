# lgsp — the two commands of the README:
#   make run    run the hub on the embedded default (SQLite + ./lgsp-data), installing what it lacks
#   make test   run every test (unit, conformance, integration with curl and Python clients)
# Other targets: make demo, make release, make bench, make bench-auth, make bench-notify, make openapi-check,
# make clean-data.

SWIFT        ?= swift
CONFIG       ?= debug
ARGS         ?=
VENV         := .venv-test
SYSTEM_PACKAGES := pkg-config libxml2-dev libsqlite3-dev libssl-dev libcurl4-openssl-dev curl openssl
# What only the tests need: Python clients, the sqlite3 shell (audit tampering), promtool (/metrics),
# a throwaway PostgreSQL server (issue 8), headless Chromium and its driver (the console's browser test).
TEST_PACKAGES   := python3 python3-venv sqlite3 prometheus postgresql chromium chromium-driver

.PHONY: run demo test build build-tests release bench system-deps test-deps python-deps openapi-check clean-data bench-auth bench-notify

run: system-deps
	$(SWIFT) build -c $(CONFIG) --product lgsp
	.build/$(CONFIG)/lgsp serve $(ARGS)

demo: system-deps
	$(SWIFT) build -c $(CONFIG) --product lgsp
	.build/$(CONFIG)/lgsp serve --demo $(ARGS)

test: system-deps test-deps python-deps
	$(SWIFT) build --build-tests
	# Throwaway services (PostgreSQL, …) live exactly as long as the test run.
	LGSP_REQUIRE_INTEROP=1 LGSP_TEST_PYTHON=$(CURDIR)/$(VENV)/bin/python scripts/with-test-services.sh $(SWIFT) test --skip-build $(TEST_ARGS)

release: system-deps
	$(SWIFT) build -c release --product lgsp

bench: release
	./scripts/bench-exchange.sh

system-deps:
	@./scripts/install-system-deps.sh $(SYSTEM_PACKAGES)

test-deps:
	@./scripts/install-system-deps.sh $(TEST_PACKAGES)

python-deps: $(VENV)/.installed

$(VENV)/.installed: Tests/requirements.txt
	@test -x $(VENV)/bin/python || python3 -m venv $(VENV)
	@echo "installing Python test clients into $(VENV) (Tests/requirements.txt)"
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check -r Tests/requirements.txt
	@touch $@

openapi-check: python-deps
	$(VENV)/bin/openapi-spec-validator Sources/LGSPServer/Resources/openapi.json

clean-data:
	rm -rf ./lgsp-data

# Signature verification per scheme beside the crypto primitives, and authenticated proxying beside
# nginx proxy_pass (nginx is measured if installed: apt-get install nginx).
bench-auth: release
	./scripts/bench-auth.sh

# Notification latency: upload complete → packet.available on the destination's WebSocket, at a
# steady rate of small packets (BENCH_ARGS, e.g. "--rate 100 --inline").
bench-notify: release
	./scripts/bench-notify.sh $(BENCH_ARGS)

# Backend Academy — every build step, offline-friendly and idempotent.
#
#   make run    release build, then serve http://127.0.0.1:3000
#   make test   lint + unit + integration + browser tests (what CI runs)
#
# The build drives cargo, wasm-bindgen and wasm-opt directly instead of
# cargo-leptos: installing cargo-leptos from source takes ~20 min on 2 cores,
# longer than the whole first build. `make dev` uses cargo-leptos if you want
# its watch mode (the workspace metadata is kept for it).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

SITE      := target/site
PKG       := $(SITE)/pkg
WASM_TGT  := wasm32-unknown-unknown
WASM_PROF := wasm-release
WASM_OUT  := target/$(WASM_TGT)/$(WASM_PROF)/frontend.wasm
# wasm-bindgen-cli must equal the wasm-bindgen crate in Cargo.lock exactly.
WBG_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
NODE_BIN  := $(CURDIR)/end2end/node_modules/.bin
# Debian's binaryen (v108) breaks hydration; npm's binaryen 132 is used instead.
WASM_OPT  := $(NODE_BIN)/wasm-opt
CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CARGO_BIN):$(PATH)
# CI and one-off builds gain nothing from incremental artefacts (they grow
# target/ by gigabytes); developers can override with CARGO_INCREMENTAL=1.
export CARGO_INCREMENTAL ?= 0

ADDR ?= 127.0.0.1:3000

.PHONY: help run build build-server build-wasm tools tools-build tools-test dev test lint fmt \
        unit unit-pg e2e bench clean reliability reliability-short audit soak-tests

help:
	@echo "make run    build (release) and serve on http://$(ADDR)"
	@echo "make test   fmt + clippy (ssr, hydrate) + unit + integration + end-to-end tests"
	@echo "make build  release server (target/release/academy) and site assets ($(SITE))"
	@echo "make bench  build, start, measure with wrk; print req/s, p99, WASM sizes"
	@echo "make reliability  kill -9 / SIGTERM / backup under load, bad input (20 rounds)"
	@echo "make soak-tests   the integration suite 10 times in a row (catches rare hangs)"
	@echo "make dev    watch mode via cargo-leptos (installs it: ~20 min the first time)"

# ---------------------------------------------------------------- tools ----
tools-build:
	@rustup target list --installed | grep -qx $(WASM_TGT) || rustup target add $(WASM_TGT)
	@if [ "$$(wasm-bindgen --version 2>/dev/null | awk '{print $$2}')" != "$(WBG_VERSION)" ]; then \
	  echo ">> installing wasm-bindgen-cli $(WBG_VERSION) (a few minutes, once)"; \
	  cargo install wasm-bindgen-cli --version $(WBG_VERSION) --force; \
	fi
	@if [ ! -x "$(WASM_OPT)" ] || [ ! -x "$(NODE_BIN)/playwright-core" ] \
	  || [ ! -d end2end/node_modules/oidc-provider ] || [ ! -f end2end/node_modules/axe-core/axe.min.js ]; then \
	  echo ">> npm ci in end2end (binaryen's wasm-opt, playwright-core, oidc-provider, axe-core)"; \
	  npm ci --prefix end2end --no-audit --no-fund; \
	fi

# Debian's Chromium for the browser tests, and aiosmtpd (a real SMTP server
# the password-reset tests mail through); never a browser download.
tools-test: tools-build
	@if ! /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo ">> apt-get install python3-aiosmtpd"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-aiosmtpd >/dev/null; \
	  else \
	    echo "error: aiosmtpd missing; run: sudo apt-get install python3-aiosmtpd"; exit 1; \
	  fi; \
	fi
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo ">> apt-get install chromium"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "error: /usr/bin/chromium missing; run: sudo apt-get install chromium"; exit 1; \
	  fi; \
	fi

tools: tools-test

# ---------------------------------------------------------------- build ----
build: build-server build-wasm

build-server:
	cargo build --release -p server --bin academy

# The browser bundle: cargo → wasm-bindgen → wasm-opt → CSS → precompressed copies.
build-wasm: tools-build
	cargo build -p frontend --lib --target $(WASM_TGT) --profile $(WASM_PROF)
	rm -rf $(PKG) && mkdir -p $(PKG)
	wasm-bindgen --target web --no-typescript --out-dir $(PKG) --out-name academy $(WASM_OUT)
	$(WASM_OPT) -Oz --strip-debug --enable-bulk-memory --enable-nontrapping-float-to-int \
	  --enable-sign-ext --enable-reference-types --enable-multivalue --enable-mutable-globals \
	  $(PKG)/academy_bg.wasm -o $(PKG)/academy_bg.wasm
	cp style/main.css $(PKG)/academy.css
	@for f in $(PKG)/*.js $(PKG)/*.wasm $(PKG)/*.css; do \
	  gzip -9 -k -f "$$f"; \
	  if command -v brotli >/dev/null; then brotli -q 11 -k -f "$$f"; fi; \
	done
	@ls -l $(PKG)

run: build
	./target/release/academy serve --addr $(ADDR) --site-root $(SITE)

# Watch mode: cargo-leptos rebuilds server and WASM on change.
dev: tools-build
	@command -v cargo-leptos >/dev/null || cargo install cargo-leptos --locked --ignore-rust-version
	cargo leptos watch

# ----------------------------------------------------------------- test ----
fmt:
	cargo fmt --all

# clippy for both sides, never unified: ssr (server + app) and hydrate (WASM).
lint:
	cargo fmt --all -- --check
	cargo clippy -p app -p server -p bench --features app/ssr --all-targets -- -D warnings
	cargo clippy -p app -p frontend --features app/hydrate --target $(WASM_TGT) -- -D warnings

# Test steps have a time limit: a hang fails CI in minutes instead of eating its 90.
# The integration suite runs twice: on SQLite files, then on a throwaway
# PostgreSQL cluster (Debian's package, installed when missing; initdb into
# a temp dir, a free port; stopped and removed afterwards, pass or fail).
PG_TEST_DIR := $(shell mktemp -u /tmp/academy-pg.XXXXXX)
unit:
	timeout 1500 cargo test -p app -p server --features app/ssr
	$(MAKE) --no-print-directory unit-pg

unit-pg:
	@url=$$(tools/pg-test-cluster start $(PG_TEST_DIR)); \
	trap 'tools/pg-test-cluster stop $(PG_TEST_DIR) >/dev/null 2>&1 || true' EXIT; \
	echo ">> integration suite on PostgreSQL ($$url)"; \
	ACADEMY_TEST_PG=$$url timeout 1500 cargo test -p server --features app/ssr --tests

# Browser tests against the real (debug) binary and the release WASM bundle.
e2e: tools-test build-wasm
	cargo build -p server --bin academy
	ACADEMY_BIN=$(CURDIR)/target/debug/academy ACADEMY_SITE_ROOT=$(CURDIR)/$(SITE) \
	ACADEMY_CONTENT=$(CURDIR)/content timeout 900 npm test --prefix end2end

# Crash, shutdown, backup, concurrency, mixed-load and bad-input checks against
# the real binary. `make test` runs a short form (3 kill -9 rounds, 50 writers x
# 100 transactions, 10 s mixed load; the unit tests fuzz each parser for 3 s).
# `make reliability` runs the full suite: 20 rounds, 50 x 1,000, 60 s, 60 s of
# fuzzing per parser, and the advisory check.
reliability-short:
	cargo build -p server --bin academy
	timeout 300 python3 end2end/reliability.py target/debug/academy 3 100 10
	@url=$$(tools/pg-test-cluster start $(PG_TEST_DIR)); \
	trap 'tools/pg-test-cluster stop $(PG_TEST_DIR) >/dev/null 2>&1 || true' EXIT; \
	ACADEMY_RELIABILITY_PG=$$url timeout 300 python3 end2end/reliability.py target/debug/academy 3 100 10

reliability: build-server audit
	timeout 1200 python3 end2end/reliability.py target/release/academy 20 1000 60
	@url=$$(tools/pg-test-cluster start $(PG_TEST_DIR)); \
	trap 'tools/pg-test-cluster stop $(PG_TEST_DIR) >/dev/null 2>&1 || true' EXIT; \
	ACADEMY_RELIABILITY_PG=$$url timeout 1200 python3 end2end/reliability.py target/release/academy 20 1000 60
	FUZZ_SECONDS=60 timeout 900 cargo test -p app --features ssr --test fuzz -- --nocapture

# The whole integration suite (server/tests) SOAK_RUNS times in a row, each
# run under its own time limit: a hang that comes once in 40 runs shows here.
SOAK_RUNS ?= 10
soak-tests:
	cargo test -p server --features app/ssr --tests --no-run
	@mkdir -p target/soak
	@for i in $$(seq 1 $(SOAK_RUNS)); do \
	  start=$$(date +%s); \
	  if timeout 600 cargo test -p server --features app/ssr --test '*' >target/soak/run-$$i.log 2>&1; then \
	    echo "soak run $$i/$(SOAK_RUNS): passed in $$(( $$(date +%s) - start )) s"; \
	  else \
	    echo "soak run $$i/$(SOAK_RUNS): FAILED or hung after $$(( $$(date +%s) - start )) s (target/soak/run-$$i.log)"; exit 1; \
	  fi; \
	done
	@echo "soak-tests: $(SOAK_RUNS) of $(SOAK_RUNS) runs passed"

# RustSec advisories against Cargo.lock, offline (see tools/advisories.sh).
audit:
	bash tools/advisories.sh

test: tools-test lint audit unit e2e reliability-short
	@echo "make test: all passed"

# ---------------------------------------------------------------- bench ----
bench: build
	bash end2end/bench.sh

clean:
	cargo clean

# samlmeta: the two commands a newcomer needs are `make serve` and `make test`.
# Every target installs what is missing first (scripts/setup.sh: idempotent, seconds when done).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CARGO_HOME_DIR := $(or $(CARGO_HOME),$(HOME)/.cargo)
CARGO_BIN := $(CARGO_HOME_DIR)/bin
# wasm-opt 132 from npm's binaryen must come before any other wasm-opt (Debian's crashes).
export PATH := $(CURDIR)/node_modules/.bin:$(CARGO_BIN):$(PATH)

# wasm-bindgen-test in headless Chromium (tests/web.rs).
export CHROMEDRIVER ?= /usr/bin/chromedriver
export WASM_BINDGEN_TEST_WEBDRIVER_JSON ?= $(CURDIR)/tests/webdriver.json
export WASM_BINDGEN_TEST_TIMEOUT ?= 120

PORT ?= 8080

# Release builds do not depend on where the source tree or Cargo's home is: paths compiled into the
# wasm (panic locations) are rewritten, so the same source gives the same bytes anywhere. RUSTFLAGS
# replaces .cargo/config.toml's flags for the wasm target, so the size-related --cfg flags from
# there are repeated here (see .cargo/config.toml for what each does).
WASM_CFG := --cfg cpubits="32" --cfg sha2_backend_soft="compact" --cfg aes_backend_soft="compact"
RELEASE_RUSTFLAGS := $(WASM_CFG) --remap-path-prefix=$(CARGO_HOME_DIR)=/cargo --remap-path-prefix=$(CURDIR)=/samlmeta

.PHONY: help setup serve test dist screenshots reproducible test-native test-wasm test-e2e bench fuzz deny fmt lint clean

help: ## List the targets
	@echo "samlmeta: build and sign SAML metadata in the browser"
	@echo
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  make %-12s %s\n", $$1, $$2 }'

setup: ## Install what is missing (Rust target, trunk, wasm-bindgen, Chromium, xmlsec1, npm packages)
	@scripts/setup.sh

serve: setup dist ## Build the release site and serve it on http://127.0.0.1:8080 (PORT=...)
	node scripts/serve.mjs dist $(PORT)

test: setup ## Run every check: lint, native tests, wasm tests in Chromium, end-to-end on the release build
	@$(MAKE) --no-print-directory lint deny test-native test-wasm dist test-e2e reproducible
	@echo "make test: all test suites passed"

dist: setup ## Release build: dist/ for hosting and dist/samlmeta.html for offline use
	RUSTFLAGS='$(RELEASE_RUSTFLAGS)' trunk build --release
	@ls -l dist
	@cd dist && sha256sum samlmeta.html

screenshots: dist ## Write the README's screenshots (docs/screenshots/) from the release build
	node scripts/screenshots.mjs

reproducible: dist ## Build the release again from a copy of the sources elsewhere; the bytes must match
	scripts/check-reproducible.sh

test-native: ## cargo test for the whole workspace (core, CLI, page logic)
	cargo test --workspace

test-wasm: ## The page's Rust tests in headless Chromium (wasm-bindgen-test)
	cargo test --target wasm32-unknown-unknown -p samlmeta-web --test web

test-e2e: ## Browser end-to-end tests against dist/ (http and file://)
	node tests/e2e/run.mjs

bench: setup dist ## Benchmarks: the core (criterion), page start-up, size, signing, key generation (see BENCHMARKS.md)
	cargo bench -p samlmeta --bench read --bench sign --bench verify
	node tests/bench/startup.mjs
	node tests/bench/sign.mjs
	node tests/bench/check.mjs
	RUSTFLAGS='$(RELEASE_RUSTFLAGS)' trunk build --release --features wasm-keygen --dist target/bench-dist
	node tests/bench/keygen.mjs target/bench-dist

fuzz: ## Fuzz every parser for FUZZ_SECONDS each (default 60; nightly Rust, not part of make test; docs/fuzzing.md)
	@scripts/setup.sh --fuzz
	scripts/fuzz.sh

deny: setup ## The dependency policy: licenses, bans and sources (deny.toml)
	cargo deny --locked check bans licenses sources

fmt: ## Format the Rust code
	cargo fmt --all

lint: setup ## rustfmt check and clippy (native and wasm32), warnings are errors
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown -p samlmeta -p samlmeta-web --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown -p samlmeta-unlzma --lib -- -D warnings

clean: ## Remove build output (keeps installed tools)
	cargo clean
	rm -rf dist

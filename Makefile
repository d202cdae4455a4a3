# Guichet: `make run` opens the app in training mode, `make test` runs every test.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: run test build bench package package-test deps test-deps ui bindings clean-screenshots fuzz

## Install what is missing, build the UI and open Guichet in training mode.
run: deps ui
	cargo build -p guichet
	./target/debug/guichet

## Every check and test: format, clippy, Rust tests, UI type check/lint/unit, Playwright, real window.
test: test-deps
	scripts/test.sh

## Fuzz every parser of outside input with cargo-fuzz (nightly), FUZZ_SECONDS each (default 60).
fuzz:
	scripts/fuzz.sh

## Release binary with the UI embedded: target/release/guichet.
build: deps ui
	cargo build --release -p guichet
	@echo "Built target/release/guichet"

## Every measure of docs/benchmarks.md against its floor (same run); rewrites its tables. Slow
## (release builds, a 1,000,000-row ledger): never part of `make test`.
bench: test-deps ui
	scripts/bench.sh

## The .deb (app, guichetctl, icons, desktop entry, kiosk unit): target/debian/guichet_<version>_<arch>.deb.
package:
	scripts/deps.sh package
	npm --prefix ui run build
	scripts/package.sh

## Installs that .deb into a scratch root and checks it: files, dependencies, guichetctl --version,
## the installed app's window under Xvfb. Not part of `make test` (a release build; see README).
package-test: test-deps package
	tests/package/run.sh

deps:
	scripts/deps.sh run

test-deps:
	scripts/deps.sh test

ui:
	npm --prefix ui run build

## Regenerate ui/src/lib/bindings.ts from the Rust types.
bindings: ui
	UPDATE_BINDINGS=1 cargo test -p guichet -- bindings

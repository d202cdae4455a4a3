#!/usr/bin/env bash
# Writes the upgrade fixture of this version into tests/fixtures/: a ledger with every kind of
# operation in every status, events, prints and reprints, operators, settings and audit
# entries, and the text of its receipts (crates/guichet-core/examples/upgrade_fixture.rs).
# Run it once when a release changes the ledger's schema, and commit both files: every later
# version must open them with nothing lost (crates/guichet-core/tests/upgrade.rs). Never
# regenerate an existing fixture: it stands for ledgers already in shops.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
cargo run --locked -q -p guichet-core --example upgrade_fixture -- tests/fixtures

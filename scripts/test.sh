#!/usr/bin/env bash
# The README's test command: installs what is missing (scripts/setup.sh --test), then runs
# every test, going on past a failure so that one run reports them all:
#   0. the code's habits                        scripts/lint.sh: cargo fmt --check, cargo clippy -D warnings
#   1. native tests of the whole workspace     cargo test --workspace
#   2. browser tests of the app                wasm-bindgen-test in headless Chromium
#   3. the release build, and its size         trunk build --release (offline)
#   4. the end-to-end tests                    node --test e2e/*.test.mjs: dist/ served, opened in Chromium
# Exits non-zero if any step failed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$RINGLAB_ROOT"
started=$(date +%s)

bash scripts/setup.sh --test || die "set-up failed (see above): no test was run"
ringlab_env
CHROME_BIN="$(find_chrome)"
CHROMEDRIVER="$(find_chromedriver)"
export CHROME_BIN CHROMEDRIVER

step "lint (cargo fmt --check, cargo clippy -D warnings)" \
  bash scripts/lint.sh

step "native tests (cargo test --workspace)" \
  cargo test --workspace

step "browser tests (wasm-bindgen-test, headless Chromium)" \
  in_wasm_env env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p ringlab --target wasm32-unknown-unknown --test web

step "release build (trunk build --release)" \
  in_wasm_env trunk build --release

step "release size" \
  bash scripts/size.sh --no-build

step "end-to-end tests (node --test e2e/*.test.mjs)" \
  node --test e2e/*.test.mjs

steps_summary
total=$(($(date +%s) - started))
if [ "$RINGLAB_FAILED" -gt 0 ]; then
  die "$RINGLAB_FAILED step(s) failed (${total}s in all)"
fi
log "all test steps passed (${total}s in all)"

#!/usr/bin/env bash
# The README's test command: installs what is missing (scripts/setup.sh --test), then runs
# every test, going on past a failure so that one run reports them all:
#   0. the code's habits                        scripts/lint.sh: cargo fmt --check, cargo clippy -D warnings
#   1. native tests of the whole workspace     cargo test --workspace
#   2. browser tests of the app                wasm-bindgen-test in headless Chromium
#   3. the release build                       trunk build --release --offline
#   4. its size, against the budgets           scripts/size.sh: fails over 300,000 bytes gzip -9 (the app's wasm + JS)
#                                              or 153,600 (the sweep worker's)
#   5. the build for a sub-path                scripts/publish.sh --public-url /ringlab/ into target/dist-subpath
#   6. the end-to-end tests                    node --test e2e/*.test.mjs: dist/ served, opened in Chromium
#                                              (e2e/subpath.test.mjs serves 5. at /ringlab/)
# Exits non-zero if any step failed. trunk runs offline throughout: nothing is downloaded
# after set-up.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$RINGLAB_ROOT"
started=$(date +%s)
# What a browser downloads (wasm + JS, gzip -9) must stay within this many bytes.
SIZE_BUDGET=300000
# The sweep's Web Worker (sweep_worker.js and _bg.wasm), loaded when a sweep runs: 150 KB.
WORKER_SIZE_BUDGET=153600

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

step "release build (trunk build --release --offline)" \
  in_wasm_env trunk build --release --offline

step "release size (budgets: the app at most $SIZE_BUDGET bytes gzip -9, the sweep worker $WORKER_SIZE_BUDGET)" \
  bash scripts/size.sh --no-build --budget "$SIZE_BUDGET" --worker-budget "$WORKER_SIZE_BUDGET"

# The build e2e/subpath.test.mjs serves at /ringlab/ (cargo's build is reused; wasm-opt runs again).
export RINGLAB_SUBPATH_DIST="$RINGLAB_ROOT/target/dist-subpath"
rm -rf "$RINGLAB_SUBPATH_DIST"
step "build for a sub-path (scripts/publish.sh --public-url /ringlab/)" \
  bash scripts/publish.sh --no-setup --public-url /ringlab/ --dist "$RINGLAB_SUBPATH_DIST"

step "end-to-end tests (node --test e2e/*.test.mjs)" \
  node --test e2e/*.test.mjs

steps_summary
total=$(($(date +%s) - started))
if [ "$RINGLAB_FAILED" -gt 0 ]; then
  die "$RINGLAB_FAILED step(s) failed (${total}s in all)"
fi
log "all test steps passed (${total}s in all)"

#!/usr/bin/env bash
# The habits the code keeps, as a test step (scripts/test.sh runs this):
#   cargo fmt --check                          the layout rustfmt.toml states
#   cargo clippy -D warnings, every crate and target, natively and for the browser
# Exits non-zero on any difference or warning.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$RINGLAB_ROOT"
ringlab_env
failed=0
cargo fmt --all -- --check || { warn "cargo fmt --check: run 'cargo fmt --all' to fix the layout"; failed=1; }
cargo clippy --workspace --all-targets -- -D warnings || failed=1
# The browser's own code (cfg(target_arch = "wasm32")) and the benchmark exports.
if in_wasm_env cargo clippy --version >/dev/null 2>&1; then
  in_wasm_env cargo clippy -p ringlab --target wasm32-unknown-unknown --all-targets --features bench -- -D warnings || failed=1
  # The page's first bundle, as index.html builds it: without the sweep view (src/web/handover.rs).
  in_wasm_env cargo clippy -p ringlab --target wasm32-unknown-unknown --no-default-features --bins -- -D warnings || failed=1
else
  warn "this toolchain has no clippy for the wasm32 target (Debian's rustc-web): the browser-only code was not linted"
fi
exit "$failed"

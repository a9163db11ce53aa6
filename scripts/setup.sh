#!/usr/bin/env bash
# Installs what building (and with --test, testing) ringlab needs, skipping whatever is
# already there. Idempotent: run it as often as you like.
#
#   scripts/setup.sh           the wasm32 target, crates, trunk, wasm-bindgen-cli, wasm-opt
#   scripts/setup.sh --test    the same, plus Chromium and ChromeDriver for the browser tests
#
# On Debian as root (the project's machines, CI) it installs system packages with apt-get;
# elsewhere (a laptop) it says what is missing and how to install it, and stops.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$RINGLAB_ROOT"
ringlab_env

WANT_TEST=0
for arg in "$@"; do
  case "$arg" in
    --test) WANT_TEST=1 ;;
    -h | --help)
      sed -n '2,9p' "$0"
      exit 0
      ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" = 0 ]; then
    net 300 "apt-get update (Debian package lists)" \
      apt-get -o Acquire::http::Timeout=30 -o Acquire::Retries=2 update -q
    APT_UPDATED=1
  fi
  net 1200 "apt-get install $*" env DEBIAN_FRONTEND=noninteractive \
    apt-get -o Acquire::http::Timeout=30 -o Acquire::Retries=2 install -y -q --no-install-recommends "$@"
}

# ── 1. What this script cannot install: Rust and Node.js ───────────────────────────
missing=()
have cargo || missing+=("cargo/rustc: install Rust with rustup (https://rustup.rs), then open a new shell")
have node || missing+=("node (20 or newer): e.g. 'apt-get install nodejs npm', or https://nodejs.org")
have npm || missing+=("npm: comes with Node.js ('apt-get install npm' on Debian)")
if [ "${#missing[@]}" -gt 0 ]; then
  for m in "${missing[@]}"; do warn "missing $m"; done
  die "install the above, then run this again"
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js $node_major is too old: playwright-core 1.65 and the tools need 20 or newer"

# rustfmt and clippy, for the lint step (in rustup's default profile; a minimal one lacks them).
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  if have rustup; then
    log "adding rustfmt and clippy (rustup)"
    net 180 "rustup component add rustfmt clippy" rustup component add rustfmt clippy ||
      warn "rustup could not fetch rustfmt/clippy: the lint step will fail"
  else
    warn "no rustfmt/clippy and no rustup: the lint step will fail (install them with your Rust)"
  fi
fi

# ── 2. The wasm32 target ───────────────────────────────────────────────────────────
if [ "$(wasm_route)" = none ]; then
  if have rustup; then
    log "adding the wasm32-unknown-unknown target (rustup)"
    net 180 "rustup target add wasm32-unknown-unknown" rustup target add wasm32-unknown-unknown ||
      warn "rustup could not fetch the wasm32 target; trying Debian's rustc-web instead"
  fi
  if [ "$(wasm_route)" = none ]; then
    if can_apt; then
      log "installing Debian's rustc-web (Rust 1.96 with the standard library's source) to build std for wasm32"
      apt_install -t bookworm-security rustc-web cargo-web rust-web-src rust-web-llvm lld-22
    else
      die "no wasm32 target: run 'rustup target add wasm32-unknown-unknown' (or, on Debian 12 as root, 'apt-get install -t bookworm-security rustc-web cargo-web rust-web-src rust-web-llvm lld-22')"
    fi
  fi
  [ "$(wasm_route)" != none ] || die "the wasm32 target is still missing after installing it"
fi
if [ "$(wasm_route)" = debian ] && ! debian_web_rust_ready; then
  # RINGLAB_WASM_ROUTE=debian forces the fallback (to test it) on a machine without it.
  can_apt || die "RINGLAB_WASM_ROUTE=debian needs Debian's rustc-web: run as root on Debian 12"
  apt_install -t bookworm-security rustc-web cargo-web rust-web-src rust-web-llvm lld-22
fi
log "wasm32 target: ok ($(wasm_route) route)"

# ── 3. Crates, so that every later build can run offline ──────────────────────────
log "fetching crates (cargo fetch)"
net 900 "cargo fetch (downloading crates from the registry)" cargo fetch --quiet
if [ "$(wasm_route)" = debian ]; then
  # build-std compiles the standard library, whose own crates must be there for offline builds.
  net 600 "cargo fetch of the standard library's crates (for build-std)" \
    env RUSTC_BOOTSTRAP=1 /usr/bin/cargo fetch --quiet --locked \
    --manifest-path /usr/lib/rustlib/src/rust/library/Cargo.toml
fi

# ── 4. npm tools: wasm-opt (binaryen) and playwright-core ───────────────────────────
npm_ok() {
  [ -x node_modules/.bin/wasm-opt ] &&
    [ "$(node_modules/.bin/wasm-opt --version 2>/dev/null | awk '{print $3}')" = "$RINGLAB_WASM_OPT_VERSION" ] &&
    [ -f node_modules/.package-lock.json ] && [ ! package-lock.json -nt node_modules/.package-lock.json ]
}
if npm_ok; then
  log "npm tools: ok"
else
  log "installing npm tools (npm ci: binaryen for wasm-opt, playwright-core)"
  net 600 "npm ci (downloading from the npm registry)" \
    npm ci --no-audit --no-fund --fetch-timeout=60000 --fetch-retries=2
  npm_ok || die "npm ci finished but node_modules/.bin/wasm-opt is not version $RINGLAB_WASM_OPT_VERSION"
fi

# ── 5. trunk and wasm-bindgen-cli (built from the Rust package registry) ─────────────
trunk_version() { trunk --version 2>/dev/null | awk '{print $2}'; }
if [ "$(trunk_version)" = "$RINGLAB_TRUNK_VERSION" ]; then
  log "trunk $RINGLAB_TRUNK_VERSION: ok"
else
  [ -z "$(trunk_version)" ] || warn "trunk $(trunk_version) found; ringlab pins $RINGLAB_TRUNK_VERSION"
  log "installing trunk $RINGLAB_TRUNK_VERSION (cargo install: about 6 minutes on 2 cores)"
  net 2400 "cargo install trunk (downloading and building)" \
    cargo install trunk --version "=$RINGLAB_TRUNK_VERSION" --locked --quiet
fi

WB_VERSION="$(wasm_bindgen_version)"
[ -n "$WB_VERSION" ] || die "no wasm-bindgen in Cargo.lock"
wb_ok() {
  [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" = "$WB_VERSION" ] &&
    [ "$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}')" = "$WB_VERSION" ]
}
if wb_ok; then
  log "wasm-bindgen-cli $WB_VERSION: ok"
else
  log "installing wasm-bindgen-cli $WB_VERSION (cargo install: about 2 minutes on 2 cores)"
  # Not --locked: its lock file names a webpki-roots version some registry mirrors lack.
  net 1800 "cargo install wasm-bindgen-cli (downloading and building)" \
    cargo install wasm-bindgen-cli --version "=$WB_VERSION" --quiet
  wb_ok || die "wasm-bindgen-cli $WB_VERSION is installed but not first on PATH: $(command -v wasm-bindgen)"
fi

# ── 6. For the tests: Chromium and ChromeDriver ───────────────────────────────────────
if [ "$WANT_TEST" = 1 ]; then
  if ! find_chrome >/dev/null || ! find_chromedriver >/dev/null; then
    if can_apt; then
      log "installing Chromium and ChromeDriver (apt-get)"
      apt_install chromium chromium-driver
    else
      find_chrome >/dev/null || warn "missing Chromium (or Chrome): install it, or set CHROME_BIN=/path/to/chrome"
      find_chromedriver >/dev/null || warn "missing ChromeDriver of the same major version: install it, or set CHROMEDRIVER=/path/to/chromedriver"
      die "the browser tests need the above"
    fi
  fi
  chrome_v=$("$(find_chrome)" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9.]+' | head -1 || true)
  driver_v=$("$(find_chromedriver)" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9.]+' | head -1 || true)
  [ "${chrome_v%%.*}" = "${driver_v%%.*}" ] ||
    warn "Chromium $chrome_v and ChromeDriver $driver_v differ in major version: the wasm browser tests may fail"
  log "chromium $chrome_v, chromedriver $driver_v: ok"
fi

log "set-up done: $(rustc --version), $(trunk --version), $(wasm-bindgen --version), wasm-opt $(wasm-opt --version | awk '{print $3}'), node $(node --version)"

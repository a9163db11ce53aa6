# Shared helpers for scripts/*.sh. Source it; it defines functions and RINGLAB_ROOT only.
# shellcheck shell=bash

RINGLAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export RINGLAB_ROOT

# Versions pinned here and nowhere else in the scripts (Cargo.toml/Cargo.lock pin wasm-bindgen).
RINGLAB_TRUNK_VERSION="0.21.14"
RINGLAB_WASM_OPT_VERSION="132"

# Bold/colour only on a terminal; plain text in CI logs.
if [ -t 2 ]; then
  _b=$'\033[1m' _y=$'\033[1;33m' _r=$'\033[1;31m' _n=$'\033[0m'
else
  _b='' _y='' _r='' _n=''
fi
log() { printf '%s[ringlab %s]%s %s\n' "$_b" "$(date +%H:%M:%S)" "$_n" "$*" >&2; }
warn() { printf '%s[ringlab] warning:%s %s\n' "$_y" "$_n" "$*" >&2; }
die() {
  printf '%s[ringlab] error:%s %s\n' "$_r" "$_n" "$*" >&2
  exit 1
}

have() { command -v "$1" >/dev/null 2>&1; }

# True where this script may install system packages itself: root with apt-get (the
# project's Debian machines and CI). Elsewhere (a laptop) it says what to install instead.
can_apt() { [ "$(id -u)" = 0 ] && have apt-get; }

# net SECONDS "what" cmd...: a network step with a hard timeout and a clear message.
net() {
  local secs="$1" what="$2"
  shift 2
  local rc=0
  if have timeout; then
    timeout --kill-after=15 "$secs" "$@" || rc=$?
  else
    # macOS has no timeout(1) unless coreutils is installed (then it is gtimeout).
    warn "no timeout(1) here (install GNU coreutils): '$what' runs without a time limit"
    "$@" || rc=$?
  fi
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    printf '%s[ringlab] error:%s timed out after %ss: %s\n' "$_r" "$_n" "$secs" "$what" >&2
    printf '[ringlab] (command: %s) Check the network or the registry mirror, then run the script again: finished steps are skipped.\n' "$*" >&2
  elif [ "$rc" != 0 ]; then
    printf '%s[ringlab] error:%s failed (exit %s): %s\n' "$_r" "$_n" "$rc" "$what" >&2
    printf '[ringlab] (command: %s)\n' "$*" >&2
  fi
  return "$rc"
}

# Cargo's own network settings: fail rather than hang on a dead connection.
export CARGO_HTTP_TIMEOUT="${CARGO_HTTP_TIMEOUT:-60}"
export CARGO_NET_RETRY="${CARGO_NET_RETRY:-3}"

# The wasm-bindgen version in Cargo.lock: wasm-bindgen-cli must be exactly this.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' \
    "$RINGLAB_ROOT/Cargo.lock"
}

# Is wasm-bindgen on PATH the version Cargo.lock needs? Says which to install if not.
check_wasm_bindgen() {
  local want found
  want="$(wasm_bindgen_version)"
  found="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  [ "$found" = "$want" ] && return 0
  if [ -z "$found" ]; then
    found="no wasm-bindgen on PATH"
  else
    found="wasm-bindgen $found on PATH ($(command -v wasm-bindgen))"
  fi
  printf '%s[ringlab] error:%s %s; ringlab needs %s (Cargo.lock): cargo install wasm-bindgen-cli --version =%s (or run scripts/setup.sh)\n' \
    "$_r" "$_n" "$found" "$want" "$want" >&2
  return 1
}

# Is the prebuilt wasm32 standard library there for the rustc on PATH (rustup's)?
rustup_has_wasm32() {
  have rustc && [ -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown/lib" ]
}

# Debian's rustc-web route: /usr/bin/rustc plus the standard library's source, built
# for wasm32 with cargo's build-std (see docs in README, "What each command installs").
debian_web_rust_ready() {
  [ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo ] && [ -d /usr/lib/rustlib/src/rust/library ] &&
    [ -x /usr/bin/rust-lld ] # from rust-web-llvm, a link to lld-22
}

# The chromium binary: $CHROME_BIN, or the usual names.
find_chrome() {
  if [ -n "${CHROME_BIN:-}" ]; then
    echo "$CHROME_BIN"
    return
  fi
  local c
  for c in chromium chromium-browser google-chrome google-chrome-stable; do
    if have "$c"; then
      command -v "$c"
      return
    fi
  done
  return 1
}

find_chromedriver() {
  if [ -n "${CHROMEDRIVER:-}" ]; then
    echo "$CHROMEDRIVER"
  elif have chromedriver; then
    command -v chromedriver
  else
    return 1
  fi
}

# Puts the project's tools on PATH (node_modules/.bin first: wasm-opt 132 and
# playwright-core; ~/.cargo/bin for trunk and wasm-bindgen), and keeps trunk offline.
# Idempotent.
ringlab_env() {
  # The scripts never let trunk download: no tool from GitHub (a wrong or missing
  # wasm-bindgen/wasm-opt fails, naming the version), cargo builds with --offline (set-up
  # ran `cargo fetch`), no update check. Trunk.toml leaves this off for a plain `trunk
  # serve` on a developer's machine; the scripts also pass --offline, visibly.
  export TRUNK_OFFLINE=true TRUNK_SKIP_VERSION_CHECK=true
  case ":$PATH:" in
    *":$RINGLAB_ROOT/node_modules/.bin:"*) ;;
    *) PATH="$RINGLAB_ROOT/node_modules/.bin:$PATH" ;;
  esac
  local cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
  case ":$PATH:" in
    *":$cargo_bin:"*) ;;
    *) PATH="$PATH:$cargo_bin" ;;
  esac
  export PATH
}

# Which toolchain builds for wasm32: "rustup" (the prebuilt target) or "debian" (Debian's
# rustc-web with build-std). RINGLAB_WASM_ROUTE=debian forces the second, for testing it.
wasm_route() {
  if [ "${RINGLAB_WASM_ROUTE:-}" = debian ]; then
    echo debian
  elif rustup_has_wasm32; then
    echo rustup
  elif debian_web_rust_ready; then
    echo debian
  else
    echo none
  fi
}

# Sets up the environment of a wasm32 build (call it in a subshell): ringlab_env, and
# nothing more on the rustup route; on the Debian route, /usr/bin first so that cargo and
# rustc are Debian's 1.96 (trunk, wasm-bindgen and wasm-opt are still found further along
# PATH) and the standard library is built from source.
ringlab_wasm_env() {
  ringlab_env
  case "$(wasm_route)" in
    rustup) ;;
    debian)
      export PATH="$RINGLAB_ROOT/node_modules/.bin:/usr/bin:$PATH"
      export RUSTC_BOOTSTRAP=1
      export CARGO_UNSTABLE_BUILD_STD="${CARGO_UNSTABLE_BUILD_STD:-std,panic_abort}"
      ;;
    *) die "no wasm32 toolchain: run scripts/setup.sh first" ;;
  esac
}

# in_wasm_env cmd...: runs cmd with ringlab_wasm_env, leaving this shell as it was.
in_wasm_env() { (ringlab_wasm_env && "$@"); }

# step NAME cmd...: runs one step, times it, records it for summary.
RINGLAB_STEPS=()
RINGLAB_FAILED=0
step() {
  local name="$1"
  shift
  log "── $name: $*"
  local start rc=0
  start=$(date +%s)
  "$@" || rc=$?
  local secs=$(($(date +%s) - start))
  if [ "$rc" = 0 ]; then
    RINGLAB_STEPS+=("ok      ${secs}s  $name")
  else
    RINGLAB_STEPS+=("FAILED  ${secs}s  $name (exit $rc)")
    RINGLAB_FAILED=$((RINGLAB_FAILED + 1))
  fi
  return 0
}

steps_summary() {
  log "summary:"
  local s
  for s in "${RINGLAB_STEPS[@]}"; do
    printf '  %s\n' "$s" >&2
  done
}

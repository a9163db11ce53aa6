#!/usr/bin/env bash
# Benchmarks: prints where ringlab stands against its limits, in one table, and writes the
# same figures to target/bench/summary.json (a list of {name, value, unit, goal, met}).
#
#   scripts/bench.sh            the full run (about 5 minutes on 2 idle cores)
#   scripts/bench.sh --quick    shorter memory runs (10^7 completions, 15 s in the browser), 1 run each
#   scripts/bench.sh --long     the browser memory run lasts ten minutes instead of one
#
# Each figure is measured in the same run as its baseline: the core natively (median of
# three runs) next to a bare ring loop; the core in WebAssembly (headless Chromium) next
# to the native figure; fast-forward, frame time, first drawn ring and memory in the
# release build; the release bundle's size. A missed goal is printed, never an error:
# the script exits non-zero only if a measurement could not be made at all.
# Not part of scripts/test.sh. Figures are noisy when other builds share the machine.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$RINGLAB_ROOT"

QUICK=0
BROWSER_MEMORY_SECONDS=60
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    --long) BROWSER_MEMORY_SECONDS=600 ;;
    -h | --help)
      sed -n '2,14p' "$0"
      exit 0
      ;;
    *) die "unknown argument: $arg (try --help)" ;;
  esac
done
NATIVE_MEMORY=100000000
RUNS=3
if [ "$QUICK" = 1 ]; then
  NATIVE_MEMORY=10000000
  RUNS=1
  [ "$BROWSER_MEMORY_SECONDS" = 600 ] || BROWSER_MEMORY_SECONDS=15
fi

OUT=target/bench
DIST="$OUT/dist"
mkdir -p "$OUT"
rm -rf "$OUT"/native-*.json "$OUT/browser.json" "$OUT/sweep.json" "$OUT/summary.json" "$DIST"

# limited SECONDS "what" cmd...: a local step with a timeout and a clear message.
limited() {
  local secs="$1" what="$2" rc=0
  shift 2
  timeout --kill-after=15 "$secs" "$@" || rc=$?
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    warn "timed out after ${secs}s: $what"
  elif [ "$rc" != 0 ]; then
    warn "failed (exit $rc): $what"
  fi
  return "$rc"
}

log "set-up (scripts/setup.sh --test: skips whatever is installed)"
limited 3600 "scripts/setup.sh --test" bash scripts/setup.sh --test ||
  die "set-up failed (see above): nothing was measured"
ringlab_env
CHROME_BIN="$(find_chrome)" || die "no Chromium found: install it or set CHROME_BIN"
export CHROME_BIN

# ── 1. The core, natively ─────────────────────────────────────────────────────────
native_files=()
log "building the native core (cargo build --release --bin ringlab)"
if limited 1200 "cargo build -p ringlab-core --release --bin ringlab" \
  cargo build -p ringlab-core --release --bin ringlab --offline --quiet; then
  for run in $(seq 1 "$RUNS"); do
    args=(bench --completions 2000000 --json "$OUT/native-$run.json")
    [ "$run" = 1 ] && args+=(--memory "$NATIVE_MEMORY")
    log "native run $run/$RUNS: ringlab ${args[*]}"
    if limited 900 "ringlab ${args[*]}" target/release/ringlab "${args[@]}" >"$OUT/native-$run.txt"; then
      native_files+=("$OUT/native-$run.json")
    fi
  done
fi
native_csv=$(IFS=,; echo "${native_files[*]:-}")

# ── 2. The release build (trunk build --release: wasm-opt -Oz) ────────────────────────
log "release build into $DIST (trunk build --release)"
wasm_opt=no
# (timeout runs a program, not a shell function: hence the inner bash.)
if limited 1800 "trunk build --release" bash -c 'source scripts/lib.sh && in_wasm_env trunk -v build --release --dist "$1"' _ "$DIST" \
  >"$OUT/trunk.log" 2>&1; then
  if grep -q 'wasm-opt args.*-Oz' "$OUT/trunk.log" &&
    grep -q "using system installed binary: .*wasm-opt detected_version=version_$RINGLAB_WASM_OPT_VERSION" "$OUT/trunk.log"; then
    wasm_opt=yes
  else
    warn "trunk did not run wasm-opt $RINGLAB_WASM_OPT_VERSION with -Oz (see $OUT/trunk.log)"
  fi
else
  tail -20 "$OUT/trunk.log" >&2 || true
fi

# The same build with the benchmark exports (feature `bench`, src/web/bench.rs), which the
# shipped app leaves out: the browser measurements call them; sizes come from $DIST.
# trunk's --features does not reach an asset with cargo flags of its own (the first
# bundle's data-cargo-no-default-features), so the build reads a copy of index.html whose
# first bundle asks for the feature itself (index.bench.html, removed afterwards).
BENCH_DIST="$DIST-bench"
BENCH_HTML=index.bench.html
sed 's/data-bin="ringlab" data-cargo-no-default-features/& data-cargo-features="bench"/' index.html >"$BENCH_HTML"
trap 'rm -f "$RINGLAB_ROOT/$BENCH_HTML"' EXIT
grep -q 'data-cargo-features="bench"' "$BENCH_HTML" ||
  warn "index.html's first bundle was not found: the benchmark build may lack the bench exports"
log "release build with the benchmark exports into $BENCH_DIST (trunk build --release --features bench $BENCH_HTML)"
if ! limited 1800 "trunk build --release --features bench" \
  bash -c 'source scripts/lib.sh && in_wasm_env trunk -v build --release --features bench --dist "$1" "$2"' _ "$BENCH_DIST" "$BENCH_HTML" \
  >"$OUT/trunk-bench.log" 2>&1; then
  tail -20 "$OUT/trunk-bench.log" >&2 || true
fi
rm -f "$BENCH_HTML"

# ── 3. In the browser ─────────────────────────────────────────────────────────────
browser_args=(--out "$OUT/browser.json")
if [ -f "$BENCH_DIST/index.html" ]; then
  log "in headless Chromium: core in wasm, fast-forward, first ring, frame time, ${BROWSER_MEMORY_SECONDS} s memory run"
  native_for_ratio="${native_files[0]:-}"
  if [ "${#native_files[@]}" -gt 1 ]; then
    # The ratio to native uses the median of the native runs.
    node e2e/bench/summary.mjs --out "$OUT/native-median.json" --native "$native_csv" >/dev/null
    native_for_ratio="$OUT/native-median.json"
  fi
  limited $((BROWSER_MEMORY_SECONDS + 900)) "node e2e/bench/browser.mjs" \
    node e2e/bench/browser.mjs --dist "$BENCH_DIST" --out "$OUT/browser.json" --runs "$RUNS" \
    --memory-seconds "$BROWSER_MEMORY_SECONDS" ${native_for_ratio:+--native "$native_for_ratio"} || true
fi

# The sweep (rows named "sweep …"): a 24×24 sweep in Web Workers, 2 workers against 1
# (`?workers=N`), the main view's frame time while a sweep runs, the app's and the
# worker's bundles (e2e/bench/sweep.mjs).
if [ -f "$DIST/index.html" ]; then
  log "in headless Chromium: the sweep (24×24, 2 workers against 1, frame time while it runs)"
  limited 900 "node e2e/bench/sweep.mjs" \
    node e2e/bench/sweep.mjs --dist "$DIST" --out "$OUT/sweep.json" --runs "$RUNS" || true
fi

# ── 4. The table ──────────────────────────────────────────────────────────────────
summary_args=(--out "$OUT/summary.json" --markdown "$OUT/summary.md" --native "$native_csv" --wasm-opt "$wasm_opt")
[ -f "$OUT/browser.json" ] && summary_args+=(--browser "$OUT/browser.json")
[ -f "$OUT/sweep.json" ] && summary_args+=(--sweep "$OUT/sweep.json")
[ -f "$DIST/index.html" ] && summary_args+=(--dist "$DIST")
echo
echo "ringlab benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
node e2e/bench/summary.mjs "${summary_args[@]}"
log "figures written to $OUT/summary.json (table in $OUT/summary.md)"

if [ "${#native_files[@]}" = 0 ] && [ ! -f "$OUT/browser.json" ] && [ ! -f "$DIST/index.html" ]; then
  die "no measurement could be made (see the messages above)"
fi

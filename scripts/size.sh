#!/usr/bin/env bash
# Builds the release version offline (trunk build --release --offline) and prints the size
# of what a browser downloads: the wasm and the JS glue, raw and gzipped, in a small table,
# the app's bundle (what the page loads first), the sweep worker's (sweep_worker.js and
# sweep_worker_bg.wasm, loaded when a sweep runs) and the sweep view's (sweep_view.js and
# sweep_view_bg.wasm: the app with its sweep view, loaded when a sweep is opened; no budget)
# added up apart.
#   scripts/size.sh                      set-up if needed, build, print
#   scripts/size.sh --no-build           print the sizes of the dist/ that is there
#   scripts/size.sh --budget BYTES       also fail (exit 1) when the app's wasm + JS exceed BYTES gzip -9
#   scripts/size.sh --worker-budget BYTES  also fail when the worker's wasm + JS exceed BYTES gzip -9
#   scripts/size.sh --dist DIR           measure DIR instead of dist/
# scripts/test.sh runs `scripts/size.sh --no-build --budget 300000 --worker-budget 153600`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$RINGLAB_ROOT"

BUILD=1
BUDGET=""
WORKER_BUDGET=""
DIST=dist
while [ "$#" -gt 0 ]; do
  case "$1" in
    --no-build) BUILD=0 ;;
    --budget)
      [ "$#" -ge 2 ] || die "--budget needs a number of bytes"
      BUDGET="$2"
      shift
      ;;
    --budget=*) BUDGET="${1#--budget=}" ;;
    --worker-budget)
      [ "$#" -ge 2 ] || die "--worker-budget needs a number of bytes"
      WORKER_BUDGET="$2"
      shift
      ;;
    --worker-budget=*) WORKER_BUDGET="${1#--worker-budget=}" ;;
    --dist)
      [ "$#" -ge 2 ] || die "--dist needs a directory"
      DIST="$2"
      shift
      ;;
    --dist=*) DIST="${1#--dist=}" ;;
    -h | --help)
      sed -n '2,11p' "$0"
      exit 0
      ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
  shift
done
case "$BUDGET" in
  "" | *[!0-9]*) [ -z "$BUDGET" ] || die "--budget takes a whole number of bytes, not '$BUDGET'" ;;
esac
case "$WORKER_BUDGET" in
  "" | *[!0-9]*) [ -z "$WORKER_BUDGET" ] || die "--worker-budget takes a whole number of bytes, not '$WORKER_BUDGET'" ;;
esac
DIST="${DIST%/}"

if [ "$BUILD" = 1 ]; then
  bash scripts/setup.sh
  in_wasm_env trunk build --release --offline --dist "$DIST"
fi

shopt -s nullglob
files=("$DIST"/*.wasm "$DIST"/*.js)
[ "${#files[@]}" -gt 0 ] || die "no .wasm or .js in $DIST/: build first (trunk build --release --offline)"

# "126370 B (123.4 KiB)": bytes to compare runs, KiB to read.
size() { awk -v b="$1" 'BEGIN { printf "%d B (%.1f KiB)", b, b / 1024 }'; }
# The sweep worker's files (index.html: data-bin="sweep_worker"), and the sweep view's bundle
# (data-bin="sweep_view": the app with its sweep view, loaded only when a sweep is opened;
# src/web/handover.rs); everything else is the app's, what the page loads first.
is_worker() { case "${1##*/}" in sweep_worker.js | sweep_worker_bg.wasm | sweep_worker-*) return 0 ;; *) return 1 ;; esac; }
is_sweep_view() { case "${1##*/}" in sweep_view.js | sweep_view_bg.wasm | sweep_view-*) return 0 ;; *) return 1 ;; esac; }
printf '%-36s %22s %22s\n' "file in $DIST/" "raw" "gzip -9"
main_raw=0
main_gz=0
worker_raw=0
worker_gz=0
view_raw=0
view_gz=0
for f in "${files[@]}"; do
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  if is_worker "$f"; then
    worker_raw=$((worker_raw + raw))
    worker_gz=$((worker_gz + gz))
  elif is_sweep_view "$f"; then
    view_raw=$((view_raw + raw))
    view_gz=$((view_gz + gz))
  else
    main_raw=$((main_raw + raw))
    main_gz=$((main_gz + gz))
  fi
  printf '%-36s %22s %22s\n' "${f#"$DIST"/}" "$(size "$raw")" "$(size "$gz")"
done
printf '%-36s %22s %22s\n' "app (wasm + js)" "$(size "$main_raw")" "$(size "$main_gz")"
printf '%-36s %22s %22s\n' "sweep worker (wasm + js)" "$(size "$worker_raw")" "$(size "$worker_gz")"
printf '%-36s %22s %22s\n' "sweep view (wasm + js)" "$(size "$view_raw")" "$(size "$view_gz")"
printf '%-36s %22s %22s\n' "total (wasm + js)" "$(size "$((main_raw + worker_raw + view_raw))")" "$(size "$((main_gz + worker_gz + view_gz))")"
# One line each for scripts and e2e/bench: "size: app GZ worker GZ".
echo "size: app $main_gz worker $worker_gz sweep_view $view_gz"

failed=0
if [ -n "$BUDGET" ]; then
  if [ "$main_gz" -gt "$BUDGET" ]; then
    warn "size budget exceeded: the app's wasm + JS is $main_gz bytes gzip -9, over the budget of $BUDGET bytes by $((main_gz - BUDGET)) bytes"
    failed=1
  else
    log "size budget: the app's wasm + JS is $main_gz bytes gzip -9, within the budget of $BUDGET bytes ($((BUDGET - main_gz)) bytes to spare)"
  fi
fi
if [ -n "$WORKER_BUDGET" ]; then
  if [ "$worker_raw" = 0 ]; then
    warn "no sweep worker (sweep_worker.js, sweep_worker_bg.wasm) in $DIST/"
    failed=1
  elif [ "$worker_gz" -gt "$WORKER_BUDGET" ]; then
    warn "worker size budget exceeded: the sweep worker's wasm + JS is $worker_gz bytes gzip -9, over the budget of $WORKER_BUDGET bytes by $((worker_gz - WORKER_BUDGET)) bytes"
    failed=1
  else
    log "worker size budget: the sweep worker's wasm + JS is $worker_gz bytes gzip -9, within the budget of $WORKER_BUDGET bytes ($((WORKER_BUDGET - worker_gz)) bytes to spare)"
  fi
fi
[ "$failed" = 0 ] || die "over budget (see above)"

#!/usr/bin/env bash
# Builds the release version offline (trunk build --release --offline) and prints the size
# of what a browser downloads: the wasm and the JS glue, raw and gzipped, in a small table.
#   scripts/size.sh                      set-up if needed, build, print
#   scripts/size.sh --no-build           print the sizes of the dist/ that is there
#   scripts/size.sh --budget BYTES       also fail (exit 1) when wasm + JS exceed BYTES gzip -9
#   scripts/size.sh --dist DIR           measure DIR instead of dist/
# scripts/test.sh runs `scripts/size.sh --no-build --budget 300000`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$RINGLAB_ROOT"

BUILD=1
BUDGET=""
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
    --dist)
      [ "$#" -ge 2 ] || die "--dist needs a directory"
      DIST="$2"
      shift
      ;;
    --dist=*) DIST="${1#--dist=}" ;;
    -h | --help)
      sed -n '2,8p' "$0"
      exit 0
      ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
  shift
done
case "$BUDGET" in
  "" | *[!0-9]*) [ -z "$BUDGET" ] || die "--budget takes a whole number of bytes, not '$BUDGET'" ;;
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
printf '%-36s %22s %22s\n' "file in $DIST/" "raw" "gzip -9"
total_raw=0
total_gz=0
for f in "${files[@]}"; do
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  printf '%-36s %22s %22s\n' "${f#"$DIST"/}" "$(size "$raw")" "$(size "$gz")"
done
printf '%-36s %22s %22s\n' "total (wasm + js)" "$(size "$total_raw")" "$(size "$total_gz")"

if [ -n "$BUDGET" ]; then
  if [ "$total_gz" -gt "$BUDGET" ]; then
    die "size budget exceeded: wasm + JS is $total_gz bytes gzip -9, over the budget of $BUDGET bytes by $((total_gz - BUDGET)) bytes"
  fi
  log "size budget: wasm + JS is $total_gz bytes gzip -9, within the budget of $BUDGET bytes ($((BUDGET - total_gz)) bytes to spare)"
fi

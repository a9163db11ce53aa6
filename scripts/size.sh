#!/usr/bin/env bash
# Builds the release version offline (trunk build --release) and prints the size of what
# a browser downloads: the wasm and the JS glue, raw and gzipped, in a small table.
#   scripts/size.sh              set-up if needed, build, print
#   scripts/size.sh --no-build   print the sizes of the dist/ that is there
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$RINGLAB_ROOT"

if [ "${1:-}" != --no-build ]; then
  bash scripts/setup.sh
  # Trunk.toml has offline = true: no tool download, and cargo runs --offline.
  in_wasm_env trunk build --release
fi

shopt -s nullglob
files=(dist/*.wasm dist/*.js)
[ "${#files[@]}" -gt 0 ] || die "no .wasm or .js in dist/: build first (trunk build --release)"

# "126370 B (123.4 KiB)": bytes to compare runs, KiB to read.
size() { awk -v b="$1" 'BEGIN { printf "%d B (%.1f KiB)", b, b / 1024 }'; }
printf '%-36s %22s %22s\n' "file in dist/" "raw" "gzip -9"
total_raw=0
total_gz=0
for f in "${files[@]}"; do
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  printf '%-36s %22s %22s\n' "${f#dist/}" "$(size "$raw")" "$(size "$gz")"
done
printf '%-36s %22s %22s\n' "total (wasm + js)" "$(size "$total_raw")" "$(size "$total_gz")"

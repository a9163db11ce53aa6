#!/usr/bin/env bash
# The README's serve command: installs what is missing (scripts/setup.sh), then serves
# the app with the default scenario on http://127.0.0.1:8080/ (PORT=... to change it),
# rebuilding when a file changes. Ctrl-C stops it. trunk runs offline (--offline): it
# never downloads a tool or a crate; set-up installs them first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$RINGLAB_ROOT"

bash scripts/setup.sh
ringlab_wasm_env

PORT="${PORT:-8080}"
URL="http://127.0.0.1:$PORT/"
log "building, then serving ringlab at $URL (Ctrl-C to stop)"
# trunk prints the address again once the first build is done.
have curl && (
  for _ in $(seq 1 600); do
    sleep 1
    if curl -fsS -o /dev/null "$URL" 2>/dev/null; then
      log "ringlab is up: open $URL"
      exit 0
    fi
  done
) &
exec trunk serve --offline --address 127.0.0.1 --port "$PORT"

#!/usr/bin/env bash
# Builds the release version for a static web host: dist/ holds everything (index.html,
# the wasm, the JS, the stylesheet, the icon); copy it to any web server.
#
#   scripts/publish.sh                            relative URLs: dist/ works from any path
#   scripts/publish.sh --public-url /ringlab/     absolute URLs under /ringlab/ (e.g. GitHub
#                                                 Pages at https://USER.github.io/ringlab/)
#   scripts/publish.sh --dist DIR                 build into DIR instead of dist/
#   scripts/publish.sh --no-setup                 skip scripts/setup.sh (tools already there)
#
# It installs what is missing (scripts/setup.sh), then runs
# `trunk build --release --offline [--public-url URL]` (wasm-opt included) and says where
# the files are and how to host them. Nothing is downloaded at build time.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$RINGLAB_ROOT"

PUBLIC_URL=""
DIST=dist
SETUP=1
while [ "$#" -gt 0 ]; do
  case "$1" in
    --public-url)
      [ "$#" -ge 2 ] || die "--public-url needs a value, e.g. /ringlab/"
      PUBLIC_URL="$2"
      shift
      ;;
    --public-url=*) PUBLIC_URL="${1#--public-url=}" ;;
    --dist)
      [ "$#" -ge 2 ] || die "--dist needs a directory"
      DIST="$2"
      shift
      ;;
    --dist=*) DIST="${1#--dist=}" ;;
    --no-setup) SETUP=0 ;;
    -h | --help)
      sed -n '2,13p' "$0"
      exit 0
      ;;
    *) die "unknown argument: $1 (try --help)" ;;
  esac
  shift
done
DIST="${DIST%/}"

if [ "$SETUP" = 1 ]; then
  bash scripts/setup.sh
fi
ringlab_env
check_wasm_bindgen || die "the release build needs it"

args=(build --release --offline --dist "$DIST")
[ -z "$PUBLIC_URL" ] || args+=(--public-url "$PUBLIC_URL")
log "building for a static host: trunk ${args[*]}"
in_wasm_env trunk "${args[@]}"
[ -f "$DIST/index.html" ] || die "trunk finished but $DIST/index.html is missing"

bash scripts/size.sh --no-build --dist "$DIST"
if [ -z "$PUBLIC_URL" ]; then
  where="relative URLs: it works at any path"
  at=/ringlab/
else
  where="for $PUBLIC_URL"
  at="$PUBLIC_URL"
fi
cat >&2 <<EOF
[ringlab] $DIST/ is ready to publish ($(find "$DIST" -type f | wc -l) files, $where).
  Copy its contents to any static web server${PUBLIC_URL:+, at $PUBLIC_URL}, e.g.
    rsync -a --delete $DIST/ user@host:/var/www/html$at
  Nothing runs on the server; .wasm should be sent as application/wasm (most servers do).
  GitHub Pages: .github/workflows/pages.yml builds with --public-url /<repository>/ and
  deploys on every push to main (Settings > Pages > Source: GitHub Actions).
  To look at it here first: node e2e/serve.mjs $DIST 8081 $at
EOF

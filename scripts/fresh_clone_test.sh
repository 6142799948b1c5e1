#!/usr/bin/env bash
# Proves the README's promise: a user's fresh clone, with nothing beside it and an empty Deno
# cache, passes `deno task test`. Clones the committed HEAD into an empty temporary folder, gives
# it a private DENO_DIR and cache directory, and runs the test command there.
#   scripts/fresh_clone_test.sh [LOG]   (LOG receives the test output; default: stdout only)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/empty"
git clone --quiet --no-local "$repo" "$work/empty/pgconverge"
# Nothing but the clone lives beside it: no ../shared, no other checkout.
[ "$(ls -A "$work/empty")" = "pgconverge" ]
cd "$work/empty/pgconverge"
export DENO_DIR="$work/deno_dir"
export PGCONVERGE_CACHE_DIR="$work/pgconverge_cache"
unset PGCONVERGE_CONFORMANCE_DIR
echo "fresh clone: $(git rev-parse --short HEAD) in $PWD, DENO_DIR=$DENO_DIR"
if [ -n "${1:-}" ]; then
  deno task test 2>&1 | tee "$1"
  exit "${PIPESTATUS[0]}"
fi
deno task test

#!/usr/bin/env bash
# Reads a GEXF file with graphology-gexf (parse.mjs), installing the npm packages of this folder
# first when they are missing or older than package-lock.json. Usage: parse.sh FILE
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -f "$here/node_modules/.package-lock.json" ] ||
  [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
exec node "$here/parse.mjs" "$1"

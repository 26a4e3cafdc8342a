#!/usr/bin/env bash
# Rebuilds frontend/dist from the sources and fails if it differs from what is committed (or if
# the build leaves files git does not know): the embedded page must be what the sources build.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
if ! git diff --exit-code --stat -- dist; then
  echo "frontend/dist differs from what the sources build: run 'npm run build' in frontend/ and commit dist/" >&2
  exit 1
fi
untracked=$(git ls-files --others --exclude-standard -- dist)
if [ -n "$untracked" ]; then
  echo "the build made files that are not committed:" >&2
  echo "$untracked" >&2
  exit 1
fi
echo "frontend/dist matches its sources"

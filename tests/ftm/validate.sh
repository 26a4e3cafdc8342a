#!/usr/bin/env bash
# Validates a FollowTheMoney file with the followthemoney library from PyPI, installed on first
# use into a virtual environment under target/ (kept for later runs). Usage: validate.sh FILE
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${CARGO_TARGET_DIR:-$here/../../target}/venv-followthemoney"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import followthemoney" 2>/dev/null; then
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "followthemoney>=3.5" >&2
fi
exec "$venv/bin/python" "$here/validate.py" "$1"

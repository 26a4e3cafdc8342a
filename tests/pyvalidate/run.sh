#!/usr/bin/env bash
# Runs one of this folder's validators on a file, with the Python library made for its format
# (requirements.txt pins them: followthemoney, icalendar, networkx; CSV uses Python's own csv
# module), installed from PyPI on first use into a virtual environment under target/. The
# environment is kept, and made again when requirements.txt changes.
# Usage: run.sh ftm|ics|graphml|csv FILE (prints the validator's JSON; fails with its problems)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${CARGO_TARGET_DIR:-$here/../../target}/venv-pyvalidate"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$venv/installed-requirements.txt"; then
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2
  cp "$here/requirements.txt" "$venv/installed-requirements.txt"
fi
exec "$venv/bin/python" "$here/validate_$1.py" "$2"

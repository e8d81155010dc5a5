#!/usr/bin/env bash
# Create .venv and install perfkg with its test tools, then the web UI's npm packages
# (scripts/frontend.sh). Idempotent. Used by run.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet -e '.[test]'
bash scripts/frontend.sh

#!/usr/bin/env bash
# Quick start, command 2: set up, lint, then run the whole test suite (doctests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/browser.sh
bash scripts/servers.sh
.venv/bin/ruff check graphbuild service tests benchmarks
.venv/bin/ruff format --check --quiet graphbuild service tests benchmarks
.venv/bin/python -m pytest tests graphbuild -p no:cacheprovider "$@"

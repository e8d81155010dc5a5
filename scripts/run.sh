#!/usr/bin/env bash
# Quick start, command 1: set up, then extract the bundled sample documents with a summary.
# Records are written to out/records.jsonl (JSON Lines) and out/records.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
.venv/bin/perfkg extract data/samples --format csv -o out/records.csv
.venv/bin/perfkg extract data/samples -o out/records.jsonl --summary
echo "Records written to out/records.jsonl and out/records.csv"

#!/usr/bin/env bash
# Quick start, command 1: set up, extract the bundled sample documents with a summary, build
# the knowledge graph from them into the default embedded store ./perfkg-data (where every
# perfkg command looks when --store is not given), validate it (SHACL), then
# serve it (SPARQL endpoint, linked-data pages, query UI, explorer) until Ctrl-C.
# Records are written to out/records.jsonl (JSON Lines) and out/records.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p out
.venv/bin/perfkg extract data/samples --format csv -o out/records.csv
.venv/bin/perfkg extract data/samples -o out/records.jsonl --summary
echo "Records written to out/records.jsonl and out/records.csv"
echo
.venv/bin/perfkg build data/samples
echo
.venv/bin/perfkg validate
echo "Graph in ./perfkg-data (the default store); e.g. .venv/bin/perfkg export --format trig -o out/perfkg.trig"
echo
echo "Serving the sample graph (home page, /query, /explore, /sparql); Ctrl-C stops it"
exec .venv/bin/perfkg serve

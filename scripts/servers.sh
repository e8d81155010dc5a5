#!/usr/bin/env bash
# Make sure Debian's Virtuoso (virtuoso-t and isql-vt, package virtuoso-opensource) is installed
# for the scale-out test (tests/test_scaleout.py, marker `server`), which loads the sharded
# export into it and into `oxigraph serve-read-only` (the oxigraph binary comes with the test
# extra). Installs with apt-get when missing, quietly and without questions; needs root (CI runs
# as root). The package's own service is not used: the test starts virtuoso-t itself, with a
# generated virtuoso.ini, on free local ports.
set -euo pipefail
if command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "scale-out test: Virtuoso missing; install with: sudo apt-get install -y virtuoso-opensource" >&2
  exit 0  # the scale-out test then fails and says the same
fi
export DEBIAN_FRONTEND=noninteractive
echo "installing virtuoso-opensource for the scale-out test (apt-get)"
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null

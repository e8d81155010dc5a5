#!/usr/bin/env bash
# Install the browser libraries of the web UI from npm and copy the files the pages load into
# service/pages/static/vendor/ (served by `perfkg serve` at /static/vendor/; no CDN). Idempotent;
# called by setup.sh. node_modules/ and static/vendor/ are build output, not committed.
set -euo pipefail
cd "$(dirname "$0")/../service/frontend"
if ! command -v npm >/dev/null 2>&1; then
  echo "frontend: npm is missing; install Node.js 18+ and npm (Debian: apt-get install -y nodejs npm)" >&2
  exit 1
fi
stamp=node_modules/.perfkg-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    npm install --no-audit --no-fund --loglevel=error
  fi
  touch "$stamp"
fi
vendor=../pages/static/vendor
rm -rf "$vendor"
mkdir -p "$vendor/yasgui" "$vendor/cytoscape" "$vendor/swagger-ui" "$vendor/chartjs"
cp node_modules/@triply/yasgui/build/yasgui.min.js node_modules/@triply/yasgui/build/yasgui.min.css \
   node_modules/@triply/yasgui/build/yasgui.min.js.LICENSE.txt "$vendor/yasgui/"
cp node_modules/@triply/yasgui/LICENSE* "$vendor/yasgui/" 2>/dev/null || true
cp node_modules/cytoscape/dist/cytoscape.min.js "$vendor/cytoscape/"
cp node_modules/cytoscape/LICENSE* "$vendor/cytoscape/" 2>/dev/null || true
cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/LICENSE.md "$vendor/chartjs/"
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
   node_modules/swagger-ui-dist/LICENSE "$vendor/swagger-ui/"

#!/usr/bin/env bash
# make demo: serve the simulated county web, crawl and audit it as of 2011-09-30, stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
OUT=${DISCLOSURE_OUT:-runs/demo}
mkdir -p var
"$PY" -m sandbox serve >var/sandbox.log 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 1800); do   # up to 3 minutes on a loaded machine
  grep -q ready var/sandbox.log 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { echo "sandbox failed to start:"; cat var/sandbox.log; exit 1; }
  sleep 0.1
done
grep -q ready var/sandbox.log || { echo "sandbox did not become ready"; exit 1; }
.venv/bin/scrapy crawl disclosure \
  -s DISCLOSURE_CONFIG=config/sandbox.toml \
  -s DISCLOSURE_AS_OF=2011-09-30 \
  -s DISCLOSURE_TRUSTED_CA=var/sandbox-ca.pem \
  -s DISCLOSURE_OUT="$OUT"
echo
echo "Reports of this run: $OUT/latest/ (report.html, bulletin.md, findings.csv, offenders.csv, sites/)"
echo "Ground truth of the sandbox: var/sandbox-manifest.json"

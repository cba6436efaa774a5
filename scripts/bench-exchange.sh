#!/usr/bin/env bash
# Runs `lgsp bench exchange` against a fresh release hub in a temporary folder; prints the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
data=$(mktemp -d /tmp/lgsp-bench-XXXXXX)
port=${LGSP_BENCH_PORT:-18990}
.build/release/lgsp serve --data "$data" --port "$port" > "$data/hub.log" 2>&1 &
hub=$!
trap 'kill $hub 2>/dev/null; wait $hub 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 50); do grep -q "listening on" "$data/hub.log" 2>/dev/null && break; sleep 0.2; done
.build/release/lgsp bench exchange --url "http://127.0.0.1:$port" --data "$data" "$@"

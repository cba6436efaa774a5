#!/usr/bin/env bash
# Runs `lgsp bench notify` against a fresh release hub in a temporary folder; prints the numbers:
# notification latency from upload complete to the destination's WebSocket event.
#   LGSP_BIN        the lgsp binary (default .build/release/lgsp; with
#                   `--scratch-path .build-release` builds: .build-release/release/lgsp)
#   LGSP_BENCH_PORT the hub's port (default 18992)
# Further arguments go to `lgsp bench notify` (e.g. --rate 50 --duration 10 --inline).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${LGSP_BIN:-.build/release/lgsp}
if [ ! -x "$bin" ] && [ -x .build-release/release/lgsp ]; then bin=.build-release/release/lgsp; fi
data=$(mktemp -d /tmp/lgsp-bench-notify-XXXXXX)
port=${LGSP_BENCH_PORT:-18992}
"$bin" serve --data "$data" --port "$port" > "$data/hub.log" 2>&1 &
hub=$!
trap 'kill $hub 2>/dev/null; wait $hub 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 50); do grep -q "listening on" "$data/hub.log" 2>/dev/null && break; sleep 0.2; done
"$bin" bench notify --url "http://127.0.0.1:$port" --data "$data" --hub-pid "$hub" "$@"

#!/usr/bin/env bash
# Runs `lgsp bench auth` (in-process) and `lgsp bench proxy` against a fresh release hub in a
# temporary folder; prints the numbers. The proxy bench starts its own echo provider and, if nginx
# is installed (Debian: apt-get install nginx), nginx proxy_pass to it for the baseline.
#   LGSP_BIN        the lgsp binary (default .build/release/lgsp; with
#                   `--scratch-path .build-release` builds: .build-release/release/lgsp)
#   LGSP_BENCH_PORT the hub's port (default 18991)
#   AUTH_ARGS       extra arguments for `lgsp bench auth` (e.g. "--duration 3")
# Further arguments go to `lgsp bench proxy` (e.g. --concurrency 32 --duration 10).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${LGSP_BIN:-.build/release/lgsp}
if [ ! -x "$bin" ] && [ -x .build-release/release/lgsp ]; then bin=.build-release/release/lgsp; fi
data=$(mktemp -d /tmp/lgsp-bench-auth-XXXXXX)
port=${LGSP_BENCH_PORT:-18991}
"$bin" bench auth ${AUTH_ARGS:-}
echo
"$bin" serve --data "$data" --port "$port" > "$data/hub.log" 2>&1 &
hub=$!
trap 'kill $hub 2>/dev/null; wait $hub 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 50); do grep -q "listening on" "$data/hub.log" 2>/dev/null && break; sleep 0.2; done
"$bin" bench proxy --url "http://127.0.0.1:$port" --data "$data" --hub-pid "$hub" "$@"

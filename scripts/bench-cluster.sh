#!/usr/bin/env bash
# Runs `lgsp bench cluster` (release build): 1 node on SQLite, then 1, 2 and 3 nodes on a throwaway
# PostgreSQL (scripts/with-test-services.sh starts it unless LGSP_TEST_POSTGRES_URL is set), in one run.
#   scripts/bench-cluster.sh [--duration 10] [--senders 12] …
# LGSP_BENCH_BINARY picks another binary (e.g. .build/debug/lgsp, whose numbers are then debug numbers).
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${LGSP_BENCH_BINARY:-.build/release/lgsp}
[[ -x "$binary" ]] || { echo "bench-cluster: $binary not built (swift build -c release)" >&2; exit 1; }
exec scripts/with-test-services.sh bash -c '
    set -euo pipefail
    url=${LGSP_TEST_POSTGRES_URL:?no PostgreSQL for the benchmark (apt-get install postgresql)}
    "$0" bench cluster --database "$url" "$@"
' "$binary" "$@"

#!/usr/bin/env bash
# Runs a command with throwaway test services started beside it, and always tears them down.
#
#   scripts/with-test-services.sh swift test …
#
# Services (each skipped when its variable is already set, so CI or a developer may point at their own):
# - PostgreSQL (Debian's `postgresql` package): `initdb` into a temporary folder, fsync off, listening on
#   a free loopback port only; exports LGSP_TEST_POSTGRES_URL=postgres://lgsp@127.0.0.1:PORT/lgsp.
#   As root, the server runs as the `postgres` system user (PostgreSQL refuses to run as root).
# - moto (`moto[server]` from Tests/requirements.txt, the S3 stand-in): a free loopback port; exports
#   LGSP_TEST_S3_URL=http://127.0.0.1:PORT.
#
# A further service is one `start_<name>` function that exports its variable and appends its stop
# command to STOPS, plus one line in the "start" list at the bottom.
set -euo pipefail

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lgsp-services.XXXXXX")
chmod 755 "$WORK"
STOPS=()

cleanup() {
    local status=$?
    for ((i = ${#STOPS[@]} - 1; i >= 0; i--)); do eval "${STOPS[$i]}" >/dev/null 2>&1 || true; done
    rm -rf "$WORK"
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free TCP port on loopback (the kernel picks it; a race with another process is possible but unlikely).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start_postgres() {
    if [[ -n "${LGSP_TEST_POSTGRES_URL:-}" ]]; then return; fi
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
        echo "with-test-services: no PostgreSQL server (apt-get install postgresql); PostgreSQL tests will be skipped" >&2
        return
    fi
    local data="$WORK/postgres" port
    port=$(free_port)
    mkdir -p "$data"
    local run=()
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres "$data"
        run=(runuser -u postgres --)
    fi
    "${run[@]}" "$bin/initdb" -D "$data/db" -U lgsp --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 || {
        cat "$WORK/initdb.log" >&2; return 1
    }
    # Loopback only, no Unix socket folder to share, durability off: this server lives for one test run.
    "${run[@]}" "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >/dev/null
    STOPS+=("${run[*]} $bin/pg_ctl -D $data/db -m immediate -w stop")
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U lgsp lgsp
    export LGSP_TEST_POSTGRES_URL="postgres://lgsp@127.0.0.1:$port/lgsp"
    echo "with-test-services: PostgreSQL on $LGSP_TEST_POSTGRES_URL" >&2
}

# The S3 stand-in for the object blob store: moto's server from the test venv (`make python-deps`),
# without signature checks; exports LGSP_TEST_S3_URL=http://127.0.0.1:PORT.
start_moto() {
    if [[ -n "${LGSP_TEST_S3_URL:-}" ]]; then return; fi
    local server="${LGSP_TEST_PYTHON:+$(dirname "$LGSP_TEST_PYTHON")/moto_server}"
    [[ -x "$server" ]] || server=.venv-test/bin/moto_server
    if [[ ! -x "$server" ]]; then
        echo "with-test-services: no moto_server (make python-deps); S3 tests start their own or are skipped" >&2
        return
    fi
    local port pid
    port=$(free_port)
    "$server" -H 127.0.0.1 -p "$port" >"$WORK/moto.log" 2>&1 &
    pid=$!
    STOPS+=("kill -9 $pid")
    for _ in $(seq 1 100); do
        if curl -s -o /dev/null "http://127.0.0.1:$port/"; then break; fi
        kill -0 "$pid" 2>/dev/null || { cat "$WORK/moto.log" >&2; return 1; }
        sleep 0.1
    done
    export LGSP_TEST_S3_URL="http://127.0.0.1:$port"
    echo "with-test-services: moto (S3) on $LGSP_TEST_S3_URL" >&2
}

start_postgres
start_moto

"$@"

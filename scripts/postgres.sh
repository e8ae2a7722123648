#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 for the tests and prints the connection string.
# Usage: eval "$(bash scripts/postgres.sh start)"   |   bash scripts/postgres.sh stop
set -euo pipefail
PGPORT="${HEIMDALL_PG_PORT:-55432}"
PGDATA="${HEIMDALL_PG_DATA:-/tmp/heimdall-pg}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
RUNAS=()
if [ "$(id -u)" -eq 0 ]; then RUNAS=(runuser -u postgres --); fi

case "${1:-start}" in
start)
    if ! "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; then
        if [ ! -f "$PGDATA/PG_VERSION" ]; then
            rm -rf "$PGDATA"; mkdir -p "$PGDATA"
            [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$PGDATA"
            pwfile="$(mktemp)"; echo heimdall > "$pwfile"; chmod 644 "$pwfile"
            "${RUNAS[@]}" "$BIN/initdb" -D "$PGDATA" -U heimdall --pwfile="$pwfile" -A scram-sha-256 >/dev/null
            rm -f "$pwfile"
        fi
        "${RUNAS[@]}" "$BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
            -o "-h 127.0.0.1 -p $PGPORT -k /tmp -c max_connections=200 -c fsync=off" start >/dev/null
    fi
    echo "export HEIMDALL_TEST_POSTGRES='Host=127.0.0.1;Port=$PGPORT;Username=heimdall;Password=heimdall;Database=postgres'"
    ;;
stop)
    "${RUNAS[@]}" "$BIN/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true
    ;;
esac

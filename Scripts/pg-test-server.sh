#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the tests: `start DIR` makes a cluster in DIR (as the
# unprivileged `postgres` user: initdb refuses root), listening on a socket in DIR and on a free
# loopback port, and prints the variables the tests read; `stop DIR` stops it and removes DIR.
# Roles: `metaxy` (password metaxy-secret, owns database metaxy) and `reader` (password
# reader-secret, may only read) and `hasty` (password hasty-secret, may only read, and its
# statements are cancelled after 1 ms). Loopback connections need the password; the socket trusts.
set -euo pipefail
command="${1:?usage: pg-test-server.sh start|stop DIR}"
dir="${2:?usage: pg-test-server.sh start|stop DIR}"
bin=/usr/lib/postgresql/15/bin
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ "$command" = stop ]; then
  [ -d "$dir/data" ] && as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi

if [ ! -x "$bin/initdb" ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql-15 >&2
  # The package starts a cluster of its own; the tests use theirs.
  $sudo service postgresql stop >/dev/null 2>&1 || true
fi
mkdir -p "$dir"
[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
psql() { as_postgres "$bin/psql" -X -q -h "$dir" -p "$port" -U postgres "$@"; }
psql -d postgres -c "CREATE ROLE metaxy LOGIN PASSWORD 'metaxy-secret' CREATEDB" \
  -c "CREATE ROLE reader LOGIN PASSWORD 'reader-secret'" -c "CREATE DATABASE metaxy OWNER metaxy" \
  -c "CREATE ROLE hasty LOGIN PASSWORD 'hasty-secret' IN ROLE reader" -c "ALTER ROLE hasty SET statement_timeout = '1ms'"
psql -d metaxy -c "ALTER DEFAULT PRIVILEGES FOR ROLE metaxy IN SCHEMA public GRANT SELECT ON TABLES TO reader"
echo "METAXY_TUI_TEST_PG=postgresql://metaxy:metaxy-secret@127.0.0.1:$port/metaxy"
echo "METAXY_TUI_TEST_PG_SOCKET=$dir"
echo "METAXY_TUI_TEST_PG_PORT=$port"

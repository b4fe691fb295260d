#!/usr/bin/env bash
# Runs every test from a fresh machine: installs what the tests need, builds, tests.
# Swift Testing only (--disable-xctest), so the closing line is Swift Testing's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
# Stale-set caches of the stores tests make go to a directory of their own, not ~/.cache.
XDG_CACHE_HOME="$(mktemp -d)"
export XDG_CACHE_HOME
# A PostgreSQL server of the tests' own (installed when missing), stopped at the end, also on failure.
pg_dir="$(mktemp -d -u /tmp/metaxy-tui-pg.XXXXXX)"
trap 'rm -rf "$XDG_CACHE_HOME"; Scripts/pg-test-server.sh stop "$pg_dir"' EXIT
Scripts/install-deps.sh
# The end-to-end tests drive the real binary in tmux; the DAG layout is judged against graphviz dot.
missing=()
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
command -v make >/dev/null 2>&1 || missing+=(make)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}"
fi
# The real metaxy 0.0.0 reads stores written here in a test (compatibility), from PyPI.
# Its Ibis store reads snapshots recorded on PostgreSQL through psycopg (ibis-framework[postgres]).
if ! python3 -c "import metaxy, ibis, pyarrow, psycopg" >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check "metaxy==0.0.0" "ibis-framework[sqlite,postgres]" "sqlglot==27.29.0" pyarrow
fi
pg_env="$(Scripts/pg-test-server.sh start "$pg_dir")"
while IFS= read -r line; do export "${line?}"; done <<< "$pg_env"
# Packaging and screenshots first, so the test summary stays the last line CI reads.
# The test command never changes a tracked file: the tracked files' state before and after.
tracked() { git rev-parse --is-inside-work-tree >/dev/null 2>&1 && git diff HEAD | sha1sum || true; }
before="$(tracked)"
Scripts/check-install.sh
if [ "$(tracked)" != "$before" ]; then
  echo "test.sh: the checks changed tracked files:" >&2; git diff --stat HEAD >&2; exit 1
fi
swift test --disable-xctest "$@"

#!/usr/bin/env bash
# Installs the system libraries the package links (SQLite) when they are missing.
set -euo pipefail
missing=()
for package in libsqlite3-dev; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}"
fi

# The real metaxy 0.0.0 reads stores written here in a test (compatibility), from PyPI.
if ! python3 -c "import metaxy, ibis, pyarrow, xxhash" >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check "metaxy==0.0.0" "ibis-framework[sqlite]" "sqlglot==27.29.0" pyarrow mermaid-py xxhash
fi

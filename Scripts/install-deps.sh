#!/usr/bin/env bash
# Installs the system libraries the package links (SQLite, ncursesw) when they are missing.
set -euo pipefail
missing=()
for package in libsqlite3-dev libncurses-dev; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}"
fi


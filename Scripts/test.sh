#!/usr/bin/env bash
# Runs every test from a fresh machine: installs what the tests need, builds, tests.
# Swift Testing only (--disable-xctest), so the closing line is Swift Testing's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
swift test --disable-xctest "$@"

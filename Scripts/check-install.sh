#!/usr/bin/env bash
# Installs into a temporary prefix and checks what a user gets: the binary, themes, completions,
# the man page, and that the installed binary runs on its own. Then regenerates Screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
make install PREFIX="$prefix" >/dev/null
for f in bin/metaxy-tui share/man/man1/metaxy-tui.1 share/metaxy-tui/themes/dark.yaml \
         share/bash-completion/completions/metaxy-tui share/zsh/site-functions/_metaxy-tui \
         share/fish/vendor_completions.d/metaxy-tui.fish; do
  [ -s "$prefix/$f" ] || { echo "check-install: $prefix/$f is missing or empty" >&2; exit 1; }
done
"$prefix/bin/metaxy-tui" --version >/dev/null
versions="$("$prefix/bin/metaxy-tui" graph versions Tests/Fixtures/vectors/graphs/video.json)"
[[ "$versions" =~ ^snapshot\ +8468950dcc9f75e4 ]] \
  || { echo "check-install: the installed binary does not compute the video graph's versions" >&2; exit 1; }
# The installed themes are found beside the binary: a screenshot in the nord theme keeps its colours.
"$prefix/bin/metaxy-tui" screenshot --theme nord --out "$prefix/shot.svg"
grep -q '#88c0d0' "$prefix/shot.svg" || { echo "check-install: the installed binary did not find its themes" >&2; exit 1; }
Scripts/screenshots.sh >/dev/null
echo "check-install: ok"

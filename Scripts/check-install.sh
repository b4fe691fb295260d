#!/usr/bin/env bash
# Installs into a temporary prefix and checks what a user gets: the binary, themes, completions,
# the man page, and that the installed binary runs on its own. Then makes every screenshot of
# Scripts/screenshots.sh into a temporary folder (the committed Screenshots/ are left alone).
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
# The installed binary alone opens the demo workspace, made on this first run in a fresh cache.
server="metaxy-check-$$"
start=$(date +%s%N)
tmux -L "$server" new -d -x 120 -y 40 "XDG_CACHE_HOME='$prefix/cache' '$prefix/bin/metaxy-tui'; sleep 60"
trap 'tmux -L "$server" kill-server 2>/dev/null || true; rm -rf "$prefix"' EXIT
for _ in $(seq 1 240); do
  tmux -L "$server" capture-pane -p | grep -q 'demo: pipeline.yaml' && break
  sleep 0.25
done
opened=$(( ($(date +%s%N) - start) / 1000000 ))
screen="$(tmux -L "$server" capture-pane -p)"
tmux -L "$server" send-keys q
[[ "$screen" == *"1 Features (25)"* && "$screen" == *"demo: pipeline.yaml"* ]] \
  || { echo "check-install: the installed binary did not open the demo workspace:" >&2; echo "$screen" >&2; exit 1; }
[ -f "$prefix/cache/metaxy-tui/demo/store.db" ] || { echo "check-install: the demo is not in \$XDG_CACHE_HOME" >&2; exit 1; }
echo "check-install: the installed binary made and opened the demo workspace in $opened ms"
Scripts/screenshots.sh "$prefix/screenshots" >/dev/null
for svg in Screenshots/*.svg; do
  [ -s "$prefix/screenshots/$(basename "$svg")" ] || { echo "check-install: Scripts/screenshots.sh did not make $(basename "$svg")" >&2; exit 1; }
done
echo "check-install: ok"

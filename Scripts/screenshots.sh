#!/usr/bin/env bash
# Regenerates Screenshots/ (or the folder given) from the real screens on the demo workspace
# (never hand-drawn): `metaxy-tui screenshot` replays keys headless and writes SVG in the theme's
# colours; where rsvg-convert exists, each SVG gets a PNG beside it.
#   Scripts/screenshots.sh            regenerate the committed Screenshots/
#   Scripts/screenshots.sh DIR        write them into DIR instead (the test command does this)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-Screenshots}"
mkdir -p "$out"
swift build -c release --product metaxy-tui >/dev/null
bin=.build/release/metaxy-tui
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
demo="$work/demo"
$bin demo --out "$demo" >/dev/null 2>&1
shot() { $bin screenshot --demo "$demo" "$@"; }
rm -f "$out"/*.svg "$out"/*.png
# The Graph screen: the speech-to-text feature, its fields and what its text feeds.
shot --size 120x40 --keys ':goto audio/transcript<Enter><Tab>' --out "$out"/graph.svg
# A field whose change stops at its own feature: nothing downstream reads the timestamps.
shot --size 120x40 --keys ':goto media/frames<Enter><Tab>j' --out "$out"/graph-field-lineage.svg
shot --size 120x40 --keys ':goto vision/faces<Enter>v' --theme nord --out "$out"/graph-full-versions-nord.svg
shot --size 100x30 --keys '/emb<Enter>' --theme light --out "$out"/graph-filter-light.svg
shot --size 100x30 --keys '?' --out "$out"/help.svg
# The Diff screen: snapshot 1 → 2, the speech-to-text upgrade flowing down, one field's causes.
shot --screen diff --size 120x32 --keys ":diff $demo/snapshots/1-initial.yaml $demo/snapshots/2-transcript-v2.yaml<Enter>cjjjjjjjjjj" \
  --out "$out"/diff-why.svg
# The Diff screen as it opens: what the latest snapshot changed, and the features it could not affect.
shot --screen diff --size 120x32 --out "$out"/diff-pruned.svg
# The DAG screen with the lineage of audio/transcript.text lit.
shot --size 120x40 --keys ':goto audio/transcript<Enter>Df' --out "$out"/dag-field-lineage.svg
# The Store screen: the stale sets of 100,000 samples, and why one sample is stale.
shot --screen store --size 120x36 --keys 'jjjjjjjjj<Tab>w' --out "$out"/store-why.svg
if command -v rsvg-convert >/dev/null; then
  for svg in "$out"/*.svg; do rsvg-convert "$svg" -o "${svg%.svg}.png"; done
fi
ls "$out"

#!/usr/bin/env bash
# Regenerates Screenshots/ from the real screens on the demo workspace (never hand-drawn):
# `metaxy-tui screenshot` replays keys headless and writes SVG in the theme's colours; where
# rsvg-convert exists, each SVG gets a PNG beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product metaxy-tui >/dev/null
bin=.build/release/metaxy-tui
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
demo="$work/demo"
$bin demo --out "$demo" >/dev/null 2>&1
shot() { $bin screenshot --demo "$demo" "$@"; }
rm -f Screenshots/*.svg Screenshots/*.png
# The Graph screen: the speech-to-text feature, its fields and what its text feeds.
shot --size 120x40 --keys ':goto audio/transcript<Enter><Tab>' --out Screenshots/graph.svg
# A field whose change stops at its own feature: nothing downstream reads the timestamps.
shot --size 120x40 --keys ':goto media/frames<Enter><Tab>j' --out Screenshots/graph-field-lineage.svg
shot --size 120x40 --keys ':goto vision/faces<Enter>v' --theme nord --out Screenshots/graph-full-versions-nord.svg
shot --size 100x30 --keys '/emb<Enter>' --theme light --out Screenshots/graph-filter-light.svg
shot --size 100x30 --keys '?' --out Screenshots/help.svg
# The Diff screen: snapshot 1 → 2, the speech-to-text upgrade flowing down, one field's causes.
shot --screen diff --size 120x32 --keys ":diff $demo/snapshots/1-initial.yaml $demo/snapshots/2-transcript-v2.yaml<Enter>cjjjjjjjjjj" \
  --out Screenshots/diff-why.svg
# The Diff screen as it opens: what the latest snapshot changed, and the features it could not affect.
shot --screen diff --size 120x32 --out Screenshots/diff-pruned.svg
# The DAG screen with the lineage of audio/transcript.text lit.
shot --size 120x40 --keys ':goto audio/transcript<Enter>Df' --out Screenshots/dag-field-lineage.svg
# The Store screen: the stale sets of 100,000 samples, and why one sample is stale.
shot --screen store --size 120x36 --keys 'jjjjjjjjj<Tab>w' --out Screenshots/store-why.svg
if command -v rsvg-convert >/dev/null; then
  for svg in Screenshots/*.svg; do rsvg-convert "$svg" -o "${svg%.svg}.png"; done
fi
ls Screenshots

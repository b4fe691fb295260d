#!/usr/bin/env bash
# Regenerates Screenshots/ from the real screens (never hand-drawn): `metaxy-tui screenshot`
# replays keys headless and writes SVG in the theme's colours.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product metaxy-tui >/dev/null
bin=.build/release/metaxy-tui
vectors=Tests/Fixtures/vectors/graphs
$bin screenshot --size 120x40 --out Screenshots/graph.svg
$bin screenshot --size 120x40 --keys '<Tab>j' --out Screenshots/graph-field-lineage.svg
$bin screenshot "$vectors/video_columns_rename.json" --size 120x40 --keys 'kkk<Tab>v' --theme nord --out Screenshots/graph-full-versions-nord.svg
$bin screenshot "$vectors/multipart_keys.json" --size 100x30 --keys '/x<Enter>' --theme light --out Screenshots/graph-filter-light.svg
$bin screenshot --size 100x30 --keys '?' --out Screenshots/help.svg
# The Diff screen: the README graph, then audio at code_version 2, as two files.
$bin screenshot --screen diff --size 120x32 --keys ":diff $vectors/video.json $vectors/video_audio_v2.json<Enter>j" \
  --out Screenshots/diff-why.svg
# The DAG screen with the lineage of example/video.frames lit.
$bin screenshot --screen dag --size 100x30 --keys 'zff' --out Screenshots/dag-field-lineage.svg
# The Store screen on the store metaxy 0.0.0 wrote, with one sample explained.
$bin screenshot Tests/Fixtures/vectors/stores/metaxy0-demo.sqlite --screen store --size 120x30 --keys '<Tab>jw' \
  --out Screenshots/store-why.svg
ls Screenshots

"""Records graph diffs with the real metaxy 0.0.0, as fixtures for metaxy-tui's GraphDiff.

usage: python3 diff_pairs.py VECTORS_DIR OUT_DIR
From the README video graph, makes before/after pairs (a code_version bump, an added field, a
removed dep, an added and a removed feature, and metaxy's own §8.3 example), computes both
graphs' versions and GraphDiffer's result with metaxy, and writes OUT_DIR/<name>.old.json,
<name>.new.json and <name>.expected.json. Needs `pip install metaxy==0.0.0`.
"""
import copy, json, os, sys
from metaxy import Feature, FeatureGraph, FeatureSpec
from metaxy.graph.diff.differ import GraphDiffer
from metaxy.graph.diff.rendering.formatter import DiffFormatter

vectors, out = sys.argv[1], sys.argv[2]
base = json.load(open(os.path.join(vectors, "graphs/video.json")))["features"]

def find(specs, key):
    return next(s for s in specs if "/".join(s["key"]) == key)

def field(spec, key):
    return next(f for f in spec["fields"] if "/".join(f["key"]) == key)

def dep(feature, fields):
    return {"feature_key": feature.split("/"), "fields": [[f] for f in fields]}

def bump(specs):
    field(find(specs, "example/crop"), "frames")["code_version"] = 2

def add_field(specs):
    find(specs, "example/crop")["fields"].append({"key": ["mask"], "code_version": 1, "deps": [dep("example/video", ["frames"])]})

def remove_dep(specs):
    # stt reads audio and frames; afterwards only audio.
    field(find(specs, "example/stt"), "transcription")["deps"] = [dep("example/video", ["audio"])]

def widen_dep(specs):
    field(find(specs, "example/stt"), "transcription")["deps"] = [dep("example/video", ["audio", "frames"])]

def add_and_remove_feature(specs):
    specs.remove(find(specs, "example/stt"))
    specs.append({"key": ["example", "thumb"], "deps": [{"key": ["example", "video"], "columns": None, "rename": None}],
                  "fields": [{"key": ["image"], "code_version": 1, "deps": [dep("example/video", ["frames"])]}],
                  "code_version": 1})

def metaxy_example(specs):
    bump(specs); add_field(specs); add_and_remove_feature(specs)

pairs = {
    "code_version_bump": (None, bump),
    "added_field": (None, add_field),
    "removed_dep": (widen_dep, None),
    "added_and_removed_feature": (None, add_and_remove_feature),
    "metaxy_example": (None, metaxy_example),
}

def build(specs):
    graph = FeatureGraph()
    with graph.use():
        for i, d in enumerate(specs):
            type(f"F{i}", (Feature,), {}, spec=FeatureSpec.model_validate(d))
    data = {}
    for k, cls in graph.features_by_key.items():
        data[k.to_string()] = {"feature_version": graph.get_feature_version(k),
                               "feature_spec": cls.spec.model_dump(mode="json"),
                               "fields": graph.get_feature_version_by_field(k)}
    return graph, data

for name, (before, after) in pairs.items():
    old, new = copy.deepcopy(base), copy.deepcopy(base)
    if before: before(old)
    if after: after(new)
    g1, d1 = build(old)
    g2, d2 = build(new)
    differ = GraphDiffer()
    diff = differ.diff(d1, d2, g1.snapshot_version, g2.snapshot_version)
    merged = differ.create_merged_graph_data(d1, d2, diff)
    mermaid = DiffFormatter().format_mermaid_merged(merged)
    def versions(d):
        return {k: {"feature_version": v["feature_version"], "fields": v["fields"]} for k, v in sorted(d.items())}
    expected = {
        "from_snapshot_version": g1.snapshot_version, "to_snapshot_version": g2.snapshot_version,
        "added": sorted(n.feature_key.to_string() for n in diff.added_nodes),
        "removed": sorted(n.feature_key.to_string() for n in diff.removed_nodes),
        "changed": [{"key": n.feature_key.to_string(), "old_version": n.old_version, "new_version": n.new_version,
                     "fields": sorted([{"key": fc.field_key.to_string(), "old_version": fc.old_version,
                                        "new_version": fc.new_version,
                                        "status": "added" if fc.is_added else "removed" if fc.is_removed else "changed"}
                                       for fc in n.field_changes], key=lambda f: f["key"])}
                    for n in sorted(diff.changed_nodes, key=lambda n: n.feature_key.to_string())],
        "old_versions": versions(d1), "new_versions": versions(d2),
        "mermaid_lines": sorted(l for l in mermaid.split("\n") if l.strip()),
    }
    for suffix, specs in (("old", old), ("new", new)):
        json.dump({"features": specs}, open(os.path.join(out, f"{name}.{suffix}.json"), "w"), indent=1)
    json.dump(expected, open(os.path.join(out, f"{name}.expected.json"), "w"), indent=1, ensure_ascii=False)
    print(name, "changed", [c["key"] for c in expected["changed"]], "added", expected["added"], "removed", expected["removed"])

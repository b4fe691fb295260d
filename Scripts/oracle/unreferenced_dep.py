"""Makes Tests/Fixtures/vectors/samples/unreferenced_dep.json with the real metaxy 0.0.0
(`pip install metaxy==0.0.0 polars`): a FeatureDep that no field reads still joins.
Usage: python3 Scripts/oracle/unreferenced_dep.py > Tests/Fixtures/vectors/samples/unreferenced_dep.json
"""
import os, sys, tempfile

FEATURES = """from metaxy import Feature, FeatureDep, FeatureKey, FeatureSpec, FieldDep, FieldKey, FieldSpec

class Src(Feature, spec=FeatureSpec(key=FeatureKey(["t", "src"]), deps=None, fields=[FieldSpec(key=FieldKey(["x"]), code_version=1)])):
    pass

class Other(Feature, spec=FeatureSpec(key=FeatureKey(["t", "other"]), deps=None, fields=[FieldSpec(key=FieldKey(["y"]), code_version=1)])):
    pass

class Child(Feature, spec=FeatureSpec(key=FeatureKey(["t", "child"]), deps=[FeatureDep(key=Src.spec.key), FeatureDep(key=Other.spec.key)],
        fields=[FieldSpec(key=FieldKey(["z"]), code_version=1, deps=[FieldDep(feature_key=Src.spec.key, fields=[FieldKey(["x"])])])])):
    pass
"""

folder = tempfile.mkdtemp()
with open(os.path.join(folder, "feats.py"), "w") as f:
    f.write(FEATURES)
os.chdir(folder)
import json, sys
sys.path.insert(0, ".")
import polars as pl
import feats
from metaxy.metadata_store.memory import InMemoryMetadataStore

def frame(df):
    df = df.to_polars() if hasattr(df, "to_polars") else df
    try:
        df = df.collect()
    except Exception:
        pass
    return sorted(df.select(["sample_uid", "data_version"]).to_dicts(), key=lambda d: d["sample_uid"]) if df is not None and len(df) else []

def resolve(src, other, child):
    store = InMemoryMetadataStore()
    with store:
        store.write_metadata(feats.Src, pl.DataFrame({"sample_uid": list(src), "data_version": [{"x": v} for v in src.values()]}))
        store.write_metadata(feats.Other, pl.DataFrame({"sample_uid": list(other), "data_version": [{"y": v} for v in other.values()]}))
        if child:
            store.write_metadata(feats.Child, pl.DataFrame({"sample_uid": [r["sample_uid"] for r in child], "data_version": [r["data_version"] for r in child]}))
        r = store.resolve_update(feats.Child)
        return {name: frame(getattr(r, name)) for name in ("added", "changed", "removed")}

round1_roots = {"t/src": {1: "x1", 2: "x2", 3: "x3"}, "t/other": {1: "y1", 2: "y2"}}
r1 = resolve(round1_roots["t/src"], round1_roots["t/other"], [])
round2_roots = {"t/src": {1: "x1b", 2: "x2", 3: "x3"}, "t/other": {1: "y1"}}
r2 = resolve(round2_roots["t/src"], round2_roots["t/other"], r1["added"])
import metaxy
print(json.dumps({
  "about": "A FeatureDep that no field reads still joins: metaxy 0.0.0 (InMemoryMetadataStore, xxhash64) computes t/child's targets only for samples in both t/src and t/other, though only t/src's field x is hashed. Sample 3 is only in t/src: neither added nor changed. Round 2 rewrites the roots (src 1 changes, other loses 2) with t/child stored from round 1.",
  "metaxy_version": "0.0.0",
  "graph": "features:\n  - key: t/src\n    fields: [x]\n  - key: t/other\n    fields: [y]\n  - key: t/child\n    deps: [t/src, t/other]\n    fields:\n      - key: z\n        deps: {t/src: [x]}\n",
  "rounds": [
    {"name": "round1", "roots": {k: [{"sample_uid": u, "data_version": {("x" if k == "t/src" else "y"): v}} for u, v in d.items()] for k, d in round1_roots.items()}, "child_stored": [], "resolve_update": r1},
    {"name": "round2", "roots": {k: [{"sample_uid": u, "data_version": {("x" if k == "t/src" else "y"): v}} for u, v in d.items()] for k, d in round2_roots.items()}, "child_stored": r1["added"], "resolve_update": r2},
  ]}, indent=1))

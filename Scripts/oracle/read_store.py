"""Reads a store written by metaxy-tui with the real metaxy 0.0.0, and prints what it sees as JSON.

usage: python3 read_store.py STORE FEATURE [FEATURE ...]
Needs `pip install metaxy==0.0.0 "ibis-framework[sqlite]" sqlglot==27.29.0 pyarrow`.
"""
import json, sys, warnings
warnings.simplefilter("ignore")
from metaxy.metadata_store.sqlite import SQLiteMetadataStore
from metaxy.models.types import FeatureKey

path, features = sys.argv[1], sys.argv[2:]
out = {"snapshots": [], "features": {}}
with SQLiteMetadataStore(path) as store:
    snaps = store.read_graph_snapshots()
    out["snapshots"] = [{"snapshot_version": r["snapshot_version"], "feature_count": int(r["feature_count"])}
                        for r in snaps.iter_rows(named=True)]
    for key in features:
        df = store.read_metadata(FeatureKey(key.split("/")), current_only=False).collect()
        df = df.to_native() if hasattr(df, "to_native") else df
        rows = sorted(df.to_dicts(), key=lambda r: str(r["sample_uid"]))
        out["features"][key] = [{"sample_uid": r["sample_uid"], "data_version": r["data_version"],
                                 "feature_version": r["feature_version"]} for r in rows]
print(json.dumps(out, sort_keys=True))

"""Reads the snapshots of a PostgreSQL store written by metaxy-tui with the real metaxy 0.0.0
(its generic Ibis store, md5: the only hash it accepts there), and prints them as JSON.

usage: python3 read_pg_snapshots.py CONNECTION_STRING
Needs `pip install metaxy==0.0.0 "ibis-framework[postgres]" sqlglot==27.29.0 pyarrow`.
"""
import json, sys, warnings
warnings.simplefilter("ignore")
from metaxy.metadata_store.ibis import IbisMetadataStore
from metaxy.data_versioning.hash_algorithms import HashAlgorithm

with IbisMetadataStore(sys.argv[1], hash_algorithm=HashAlgorithm.MD5) as store:
    snaps = store.read_graph_snapshots()
    snaps = snaps.to_native() if hasattr(snaps, "to_native") else snaps
    out = {"snapshots": [{"snapshot_version": r["snapshot_version"], "feature_count": int(r["feature_count"])}
                         for r in snaps.iter_rows(named=True)]}
    out["features"] = []
    for snapshot in out["snapshots"]:
        features = store.read_features(current=False, snapshot_version=snapshot["snapshot_version"])
        features = features.to_native() if hasattr(features, "to_native") else features
        out["features"] += [[r["feature_key"], r["feature_version"], r["snapshot_version"]] for r in features.iter_rows(named=True)]
    out["features"].sort()
print(json.dumps(out, sort_keys=True))

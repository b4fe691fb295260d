"""Writes to a metaxy 0.0.0 SQLite store as a metaxy user's pipeline does, one operation per line
of stdin, answering each with a line on stdout: the cache tests' operations "through Python
metaxy". The features are the video project's (`Tests/Fixtures/vectors/projects/video`).
Usage: PYTHONPATH=<that project> python3 Scripts/oracle/store_ops.py STORE
  {"op": "write", "feature": "example/video", "rows": [{"sample_uid": 1, "data_version": {"audio": "a", "frames": "f"}}]}
  {"op": "drop", "feature": "example/crop"}
"""
import json, sys
import polars as pl
import video_features.features as features
from metaxy import FeatureKey
from metaxy.metadata_store.sqlite import SQLiteMetadataStore

classes = {c.spec.key.to_string(): c for c in (features.Video, features.Crop, features.FaceDetection, features.SpeechToText)}
store = SQLiteMetadataStore(database=sys.argv[1])
for line in sys.stdin:
    op = json.loads(line)
    feature = classes[op["feature"]]
    with store:
        if op["op"] == "write":
            rows = op["rows"]
            store.write_metadata(feature, pl.DataFrame({"sample_uid": [r["sample_uid"] for r in rows],
                                                        "data_version": [r["data_version"] for r in rows]}))
        else:
            store.drop_feature_metadata(feature)
    print("ok", flush=True)

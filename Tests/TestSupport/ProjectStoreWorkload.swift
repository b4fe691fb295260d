import Foundation

/// metaxy's stale-set workload on a 0.1.x PostgreSQL store: the README graph as metaxy 0.1.11
/// recorded it (`stores/video/store-v1.pg.sql`, project version f98e384d), its feature tables
/// refilled on the server with `samples` example/video rows and the example/crop rows computed
/// from them, hashed with md5 at truncation 8 by the server itself (`left(md5(text), 8)` on the
/// strings 0.1.x hashes); then `changed` roots rewritten with a new frames value, a second later.
public enum ProjectStoreWorkload {
    public static let dump = Fixtures.vectors.appendingPathComponent("metaxy-0.1/stores/video/store-v1.pg.sql")

    /// The store's URL.
    public static func make(samples: Int, changed: Int, server: String? = nil) throws -> String {
        func h(_ text: String) -> String { "left(md5(\(text)), 8)" }
        let audio = h("'audio|1|example/video.audio|a' || i"), frames = h("'frames|1|example/video.frames|f' || i")
        return try TestPostgres.restore(dump: dump, server: server, then: """
            TRUNCATE SCHEMA.example__video, SCHEMA.example__crop, SCHEMA.example__face_detection, SCHEMA.example__stt;
            INSERT INTO SCHEMA.example__video (sample_uid, path, metaxy_provenance_by_field, metaxy_provenance, metaxy_data_version_by_field,
                metaxy_data_version, metaxy_feature_version, metaxy_project_version, metaxy_created_at, metaxy_updated_at)
            SELECT i, 's3://videos/' || i || '.mp4', jsonb_build_object('audio', 'a' || i, 'frames', 'f' || i), \(h("'a' || i || '|f' || i")),
                   jsonb_build_object('audio', 'a' || i, 'frames', 'f' || i), \(h("'a' || i || '|f' || i")), 'c2ac395f', 'f98e384d',
                   TIMESTAMPTZ '2026-12-01 00:00:00+00', TIMESTAMPTZ '2026-12-01 00:00:00+00'
            FROM generate_series(1, \(samples)) AS i;
            INSERT INTO SCHEMA.example__crop (sample_uid, path, metaxy_provenance_by_field, metaxy_provenance, metaxy_data_version,
                metaxy_data_version_by_field, width, metaxy_feature_version, metaxy_project_version, metaxy_created_at, metaxy_updated_at)
            SELECT i, 's3://videos/' || i || '.mp4', jsonb_build_object('audio', a, 'frames', f), \(h("a || '|' || f")), \(h("a || '|' || f")),
                   jsonb_build_object('audio', a, 'frames', f), 224, '34d75856', 'f98e384d',
                   TIMESTAMPTZ '2026-12-01 00:00:01+00', TIMESTAMPTZ '2026-12-01 00:00:01+00'
            FROM (SELECT i, \(audio) AS a, \(frames) AS f FROM generate_series(1, \(samples)) AS i) AS hashed;
            INSERT INTO SCHEMA.example__video (sample_uid, path, metaxy_provenance_by_field, metaxy_provenance, metaxy_data_version_by_field,
                metaxy_data_version, metaxy_feature_version, metaxy_project_version, metaxy_created_at, metaxy_updated_at)
            SELECT i, 's3://videos/' || i || '.mp4', jsonb_build_object('audio', 'a' || i, 'frames', 'f' || i || '-v2'),
                   \(h("'a' || i || '|f' || i || '-v2'")), jsonb_build_object('audio', 'a' || i, 'frames', 'f' || i || '-v2'),
                   \(h("'a' || i || '|f' || i || '-v2'")), 'c2ac395f', 'f98e384d',
                   TIMESTAMPTZ '2026-12-01 00:00:02+00', TIMESTAMPTZ '2026-12-01 00:00:02+00'
            FROM generate_series(1, \(changed)) AS i;
            ANALYZE SCHEMA.example__video; ANALYZE SCHEMA.example__crop;
            """)
    }
}

import Foundation

/// A four-feature pipeline (video → crop → face_detection, video → stt) in the short graph form,
/// with a variant per kind of change, and stores holding its rows, for the migration tests and
/// the migration benchmark.
public enum MigrationWorkload {
    /// The graph with one field's code version changed: `nil` for the first version.
    public static func graphYAML(change: (feature: String, field: String)? = nil, newField: String? = nil) -> String {
        func cv(_ feature: String, _ field: String) -> String { change.map { $0 == (feature, field) } == true ? ", code_version: 2" : "" }
        return """
            features:
              - key: example/video
                fields: [{key: audio\(cv("video", "audio"))}, {key: frames\(cv("video", "frames"))}]
              - key: example/crop
                deps: [example/video]
                fields:
                  - {key: audio, deps: {example/video: [audio]}\(cv("crop", "audio"))}
                  - {key: frames, deps: {example/video: [frames]}\(cv("crop", "frames"))}\(newField.map { "\n      - {key: \($0), deps: {example/video: [frames]}}" } ?? "")
              - key: example/face_detection
                deps: [example/crop]
                fields: [{key: faces, deps: {example/crop: [frames]}}]
              - key: example/stt
                deps: [example/video]
                fields: [{key: transcript, deps: {example/video: [audio]}}]
            """
    }

    /// Writes `graph` to `dir/name` and returns its path.
    public static func file(_ text: String, _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// A store at `dir/store.db` (or on the test server) with the first graph pushed and `count` samples in every
    /// feature, each with a user column; returns the store's and the first graph's paths.
    /// With `bulk`, only sample 1 is written through metaxy-tui (making the tables as it makes
    /// them) and the rest copied in by SQLite, the downstream data versions made up: what a
    /// migration reads of them is their samples and user columns, never their data versions.
    public static func store(samples count: Int, in dir: URL, bulk: Bool = false, backend: StoreBackendKind = .sqlite) throws
        -> (store: String, graph: String)
    {
        let graph = try file(graphYAML(), "v1.yaml", in: dir)
        let store = try backend.newStore(in: dir)
        func write(_ feature: String, _ line: (Int) -> String) throws {
            var text = ""
            text.reserveCapacity(count * 90)
            for i in 1...(bulk ? 1 : count) { text += line(i) + "\n" }
            let rows = try file(text, "rows.jsonl", in: dir)
            let result = try Binary.run(["store", "write", store, feature, "--graph", graph, "--input", rows])
            guard result.status == 0 else { throw MigrationWorkloadError(description: result.stderr) }
        }
        guard try Binary.run(["store", "push", store, "--graph", graph]).status == 0 else {
            throw MigrationWorkloadError(description: "store push failed")
        }
        try write("example/video") { "{\"sample_uid\": \($0), \"data_version\": {\"audio\": \"a\($0)\", \"frames\": \"f\($0)\"}, \"path\": \"s3://v/\($0).mp4\"}" }
        try write("example/crop") { "{\"sample_uid\": \($0), \"width\": 224}" }
        try write("example/face_detection") { "{\"sample_uid\": \($0), \"n_faces\": \($0 % 4)}" }
        try write("example/stt") { "{\"sample_uid\": \($0), \"text\": \"transcript \($0)\"}" }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("rows.jsonl"))
        if bulk && count > 1 {
            let copies = [
                ("example__video", "sample_uid, data_version, path", "n, '{\"audio\":\"a' || n || '\",\"frames\":\"f' || n || '\"}', 's3://v/' || n || '.mp4'"),
                ("example__crop", "sample_uid, data_version, width", "n, '{\"audio\":\"x' || n || '\",\"frames\":\"y' || n || '\"}', 224"),
                ("example__face_detection", "sample_uid, data_version, n_faces", "n, '{\"faces\":\"z' || n || '\"}', n % 4"),
                ("example__stt", "sample_uid, data_version, text", "n, '{\"transcript\":\"t' || n || '\"}', 'transcript ' || n"),
            ]
            let sql = "BEGIN;" + copies.map { table, columns, values in
                "INSERT INTO \(table) (\(columns), feature_version, snapshot_version) WITH RECURSIVE s(n) AS (SELECT 2 UNION ALL SELECT n + 1 FROM s "
                    + "WHERE n < \(count)) SELECT \(values), (SELECT feature_version FROM \(table) LIMIT 1), (SELECT snapshot_version FROM \(table) LIMIT 1) FROM s;"
            }.joined() + "COMMIT;"
            let result = try Binary.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [store, sql])
            guard result.status == 0 else { throw MigrationWorkloadError(description: result.stderr) }
        }
        return (store, graph)
    }
}

public struct MigrationWorkloadError: Error, CustomStringConvertible {
    public let description: String
}

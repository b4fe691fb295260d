import Foundation
import Testing
import TestSupport

/// A store written by metaxy-tui is read by the real metaxy 0.0.0 (Scripts/oracle/read_store.py).
@Suite struct MetaxyCompatibilityTests {
    static func python(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }

    @Test func metaxyReadsAStoreWrittenHere() throws {
        let dir = try Fixtures.temporaryDirectory()
        let store = dir.appendingPathComponent("store.db").path
        let graph = Fixtures.vectors.appendingPathComponent("graphs/video.json").path
        let roots = dir.appendingPathComponent("video.jsonl").path
        try "{\"sample_uid\": 1, \"data_version\": {\"audio\": \"a1\", \"frames\": \"f1\"}, \"path\": \"s3://v/1.mp4\"}\n{\"sample_uid\": 2, \"data_version\": {\"audio\": \"a2\", \"frames\": \"f2\"}, \"path\": \"s3://v/2.mp4\"}\n"
            .write(toFile: roots, atomically: true, encoding: .utf8)
        let crops = dir.appendingPathComponent("crop.jsonl").path
        try "{\"sample_uid\": 1, \"width\": 224}\n{\"sample_uid\": 2, \"width\": 224}\n".write(toFile: crops, atomically: true, encoding: .utf8)
        for arguments in [["store", "push", store, "--graph", graph],
                          ["store", "write", store, "example/video", "--graph", graph, "--input", roots],
                          ["store", "write", store, "example/crop", "--graph", graph, "--input", crops]] {
            let result = try Binary.run(arguments)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let script = Fixtures.repository.appendingPathComponent("Scripts/oracle/read_store.py").path
        let read = try Self.python([script, store, "example/video", "example/crop"])
        #expect(read.status == 0, "metaxy could not read the store: \(read.stderr)")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any])
        let snapshots = try #require(seen["snapshots"] as? [[String: Any]])
        #expect(snapshots.count == 1)
        #expect(snapshots.first?["snapshot_version"] as? String == "8468950dcc9f75e4089529577e7b8ba044205e16a7c32b54910e7c73b9f7303d")
        #expect(snapshots.first?["feature_count"] as? Int == 4)
        let features = try #require(seen["features"] as? [String: [[String: Any]]])
        let crop = try #require(features["example/crop"])
        // metaxy's reading of the rows equals ours, including data versions computed here with xxhash64.
        let ours = try JSONSerialization.jsonObject(with: Data(try Binary.run(["store", "samples", store, "example/crop", "--format", "json"]).stdout.utf8)) as! [[String: Any]]
        #expect(crop.map { $0["data_version"] as! NSDictionary } == ours.map { $0["data_version"] as! NSDictionary })
        #expect(crop.first?["feature_version"] as? String == "3ac04df8f6503f82cbcd06f0e1cc5f4589c9bacb065b7edf22cd9567ad302c63")
        #expect(features["example/video"]?.count == 2)
    }
}

/// metaxy 0.0.0's own (Ibis, md5) store reads the snapshots metaxy-tui recorded on PostgreSQL.
@Suite struct MetaxyPostgresCompatibilityTests {
    @Test func metaxyReadsSnapshotsRecordedOnPostgreSQL() throws {
        let store = try TestPostgres.store()
        let graphs = ["video.json", "video_audio_v2.json"].map { Fixtures.vectors.appendingPathComponent("graphs/" + $0).path }
        var expected: [[String]] = []
        for graph in graphs {
            let pushed = try Binary.run(["store", "push", store, "--graph", graph])
            #expect(pushed.status == 0, "\(pushed.stderr)")
            let versions = try JSONSerialization.jsonObject(with: Data(try Binary.run(["graph", "versions", graph, "--format", "json"]).stdout.utf8)) as! [String: Any]
            for (key, feature) in versions["features"] as! [String: [String: Any]] {
                expected.append([key, feature["feature_version"] as! String, versions["snapshot_version"] as! String])
            }
        }
        // psycopg takes the schema as a search_path option.
        let connection = try TestPostgres.base() + "?options=-csearch_path%3D" + TestPostgres.schema(of: store)
        let script = Fixtures.repository.appendingPathComponent("Scripts/oracle/read_pg_snapshots.py").path
        let read = try MetaxyCompatibilityTests.python([script, connection])
        #expect(read.status == 0, "metaxy could not read the store: \(read.stderr)")
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(read.stdout.utf8)) as? [String: Any])
        #expect(seen["features"] as? [[String]] == expected.sorted { $0.lexicographicallyPrecedes($1) })
        let snapshots = (seen["snapshots"] as? [[String: Any]] ?? []).compactMap { $0["snapshot_version"] as? String }
        let ours = (try JSONSerialization.jsonObject(with: Data(try Binary.run(["store", "snapshots", store, "--format", "json"]).stdout.utf8))
            as? [[String: Any]] ?? []).compactMap { $0["version"] as? String ?? $0["snapshot_version"] as? String }
        #expect(Set(snapshots) == Set(ours) && snapshots.count == 2, "\(snapshots) \(ours)")
    }
}

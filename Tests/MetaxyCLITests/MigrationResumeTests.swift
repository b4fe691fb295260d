import Foundation
import Testing
import TestSupport

/// A migration killed (-9) halfway through a million samples, then applied again, leaves exactly
/// what an uninterrupted one does: each feature written once, in its own transaction.
@Suite(.serialized) struct MigrationResumeTests {
    @Test func killedApplyResumesWithTheSameRowsNoneTwice() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (store, _) = try MigrationWorkload.store(samples: 1_000_000, in: dir, bulk: true)
        let reference = dir.appendingPathComponent("reference.db").path
        try FileManager.default.copyItem(atPath: store, toPath: reference)
        let v2 = try MigrationWorkload.file(MigrationWorkload.graphYAML(change: ("crop", "frames")), "v2.yaml", in: dir)
        let directory = dir.appendingPathComponent("migrations").path
        func migrations(_ command: String, _ target: String, _ more: [String] = []) throws -> Binary.Result {
            try Binary.run(["migrations", command] + more + ["--store", target, "--migrations-dir", directory])
        }
        #expect(try migrations("generate", store, ["--graph", v2]).status == 0)
        for target in [store, reference] { #expect(try Binary.run(["store", "push", target, "--graph", v2]).status == 0) }

        let process = Process()
        process.executableURL = Binary.url
        process.arguments = ["migrations", "apply", "--store", store, "--migrations-dir", directory]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Killed once crop is committed and face_detection has begun.
        let deadline = Date().addingTimeInterval(300)
        var begun = false
        while Date() < deadline && process.isRunning && !begun {
            begun = (try? MigrationCommandTests.sqlite(store, "SELECT count(*) FROM \"metaxy-system__migration_events\" "
                + "WHERE event_type = 'feature_started' AND feature_key = 'example/face_detection'")) == "1\n"
            if !begun { usleep(20_000) }
        }
        #expect(begun && process.isRunning, "face_detection begun while apply still runs")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let new = "(SELECT feature_version FROM \"metaxy-system__feature_versions\" WHERE feature_key = '%@' ORDER BY recorded_at DESC LIMIT 1)"
        func atNew(_ target: String, _ table: String, _ key: String) throws -> String {
            try MigrationCommandTests.sqlite(target, "SELECT count(*) FROM \(table) WHERE feature_version = \(new.replacingOccurrences(of: "%@", with: key))")
        }
        #expect(try atNew(store, "example__crop", "example/crop") == "1000000\n")
        #expect(try atNew(store, "example__face_detection", "example/face_detection") == "0\n", "the killed feature's transaction left nothing")

        let resumed = try migrations("apply", store)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("✓ example/crop: done by an earlier apply (1000000 rows)"), "\(resumed.stdout)")
        #expect(resumed.stdout.contains("✓ example/face_detection: 1000000 rows written"), "\(resumed.stdout)")
        #expect(try migrations("apply", reference).status == 0)

        // Row by row, rowid by rowid: the same rows in the same order (a rolled-back transaction
        // gives its rowids back).
        let columns = ["example__crop": "width", "example__face_detection": "n_faces", "example__stt": "text", "example__video": "path"]
        for (table, user) in columns {
            let differ = try MigrationCommandTests.sqlite(store, "ATTACH '\(reference)' AS r; SELECT (SELECT count(*) FROM main.\(table)), "
                + "(SELECT count(*) FROM r.\(table)), (SELECT count(*) FROM main.\(table) a JOIN r.\(table) b ON a.rowid = b.rowid "
                + "WHERE a.sample_uid IS NOT b.sample_uid OR a.data_version IS NOT b.data_version OR a.\(user) IS NOT b.\(user) "
                + "OR a.feature_version IS NOT b.feature_version OR a.snapshot_version IS NOT b.snapshot_version)")
            let counts = differ.trimmingCharacters(in: .newlines).split(separator: "|")
            #expect(counts.count == 3 && counts[0] == counts[1] && counts[2] == "0", "\(table): \(differ)")
        }
        for (table, key) in [("example__crop", "example/crop"), ("example__face_detection", "example/face_detection")] {
            let twice = try MigrationCommandTests.sqlite(store, "SELECT count(*) - count(DISTINCT sample_uid) FROM \(table) "
                + "WHERE feature_version = \(new.replacingOccurrences(of: "%@", with: key))")
            #expect(twice == "0\n", "\(table): no sample written twice at the new version")
        }
        let completions = try MigrationCommandTests.sqlite(store, "SELECT feature_key, count(*) FROM \"metaxy-system__migration_events\" "
            + "WHERE event_type = 'feature_completed' GROUP BY feature_key ORDER BY feature_key")
        #expect(completions == "example/crop|1\nexample/face_detection|1\n")
    }
}

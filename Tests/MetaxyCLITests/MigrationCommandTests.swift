import Foundation
import Testing
import TestSupport

/// `metaxy-tui migrations …`: metaxy 0.0.0's files and events both ways, and the reconciliation
/// done right (DESIGN §2), on metaxy's own recorded migration and on stores written here.
@Suite(.serialized) struct MigrationCommandTests {
    static let vector = Fixtures.vectors.appendingPathComponent("migrations/crop_frames_v2")

    static func sqlite(_ store: String, _ sql: String) throws -> String {
        try Binary.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [store, sql]).stdout
    }

    static func checksum(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// metaxy 0.0.0's CLI in `dir`, the project on sys.path as its users run it.
    static func metaxy(_ python: String, _ arguments: [String], in dir: URL) throws -> Binary.Result {
        try Binary.run(URL(fileURLWithPath: python), ["-c", "import sys; from metaxy.cli.app import main; sys.argv = ['metaxy'] + sys.argv[1:]; main()"]
                        + arguments, environment: ["PYTHONPATH": dir.path, "COLUMNS": "200"], directory: dir)
    }

    /// The video project at metaxy's store before its migration, with the changed code.
    func vectorProject() throws -> (URL, String) {
        let dir = try Fixtures.temporaryDirectory().appendingPathComponent("video")
        try FileManager.default.copyItem(at: Fixtures.vectors.appendingPathComponent("projects/video"), to: dir)
        let db = dir.appendingPathComponent("metadata.db")
        try FileManager.default.copyItem(at: Self.vector.appendingPathComponent("store-before.sqlite"), to: db)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: db.path)
        let features = dir.appendingPathComponent("video_features/features.py")
        try FileManager.default.removeItem(at: features)
        try FileManager.default.copyItem(at: Self.vector.appendingPathComponent("features.v2.py"), to: features)
        return (dir, try MetaxyPython.interpreter.get())
    }

    @Test func metaxysRecordedMigrationDoneRight() throws {
        let (dir, python) = try vectorProject()
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        func run(_ arguments: [String]) throws -> Binary.Result {
            try Binary.run(["migrations"] + arguments + ["--python", python], directory: dir)
        }
        let store = dir.appendingPathComponent("metadata.db").path
        #expect(try run(["status"]).stdout == "No migrations found.\n  Migrations directory: .metaxy/migrations\n")

        let generated = try run(["generate"])
        #expect(generated.status == 0, "\(generated.stderr)")
        #expect(generated.stdout.contains("    ✓ example/crop\n    ✓ example/face_detection\n"), "\(generated.stdout)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(".metaxy/migrations").path)
        #expect(files.count == 1)
        let yaml = try String(contentsOf: dir.appendingPathComponent(".metaxy/migrations/\(files[0])"), encoding: .utf8)
        let id = String(files[0].dropLast(5))
        #expect(yaml.hasPrefix("id: '\(id)'\ncreated_at: '"))
        let theirs = try String(contentsOf: Self.vector.appendingPathComponent("migration.yaml"), encoding: .utf8)
        #expect(yaml.split(separator: "\n").dropFirst(2) == theirs.split(separator: "\n").dropFirst(2), "parent, snapshots and ops as metaxy wrote them")

        // metaxy's own CLI loads our file.
        let list = try Self.metaxy(python, ["migrations", "list"], in: dir)
        #expect(list.status == 0 && list.stdout.contains("\(id)    ") && list.stdout.contains("DataVersionReconciliation"), "\(list.stdout)\(list.stderr)")

        let before = try Self.checksum(store)
        let dry = try run(["apply", "--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("✓ example/crop: 30 rows would be written\n  ✓ example/face_detection: 30 rows would be written\n"), "\(dry.stdout)")
        #expect(try Self.checksum(store) == before, "a dry run writes nothing")

        let applied = try run(["apply"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("Recorded the project's graph as snapshot cfad872c593c2549c70a8f9406cf05613d24f772f68220e4c2dfe1e98ab3872f"))
        #expect(applied.stdout.contains("✓ Migration completed") && applied.stdout.contains("Rows written: 60"), "\(applied.stdout)")

        // crop: metaxy's data versions, the user column kept.
        let added = try #require(try Fixtures.json(Self.vector.appendingPathComponent("rows-added.json")) as? [String: Any])
        let attempt = try #require(added["rows_added_by_apply_attempt_2"] as? [String: [[String: Any]]])
        let expectedCrop = Dictionary(uniqueKeysWithValues: try #require(attempt["example__crop"]).map { ($0["sample_uid"] as! Int, $0["data_version"] as! String) })
        let crop = try Self.sqlite(store, "SELECT sample_uid, data_version, width FROM example__crop WHERE feature_version LIKE 'edc3497d%' ORDER BY sample_uid")
            .split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
        #expect(crop.count == 30)
        for row in crop {
            #expect(row[1] == expectedCrop[Int(row[0])!], "crop sample \(row[0])")
            #expect(row[2] == "224", "the user column is kept")
        }
        // face_detection: one row per sample (metaxy wrote two), the one hashing the new crop.
        var metaxyFaces: [Int: Set<String>] = [:]
        for row in try #require(attempt["example__face_detection"]) { metaxyFaces[row["sample_uid"] as! Int, default: []].insert(row["data_version"] as! String) }
        let faces = try Self.sqlite(store, "SELECT sample_uid, data_version, n_faces FROM example__face_detection WHERE feature_version LIKE 'b2c8b653%' ORDER BY sample_uid")
            .split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
        #expect(faces.count == 30 && Set(faces.map { $0[0] }).count == 30)
        for row in faces {
            let uid = Int(row[0])!
            #expect(metaxyFaces[uid]?.contains(row[1]) == true, "face_detection sample \(uid)")
            #expect(row[2] == String(uid % 4))
        }

        // Nothing stale for the reconciled features.
        let status = try Binary.run(["store", "status", store, "--graph", "project", "--format", "json", "--python", python], directory: dir)
        let features = try #require((try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?["features"] as? [String: [String: Any]])
        for key in ["example/crop", "example/face_detection"] {
            #expect(features[key]?["added"] as? Int == 0 && features[key]?["changed"] as? Int == 0 && features[key]?["removed"] as? Int == 0, "\(key)")
            #expect(features[key]?["current_rows"] as? Int == 30)
        }

        // metaxy's events reader and status accept our events.
        let script = Fixtures.repository.appendingPathComponent("Scripts/oracle/read_migration_events.py").path
        let events = try Binary.run(URL(fileURLWithPath: python), [script, store, id, "example/crop", "example/face_detection"])
        let seen = try #require(try JSONSerialization.jsonObject(with: Data(events.stdout.utf8)) as? [String: Any], "\(events.stderr)")
        #expect(seen["status"] as? String == "completed")
        #expect(seen["completed"] as? [String] == ["example/crop", "example/face_detection"])
        #expect((seen["failed"] as? [String: Any])?.isEmpty == true)
        let theirStatus = try Self.metaxy(python, ["migrations", "status"], in: dir)
        #expect(theirStatus.stdout.contains("Status: COMPLETED") && theirStatus.stdout.contains("Features: 2/2 completed"), "\(theirStatus.stdout)")

        #expect(try run(["apply"]).stdout == "ℹ All migrations already completed\n")
        #expect(try run(["generate"]).stdout == "No changes detected\n  Current graph matches latest snapshot\n")
        let ours = try run(["status"]).stdout
        #expect(ours.contains("✓ \(id) (parent: initial)\n  Status: COMPLETED\n") && ours.contains("Features: 2/2 completed\n"), "\(ours)")
    }

    @Test func everyCommandHonoursTheConfiguredMigrationsDir() throws {
        let (dir, python) = try vectorProject()
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        func run(_ arguments: [String]) throws -> Binary.Result {
            try Binary.run(["migrations"] + arguments + ["--python", python], environment: ["METAXY_MIGRATIONS_DIR": "custom/migrations"], directory: dir)
        }
        let generated = try run(["generate", "--name", "custom_dir"])
        #expect(generated.status == 0, "\(generated.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("custom/migrations").path)
        let file = try #require(files.first, "written under custom/migrations")
        #expect(file.hasSuffix("_custom_dir.yaml"))
        let id = String(file.dropLast(5))
        #expect(generated.stdout.contains("  YAML file: custom/migrations/\(file)\n"), "\(generated.stdout)")
        // A named id is not all digits: written plain, as metaxy writes it.
        #expect(try String(contentsOf: dir.appendingPathComponent("custom/migrations/\(file)"), encoding: .utf8).hasPrefix("id: \(id)\n"))
        // metaxy's own list, status, apply and explain read .metaxy/migrations only; ours read the configured one.
        #expect(try run(["list"]).stdout.contains("  \(id)    "))
        #expect(try run(["status"]).stdout.contains("○ \(id) (parent: initial)\n  Status: NOT STARTED\n"))
        #expect(try run(["explain"]).stdout.contains("Migration: \(id)\n"))
        #expect(try run(["apply", "--dry-run"]).stdout.contains("✓ example/crop: 30 rows would be written"))
        #expect(try run(["describe", id]).stdout.contains("YAML: custom/migrations/\(file)\n"))
    }

    @Test func metaxysOwnMigrationAndEventsAreRead() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("after.db").path
        try FileManager.default.copyItem(atPath: Self.vector.appendingPathComponent("store-after.sqlite").path, toPath: store)
        let migrations = dir.appendingPathComponent("m")
        try FileManager.default.createDirectory(at: migrations, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.vector.appendingPathComponent("migration.yaml"), to: migrations.appendingPathComponent("20261201_213822.yaml"))
        let before = try Self.checksum(store)
        func run(_ command: String, _ more: [String] = []) throws -> Binary.Result {
            try Binary.run(["migrations", command] + more + ["--store", store, "--migrations-dir", migrations.path])
        }
        let theirList = try String(contentsOf: Self.vector.appendingPathComponent("cli/20-migrations-list-after.txt"), encoding: .utf8)
        #expect(try run("list").stdout == theirList, "metaxy's list, byte for byte")
        let status = try run("status")
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("✓ 20261201_213822 (parent: initial)\n  Status: COMPLETED\n"), "\(status.stdout)")
        // Its first attempt's failures were mended by the second: not listed as failed.
        #expect(status.stdout.contains("Features: 2/2 completed\n") && !status.stdout.contains("Failed"), "\(status.stdout)")
        let explain = try run("explain")
        #expect(explain.stdout.contains("~frames") && explain.stdout.contains("✓ example/crop"), "\(explain.stdout)\(explain.stderr)")
        let describe = try run("describe", ["20261201"])
        #expect(describe.status == 0 && describe.stdout.contains("ID: 20261201_213822\nCreated: 2026-12-01T21:38:22.993652+00:00\n"), "\(describe.stdout)\(describe.stderr)")
        #expect(try run("apply").stdout == "ℹ All migrations already completed\n")
        #expect(try Self.checksum(store) == before, "reading writes nothing")
    }

    /// A store written here with the four-feature workload, and a graph changed as asked.
    func workload(samples: Int = 40, change: (feature: String, field: String)? = nil, newField: String? = nil,
                  backend: StoreBackendKind = .sqlite) throws
        -> (dir: URL, store: String, v2: String, run: (String, [String]) throws -> Binary.Result)
    {
        let dir = try Fixtures.temporaryDirectory()
        let (store, _) = try MigrationWorkload.store(samples: samples, in: dir, backend: backend)
        let v2 = try MigrationWorkload.file(MigrationWorkload.graphYAML(change: change, newField: newField), "v2.yaml", in: dir)
        let migrations = dir.appendingPathComponent("migrations").path
        return (dir, store, v2, { command, more in
            try Binary.run(["migrations", command] + more + ["--store", store, "--migrations-dir", migrations])
        })
    }

    /// A query's answer on either backend (psql's and sqlite3's text agree for counts).
    static func query(_ store: String, _ backend: StoreBackendKind, _ sql: String) throws -> String {
        switch backend {
        case .sqlite: try sqlite(store, sql).trimmingCharacters(in: .newlines)
        // psql prints SET for the first statement: the answer is the last line.
        case .postgresql: try TestPostgres.psql("SET search_path TO \(TestPostgres.schema(of: store)); " + sql).components(separatedBy: "\n").last ?? ""
        }
    }

    @Test(arguments: StoreBackendKind.allCases) func aRootChangeNeedsARecomputeAndBlocksNothing(_ backend: StoreBackendKind) throws {
        let (dir, store, v2, run) = try workload(change: ("video", "frames"), backend: backend)
        defer { try? FileManager.default.removeItem(at: dir) }
        let generated = try run("generate", ["--graph", v2, "--name", "frames_v2"])
        #expect(generated.status == 0, "\(generated.stderr)")
        #expect(generated.stdout.contains("Migration ID: ") && generated.stdout.contains("_frames_v2\n"))
        #expect(generated.stdout.contains("    ✓ example/crop\n    ✓ example/face_detection\n"), "\(generated.stdout)")
        #expect(generated.stdout.contains("⚠ example/video: needs recompute: data changed at the source"), "\(generated.stdout)")
        #expect(!generated.stdout.contains("example/stt"), "stt reads audio only: its field versions did not change")
        // The target snapshot is not recorded, and there is no project to take it from.
        let refused = try run("apply", [])
        let shown = store.replacingOccurrences(of: ":metaxy-secret@", with: ":***@")
        #expect(refused.status == 1 && refused.stderr.contains("store push \(shown) --graph GRAPH"), "\(refused.stderr)")
        #expect(try Binary.run(["store", "push", store, "--graph", v2]).status == 0)
        let applied = try run("apply", [])
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        #expect(applied.stdout.contains("⚠ example/video: needs recompute") && applied.stdout.contains("✓ Migration completed"), "\(applied.stdout)")
        let status = try Binary.run(["store", "status", store, "--graph", v2, "--format", "json"])
        let features = try #require((try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])?["features"] as? [String: [String: Any]])
        for key in ["example/crop", "example/face_detection", "example/stt"] {
            #expect(features[key]?["added"] as? Int == 0 && features[key]?["changed"] as? Int == 0, "\(key): \(features[key] ?? [:])")
        }
        #expect(try Self.query(store, backend, "SELECT count(*) FROM example__stt") == "40", "stt untouched")
        #expect(try Self.query(store, backend, "SELECT count(*), count(DISTINCT sample_uid), min(width) FROM example__crop") == "80|40|224")
    }

    @Test func onlyFeaturesWhoseFieldVersionsChangedAndNewFieldsAreARecompute() throws {
        let (dir, _, v2, run) = try workload(change: ("crop", "audio"))
        defer { try? FileManager.default.removeItem(at: dir) }
        let generated = try run("generate", ["--graph", v2])
        // face_detection reads crop's frames only: metaxy would migrate it as a descendant.
        #expect(generated.stdout.contains("Reconciled, no recompute (1):\n    ✓ example/crop\n"), "\(generated.stdout)")
        #expect(!generated.stdout.contains("face_detection"))

        let (dir2, store2, withField, run2) = try workload(newField: "edges")
        defer { try? FileManager.default.removeItem(at: dir2) }
        #expect(try run2("generate", ["--graph", withField]).status == 0)
        #expect(try Binary.run(["store", "push", store2, "--graph", withField]).status == 0)
        let dry = try run2("apply", ["--dry-run"])
        #expect(dry.stdout.contains("⚠ example/crop: needs recompute: new field edges: its data must be computed"), "\(dry.stdout)")
        #expect(dry.stdout.contains("Rows to write: 0"))
    }

    @Test func aFeatureWithoutATableAndSamplesOutdoneByAThirdVersion() throws {
        let (dir, store, v2, run) = try workload(samples: 40, change: ("crop", "frames"))
        defer { try? FileManager.default.removeItem(at: dir) }
        // face_detection never written; crop samples 1–5 recomputed since at a third version.
        _ = try Self.sqlite(store, "DROP TABLE example__face_detection")
        let third = try MigrationWorkload.file(MigrationWorkload.graphYAML(change: ("crop", "audio")), "v1b.yaml", in: dir)
        let rows = try MigrationWorkload.file((1...5).map { "{\"sample_uid\": \($0), \"width\": 640}" }.joined(separator: "\n"), "r.jsonl", in: dir)
        #expect(try Binary.run(["store", "write", store, "example/crop", "--graph", third, "--input", rows]).status == 0)
        #expect(try run("generate", ["--graph", v2]).status == 0)
        #expect(try Binary.run(["store", "push", store, "--graph", v2]).status == 0)
        let dry = try run("apply", ["--dry-run"])
        #expect(dry.stdout.contains("✓ example/crop: 35 rows would be written, 5 samples need a real recompute"), "\(dry.stdout)")
        let applied = try run("apply", [])
        #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
        #expect(applied.stdout.contains("✓ example/face_detection: 0 rows written"), "\(applied.stdout)")
        // The rows at the third version stay the latest: none of the old ones were copied over them.
        #expect(try Self.sqlite(store, "SELECT count(*) FROM example__crop WHERE width = 640") == "5\n")
        #expect(try Self.sqlite(store, "SELECT count(*) FROM example__crop WHERE sample_uid <= 5 AND rowid > "
            + "(SELECT max(rowid) FROM example__crop WHERE width = 640)") == "0\n")
        #expect(try run("status", []).stdout.contains("Status: COMPLETED"))
    }

    @Test func theNextMigrationWaitsForTheOneBefore() throws {
        let (dir, store, v2, run) = try workload(samples: 5, change: ("crop", "frames"))
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try run("generate", ["--graph", v2])
        #expect(first.status == 0, "\(first.stderr)")
        // Generated again for the same change: nothing new.
        #expect(try run("generate", ["--graph", v2]).stdout.contains("nothing generated"))
        let v3 = try MigrationWorkload.file(MigrationWorkload.graphYAML(change: ("crop", "audio")), "v3.yaml", in: dir)
        let second = try run("generate", ["--graph", v3])
        #expect(second.status == 1 && second.stderr.contains("is not applied yet: apply it first"), "\(second.stderr)")
        #expect(try Binary.run(["store", "push", store, "--graph", v2]).status == 0)
        #expect(try run("apply", []).status == 0)
        let third = try run("generate", ["--graph", v3])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(try run("list", []).stdout.split(separator: "\n").filter { $0.contains("DataVersionReconciliation") }.count == 2)
    }

    @Test func badMigrationsAreNamed() throws {
        let (dir, _, v2, run) = try workload(samples: 3, change: ("crop", "frames"))
        defer { try? FileManager.default.removeItem(at: dir) }
        let migrations = dir.appendingPathComponent("migrations")
        try FileManager.default.createDirectory(at: migrations, withIntermediateDirectories: true)
        for name in ["a", "b"] {
            try "id: \(name)\nparent: initial\nfrom_snapshot_version: x\nto_snapshot_version: y\nops:\n- type: metaxy.migrations.ops.DataVersionReconciliation\n"
                .write(to: migrations.appendingPathComponent("\(name).yaml"), atomically: true, encoding: .utf8)
        }
        let heads = try run("status", [])
        #expect(heads.status == 1 && heads.stderr.contains("has 2 heads (\(migrations.path)/a.yaml, \(migrations.path)/b.yaml)"), "\(heads.stderr)")
        try "id: [".write(to: migrations.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        let broken = try run("list", [])
        #expect(broken.status == 1 && broken.stderr.contains("b.yaml:") && broken.stderr.contains("not valid YAML"), "\(broken.stderr)")
        try FileManager.default.removeItem(at: migrations.appendingPathComponent("b.yaml"))
        let unknown = try run("apply", [])
        #expect(unknown.status == 1 && unknown.stderr.contains("has no snapshot x, which migration a starts from"), "\(unknown.stderr)")
        try "id: a\nparent: initial\nfrom_snapshot_version: x\nto_snapshot_version: y\nops:\n- type: my.CustomOp\n"
            .write(to: migrations.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        let custom = try run("apply", [])
        #expect(custom.status == 1 && custom.stderr.contains("a.yaml: has ops my.CustomOp: metaxy-tui applies "
            + "metaxy.migrations.ops.DataVersionReconciliation only"), "\(custom.stderr)")
        let op = try run("generate", ["--graph", v2, "--op", "my.Op"])
        #expect(op.status == 1 && op.stderr.contains("applies metaxy.migrations.ops.DataVersionReconciliation only"), "\(op.stderr)")
        let name = try run("generate", ["--graph", v2, "--name", "../x"])
        #expect(name.status == 1 && name.stderr.contains("must be letters, digits"), "\(name.stderr)")
        let noStore = try Binary.run(["migrations", "status"], directory: dir)
        #expect(noStore.status == 1 && noStore.stderr.contains("needs a store"), "\(noStore.stderr)")
    }
}

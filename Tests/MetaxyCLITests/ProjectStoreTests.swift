import Foundation
import Testing
import TestSupport

/// A PostgreSQL store written by metaxy 0.1.11 (`vectors/metaxy-0.1/stores/video`), restored into
/// the test server and read through the CLI: its graph and history, samples, and the stale sets
/// metaxy computed for its pending state, ids and provenance.
@Suite struct ProjectStoreTests {
    static let vector = Fixtures.vectors.appendingPathComponent("metaxy-0.1/stores/video")

    func scenario() throws -> [String: Any] {
        try Fixtures.json(Self.vector.appendingPathComponent("scenario.json")) as! [String: Any]
    }

    func step(_ label: String) throws -> [String: Any] {
        try (scenario()["steps"] as! [[String: Any]]).first { $0["label"] as? String == label }!
    }

    @discardableResult
    func ok(_ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws -> Binary.Result {
        let result = try Binary.run(arguments, environment: environment, directory: directory)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result
    }

    func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    func restored(_ dump: String = "store.pg.sql") throws -> String {
        try TestPostgres.restore(dump: Self.vector.appendingPathComponent(dump))
    }

    @Test func stalesetsOfThePendingStateAreMetaxys() throws {
        let store = try restored()
        let report = try json(ok(["store", "status", store, "--ids", "--format", "json"]).stdout)
        let pending = try step("resolve-pending")
        #expect(report["project"] as? String == "video_features")
        #expect(report["project_version"] as? String == pending["project_version"] as? String)
        #expect(report["hash_algorithm"] as? String == "xxhash32")
        let features = report["features"] as! [String: [String: Any]]
        let versions = (try scenario()["versions_by_project_version"] as! [String: [String: String]])["eacd05e4"]!
        #expect(Set(features.keys) == Set(versions.keys))
        for (key, version) in versions { #expect(features[key]?["feature_version"] as? String == version, "\(key)") }
        let expected = pending["resolve_update"] as! [String: [String: [String: Any]]]
        for key in ["example/crop", "example/face_detection", "example/stt"] {
            for kind in ["new", "stale", "orphaned"] {
                let want = (expected[key]?[kind]?["ids"] as? [Int] ?? []).map { [$0] }
                let got = (features[key]?["\(kind)_ids"] as? [[Int]]) ?? []
                #expect(got == want, "\(key) \(kind)")
                #expect(features[key]?[kind] as? Int == want.count, "\(key) \(kind) count")
            }
            #expect(features[key]?["id_columns"] as? [String] == ["sample_uid"])
        }
        // The soft-deleted sample is orphaned, not stale.
        #expect((features["example/crop"]?["orphaned_ids"] as? [[Int]]) == [[40]])
        let text = try ok(["store", "status", store]).stdout
        #expect(text.contains("+new") && text.contains("~stale") && text.contains("-orphaned"), "\(text)")
        #expect(text.contains("project video_features · project version eacd05e4 · xxhash32"), "\(text)")
    }

    @Test func explainGivesMetaxysFieldHashes() throws {
        let store = try restored()
        let pending = try step("resolve-pending")
        // Every new and stale row metaxy computed, in every downstream feature: its field hashes.
        for (key, sets) in pending["resolve_update"] as! [String: [String: Any]] {
            for kind in ["stale", "new"] {
                for row in (sets[kind] as? [String: Any])?["rows"] as? [[String: Any]] ?? [] {
                    let uid = row["sample_uid"] as! Int
                    let out = try ok(["store", "explain", store, key, String(uid)]).stdout
                    for (field, hash) in row["metaxy_provenance_by_field"] as! [String: String] {
                        #expect(out.contains("expected  \(hash)"), "\(key) \(uid) \(field): \(out)")
                    }
                    #expect(out.contains(kind == "new" ? "(new)" : "stale ("), "\(key) \(uid): \(out)")
                }
            }
        }
        // The exact text metaxy hashed: field|code_version|parent|value.
        let three = try ok(["store", "explain", store, "example/crop", "3"]).stdout
        #expect(three.contains("recipe    frames|1|example/video.frames|f3-v2"), "\(three)")
        let orphan = try ok(["store", "explain", store, "example/stt", "40"]).stdout
        #expect(orphan.contains("no longer in every upstream (orphaned)"), "\(orphan)")
        let fresh = try ok(["store", "explain", store, "example/crop", "1"]).stdout
        #expect(fresh.contains("up to date"), "\(fresh)")
    }

    @Test func graphHistoryAndSamplesComeFromTheStore() throws {
        let store = try restored()
        let history = try JSONSerialization.jsonObject(with: Data(ok(["store", "snapshots", store, "--format", "json"]).stdout.utf8)) as! [[String: Any]]
        #expect(history.map { $0["project_version"] as? String } == ["eacd05e4", "f98e384d"])
        #expect(history.allSatisfy { $0["feature_count"] as? Int == 4 && $0["project"] as? String == "video_features" })
        let versionsByProject = try scenario()["versions_by_project_version"] as! [String: [String: String]]
        for (projectVersion, features) in versionsByProject {
            let versions = try json(ok(["graph", "versions", "\(store)@\(projectVersion)", "--format", "json"]).stdout)
            #expect(versions["project_version"] as? String == projectVersion)
            let got = (versions["features"] as! [String: [String: Any]]).mapValues { $0["feature_version"] as? String ?? "" }
            #expect(got == features)
        }
        let rows = try JSONSerialization.jsonObject(with: Data(ok(["store", "samples", store, "example/video", "--limit", "3", "--format", "json"]).stdout.utf8)) as! [[String: Any]]
        #expect(rows.count == 3)
        #expect(rows.first?["sample_uid"] as? Int == 1)
        #expect((rows.first?["metaxy_provenance_by_field"] as? [String: String])?["audio"] == "a1")
        #expect(rows.first?["path"] as? String != nil)
    }

    @Test func aZeroOneStoreIsNeverWritten() throws {
        let store = try restored()
        let before = try TestPostgres.psql("SELECT count(*) FROM \(TestPostgres.schema(of: store)).example__crop")
        let graph = Fixtures.vectors.appendingPathComponent("graphs/video.json").path
        for arguments in [["store", "push", store, "--graph", graph], ["store", "copy", store, store]] {
            let result = try Binary.run(arguments)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains("metaxy 0.1.x store"), "\(arguments): \(result.stderr)")
        }
        #expect(try TestPostgres.psql("SELECT count(*) FROM \(TestPostgres.schema(of: store)).example__crop") == before)
    }

    @Test func severalProjectsInOneDatabaseArePickedByName() throws {
        let store = try restored()
        let schema = TestPostgres.schema(of: store)
        _ = try TestPostgres.psql("""
            INSERT INTO \(schema).metaxy_system__feature_versions
            SELECT 'audio_lab', feature_key, metaxy_feature_version, metaxy_definition_version, recorded_at, feature_spec, feature_schema,
                   feature_class_path, metaxy_project_version, tags, deleted_at
            FROM \(schema).metaxy_system__feature_versions WHERE metaxy_project_version = 'f98e384d'
            """)
        let refused = try Binary.run(["store", "status", store])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("holds 2 projects; pick one with --project NAME") && refused.stderr.contains("  audio_lab")
                && refused.stderr.contains("  video_features"), "\(refused.stderr)")
        let picked = try json(ok(["store", "status", store, "--project", "video_features", "--format", "json"]).stdout)
        #expect(picked["project_version"] as? String == "eacd05e4")
        let other = try json(ok(["store", "status", store, "--project", "audio_lab", "--format", "json"]).stdout)
        #expect(other["project"] as? String == "audio_lab" && other["project_version"] as? String == "f98e384d")
        let unknown = try Binary.run(["store", "status", store, "--project", "nope"])
        #expect(unknown.status == 1 && unknown.stderr.contains("has no project 'nope'"), "\(unknown.stderr)")
    }

    /// The benchmark's workload, small: md5 hashes made by the server on the strings metaxy
    /// hashes give no stale sample until roots change, then exactly those.
    @Test func theWorkloadsChangedRootsAreTheStaleSet() throws {
        let store = try ProjectStoreWorkload.make(samples: 3_000, changed: 30)
        let report = try json(ok(["store", "status", store, "--ids", "--format", "json"]).stdout)
        #expect(report["hash_algorithm"] as? String == "md5")
        #expect(report["project_version"] as? String == "f98e384d")
        let features = report["features"] as! [String: [String: Any]]
        #expect(features["example/crop"]?["stale_ids"] as? [[Int]] == (1...30).map { [$0] })
        #expect(features["example/crop"]?["new"] as? Int == 0 && features["example/crop"]?["orphaned"] as? Int == 0)
        #expect(features["example/face_detection"]?["new"] as? Int == 3_000)
        // The Store screen pages through the table by windows of blocks: the first page starts at
        // sample 1, the last (`G`) ends at 3000, and a page up from there holds the rows before it.
        let dir = try Fixtures.temporaryDirectory()
        func screen(_ keys: String) throws -> [String] {
            let out = dir.appendingPathComponent("s.txt").path
            try ok(["screenshot", store, "--screen", "store", "--size", "120x40", "--keys", keys, "--out", out])
            return try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
        }
        func samples(_ lines: [String]) -> [Int] {
            // The samples pane: after the features box, a glyph, a space, the sample.
            lines.compactMap { line in line.components(separatedBy: "││").dropFirst().first.flatMap { Int($0.dropFirst(2).prefix(while: \.isNumber)) } }
        }
        let first = samples(try screen("<Tab>")), last = samples(try screen("<Tab>G")), before = samples(try screen("<Tab>G<PgUp>"))
        #expect(first.first == 1 && first == Array(1...first.count), "\(first)")
        #expect(last.last == 3_000 && last == Array((3_001 - last.count)...3_000), "\(last)")
        #expect(before.count > 10 && before.last! < last.last!, "\(before)")
    }

    /// A 0.1.x project as its user has it: metaxy.toml naming the PostgreSQL store and the
    /// project, the features in a package; its live graph exported by metaxy 0.1.11 itself.
    func project(store: String, features: String = "features.v2.py") throws -> URL {
        let dir = try Fixtures.temporaryDirectory()
        let package = dir.appendingPathComponent("video_features")
        try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
        try Data().write(to: package.appendingPathComponent("__init__.py"))
        try Data(contentsOf: Self.vector.appendingPathComponent("project/\(features)")).write(to: package.appendingPathComponent("features.py"))
        try """
            store = "dev"
            project = "video_features"
            entrypoints = ["video_features.features"]

            [stores.dev]
            type = "metaxy.ext.postgresql.PostgreSQLMetadataStore"

            [stores.dev.config]
            connection_string = "\(store)"
            """.write(to: dir.appendingPathComponent("metaxy.toml"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test func aZeroOneProjectOpensItsLiveGraphAndItsStore() throws {
        let python = try MetaxyPythonToday.interpreter.get()
        let store = try restored()
        let dir = try project(store: store)
        // The live graph, exported by metaxy 0.1.11, is the version pushed last.
        let versions = try json(ok(["graph", "versions", "project", "--python", python, "--format", "json"], directory: dir).stdout)
        #expect(versions["project_version"] as? String == "eacd05e4")
        let status = try json(ok(["store", "status", store, "--graph", "project", "--python", python, "--ids", "--format", "json"], directory: dir).stdout)
        let crop = (status["features"] as? [String: [String: Any]])?["example/crop"]
        #expect(crop?["stale_ids"] as? [[Int]] == [[3], [7], [11], [12]])
        // The project's store, from its config: the Store screen with 0.1.x's words.
        let out = dir.appendingPathComponent("store.txt").path
        try ok(["screenshot", "project", "--screen", "store", "--python", python, "--out", out], directory: dir)
        let shot = try String(contentsOfFile: out, encoding: .utf8)
        #expect(shot.contains("samples to update (+new ~stale -orphaned) in 2 features"), "\(shot)")
        #expect(shot.contains("+2 ~4 -1") && shot.contains("+2 ~2 -1") && shot.contains("✓ fresh"), "\(shot)")
        // The live graph against the first project version: video.audio's code changed.
        let diff = try ok(["graph", "diff", "\(store)@f98e384d", "project", "--python", python], directory: dir).stdout
        #expect(diff.contains("example/video") && diff.contains("audio"), "\(diff)")
        // Two projects in the store, and the config's is the one opened.
        _ = try TestPostgres.psql("""
            INSERT INTO \(TestPostgres.schema(of: store)).metaxy_system__feature_versions (project, feature_key, metaxy_feature_version,
                   metaxy_project_version, feature_spec) VALUES ('audio_lab', 'a/b', 'x', 'y', '{}')
            """)
        try ok(["screenshot", "project", "--screen", "store", "--python", python, "--out", out], directory: dir)
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("+2 ~4 -1"))
        let configured = try json(ok(["store", "status", store, "--graph", "project", "--python", python, "--format", "json"], directory: dir).stdout)
        #expect(configured["project"] as? String == "video_features")
        // A 0.1.x graph is never recorded in a 0.0.0 store: its versions are 0.1.x's.
        let file = dir.appendingPathComponent("other.db").path
        let refused = try Binary.run(["store", "push", file, "--graph", "project", "--python", python], directory: dir)
        #expect(refused.status == 1 && refused.stderr.contains("is metaxy 0.1.x project video_features"), "\(refused.stderr)")
    }
}

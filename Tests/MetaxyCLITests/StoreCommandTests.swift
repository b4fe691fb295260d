import Foundation
import MetaxyCore
import Testing
import TestSupport

/// The store commands reproduce samples/video.json through the CLI, as a user would run them.
@Suite struct StoreCommandTests {
    let vectors = try! Fixtures.json(Fixtures.vectors.appendingPathComponent("samples/video.json")) as! [String: Any]

    struct Workspace {
        let dir: URL
        let store: String
        var graph: String { dir.appendingPathComponent("graph.json").path }

        func file(_ name: String, _ rows: [[String: Any]]) throws -> String {
            let path = dir.appendingPathComponent(name).path
            let lines = try rows.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        @discardableResult
        func run(_ arguments: [String]) throws -> Binary.Result {
            let result = try Binary.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return result
        }

        func status(_ feature: String) throws -> [String: Any] {
            let out = try run(["store", "status", store, "--graph", graph, "--feature", feature, "--ids", "--format", "json"]).stdout
            let json = try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [String: Any]
            return (json["features"] as! [String: Any])[feature] as! [String: Any]
        }

        func samples(_ feature: String) throws -> [[String: Any]] {
            let out = try run(["store", "samples", store, feature, "--format", "json"]).stdout
            return try JSONSerialization.jsonObject(with: Data(out.utf8)) as! [[String: Any]]
        }
    }

    func workspace(_ backend: StoreBackendKind = .sqlite) throws -> Workspace {
        let dir = try Fixtures.temporaryDirectory()
        let ws = Workspace(dir: dir, store: try backend.newStore(in: dir))
        try JSONSerialization.data(withJSONObject: vectors["graph"]!).write(to: URL(fileURLWithPath: ws.graph))
        return ws
    }

    func rows(_ round: String, _ feature: String) -> [[String: Any]] {
        ((vectors[round] as! [String: Any])["root_samples"] as! [String: Any])[feature] as! [[String: Any]]
    }

    func expected(_ round: String, _ part: String, _ feature: String) -> [String: Any] {
        ((vectors[round] as! [String: Any])[part] as! [String: Any])[feature] as! [String: Any]
    }

    func state(_ round: String, _ feature: String) -> [[String: Any]] {
        ((vectors[round] as! [String: Any])["state"] as! [String: Any])[feature] as! [[String: Any]]
    }

    func dataVersions(_ rows: [[String: Any]]) -> [NSDictionary] {
        rows.map { ["sample_uid": $0["sample_uid"]!, "data_version": $0["data_version"]!] as NSDictionary }
    }

    @Test(arguments: StoreBackendKind.allCases) func roundsOneAndTwoThroughTheCLI(_ backend: StoreBackendKind) throws {
        let ws = try workspace(backend)
        #expect(try ws.run(["store", "push", ws.store, "--graph", ws.graph]).stdout
            == "8468950dcc9f75e4089529577e7b8ba044205e16a7c32b54910e7c73b9f7303d\n")
        let order = vectors["topological_order"] as! [String]
        for round in ["round1", "round2"] {
            let roots = rows(round, "example/video")
            try ws.run(["store", "write", ws.store, "example/video", "--graph", ws.graph, "--replace",
                        "--input", ws.file("\(round)-video.jsonl", roots)])
            for feature in order.dropFirst() {
                let status = try ws.status(feature)
                let want = expected(round, "resolve_update", feature)
                for set in ["added", "changed", "removed"] {
                    #expect(status["\(set)_ids"] as? [Int] == want["\(set)_uids"] as? [Int], "\(round) \(feature) \(set)")
                }
                // Recompute: rows without data_version get it from the latest upstream rows.
                let ids = (status["added_ids"] as! [Int]) + (status["changed_ids"] as! [Int])
                let stored = status["stored_rows"] as! Int > 0 ? try ws.samples(feature) : []
                let unchanged = Set(stored.compactMap { $0["sample_uid"] as? Int })
                    .subtracting(ids).subtracting(status["removed_ids"] as! [Int])
                let all = (ids + unchanged).sorted().map { ["sample_uid": $0] as [String: Any] }
                try ws.run(["store", "write", ws.store, feature, "--graph", ws.graph, "--replace",
                            "--input", ws.file("\(round)-\(feature.replacingOccurrences(of: "/", with: "_")).jsonl", all)])
                let written = try ws.samples(feature).sorted { ($0["sample_uid"] as! Int) < ($1["sample_uid"] as! Int) }
                #expect(dataVersions(written) == dataVersions(state(round, feature)), "\(round) \(feature) state")
            }
        }
    }

    @Test(arguments: StoreBackendKind.allCases) func aNewerRootRowWithoutReplaceIsTheOneThatCounts(_ backend: StoreBackendKind) throws {
        let ws = try workspace(backend)
        try ws.run(["store", "write", ws.store, "example/video", "--graph", ws.graph, "--input", ws.file("v.jsonl", rows("round1", "example/video"))])
        try ws.run(["store", "write", ws.store, "example/crop", "--graph", ws.graph,
                    "--input", ws.file("c.jsonl", (1...20).map { ["sample_uid": $0] })])
        #expect(try ws.status("example/crop")["changed"] as? Int == 0)
        let newer = [["sample_uid": 3, "data_version": ["audio": "new", "frames": "new"]] as [String: Any]]
        try ws.run(["store", "write", ws.store, "example/video", "--graph", ws.graph, "--input", ws.file("n.jsonl", newer)])
        let status = try ws.status("example/crop")
        #expect(status["changed_ids"] as? [Int] == [3])
        #expect(try ws.status("example/video")["stored_rows"] as? Int == 21)
        #expect(try ws.status("example/video")["current_rows"] as? Int == 20)
    }

    @Test(arguments: StoreBackendKind.allCases) func aMalformedRowAbortsTheWholeWrite(_ backend: StoreBackendKind) throws {
        let ws = try workspace(backend)
        let good = rows("round1", "example/video")
        try ws.run(["store", "write", ws.store, "example/video", "--graph", ws.graph, "--input", ws.file("v.jsonl", good)])
        let path = ws.dir.appendingPathComponent("bad.jsonl").path
        try "{\"sample_uid\": 100, \"data_version\": {\"audio\": \"a\", \"frames\": \"f\"}}\n{\"sample_uid\": 101, \"data_version\": 5}\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let result = try Binary.run(["store", "write", ws.store, "example/video", "--graph", ws.graph, "--input", path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.jsonl:2: data_version must be an object"))
        #expect(try ws.status("example/video")["stored_rows"] as? Int == 20)
        let missing = try Binary.run(["store", "write", ws.store, "example/crop", "--graph", ws.graph,
                                      "--input", ws.file("m.jsonl", [["sample_uid": 999]])])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("m.jsonl:1: sample 999 has no row in upstream example/video; write example/video first"))
    }

    @Test func aBrokenRowIsNamedByItsOwnLine() throws {
        let ws = try workspace()
        let good = "{\"sample_uid\": 1, \"data_version\": {\"audio\": \"a\", \"frames\": \"f\"}}"
        let path = ws.dir.appendingPathComponent("bad.jsonl").path
        for (text, location) in [(good + "\n{\"sample_uid\": 2, \"data_version\": \n" + good + "\n", "bad.jsonl:2: "),
                                 (good + "\n{\"sample_uid\": 2\n\n" + good + "\n", "bad.jsonl:2: "),
                                 (good + "\n\n" + good.dropLast(), "bad.jsonl:3: ")] {  // the last line, without a newline
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let result = try Binary.run(["store", "write", ws.store, "example/video", "--graph", ws.graph, "--input", path])
            #expect(result.status == 1)
            #expect(result.stderr.contains(location + "not valid JSON (the line ends"), "\(result.stderr)")
        }
    }

    @Test func readingAWALStoreLeavesNoFilesBesideIt() throws {
        let ws = try workspace()
        try ws.run(["store", "push", ws.store, "--graph", ws.graph])
        try ws.run(["store", "write", ws.store, "example/video", "--graph", ws.graph, "--input", ws.file("v.jsonl", rows("round1", "example/video"))])
        func besides() -> [String] { ["-wal", "-shm"].filter { FileManager.default.fileExists(atPath: ws.store + $0) } }
        #expect(besides() == [])
        #expect(try ws.status("example/video")["stored_rows"] as? Int == 20)
        #expect(try ws.samples("example/video").count == 20)
        #expect(try ws.run(["store", "snapshots", ws.store]).stdout.hasPrefix("8468950dcc9f75e4"))
        #expect(try ws.run(["graph", "versions", ws.store]).stdout.contains("8468950dcc9f75e4"))
        #expect(try ws.run(["store", "explain", ws.store, "example/video", "3"]).stdout.contains("up to date"))
        #expect(besides() == [])
    }

    @Test(arguments: StoreBackendKind.allCases) func oneRowAndOneFeatureAreSingular(_ backend: StoreBackendKind) throws {
        let ws = try workspace(backend)
        let graph = ws.dir.appendingPathComponent("one.yaml").path
        try "features:\n  - key: a\n    fields: [x]\n".write(toFile: graph, atomically: true, encoding: .utf8)
        try ws.run(["store", "push", ws.store, "--graph", graph])
        let one = try ws.run(["store", "write", ws.store, "a", "--graph", graph,
                              "--input", ws.file("one.jsonl", [["sample_uid": 1, "data_version": ["x": "1"]]])])
        #expect(one.stderr == "wrote 1 row to a\n")
        let two = try ws.run(["store", "write", ws.store, "a", "--graph", graph,
                              "--input", ws.file("two.jsonl", (2...3).map { ["sample_uid": $0, "data_version": ["x": "1"]] })])
        #expect(two.stderr == "wrote 2 rows to a\n")
        #expect(try ws.run(["store", "snapshots", ws.store]).stdout.hasSuffix("Z  1 feature\n"))
    }

    @Test(arguments: StoreBackendKind.allCases) func listsCutShortSayHowManyMore(_ backend: StoreBackendKind) throws {
        let ws = try workspace(backend)
        let keys = (1...25).map { String(format: "f%02d", $0) }
        let graph = ws.dir.appendingPathComponent("many.yaml").path
        try ("features:\n" + keys.map { "  - key: \($0)\n" }.joined()).write(toFile: graph, atomically: true, encoding: .utf8)
        let unknown = try Binary.run(["store", "write", ws.store, "nope", "--graph", graph,
                                      "--input", ws.file("r.jsonl", [["sample_uid": 1]])])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("feature 'nope' is not in the graph; features: "
            + keys.prefix(20).joined(separator: ", ") + ", and 5 more\n"), "\(unknown.stderr)")
        // Eleven snapshots: a prefix that matches none lists ten and says one more.
        for version in 1...11 {
            try "features:\n  - key: a\n    fields: [{key: x, code_version: \(version)}]\n".write(toFile: graph, atomically: true, encoding: .utf8)
            try ws.run(["store", "push", ws.store, "--graph", graph])
        }
        let none = try Binary.run(["graph", "versions", ws.store + "@ffff"])
        #expect(none.status == 1)
        #expect(none.stderr.components(separatedBy: "\n").filter { $0.hasPrefix("  ") }.count == 11)
        let shown = ws.store.replacingOccurrences(of: ":metaxy-secret@", with: ":***@")
        #expect(none.stderr.contains("\n  and 1 more (`metaxy-tui store snapshots \(shown)` lists them all)\n"), "\(none.stderr)")
    }

    @Test(arguments: StoreBackendKind.allCases) func featureKeysAreQuotedAndCaseCollisionsRefused(_ backend: StoreBackendKind) throws {
        let ws = try workspace(backend)
        let graph = ws.dir.appendingPathComponent("odd.yaml").path
        try "features:\n  - key: 'x\"; drop table y; --'\n    fields: [a]\n".write(toFile: graph, atomically: true, encoding: .utf8)
        try ws.run(["store", "push", ws.store, "--graph", graph])
        try ws.run(["store", "write", ws.store, "x\"; drop table y; --", "--graph", graph,
                    "--input", ws.file("r.jsonl", [["sample_uid": "s1", "data_version": ["a": "1"]]])])
        let samples = try ws.samples("x\"; drop table y; --")
        #expect(samples.first?["sample_uid"] as? String == "s1")
        let clash = ws.dir.appendingPathComponent("clash.yaml").path
        try "features:\n  - key: Video\n  - key: video\n".write(toFile: clash, atomically: true, encoding: .utf8)
        let refused = try Binary.run(["store", "push", ws.store, "--graph", clash])
        // SQLite ignores case in table names; PostgreSQL's quoted names keep it, so both are stored.
        #expect(refused.status == (backend == .sqlite ? 1 : 0), "\(refused.stderr)")
        #expect(refused.stderr.contains("would share one table") == (backend == .sqlite))
    }
}

@Suite struct ExplainCommandTests {
    @Test(arguments: StoreBackendKind.allCases) func explainNamesTheFieldAndTheUpstreamValueThatChanged(_ backend: StoreBackendKind) throws {
        let dir = try Fixtures.temporaryDirectory()
        let store = try backend.newStore(in: dir), graph = Fixtures.vectors.appendingPathComponent("graphs/video.json").path
        func write(_ feature: String, _ text: String) throws {
            let file = dir.appendingPathComponent(UUID().uuidString + ".jsonl").path
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            let result = try Binary.run(["store", "write", store, feature, "--graph", graph, "--input", file])
            #expect(result.status == 0, "\(result.stderr)")
        }
        try write("example/video", "{\"sample_uid\": 1, \"data_version\": {\"audio\": \"a1\", \"frames\": \"f1\"}}\n")
        try write("example/crop", "{\"sample_uid\": 1}\n")
        try write("example/video", "{\"sample_uid\": 1, \"data_version\": {\"audio\": \"a2\", \"frames\": \"f1\"}}\n")
        let result = try Binary.run(["store", "explain", store, "example/crop", "1", "--graph", graph])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("example/crop sample 1: stale (audio changed)"))
        // reference §5.3 example: audio|1|example/video/audio|a1 hashes to 1084510031676637952.
        #expect(result.stdout.contains("stored    1084510031676637952"))
        #expect(result.stdout.contains("recipe    audio|1|example/video/audio|a2"))
        #expect(result.stdout.contains("  frames  (code_version 1)"))
        let unknown = try Binary.run(["store", "explain", store, "example/crop", "42", "--graph", graph])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("sample 42 is not stored for example/crop"))
    }
}

@Suite struct StoreProtectionTests {
    func storeWithRows() throws -> (dir: URL, store: String, graph: String) {
        let dir = try Fixtures.temporaryDirectory()
        let store = dir.appendingPathComponent("s.db").path, graph = Fixtures.vectors.appendingPathComponent("graphs/video.json").path
        let file = dir.appendingPathComponent("v.jsonl").path
        try (1...20).map { "{\"sample_uid\": \($0), \"data_version\": {\"audio\": \"a\($0)\", \"frames\": \"f\($0)\"}}" }
            .joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try Binary.run(["store", "write", store, "example/video", "--graph", graph, "--input", file])
        #expect(result.status == 0, "\(result.stderr)")
        return (dir, store, graph)
    }

    func storedRows(_ store: String, _ graph: String) throws -> Int? {
        let out = try Binary.run(["store", "status", store, "--graph", graph, "--feature", "example/video", "--format", "json"]).stdout
        let json = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]
        return ((json?["features"] as? [String: Any])?["example/video"] as? [String: Any])?["stored_rows"] as? Int
    }

    @Test func aReadOnlyStoreIsNotWritten() throws {
        let (dir, store, graph) = try storeWithRows()
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: store)
        let file = dir.appendingPathComponent("more.jsonl").path
        try "{\"sample_uid\": 99, \"data_version\": {\"audio\": \"a\", \"frames\": \"f\"}}\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try Binary.run(["store", "write", store, "example/video", "--graph", graph, "--input", file])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is read-only; make it writable"))
        #expect(try storedRows(store, graph) == 20)
    }

    @Test func aLockedStoreIsReportedAfterTheTimeout() throws {
        let (dir, store, graph) = try storeWithRows()
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN EXCLUSIVE')
            print('locked', flush=True); time.sleep(8)
            """, store]
        let ready = Pipe()
        holder.standardOutput = ready
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        _ = ready.fileHandleForReading.availableData  // wait until the lock is held
        let file = dir.appendingPathComponent("more.jsonl").path
        try "{\"sample_uid\": 99, \"data_version\": {\"audio\": \"a\", \"frames\": \"f\"}}\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = try Binary.run(["store", "write", store, "example/video", "--graph", graph, "--input", file])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is locked by another program"), "\(result.stderr)")
    }
}

/// `kill -9` in the middle of a 1,000,000-row write leaves a store that opens with its previous content.
@Suite struct StoreCrashTests {
    @Test func killedWriteLeavesThePreviousContent() throws {
        let dir = try Fixtures.temporaryDirectory()
        let store = dir.appendingPathComponent("s.db").path, graph = Fixtures.vectors.appendingPathComponent("graphs/video.json").path
        let small = dir.appendingPathComponent("small.jsonl").path
        try (1...20).map { "{\"sample_uid\": \($0), \"data_version\": {\"audio\": \"a\($0)\", \"frames\": \"f\($0)\"}}" }
            .joined(separator: "\n").write(toFile: small, atomically: true, encoding: .utf8)
        #expect(try Binary.run(["store", "write", store, "example/video", "--graph", graph, "--input", small]).status == 0)

        let big = dir.appendingPathComponent("big.jsonl")
        var text = ""
        text.reserveCapacity(80_000_000)
        for i in 100..<1_000_100 { text += "{\"sample_uid\": \(i), \"data_version\": {\"audio\": \"a\(i)\", \"frames\": \"f\(i)\"}}\n" }
        try text.write(to: big, atomically: false, encoding: .utf8)

        let writer = Process()
        writer.executableURL = Binary.url
        writer.arguments = ["store", "write", store, "example/video", "--graph", graph, "--input", big.path]
        writer.standardError = FileHandle.nullDevice
        try writer.run()
        // Wait until rows are being inserted (the write-ahead log grows), then kill without warning.
        let wal = store + "-wal"
        let deadline = Date().addingTimeInterval(300)
        func walSize() -> Int { ((try? FileManager.default.attributesOfItem(atPath: wal))?[.size] as? Int) ?? 0 }
        while walSize() < 4_000_000 && writer.isRunning && Date() < deadline { usleep(20_000) }
        #expect(writer.isRunning, "the write finished before it could be interrupted")
        kill(writer.processIdentifier, SIGKILL)
        writer.waitUntilExit()
        #expect(writer.terminationReason == .uncaughtSignal)

        let status = try Binary.run(["store", "status", store, "--graph", graph, "--feature", "example/video", "--format", "json"])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("\"stored_rows\": 20"), "\(status.stdout)")
        let samples = try Binary.run(["store", "samples", store, "example/video", "--format", "json"])
        #expect(samples.stdout.components(separatedBy: "\"sample_uid\"").count - 1 == 20)
    }
}

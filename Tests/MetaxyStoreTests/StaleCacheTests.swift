import Foundation
import MetaxyCore
@testable import MetaxyStore
import TestSupport
import Testing

/// The stale-set cache is never a source of a wrong answer (issue "Stale sets at the speed of the
/// disk", item 4): random sequences of what happens to stores (appends and replaces written here,
/// writes and drops by Python metaxy, DELETE, UPDATE, INSERT, DROP and VACUUM in the sqlite3 shell,
/// another file at the path, a changed graph, time passing) each followed by a status through the
/// cache, compared with a cold one.
@Suite(.serialized) struct StaleCacheTests {
    static let graphs = [try! GraphLoader.load(path: Fixtures.vectors.appendingPathComponent("graphs/video.json").path),
                         try! GraphLoader.load(path: Fixtures.vectors.appendingPathComponent("graphs/video_audio_v2.json").path)]
    static let fields = ["example/video": ["audio", "frames"], "example/crop": ["audio", "frames"],
                         "example/face_detection": ["faces"], "example/stt": ["transcription"]]
    static let keys = fields.keys.sorted()

    /// A status as text: every count and every sample of every set.
    static func summary(_ statuses: [FeatureStatus]) -> [String] {
        statuses.map { "\($0.key) \($0.featureVersion.prefix(8)) root=\($0.root) \($0.storedRows)/\($0.currentRows) +\($0.added) ~\($0.changed) -\($0.removed)" }
    }

    /// Deterministic randomness, so that a failing sequence can be replayed from its seed.
    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// metaxy 0.0.0 writing to the store, one long-lived process (its imports take seconds).
    final class Python {
        let process = Process()
        let input = Pipe(), output = Pipe()

        init?(store: String) {
            guard (try? Binary.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import metaxy, polars"]))?.status == 0 else { return nil }
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", Fixtures.repository.appendingPathComponent("Scripts/oracle/store_ops.py").path, store]
            process.environment = ProcessInfo.processInfo.environment.merging(
                ["PYTHONPATH": Fixtures.vectors.appendingPathComponent("projects/video").path]) { _, new in new }
            process.standardInput = input
            process.standardOutput = output
            guard (try? process.run()) != nil else { return nil }
        }

        func send(_ op: [String: Any]) throws {
            input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: op) + Data("\n".utf8))
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let chunk = output.fileHandleForReading.availableData
                guard !chunk.isEmpty else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "store_ops.py ended"]) }
                line += chunk
            }
            #expect(String(decoding: line, as: UTF8.self).hasPrefix("ok"))
        }

        deinit {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
        }
    }

    /// A statement in the sqlite3 shell; one on a table not there (yet) fails and changes nothing.
    static func sqlite(_ path: String, _ sql: String) throws {
        _ = try Binary.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [path, sql])
    }

    static func rows(_ uids: [SampleUID], _ feature: String, version: Int, withDataVersion: Bool) -> [[String: Any]] {
        uids.map { uid in
            var row: [String: Any] = ["sample_uid": uid.jsonObject]
            if withDataVersion {
                row["data_version"] = Dictionary(uniqueKeysWithValues: fields[feature]!.map { ($0, "\($0[$0.startIndex])\(uid)v\(version)") })
            }
            return row
        }
    }

    /// How often each path was taken, over every sequence: the cache must be used, not only checked.
    nonisolated(unsafe) static var outcomes: [MetaxyStore.CacheOutcome: Int] = [:]
    /// Statuses that read the cache from its base and at least one delta record.
    nonisolated(unsafe) static var withDeltas = 0

    /// One random sequence; Python metaxy takes part when `python` is given.
    static func sequence(seed: UInt64, python usePython: Bool) throws {
        var random = Random(state: seed)
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.db").path, other = dir.appendingPathComponent("other.db").path
        let cache = StaleCacheLocation(directory: dir.appendingPathComponent("cache").path)
        let samples = Int.random(in: 0..<3, using: &random) == 0 ? 40 : 600
        let strings = Int.random(in: 0..<4, using: &random) == 0
        func uid(_ n: Int) -> SampleUID { strings && n % 3 == 0 ? .string("s\(n)") : .int(Int64(n)) }
        var graph = graphs[0]
        do {
            let store = try MetaxyStore(path: path, readOnly: false, create: true)
            try store.push(graph)
            try store.write(feature: FeatureKey(string: "example/video"), graph: graph,
                            jsonl: jsonl(rows((0..<samples).map(uid), "example/video", version: 0, withDataVersion: true)), source: "roots")
        }
        let python = usePython ? Python(store: path) : nil
        var log: [String] = []
        for step in 0..<8 {
            let feature = keys.randomElement(using: &random)!, table = FeatureKey(string: feature).tableName
            let some = (0..<samples).filter { _ in Int.random(in: 0..<4, using: &random) == 0 }.map(uid)
            let version = step + 1
            switch Int.random(in: 0..<(python == nil ? 12 : 15), using: &random) {
            case 0...3:
                let store = try? MetaxyStore(path: path, readOnly: false)
                let explicit = feature == "example/video" || Bool.random(using: &random)
                log.append("append \(some.count) to \(feature)\(explicit ? "" : " (data versions computed)")")
                _ = try? store?.write(feature: FeatureKey(string: feature), graph: graph,
                                     jsonl: jsonl(rows(some, feature, version: version, withDataVersion: explicit)), source: "op")
            case 4:
                log.append("replace \(feature) with \(some.count)")
                _ = try? MetaxyStore(path: path, readOnly: false).write(feature: FeatureKey(string: feature), graph: graph,
                    jsonl: jsonl(rows(some, feature, version: version, withDataVersion: true)), source: "op", replace: true)
            case 5:
                let rowid = Int.random(in: 1...samples, using: &random)
                log.append("sqlite3: DELETE rowid \(rowid)... of \(feature)")
                try? sqlite(path, "DELETE FROM \"\(table)\" WHERE rowid % \(Int.random(in: 2...50, using: &random)) = \(rowid % 2)")
            case 6:
                let rowid = Int.random(in: 1...samples, using: &random)
                log.append("sqlite3: UPDATE data_version of rowid \(rowid) of \(feature)")
                // Same length, as a changed digest would be.
                try? sqlite(path, "UPDATE \"\(table)\" SET data_version = replace(data_version, 'v', 'h') WHERE rowid = \(rowid)")
            case 7:
                log.append("sqlite3: UPDATE feature_version or sample_uid of \(feature)")
                try? sqlite(path, Bool.random(using: &random) ? "UPDATE \"\(table)\" SET feature_version = 'old' WHERE rowid = (SELECT max(rowid) FROM \"\(table)\")"
                    : "UPDATE \"\(table)\" SET sample_uid = sample_uid + 1 WHERE rowid = \(Int.random(in: 1...samples, using: &random))")
            case 8:
                log.append("sqlite3: INSERT at rowid 1, DROP TABLE or VACUUM on \(feature)")
                switch Int.random(in: 0..<3, using: &random) {
                case 0: try? sqlite(path, "DELETE FROM \"\(table)\" WHERE rowid = 1; INSERT INTO \"\(table)\" (rowid, sample_uid, data_version, feature_version) "
                    + "SELECT 1, sample_uid, data_version, feature_version FROM \"\(table)\" ORDER BY rowid DESC LIMIT 1")
                case 1: try? sqlite(path, "DROP TABLE \"\(table)\"")
                default: try? sqlite(path, "VACUUM")
                }
            case 9:
                log.append("another file at the path")
                try? FileManager.default.removeItem(atPath: other)
                let replacement = try MetaxyStore(path: other, readOnly: false, create: true)
                try replacement.write(feature: FeatureKey(string: "example/video"), graph: graph,
                                      jsonl: jsonl(rows(some, "example/video", version: version, withDataVersion: true)), source: "other")
                if Bool.random(using: &random) {
                    try? FileManager.default.removeItem(atPath: path)
                    try FileManager.default.moveItem(atPath: other, toPath: path)
                } else {
                    try Data(contentsOf: URL(fileURLWithPath: other)).write(to: URL(fileURLWithPath: path))
                }
            case 10:
                log.append("the graph changes")
                graph = graph === graphs[0] ? graphs[1] : graphs[0]
            case 11:
                log.append("time passes")
                usleep(120_000)
            case 12, 13:
                log.append("python: write \(some.count) to \(feature)")
                try python?.send(["op": "write", "feature": feature, "rows": rows(some.filter { if case .int = $0 { true } else { false } }, feature,
                                                                              version: version, withDataVersion: true)])
            default:
                log.append("python: drop \(feature)")
                try python?.send(["op": "drop", "feature": feature])
            }
            for again in 0..<(Int.random(in: 0..<3, using: &random) == 0 ? 2 : 1) {
                let cached = Result { () throws -> [String] in
                    let store = try MetaxyStore(path: path)
                    defer {
                        for outcome in store.cacheOutcomes.values { outcomes[outcome, default: 0] += 1 }
                        if store.cacheDeltasApplied > 0 { withDeltas += 1 }
                    }
                    return summary(try store.status(graph: graph, algorithm: .xxhash64, cache: cache))
                }
                let cold = Result { summary(try MetaxyStore(path: path).status(graph: graph, algorithm: .xxhash64)) }
                switch (cached, cold) {
                case let (.success(a), .success(b)):
                    #expect(a == b, "seed \(seed), after \(log.joined(separator: "; "))\(again > 0 ? " (asked again)" : "")")
                    if a != b { return }
                case let (.failure(a), .failure(b)):
                    #expect("\(a)" == "\(b)", "seed \(seed)")
                default:
                    Issue.record("seed \(seed), after \(log.joined(separator: "; ")): cached \(cached), cold \(cold)")
                    return
                }
            }
        }
    }

    static func jsonl(_ rows: [[String: Any]]) -> [UInt8] {
        Array(rows.map { String(decoding: try! JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
            .joined(separator: "\n").utf8)
    }

    @Test func randomOperationsGiveTheColdAnswer() throws {
        Self.outcomes = [:]
        Self.withDeltas = 0
        for seed in 0..<200 { try Self.sequence(seed: UInt64(seed), python: false) }
        // The cache is read from its base and the deltas appended since, not only from a base.
        #expect(Self.withDeltas > 100, "\(Self.withDeltas) statuses read delta records")
        // Each sequence starts cold; then appends go incremental, untouched features stay as they
        // were, time passing lets the files' stamps prove nothing changed.
        let total = Self.outcomes.values.reduce(0, +)
        #expect(Self.outcomes[.incremental, default: 0] * 3 > total, "\(Self.outcomes)")
        #expect(Self.outcomes[.unchanged, default: 0] > 20, "\(Self.outcomes)")
        #expect(Self.outcomes[.cold, default: 0] * 5 > total, "\(Self.outcomes)")
    }

    /// The cache is a base file and delta records appended after it. Two statuses that read the
    /// same state each append a record: only the first is applied, the second names a state the
    /// cache is no longer in. A record cut short or followed by garbage is where reading stops.
    @Test func deltasOfOneStateOrDamagedAreNeverWrong() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.db").path, graph = Self.graphs[0]
        let cache = StaleCacheLocation(directory: dir.appendingPathComponent("cache").path), files = cache.files(for: path)
        let video = FeatureKey(string: "example/video"), uids = (0..<600).map { SampleUID.int(Int64($0)) }
        func append(_ range: Range<Int>, version: Int) throws {
            try MetaxyStore(path: path, readOnly: false, create: true).write(feature: video, graph: graph,
                jsonl: Self.jsonl(Self.rows(Array(uids[range]), "example/video", version: version, withDataVersion: true)), source: "op")
        }
        func check(_ why: String) throws -> Int {
            let store = try MetaxyStore(path: path)
            let cached = Self.summary(try store.status(graph: graph, algorithm: .xxhash64, cache: cache))
            #expect(cached == Self.summary(try MetaxyStore(path: path).status(graph: graph, algorithm: .xxhash64)), "\(why)")
            return store.cacheDeltasApplied
        }
        try append(0..<600, version: 0)
        try MetaxyStore(path: path, readOnly: false).write(feature: FeatureKey(string: "example/crop"), graph: graph,
            jsonl: Self.jsonl(Self.rows(uids, "example/crop", version: 0, withDataVersion: false)), source: "crop")
        _ = try check("cold, the base written")
        let saved = dir.appendingPathComponent("saved")
        try FileManager.default.copyItem(atPath: cache.directory, toPath: saved.path)
        try append(0..<20, version: 1)
        _ = try check("first delta")
        let first = try Data(contentsOf: URL(fileURLWithPath: files + ".delta"))
        #expect(!first.isEmpty)
        // Another status from the state before the first delta, as a second process would be.
        try FileManager.default.removeItem(atPath: cache.directory)
        try FileManager.default.moveItem(atPath: saved.path, toPath: cache.directory)
        try append(20..<40, version: 2)
        _ = try check("a status from the state before the first delta")
        let second = try Data(contentsOf: URL(fileURLWithPath: files + ".delta"))
        try (first + second).write(to: URL(fileURLWithPath: files + ".delta"))
        try append(40..<60, version: 3)
        #expect(try check("both records, the second of the state the first left") == 1)
        // Cut short, then garbage after it.
        let whole = try Data(contentsOf: URL(fileURLWithPath: files + ".delta"))
        try whole.prefix(whole.count - 7).write(to: URL(fileURLWithPath: files + ".delta"))
        try append(60..<80, version: 4)
        _ = try check("the last record cut short")
        try (whole + Data((0..<500).map { UInt8(truncatingIfNeeded: $0 &* 31) })).write(to: URL(fileURLWithPath: files + ".delta"))
        try append(80..<100, version: 5)
        _ = try check("garbage after the records")
    }

    /// metaxy rewrites a feature (drop_feature_metadata, then write_metadata with as many rows, in
    /// a new table at the same place): the status after it sees the new rows, not the cached ones.
    @Test func aRewriteByPythonMetaxyIsSeen() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.db").path
        let cache = StaleCacheLocation(directory: dir.appendingPathComponent("cache").path)
        let graph = Self.graphs[0], uids = (0..<50).map { SampleUID.int(Int64($0)) }
        do {
            let store = try MetaxyStore(path: path, readOnly: false, create: true)
            try store.write(feature: FeatureKey(string: "example/video"), graph: graph,
                            jsonl: Self.jsonl(Self.rows(uids, "example/video", version: 1, withDataVersion: true)), source: "roots")
            try store.write(feature: FeatureKey(string: "example/crop"), graph: graph, jsonl: Self.jsonl(Self.rows(uids, "example/crop", version: 1,
                                                                                                       withDataVersion: false)), source: "crop")
        }
        let crop = FeatureKey(string: "example/crop")
        func status() throws -> FeatureStatus {
            try #require(try MetaxyStore(path: path).status(graph: graph, feature: crop, algorithm: .xxhash64, cache: cache).first)
        }
        #expect(try status().isFresh)
        guard let python = Python(store: path) else {
            Issue.record("python3 with metaxy 0.0.0 and polars is needed (Scripts/test.sh installs them)")
            return
        }
        try python.send(["op": "drop", "feature": "example/crop"])
        try python.send(["op": "write", "feature": "example/crop", "rows": Self.rows(uids, "example/crop", version: 2, withDataVersion: true)])
        let after = try status()
        #expect(after.changed == uids, "every crop row was rewritten with other data versions")
        #expect(after.storedRows == 50 && after.currentRows == 50)
        #expect(Self.summary([after]) == Self.summary(try MetaxyStore(path: path).status(graph: graph, feature: crop, algorithm: .xxhash64)))
    }

    /// Python metaxy's own writes and drops, in a few longer-lived sequences (each starts Python once).
    @Test(arguments: 1000..<1006)
    func withPythonMetaxy(seed: Int) throws {
        try Self.sequence(seed: UInt64(seed), python: true)
    }
}

extension SampleUID {
    var jsonObject: Any {
        switch self {
        case let .int(n): Int(n)
        case let .string(s): s
        }
    }
}

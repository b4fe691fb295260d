import Foundation
import Testing
import TestSupport

/// What only a server store has: its system tables as metaxy makes them there, copies between
/// backends, many clients at once, and the faults of a network database, through the CLI.
@Suite struct PostgresStoreTests {
    let graph = Fixtures.vectors.appendingPathComponent("graphs/video.json").path

    func rows(_ dir: URL, _ name: String, _ uids: some Sequence<Int>) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try uids.map { "{\"sample_uid\": \($0), \"data_version\": {\"audio\": \"a\($0)\", \"frames\": \"f\($0)\"}}\n" }.joined()
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @discardableResult
    func ok(_ arguments: [String]) throws -> Binary.Result {
        let result = try Binary.run(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result
    }

    func json(_ text: String) throws -> NSObject {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as! NSObject
    }

    @Test func systemTablesHaveTheColumnTypesMetaxyGivesThem() throws {
        let store = try TestPostgres.store()
        try ok(["store", "push", store, "--graph", graph])
        let vector = try Fixtures.json(Fixtures.vectors.appendingPathComponent("stores/metaxy0-video.pg.json")) as! [String: Any]
        let want = (vector["columns"] as! [[String: Any]]).map { c in
            ["\(c["table"]!)", "\(c["column"]!)", "\(c["position"]!)", "\(c["data_type"]!)", "\(c["udt_name"]!)",
             c["datetime_precision"] is NSNull ? "" : "\(c["datetime_precision"]!)", "\(c["is_nullable"]!)"].joined(separator: "|")
        }
        let got = try TestPostgres.psql("""
            SELECT table_name, column_name, ordinal_position, data_type, udt_name, datetime_precision, is_nullable
            FROM information_schema.columns WHERE table_schema = '\(TestPostgres.schema(of: store))' AND table_name LIKE 'metaxy-system%'
            ORDER BY table_name, ordinal_position
            """).split(separator: "\n").map(String.init)
        #expect(got == want)
    }

    @Test func copyingSQLiteToPostgreSQLAndBackGivesTheSameRowsAndStaleSets() throws {
        let dir = try Fixtures.temporaryDirectory()
        let first = dir.appendingPathComponent("first.db").path, back = dir.appendingPathComponent("back.db").path
        let server = try TestPostgres.store()
        try ok(["store", "push", first, "--graph", graph])
        try ok(["store", "write", first, "example/video", "--graph", graph, "--input", rows(dir, "v.jsonl", 1...300)])
        let crop = dir.appendingPathComponent("c.jsonl").path
        try (1...250).map { "{\"sample_uid\": \($0), \"note\": \"tab\\there \($0)\", \"score\": \(Double($0) / 4)}\n" }.joined()
            .write(toFile: crop, atomically: true, encoding: .utf8)
        try ok(["store", "write", first, "example/crop", "--graph", graph, "--input", crop])
        try ok(["store", "write", first, "example/video", "--graph", graph, "--input", rows(dir, "v2.jsonl", [5, 7, 400])])
        try ok(["store", "copy", first, server])
        try ok(["store", "copy", server, back])
        func answers(_ store: String) throws -> [NSObject] {
            try [json(ok(["store", "status", store, "--graph", graph, "--ids", "--format", "json"]).stdout),
                 json(ok(["store", "samples", store, "example/video", "--format", "json"]).stdout),
                 json(ok(["store", "samples", store, "example/crop", "--format", "json"]).stdout),
                 json(ok(["store", "snapshots", store, "--format", "json"]).stdout)]
        }
        let original = try answers(first)
        #expect(try answers(server) == original)
        #expect(try answers(back) == original)
        // Copying again is refused before anything is written.
        let again = try Binary.run(["store", "copy", first, server])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already has rows for feature 'example/crop'"), "\(again.stderr)")
        #expect(try answers(server) == original)
    }

    @Test func twoWritersToOneFeatureBothLandInTurnAndTwoPushesRecordOnce() throws {
        let dir = try Fixtures.temporaryDirectory()
        let store = try TestPostgres.store()
        try ok(["store", "push", store, "--graph", graph])
        let files = try [rows(dir, "a.jsonl", 1...30_000), rows(dir, "b.jsonl", 100_001...130_000)]
        let writers = files.map { file in
            let p = Process()
            p.executableURL = Binary.url
            p.arguments = ["store", "write", store, "example/video", "--graph", graph, "--input", file]
            p.standardError = FileHandle.nullDevice
            return p
        }
        let pushers = (0..<2).map { _ in
            let p = Process()
            p.executableURL = Binary.url
            p.arguments = ["store", "push", store, "--graph", Fixtures.vectors.appendingPathComponent("graphs/video_audio_v2.json").path]
            p.standardOutput = FileHandle.nullDevice
            return p
        }
        for p in writers + pushers { try p.run() }
        for p in writers + pushers { p.waitUntilExit() }
        #expect((writers + pushers).map(\.terminationStatus) == [0, 0, 0, 0])
        let table = "\"\(TestPostgres.schema(of: store))\".\"example__video\""
        #expect(try TestPostgres.psql("SELECT count(*), count(DISTINCT sample_uid) FROM \(table)") == "60000|60000")
        // In turn: each writer's rows are one run in write order.
        let runs = try TestPostgres.psql("""
            SELECT count(*) FROM (SELECT sample_uid > 100000 AS b, lag(sample_uid > 100000) OVER (ORDER BY "metaxy-tui:order") AS p
            FROM \(table)) AS t WHERE p IS DISTINCT FROM b
            """)
        #expect(runs == "2")
        let snapshots = try json(ok(["store", "snapshots", store, "--format", "json"]).stdout) as! [[String: Any]]
        #expect(snapshots.count == 2)
        let system = "\"\(TestPostgres.schema(of: store))\".\"metaxy-system__feature_versions\""
        #expect(try TestPostgres.psql("SELECT count(*) FROM \(system)") == "8")
    }

    @Test func aKilledWriteLeavesThePreviousContent() throws {
        let dir = try Fixtures.temporaryDirectory()
        let store = try TestPostgres.store()
        try ok(["store", "write", store, "example/video", "--graph", graph, "--input", rows(dir, "small.jsonl", 1...20)])
        let big = try rows(dir, "big.jsonl", 100..<1_500_100)
        let writer = Process()
        writer.executableURL = Binary.url
        writer.arguments = ["store", "write", store, "example/video", "--graph", graph, "--input", big]
        writer.standardError = FileHandle.nullDevice
        try writer.run()
        // Kill once the COPY has sent rows (the table grows before the transaction commits).
        let table = "'\"\(TestPostgres.schema(of: store))\".\"example__video\"'"
        let deadline = Date().addingTimeInterval(120)
        while writer.isRunning && Date() < deadline,
              Int(try TestPostgres.psql("SELECT pg_relation_size(\(table))")) ?? 0 < 8_000_000 { usleep(50_000) }
        #expect(writer.isRunning, "the write finished before it could be interrupted")
        kill(writer.processIdentifier, SIGKILL)
        writer.waitUntilExit()
        let status = try ok(["store", "status", store, "--graph", graph, "--feature", "example/video", "--format", "json"])
        #expect(status.stdout.contains("\"stored_rows\": 20"), "\(status.stdout)")
    }

    @Test func faultsAreSaidPlainlyAndNeverShowThePassword() throws {
        let base = try TestPostgres.base()
        let port = ProcessInfo.processInfo.environment["METAXY_TUI_TEST_PG_PORT"] ?? "5432"
        func failure(_ url: String, _ arguments: [String] = []) throws -> String {
            let started = Date()
            let result = try Binary.run(["store", "snapshots", url] + arguments)
            #expect(result.status == 1, "\(url)")
            #expect(Date().timeIntervalSince(started) < 6, "\(url)")
            #expect(!(result.stdout + result.stderr).contains("secret"), "\(result.stderr)")
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Backtrac"), "\(result.stderr)")
            return result.stderr
        }
        #expect(try failure("postgresql://metaxy:metaxy-secret@127.0.0.1:1/metaxy").contains("connection refused"))
        #expect(try failure(base.replacingOccurrences(of: "metaxy-secret", with: "wrong-secret")).contains("refused the password of role 'metaxy'"))
        #expect(try failure(base.replacingOccurrences(of: ":\(port)/metaxy", with: ":\(port)/nodb")).contains("database 'nodb' does not exist"))
        #expect(try failure(base + "?sslmode=require").contains("does not accept TLS"))
        #expect(try failure("postgresql://metaxy@127.0.0.1:\(port)/metaxy").contains("asks role 'metaxy' for a password and none was given"))
        #expect(try failure(base + "?schema=nothing_here").contains("has no metaxy store in schema 'nothing_here'"))
        // A server that accepts and then says nothing is given up on after connect_timeout.
        let silent = try Socket.listening()
        #expect(try failure("postgresql://metaxy:metaxy-secret@127.0.0.1:\(silent.port)/metaxy?connect_timeout=2").contains("did not answer within 2 s"))
        // A role without write rights.
        let store = try TestPostgres.store()
        try ok(["store", "push", store, "--graph", graph])
        let schema = TestPostgres.schema(of: store)
        _ = try TestPostgres.psql("GRANT USAGE ON SCHEMA \(schema) TO reader; GRANT SELECT ON ALL TABLES IN SCHEMA \(schema) TO reader")
        let reader = store.replacingOccurrences(of: "metaxy:metaxy-secret", with: "reader:reader-secret")
        try ok(["store", "snapshots", reader])
        let dir = try Fixtures.temporaryDirectory()
        let refused = try Binary.run(["store", "write", reader, "example/video", "--graph", graph, "--input", rows(dir, "r.jsonl", 1...3)])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("role 'reader' may not do this here"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("reader-secret"))
        // A statement cancelled by the role's statement_timeout (1 ms) on 50,000 rows.
        try ok(["store", "write", store, "example/video", "--graph", graph, "--input", rows(dir, "many.jsonl", 1...50_000)])
        _ = try TestPostgres.psql("GRANT SELECT ON ALL TABLES IN SCHEMA \(schema) TO reader")
        let hasty = try Binary.run(["store", "status", store.replacingOccurrences(of: "metaxy:metaxy-secret", with: "hasty:hasty-secret"),
                                    "--graph", graph])
        #expect(hasty.status == 1)
        #expect(hasty.stderr.contains("ran past the server's statement_timeout"), "\(hasty.stderr)")
    }

    @Test(arguments: [false, true]) func thePasswordIsHiddenFromTheProcessTitle(_ asOption: Bool) throws {
        let silent = try Socket.listening()
        let url = "postgresql://metaxy:very-secret-pw@127.0.0.1:\(silent.port)/metaxy?connect_timeout=3"
        let process = Process()
        process.executableURL = Binary.url
        process.arguments = asOption ? ["migrations", "status", "--store=" + url, "--migrations-dir", NSTemporaryDirectory()]
            : ["store", "snapshots", url]
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { process.waitUntilExit() }
        usleep(1_000_000)
        let title = try String(contentsOfFile: "/proc/\(process.processIdentifier)/cmdline", encoding: .utf8)
        #expect(title.contains("postgresql://metaxy:**************@127.0.0.1"), "\(title)")
        #expect(!title.contains("very-secret-pw"))
    }
}

/// A loopback port that accepts connections and never answers.
struct Socket {
    let port: Int
    private let fd: Int32

    static func listening() throws -> Socket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) } }
        listen(fd, 8)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &size) } }
        return Socket(port: Int(UInt16(bigEndian: address.sin_port)), fd: fd)
    }
}

/// Four writer processes and four readers (three `store status`, one headless Store screen) on
/// one server for a minute (METAXY_TUI_LOAD_SECONDS): nothing fails, no row is lost or written
/// twice, and every status is one committed moment (crop's added samples are exactly video's
/// current ones, read in the same transaction).
@Suite struct PostgresLoadTests {
    @Test func fourWritersAndFourReadersForAMinute() throws {
        let seconds = Double(ProcessInfo.processInfo.environment["METAXY_TUI_LOAD_SECONDS"] ?? "60") ?? 60
        let dir = try Fixtures.temporaryDirectory()
        let store = try TestPostgres.store()
        let graph = Fixtures.vectors.appendingPathComponent("graphs/video.json").path
        #expect(try Binary.run(["store", "push", store, "--graph", graph]).status == 0)
        let batch = 500
        let deadline = Date().addingTimeInterval(seconds)
        let results = Locked<[String: [Int32]]>([:])
        let problems = Locked<[String]>([])
        let written = Locked(0)
        // A thread each (concurrentPerform would run only as many at once as there are cores).
        let done = DispatchGroup()
        for worker in 0..<8 {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                var round = 0
                while Date() < deadline {
                    round += 1
                    do {
                        let result: Binary.Result
                        if worker < 4 {
                            let first = worker * 100_000_000 + round * batch
                            let file = dir.appendingPathComponent("w\(worker)-\(round).jsonl").path
                            try (first..<(first + batch)).map { "{\"sample_uid\": \($0), \"data_version\": {\"audio\": \"a\($0)\", \"frames\": \"f\($0)\"}}\n" }
                                .joined().write(toFile: file, atomically: true, encoding: .utf8)
                            result = try Binary.run(["store", "write", store, "example/video", "--graph", graph, "--input", file])
                            if result.status == 0 { written.update { $0 += batch } }
                        } else if worker < 7 {
                            result = try Binary.run(["store", "status", store, "--graph", graph, "--format", "json"])
                            if result.status == 0 {
                                let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
                                let features = json?["features"] as? [String: [String: Any]] ?? [:]
                                let current = features["example/video"]?["current_rows"] as? Int ?? -1
                                let added = features["example/crop"]?["added"] as? Int ?? -2
                                if current != added || current % batch != 0 {
                                    problems.update { $0.append("status saw video \(current), crop added \(added)") }
                                }
                            }
                        } else {
                            let out = dir.appendingPathComponent("screen-\(round).txt").path
                            result = try Binary.run(["screenshot", store, "--screen", "store", "--size", "120x40", "--out", out])
                            if result.status == 0, !((try? String(contentsOfFile: out, encoding: .utf8)) ?? "").contains("stale samples") {
                                problems.update { $0.append("the Store screen shows no stale sets") }
                            }
                        }
                        if result.status != 0 { problems.update { $0.append("worker \(worker): \(result.stderr)") } }
                        results.update { $0[worker < 4 ? "write" : worker < 7 ? "status" : "screen", default: []].append(result.status) }
                    } catch {
                        problems.update { $0.append("worker \(worker): \(error)") }
                    }
                }
            }
        }
        done.wait()
        #expect(problems.value == [])
        let runs = results.value
        #expect(runs["write"]?.count ?? 0 >= 8 && runs["status"]?.count ?? 0 >= 6 && runs["screen"]?.count ?? 0 >= 2, "\(runs.mapValues(\.count))")
        let table = "\"\(TestPostgres.schema(of: store))\".\"example__video\""
        #expect(try TestPostgres.psql("SELECT count(*), count(DISTINCT sample_uid) FROM \(table)") == "\(written.value)|\(written.value)")
        print("load: \(runs.mapValues(\.count)) runs, \(written.value) rows written in \(Int(seconds)) s")
    }
}

/// A value shared by the load test's workers.
final class Locked<T>: @unchecked Sendable {
    private var stored: T
    private let lock = NSLock()
    init(_ value: T) { stored = value }
    var value: T { lock.withLock { stored } }
    func update(_ change: (inout T) -> Void) { lock.withLock { change(&stored) } }
}

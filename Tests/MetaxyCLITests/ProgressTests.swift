import Foundation
import MetaxyCore
import Testing
import TestSupport

/// Long commands draw a progress bar on a terminal, nothing elsewhere, and Ctrl-C leaves the
/// store as it was.
@Suite(.serialized) struct ProgressTests {
    /// A store with the video graph's snapshot and `count` root rows to write to it.
    func store(rows count: Int) throws -> (dir: URL, store: URL, rows: URL) {
        let dir = try Fixtures.temporaryDirectory()
        let store = dir.appendingPathComponent("s.db"), rows = dir.appendingPathComponent("rows.jsonl")
        let graph = Fixtures.vectors.appendingPathComponent("graphs/video.json").path
        #expect(try Binary.run(["store", "push", store.path, "--graph", graph]).status == 0)
        var text = ""
        text.reserveCapacity(count * 80)
        for i in 1...count { text += "{\"sample_uid\": \(i), \"data_version\": {\"audio\": \"a\(i)\", \"frames\": \"f\(i)\"}}\n" }
        try text.write(to: rows, atomically: false, encoding: .utf8)
        return (dir, store, rows)
    }

    @Test func ctrlCHalfwayThroughAMillionRowWriteLeavesTheStoreAsItWas() throws {
        let (dir, store, rows) = try store(rows: 1_000_000)
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = try Data(contentsOf: store)
        // Wide enough that the temporary paths do not wrap.
        let tmux = try Tmux(width: 250, height: 20)
        let graph = Fixtures.vectors.appendingPathComponent("graphs/video.json").path
        tmux.run("'\(Binary.url.path)' store write '\(store.path)' example/video --graph '\(graph)' --input '\(rows.path)'; echo EXIT=$?")
        // The bar: count, rate, time left. (Reading the input shows its time so far only when it
        // lasts past the bar's first half second, which on a fast run it does not: waiting for
        // that line first let the whole write go by in CI.)
        let bar = tmux.wait(timeout: 120) { $0.contains("writing example/video ▕") && $0.contains("rows/s") && $0.contains("left") }
        #expect(bar != nil, "\(tmux.capture())")
        let line = bar?.split(separator: "\n").last { $0.contains("writing example/video") }.map(String.init) ?? ""
        let done = line.split(separator: " ").first { $0.contains("/1,000,000") }.flatMap { Int($0.split(separator: "/")[0].replacingOccurrences(of: ",", with: "")) }
        #expect((done ?? -1) < 1_000_000, "stopped halfway, not at the end: \(line)")
        tmux.send("C-c")
        let end = tmux.wait(timeout: 30) { $0.contains("EXIT=1") }
        #expect(end?.contains("stopping: what was begun is rolled back") == true && end?.contains("interrupted: nothing was written to \(store.path)") == true, "\(tmux.capture())")
        #expect(end?.contains("EXIT=130") == true)
        #expect(try Data(contentsOf: store) == before, "the store's file is byte for byte as before")
        let samples = try Binary.run(["store", "samples", store.path, "example/video"])
        #expect(samples.status == 1 && samples.stderr.contains("has no rows for feature 'example/video'"), "\(samples.stderr)")
    }

    @Test func withoutATerminalOnlyTheMessagesAreWritten() throws {
        // Enough rows that the write outlasts the bar's first half second on a fast run too
        // (200,000 took 0.45 s once in CI).
        let (dir, store, rows) = try store(rows: 600_000)
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = Fixtures.vectors.appendingPathComponent("graphs/video.json").path
        let start = Date()
        let result = try Binary.run(["store", "write", store.path, "example/video", "--graph", graph, "--input", rows.path])
        #expect(Date().timeIntervalSince(start) > 0.5, "long enough that a terminal would have shown the bar")
        #expect(result.status == 0 && result.stderr == "wrote 600000 rows to example/video\n", "\(result.stderr)")
        let status = try Binary.run(["store", "status", store.path])
        #expect(status.status == 0 && !status.stderr.contains("\u{1B}"), "\(status.stderr)")
    }
}

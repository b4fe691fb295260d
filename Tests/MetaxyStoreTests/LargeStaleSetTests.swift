import Foundation
import MetaxyCore
import MetaxyStore
import Testing
import TestSupport

/// Stale sets and data versions of tens of thousands of samples are computed on every core, in
/// ranges of sample_uid; the result must not depend on where the ranges are cut.
@Suite struct LargeStaleSetTests {
    let video = FeatureKey(string: "example/video"), crop = FeatureKey(string: "example/crop")

    func roots(_ uids: some Sequence<Int>, edited: Set<Int> = []) -> [UInt8] {
        Array(uids.map { "{\"sample_uid\": \($0), \"data_version\": {\"audio\": \"a\($0)\(edited.contains($0) ? "-v2" : "")\", \"frames\": \"f\($0)\"}}\n" }.joined().utf8)
    }

    func ids(_ uids: some Sequence<Int>) -> [UInt8] { Array(uids.map { "{\"sample_uid\": \($0)}\n" }.joined().utf8) }

    @Test func theStaleSetIsExactAcrossTheRanges() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = try Workload.graph(), n = 30_000
        let store = try MetaxyStore(path: dir.appendingPathComponent("s.db").path, readOnly: false, create: true)
        try store.write(feature: video, graph: graph, jsonl: roots(0..<n), source: "roots")
        // Downstream rows in one batch (hashed on every core) equal rows written in small batches.
        try store.write(feature: crop, graph: graph, jsonl: ids(0..<n), source: "crop", algorithm: .xxhash64)
        let other = try MetaxyStore(path: dir.appendingPathComponent("t.db").path, readOnly: false, create: true)
        try other.write(feature: video, graph: graph, jsonl: roots(0..<n), source: "roots")
        for start in stride(from: 0, to: n, by: 1_000) {
            try other.write(feature: crop, graph: graph, jsonl: ids(start..<(start + 1_000)), source: "crop", algorithm: .xxhash64)
        }
        let all = try store.samples(feature: crop, limit: nil, offset: 0), expected = try other.samples(feature: crop, limit: nil, offset: 0)
        #expect(all.count == n && all.map { $0["data_version"] } == expected.map { $0["data_version"] })

        // Edits around the middle, where two cores split the samples, and at both ends.
        let edited: Set = [0, n / 2 - 1, n / 2, n / 2 + 1, n - 1]
        let gone = [1, n / 2 + 2, n - 2]
        try store.write(feature: video, graph: graph, jsonl: roots((0..<n).filter { !gone.contains($0) }, edited: edited),
                        source: "roots", replace: true)
        try store.write(feature: video, graph: graph, jsonl: roots(n..<(n + 3)), source: "new")
        let status = try #require(store.status(graph: graph, feature: crop).first)
        #expect(status.changed == edited.sorted().map { SampleUID.int(Int64($0)) })
        #expect(status.removed == gone.map { SampleUID.int(Int64($0)) })
        #expect(status.added == (n..<(n + 3)).map { SampleUID.int(Int64($0)) })
    }

    /// Rows written out of sample order, with text and integer sample_uids and a sample written
    /// twice: each sample's latest row counts, integers sort before text.
    @Test func textAndIntegerSamplesOutOfOrder() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = try Workload.graph()
        let store = try MetaxyStore(path: dir.appendingPathComponent("s.db").path, readOnly: false, create: true)
        func video(_ uids: [String], _ suffix: String) -> [UInt8] {
            Array(uids.map { "{\"sample_uid\": \($0), \"data_version\": {\"audio\": \"a\(suffix)\", \"frames\": \"f\"}}\n" }.joined().utf8)
        }
        func crop(_ uids: [String]) -> [UInt8] { Array(uids.map { "{\"sample_uid\": \($0)}\n" }.joined().utf8) }
        try store.write(feature: self.video, graph: graph, jsonl: video(["3", "\"b\"", "1", "\"a\"", "2", "\"d\""], "1"), source: "roots")
        // Each table's first sample_uid is an integer: its column is INTEGER, and text stays text.
        try store.write(feature: self.crop, graph: graph, jsonl: crop(["2", "\"d\"", "\"b\"", "1", "3", "\"a\""]), source: "crop", algorithm: .xxhash64)
        try store.write(feature: self.video, graph: graph, jsonl: video(["\"a\"", "1", "\"c\""], "2"), source: "changed")
        try store.write(feature: self.crop, graph: graph, jsonl: crop(["\"b\"", "3"]), source: "again", algorithm: .xxhash64)
        try store.write(feature: self.video, graph: graph, jsonl: video(["\"d\""], "1"), source: "same")
        let status = try #require(store.status(graph: graph, feature: self.crop).first)
        #expect(status.changed == [.int(1), .string("a")])
        #expect(status.added == [.string("c")])
        #expect(status.removed == [])
        #expect(status.currentRows == 6 && status.storedRows == 8)
    }
}

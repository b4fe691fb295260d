import Foundation
import MetaxyCore
@testable import MetaxyStore
import TestSupport
import Testing

/// metaxy joins every FeatureDep of a feature, also one no field reads: a sample missing from it
/// is not a target (`samples/unreferenced_dep.json`, recorded from metaxy 0.0.0). The stale set,
/// the data versions written for downstream rows and explain all agree with it.
@Suite struct UnreferencedDepTests {
    nonisolated(unsafe) static let vector = try! Fixtures.json(Fixtures.vectors.appendingPathComponent("samples/unreferenced_dep.json")) as! [String: Any]

    static func jsonl(_ rows: [[String: Any]]) -> [UInt8] {
        Array(rows.map { String(decoding: try! JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
            .joined(separator: "\n").utf8)
    }

    static func uids(_ rows: Any?) -> [SampleUID] { ((rows as? [[String: Any]]) ?? []).map { .int(Int64($0["sample_uid"] as! Int)) } }

    @Test(arguments: [0, 1])
    func staleSetIsMetaxys(round: Int) throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = try Fixtures.graph(Self.vector["graph"] as! String)
        let r = (Self.vector["rounds"] as! [[String: Any]])[round]
        let store = try MetaxyStore(path: dir.appendingPathComponent("s.db").path, readOnly: false, create: true)
        try store.push(graph)
        for (key, rows) in r["roots"] as! [String: [[String: Any]]] {
            try store.write(feature: FeatureKey(string: key), graph: graph, jsonl: Self.jsonl(rows), source: key)
        }
        let child = FeatureKey(string: "t/child")
        let stored = r["child_stored"] as! [[String: Any]]
        if !stored.isEmpty { try store.write(feature: child, graph: graph, jsonl: Self.jsonl(stored), source: "child") }
        let status = try #require(try store.status(graph: graph, feature: child, algorithm: .xxhash64).first)
        let expected = r["resolve_update"] as! [String: Any]
        #expect(status.added == Self.uids(expected["added"]), "sample 3 is only in t/src: metaxy does not add it")
        #expect(status.changed == Self.uids(expected["changed"]))
        #expect(status.removed == Self.uids(expected["removed"]))
        // explain agrees: sample 3 is no target, for want of a t/other row.
        #expect {
            try store.explain(feature: child, sample: .int(3), graph: graph, algorithm: .xxhash64)
        } throws: { error in
            "\(error)".contains("sample 3 is not stored for t/child and is not in every upstream, so not one of its targets (no row in t/other)")
        }
    }

    @Test func downstreamRowsGetMetaxysDataVersionsOnlyWhereTheJoinHasThem() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let graph = try Fixtures.graph(Self.vector["graph"] as! String)
        let r = (Self.vector["rounds"] as! [[String: Any]])[0]
        let store = try MetaxyStore(path: dir.appendingPathComponent("s.db").path, readOnly: false, create: true)
        try store.push(graph)
        for (key, rows) in r["roots"] as! [String: [[String: Any]]] {
            try store.write(feature: FeatureKey(string: key), graph: graph, jsonl: Self.jsonl(rows), source: key)
        }
        let child = FeatureKey(string: "t/child")
        try store.write(feature: child, graph: graph, jsonl: Array("{\"sample_uid\": 1}\n{\"sample_uid\": 2}".utf8), source: "child")
        let page = try store.samplePage(feature: child, after: nil, limit: 10)
        let added = (r["resolve_update"] as! [String: Any])["added"] as! [[String: Any]]
        let expected = added.map { ($0["data_version"] as! [String: String])["z"]! }
        #expect(page.rows.map { Dictionary($0.dataVersion, uniquingKeysWith: { a, _ in a })["z"] } == expected)
        // Sample 3 has no t/other row: writing it is refused, as its data version cannot be computed.
        #expect(throws: (any Error).self) {
            try store.write(feature: child, graph: graph, jsonl: Array("{\"sample_uid\": 3}".utf8), source: "child3")
        }
    }
}

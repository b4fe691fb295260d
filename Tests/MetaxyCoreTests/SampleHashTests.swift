import Foundation
@testable import MetaxyCore
import Testing
import TestSupport

/// Per-sample data versions and stale sets against what metaxy 0.0.0 computed (samples/video.json).
@Suite struct SampleHashTests {
    @Test(arguments: [
        ("", "17241709254077376921", "46947589"), ("none|1", "6205393406911306706", "2338345157"),
        ("a", "15154266338359012955", "1426945110"), ("abc", "4952883123889572249", "852579327"),
        (String(repeating: "a", count: 100), "3985758137895276467", "400756875"), ("héllo", "4310053764713069540", "1644681334"),
    ])
    func xxhashMatchesPythonXXHash(input: String, xxh64: String, xxh32: String) {
        #expect(HashAlgorithm.xxhash64.digest(input) == xxh64)
        #expect(HashAlgorithm.xxhash32.digest(input) == xxh32)
    }

    @Test(arguments: [0, 7, 10, 99, 100, 101, 999, 1_000, 12_345, UInt64(UInt32.max), UInt64.max - 1, UInt64.max])
    func decimalDigestText(value: UInt64) {
        var out: [UInt8] = Array("x".utf8)
        HashAlgorithm.appendDecimal(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "x" + String(value))
    }

    @Test func referenceVectorsForEveryAlgorithm() {
        #expect(HashAlgorithm.md5.digest("none|1") == "78803e398ddc65c7a505f765a40862f6")
        #expect(HashAlgorithm.sha256.digest("none|1") == "20330458d361b6c5622f38de58b033e2ac91d1dd328c88090a3e5080201302db")
        #expect(HashAlgorithm.md5.digest("frames|2|demo/video/frames|f1") == "d25644d74ebacc04da410c2526b4bc7c")
        #expect(HashAlgorithm.xxhash64.digest("audio|1|example/video/audio|a1") == "1084510031676637952")
        #expect(HashAlgorithm.xxhash64.digest("all|1|p/a/b|AB1|p/a-c|AC1|p/z|Z1|p-q/x|X1") == "7297880427280829536")
        // A long input takes xxh64's 32-byte-stripe path.
        let bytes = Array((0..<768).map { UInt8($0 % 256) })
        #expect(bytes.withUnsafeBytes { HashAlgorithm.xxhash64.digest($0) } == "10233242924474565487")
        #expect(bytes.withUnsafeBytes { HashAlgorithm.xxhash32.digest($0) } == "3451471537")
    }

    @Test func detectionFromStoredValues() {
        #expect(HashAlgorithm.detect(from: ["7471226972613893795"]) == .xxhash64)
        #expect(HashAlgorithm.detect(from: ["", "8bbc01d6e2bd6232e1e7d5713b466b76"]) == .md5)
        #expect(HashAlgorithm.detect(from: [String(repeating: "ab", count: 32)]) == .sha256)
        #expect(HashAlgorithm.detect(from: ["a1"]) == nil)
    }

    /// The hash input strings of reference §5.3, quirks included.
    @Test func hashInputsFollowFieldDependencies() throws {
        let complex = try Fixtures.graph(Self.complexGraph)
        let one = DataVersionRecipe(graph: complex, feature: complex.index(of: FeatureKey(string: "d/one"))!)
        let values: [String: [String: String]] = ["p": ["z": "Z1", "a/b": "AB1", "a-c": "AC1"], "p-q": ["x": "X1"]]
        let inputs = one.fields.map { field in
            DataVersionRecipe.hashInput(field) { values[$0.upstream.string]?[$0.field.string] }
        }
        #expect(inputs == ["all|1|p/a/b|AB1|p/a-c|AC1|p/z|Z1|p-q/x|X1", "m/n|5|p/a/b|AB1|p/a-c|AC1|p/z|Z1",
                           "sel|1|p/a/b|AB1|p/z|Z1|p-q/x|X1", "none|1"])
        // Two FieldDeps on one upstream: the last replaces the first; a field listed twice counts twice.
        let quirks = try Fixtures.graph("""
            features:
              - {key: p, fields: [y, z]}
              - key: c
                deps: [p]
                fields:
                  - {key: two, deps: [{feature_key: p, fields: [z]}, {feature_key: p, fields: [y]}]}
                  - {key: dup, deps: [{feature_key: p, fields: [z, z]}]}
            """)
        let recipe = DataVersionRecipe(graph: quirks, feature: 1)
        let quirkInputs = recipe.fields.map { DataVersionRecipe.hashInput($0) { $0.field.string.uppercased() } }
        #expect(quirkInputs == ["two|1|p/y|Y", "dup|1|p/z|Z|p/z|Z"])
        // A missing upstream value makes the whole data version null.
        #expect(DataVersionRecipe.hashInput(recipe.fields[0]) { _ in nil } == nil)
    }

    static let complexGraph = """
        features:
          - {key: p, fields: [{key: z, code_version: 2}, a/b, {key: a-c, code_version: 3}]}
          - {key: p-q, fields: [x]}
          - key: d/one
            deps: [p, p-q]
            fields:
              - all
              - {key: m/n, code_version: 5, deps: [{feature_key: p}]}
              - {key: sel, deps: [{feature_key: p-q, fields: [x]}, {feature_key: p, fields: [z, a/b]}]}
              - {key: none, deps: []}
        """

    // MARK: samples/video.json

    typealias Rows = [StaleSet.Row]

    static func rows(_ value: Any?) -> Rows {
        (value as? [[String: Any]] ?? []).map {
            StaleSet.Row(uid: .int(Int64($0["sample_uid"] as! Int)), dataVersion: $0["data_version"] as! [String: String])
        }
    }

    /// The rows a feature should have, from its upstreams' rows: inner join on sample_uid, then hashing.
    static func targets(_ graph: FeatureGraph, _ f: Int, state: [String: Rows]) -> Rows {
        let recipe = DataVersionRecipe(graph: graph, feature: f)
        let upstreamRows = recipe.upstreams.map { key in
            Dictionary(uniqueKeysWithValues: state[key.string]!.map { ($0.uid, $0.dataVersion) })
        }
        let shared = upstreamRows.dropFirst().reduce(Set(upstreamRows.first?.keys.map { $0 } ?? [])) { $0.intersection($1.keys) }
        return shared.sorted().map { uid in
            let values = Dictionary(uniqueKeysWithValues: zip(recipe.upstreams, upstreamRows.map { $0[uid]! }))
            let version = recipe.dataVersion(upstreamValues: values, algorithm: .xxhash64)
            return StaleSet.Row(uid: uid, dataVersion: Dictionary(uniqueKeysWithValues: version.map { ($0.0, $0.1!) }))
        }
    }

    @Test func roundsOneAndTwoReproduceMetaxy() throws {
        let vectors = try #require(Fixtures.json(Fixtures.vectors.appendingPathComponent("samples/video.json")) as? [String: Any])
        let graphJSON = try JSONSerialization.data(withJSONObject: vectors["graph"]!)
        let graph = try GraphFileParser.graph(Array(graphJSON), file: "video.json")
        var state: [String: Rows] = [:]
        for round in ["round1", "round2"] {
            let data = try #require(vectors[round] as? [String: Any])
            let expectedUpdates = try #require(data["resolve_update"] as? [String: [String: Any]])
            let expectedState = try #require(data["state"] as? [String: Any])
            let roots = try #require(data["root_samples"] as? [String: Any])
            var next: [String: Rows] = [:]
            for f in graph.topologicalOrder {
                let key = graph.key(f).string
                let target = graph.isRoot(f) ? Self.rows(roots[key]) : Self.targets(graph, f, state: next)
                let stale = StaleSet(target: target, current: state[key] ?? [])
                let expected = try #require(expectedUpdates[key])
                #expect(stale.added == Self.rows(expected["added"]), "\(round) \(key) added")
                #expect(stale.changed == Self.rows(expected["changed"]), "\(round) \(key) changed")
                #expect(stale.removed == Self.rows(expected["removed"]), "\(round) \(key) removed")
                #expect(target == Self.rows(expectedState[key]), "\(round) \(key) state")
                next[key] = target
            }
            state = next
        }
    }
}

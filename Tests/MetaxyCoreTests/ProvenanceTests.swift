import Foundation
import MetaxyCore
import Testing
import TestSupport

/// Per-sample provenance recorded from metaxy 0.1.11 (metaxy-0.1/samples), for xxhash32, xxhash64
/// and md5 at truncation 8 and 64: each round's `resolve_update` is recomputed from the previous
/// round's stored state and the current round's upstream state.
@Suite struct ProvenanceTests {
    static let cases: [(sample: String, algorithm: String, truncation: Int)] =
        ["video", "lineage"].flatMap { s in ["xxhash32", "xxhash64", "md5"].flatMap { a in [8, 64].map { (s, a, $0) } } }

    struct Sample {
        let json: JSONValue
        let graph: ProjectGraph

        init(_ name: String) throws {
            let folder = Fixtures.vectors.appendingPathComponent("metaxy-0.1")
            json = try #require(JSONValue.parse(Array(Data(contentsOf: folder.appendingPathComponent("samples/\(name).json")))))
            let graphFile = try #require(json["graph"]?.string)
            graph = try ProjectGraphTests.graph(#require(JSONValue.parse(Array(Data(contentsOf: folder.appendingPathComponent(graphFile))))))
        }

        func rounds(_ algorithm: String, _ truncation: Int) throws -> [JSONValue] {
            try #require(json["expected"]?[algorithm]?[String(truncation)]?["rounds"]?.array)
        }
    }

    /// A vector row's ids, provenance and data versions.
    struct Row: Equatable, CustomStringConvertible {
        let ids: [IDValue]
        let provenanceByField: [String: String]
        let provenance: String
        var description: String { "\(ids) \(provenance) \(provenanceByField.sorted { $0.key < $1.key })" }

        init(ids: [IDValue], provenanceByField: [String: String], provenance: String) {
            self.ids = ids
            self.provenanceByField = provenanceByField
            self.provenance = provenance
        }

        init(_ json: JSONValue, idColumns: [String]) {
            ids = idColumns.map { json[$0].map(ProvenanceTests.id) ?? .string("?") }
            provenanceByField = ProvenanceTests.strings(json["metaxy_provenance_by_field"])
            provenance = json["metaxy_provenance"]?.string ?? ""
        }

        init(_ row: ExpectedRow) { self.init(ids: row.ids, provenanceByField: row.provenanceByField, provenance: row.provenance) }
    }

    static func id(_ json: JSONValue) -> IDValue {
        if case let .int(i) = json { return .int(Int64(i)) }
        return .string(json.string ?? "")
    }

    static func strings(_ json: JSONValue?) -> [String: String] {
        Dictionary(uniqueKeysWithValues: (json?.members ?? []).map { ($0.0, $0.1.string ?? "") })
    }

    static func upstreamRows(_ rows: [JSONValue], idColumns: [String]) -> [UpstreamRow] {
        rows.map { row in
            UpstreamRow(ids: Dictionary(uniqueKeysWithValues: idColumns.map { ($0, id(row[$0] ?? .null)) }),
                        dataVersionByField: strings(row["metaxy_data_version_by_field"]))
        }
    }

    /// Rows by ids, the first of each: de-duplicates N:1 results, collapses stored 1:N children per parent.
    static func distinct(_ rows: [Row]) -> [Row] {
        var seen = Set<[IDValue]>()
        return rows.filter { seen.insert($0.ids).inserted }.sorted { $0.ids.lexicographicallyPrecedes($1.ids) }
    }

    static func upstream(of feature: ProjectFeature, graph: ProjectGraph, state: JSONValue) -> [String: [UpstreamRow]] {
        Dictionary(uniqueKeysWithValues: feature.deps.map { dep in
            (dep.feature, upstreamRows(state[dep.feature]?.array ?? [], idColumns: graph.feature(dep.feature)!.idColumns))
        })
    }

    @Test(arguments: cases)
    func resolveUpdateMatchesMetaxy(sample name: String, algorithm: String, truncation: Int) throws {
        let sample = try Sample(name)
        let hasher = ProvenanceHasher(algorithm: try #require(HashAlgorithm(rawValue: algorithm)), truncation: truncation)
        #expect(sample.graph.versions(truncation: truncation).projectVersion == sample.json["expected"]?[algorithm]?[String(truncation)]?["project_version"]?.string)
        let inputs = try #require(sample.json["scenario"]?["rounds"]?.array)
        var previous = JSONValue.object([])
        for (n, round) in try sample.rounds(algorithm, truncation).enumerated() {
            let state = try #require(round["state"])
            for feature in sample.graph.features {
                let context = "\(name) \(algorithm) \(truncation) \(round["name"]?.string ?? "") \(feature.key)"
                let want = round["resolve_update"]?[feature.key]
                let expected: [Row], idColumns: [String]
                if feature.deps.isEmpty {
                    // A root's expected rows are the round's samples, provenance hashed from their values.
                    idColumns = feature.idColumns
                    expected = (inputs[n]["roots"]?[feature.key]?.array ?? []).map { row in
                        let byField = Self.strings(row["metaxy_provenance_by_field"])
                        return Row(ids: idColumns.map { Self.id(row[$0]!) }, provenanceByField: byField,
                                   provenance: ProvenanceEngine.rootProvenance(byField, hasher: hasher))
                    }
                } else {
                    let engine = try ProvenanceEngine(graph: sample.graph, feature: feature.key, hasher: hasher)
                    idColumns = engine.idColumns
                    expected = engine.expected(upstream: Self.upstream(of: feature, graph: sample.graph, state: state)).map(Row.init)
                    // After the round the store holds exactly the expected rows (1:N children carry their parent's).
                    let stored = Self.distinct((state[feature.key]?.array ?? []).map { Row($0, idColumns: idColumns) })
                    #expect(stored == Self.distinct(expected), "\(context): state")
                }
                let stored = Self.distinct((previous[feature.key]?.array ?? []).map { Row($0, idColumns: idColumns) })
                let increment = Increment(expected: expected.map { ExpectedRow(ids: $0.ids, provenanceByField: $0.provenanceByField, provenance: $0.provenance) },
                                          stored: stored.map { StoredProvenance(ids: $0.ids, provenance: $0.provenance) })
                // metaxy's N:1 result repeats each row once per upstream row; ours has one row per id.
                func rows(_ kind: String) -> [Row] { Self.distinct((want?[kind]?.array ?? []).map { Row($0, idColumns: idColumns) }) }
                #expect(increment.new.map(Row.init) == rows("new"), "\(context): new")
                #expect(increment.stale.map(Row.init) == rows("stale"), "\(context): stale")
                #expect(increment.orphaned.map(\.ids) == rows("orphaned").map(\.ids), "\(context): orphaned")
                #expect(increment.orphaned.map(\.provenance) == rows("orphaned").map(\.provenance), "\(context): orphaned")
                // Every stored data version hashes its data_version_by_field values, roots' overrides and 1:N children's included.
                for row in state[feature.key]?.array ?? [] {
                    let byField = Self.strings(row["metaxy_data_version_by_field"])
                    #expect(ProvenanceEngine.rootProvenance(byField, hasher: hasher) == row["metaxy_data_version"]?.string, "\(context): data version")
                    if feature.deps.isEmpty {
                        #expect(ProvenanceEngine.rootProvenance(Self.strings(row["metaxy_provenance_by_field"]), hasher: hasher)
                            == row["metaxy_provenance"]?.string, "\(context): root provenance")
                    }
                }
            }
            previous = state
        }
    }

    /// The recorded hash strings: each is a FieldRecipe's string (or an N:1 input's aggregated text,
    /// or a provenance's joined field hashes) with the stored hash.
    @Test(arguments: ["video", "lineage"])
    func examplesAreTheRecipeStrings(sample name: String) throws {
        let sample = try Sample(name)
        let examples = try #require(sample.json["examples"]?.array)
        #expect(!examples.isEmpty)
        for example in examples {
            let algorithm = try #require(HashAlgorithm(rawValue: example["algorithm"]?.string ?? ""))
            guard case let .int(truncation)? = example["truncation"] else { Issue.record("no truncation"); continue }
            let hasher = ProvenanceHasher(algorithm: algorithm, truncation: truncation)
            let string = try #require(example["string"]?.string), stored = try #require(example["stored"]?.string)
            #expect(ProvenanceHasher(algorithm: algorithm, truncation: .max).hash(string) == example["full_hash"]?.string)
            #expect(hasher.hash(string) == stored)
            let state = try #require(sample.rounds(algorithm.rawValue, truncation).first?["state"])
            var candidates: [(string: String, hash: String)] = []
            let where_ = (example["where"]?.string ?? "").split(separator: " ").map(String.init)
            if where_.count == 5, where_[0] == "round1", let feature = sample.graph.feature(where_[2]) {
                let id: IDValue = Int64(where_[4]).map { .int($0) } ?? .string(where_[4])
                if feature.deps.isEmpty {
                    let row = try #require(state[feature.key]?.array?.first { $0[where_[3]].map(Self.id) == id })
                    for (values, hash) in [("metaxy_provenance_by_field", "metaxy_provenance"), ("metaxy_data_version_by_field", "metaxy_data_version")] {
                        let byField = Self.strings(row[values])
                        candidates.append((byField.sorted { $0.key < $1.key }.map(\.value).joined(separator: "|"), row[hash]?.string ?? ""))
                    }
                } else {
                    let engine = try ProvenanceEngine(graph: sample.graph, feature: feature.key, hasher: hasher)
                    let upstream = Self.upstream(of: feature, graph: sample.graph, state: state)
                    let recipes = try #require(engine.recipe(for: [id], upstream: upstream))
                    candidates += recipes.map { ($0.string, $0.hash) }
                    let row = try #require(engine.expected(upstream: upstream).first { $0.ids == [id] })
                    candidates.append((feature.fields.map(\.structKey).sorted().map { row.provenanceByField[$0]! }.joined(separator: "|"), row.provenance))
                }
            } else {
                // An intermediate value: an N:1 input of some row.
                for feature in sample.graph.features where !feature.deps.isEmpty {
                    let engine = try ProvenanceEngine(graph: sample.graph, feature: feature.key, hasher: hasher)
                    let upstream = Self.upstream(of: feature, graph: sample.graph, state: state)
                    for row in engine.expected(upstream: upstream) {
                        for input in engine.recipe(for: row.ids, upstream: upstream)?.flatMap(\.inputs) ?? [] {
                            if let text = input.aggregated { candidates.append((text, input.value)) }
                        }
                    }
                }
            }
            #expect(candidates.contains { $0.string == string && $0.hash == stored },
                    "\(name) \(algorithm) \(truncation): \(example["what"]?.string ?? "") not found among \(candidates)")
        }
    }

    @Test func optionalDepMissingHashesAsEmpty() throws {
        let sample = try Sample("lineage")
        let hasher = ProvenanceHasher(algorithm: .xxhash32, truncation: 8)
        let engine = try ProvenanceEngine(graph: sample.graph, feature: "rec/summary", hasher: hasher)
        #expect(engine.idColumns == ["video_id"])
        let frames = [UpstreamRow(ids: ["video_id": .string("v1"), "frame_idx": .int(10)], dataVersionByField: ["pixels": "b"]),
                      UpstreamRow(ids: ["video_id": .string("v1"), "frame_idx": .int(9)], dataVersionByField: ["pixels": "a"])]
        let recipe = try #require(engine.recipe(for: [.string("v1")], upstream: ["rec/frames": frames]))
        #expect(recipe.map(\.string) == ["visual|1|rec/frames.pixels|\(hasher.hash("a|b"))", "caption|1|rec/captions.text|",
                                         "combined|2|rec/captions.text||rec/frames.pixels|\(hasher.hash("a|b"))"])
        // N:1: frames in frame_idx order, numerically.
        #expect(recipe[0].inputs.map { [$0.parent, $0.value, $0.aggregated] } == [["rec/frames.pixels", hasher.hash("a|b"), "a|b"]])
        #expect(engine.recipe(for: [.string("v2")], upstream: ["rec/frames": frames]) == nil)
        #expect(throws: ProjectGraphError.self) { try ProvenanceEngine(graph: sample.graph, feature: "rec/video", hasher: hasher) }
    }

    /// FeatureDep rename: media-qc/score's (ds, clip) meet media/clips' (dataset, clip_id); a row
    /// missing from a required dep drops the id (inner join).
    /// sql_filters are not applied: a feature whose dep has them is refused, never answered wrong.
    @Test func filteredDepsAreRefused() throws {
        let spec = { (filters: String) in
            #"{"key": "a/child", "id_columns": ["sample_uid"], "deps": [{"feature": "a/root", "select": null, "rename": null, "#
                + #""fields_mapping": {"mapping": {"type": "default", "match_suffix": false, "exclude_fields": []}}, "sql_filters": \#(filters), "#
                + #""lineage": {"relationship": {"type": "1:1"}}, "optional": false}], "fields": [{"key": "x", "code_version": "1", "deps": []}]}"#
        }
        let root = #"{"key": "a/root", "id_columns": ["sample_uid"], "deps": [], "fields": [{"key": "x", "code_version": "1", "deps": []}]}"#
        let hasher = ProvenanceHasher(algorithm: .xxhash32, truncation: 8)
        let plain = try ProjectGraph(project: "p", specs: [(root, nil, nil), (spec("null"), nil, nil)])
        _ = try ProvenanceEngine(graph: plain, feature: "a/child", hasher: hasher)
        let filtered = try ProjectGraph(project: "p", specs: [(root, nil, nil), (spec(#"["x > 3"]"#), nil, nil)])
        #expect {
            try ProvenanceEngine(graph: filtered, feature: "a/child", hasher: hasher)
        } throws: { "\($0)".contains("sql_filters (x > 3)") }
    }

    @Test func renamedIDsJoin() throws {
        let graph = try ProjectGraphTests.graph(ProjectGraphTests.vector("multipart_keys"))
        let hasher = ProvenanceHasher(algorithm: .md5, truncation: 8)
        let engine = try ProvenanceEngine(graph: graph, feature: "media/clips/embed", hasher: hasher)
        #expect(engine.idColumns == ["dataset", "clip_id"])
        let clips = [1, 2].map { n in
            UpstreamRow(ids: ["dataset": .string("d"), "clip_id": .int(n)],
                        dataVersionByField: ["audio_left": "l\(n)", "audio_right": "r\(n)", "video_rgb": "v\(n)", "video2d": "2d\(n)", "meta": "m\(n)"])
        }
        let score = [UpstreamRow(ids: ["ds": .string("d"), "clip": .int(2)], dataVersionByField: ["score": "s2"])]
        let upstream = ["media/clips": clips, "media-qc/score": score]
        #expect(engine.expected(upstream: upstream).map(\.ids) == [[.string("d"), .int(2)]])
        let recipe = try #require(engine.recipe(for: [.string("d"), .int(2)], upstream: upstream))
        #expect(recipe.map(\.string) == [
            "rgb|1|media/clips.video/rgb|v2", "left|1|media/clips.audio/left|l2",
            "mix|2|media/clips.audio/left|l2|media/clips.audio/right|r2|media/clips.meta|m2|media/clips.video/rgb|v2|media/clips.video2d|2d2",
            "quality|1|media-qc/score.score|s2|media/clips.meta|m2|media/clips.video2d|2d2",
        ])
        let row = try #require(engine.expected(upstream: upstream).first)
        // Provenance order is by struct key: left, mix, quality, rgb.
        #expect(row.provenance == hasher.hash(["left", "mix", "quality", "rgb"].map { row.provenanceByField[$0]! }.joined(separator: "|")))
        #expect(row.provenanceByField["rgb"] == hasher.hash("rgb|1|media/clips.video/rgb|v2"))
    }

    @Test func idsOrderIntegersNumericallyThenStrings() {
        #expect([IDValue.string("a"), .int(10), .int(9), .string("B")].sorted() == [.int(9), .int(10), .string("B"), .string("a")])
    }

    /// A 1,000,000-row 1:1 feature: expected rows and the increment against a store holding them all.
    @Test func millionRowIdentityFeature() throws {
        let graph = try ProjectGraphTests.graph(ProjectGraphTests.vector("video"))
        let hasher = ProvenanceHasher(algorithm: .xxhash32, truncation: 8)
        let engine = try ProvenanceEngine(graph: graph, feature: "example/crop", hasher: hasher)
        let rows = (0..<1_000_000).map { UpstreamRow(ids: ["sample_uid": .int(Int64($0))], dataVersionByField: ["audio": "a\($0)", "frames": "f\($0)"]) }
        let clock = ContinuousClock()
        var expected: [ExpectedRow] = []
        let hashing = clock.measure { expected = engine.expected(upstream: ["example/video": rows]) }
        let stored = expected.map { StoredProvenance(ids: $0.ids, provenance: $0.ids[0] == .int(7) ? "changed" : $0.provenance) }
        var increment: Increment?
        let comparing = clock.measure { increment = Increment(expected: expected, stored: stored) }
        print("1M-row identity feature: expected \(hashing), increment \(comparing)")
        #expect(expected.count == 1_000_000)
        #expect(increment?.new.isEmpty == true && increment?.orphaned.isEmpty == true)
        #expect(increment?.stale.map(\.ids) == [[.int(7)]])
    }
}

// The vectors' rows as dictionaries, the engine's rows column by column.
/// A row of an upstream (or root) feature as read: id columns by name, and
/// metaxy_data_version_by_field (struct key → value).
struct UpstreamRow: Sendable {
    var ids: [String: IDValue]
    var dataVersionByField: [String: String]

    init(ids: [String: IDValue], dataVersionByField: [String: String]) {
        self.ids = ids
        self.dataVersionByField = dataVersionByField
    }
}

extension UpstreamRows {
    /// Rows as dictionaries (a missing id leaves the row out; a missing value is "").
    init(_ rows: [UpstreamRow]) {
        let idColumns = rows.first.map { $0.ids.keys.sorted() } ?? []
        self.init(idColumns: idColumns, slots: Array(Set(rows.flatMap(\.dataVersionByField.keys))).sorted(), capacity: rows.count)
        for row in rows {
            let found = idColumns.compactMap { row.ids[$0] }
            guard found.count == idColumns.count else { continue }
            append(ids: found, values: slots.map { row.dataVersionByField[$0] ?? "" })
        }
    }
}

extension ProvenanceEngine {
    func expected(upstream: [String: [UpstreamRow]]) -> [ExpectedRow] {
        expected(upstream: upstream.mapValues(UpstreamRows.init))
    }

    func recipe(for ids: [IDValue], upstream: [String: [UpstreamRow]]) -> [FieldRecipe]? {
        recipe(for: ids, upstream: upstream.mapValues(UpstreamRows.init))
    }
}

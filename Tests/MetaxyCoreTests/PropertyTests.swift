import Foundation
import MetaxyCore
import Testing
import TestSupport

/// Properties checked on generated graphs rather than on hand-picked examples.
@Suite struct PropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 7, 42]

    /// Every version keyed by `feature` and `feature.field`, so graphs in different orders compare.
    static func versions(_ graph: FeatureGraph) -> [String: String] {
        var out = ["": graph.snapshotVersion]
        for f in 0..<graph.count {
            out[graph.key(f).string] = graph.featureVersion(f)
            for k in graph.specs[f].fields.indices { out[graph.fqString(FieldRef(feature: f, field: k))] = graph.fieldVersion(f, k) }
        }
        return out
    }

    static func shuffled(_ specs: [FeatureSpec], seed: UInt64) -> [FeatureSpec] {
        var rng = GraphGenerator.Random(seed: seed)
        return specs.shuffled(using: &rng).map { spec in
            var spec = spec
            spec.deps = spec.deps?.shuffled(using: &rng)
            spec.fields = spec.fields.shuffled(using: &rng).map { field in
                var field = field
                if case let .only(deps) = field.deps {
                    field.deps = .only(deps.shuffled(using: &rng).map { dep in
                        var dep = dep
                        if case let .only(keys) = dep.fields { dep.fields = .only(keys.shuffled(using: &rng)) }
                        return dep
                    })
                }
                return field
            }
            return spec
        }
    }

    @Test(arguments: seeds)
    func orderInTheFileChangesNoVersion(seed: UInt64) throws {
        let specs = GraphGenerator.dag(features: 300, seed: seed)
        let original = try FeatureGraph(specs: specs)
        // Through the file format too: shuffled specs written as JSON and read back.
        let text = GraphGenerator.json(Self.shuffled(specs, seed: seed &+ 1))
        let reordered = try GraphFileParser.graph(Array(text.utf8), file: "shuffled.json")
        #expect(Self.versions(original) == Self.versions(reordered))
    }

    /// A brute-force reading of reference §3–4 straight from the specs: the fields each field's
    /// version reads, found by walking its deps with no shared code from the graph.
    static func naiveParents(_ specs: [FeatureSpec]) -> [String: Set<String>] {
        let byKey = Dictionary(uniqueKeysWithValues: specs.map { ($0.key.string, $0) })
        var parents: [String: Set<String>] = [:]
        for spec in specs {
            let featureDeps = (spec.deps ?? []).map(\.key.string)
            for field in spec.fields {
                var set = Set<String>()
                func addAll(_ key: String) { for f in byKey[key]!.fields { set.insert(key + "." + f.key.string) } }
                switch field.deps {
                case .all: featureDeps.forEach(addAll)
                case let .only(deps):
                    for dep in deps {
                        switch dep.fields {
                        case .all: addAll(dep.featureKey.string)
                        case let .only(keys): for k in keys { set.insert(dep.featureKey.string + "." + k.string) }
                        }
                    }
                }
                parents[spec.key.string + "." + field.key.string] = set
            }
        }
        return parents
    }

    @Test(arguments: seeds)
    func bumpingACodeVersionChangesExactlyItsLineage(seed: UInt64) throws {
        var specs = GraphGenerator.dag(features: 200, seed: seed)
        let before = try FeatureGraph(specs: specs)
        var rng = GraphGenerator.Random(seed: seed)
        let f = Int.random(in: 0..<(specs.count / 2), using: &rng)
        let k = Int.random(in: 0..<specs[f].fields.count, using: &rng)
        specs[f].fields[k].codeVersion += 1
        let after = try FeatureGraph(specs: specs)
        let bumped = specs[f].key.string + "." + specs[f].fields[k].key.string

        // Brute force: a field changes when it is the bumped one or any parent changed.
        let parents = Self.naiveParents(specs)
        var memo: [String: Bool] = [:]
        func changes(_ field: String) -> Bool {
            if let known = memo[field] { return known }
            let result = field == bumped || parents[field]!.contains { changes($0) }
            memo[field] = result
            return result
        }
        let expectedFields = Set(parents.keys.filter(changes))

        let old = Self.versions(before), new = Self.versions(after)
        let changedFields = Set(old.keys.filter { $0.contains(".") && old[$0] != new[$0] })
        #expect(changedFields == expectedFields)

        let lineage = FieldLineage(graph: after, field: FieldRef(feature: f, field: k))
        #expect(Set(lineage.downstreamFields.map(after.fqString)).union([bumped]) == expectedFields)
        let changedFeatures = Set((0..<after.count).filter { before.featureVersion($0) != after.featureVersion($0) })
        #expect(changedFeatures == Set(lineage.affectedFeatures).union([f]))
        #expect(Set(lineage.unaffectedFeatures).isDisjoint(with: changedFeatures))
        #expect(before.snapshotVersion != after.snapshotVersion)
    }

    @Test func aFiveThousandDeepChainLoads() throws {
        let graph = try GraphFileParser.graph(Array(GraphGenerator.json(GraphGenerator.chain(length: 5_000)).utf8), file: "chain.json")
        #expect(graph.topologicalOrder.first == 0)
        #expect(graph.topologicalOrder.last == 4_999)
        #expect(graph.upstreamDistances(of: 4_999).count == 4_999)
    }

    @Test func theGeneratorIsDeterministic() {
        #expect(GraphGenerator.json(GraphGenerator.dag(features: 100, seed: 9)) == GraphGenerator.json(GraphGenerator.dag(features: 100, seed: 9)))
    }
}

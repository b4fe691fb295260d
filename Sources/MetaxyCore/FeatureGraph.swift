/// A field of a feature in a FeatureGraph, by index: `feature` into `specs`, `field` into its fields.
public struct FieldRef: Hashable, Sendable, Comparable {
    public let feature: Int
    public let field: Int

    public init(feature: Int, field: Int) {
        self.feature = feature
        self.field = field
    }

    public static func < (a: Self, b: Self) -> Bool { (a.feature, a.field) < (b.feature, b.field) }
}

/// A validated feature graph with its dependencies resolved to indices and every version
/// computed once, in dependency order, so the cost is linear in the graph's size.
public final class FeatureGraph: Sendable {
    /// The features in declaration order.
    public let specs: [FeatureSpec]
    /// The file or reference the graph came from, for messages and status bars.
    public let source: String
    private let indexByKey: [FeatureKey: Int]
    /// FeatureDeps of each feature as indices, deduplicated, in declaration order.
    public let upstream: [[Int]]
    /// Features that declare each feature as a dep, sorted by key string.
    public let downstream: [[Int]]
    /// Parent fields of each field (reference §4), deduplicated and sorted by FQ string.
    public let fieldParents: [[[FieldRef]]]
    /// Fields whose parents include each field.
    public let fieldChildren: [[[FieldRef]]]
    /// Dependencies first; ties visited in case-insensitive key order, as metaxy's renderers do.
    public let topologicalOrder: [Int]
    public let fieldVersions: [[String]]
    public let featureVersions: [String]
    public let snapshotVersion: String

    /// Validates `specs` and resolves them; every problem is reported at once.
    public init(specs: [FeatureSpec], source: String = "<graph>") throws(GraphError) {
        let problems = GraphValidator.problems(in: specs, file: source)
        if !problems.isEmpty { throw GraphError(problems) }
        self.specs = specs
        self.source = source
        var indexByKey: [FeatureKey: Int] = [:]
        indexByKey.reserveCapacity(specs.count)
        for (i, spec) in specs.enumerated() { indexByKey[spec.key] = i }
        self.indexByKey = indexByKey

        var seen = Set<Int>()
        let upstream = specs.map { spec in
            seen.removeAll(keepingCapacity: true)
            return (spec.deps ?? []).compactMap { indexByKey[$0.key] }.filter { seen.insert($0).inserted }
        }
        self.upstream = upstream
        var downstream = [[Int]](repeating: [], count: specs.count)
        for (i, ups) in upstream.enumerated() { for u in ups { downstream[u].append(i) } }
        self.downstream = downstream.map { $0.sorted { codePointLess(specs[$0].key.string, specs[$1].key.string) } }

        let parents = Self.resolveFieldParents(specs, upstream: upstream, indexByKey: indexByKey)
        fieldParents = parents
        var children = specs.map { [[FieldRef]](repeating: [], count: $0.fields.count) }
        for (f, fields) in parents.enumerated() {
            for (k, refs) in fields.enumerated() {
                for p in refs { children[p.feature][p.field].append(FieldRef(feature: f, field: k)) }
            }
        }
        fieldChildren = children
        topologicalOrder = Self.topologicalOrder(specs, upstream: upstream)
        let versions = Self.versions(specs, parents: parents, order: topologicalOrder)
        fieldVersions = versions.fields
        featureVersions = versions.features
        snapshotVersion = versions.snapshot
    }

    public var count: Int { specs.count }

    public func index(of key: FeatureKey) -> Int? { indexByKey[key] }

    public func key(_ feature: Int) -> FeatureKey { specs[feature].key }

    public func fieldKey(_ ref: FieldRef) -> FieldKey { specs[ref.feature].fields[ref.field].key }

    public func fieldVersion(_ ref: FieldRef) -> String { fieldVersions[ref.feature][ref.field] }

    public func fqString(_ ref: FieldRef) -> String { specs[ref.feature].key.string + "." + fieldKey(ref).string }

    public func isRoot(_ feature: Int) -> Bool { upstream[feature].isEmpty }

    // MARK: resolution

    private static func resolveFieldParents(
        _ specs: [FeatureSpec], upstream: [[Int]], indexByKey: [FeatureKey: Int]
    ) -> [[[FieldRef]]] {
        let fieldIndex = specs.map { spec in
            Dictionary(spec.fields.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
        }
        let fq = specs.map { spec in spec.fields.map { spec.key.string + "." + $0.key.string } }
        func all(_ u: Int) -> [FieldRef] { specs[u].fields.indices.map { FieldRef(feature: u, field: $0) } }
        return specs.enumerated().map { f, spec in
            spec.fields.map { field in
                var refs: [FieldRef]
                switch field.deps {
                case .all:
                    refs = upstream[f].flatMap(all)
                case let .only(deps):
                    refs = deps.flatMap { dep -> [FieldRef] in
                        guard let u = indexByKey[dep.featureKey] else { return [] }
                        switch dep.fields {
                        case .all: return all(u)
                        case let .only(keys): return keys.compactMap { fieldIndex[u][$0].map { FieldRef(feature: u, field: $0) } }
                        }
                    }
                }
                var seen = Set<FieldRef>()
                refs = refs.filter { seen.insert($0).inserted }
                return refs.sorted { codePointLess(fq[$0.feature][$0.field], fq[$1.feature][$1.field]) }
            }
        }
    }

    /// metaxy's GraphWalker order: visit keys sorted case-insensitively, dependencies first.
    /// Iterative, since chains can be thousands deep.
    private static func topologicalOrder(_ specs: [FeatureSpec], upstream: [[Int]]) -> [Int] {
        let lowered = specs.map { $0.key.string.lowercased() }
        let byName = specs.indices.sorted {
            lowered[$0] != lowered[$1] ? codePointLess(lowered[$0], lowered[$1])
                : codePointLess(specs[$0].key.string, specs[$1].key.string)
        }
        var rank = [Int](repeating: 0, count: specs.count)
        for (r, i) in byName.enumerated() { rank[i] = r }
        let sortedDeps = upstream.map { $0.sorted { rank[$0] < rank[$1] } }
        var visited = [Bool](repeating: false, count: specs.count)
        var order: [Int] = []
        order.reserveCapacity(specs.count)
        for start in byName where !visited[start] {
            visited[start] = true
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            while let (node, next) = stack.last {
                if next < sortedDeps[node].count {
                    stack[stack.count - 1].next += 1
                    let dep = sortedDeps[node][next]
                    if !visited[dep] {
                        visited[dep] = true
                        stack.append((dep, 0))
                    }
                } else {
                    order.append(node)
                    stack.removeLast()
                }
            }
        }
        return order
    }

    /// Reference §3: field, feature and snapshot versions, parents before children.
    private static func versions(
        _ specs: [FeatureSpec], parents: [[[FieldRef]]], order: [Int]
    ) -> (fields: [[String]], features: [String], snapshot: String) {
        var fields = specs.map { [String](repeating: "", count: $0.fields.count) }
        var features = [String](repeating: "", count: specs.count)
        for f in order {
            let spec = specs[f]
            for (k, field) in spec.fields.enumerated() {
                var h = SHA256Hex()
                h.update(spec.key.string + "." + field.key.string)
                h.update(String(field.codeVersion))
                for p in parents[f][k] { h.update(fields[p.feature][p.field]) }
                fields[f][k] = h.finalize()
            }
            var h = SHA256Hex()
            for k in spec.fields.indices.sorted(by: { codePointLess(spec.fields[$0].key.string, spec.fields[$1].key.string) }) {
                h.update(spec.fields[k].key.string)
                h.update(fields[f][k])
            }
            features[f] = h.finalize()
        }
        guard !specs.isEmpty else { return (fields, features, "empty") }
        var h = SHA256Hex()
        for f in specs.indices.sorted(by: { FeatureKey.listLess(specs[$0].key, specs[$1].key) }) {
            h.update(specs[f].key.string)
            h.update(features[f])
        }
        return (fields, features, h.finalize())
    }
}

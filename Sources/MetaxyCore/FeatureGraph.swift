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
    private let indexByKey: KeyIndex
    /// FeatureDeps of each feature as indices, deduplicated, in declaration order.
    public let upstream: [[Int]]
    /// Features that declare each feature as a dep, sorted by key string.
    public let downstream: [[Int]]
    /// Dependencies first; ties visited in case-insensitive key order, as metaxy's renderers do.
    public let topologicalOrder: [Int]
    /// Each feature's index in `topologicalOrder`.
    public let topologicalPosition: [Int]
    public let snapshotVersion: String
    /// The metaxy 0.1.x project graph this one shows, and the truncation of its versions:
    /// `snapshotVersion` is then its project version, and its words are 0.1.x's.
    public let project: (graph: ProjectGraph, truncation: Int)?
    public var hasProjectVersions: Bool { project != nil }
    private let fieldBase: [Int]
    private let fieldFeature: [Int32]
    let parentStart: [Int]
    let parentIDs: [Int32]
    private let childStart: [Int]
    private let childIDs: [Int32]
    /// `versionWidth` hex bytes per field (global id) and per feature.
    private let fieldHex: [UInt8]
    private let featureHex: [UInt8]
    /// 64 for metaxy 0.0.0's versions; metaxy 0.1.x truncates its own (`hash_truncation_length`).
    private let versionWidth: Int

    /// Validates `specs` and resolves them; every problem, with any `problems` found while reading
    /// the specs, is reported at once.
    public convenience init(specs: [FeatureSpec], source: String = "<graph>", problems: [GraphProblem] = []) throws(GraphError) {
        try self.init(specs: specs, source: source, problems: problems, given: nil)
    }

    /// The graph of a metaxy 0.1.x project (`ProjectGraph.featureGraph`): `specs` are its
    /// features, and every version is 0.1.x's at `truncation`, the project version as the snapshot's.
    convenience init(specs: [FeatureSpec], source: String, project: ProjectGraph, truncation: Int) throws(GraphError) {
        try self.init(specs: specs, source: source, problems: [], given: (project, truncation))
    }

    private init(specs: [FeatureSpec], source: String, problems: [GraphProblem], given: (graph: ProjectGraph, truncation: Int)?) throws(GraphError) {
        var resolver = GraphResolver(specs: specs, file: source)
        resolver.problems.insert(contentsOf: problems, at: 0)
        // Cycles are looked for even when other problems were found, so all are reported at once.
        let order = resolver.topologicalOrder()
        if !resolver.problems.isEmpty { throw GraphError(resolver.problems) }
        self.specs = specs
        self.source = source
        indexByKey = resolver.indexByKey
        upstream = resolver.upstream
        topologicalOrder = order
        var position = [Int](repeating: 0, count: order.count)
        for (p, f) in order.enumerated() { position[f] = p }
        topologicalPosition = position
        fieldBase = resolver.fieldBase
        fieldFeature = resolver.fieldFeature
        parentStart = resolver.parentStart
        parentIDs = resolver.parentIDs

        // Readers appended in key order come out sorted by key.
        var downstream = [[Int]](repeating: [], count: specs.count)
        for i in resolver.keyOrder { for u in upstream[i] { downstream[u].append(i) } }
        self.downstream = downstream

        // Children in CSR form: count, then place.
        var childStart = [Int](repeating: 0, count: resolver.fieldCount + 1)
        for p in resolver.parentIDs { childStart[Int(p) + 1] += 1 }
        for i in 0..<resolver.fieldCount { childStart[i + 1] += childStart[i] }
        var fill = childStart
        var childIDs = [Int32](repeating: 0, count: resolver.parentIDs.count)
        for child in 0..<resolver.fieldCount {
            for p in resolver.parentIDs[resolver.parentStart[child]..<resolver.parentStart[child + 1]] {
                childIDs[fill[Int(p)]] = Int32(child)
                fill[Int(p)] += 1
            }
        }
        self.childStart = childStart
        self.childIDs = childIDs

        project = given
        if let given {
            let versions = given.graph.versions(truncation: given.truncation)
            let features = specs.map { versions.features[$0.key.string] }
            fieldHex = Array(zip(specs, features).flatMap { spec, v in spec.fields.map { v?.fields[$0.key.string] ?? "" } }.joined().utf8)
            featureHex = Array(features.map { $0?.featureVersion ?? "" }.joined().utf8)
            versionWidth = features.first??.featureVersion.utf8.count ?? 64
            snapshotVersion = versions.projectVersion
            return
        }
        let hasher = VersionHasher(specs: specs, fieldBase: resolver.fieldBase,
                                   parentStart: resolver.parentStart, parentIDs: resolver.parentIDs,
                                   sortedFields: resolver.sortedFields)
        let versions = hasher.hash(keys: resolver.keys, upstream: resolver.upstream, order: order,
                                   listOrder: resolver.keysSortOneWay ? resolver.keyOrder : nil)
        fieldHex = versions.fields
        featureHex = versions.features
        versionWidth = 64
        snapshotVersion = versions.snapshot
    }

    public var count: Int { specs.count }

    public func index(of key: FeatureKey) -> Int? { indexByKey.index(of: key) }

    public func key(_ feature: Int) -> FeatureKey { specs[feature].key }

    public func fieldKey(_ ref: FieldRef) -> FieldKey { specs[ref.feature].fields[ref.field].key }

    public func isRoot(_ feature: Int) -> Bool { upstream[feature].isEmpty }

    /// `feature.field`, e.g. `example/video.audio`.
    public func fqString(_ ref: FieldRef) -> String { key(ref.feature).string + "." + fieldKey(ref).string }

    public func featureVersion(_ feature: Int) -> String { hex(featureHex, feature) }

    /// What the graph's version is called: metaxy 0.1.x's project version, or 0.0.0's snapshot.
    public var versionNoun: String { hasProjectVersions ? "project version" : "snapshot" }

    public func fieldVersion(_ ref: FieldRef) -> String { hex(fieldHex, id(ref)) }

    public func fieldVersion(_ feature: Int, _ field: Int) -> String { fieldVersion(FieldRef(feature: feature, field: field)) }

    /// The fields a field's version is computed from (reference §4), sorted by FQ string.
    public func parents(of ref: FieldRef) -> [FieldRef] {
        let i = id(ref)
        return parentIDs[parentStart[i]..<parentStart[i + 1]].map(self.ref)
    }

    /// The fields whose versions take this field's version as input.
    public func children(of ref: FieldRef) -> [FieldRef] {
        let i = id(ref)
        return childIDs[childStart[i]..<childStart[i + 1]].map(self.ref)
    }

    /// Every field reachable from `start` through parents (`upstream`) or children, itself
    /// excluded, in topological order of their features then field order. Linear in what it
    /// reaches: flat arrays, no hashing, one sort of integer keys.
    public func fieldClosure(from start: FieldRef, upstream: Bool) -> [FieldRef] {
        let (starts, ids) = upstream ? (parentStart, parentIDs) : (childStart, childIDs)
        var seen = [Bool](repeating: false, count: fieldFeature.count)
        let origin = id(start)
        seen[origin] = true
        var stack = [Int32(origin)], found: [Int] = []
        while let i = stack.popLast() {
            for n in ids[starts[Int(i)]..<starts[Int(i) + 1]] where !seen[Int(n)] {
                seen[Int(n)] = true
                stack.append(n)
                let f = Int(fieldFeature[Int(n)])
                found.append(topologicalPosition[f] << 24 | (Int(n) - fieldBase[f]))
            }
        }
        found.sort()
        return found.map { FieldRef(feature: topologicalOrder[$0 >> 24], field: $0 & 0xFFFFFF) }
    }

    /// A field's global id: its position among all fields, feature by feature.
    func id(_ ref: FieldRef) -> Int { fieldBase[ref.feature] + ref.field }

    /// Fields of every feature together.
    public var fieldCount: Int { fieldFeature.count }

    func ref(_ id: Int32) -> FieldRef {
        let f = Int(fieldFeature[Int(id)])
        return FieldRef(feature: f, field: Int(id) - fieldBase[f])
    }

    private func hex(_ buffer: [UInt8], _ i: Int) -> String {
        String(decoding: buffer[(i * versionWidth)..<(i * versionWidth + versionWidth)], as: UTF8.self)
    }
}

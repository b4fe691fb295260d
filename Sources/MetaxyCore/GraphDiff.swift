/// Two graphs compared as metaxy compares snapshots (reference §8.1): a feature is added,
/// removed, changed (its feature version differs) or unchanged; the fields of a changed feature
/// are compared by field version. Every changed field carries its causes. Sorted by key.
public struct GraphDiff: Sendable {
    public enum Status: String, Sendable, CaseIterable {
        case added, removed, changed, unchanged

        /// Never colour alone: the glyph says it too.
        public var glyph: String {
            switch self {
            case .added: "+"
            case .removed: "-"
            case .changed: "~"
            case .unchanged: " "
            }
        }
    }

    /// A field whose own definition changed, and the parent through which it reaches the
    /// effect (`chain` follows these hops all the way).
    public struct Cause: Sendable, Equatable {
        /// `feature.field` of the field that changed its definition (in the new graph).
        public let field: String
        /// What changed: `code_version 1 → 2`, `added`, `deps +a.x −b.y`.
        public let reason: String
        /// The parent `feature.field` it came through; nil when the cause is the field itself.
        public let via: String?
    }

    public struct FieldDiff: Sendable {
        public let key: String
        public let status: Status
        public let oldVersion: String?
        public let newVersion: String?
        /// The field's index in the new graph's feature, when it is there.
        public let new: Int?
    }

    public struct FeatureDiff: Sendable {
        public let key: String
        public let status: Status
        public let oldVersion: String?
        public let newVersion: String?
        /// Every field of the feature on either side, sorted by key.
        public let fields: [FieldDiff]
        /// The feature's index in each graph, when it is there.
        public let old: Int?
        public let new: Int?
    }

    public let old: FeatureGraph
    public let new: FeatureGraph
    public let features: [FeatureDiff]
    private let causeIndex: DiffCauses

    public init(old: FeatureGraph, new: FeatureGraph) {
        self.old = old
        self.new = new
        causeIndex = DiffCauses(old: old, new: new)
        var keys = Set(old.specs.map(\.key.string))
        keys.formUnion(new.specs.map(\.key.string))
        features = keys.sorted(by: codePointLess).map { key in
            let o = old.index(of: FeatureKey(string: key)), n = new.index(of: FeatureKey(string: key))
            return Self.feature(key: key, old: o, new: n, graphs: (old, new))
        }
    }

    /// Why a changed field has its new version; empty for any other field.
    public func causes(_ feature: FeatureDiff, _ field: FieldDiff) -> [Cause] {
        guard field.status == .changed, let f = feature.new, let i = field.new else { return [] }
        return causeIndex.causes(of: FieldRef(feature: f, field: i))
    }

    /// `feature.field` strings from `cause` down to the changed field, both included.
    public func chain(_ cause: Cause, _ feature: FeatureDiff, _ field: FieldDiff) -> [String] {
        guard let f = feature.new, let i = field.new else { return [] }
        return causeIndex.chain(from: cause.field, to: FieldRef(feature: f, field: i))
    }

    private init(old: FeatureGraph, new: FeatureGraph, features: [FeatureDiff], causeIndex: DiffCauses) {
        self.old = old
        self.new = new
        self.features = features
        self.causeIndex = causeIndex
    }

    /// The same diff with only the features whose keys are given, for exports of what a screen shows.
    public func restricted(to keys: Set<String>) -> GraphDiff {
        GraphDiff(old: old, new: new, features: features.filter { keys.contains($0.key) }, causeIndex: causeIndex)
    }

    public func count(_ status: Status) -> Int { features.reduce(0) { $0 + ($1.status == status ? 1 : 0) } }

    /// `3 changed, 1 added, 1 removed, 40 unchanged`.
    public var summary: String {
        [Status.changed, .added, .removed, .unchanged].map { "\(count($0)) \($0.rawValue)" }.joined(separator: ", ")
    }

    private static func feature(key: String, old o: Int?, new n: Int?, graphs: (old: FeatureGraph, new: FeatureGraph)) -> FeatureDiff {
        let oldVersion = o.map(graphs.old.featureVersion), newVersion = n.map(graphs.new.featureVersion)
        let status: Status = o == nil ? .added : n == nil ? .removed : oldVersion == newVersion ? .unchanged : .changed
        var fieldKeys = Set<String>()
        if let o { fieldKeys.formUnion(graphs.old.specs[o].fields.map(\.key.string)) }
        if let n { fieldKeys.formUnion(graphs.new.specs[n].fields.map(\.key.string)) }
        let fields = fieldKeys.sorted(by: codePointLess).map { field -> FieldDiff in
            let oi = o.flatMap { graphs.old.fieldIndex(of: field, in: $0) }, ni = n.flatMap { graphs.new.fieldIndex(of: field, in: $0) }
            let ov = oi.map { graphs.old.fieldVersion(o!, $0) }, nv = ni.map { graphs.new.fieldVersion(n!, $0) }
            var fieldStatus: Status = ov == nil ? .added : nv == nil ? .removed : ov == nv ? .unchanged : .changed
            // metaxy compares fields only inside changed features.
            if status == .unchanged { fieldStatus = .unchanged }
            return FieldDiff(key: field, status: fieldStatus, oldVersion: ov, newVersion: nv, new: ni)
        }
        return FeatureDiff(key: key, status: status, oldVersion: oldVersion, newVersion: newVersion, fields: fields, old: o, new: n)
    }
}

extension FeatureGraph {
    /// The index of the field with key string `key` in `feature`, if it has one.
    public func fieldIndex(of key: String, in feature: Int) -> Int? {
        specs[feature].fields.firstIndex { $0.key.string == key }
    }
}

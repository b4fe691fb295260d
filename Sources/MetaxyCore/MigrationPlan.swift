/// What a migration from one graph to another does, feature by feature, in the new graph's
/// dependency order (DESIGN §2): a feature whose field versions changed is reconciled (its
/// stored samples get the new data versions, no recompute) unless its data cannot be derived
/// from what is stored, which is said as "needs recompute" and blocks nothing else.
public struct MigrationPlan: Sendable {
    public enum Action: Sendable, Equatable {
        case reconcile
        case recompute(String)
    }

    public struct Feature: Sendable {
        public let key: FeatureKey
        public let action: Action
        /// nil for a feature the old graph does not have.
        public let fromVersion: String?
        public let toVersion: String
        /// The fields whose versions changed, added or removed, as `+name`, `~name`, `-name`.
        public let fields: [String]
    }

    public let diff: GraphDiff
    public let features: [Feature]

    public init(from: FeatureGraph, to: FeatureGraph) {
        diff = GraphDiff(old: from, new: to)
        let byKey = Dictionary(uniqueKeysWithValues: diff.features.map { ($0.key, $0) })
        features = to.topologicalOrder.compactMap { f -> Feature? in
            let key = to.key(f)
            guard let change = byKey[key.string], change.status == .changed || change.status == .added else { return nil }
            let fields = change.fields.filter { $0.status != .unchanged }.map { $0.status.glyph + $0.key }
            let added = change.fields.filter { $0.status == .added }.map(\.key)
            let action: Action
            if change.status == .added {
                action = .recompute("new feature: nothing stored to reconcile")
            } else if to.isRoot(f) {
                action = .recompute("data changed at the source: a root feature's rows carry their own data versions; write them again")
            } else if !added.isEmpty {
                action = .recompute("new field\(added.count == 1 ? "" : "s") \(added.joined(separator: ", ")): \(added.count == 1 ? "its" : "their") data must be computed")
            } else {
                action = .reconcile
            }
            return Feature(key: key, action: action, fromVersion: change.oldVersion, toVersion: to.featureVersion(f), fields: fields)
        }
    }

    public var reconciled: [Feature] { features.filter { $0.action == .reconcile } }
    public var isEmpty: Bool { features.isEmpty }
}

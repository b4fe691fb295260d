/// Why one sample of a feature is or is not stale, field by field: the stored data version, the
/// one the upstream rows give now, and the hash recipe with each upstream value.
public struct SampleExplanation: Sendable {
    public struct Input: Sendable {
        public let label: String
        /// The upstream feature, to go and look at the sample there.
        public let upstream: FeatureKey
        /// The latest upstream row's value now, nil when the upstream has no row for the sample.
        public let value: String?
        /// The value in the upstream row written before the latest one, if there was one.
        public let previous: String?
        /// The upstream value was rewritten: the likely reason a field is stale.
        public var changed: Bool { previous != nil && previous != value }

        public init(label: String, upstream: FeatureKey, value: String?, previous: String?) {
            self.label = label
            self.upstream = upstream
            self.value = value
            self.previous = previous
        }
    }

    public struct Field: Sendable {
        public let key: String
        public let codeVersion: String
        public let stored: String?
        public let expected: String?
        public let inputs: [Input]
        public var isStale: Bool { stored != expected }

        public init(key: String, codeVersion: String, stored: String?, expected: String?, inputs: [Input]) {
            self.key = key
            self.codeVersion = codeVersion
            self.stored = stored
            self.expected = expected
            self.inputs = inputs
        }
    }

    public let feature: FeatureKey
    public let uid: SampleUID
    /// Whether a row is stored at the feature's current feature version.
    public let storedAtCurrentVersion: Bool
    public let fields: [Field]
    /// Every upstream (every FeatureDep) has a row of the sample: it is one of metaxy's targets.
    public let inEveryUpstream: Bool
    /// Said in metaxy 0.1.x's words: new and orphaned for added and removed.
    public let projectWords: Bool

    public init(feature: FeatureKey, uid: SampleUID, storedAtCurrentVersion: Bool, fields: [Field], inEveryUpstream: Bool = true,
                projectWords: Bool = false) {
        self.feature = feature
        self.uid = uid
        self.storedAtCurrentVersion = storedAtCurrentVersion
        self.fields = fields
        self.inEveryUpstream = inEveryUpstream
        self.projectWords = projectWords
    }
}

extension SampleExplanation {
    /// From the sample's rows, oldest first (`history`), in the feature and its upstreams: the row
    /// stored at the current feature version, and each upstream's latest row and the one before.
    public init(graph: FeatureGraph, feature f: Int, uid: SampleUID, algorithm: HashAlgorithm, history: (FeatureKey) -> [SampleRow]) {
        let version = graph.featureVersion(f)
        let current = history(graph.key(f)).last { $0.featureVersion == version }?.dataVersion
        let recipe = DataVersionRecipe(graph: graph, feature: f)
        var upstream: [FeatureKey: [String: String]] = [:], previous: [FeatureKey: [String: String]] = [:]
        for u in recipe.upstreams {
            let rows = history(u)
            upstream[u] = rows.last?.dataVersion
            previous[u] = rows.dropLast().last?.dataVersion
        }
        // Not in every upstream (also one no field reads): not in metaxy's join, no expected version.
        let joined = recipe.upstreams.allSatisfy { upstream[$0] != nil }
        let fields = recipe.fields.map { field in
            let inputs = field.inputs.map {
                Input(label: $0.label, upstream: $0.upstream, value: upstream[$0.upstream]?[$0.field.string],
                      previous: previous[$0.upstream]?[$0.field.string])
            }
            let expected = graph.isRoot(f) ? current?[field.key.string]
                : joined ? DataVersionRecipe.hashInput(field) { upstream[$0.upstream]?[$0.field.string] }.map(algorithm.digest) : nil
            return Field(key: field.key.string, codeVersion: String(field.codeVersion), stored: current?[field.key.string], expected: expected, inputs: inputs)
        }
        self.init(feature: graph.key(f), uid: uid, storedAtCurrentVersion: current != nil, fields: fields, inEveryUpstream: joined)
    }
}

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
        public let codeVersion: Int
        public let stored: String?
        public let expected: String?
        public let inputs: [Input]
        public var isStale: Bool { stored != expected }

        public init(key: String, codeVersion: Int, stored: String?, expected: String?, inputs: [Input]) {
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

    public init(feature: FeatureKey, uid: SampleUID, storedAtCurrentVersion: Bool, fields: [Field]) {
        self.feature = feature
        self.uid = uid
        self.storedAtCurrentVersion = storedAtCurrentVersion
        self.fields = fields
    }
}

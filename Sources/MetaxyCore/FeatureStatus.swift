/// One feature's state in a store against a graph: how many rows, and what is stale.
public struct FeatureStatus: Sendable {
    public let key: FeatureKey
    public let featureVersion: String
    public let root: Bool
    /// Every row of the feature's table, any feature version.
    public let storedRows: Int
    /// Distinct samples stored at the current feature version.
    public let currentRows: Int
    /// The stale set's samples, sorted; empty for roots, whose targets come from the user.
    public let added: [SampleUID]
    public let changed: [SampleUID]
    public let removed: [SampleUID]

    public init(key: FeatureKey, featureVersion: String, root: Bool, storedRows: Int, currentRows: Int,
                added: [SampleUID], changed: [SampleUID], removed: [SampleUID]) {
        self.key = key
        self.featureVersion = featureVersion
        self.root = root
        self.storedRows = storedRows
        self.currentRows = currentRows
        self.added = added
        self.changed = changed
        self.removed = removed
    }

    public var isFresh: Bool { added.isEmpty && changed.isEmpty && removed.isEmpty }
}

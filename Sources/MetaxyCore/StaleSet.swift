/// What must be recomputed for one feature (reference §5.4): target samples not stored yet
/// (added), stored with a different data version (changed), stored but no longer produced (removed).
public struct StaleSet: Sendable, Equatable {
    /// A sample and its data version, field by field in spec order.
    public struct Row: Sendable, Equatable {
        public let uid: SampleUID
        public let dataVersion: [String: String]
        public init(uid: SampleUID, dataVersion: [String: String]) {
            self.uid = uid
            self.dataVersion = dataVersion
        }
    }

    /// Sorted by sample_uid.
    public let added: [Row]
    public let changed: [Row]
    /// With the stored (old) data version.
    public let removed: [Row]

    /// Compares what the upstreams now produce with what is stored at the current feature version.
    public init(target: some Sequence<Row>, current: some Sequence<Row>) {
        var stored: [SampleUID: [String: String]] = [:]
        for row in current { stored[row.uid] = row.dataVersion }
        var added: [Row] = [], changed: [Row] = [], seen = Set<SampleUID>()
        for row in target {
            seen.insert(row.uid)
            switch stored[row.uid] {
            case nil: added.append(row)
            case let old? where old != row.dataVersion: changed.append(row)
            default: break
            }
        }
        self.added = added.sorted { $0.uid < $1.uid }
        self.changed = changed.sorted { $0.uid < $1.uid }
        removed = stored.filter { !seen.contains($0.key) }.map { Row(uid: $0.key, dataVersion: $0.value) }.sorted { $0.uid < $1.uid }
    }

    public var isEmpty: Bool { added.isEmpty && changed.isEmpty && removed.isEmpty }
}

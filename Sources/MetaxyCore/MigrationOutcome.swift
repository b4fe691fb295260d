/// What reconciling one feature does to its samples (DESIGN §2): each sample stored at the old
/// feature version gets one new row at the new version, its data version computed from the
/// upstreams' latest rows and its user columns kept, unless it is already stored at the new
/// version or an upstream lacks it.
public struct Reconciliation: Sendable, Equatable {
    public let key: FeatureKey
    /// Samples whose latest row is at the old feature version: they get a row at the new one.
    public let rewritten: Int
    /// Samples whose latest row is at the new feature version: left as they are.
    public let current: Int
    /// Samples the upstreams have and that were never stored at the old version: a real recompute.
    public let notStored: Int
    /// Samples stored at the old version that an upstream no longer has: a real recompute.
    public let upstreamMissing: Int
    /// Samples whose old row was outdone by a row at another version: left as they are, since a
    /// copy of the old row would hide the newer one.
    public let superseded: Int

    /// Samples that still need a real recompute after the migration.
    public var recompute: Int { notStored + upstreamMissing + superseded }

    public init(key: FeatureKey, rewritten: Int, current: Int, notStored: Int, upstreamMissing: Int, superseded: Int) {
        self.key = key
        self.rewritten = rewritten
        self.current = current
        self.notStored = notStored
        self.upstreamMissing = upstreamMissing
        self.superseded = superseded
    }
}

/// What applying a migration did (or, in a dry run, would do), feature by feature in the plan's order.
public struct MigrationOutcome: Sendable {
    public enum Result: Sendable {
        case reconciled(Reconciliation)
        /// Finished by an earlier apply: the rows it wrote then.
        case alreadyDone(rows: Int)
        case recompute(String)
        case failed(String)
    }

    public let migration: Migration
    public let features: [(key: FeatureKey, result: Result)]
    public let dryRun: Bool

    public init(migration: Migration, features: [(key: FeatureKey, result: Result)], dryRun: Bool) {
        self.migration = migration
        self.features = features
        self.dryRun = dryRun
    }

    public var failures: [(key: FeatureKey, message: String)] {
        features.compactMap { if case let .failed(message) = $0.result { ($0.key, message) } else { nil } }
    }

    public var rowsWritten: Int {
        features.reduce(0) { if case let .reconciled(r) = $1.result { $0 + r.rewritten } else { $0 } }
    }
}


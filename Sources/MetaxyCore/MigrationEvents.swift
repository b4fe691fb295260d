/// One row of `metaxy-system__migration_events`, as metaxy 0.0.0 writes it: `started`,
/// `feature_started`, `feature_completed` (an error message when the feature failed), then
/// `completed` or `failed`; empty strings and 0 where a column does not apply.
public struct MigrationEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case started, featureStarted = "feature_started", featureCompleted = "feature_completed", completed, failed
    }

    public let migrationID: String
    public let kind: String
    /// Naive UTC, `YYYY-MM-DDTHH:MM:SS.ffffff`.
    public let timestamp: String
    public let featureKey: String
    public let rowsAffected: Int
    public let errorMessage: String

    public init(migrationID: String, kind: String, timestamp: String, featureKey: String = "", rowsAffected: Int = 0,
                errorMessage: String = "") {
        self.migrationID = migrationID
        self.kind = kind
        self.timestamp = timestamp
        self.featureKey = featureKey
        self.rowsAffected = rowsAffected
        self.errorMessage = errorMessage
    }
}

/// Where one migration stands, from its events: metaxy's rule for the status (the latest event
/// says it), and per feature whether it finished. A feature that failed and later finished is
/// finished; metaxy keeps listing the old failure.
public struct MigrationProgress: Sendable {
    public enum Status: String, Sendable { case notStarted = "not started", inProgress = "in progress", completed, failed }

    public let status: Status
    /// Feature key → rows written, for each feature that finished.
    public let completed: [String: Int]
    /// Feature key → the last error, for features that failed and have not finished since.
    public let failed: [String: String]

    public init(_ events: [MigrationEvent]) {
        var completed: [String: Int] = [:], failed: [String: String] = [:]
        for event in events where event.kind == MigrationEvent.Kind.featureCompleted.rawValue {
            if event.errorMessage.isEmpty {
                completed[event.featureKey] = event.rowsAffected
                failed[event.featureKey] = nil
            } else if completed[event.featureKey] == nil {
                failed[event.featureKey] = event.errorMessage
            }
        }
        self.completed = completed
        self.failed = failed
        // The latest by timestamp; of equal ones, the last written (events come in write order).
        let latest = events.reduce(nil as MigrationEvent?) { last, event in last.map { $0.timestamp > event.timestamp } == true ? last : event }
        status = switch latest?.kind {
        case nil: .notStarted
        case MigrationEvent.Kind.completed.rawValue?: .completed
        case MigrationEvent.Kind.failed.rawValue?: .failed
        default: .inProgress
        }
    }
}

import MetaxyCore

extension MetaxyStore {
    public static let migrationEventsTable = "metaxy-system__migration_events"

    /// The events of one migration (or of all), in write order; none when the table is not there.
    public func migrationEvents(_ migrationID: String? = nil) throws(StoreError) -> [MigrationEvent] {
        if project != nil {
            throw StoreError(file: path, "is a metaxy 0.1.x store: 0.1.x has no migrations (it recomputes provenance with `metaxy metadata rebase`)")
        }
        return try backend.migrationEvents(migrationID)
    }

    /// Appends an event as metaxy writes it (the table made as metaxy makes it, when missing).
    public func record(_ event: MigrationEvent) throws(StoreError) { try backend.record(event) }

    /// An event of `kind` stamped now.
    public static func event(_ migrationID: String, _ kind: MigrationEvent.Kind, feature: String = "", rows: Int = 0,
                             error: String = "") -> MigrationEvent {
        MigrationEvent(migrationID: migrationID, kind: kind.rawValue, timestamp: timestamp(), featureKey: feature, rowsAffected: rows,
                       errorMessage: error)
    }
}

import MetaxyCore

extension MetaxyStore {
    public static let migrationEventsTable = "metaxy-system__migration_events"

    /// The events of one migration (or of all), in write order; none when the table is not there.
    public func migrationEvents(_ migrationID: String? = nil) throws(StoreError) -> [MigrationEvent] {
        guard try hasTable(Self.migrationEventsTable) else { return [] }
        let filter = migrationID == nil ? "" : " WHERE migration_id = ?"
        return try db.query("""
            SELECT migration_id, event_type, timestamp, feature_key, rows_affected, error_message
            FROM \(SQLiteDatabase.quote(Self.migrationEventsTable))\(filter) ORDER BY rowid
            """, migrationID.map { [.text($0)] } ?? []).map { row in
            MigrationEvent(migrationID: row[0].text ?? "", kind: row[1].text ?? "", timestamp: row[2].text ?? "",
                           featureKey: row[3].text ?? "", rowsAffected: Int(row[4].integer ?? 0), errorMessage: row[5].text ?? "")
        }
    }

    /// Whether `feature` finished in `migrationID` (a `feature_completed` without an error).
    func featureCompleted(_ migrationID: String, _ feature: String) throws(StoreError) -> Bool {
        guard try hasTable(Self.migrationEventsTable) else { return false }
        return try !db.query("SELECT 1 FROM \(SQLiteDatabase.quote(Self.migrationEventsTable)) WHERE migration_id = ? AND feature_key = ? "
            + "AND event_type = 'feature_completed' AND error_message = '' LIMIT 1", [.text(migrationID), .text(feature)]).isEmpty
    }

    /// Appends an event as metaxy writes it (the table made as metaxy makes it, when missing).
    public func record(_ event: MigrationEvent) throws(StoreError) {
        try db.execute(Self.systemTablesDDL)
        _ = try db.query("INSERT INTO \(SQLiteDatabase.quote(Self.migrationEventsTable)) VALUES (?, ?, ?, ?, ?, ?)",
                     [.text(event.migrationID), .text(event.kind), .text(event.timestamp), .text(event.featureKey),
                      .integer(Int64(event.rowsAffected)), .text(event.errorMessage)])
    }

    /// An event of `kind` stamped now.
    public static func event(_ migrationID: String, _ kind: MigrationEvent.Kind, feature: String = "", rows: Int = 0,
                             error: String = "") -> MigrationEvent {
        MigrationEvent(migrationID: migrationID, kind: kind.rawValue, timestamp: timestamp(), featureKey: feature, rowsAffected: rows,
                       errorMessage: error)
    }
}

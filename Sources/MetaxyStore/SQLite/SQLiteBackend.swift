import Foundation
import MetaxyCore

/// A store in metaxy 0.0.0's SQLite layout (reference §7): one table per feature, rowid as the
/// write order, and metaxy's system tables.
final class SQLiteBackend: StoreBackend {
    let path: String
    let db: SQLiteDatabase
    var location: String { path }

    /// Opens an existing store; read-only unless asked, and a read-only store is never modified.
    /// With `create`, a missing file becomes a new store (WAL journal, metaxy's system tables).
    init(path: String, readOnly: Bool, create: Bool) throws(StoreError) {
        self.path = path
        if create && !FileManager.default.fileExists(atPath: path) {
            db = try SQLiteDatabase(path: path, readOnly: false)
            try db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
            try db.execute(Self.systemTablesDDL)
            return
        }
        try Self.checkFile(path)
        if !readOnly, let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int,
           mode & 0o222 == 0 {
            // Honoured even for root, who could write anyway: the file was made read-only on purpose.
            throw StoreError(file: path, "is read-only; make it writable (chmod u+w) or write to another store")
        }
        db = try SQLiteDatabase(path: path, readOnly: readOnly)
        let tables = try db.query("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.first?.text }
        guard tables.contains(MetaxyStore.featureVersionsTable) || tables.contains(where: { !$0.hasPrefix("sqlite_") }) else {
            throw StoreError(file: path, "is a SQLite database but not a metaxy store: it has no tables")
        }
        var hasFeatureTable = tables.contains(MetaxyStore.featureVersionsTable)
        for table in tables where !hasFeatureTable {
            let columns = try columns(of: table)
            hasFeatureTable = columns.contains("sample_uid") && columns.contains("data_version")
        }
        guard hasFeatureTable else {
            throw StoreError(file: path, "is a SQLite database but not a metaxy store: no `\(MetaxyStore.featureVersionsTable)` "
                + "table and no table with sample_uid and data_version columns")
        }
    }

    /// metaxy 0.0.0's system tables, as its SQLite store creates them (reference §7.2).
    static let systemTablesDDL = """
        CREATE TABLE IF NOT EXISTS "metaxy-system__feature_versions" ("feature_key" TEXT, "feature_version" TEXT, \
        "recorded_at" TIMESTAMP(6), "feature_spec" TEXT, "feature_class_path" TEXT, "snapshot_version" TEXT);
        CREATE TABLE IF NOT EXISTS "metaxy-system__migration_events" ("migration_id" TEXT, "event_type" TEXT, \
        "timestamp" TIMESTAMP(6), "feature_key" TEXT, "rows_affected" INTEGER, "error_message" TEXT);
        """

    /// Whether `path` starts like a SQLite database; graph files never do.
    static func looksLikeSQLite(_ path: String) -> Bool {
        HeldFiles.prefix(path, 16) == Array("SQLite format 3\0".utf8)
    }

    private static func checkFile(_ path: String) throws(StoreError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw StoreError(file: path, "no such file; give the path of a metaxy SQLite store or a postgresql:// URL")
        }
        guard !isDirectory.boolValue else { throw StoreError(file: path, "is a directory, not a SQLite store") }
        guard FileManager.default.isReadableFile(atPath: path) else { throw StoreError(file: path, "cannot be read; check its permissions") }
        guard looksLikeSQLite(path) else {
            throw StoreError(file: path, "is not a SQLite database (its header is not \"SQLite format 3\"); check the path")
        }
    }

    private var quote: (String) -> String { quoteIdentifier }
    private static let dialect = SQLDialect(quote: quoteIdentifier, order: "rowid", parameter: { _ in "?" }, same: { "\($0) IS \($1)" })
    private var dialect: SQLDialect { Self.dialect }

    /// SQLite compares table names without case, so two keys whose table names differ only in
    /// case would share a table (metaxy crashes there); refuse them up front.
    func checkTableNames(_ graph: FeatureGraph) throws(StoreError) {
        var seen: [String: FeatureKey] = [:]
        for f in 0..<graph.count {
            let key = graph.key(f)
            if let other = seen.updateValue(key, forKey: key.tableName.lowercased()), other != key {
                throw StoreError(file: path, "features '\(other)' and '\(key)' would share one table (SQLite ignores case "
                    + "in table names); rename one of them")
            }
        }
    }

    func hasTable(_ name: String) throws(StoreError) -> Bool {
        try !db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(name)]).isEmpty
    }

    func featureTables() throws(StoreError) -> [String] {
        try db.query("""
            SELECT m.name FROM sqlite_master AS m WHERE m.type = 'table' AND m.name NOT LIKE 'metaxy-system%' AND m.name NOT LIKE 'sqlite_%'
            AND (SELECT count(*) FROM pragma_table_info(m.name) WHERE name IN ('sample_uid', 'data_version')) = 2 ORDER BY m.name
            """).compactMap { $0.first?.text }
    }

    func columns(of table: String) throws(StoreError) -> [String] {
        try db.query("SELECT name FROM pragma_table_info(?)", [.text(table)]).compactMap { $0.first?.text }
    }

    // MARK: system tables

    func snapshots() throws(StoreError) -> [Snapshot] {
        guard try hasTable(MetaxyStore.featureVersionsTable) else { return [] }
        return try db.query("""
            SELECT snapshot_version, MIN(recorded_at), COUNT(DISTINCT feature_key) FROM \(quote(MetaxyStore.featureVersionsTable))
            GROUP BY snapshot_version ORDER BY MIN(recorded_at) DESC, snapshot_version
            """).map { row in
            Snapshot(version: row[0].text ?? "", recordedAt: row[1].text ?? "", featureCount: Int(row[2].integer ?? 0))
        }
    }

    func snapshotSpecs(_ version: String) throws(StoreError) -> [String] {
        try db.query("SELECT feature_spec FROM \(quote(MetaxyStore.featureVersionsTable)) WHERE snapshot_version = ? ORDER BY feature_key",
                     [.text(version)]).compactMap { $0.first?.text }
    }

    func recordSnapshot(_ rows: [[String]], version: String) throws(StoreError) -> Bool {
        let table = quote(MetaxyStore.featureVersionsTable)
        let recorded = "SELECT 1 FROM \(table) WHERE snapshot_version = ? LIMIT 1"
        // A snapshot already there is answered at once, without waiting for the write lock.
        if try hasTable(MetaxyStore.featureVersionsTable), try !db.query(recorded, [.text(version)]).isEmpty { return false }
        try db.execute("BEGIN IMMEDIATE")
        do throws(StoreError) {
            // Checked again under the write lock: two pushes of one snapshot record it once.
            if try !db.query(recorded, [.text(version)]).isEmpty {
                try db.execute("COMMIT")
                return false
            }
            let insert = try db.prepare("INSERT INTO \(table) VALUES (?, ?, ?, ?, ?, ?)")
            for row in rows { try insert.run(row.map(StoreValue.text)) }
            try db.execute("COMMIT")
            return true
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    func migrationEvents(_ migrationID: String?) throws(StoreError) -> [MigrationEvent] {
        guard try hasTable(MetaxyStore.migrationEventsTable) else { return [] }
        let filter = migrationID == nil ? "" : " WHERE migration_id = ?"
        return try db.query("""
            SELECT migration_id, event_type, timestamp, feature_key, rows_affected, error_message
            FROM \(quote(MetaxyStore.migrationEventsTable))\(filter) ORDER BY rowid
            """, migrationID.map { [.text($0)] } ?? []).map(MigrationEvent.init(row:))
    }

    func featureCompleted(_ migrationID: String, _ feature: String) throws(StoreError) -> Bool {
        guard try hasTable(MetaxyStore.migrationEventsTable) else { return false }
        return try !db.query("SELECT 1 FROM \(quote(MetaxyStore.migrationEventsTable)) WHERE migration_id = ? AND feature_key = ? "
            + "AND event_type = 'feature_completed' AND error_message = '' LIMIT 1", [.text(migrationID), .text(feature)]).isEmpty
    }

    func record(_ event: MigrationEvent) throws(StoreError) {
        try db.execute(Self.systemTablesDDL)
        _ = try db.query("INSERT INTO \(quote(MetaxyStore.migrationEventsTable)) VALUES (?, ?, ?, ?, ?, ?)", event.values)
    }

    // MARK: reading rows

    func scan(_ table: String, _ columns: [ScanColumn], _ body: (SQLiteDatabase.RowView) throws -> Void) throws {
        guard try hasTable(table) else { return }
        try Self.scan(db, table, columns, body)
    }

    private static func scan(_ db: SQLiteDatabase, _ table: String, _ columns: [ScanColumn], _ body: (SQLiteDatabase.RowView) throws -> Void) throws {
        let (sql, arguments) = dialect.scan(table, columns)
        try db.forEachRow(sql, arguments, body)
    }

    /// Several tables are read at once, each on a connection of its own: a stale set reads a
    /// feature and its upstreams, millions of rows each. Each table is read in one statement,
    /// as consistent as reading them one after the other, since a write changes one table.
    func sortedRows(_ tables: [(name: String, featureVersion: String?)]) throws -> [SortedRows] {
        let present = try tables.map { try hasTable($0.name) }
        if tables.count == 1 {
            return [present[0] ? try Self.sortedRows(db, file: path, tables[0]) : SortedRows()]
        }
        let file = path
        return try Parallel.map(tables.indices) { i -> Result<SortedRows, Error> in
            guard present[i] else { return .success(SortedRows()) }
            return Result { try Self.sortedRows(try SQLiteDatabase(path: file, readOnly: true), file: file, tables[i]) }
        }.map { try $0.get() }
    }

    /// A table's latest rows decoded from its pages when its layout allows (`PageRows`), else
    /// stepped through SQLite.
    private static func sortedRows(_ db: SQLiteDatabase, file: String, _ table: (name: String, featureVersion: String?)) throws -> SortedRows {
        if let rows = try fromPages(db, file: file, table) { return rows }
        return try throughSQLite(db, file: file, table)
    }

    static func throughSQLite(_ db: SQLiteDatabase, file: String, _ table: (name: String, featureVersion: String?)) throws -> SortedRows {
        try SortedRows(featureVersion: table.featureVersion, file: file, table: table.name) { try scan(db, table.name, $0, $1) }
    }

    /// Whether a column declared `type` has REAL affinity (sqlite.org/datatype3.html §3.1): SQLite
    /// stores a whole 3.0 there as the integer 3 and reads it back as 3.0.
    private static func hasRealAffinity(_ type: String) -> Bool {
        let type = type.uppercased()
        return !["INT", "CHAR", "CLOB", "TEXT", "BLOB"].contains { type.contains($0) } && !type.isEmpty
            && ["REAL", "FLOA", "DOUB"].contains { type.contains($0) }
    }

    /// Nil when the pages cannot be read as SQLite reads the table now. In a read transaction of
    /// its own, so that no checkpoint rewrites the pages meanwhile; the schema cookie of the
    /// pages read must be the transaction's, so the table's root and columns are those asked.
    static func fromPages(_ db: SQLiteDatabase, file: String, _ table: (name: String, featureVersion: String?)) throws -> SortedRows? {
        // A connection in a transaction may have changes of its own that the files do not show.
        guard db.isAutocommit else { return nil }
        try db.execute("BEGIN")
        defer { try? db.execute("COMMIT") }
        guard let cookie = try db.query("PRAGMA schema_version").first?.first?.integer,
              let master = try db.query("SELECT rootpage, sql FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(table.name)]).first,
              let root = master[0].integer, root > 0, !(master[1].text ?? "").uppercased().contains("COLLATE") else { return nil }
        // Columns in record order; a hidden or generated column, or the rowid under a name, is not followed.
        let columns = try db.query("PRAGMA table_xinfo(\(quoteIdentifier(table.name)))")
        guard columns.allSatisfy({ $0[6].integer == 0 && $0[5].integer == 0 }) else { return nil }
        let names = columns.map { $0[1].text ?? "" }
        guard let uid = names.firstIndex(of: "sample_uid"), !hasRealAffinity(columns[uid][2].text ?? ""),
              let version = names.firstIndex(of: "data_version"),
              let image = PageImage(path: file), let header = image.header(), header.utf8, header.schemaCookie == UInt32(truncatingIfNeeded: cookie) else { return nil }
        let featureVersion = names.firstIndex(of: "feature_version")
        do {
            return try SortedRows(featureVersion: table.featureVersion, file: file, table: table.name) { (columns: [ScanColumn], body: (PageRow) throws -> Void) in
                let sources = try columns.map { column -> PageRows.Source in
                    switch column {
                    case .sampleUID: return .field(uid)
                    case .dataVersion: return .text(version)
                    case let .isAt(wanted):
                        guard let featureVersion else { throw PageRows.NotFollowed() }
                        return .equals(featureVersion, Array(wanted.utf8))
                    case .one: return .one
                    case .featureVersion, .order: throw PageRows.NotFollowed()
                    }
                }
                try PageRows.scan(image, root: UInt32(truncatingIfNeeded: root), sources: sources, body)
            }
        } catch is PageRows.NotFollowed {
            return nil
        }
    }

    /// Stores written here index sample_uid, so this is a lookup; others' tables are scanned.
    /// Matched by type too, as the stale sets match: SQL's `=` would take the text '7' for 7.
    func history(_ table: String, _ sample: SampleUID) throws(StoreError) -> [(featureVersion: String, dataVersion: String?)] {
        guard try hasTable(table) else { return [] }
        return try presentHistory(table, sample)
    }

    /// `history` of a table known to be there (the cache looks up thousands of samples in one).
    func presentHistory(_ table: String, _ sample: SampleUID) throws(StoreError) -> [(featureVersion: String, dataVersion: String?)] {
        let type = if case .int = sample { "integer" } else { "text" }
        return try db.query("SELECT feature_version, data_version FROM \(quote(table)) WHERE sample_uid = ? "
            + "AND typeof(sample_uid) = '\(type)' ORDER BY rowid", [sample.storeValue]).map { ($0[0].text ?? "", $0[1].text) }
    }

    func someDataVersions(_ table: String, limit: Int) throws(StoreError) -> [String] {
        guard try hasTable(table) else { return [] }
        return try db.query("SELECT data_version FROM \(quote(table)) LIMIT ?", [.integer(Int64(limit))]).compactMap { $0[0].text }
    }


    func rows(_ table: String, columns: [String], _ request: RowRequest) throws(StoreError) -> [[StoreValue]] {
        guard let (sql, arguments) = dialect.rows(table, columns: columns, request) else { return [] }
        // SQLite's LIMIT takes -1, not NULL, for no limit.
        return try db.query(sql, arguments.map { $0 == .null ? .integer(-1) : $0 })
    }

    func latestOrder(_ table: String, _ sample: SampleUID) throws(StoreError) -> Int64? {
        guard try hasTable(table) else { return nil }
        return try db.query("SELECT MAX(rowid) FROM \(quote(table)) WHERE sample_uid = ?", [sample.storeValue]).first?[0].integer
    }

    func readConsistently<T>(_ body: () throws -> T) throws -> T { try body() }

    func select(_ sql: String, _ arguments: [StoreValue], _ body: (SQLiteDatabase.RowView) throws -> Void) throws {
        try db.forEachRow(sql, arguments, body)
    }

    func query(_ sql: String, _ arguments: [StoreValue]) throws(StoreError) -> [[StoreValue]] { try db.query(sql, arguments) }

    // MARK: writing

    func append(_ batch: SampleBatch, to name: String, featureVersion: String, snapshotVersion: String, replace: Bool,
                phase: String, progress: WorkProgress) throws {
        let table = quote(name)
        try db.execute("BEGIN IMMEDIATE")
        do {
            let userColumns = batch.userColumns
            try ensureTable(name, integerUID: batch.uids.first.map { if case .int = $0 { true } else { false } } ?? true,
                            columns: userColumns.map { ($0, StoreValue(batch.firstValue(of: $0) ?? .null).kind) })
            if replace {
                // When every row is at this version, an unfiltered DELETE lets SQLite free the
                // table's pages whole instead of deleting a million rows one by one.
                let others = try db.query("SELECT 1 FROM \(table) WHERE feature_version IS NOT ? LIMIT 1", [.text(featureVersion)])
                _ = try others.isEmpty ? db.query("DELETE FROM \(table)")
                    : db.query("DELETE FROM \(table) WHERE feature_version = ?", [.text(featureVersion)])
            }
            let names = ["sample_uid", "data_version", "feature_version", "snapshot_version"] + userColumns
            // Many rows per statement: each run of a statement costs SQLite a setup and a reset,
            // a fifth of a million-row write when it was one row each. The versions are bound
            // once (?1, ?2); each row binds its sample, data version and user columns.
            // At most 999 parameters, the limit of SQLite before 3.32.
            let perRow = names.count - 2, perStatement = max(1, min(64, 997 / perRow))
            func insert(rows: Int) throws(StoreError) -> SQLiteDatabase.Statement {
                let values = (0..<rows).map { r in
                    let own = (0..<perRow).map { "?\(3 + r * perRow + $0)" }
                    return "(" + ([own[0], own[1], "?1", "?2"] + own.dropFirst(2)).joined(separator: ", ") + ")"
                }
                let statement = try db.prepare("INSERT INTO \(table) (\(names.map(quote).joined(separator: ", "))) VALUES "
                    + values.joined(separator: ", "))
                statement.bind(1, .text(featureVersion))
                statement.bind(2, .text(snapshotVersion))
                return statement
            }
            let many = try insert(rows: perStatement), one = try insert(rows: 1)
            try batch.text.withUnsafeBufferPointer { text in
                defer { many.clearBindings(); one.clearBindings() }
                var i = 0, reported = -1
                while i < batch.count {
                    if i >> 14 != reported { try progress.step(phase, i, of: batch.count); reported = i >> 14 }
                    let statement = batch.count - i >= perStatement ? many : one, rows = statement === many ? perStatement : 1
                    for r in 0..<rows {
                        let first = Int32(3 + r * perRow)
                        statement.bind(first, batch.uids[i + r].storeValue)
                        statement.bind(first + 1, borrowing: UnsafeBufferPointer(rebasing: text[batch.versions[i + r]!]))
                        for (c, column) in userColumns.enumerated() { statement.bind(first + 2 + Int32(c), StoreValue(batch.value(i + r, column))) }
                    }
                    try statement.step()
                    i += rows
                }
            }
            try progress.step(phase, batch.count, of: batch.count)
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    /// Makes a feature's table when missing, in metaxy's layout with user columns typed by kind,
    /// and adds the user columns it lacks.
    private func ensureTable(_ name: String, integerUID: Bool, columns wanted: [(name: String, kind: StoreValue.Kind)]) throws(StoreError) {
        let table = quote(name)
        var columns = try columns(of: name)
        if columns.isEmpty {
            let types: [StoreValue.Kind: String] = [.integer: "INTEGER", .real: "REAL", .text: "TEXT"]
            let definition = (["\"sample_uid\" \(integerUID ? "INTEGER" : "TEXT")", "\"data_version\" TEXT"]
                + wanted.map { "\(quote($0.name)) \(types[$0.kind]!)" } + ["\"feature_version\" TEXT", "\"snapshot_version\" TEXT"])
            try db.execute("CREATE TABLE \(table) (\(definition.joined(separator: ", ")))")
            // One sample's rows across every feature (`store lookup`, explain, the Sample
            // screen) are then a lookup, not a scan of each table. metaxy ignores the index.
            try db.execute("CREATE INDEX \(quote("metaxy-tui:sample_uid:" + name)) ON \(table) (sample_uid)")
            columns = try self.columns(of: name)
        }
        for column in wanted where !columns.contains(column.name) {
            try db.execute("ALTER TABLE \(table) ADD COLUMN \(quote(column.name))")
        }
    }

    func appendRows(_ name: String, columns: [String], phase: String, total: Int, progress: WorkProgress,
                    next: () throws -> [[StoreValue]]?) throws {
        try db.execute("BEGIN IMMEDIATE")
        do {
            var statement: SQLiteDatabase.Statement?
            var done = 0
            while let page = try next() {
                if statement == nil {
                    let shape = MetaxyStore.tableShape(columns: columns, firstPage: page)
                    try ensureTable(name, integerUID: shape.integerUID, columns: shape.user)
                    statement = try db.prepare("INSERT INTO \(quote(name)) (\(columns.map(quote).joined(separator: ", "))) "
                        + "VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))")
                }
                for row in page { try statement!.run(row) }
                done += page.count
                try progress.step(phase, done, of: total)
            }
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    func rowCount(_ table: String) throws(StoreError) -> Int {
        guard try hasTable(table) else { return 0 }
        return Int(try db.query("SELECT count(*) FROM \(quote(table))").first?[0].integer ?? 0)
    }

    func snapshotRows() throws(StoreError) -> [[String]] {
        guard try hasTable(MetaxyStore.featureVersionsTable) else { return [] }
        let table = quote(MetaxyStore.featureVersionsTable)
        return try db.query("""
            SELECT feature_key, feature_version, recorded_at, feature_spec, feature_class_path, snapshot_version FROM \(table)
            ORDER BY (SELECT MIN(recorded_at) FROM \(table) AS s WHERE s.snapshot_version = \(table).snapshot_version), snapshot_version, rowid
            """).map { $0.map { $0.text ?? "" } }
    }

    func appendReconciled(_ name: String, sources: [(order: Int64, text: Range<Int>)], text: [UInt8], featureVersion: String,
                          snapshotVersion: String, event: MigrationEvent?, phase: String, progress: WorkProgress) throws {
        let table = quote(name)
        let user = try columns(of: name).filter { !MetaxyStore.systemColumnNames.contains($0) }.map(quote)
        let staging = "temp.\"metaxy-tui:reconcile\""
        try db.execute("BEGIN IMMEDIATE")
        do {
            // Another apply of the same migration may have finished this feature while this one
            // waited for the write lock: then nothing is written twice.
            if let event, try featureCompleted(event.migrationID, event.featureKey) { throw AlreadyReconciled() }
            // A feature with nothing to copy (no table yet, every sample current) only records its event.
            guard !sources.isEmpty else {
                if let event { try record(event) }
                return try db.execute("COMMIT")
            }
            try db.execute("DROP TABLE IF EXISTS \(staging); CREATE TABLE \(staging) (source INTEGER PRIMARY KEY, data_version TEXT)")
            let insert = try db.prepare("INSERT INTO \(staging) VALUES (?, ?)")
            try text.withUnsafeBufferPointer { text in
                for (i, source) in sources.enumerated() {
                    if i & 0x3FFF == 0 { try progress.step(phase, i, of: sources.count) }
                    insert.bind(1, .integer(source.order))
                    insert.bind(2, borrowing: UnsafeBufferPointer(rebasing: text[source.text]))
                    try insert.step()
                }
            }
            // One statement copies the rows; the bar shows its time so far.
            try progress.step(phase.replacing("writing", with: "copying rows into"), 0, of: nil)
            let columns = (["sample_uid", "data_version"].map(quote) + user + ["\"feature_version\"", "\"snapshot_version\""])
            _ = try db.query("""
                INSERT INTO \(table) (\(columns.joined(separator: ", ")))
                SELECT t.sample_uid, r.data_version\(user.map { ", t.\($0)" }.joined()), ?, ?
                FROM \(staging) AS r JOIN \(table) AS t ON t.rowid = r.source ORDER BY r.source
                """, [.text(featureVersion), .text(snapshotVersion)])
            try db.execute("DROP TABLE \(staging)")
            if let event { try record(event) }
            try progress.step(phase, sources.count, of: sources.count)
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }
}

extension MigrationEvent {
    /// As a row of `metaxy-system__migration_events`.
    var values: [StoreValue] {
        [.text(migrationID), .text(kind), .text(timestamp), .text(featureKey), .integer(Int64(rowsAffected)), .text(errorMessage)]
    }

    init(row: [StoreValue]) {
        self.init(migrationID: row[0].text ?? "", kind: row[1].text ?? "", timestamp: row[2].text ?? "",
                  featureKey: row[3].text ?? "", rowsAffected: Int(row[4].integer ?? 0), errorMessage: row[5].text ?? "")
    }
}

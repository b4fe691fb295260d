import MetaxyCore

/// A store on a PostgreSQL server, in one schema: metaxy 0.0.0's system tables exactly as its
/// Ibis store creates them there (`vectors/stores/metaxy0-video.pg.json`), and a table per
/// feature in metaxy's layout with `data_version` as `jsonb` (0.0.0 cannot write a feature table
/// on PostgreSQL, so there is no layout of its own to follow) and a hidden identity column as
/// the write order. Writes to one feature's table take turns (an advisory lock per table), so
/// write order is commit order; a status reads in one REPEATABLE READ, read-only transaction.
final class PostgresBackend: StoreBackend {
    let session: PostgresSession
    var url: PostgresURL { session.url }
    var location: String { url.shown }
    /// Per table, whether its sample_uid column holds integers (a table's type never changes).
    private var integerUIDs: [String: Bool] = [:]
    private var readDepth = 0

    static let orderColumn = "metaxy-tui:order"
    private let order = quoteIdentifier(orderColumn)

    init(url text: String, readOnly: Bool, create: Bool) throws(StoreError) {
        session = try PostgresSession(try PostgresURL(text))
        // Before anything is made: MetaxyStore refuses to write a 0.1.x store too, but only once it is open.
        if !readOnly, try hasTable(ProjectStore.systemTable) { throw ProjectStore.notWritten(location) }
        if create && !readOnly {
            do {
                // Looked up first: CREATE … IF NOT EXISTS needs the right to create even when there is nothing to make.
                try transaction(lock: lockKey("system")) {
                    if try session.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [.text(url.schema)]).isEmpty {
                        try session.execute("CREATE SCHEMA \(quote(url.schema))")
                    }
                    try makeSystemTables()
                }
            } catch {
                throw error as? StoreError ?? StoreError(file: location, "\(error)")
            }
            return
        }
        // A metaxy 0.1.x store is opened too, and read as one (`ProjectStore`).
        let hasOwnTable = try hasTable(MetaxyStore.featureVersionsTable), hasProjectTable = try hasTable(ProjectStore.systemTable)
        let hasSystemTable = hasOwnTable || hasProjectTable
        let hasFeatures = try !featureTables().isEmpty
        guard hasSystemTable || hasFeatures else {
            throw StoreError(file: location, "has no metaxy store in schema '\(url.schema)' of database '\(url.database)' "
                + "(no `\(MetaxyStore.featureVersionsTable)` table); record a graph there with "
                + "`metaxy-tui store push \(location) --graph GRAPH`, or check the URL's database and schema=")
        }
        // Browsing opens read-only transactions only.
        if readOnly { try session.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY") }
    }

    /// metaxy 0.0.0's system tables, with the column types its Ibis store gives them on PostgreSQL.
    static let systemTablesDDL = [
        """
        CREATE TABLE IF NOT EXISTS "metaxy-system__feature_versions" (feature_key character varying, \
        feature_version character varying, recorded_at timestamp(6) without time zone, feature_spec character varying, \
        feature_class_path character varying, snapshot_version character varying)
        """,
        """
        CREATE TABLE IF NOT EXISTS "metaxy-system__migration_events" (migration_id character varying, \
        event_type character varying, "timestamp" timestamp(6) without time zone, feature_key character varying, \
        rows_affected bigint, error_message character varying)
        """,
    ]

    private var quote: (String) -> String { quoteIdentifier }

    /// An advisory lock's name: per store (schema), so stores in one database do not wait on each other.
    private func lockKey(_ what: String) -> String { "metaxy-tui:\(url.schema):\(what)" }

    /// metaxy's system tables, made when missing.
    private func makeSystemTables() throws(StoreError) {
        for (name, statement) in zip([MetaxyStore.featureVersionsTable, MetaxyStore.migrationEventsTable], Self.systemTablesDDL)
        where try !hasTable(name) {
            try session.execute(statement)
        }
    }
    private let dialect = SQLDialect(quote: quoteIdentifier, order: quoteIdentifier(orderColumn), parameter: { "$\($0)" },
                                     same: { "(\($0) IS NOT DISTINCT FROM \($1))::int" })

    /// Runs `body` in a transaction holding an advisory lock on `lock` (writers of one table take
    /// turns); rolled back on any error, or when this process dies mid-way (the server does that).
    private func transaction<T>(lock: String, _ body: () throws -> T) throws -> T {
        try inTransaction("BEGIN") {
            try session.execute("SELECT pg_advisory_xact_lock(hashtext($1))", [.text(lock)])
            return try body()
        }
    }

    func select(_ sql: String, _ arguments: [StoreValue], _ body: (PostgresRowView) throws -> Void) throws {
        try session.forEachRow(sql, arguments, body)
    }

    func query(_ sql: String, _ arguments: [StoreValue]) throws(StoreError) -> [[StoreValue]] { try session.query(sql, arguments) }

    func readConsistently<T>(_ body: () throws -> T) throws -> T {
        guard readDepth == 0 else { return try body() }
        readDepth += 1
        defer { readDepth -= 1 }
        return try inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    private func inTransaction<T>(_ begin: String, _ body: () throws -> T) throws -> T {
        try session.execute(begin)
        do {
            let value = try body()
            try session.execute("COMMIT")
            return value
        } catch {
            try? session.execute("ROLLBACK")
            throw error
        }
    }

    /// PostgreSQL cuts identifiers at 63 bytes: longer table names would collide.
    func checkTableNames(_ graph: FeatureGraph) throws(StoreError) {
        for f in 0..<graph.count { try checkTableName(graph.key(f).tableName) }
    }

    private func checkTableName(_ name: String) throws(StoreError) {
        guard name.utf8.count <= 63 else {
            throw StoreError(file: location, "feature '\(name.replacing("__", with: "/"))' makes a table name of \(name.utf8.count) bytes; "
                + "PostgreSQL allows 63: shorten its key")
        }
    }

    func hasTable(_ name: String) throws(StoreError) -> Bool {
        try !session.query("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = $1",
                           [.text(name)]).isEmpty
    }

    func featureTables() throws(StoreError) -> [String] {
        try session.query("""
            SELECT table_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND column_name = 'data_version'
            AND table_name::text NOT LIKE 'metaxy-system%' GROUP BY table_name ORDER BY table_name COLLATE "C"
            """).compactMap { $0[0].text }
    }

    func columns(of table: String) throws(StoreError) -> [String] {
        try session.query("""
            SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1
            AND column_name <> $2 ORDER BY ordinal_position
            """, [.text(table), .text(Self.orderColumn)]).compactMap { $0[0].text }
    }

    /// Whether the table's sample_uid column holds integers; nil when there is no table.
    private func integerUID(_ table: String) throws(StoreError) -> Bool? {
        if let known = integerUIDs[table] { return known }
        guard let type = try session.query("""
            SELECT data_type::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1
            AND column_name = 'sample_uid'
            """, [.text(table)]).first?[0].text else { return nil }
        let integer = ["bigint", "integer", "smallint"].contains(type)
        integerUIDs[table] = integer
        return integer
    }

    /// The samples of a kind the table can hold (an integer is never the text '7', as in SQLite).
    private func matching(_ samples: [SampleUID], _ table: String) throws(StoreError) -> [SampleUID] {
        guard let integer = try integerUID(table) else { return [] }
        return samples.filter { if case .int = $0 { integer } else { !integer } }
    }

    // MARK: system tables

    private static let timestampText = #"'YYYY-MM-DD"T"HH24:MI:SS.US'"#

    func snapshots() throws(StoreError) -> [Snapshot] {
        guard try hasTable(MetaxyStore.featureVersionsTable) else { return [] }
        return try session.query("""
            SELECT snapshot_version::text, to_char(MIN(recorded_at), \(Self.timestampText)), COUNT(DISTINCT feature_key)
            FROM \(quote(MetaxyStore.featureVersionsTable)) GROUP BY snapshot_version
            ORDER BY MIN(recorded_at) DESC, snapshot_version COLLATE "C"
            """).map { row in
            Snapshot(version: row[0].text ?? "", recordedAt: row[1].text ?? "", featureCount: Int(row[2].integer ?? 0))
        }
    }

    func snapshotSpecs(_ version: String) throws(StoreError) -> [String] {
        try session.query("""
            SELECT feature_spec::text FROM \(quote(MetaxyStore.featureVersionsTable)) WHERE snapshot_version = $1
            ORDER BY feature_key COLLATE "C"
            """, [.text(version)]).compactMap { $0[0].text }
    }

    func recordSnapshot(_ rows: [[String]], version: String) throws(StoreError) -> Bool {
        let table = quote(MetaxyStore.featureVersionsTable)
        do {
            // Under one lock: two pushes of one snapshot at once record it once.
            return try transaction(lock: lockKey("system")) {
                try makeSystemTables()
                guard try session.query("SELECT 1 FROM \(table) WHERE snapshot_version = $1 LIMIT 1", [.text(version)]).isEmpty else {
                    return false
                }
                for row in rows {
                    try session.execute("INSERT INTO \(table) VALUES ($1, $2, $3::timestamp, $4, $5, $6)", row.map(StoreValue.text))
                }
                return true
            }
        } catch {
            throw error as? StoreError ?? StoreError(file: location, "\(error)")
        }
    }

    func migrationEvents(_ migrationID: String?) throws(StoreError) -> [MigrationEvent] {
        guard try hasTable(MetaxyStore.migrationEventsTable) else { return [] }
        let filter = migrationID == nil ? "" : " WHERE migration_id = $1"
        return try session.query("""
            SELECT migration_id::text, event_type::text, to_char("timestamp", \(Self.timestampText)), feature_key::text, rows_affected,
            error_message::text FROM \(quote(MetaxyStore.migrationEventsTable))\(filter) ORDER BY "timestamp", ctid
            """, migrationID.map { [.text($0)] } ?? []).map(MigrationEvent.init(row:))
    }

    func featureCompleted(_ migrationID: String, _ feature: String) throws(StoreError) -> Bool {
        guard try hasTable(MetaxyStore.migrationEventsTable) else { return false }
        return try !session.query("SELECT 1 FROM \(quote(MetaxyStore.migrationEventsTable)) WHERE migration_id = $1 AND feature_key = $2 "
            + "AND event_type = 'feature_completed' AND error_message = '' LIMIT 1", [.text(migrationID), .text(feature)]).isEmpty
    }

    func record(_ event: MigrationEvent) throws(StoreError) {
        try makeSystemTables()
        try session.execute("INSERT INTO \(quote(MetaxyStore.migrationEventsTable)) VALUES ($1, $2, $3::timestamp, $4, $5, $6)", event.values)
    }

    // MARK: reading rows

    func scan(_ table: String, _ columns: [ScanColumn], _ body: (PostgresRowView) throws -> Void) throws {
        guard try hasTable(table) else { return }
        let (sql, arguments) = dialect.scan(table, columns)
        try session.forEachRow(sql, arguments, body)
    }

    /// One table after another on this connection, in one transaction: one moment for all.
    func sortedRows(_ tables: [(name: String, featureVersion: String?)]) throws -> [SortedRows] {
        try readConsistently {
            try tables.map { table in
                try SortedRows(featureVersion: table.featureVersion, file: location, table: table.name) { try scan(table.name, $0, $1) }
            }
        }
    }

    func history(_ table: String, _ sample: SampleUID) throws(StoreError) -> [(featureVersion: String, dataVersion: String?)] {
        guard try !matching([sample], table).isEmpty else { return [] }
        return try session.query("SELECT feature_version::text, data_version FROM \(quote(table)) WHERE sample_uid = $1 ORDER BY \(order)",
                                 [sample.storeValue]).map { ($0[0].text ?? "", $0[1].text) }
    }

    func someDataVersions(_ table: String, limit: Int) throws(StoreError) -> [String] {
        guard try hasTable(table) else { return [] }
        return try session.query("SELECT data_version FROM \(quote(table)) LIMIT $1", [.integer(Int64(limit))]).compactMap { $0[0].text }
    }

    func rows(_ table: String, columns: [String], _ request: RowRequest) throws(StoreError) -> [[StoreValue]] {
        var request = request
        if case let .latest(samples) = request { request = .latest(try matching(samples, table)) }
        guard let (sql, arguments) = dialect.rows(table, columns: columns, request) else { return [] }
        return try session.query(sql, arguments)
    }

    func latestOrder(_ table: String, _ sample: SampleUID) throws(StoreError) -> Int64? {
        guard try !matching([sample], table).isEmpty else { return nil }
        return try session.query("SELECT MAX(\(order)) FROM \(quote(table)) WHERE sample_uid = $1", [sample.storeValue]).first?[0].integer
    }

    // MARK: writing

    func append(_ batch: SampleBatch, to name: String, featureVersion: String, snapshotVersion: String, replace: Bool,
                phase: String, progress: WorkProgress) throws {
        let table = quote(name)
        try transaction(lock: lockKey("table:" + name)) {
            let userColumns = batch.userColumns
            try ensureTable(name, integerUID: batch.uids.first.map { if case .int = $0 { true } else { false } } ?? true,
                            columns: userColumns.map { ($0, StoreValue(batch.firstValue(of: $0) ?? .null).kind) })
            if replace { try session.execute("DELETE FROM \(table) WHERE feature_version = $1", [.text(featureVersion)]) }
            let fixed = PostgresCopyText.field(featureVersion) + "\t" + PostgresCopyText.field(snapshotVersion)
            try session.copy(into: name, columns: ["sample_uid", "data_version", "feature_version", "snapshot_version"] + userColumns) { send in
                var chunk: [UInt8] = []
                try batch.text.withUnsafeBufferPointer { text in
                    for i in 0..<batch.count {
                        if i & 0x3FFF == 0 { try progress.step(phase, i, of: batch.count) }
                        PostgresCopyText.append(batch.uids[i].storeValue, to: &chunk)
                        chunk.append(0x09)
                        PostgresCopyText.append(UnsafeBufferPointer(rebasing: text[batch.versions[i]!]), to: &chunk)
                        chunk.append(0x09)
                        chunk += fixed.utf8
                        for column in userColumns {
                            chunk.append(0x09)
                            PostgresCopyText.append(StoreValue(batch.value(i, column)), to: &chunk)
                        }
                        chunk.append(0x0A)
                        if chunk.count >= 1 << 20 { try send(chunk); chunk.removeAll(keepingCapacity: true) }
                    }
                }
                if !chunk.isEmpty { try send(chunk) }
            }
            try progress.step(phase, batch.count, of: batch.count)
        }
    }

    /// Makes a feature's table when missing (metaxy's layout, `data_version` jsonb, the hidden
    /// write order last), and adds the user columns it lacks.
    private func ensureTable(_ name: String, integerUID: Bool, columns wanted: [(name: String, kind: StoreValue.Kind)]) throws {
        try checkTableName(name)
        let table = quote(name)
        let types: [StoreValue.Kind: String] = [.integer: "bigint", .real: "double precision", .text: "text"]
        var columns = try columns(of: name)
        if columns.isEmpty {
            let definition = ["sample_uid \(integerUID ? "bigint" : "text")", "data_version jsonb"]
                + wanted.map { "\(quote($0.name)) \(types[$0.kind]!)" }
                + ["feature_version text", "snapshot_version text", "\(order) bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY"]
            try session.execute("CREATE TABLE \(table) (\(definition.joined(separator: ", ")))")
            try session.execute("CREATE INDEX ON \(table) (sample_uid)")
            columns = try self.columns(of: name)
            integerUIDs[name] = nil
        }
        for column in wanted where !columns.contains(column.name) {
            try session.execute("ALTER TABLE \(table) ADD COLUMN \(quote(column.name)) \(types[column.kind]!)")
        }
    }

    func appendRows(_ name: String, columns: [String], phase: String, total: Int, progress: WorkProgress,
                    next: () throws -> [[StoreValue]]?) throws {
        try transaction(lock: lockKey("table:" + name)) {
            guard var page = try next() else { return }
            let shape = MetaxyStore.tableShape(columns: columns, firstPage: page)
            try ensureTable(name, integerUID: shape.integerUID, columns: shape.user)
            var done = 0
            try session.copy(into: name, columns: columns) { send in
                while true {
                    var chunk: [UInt8] = []
                    for row in page {
                        for (c, value) in row.enumerated() {
                            if c > 0 { chunk.append(0x09) }
                            PostgresCopyText.append(value, to: &chunk)
                        }
                        chunk.append(0x0A)
                    }
                    try send(chunk)
                    done += page.count
                    try progress.step(phase, done, of: total)
                    guard let following = try next() else { return }
                    page = following
                }
            }
        }
    }

    func rowCount(_ table: String) throws(StoreError) -> Int {
        guard try hasTable(table) else { return 0 }
        return Int(try session.query("SELECT count(*) FROM \(quote(table))").first?[0].integer ?? 0)
    }

    func snapshotRows() throws(StoreError) -> [[String]] {
        guard try hasTable(MetaxyStore.featureVersionsTable) else { return [] }
        let table = quote(MetaxyStore.featureVersionsTable)
        return try session.query("""
            SELECT feature_key::text, feature_version::text, to_char(recorded_at, \(Self.timestampText)), feature_spec::text,
            feature_class_path::text, snapshot_version::text FROM \(table)
            ORDER BY MIN(recorded_at) OVER (PARTITION BY snapshot_version), snapshot_version COLLATE "C", ctid
            """).map { $0.map { $0.text ?? "" } }
    }

    func appendReconciled(_ name: String, sources: [(order: Int64, text: Range<Int>)], text: [UInt8], featureVersion: String,
                          snapshotVersion: String, event: MigrationEvent?, phase: String, progress: WorkProgress) throws {
        let table = quote(name)
        let user = try columns(of: name).filter { !MetaxyStore.systemColumnNames.contains($0) }.map(quote)
        let staging = "metaxy-tui:reconcile"
        try transaction(lock: lockKey("table:" + name)) {
            // Another apply of the same migration may have finished this feature while this one
            // waited for the lock: then nothing is written twice.
            if let event, try featureCompleted(event.migrationID, event.featureKey) { throw AlreadyReconciled() }
            if !sources.isEmpty {
                try session.execute("CREATE TEMP TABLE \(quote(staging)) (source bigint PRIMARY KEY, data_version text) ON COMMIT DROP")
                try session.copy(into: staging, columns: ["source", "data_version"]) { send in
                    var chunk: [UInt8] = []
                    try text.withUnsafeBufferPointer { text in
                        for (i, source) in sources.enumerated() {
                            if i & 0x3FFF == 0 { try progress.step(phase, i, of: sources.count) }
                            chunk += String(source.order).utf8
                            chunk.append(0x09)
                            PostgresCopyText.append(UnsafeBufferPointer(rebasing: text[source.text]), to: &chunk)
                            chunk.append(0x0A)
                            if chunk.count >= 1 << 20 { try send(chunk); chunk.removeAll(keepingCapacity: true) }
                        }
                    }
                    if !chunk.isEmpty { try send(chunk) }
                }
                try progress.step(phase.replacing("writing", with: "copying rows into"), 0, of: nil)
                let columns = ["sample_uid", "data_version"] + user + ["feature_version", "snapshot_version"]
                try session.execute("""
                    INSERT INTO \(table) (\(columns.joined(separator: ", ")))
                    SELECT t.sample_uid, r.data_version::jsonb\(user.map { ", t.\($0)" }.joined()), $1, $2
                    FROM \(quote(staging)) AS r JOIN \(table) AS t ON t.\(order) = r.source ORDER BY r.source
                    """, [.text(featureVersion), .text(snapshotVersion)])
            }
            if let event { try record(event) }
            try progress.step(phase, sources.count, of: sources.count)
        }
    }
}

/// COPY's text format: tab-separated, `\N` for NULL, backslash escapes in values.
enum PostgresCopyText {
    static func append(_ value: StoreValue, to out: inout [UInt8]) {
        switch value {
        case .null: out += [0x5C, 0x4E]
        case let .integer(i): out += String(i).utf8
        case let .real(d): out += String(d).utf8
        case let .text(s): var s = s; s.withUTF8 { append($0, to: &out) }
        }
    }

    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        for byte in bytes {
            switch byte {
            case 0x5C: out += [0x5C, 0x5C]
            case 0x09: out += [0x5C, 0x74]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            default: out.append(byte)
            }
        }
    }

    static func field(_ text: String) -> String {
        var out: [UInt8] = []
        append(.text(text), to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

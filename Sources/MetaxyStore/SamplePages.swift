import MetaxyCore

/// Stored rows a screen at a time, straight from SQLite by rowid (keyset paging: the first,
/// the next and the last page cost the same however many rows there are).
public struct SamplePage: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public let rowid: Int64
        public let uid: SampleUID
        /// Field key → data version, as stored.
        public let dataVersion: [(String, String)]
        public let featureVersion: String
        /// The user columns' values, as text, in the page's `columns` order.
        public let extra: [String]

        public init(rowid: Int64, uid: SampleUID, dataVersion: [(String, String)], featureVersion: String, extra: [String]) {
            self.rowid = rowid
            self.uid = uid
            self.dataVersion = dataVersion
            self.featureVersion = featureVersion
            self.extra = extra
        }

        public static func == (a: Row, b: Row) -> Bool { a.rowid == b.rowid && a.uid == b.uid }
    }

    public let rows: [Row]
    /// Names of the user columns, in table order.
    public let columns: [String]

    public init(rows: [Row], columns: [String]) {
        self.rows = rows
        self.columns = columns
    }
}

extension MetaxyStore {
    static let systemColumnNames: Set<String> = ["sample_uid", "data_version", "feature_version", "snapshot_version"]

    /// Rows of a feature after `after` (or before `before`, counting back), in rowid order.
    public func samplePage(feature key: FeatureKey, after: Int64? = nil, before: Int64? = nil, limit: Int) throws(StoreError) -> SamplePage {
        guard try hasTable(key.tableName) else { return SamplePage(rows: [], columns: []) }
        let columns = try existingColumns(key.tableName)
        let extra = columns.filter { !Self.systemColumnNames.contains($0) }
        let table = SQLiteDatabase.quote(key.tableName)
        let select = "SELECT rowid, " + (["sample_uid", "data_version", "feature_version"] + extra).map(SQLiteDatabase.quote).joined(separator: ", ")
        let sql: String, arguments: [SQLiteValue]
        if let before {
            sql = "SELECT * FROM (\(select) FROM \(table) WHERE rowid < ? ORDER BY rowid DESC LIMIT ?) ORDER BY rowid"
            arguments = [.integer(before), .integer(Int64(limit))]
        } else {
            sql = "\(select) FROM \(table) WHERE rowid > ? ORDER BY rowid LIMIT ?"
            arguments = [.integer(after ?? Int64.min), .integer(Int64(limit))]
        }
        return SamplePage(rows: try db.query(sql, arguments).map(Self.row), columns: extra)
    }

    /// Rows of a feature ordered by one of its columns (then rowid), from `offset`. Sorting needs
    /// a scan of the table (stores are read-only here, so no index is added), fine for pages of a
    /// sorted view, not for scrolling a million rows.
    public func sortedSamplePage(feature key: FeatureKey, column: String, descending: Bool, offset: Int, limit: Int) throws(StoreError) -> SamplePage {
        guard try hasTable(key.tableName) else { return SamplePage(rows: [], columns: []) }
        let columns = try existingColumns(key.tableName)
        guard columns.contains(column) else { throw StoreError(file: path, "\(key) has no column '\(column)'") }
        let extra = columns.filter { !Self.systemColumnNames.contains($0) }
        let select = "SELECT rowid, " + (["sample_uid", "data_version", "feature_version"] + extra).map(SQLiteDatabase.quote).joined(separator: ", ")
        let direction = descending ? "DESC" : "ASC"
        let sql = "\(select) FROM \(SQLiteDatabase.quote(key.tableName)) ORDER BY \(SQLiteDatabase.quote(column)) \(direction), rowid \(direction) LIMIT ? OFFSET ?"
        return SamplePage(rows: try db.query(sql, [.integer(Int64(limit)), .integer(Int64(offset))]).map(Self.row), columns: extra)
    }

    /// The last `limit` rows of a feature.
    public func lastSamplePage(feature key: FeatureKey, limit: Int) throws(StoreError) -> SamplePage {
        try samplePage(feature: key, before: Int64.max, limit: limit)
    }

    /// The rows of the given samples (their latest write each), in rowid order.
    public func sampleRows(feature key: FeatureKey, samples: [SampleUID]) throws(StoreError) -> SamplePage {
        guard try hasTable(key.tableName), !samples.isEmpty else { return SamplePage(rows: [], columns: []) }
        let columns = try existingColumns(key.tableName)
        let extra = columns.filter { !Self.systemColumnNames.contains($0) }
        let table = SQLiteDatabase.quote(key.tableName)
        let select = "SELECT rowid, " + (["sample_uid", "data_version", "feature_version"] + extra).map(SQLiteDatabase.quote).joined(separator: ", ")
        let marks = Array(repeating: "?", count: samples.count).joined(separator: ", ")
        let values = samples.map { uid -> SQLiteValue in
            switch uid {
            case .int(let i): .integer(i)
            case .string(let s): .text(s)
            }
        }
        let sql = "\(select) FROM \(table) WHERE rowid IN (SELECT MAX(rowid) FROM \(table) WHERE sample_uid IN (\(marks)) GROUP BY sample_uid) ORDER BY rowid"
        return SamplePage(rows: try db.query(sql, values).map(Self.row), columns: extra)
    }

    /// The rowid of a sample's latest row, to jump to it.
    public func rowid(of sample: SampleUID, feature key: FeatureKey) throws(StoreError) -> Int64? {
        guard try hasTable(key.tableName) else { return nil }
        let value: SQLiteValue = switch sample {
        case .int(let i): .integer(i)
        case .string(let s): .text(s)
        }
        return try db.query("SELECT MAX(rowid) FROM \(SQLiteDatabase.quote(key.tableName)) WHERE sample_uid = ?", [value]).first?[0].integer
    }

    /// Rows stored for each feature version present, most rows first.
    public func featureVersionCounts(_ key: FeatureKey) throws(StoreError) -> [(version: String, rows: Int)] {
        guard try hasTable(key.tableName) else { return [] }
        return try db.query("SELECT feature_version, COUNT(*) FROM \(SQLiteDatabase.quote(key.tableName)) GROUP BY feature_version ORDER BY 2 DESC, 1")
            .map { ($0[0].text ?? "", Int($0[1].integer ?? 0)) }
    }

    private static func row(_ values: [SQLiteValue]) -> SamplePage.Row {
        func text(_ v: SQLiteValue) -> String {
            switch v {
            case .null: "null"
            case .integer(let i): String(i)
            case .real(let d): String(d)
            case .text(let s): s
            }
        }
        let uid: SampleUID = values[1].integer.map(SampleUID.int) ?? .string(values[1].text ?? "")
        let dataVersion = values[2].text.flatMap { JSONValue.parseStringObject($0) }?.sorted { codePointLess($0.key, $1.key) }.map { ($0.key, $0.value) } ?? []
        return SamplePage.Row(rowid: values[0].integer ?? 0, uid: uid, dataVersion: dataVersion, featureVersion: values[3].text ?? "",
                              extra: values.dropFirst(4).map(text))
    }
}

import MetaxyCore

extension MetaxyStore {
    /// `SELECT rowid, sample_uid, data_version, feature_version, …user columns` for a feature's
    /// table, and the user columns' names; nil when the feature has no table yet.
    private func pageSelect(_ key: FeatureKey) throws(StoreError) -> (select: String, columns: [String])? {
        guard try hasTable(key.tableName) else { return nil }
        let extra = try existingColumns(key.tableName).filter { !systemColumns.contains($0) }
        let names = (["sample_uid", "data_version", "feature_version"] + extra).map(SQLiteDatabase.quote).joined(separator: ", ")
        return ("SELECT rowid, \(names) FROM \(SQLiteDatabase.quote(key.tableName))", extra)
    }

    private func page(_ key: FeatureKey, _ tail: (String) -> String, _ arguments: [SQLiteValue]) throws(StoreError) -> SamplePage {
        guard let (select, columns) = try pageSelect(key) else { return SamplePage(rows: [], columns: []) }
        return SamplePage(rows: try db.query(tail(select), arguments).map(Self.row), columns: columns)
    }

    /// Rows of a feature after `after` (or before `before`, counting back), in rowid order.
    public func samplePage(feature key: FeatureKey, after: Int64? = nil, before: Int64? = nil, limit: Int) throws(StoreError) -> SamplePage {
        if let before {
            return try page(key, { "SELECT * FROM (\($0) WHERE rowid < ? ORDER BY rowid DESC LIMIT ?) ORDER BY rowid" },
                            [.integer(before), .integer(Int64(limit))])
        }
        return try page(key, { "\($0) WHERE rowid > ? ORDER BY rowid LIMIT ?" }, [.integer(after ?? Int64.min), .integer(Int64(limit))])
    }

    /// Rows of a feature ordered by one of its columns (then rowid), from `offset`. Sorting needs
    /// a scan of the table (stores are read-only here, so no index is added), fine for pages of a
    /// sorted view, not for scrolling a million rows.
    public func sortedSamplePage(feature key: FeatureKey, column: String, descending: Bool, offset: Int, limit: Int) throws(StoreError) -> SamplePage {
        if try hasTable(key.tableName), try !existingColumns(key.tableName).contains(column) {
            throw StoreError(file: path, "\(key) has no column '\(column)'")
        }
        let direction = descending ? "DESC" : "ASC"
        return try page(key, { "\($0) ORDER BY \(SQLiteDatabase.quote(column)) \(direction), rowid \(direction) LIMIT ? OFFSET ?" },
                        [.integer(Int64(limit)), .integer(Int64(offset))])
    }

    /// The last `limit` rows of a feature.
    public func lastSamplePage(feature key: FeatureKey, limit: Int) throws(StoreError) -> SamplePage {
        try samplePage(feature: key, before: Int64.max, limit: limit)
    }

    /// The rows of the given samples (their latest write each), in rowid order.
    public func sampleRows(feature key: FeatureKey, samples: [SampleUID]) throws(StoreError) -> SamplePage {
        guard !samples.isEmpty else { return SamplePage(rows: [], columns: []) }
        let table = SQLiteDatabase.quote(key.tableName)
        let marks = Array(repeating: "?", count: samples.count).joined(separator: ", ")
        return try page(key, { "\($0) WHERE rowid IN (SELECT MAX(rowid) FROM \(table) WHERE sample_uid IN (\(marks)) GROUP BY sample_uid) ORDER BY rowid" },
                        samples.map(\.sqliteValue))
    }

    /// The rowid of a sample's latest row, to jump to it.
    public func rowid(of sample: SampleUID, feature key: FeatureKey) throws(StoreError) -> Int64? {
        guard try hasTable(key.tableName) else { return nil }
        return try db.query("SELECT MAX(rowid) FROM \(SQLiteDatabase.quote(key.tableName)) WHERE sample_uid = ?", [sample.sqliteValue]).first?[0].integer
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

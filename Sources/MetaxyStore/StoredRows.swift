import MetaxyCore

extension MetaxyStore {
    /// One sample's rows in a feature's table, in write order (none when there is no table).
    /// Stores written here index sample_uid, so this is a lookup; others' tables are scanned.
    /// Matched by type too, as the stale sets match: SQL's `=` would take the text '7' for 7.
    func history(of key: FeatureKey, sample: SampleUID) throws(StoreError) -> [SampleRow] {
        guard try hasTable(key.tableName) else { return [] }
        return try rawHistory(key.tableName, sample).map { SampleRow(featureVersion: $0.featureVersion, dataVersion: Self.dataVersion($0.dataVersion)) }
    }

    /// `history`'s rows with the data version as stored (a table known to be there).
    func rawHistory(_ table: String, _ sample: SampleUID) throws(StoreError) -> [(featureVersion: String, dataVersion: SQLiteValue)] {
        let type = if case .int = sample { "integer" } else { "text" }
        return try db.query("SELECT feature_version, data_version FROM \(SQLiteDatabase.quote(table)) WHERE sample_uid = ? "
            + "AND typeof(sample_uid) = '\(type)' ORDER BY rowid", [sample.sqliteValue]).map { ($0[0].text ?? "", $0[1]) }
    }

    /// A stored data_version struct (compact JSON text) as field → version.
    static func dataVersion(_ value: SQLiteValue) -> [String: String] {
        value.text.flatMap(JSONValue.parseStringObject) ?? [:]
    }

    /// `--hash-algorithm` default (DESIGN §4): what stored non-root data versions reveal, else xxhash64.
    public func detectAlgorithm(_ graph: FeatureGraph) throws(StoreError) -> HashAlgorithm {
        for f in 0..<graph.count where !graph.isRoot(f) {
            guard try hasTable(graph.key(f).tableName) else { continue }
            let table = SQLiteDatabase.quote(graph.key(f).tableName)
            let values = try db.query("SELECT data_version FROM \(table) LIMIT 20").flatMap { Self.dataVersion($0[0]).values }
            if let detected = HashAlgorithm.detect(from: values) { return detected }
        }
        return .xxhash64
    }
}

extension SampleUID {
    /// As bound in a query: integers stay integers, strings text, as they are stored.
    var sqliteValue: SQLiteValue {
        switch self {
        case let .int(i): .integer(i)
        case let .string(s): .text(s)
        }
    }
}

import MetaxyCore

extension MetaxyStore {
    /// One sample's rows in a feature's table, in write order (none when there is no table).
    /// Stores written here index sample_uid, so this is a lookup; others' tables are scanned.
    /// Matched by type too, as the stale sets match: SQL's `=` would take the text '7' for 7.
    func history(of key: FeatureKey, sample: SampleUID) throws(StoreError) -> [SampleRow] {
        guard try hasTable(key.tableName) else { return [] }
        let type = if case .int = sample { "integer" } else { "text" }
        return try db.query("SELECT feature_version, data_version FROM \(SQLiteDatabase.quote(key.tableName)) WHERE sample_uid = ? "
            + "AND typeof(sample_uid) = '\(type)' ORDER BY rowid", [sample.sqliteValue])
            .map { SampleRow(featureVersion: $0[0].text ?? "", dataVersion: Self.dataVersion($0[1])) }
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

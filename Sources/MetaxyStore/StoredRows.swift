import MetaxyCore

extension MetaxyStore {
    /// The data versions of one sample's most recently written rows, newest first, at most
    /// `limit` (any feature version, or only `featureVersion`). With no index on sample_uid
    /// each call scans the table, so everything wanted is read in one call.
    func latestDataVersions(of key: FeatureKey, sample: SampleUID, featureVersion: String? = nil,
                            limit: Int = 1) throws(StoreError) -> [[String: String]] {
        guard try hasTable(key.tableName) else { return [] }
        let filter = featureVersion == nil ? "" : " AND feature_version = ?"
        return try db.query("SELECT data_version FROM \(SQLiteDatabase.quote(key.tableName)) WHERE sample_uid = ?\(filter) "
            + "ORDER BY rowid DESC LIMIT \(limit)", [sample.sqliteValue] + (featureVersion.map { [.text($0)] } ?? []))
            .map { Self.dataVersion($0[0]) }
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

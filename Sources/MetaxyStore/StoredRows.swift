import MetaxyCore

extension MetaxyStore {
    /// Per upstream, the data version of the most recently written row of each sample, any
    /// feature version (DESIGN §2: metaxy joins every stored row, which multiplies samples).
    func latestDataVersions(_ features: [FeatureKey]) throws(StoreError) -> [FeatureKey: [SampleUID: [String: String]]] {
        var out: [FeatureKey: [SampleUID: [String: String]]] = [:]
        for key in features {
            out[key] = try rows(of: key, where: nil).reduce(into: [:]) { $0[$1.uid] = $1.dataVersion }
        }
        return out
    }

    /// The latest row per sample of a feature's table, optionally only at one feature version.
    func rows(of key: FeatureKey, where featureVersion: String?) throws(StoreError) -> [StaleSet.Row] {
        guard try hasTable(key.tableName) else { return [] }
        let table = SQLiteDatabase.quote(key.tableName)
        let filter = featureVersion == nil ? "" : " WHERE feature_version = ?"
        let sql = "SELECT sample_uid, data_version FROM \(table) WHERE rowid IN "
            + "(SELECT MAX(rowid) FROM \(table)\(filter) GROUP BY sample_uid)"
        return try db.query(sql, featureVersion.map { [.text($0)] } ?? []).map { row throws(StoreError) in
            StaleSet.Row(uid: try Self.uid(row[0], table: key.tableName, file: path), dataVersion: Self.dataVersion(row[1]))
        }
    }

    static func uid(_ value: SQLiteValue, table: String, file: String) throws(StoreError) -> SampleUID {
        switch value {
        case let .integer(i): return .int(i)
        case let .text(s): return .string(s)
        default: throw StoreError(file: file, "table \(table) has a row whose sample_uid is neither an integer nor text")
        }
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

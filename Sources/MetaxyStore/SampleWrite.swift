import MetaxyCore

extension MetaxyStore {
    /// Appends rows to a feature's table in one transaction (metaxy's `write_metadata`), stamped
    /// with the graph's feature and snapshot versions. Root rows carry their data_version; other
    /// rows without one get it computed from the latest upstream rows. With `replace`, the
    /// feature's rows at its current feature version are dropped first. Any bad row, or a stop
    /// asked through `progress`, aborts it all.
    @discardableResult
    public func write(feature key: FeatureKey, graph: FeatureGraph, jsonl: [UInt8], source: String,
                      replace: Bool = false, algorithm: HashAlgorithm? = nil, progress: WorkProgress = .none) throws -> Int {
        let f = try featureIndex(key, in: graph)
        try Self.checkTableNames(graph, file: path)
        let fields = graph.specs[f].fields.map(\.key.string)
        try progress.step("reading \(source)", 0, of: nil)
        var batch = try SampleBatch.read(jsonl, source: source, feature: key, fields: fields)
        if let missing = batch.versions.firstIndex(where: { $0 == nil }) {
            guard !graph.isRoot(f) else {
                throw StoreError(file: "\(source):\(batch.lines[missing])", "\(key) is a root feature: its rows must carry data_version")
            }
            try progress.step("computing data versions from the upstream rows", 0, of: nil)
            try computeVersions(&batch, feature: f, graph: graph, algorithm: try algorithm ?? detectAlgorithm(graph), source: source)
        }
        try insert(batch, into: key, featureVersion: graph.featureVersion(f), snapshotVersion: graph.snapshotVersion,
                   replace: replace, progress: progress)
        return batch.count
    }

    /// Data versions for the rows without one, from each sample's latest upstream rows.
    private func computeVersions(_ batch: inout SampleBatch, feature f: Int, graph: FeatureGraph, algorithm: HashAlgorithm,
                                 source: String) throws {
        let wanted = batch.versions.indices.filter { batch.versions[$0] == nil }
        let computed = try UpstreamVersions(self, uids: wanted.map { batch.uids[$0] }, feature: f, graph: graph, algorithm: algorithm)
        if let (k, upstream) = computed.firstMissing {
            let i = wanted[k]
            throw StoreError(file: "\(source):\(batch.lines[i])", "sample \(batch.uids[i]) has no row in upstream \(upstream); write \(upstream) first")
        }
        let offset = batch.text.count
        batch.text.append(contentsOf: computed.text)
        for (k, i) in wanted.enumerated() { batch.versions[i] = computed.ranges[k].map { ($0.lowerBound + offset)..<($0.upperBound + offset) } }
    }

    func featureIndex(_ key: FeatureKey, in graph: FeatureGraph) throws(StoreError) -> Int {
        guard let f = graph.index(of: key) else {
            let known = listed((0..<graph.count).map { graph.key($0).string }.sorted(), limit: 20)
            throw StoreError(file: path, "feature '\(key)' is not in the graph; features: \(known)")
        }
        return f
    }

    private func insert(_ batch: SampleBatch, into key: FeatureKey, featureVersion: String, snapshotVersion: String,
                        replace: Bool, progress: WorkProgress) throws {
        let table = SQLiteDatabase.quote(key.tableName)
        try db.execute("BEGIN IMMEDIATE")
        do {
            var columns = try existingColumns(key.tableName)
            let userColumns = batch.columns.reduce(into: [String]()) { names, row in
                for (name, _) in row where !names.contains(name) { names.append(name) }
            }
            if columns.isEmpty {
                let uidType = batch.uids.first.map { if case .int = $0 { "INTEGER" } else { "TEXT" } } ?? "INTEGER"
                let user = userColumns.map { name in
                    "\(SQLiteDatabase.quote(name)) \(Self.sqlType(batch.columns.lazy.compactMap { $0.first { $0.0 == name }?.1 }.first { $0 != .null }))"
                }
                let definition = (["\"sample_uid\" \(uidType)", "\"data_version\" TEXT"] + user
                    + ["\"feature_version\" TEXT", "\"snapshot_version\" TEXT"]).joined(separator: ", ")
                try db.execute("CREATE TABLE \(table) (\(definition))")
                // One sample's rows across every feature (`store lookup`, explain, the Sample
                // screen) are then a lookup, not a scan of each table. metaxy ignores the index.
                try db.execute("CREATE INDEX \(SQLiteDatabase.quote("metaxy-tui:sample_uid:" + key.tableName)) ON \(table) (sample_uid)")
                columns = try existingColumns(key.tableName)
            }
            for name in userColumns where !columns.contains(name) {
                try db.execute("ALTER TABLE \(table) ADD COLUMN \(SQLiteDatabase.quote(name))")
                columns.append(name)
            }
            if replace {
                // When every row is at this version, an unfiltered DELETE lets SQLite free the
                // table's pages whole instead of deleting a million rows one by one.
                let others = try db.query("SELECT 1 FROM \(table) WHERE feature_version IS NOT ? LIMIT 1", [.text(featureVersion)])
                _ = try others.isEmpty ? db.query("DELETE FROM \(table)")
                    : db.query("DELETE FROM \(table) WHERE feature_version = ?", [.text(featureVersion)])
            }
            let names = ["sample_uid", "data_version", "feature_version", "snapshot_version"] + userColumns
            let statement = try db.prepare("INSERT INTO \(table) (\(names.map(SQLiteDatabase.quote).joined(separator: ", "))) "
                + "VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))")
            statement.bind(3, .text(featureVersion))
            statement.bind(4, .text(snapshotVersion))
            let phase = "writing \(key)"
            try batch.text.withUnsafeBufferPointer { text in
                defer { statement.clearBindings() }
                for i in 0..<batch.count {
                    if i & 0x3FFF == 0 { try progress.step(phase, i, of: batch.count) }
                    statement.bind(1, batch.uids[i].sqliteValue)
                    statement.bind(2, borrowing: UnsafeBufferPointer(rebasing: text[batch.versions[i]!]))
                    for (c, name) in userColumns.enumerated() {
                        statement.bind(Int32(5 + c), Self.sqlValue(batch.columns[i].first { $0.0 == name }?.1 ?? .null))
                    }
                    try statement.step()
                }
            }
            try progress.step(phase, batch.count, of: batch.count)
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    func existingColumns(_ table: String) throws(StoreError) -> [String] {
        try db.query("SELECT name FROM pragma_table_info(?)", [.text(table)]).compactMap { $0.first?.text }
    }

    static func sqlType(_ value: JSONValue?) -> String {
        switch value {
        case .int?, .bool?: "INTEGER"
        case .double?: "REAL"
        default: "TEXT"
        }
    }

    static func sqlValue(_ value: JSONValue) -> SQLiteValue {
        switch value {
        case .null: .null
        case let .bool(b): .integer(b ? 1 : 0)
        case let .int(i): .integer(Int64(i))
        case let .double(d): .real(d)
        case let .string(s): .text(s)
        case .array, .object: .text(value.compact())
        }
    }
}

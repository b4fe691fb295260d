import MetaxyCore

extension MetaxyStore {
    /// Appends rows to a feature's table in one transaction (metaxy's `write_metadata`), stamped
    /// with the graph's feature and snapshot versions. Root rows carry their data_version; other
    /// rows without one get it computed from the latest upstream rows. With `replace`, the
    /// feature's rows at its current feature version are dropped first. Any bad row aborts it all.
    @discardableResult
    public func write(feature key: FeatureKey, graph: FeatureGraph, jsonl: [UInt8], source: String,
                      replace: Bool = false, algorithm: HashAlgorithm? = nil) throws -> Int {
        let f = try featureIndex(key, in: graph)
        try Self.checkTableNames(graph, file: path)
        var rows = try SampleRow.read(jsonl, source: source)
        let fields = graph.specs[f].fields.map(\.key.string)
        if rows.contains(where: { $0.dataVersion == nil }) {
            guard !graph.isRoot(f) else {
                let line = rows.first { $0.dataVersion == nil }!.line
                throw StoreError(file: "\(source):\(line)", "\(key) is a root feature: its rows must carry data_version")
            }
            let hash = try algorithm ?? detectAlgorithm(graph)
            let recipe = DataVersionRecipe(graph: graph, feature: f)
            let upstream = try recipe.upstreams.map { u throws in
                try hasTable(u.tableName) ? try SortedRows(db, table: u.tableName, featureVersion: nil, file: path) : SortedRows()
            }
            let merge = StaleMerge(recipe: recipe, algorithm: hash)
            let inputs = merge.inputs, heads = merge.heads
            var positions = [Int](repeating: 0, count: upstream.count), input: [UInt8] = []
            for i in rows.indices where rows[i].dataVersion == nil {
                for (u, list) in upstream.enumerated() {
                    guard let position = list.find(rows[i].uid) else {
                        throw StoreError(file: "\(source):\(rows[i].line)", "sample \(rows[i].uid) has no row in upstream "
                            + "\(recipe.upstreams[u]); write \(recipe.upstreams[u]) first")
                    }
                    positions[u] = position
                }
                rows[i].dataVersion = recipe.fields.indices.map { k in
                    (fields[k], merge.digest(k, inputs: inputs, heads: heads, upstream: upstream, positions: positions, input: &input) ?? "")
                }
            }
        }
        for row in rows {
            let given = row.dataVersion!
            guard given.count == fields.count, fields.allSatisfy({ f in given.contains { $0.0 == f } }) else {
                throw StoreError(file: "\(source):\(row.line)", "data_version must have exactly the fields of \(key): "
                    + fields.joined(separator: ", ") + "; it has " + given.map(\.0).sorted().joined(separator: ", "))
            }
        }
        try insert(rows, into: key, fields: fields, featureVersion: graph.featureVersion(f),
                   snapshotVersion: graph.snapshotVersion, replace: replace, source: source)
        return rows.count
    }

    func featureIndex(_ key: FeatureKey, in graph: FeatureGraph) throws(StoreError) -> Int {
        guard let f = graph.index(of: key) else {
            let known = (0..<graph.count).map { graph.key($0).string }.sorted().prefix(20).joined(separator: ", ")
            throw StoreError(file: path, "feature '\(key)' is not in the graph; features: \(known)")
        }
        return f
    }

    private func insert(_ rows: [SampleRow], into key: FeatureKey, fields: [String], featureVersion: String,
                        snapshotVersion: String, replace: Bool, source: String) throws {
        let table = SQLiteDatabase.quote(key.tableName)
        try db.execute("BEGIN IMMEDIATE")
        do {
            var columns = try existingColumns(key.tableName)
            let userColumns = rows.reduce(into: [String]()) { names, row in
                for (name, _) in row.columns where !names.contains(name) { names.append(name) }
            }
            if columns.isEmpty {
                let uidType = rows.first.map { if case .int = $0.uid { "INTEGER" } else { "TEXT" } } ?? "INTEGER"
                let user = userColumns.map { name in
                    "\(SQLiteDatabase.quote(name)) \(Self.sqlType(rows.lazy.compactMap { $0.columns.first { $0.0 == name }?.1 }.first { $0 != .null }))"
                }
                let definition = (["\"sample_uid\" \(uidType)", "\"data_version\" TEXT"] + user
                    + ["\"feature_version\" TEXT", "\"snapshot_version\" TEXT"]).joined(separator: ", ")
                try db.execute("CREATE TABLE \(table) (\(definition))")
                columns = try existingColumns(key.tableName)
            }
            for name in userColumns where !columns.contains(name) {
                try db.execute("ALTER TABLE \(table) ADD COLUMN \(SQLiteDatabase.quote(name))")
                columns.append(name)
            }
            if replace {
                _ = try db.query("DELETE FROM \(table) WHERE feature_version = ?", [.text(featureVersion)])
            }
            let names = ["sample_uid", "data_version"] + userColumns + ["feature_version", "snapshot_version"]
            let statement = try db.prepare("INSERT INTO \(table) (\(names.map(SQLiteDatabase.quote).joined(separator: ", "))) "
                + "VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))")
            let quotedFields = fields.map { JSONValue.quoted($0) + ":" }
            var values: [SQLiteValue] = []
            values.reserveCapacity(names.count)
            for row in rows {
                // Compact JSON with the fields in spec order, as metaxy stores the struct.
                var dataVersion = "{"
                for (k, field) in fields.enumerated() {
                    if k > 0 { dataVersion += "," }
                    dataVersion += quotedFields[k]
                    dataVersion += JSONValue.quoted(row.dataVersion!.first { $0.0 == field }!.1)
                }
                dataVersion += "}"
                values.removeAll(keepingCapacity: true)
                values.append(Self.sqlValue(row.uid.jsonValue))
                values.append(.text(dataVersion))
                for name in userColumns { values.append(Self.sqlValue(row.columns.first { $0.0 == name }?.1 ?? .null)) }
                values.append(.text(featureVersion))
                values.append(.text(snapshotVersion))
                try statement.run(values)
            }
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

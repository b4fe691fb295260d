import MetaxyCore

/// Rows of a 0.1.x feature table for people: the contract's JSON objects and the Store screen's
/// pages. A 0.1.x table has no write order; its physical order (`ctid`; the tables are append-only) places the rows.
extension ProjectStore {
    /// Rows stored, live ids at `featureVersion`, and the rows of each feature version present.
    /// Counted on the server: only numbers come back.
    func rowCounts(_ key: FeatureKey, featureVersion: String) throws -> (stored: Int, current: Int, versions: [(version: String, rows: Int)]) {
        let feature = try recorded(key)
        let columns = try backend.columns(of: feature.tableName)
        guard !columns.isEmpty else { return (0, 0, []) }
        let table = quoteIdentifier(feature.tableName), ids = feature.idColumns.map(quoteIdentifier).joined(separator: ", ")
        let versions = try backend.query("""
            SELECT metaxy_feature_version, COUNT(*) FROM \(table)
            GROUP BY metaxy_feature_version ORDER BY COUNT(*) DESC, metaxy_feature_version COLLATE "C"
            """, []).map { (version: $0[0].text ?? "", rows: Int($0[1].integer ?? 0)) }
        let when = ["metaxy_deleted_at", "metaxy_updated_at"].filter(columns.contains)
        let latest = (when.isEmpty ? "" : "COALESCE(" + when.joined(separator: ", ") + ") DESC NULLS LAST, ") + "ctid DESC"
        let gone = columns.contains("metaxy_deleted_at") ? "metaxy_deleted_at IS NOT NULL" : "false"
        let current = try backend.query("""
            SELECT COUNT(*) FROM (SELECT DISTINCT ON (\(ids)) \(gone) AS gone FROM \(table)
            WHERE metaxy_feature_version = $1 ORDER BY \(ids), \(latest)) AS latest WHERE NOT gone
            """, [.text(featureVersion)]).first?[0].integer ?? 0
        return (versions.reduce(0) { $0 + $1.rows }, Int(current), versions)
    }

    /// A feature as the newest recorded version that has it describes it (its table and id
    /// columns): a live graph may show one not pushed yet under the same key.
    func recorded(_ key: FeatureKey) throws -> ProjectFeature {
        let versions = try projectVersions()
        for version in versions {
            if let found = try graph(version: version.version).feature(key.string) { return found }
        }
        guard let latest = versions.first else { throw StoreError(file: location, "project \(project) has no recorded version") }
        return try feature(key, in: graph(version: latest.version))
    }

    /// Rows of a feature in physical order, each as one JSON object in its table's column order.
    func samples(_ key: FeatureKey, limit: Int?, offset: Int) throws -> [JSONValue] {
        let feature = try recorded(key)
        let columns = try backend.columns(of: feature.tableName)
        guard !columns.isEmpty else { throw StoreError(file: location, "has no table for \(key) (\(feature.tableName))") }
        // to_jsonb gives each value its JSON type (timestamps as ISO text, jsonb as objects).
        return try backend.query("""
            SELECT to_jsonb(t)::text FROM \(quoteIdentifier(feature.tableName)) AS t ORDER BY ctid LIMIT $1 OFFSET $2
            """, [limit.map { .integer(Int64($0)) } ?? .null, .integer(Int64(offset))]).map { row in
            let members = JSONValue.parse(Array((row[0].text ?? "{}").utf8))?.members ?? []
            let byName = Dictionary(members, uniquingKeysWith: { a, _ in a })
            return .object(columns.map { ($0, byName[$0] ?? .null) })
        }
    }

    /// A page of rows in physical order: after `after`, before `before`, sorted by a column, or
    /// the latest row of each of some samples. A row's place is its `ctid` as one integer (block
    /// << 16 | offset); paging reads a window of blocks around it (a TID range scan), so a page of a
    /// million-row table costs what the page holds, not the table. The page shows ids as the
    /// sample, `metaxy_provenance_by_field` as its versions and the user columns.
    func page(_ key: FeatureKey, _ request: RowRequest) throws -> SamplePage {
        let feature = try recorded(key)
        let columns = try backend.columns(of: feature.tableName)
        guard !columns.isEmpty else { return SamplePage(rows: [], columns: []) }
        let user = columns.filter { !$0.hasPrefix("metaxy_") && !feature.idColumns.contains($0) }
        let ids = feature.idColumns.map(quoteIdentifier), table = quoteIdentifier(feature.tableName)
        let shown = ids + ["metaxy_provenance_by_field", "metaxy_feature_version"] + user.map { quoteIdentifier($0) + "::text" }
        let body = "((ctid::text::point)[0]::bigint << 16) + (ctid::text::point)[1]::bigint, \(shown.joined(separator: ", ")) FROM \(table) AS t"
        let select = "SELECT " + body
        let values: [[StoreValue]]
        switch request {
        case let .after(after, limit):
            values = try window(select, table, from: max(after, 0), forward: true, limit: limit)
        case let .before(before, limit):
            values = try window(select, table, from: before, forward: false, limit: limit)
        case let .sorted(column, descending, offset, limit):
            guard columns.contains(column) else { throw StoreError(file: location, "\(key) has no column '\(column)'") }
            let direction = descending ? "DESC" : "ASC"
            // The table's column, not the text the page shows of it: numbers sort as numbers.
            values = try backend.query("\(select) ORDER BY t.\(quoteIdentifier(column)) \(direction), ctid \(direction) LIMIT $1 OFFSET $2",
                                       [.integer(Int64(limit)), .integer(Int64(offset))])
        case let .latest(samples):
            guard feature.idColumns.count == 1, !samples.isEmpty else { return SamplePage(rows: [], columns: user) }
            let marks = samples.indices.map { "$\($0 + 1)" }.joined(separator: ", ")
            values = try backend.query("""
                SELECT * FROM (SELECT DISTINCT ON (\(ids[0])) \(body)
                WHERE \(ids[0])::text IN (\(marks)) ORDER BY \(ids[0]), ctid DESC) AS latest ORDER BY 1
                """, samples.map { .text($0.description) })
        case let .range(limit, offset):
            values = try backend.query("\(select) ORDER BY ctid LIMIT $1 OFFSET $2", [limit.map { .integer(Int64($0)) } ?? .null, .integer(Int64(offset))])
        }
        let idCount = ids.count
        let rows = values.map { values in
            let sample = SampleUID(ids: values[1...idCount].map { $0.integer.map(IDValue.int) ?? .string($0.text ?? "") })
            let byField = values[idCount + 1].text.flatMap(JSONValue.parseStringObject)?.sorted { codePointLess($0.key, $1.key) }.map { ($0.key, $0.value) } ?? []
            return SamplePage.Row(rowid: values[0].integer ?? 0, uid: sample, dataVersion: byField, featureVersion: values[idCount + 2].text ?? "",
                                  extra: values.dropFirst(idCount + 3).map { $0.text ?? "null" })
        }
        return SamplePage(rows: rows, columns: user)
    }

    /// Up to `limit` rows after (or before) the place `from`, in physical order: windows of blocks
    /// from there, each twice the last, until the page is full or the table ends.
    private func window(_ select: String, _ table: String, from place: Int64, forward: Bool, limit: Int) throws -> [[StoreValue]] {
        let blocks = try backend.query("SELECT pg_relation_size($1::regclass) / current_setting('block_size')::bigint", [.text(table)])
            .first?[0].integer ?? 0
        func tid(_ block: Int64, _ offset: Int64) -> StoreValue { .text("(\(block),\(offset))") }
        var rows: [[StoreValue]] = [], size: Int64 = 64
        var edge = (block: min(place >> 16, blocks), offset: place == Int64.max ? 0 : place & 0xFFFF)
        while rows.count < limit {
            let need = Int64(limit - rows.count)
            if forward {
                guard edge.block < blocks else { break }
                let end = edge.block + size
                rows += try backend.query("\(select) WHERE ctid > $1::tid AND ctid < $2::tid ORDER BY ctid LIMIT $3",
                                          [tid(edge.block, edge.offset), tid(end, 0), .integer(need)])
                edge = (end, 0)
            } else {
                guard edge.block > 0 || edge.offset > 0 else { break }
                let start = max(0, edge.block - size)
                rows += try backend.query("\(select) WHERE ctid >= $1::tid AND ctid < $2::tid ORDER BY ctid DESC LIMIT $3",
                                          [tid(start, 0), tid(edge.block, edge.offset), .integer(need)])
                edge = (start, 0)
            }
            size *= 2
        }
        return forward ? rows : rows.reversed()
    }

    /// The place of a sample's latest row, to jump to it.
    func place(of sample: SampleUID, _ key: FeatureKey) throws -> Int64? {
        try page(key, .latest([sample])).rows.last?.rowid
    }
}

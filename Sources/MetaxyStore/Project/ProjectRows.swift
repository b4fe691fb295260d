import MetaxyCore

/// A row of a 0.1.x feature table as a status reads it.
struct ProjectRow {
    var ids: [IDValue]
    var provenance: String
    /// `metaxy_provenance_by_field` as compact JSON text, parsed only to explain a row.
    var provenanceByField: String
    var dataVersionByField: [String: String]
}

extension ProjectStore {
    /// What metaxy 0.1.x's `read` gives for a feature: per id, the latest row at `featureVersion`
    /// (by `coalesce(metaxy_deleted_at, metaxy_updated_at)`, then physical order), dropped when
    /// that row is a soft delete; and how many rows the table holds in all. The SQL is
    /// PostgreSQL's: 0.1.x has no SQLite store.
    func currentRows(_ feature: ProjectFeature, featureVersion: String) throws -> (rows: [ProjectRow], stored: Int) {
        let columns = try backend.columns(of: feature.tableName)
        guard !columns.isEmpty else { return ([], 0) }
        for needed in feature.idColumns + ["metaxy_provenance", "metaxy_feature_version"] where !columns.contains(needed) {
            throw StoreError(file: location, "table \(feature.tableName) of \(feature.key) has no column \(needed); "
                + "it is not in metaxy 0.1.x's layout (its columns: \(columns.joined(separator: ", ")))")
        }
        let versions = columns.contains("metaxy_data_version_by_field") ? "metaxy_data_version_by_field" : "metaxy_provenance_by_field"
        let byField = columns.contains("metaxy_provenance_by_field") ? "metaxy_provenance_by_field" : "NULL"
        let deleted = columns.contains("metaxy_deleted_at") ? "metaxy_deleted_at IS NOT NULL" : "false"
        let when = ["metaxy_deleted_at", "metaxy_updated_at"].filter(columns.contains)
        let order = (when.isEmpty ? "" : "COALESCE(\(when.joined(separator: ", "))) NULLS FIRST, ") + "ctid"
        let ids = feature.idColumns.map(quoteIdentifier).joined(separator: ", ")
        let table = quoteIdentifier(feature.tableName)
        var latest: [[IDValue]: Int] = [:], rows: [ProjectRow] = [], gone: [Bool] = []
        let idCount = Int32(feature.idColumns.count)
        try backend.select("""
            SELECT \(ids), metaxy_provenance, \(versions), \(deleted), \(byField) FROM \(table)
            WHERE metaxy_feature_version = $1 ORDER BY \(order)
            """, [.text(featureVersion)]) { row in
            let key = (0..<idCount).map { row.idValue($0) }
            let text = String(decoding: row.text(idCount + 1), as: UTF8.self)
            let parsed = ProjectRow(ids: key, provenance: String(decoding: row.text(idCount), as: UTF8.self),
                                    provenanceByField: String(decoding: row.text(idCount + 3), as: UTF8.self),
                                    dataVersionByField: JSONValue.parseStringObject(text) ?? [:])
            let isDeleted = row.isInteger(idCount + 2) ? row.integer(idCount + 2) != 0 : String(decoding: row.text(idCount + 2), as: UTF8.self) == "t"
            if let i = latest[key] {
                rows[i] = parsed
                gone[i] = isDeleted
            } else {
                latest[key] = rows.count
                rows.append(parsed)
                gone.append(isDeleted)
            }
        }
        let stored = try backend.query("SELECT COUNT(*) FROM \(table)", []).first?[0].integer ?? 0
        return (zip(rows, gone).filter { !$0.1 }.map(\.0), Int(stored))
    }

    /// Rows of each upstream of `feature` as the provenance engine takes them, by upstream key.
    func upstreamRows(_ feature: ProjectFeature, graph: ProjectGraph, versions: ProjectVersions) throws -> [String: [UpstreamRow]] {
        var out: [String: [UpstreamRow]] = [:]
        for dep in feature.deps where out[dep.feature] == nil {
            let upstream = try self.feature(FeatureKey(string: dep.feature), in: graph)
            let rows = try currentRows(upstream, featureVersion: versions.features[upstream.key]?.featureVersion ?? "").rows
            out[dep.feature] = rows.map { row in
                UpstreamRow(ids: Dictionary(uniqueKeysWithValues: zip(upstream.idColumns, row.ids)), dataVersionByField: row.dataVersionByField)
            }
        }
        return out
    }
}

extension StoreRow {
    /// Column `i` as an id value (NULL as an empty string: metaxy's ids are never NULL).
    func idValue(_ i: Int32) -> IDValue {
        isInteger(i) ? .int(integer(i)) : .string(String(decoding: text(i), as: UTF8.self))
    }
}

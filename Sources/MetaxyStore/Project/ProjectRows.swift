import MetaxyCore

/// A row of a 0.1.x feature table as a status reads it.
struct ProjectRow {
    var ids: [IDValue]
    var provenance: String
    /// When it was written (or soft-deleted), in microseconds: the latest row of an id wins.
    var at: Int64
    /// Values of `metaxy_data_version_by_field` asked for, in the order asked.
    var values: [String]
    /// `metaxy_provenance_by_field` as compact JSON text when asked for (to explain a row).
    var provenanceByField: String?
}

extension ProjectStore {
    /// What metaxy 0.1.x's `read` gives for a feature: per id, the latest row at `featureVersion`
    /// (by `coalesce(metaxy_deleted_at, metaxy_updated_at)`, then physical order), dropped when
    /// that row is a soft delete; with the data versions of `values` (struct keys) and, when asked,
    /// `metaxy_provenance_by_field`. Also how many rows the table holds in all. The server picks
    /// the latest rows and takes the values out of the JSON: on this 2-core machine its sort costs
    /// less than keeping the latest of each id here, on the thread that decodes the rows. The SQL
    /// is PostgreSQL's: 0.1.x has no SQLite store.
    func currentRows(_ feature: ProjectFeature, featureVersion: String, values: [String] = [], provenanceByField: Bool = false,
                     matching: [String: IDValue] = [:]) throws -> (rows: [ProjectRow], stored: Int)
    {
        let columns = try backend.columns(of: feature.tableName)
        guard !columns.isEmpty else { return ([], 0) }
        for needed in feature.idColumns + ["metaxy_provenance", "metaxy_feature_version"] where !columns.contains(needed) {
            throw StoreError(file: location, "table \(feature.tableName) of \(feature.key) has no column \(needed); "
                + "it is not in metaxy 0.1.x's layout (its columns: \(columns.joined(separator: ", ")))")
        }
        let versions = columns.contains("metaxy_data_version_by_field") ? "metaxy_data_version_by_field" : "metaxy_provenance_by_field"
        let deleted = columns.contains("metaxy_deleted_at") ? "metaxy_deleted_at IS NOT NULL" : "false"
        let when = ["metaxy_deleted_at", "metaxy_updated_at"].filter(columns.contains)
        let latest = "COALESCE(" + when.joined(separator: ", ") + ")"
        let time = when.isEmpty ? "0" : "COALESCE((EXTRACT(EPOCH FROM " + latest + ") * 1000000)::bigint, 0)"
        let ids = feature.idColumns.map(quoteIdentifier).joined(separator: ", ")
        let table = quoteIdentifier(feature.tableName)
        var arguments: [StoreValue] = [.text(featureVersion)]
        let extracted = values.map { key -> String in
            arguments.append(.text(key))
            return "\(versions) ->> $\(arguments.count)"
        }
        // Only some ids (explain): the id columns given are compared in the query, as text, so
        // that an id typed as a number finds a text column's row and the other way round.
        let filter = matching.sorted { $0.key < $1.key }.map { column, value -> String in
            arguments.append(.text(value.description))
            return " AND \(quoteIdentifier(column))::text = $\(arguments.count)"
        }.joined()
        let shown = [ids, "metaxy_provenance", "\"metaxy-tui:at\""] + extracted + (provenanceByField ? ["metaxy_provenance_by_field"] : [])
        let stored = Int(try backend.query("SELECT COUNT(*) FROM \(table)", []).first?[0].integer ?? 0)
        var rows: [ProjectRow] = []
        rows.reserveCapacity(matching.isEmpty ? stored : 1)
        let idCount = Int32(feature.idColumns.count), valueCount = Int32(values.count), first = idCount + 2
        try backend.select("""
            SELECT \(shown.joined(separator: ", ")) FROM (
                SELECT DISTINCT ON (\(ids)) *, \(deleted) AS "metaxy-tui:gone", \(time) AS "metaxy-tui:at" FROM \(table)
                WHERE metaxy_feature_version = $1\(filter) ORDER BY \(ids), "metaxy-tui:at" DESC, ctid DESC
            ) AS latest WHERE NOT "metaxy-tui:gone"
            """, arguments) { row in
            rows.append(ProjectRow(
                ids: (0..<idCount).map { row.idValue($0) },
                provenance: String(decoding: row.text(idCount), as: UTF8.self), at: row.integer(idCount + 1),
                values: (0..<valueCount).map { String(decoding: row.text(first + $0), as: UTF8.self) },
                provenanceByField: provenanceByField ? String(decoding: row.text(first + valueCount), as: UTF8.self) : nil))
        }
        return (rows, stored)
    }

    /// Rows of each upstream of `feature` as the provenance engine takes them, by upstream key:
    /// ids and the data versions it reads.
    /// With `only` (a feature's ids by column), a 1:1 upstream is read for those ids alone.
    func upstreamRows(_ feature: ProjectFeature, engine: ProvenanceEngine, graph: ProjectGraph, versions: ProjectVersions,
                      only: [String: IDValue] = [:]) throws -> [String: UpstreamRows]
    {
        var out: [String: UpstreamRows] = [:]
        for dep in feature.deps where out[dep.feature] == nil {
            let upstream = try self.feature(FeatureKey(string: dep.feature), in: graph)
            let slots = engine.slots(of: dep.feature)
            // The upstream's own id columns that keep their name here and are one of the ids asked.
            let matching = dep.lineage == .identity
                ? only.filter { column, _ in upstream.idColumns.contains(column) && dep.rename[column] == nil && !dep.rename.values.contains(column) }
                : [:]
            let rows = try currentRows(upstream, featureVersion: versions.features[upstream.key]?.featureVersion ?? "", values: slots,
                                       matching: matching).rows
            var columns = UpstreamRows(idColumns: upstream.idColumns, slots: slots, capacity: rows.count)
            for row in rows { columns.append(ids: row.ids, values: row.values) }
            out[dep.feature] = columns
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

import MetaxyCore

extension MetaxyStore {
    /// metaxy's `metadata copy`: every snapshot, and the rows of every feature (or of `features`)
    /// as they are, versions and write order kept, each feature in one transaction, into
    /// `target`. A feature the target already has rows for is refused before anything is
    /// copied: rows copied twice would count twice. Returns the features and rows copied.
    public func copy(to target: MetaxyStore, features: [FeatureKey]? = nil, progress: WorkProgress = .none) throws -> (features: Int, rows: Int) {
        if project != nil {
            throw StoreError(file: path, "is a metaxy 0.1.x store, which metaxy-tui does not copy; use metaxy 0.1.x's `metaxy metadata copy`")
        }
        let tables: [String]
        let present = try backend.featureTables()
        if let features {
            let names = features.map(\.tableName)
            if let missing = features.first(where: { !present.contains($0.tableName) }) {
                throw StoreError(file: path, "has no rows for feature '\(missing)'; features with rows: "
                    + present.map { $0.replacing("__", with: "/") }.joined(separator: ", "))
            }
            tables = names
        } else {
            tables = present
        }
        for table in tables where try target.backend.rowCount(table) > 0 {
            throw StoreError(file: target.path, "already has rows for feature '\(table.replacing("__", with: "/"))'; "
                + "copy into a store without them, or leave it out (--feature picks what to copy)")
        }
        let snapshots = try backend.snapshotRows()
        var start = 0
        while start < snapshots.count {
            var end = start + 1
            while end < snapshots.count && snapshots[end][5] == snapshots[start][5] { end += 1 }
            _ = try target.backend.recordSnapshot(Array(snapshots[start..<end]), version: snapshots[start][5])
            start = end
        }
        var rows = 0
        for table in tables {
            let columns = try backend.columns(of: table)
            let total = try backend.rowCount(table)
            var after = Int64.min
            try target.backend.appendRows(table, columns: columns, phase: "copying \(table.replacing("__", with: "/"))", total: total,
                                          progress: progress) {
                let page = try backend.rows(table, columns: columns, .after(after, limit: 20_000))
                guard let last = page.last else { return nil }
                after = last[0].integer ?? after
                return page.map { Array($0.dropFirst()) }
            }
            rows += total
        }
        return (tables.count, rows)
    }
}

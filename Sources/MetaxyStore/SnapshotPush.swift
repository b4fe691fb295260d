import Foundation
import MetaxyCore

extension MetaxyStore {
    /// Records the graph as a snapshot (metaxy's `record_feature_graph_snapshot`): one row per
    /// feature, sorted by key, in one transaction; nothing when the snapshot is already recorded.
    /// Returns the snapshot version and whether it was already there. `recordedAt` is now but
    /// for a workspace made up after the fact, such as the demo's history.
    @discardableResult
    public func push(_ graph: FeatureGraph, recordedAt: Date? = nil) throws -> (version: String, alreadyRecorded: Bool) {
        try Self.checkTableNames(graph, file: path)
        let table = SQLiteDatabase.quote(Self.featureVersionsTable)
        if try !db.query("SELECT 1 FROM \(table) WHERE snapshot_version = ? LIMIT 1", [.text(graph.snapshotVersion)]).isEmpty {
            return (graph.snapshotVersion, true)
        }
        try db.execute("BEGIN IMMEDIATE")
        do {
            let insert = try db.prepare("INSERT INTO \(table) VALUES (?, ?, ?, ?, ?, ?)")
            for f in (0..<graph.count).sorted(by: { codePointLess(graph.key($0).string, graph.key($1).string) }) {
                try insert.run([.text(graph.key(f).string), .text(graph.featureVersion(f)), .text(Self.timestamp(recordedAt ?? Date())),
                                .text(graph.specs[f].jsonValue.pythonDumps()), .text("metaxy_tui." + graph.key(f).tableName),
                                .text(graph.snapshotVersion)])
            }
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
        return (graph.snapshotVersion, false)
    }

    /// SQLite compares table names without case, so two keys whose table names differ only in
    /// case would share a table (metaxy crashes there); refuse them up front.
    static func checkTableNames(_ graph: FeatureGraph, file: String) throws(StoreError) {
        var seen: [String: FeatureKey] = [:]
        for f in 0..<graph.count {
            let key = graph.key(f)
            if let other = seen.updateValue(key, forKey: key.tableName.lowercased()), other != key {
                throw StoreError(file: file, "features '\(other)' and '\(key)' would share one table (SQLite ignores case "
                    + "in table names); rename one of them")
            }
        }
    }

    /// Now in UTC as metaxy stores it: `YYYY-MM-DDTHH:MM:SS.ffffff`, no zone.
    static func timestamp(_ date: Date = Date()) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = time_t(micros / 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                      parts.tm_hour, parts.tm_min, parts.tm_sec, Int(micros % 1_000_000))
    }
}

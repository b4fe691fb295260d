import Foundation
import MetaxyCore

/// What the database itself takes for the rows a step handles, in metaxy's layout on this machine:
/// the floor `metaxy-bench` measures each step against (a step cannot beat the database at its
/// own I/O). For a `postgresql://` store, the same done inside the server.
public enum Floors {
    /// Copying a feature's rows into a new store with the same table and index, one
    /// `INSERT … SELECT` in WAL with synchronous=NORMAL, as a write of those rows would land.
    public static func copy(store path: String, feature key: FeatureKey) throws -> Duration {
        if PostgresURL.isURL(path) { return try postgresCopy(store: path, feature: key) }
        let target = path + ".floor-\(getpid())"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) } }
        let db = try SQLiteDatabase(path: target, readOnly: false)
        try db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
        _ = try db.query("ATTACH DATABASE ? AS source", [.text(path)])
        let schema = try db.query("SELECT sql FROM source.sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type DESC",
                                  [.text(key.tableName)]).compactMap { $0.first?.text }
        for statement in schema { try db.execute(statement) }
        let table = quoteIdentifier(key.tableName)
        return try ContinuousClock().measure {
            try db.execute("BEGIN; INSERT INTO main.\(table) SELECT * FROM source.\(table); COMMIT")
        }
    }

    /// Reading what a status of `key` reads, and nothing more: its rows at the current feature
    /// version and every row of each upstream, `count(*)` and `sum(length(data_version))`.
    public static func scan(store path: String, graph: FeatureGraph, feature key: FeatureKey) throws -> Duration {
        guard let f = graph.index(of: key) else { return .zero }
        if PostgresURL.isURL(path) { return try postgresScan(store: path, graph: graph, feature: f) }
        let db = try SQLiteDatabase(path: path, readOnly: true)
        let upstreams = DataVersionRecipe(graph: graph, feature: f).upstreams
        let present = Set(try db.query("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.first?.text })
        return try ContinuousClock().measure {
            if present.contains(key.tableName) {
                _ = try db.query("SELECT count(*), sum(length(data_version)) FROM \(quoteIdentifier(key.tableName)) WHERE feature_version = ?",
                                 [.text(graph.featureVersion(f))])
            }
            for u in upstreams where present.contains(u.tableName) {
                _ = try db.query("SELECT count(*), sum(length(data_version)) FROM \(quoteIdentifier(u.tableName))")
            }
        }
    }

    /// On the server: the table's rows copied into a new table with the same columns and the
    /// sample_uid index, in one statement, as `COPY` would land them.
    private static func postgresCopy(store url: String, feature key: FeatureKey) throws -> Duration {
        let session = try PostgresSession(try PostgresURL(url))
        let table = quoteIdentifier(key.tableName), floor = quoteIdentifier("metaxy-tui:floor")
        try session.execute("DROP TABLE IF EXISTS \(floor)")
        try session.execute("CREATE TABLE \(floor) (LIKE \(table) INCLUDING IDENTITY)")
        try session.execute("CREATE INDEX ON \(floor) (sample_uid)")
        defer { try? session.execute("DROP TABLE IF EXISTS \(floor)") }
        return try ContinuousClock().measure {
            try session.execute("INSERT INTO \(floor) OVERRIDING SYSTEM VALUE SELECT * FROM \(table)")
        }
    }

    /// On the server: what a status reads, counted and summed there.
    private static func postgresScan(store url: String, graph: FeatureGraph, feature f: Int) throws -> Duration {
        // One connection; which tables are there is asked before the clock starts, as for SQLite.
        let backend = try PostgresBackend(url: url, readOnly: true, create: false)
        let key = graph.key(f)
        let current = try backend.hasTable(key.tableName)
        let upstreams = try DataVersionRecipe(graph: graph, feature: f).upstreams.filter { try backend.hasTable($0.tableName) }
        return try ContinuousClock().measure {
            if current {
                try backend.session.execute("SELECT count(*), sum(length(data_version::text)) FROM \(quoteIdentifier(key.tableName)) "
                    + "WHERE feature_version = $1", [.text(graph.featureVersion(f))])
            }
            for u in upstreams {
                try backend.session.execute("SELECT count(*), sum(length(data_version::text)) FROM \(quoteIdentifier(u.tableName))")
            }
        }
    }
}

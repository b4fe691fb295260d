import Foundation
import MetaxyCore

/// A metadata store in metaxy 0.0.0's SQLite layout (reference §7): one table per feature and
/// `metaxy-system__feature_versions`, one row per feature per recorded snapshot.
public final class MetaxyStore {
    public static let featureVersionsTable = "metaxy-system__feature_versions"

    public let path: String
    let db: SQLiteDatabase
    /// How the last status through the cache came by each feature's stale set.
    var cacheOutcomes: [FeatureKey: CacheOutcome] = [:]

    enum CacheOutcome: Equatable { case unchanged, incremental, cold }

    /// Opens an existing store; read-only unless asked, and a read-only store is never modified.
    /// With `create`, a missing file becomes a new store (WAL journal, metaxy's system tables).
    public init(path: String, readOnly: Bool = true, create: Bool = false) throws(StoreError) {
        self.path = path
        if create && !FileManager.default.fileExists(atPath: path) {
            db = try SQLiteDatabase(path: path, readOnly: false)
            try db.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
            try db.execute(Self.systemTablesDDL)
            return
        }
        try Self.checkFile(path)
        if !readOnly, let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int,
           mode & 0o222 == 0 {
            // Honoured even for root, who could write anyway: the file was made read-only on purpose.
            throw StoreError(file: path, "is read-only; make it writable (chmod u+w) or write to another store")
        }
        db = try SQLiteDatabase(path: path, readOnly: readOnly)
        let tables = try db.query("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0.first?.text }
        guard tables.contains(Self.featureVersionsTable) || tables.contains(where: { !$0.hasPrefix("sqlite_") }) else {
            throw StoreError(file: path, "is a SQLite database but not a metaxy store: it has no tables")
        }
        var hasFeatureTable = tables.contains(Self.featureVersionsTable)
        for table in tables where !hasFeatureTable { hasFeatureTable = try isFeatureTable(table) }
        guard hasFeatureTable else {
            throw StoreError(file: path, "is a SQLite database but not a metaxy store: no `\(Self.featureVersionsTable)` "
                + "table and no table with sample_uid and data_version columns")
        }
    }

    /// metaxy 0.0.0's system tables, as its SQLite store creates them (reference §7.2).
    static let systemTablesDDL = """
        CREATE TABLE IF NOT EXISTS "metaxy-system__feature_versions" ("feature_key" TEXT, "feature_version" TEXT, \
        "recorded_at" TIMESTAMP(6), "feature_spec" TEXT, "feature_class_path" TEXT, "snapshot_version" TEXT);
        CREATE TABLE IF NOT EXISTS "metaxy-system__migration_events" ("migration_id" TEXT, "event_type" TEXT, \
        "timestamp" TIMESTAMP(6), "feature_key" TEXT, "rows_affected" INTEGER, "error_message" TEXT);
        """

    /// Whether `path` starts like a SQLite database; graph files never do.
    public static func looksLikeSQLite(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 16)) == Data("SQLite format 3\0".utf8)
    }

    private static func checkFile(_ path: String) throws(StoreError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw StoreError(file: path, "no such file; give the path of a metaxy SQLite store")
        }
        guard !isDirectory.boolValue else { throw StoreError(file: path, "is a directory, not a SQLite store") }
        guard FileManager.default.isReadableFile(atPath: path) else { throw StoreError(file: path, "cannot be read; check its permissions") }
        guard looksLikeSQLite(path) else {
            throw StoreError(file: path, "is not a SQLite database (its header is not \"SQLite format 3\"); check the path")
        }
    }

    private func isFeatureTable(_ table: String) throws(StoreError) -> Bool {
        let columns = try db.query("SELECT name FROM pragma_table_info(?)", [.text(table)]).compactMap { $0.first?.text }
        return columns.contains("sample_uid") && columns.contains("data_version")
    }

    // MARK: snapshots

    /// Every recorded snapshot, newest first (metaxy's `read_graph_snapshots`).
    public func snapshots() throws(StoreError) -> [Snapshot] {
        guard try hasTable(Self.featureVersionsTable) else { return [] }
        let table = SQLiteDatabase.quote(Self.featureVersionsTable)
        return try db.query("""
            SELECT snapshot_version, MIN(recorded_at), COUNT(DISTINCT feature_key) FROM \(table)
            GROUP BY snapshot_version ORDER BY MIN(recorded_at) DESC, snapshot_version
            """).map { row in
            Snapshot(version: row[0].text ?? "", recordedAt: row[1].text ?? "", featureCount: Int(row[2].integer ?? 0))
        }
    }

    /// `latest`, a full snapshot version, or a unique prefix of one.
    public func resolveSnapshot(_ reference: String) throws(StoreError) -> Snapshot {
        let all = try snapshots()
        guard !all.isEmpty else {
            throw StoreError(file: path, "has no recorded snapshots; record one with `metaxy-tui store push \(path) --graph GRAPH`")
        }
        if reference == "latest" { return all[0] }
        let matches = all.filter { $0.version.hasPrefix(reference.lowercased()) }
        guard matches.count == 1 else {
            let candidates = listed((matches.isEmpty ? all : matches).map { "  \($0.version)  \($0.recordedAt)" }, limit: 10,
                                    separator: "\n", more: { "  and \($0) more (`metaxy-tui store snapshots \(path)` lists them all)" })
            let problem = matches.isEmpty ? "no snapshot starts with '\(reference)'"
                : "'\(reference)' matches \(counted(matches.count, "snapshot"))"
            throw StoreError(file: path, "\(problem); use `latest` or a longer prefix of one of:\n\(candidates)")
        }
        return matches[0]
    }

    /// A snapshot's graph, rebuilt from the spec JSON stored with it (DESIGN §2), so an old
    /// snapshot shows its own versions.
    public func graph(snapshot reference: String) throws -> FeatureGraph {
        try graph(of: try resolveSnapshot(reference))
    }

    /// The graph of a snapshot already resolved (listing the snapshots again for each is a
    /// GROUP BY over the whole system table).
    public func graph(of snapshot: Snapshot) throws -> FeatureGraph {
        let rows = try db.query("""
            SELECT feature_spec FROM \(SQLiteDatabase.quote(Self.featureVersionsTable))
            WHERE snapshot_version = ? ORDER BY feature_key
            """, [.text(snapshot.version)])
        let json = "[" + rows.compactMap { $0.first?.text }.joined(separator: ",\n") + "]"
        return try GraphFileParser.graph(Array(json.utf8), file: "\(path)@\(snapshot.version.prefix(8))")
    }

    func hasTable(_ name: String) throws(StoreError) -> Bool {
        try !db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(name)]).isEmpty
    }
}

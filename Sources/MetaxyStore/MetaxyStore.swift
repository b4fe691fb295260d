import Foundation
import MetaxyCore

/// A metadata store in metaxy 0.0.0's layout (reference §7): one table per feature and
/// `metaxy-system__feature_versions`, one row per feature per recorded snapshot; in a SQLite file
/// or on a PostgreSQL server (`StoreBackend`).
public final class MetaxyStore {
    public static let featureVersionsTable = "metaxy-system__feature_versions"

    /// The store as messages name it: its file, or its URL with the password hidden.
    public let path: String
    let backend: any StoreBackend
    /// Set when the store is in metaxy 0.1.x's layout: every read below goes there instead.
    let project: ProjectStore?
    /// The project a 0.1.x store is opened on: `--project NAME` (given), or the config's
    /// `project`; nil: the store's only one. Set once at start, before any store is opened.
    nonisolated(unsafe) public static var projectName: (name: String, given: Bool)?
    /// How the last status through the cache came by each feature's stale set.
    var cacheOutcomes: [FeatureKey: CacheOutcome] = [:]
    /// Delta records the last status read the stale-set cache with.
    var cacheDeltasApplied = 0

    enum CacheOutcome: Equatable { case unchanged, incremental, cold }

    /// Opens an existing store, a SQLite file or a `postgresql://` URL; read-only unless asked,
    /// and a read-only store is never modified. With `create`, a missing store is made (a new
    /// file, or metaxy's system tables in the database).
    public init(path location: String, readOnly: Bool = true, create: Bool = false) throws(StoreError) {
        if PostgresURL.isURL(location) {
            backend = try PostgresBackend(url: location, readOnly: readOnly, create: create)
        } else {
            backend = try SQLiteBackend(path: location, readOnly: readOnly, create: create)
        }
        path = backend.location
        if try backend.hasTable(ProjectStore.systemTable) {
            guard readOnly else { throw ProjectStore.notWritten(path) }
            project = try ProjectStore(backend: backend, project: Self.projectName?.name)
        } else if let name = Self.projectName, name.given {
            throw StoreError(file: path, "is a metaxy 0.0.0 store, which holds no projects: --project \(name.name) picks a project of a "
                + "metaxy 0.1.x store (--project DIR must name an existing directory)")
        } else {
            project = nil
        }
    }

    /// The 0.1.x project the store was opened on, nil for a 0.0.0 store.
    public var projectName: String? { project?.project }

    /// Whether `path` starts like a SQLite database; graph files never do.
    public static func looksLikeSQLite(_ path: String) -> Bool { SQLiteBackend.looksLikeSQLite(path) }

    /// Whether statuses of the store at `location` go through the stale-set cache (it reads
    /// SQLite's own pages): asked before opening, so a server is not connected to for nothing.
    public static func cachesStaleSets(_ location: String) -> Bool { !PostgresURL.isURL(location) }

    /// Whether `location` is a server's URL rather than a file.
    public static func isServer(_ location: String) -> Bool { PostgresURL.isURL(location) }

    /// A store's short name on screen: a file's name, or a server's `host/database` (never a password).
    public static func displayName(_ location: String) -> String {
        guard isServer(location) else { return URL(fileURLWithPath: location).lastPathComponent }
        guard let url = try? PostgresURL(location) else { return PostgresURL.hidingPassword(location) }
        return (url.socketPath == nil ? url.host : "localhost") + "/" + url.database
    }

    /// Whether two locations name one store: the same file, or the same URL (passwords aside).
    public static func sameStore(_ a: String, _ b: String) -> Bool {
        guard isServer(a) || isServer(b) else {
            return URL(fileURLWithPath: a).standardizedFileURL == URL(fileURLWithPath: b).standardizedFileURL
        }
        return shown(a) == shown(b)
    }

    /// A store location as messages show it: a URL's password as `***`.
    public static func shown(_ location: String) -> String { PostgresURL.hidingPasswords(inText: location) }

    /// Overwrites the passwords in this process's arguments (store URLs) so that `ps` never shows
    /// them; the arguments as given stay in `CommandLine.arguments`.
    public static func hideArgumentPasswords() { PostgresURL.hideArgumentPasswords() }

    // MARK: snapshots

    /// Every recorded snapshot, newest first (metaxy's `read_graph_snapshots`).
    public func snapshots() throws(StoreError) -> [Snapshot] {
        if let project { return try project.projectVersions() }
        return try backend.snapshots()
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
            let noun = project == nil ? "snapshot" : "project version"
            let problem = matches.isEmpty ? "no \(noun) starts with '\(reference)'"
                : "'\(reference)' matches \(counted(matches.count, noun))"
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
        if let project { return try project.featureGraph(of: snapshot) }
        let json = "[" + (try backend.snapshotSpecs(snapshot.version)).joined(separator: ",\n") + "]"
        return try GraphFileParser.graph(Array(json.utf8), file: "\(path)@\(snapshot.version.prefix(8))")
    }

    func hasTable(_ name: String) throws(StoreError) -> Bool { try backend.hasTable(name) }

    /// A metaxy 0.1.x graph (its versions and provenance are 0.1.x's) against this 0.0.0 store:
    /// refused, so that nothing is recorded, written or compared in the wrong terms.
    func refuseProjectGraph(_ graph: FeatureGraph) throws(StoreError) {
        guard let origin = graph.project else { return }
        throw StoreError(file: path, "is a metaxy 0.0.0 store, and \(graph.source) is metaxy 0.1.x project \(origin.graph.project): "
            + "its versions and sample hashes are 0.1.x's; record and write it with metaxy 0.1.x (`metaxy push`) in a 0.1.x store")
    }

    /// `body`'s answer from the 0.1.x store, nil for a 0.0.0 store; any error as a StoreError.
    func onProject<T>(_ body: (ProjectStore) throws -> T) throws(StoreError) -> T? {
        guard let project else { return nil }
        do { return try body(project) } catch { throw error as? StoreError ?? StoreError(file: path, "\(error)") }
    }
}

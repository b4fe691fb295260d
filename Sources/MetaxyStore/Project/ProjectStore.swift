import Foundation
import MetaxyCore

/// A store in metaxy 0.1.x's layout (reference §11): `metaxy_system__feature_versions`, one row
/// per feature per recorded project version, and one table per feature with its id columns and
/// `metaxy_*` columns. Read through the backend seam and never written: metaxy-tui only browses a
/// 0.1.x store. One database may hold several projects; a store is opened on one.
final class ProjectStore {
    static let systemTable = "metaxy_system__feature_versions"

    let backend: any StoreBackend
    let location: String
    let project: String
    /// `hash_truncation_length` as the store's recorded versions show it (default 8).
    let truncation: Int
    private var graphs: [String: ProjectGraph] = [:]
    private var versions: [Snapshot]?

    /// Why a 0.1.x store is not opened for writing.
    static func notWritten(_ location: String) -> StoreError {
        StoreError(file: location, "is a metaxy 0.1.x store, which metaxy-tui only reads; write to it with metaxy 0.1.x itself")
    }

    init(backend: any StoreBackend, project wanted: String?) throws(StoreError) {
        self.backend = backend
        location = backend.location
        let projects = try backend.query("SELECT DISTINCT project FROM \(Self.systemTable) WHERE deleted_at IS NULL ORDER BY 1", [])
            .compactMap { $0[0].text }
        let listed = projects.map { "  " + $0 }.joined(separator: "\n")
        if let wanted {
            guard projects.contains(wanted) else {
                throw StoreError(file: location, "has no project '\(wanted)'" + (projects.isEmpty ? " (no project has been pushed)" : "; its projects:\n\(listed)"))
            }
            project = wanted
        } else if projects.count == 1 {
            project = projects[0]
        } else if projects.isEmpty {
            throw StoreError(file: location, "is a metaxy 0.1.x store with no recorded project version; run `metaxy push` in the project first")
        } else {
            throw StoreError(file: location, "holds \(projects.count) projects; pick one with --project NAME:\n\(listed)")
        }
        let width = try backend.query("SELECT MAX(LENGTH(metaxy_feature_version)) FROM \(Self.systemTable) WHERE project = $1",
                                      [.text(project)]).first?[0].integer
        truncation = Int(width ?? 8)
    }

    /// The project's recorded versions, newest first (metaxy's `history`).
    func projectVersions() throws(StoreError) -> [Snapshot] {
        if let versions { return versions }
        let found = try backend.query("""
            SELECT metaxy_project_version, to_char(MIN(recorded_at), 'YYYY-MM-DD"T"HH24:MI:SS.US'), COUNT(DISTINCT feature_key)
            FROM \(Self.systemTable) WHERE project = $1 AND deleted_at IS NULL
            GROUP BY metaxy_project_version ORDER BY MIN(recorded_at) DESC, metaxy_project_version COLLATE "C"
            """, [.text(project)]).map { row in
            Snapshot(version: row[0].text ?? "", recordedAt: row[1].text ?? "", featureCount: Int(row[2].integer ?? 0))
        }
        versions = found
        return found
    }

    /// The graph of one recorded project version, from the spec and schema texts stored with it.
    func graph(version: String) throws(StoreError) -> ProjectGraph {
        if let known = graphs[version] { return known }
        let rows = try backend.query("""
            SELECT feature_spec, feature_schema, feature_class_path FROM \(Self.systemTable)
            WHERE project = $1 AND metaxy_project_version = $2 AND deleted_at IS NULL ORDER BY feature_key COLLATE "C"
            """, [.text(project), .text(version)])
        do {
            let graph = try ProjectGraph(project: project, specs: rows.map { ($0[0].text ?? "", $0[1].text, $0[2].text) })
            graphs[version] = graph
            return graph
        } catch {
            throw StoreError(file: location, "project \(project) version \(version): \(error.description)")
        }
    }

    /// The graph the screens show for a recorded version, with 0.1.x's versions at the store's truncation.
    func featureGraph(of snapshot: Snapshot) throws -> FeatureGraph {
        try graph(version: snapshot.version).featureGraph(truncation: truncation, source: "\(location)@\(snapshot.version.prefix(8))")
    }

    /// The project graph a shown graph was made from: recorded here, or the live graph of the project.
    func graph(for shown: FeatureGraph) throws(StoreError) -> ProjectGraph {
        guard let origin = shown.project else {
            throw StoreError(file: location, "is a metaxy 0.1.x store; \(shown.source) is a metaxy 0.0.0 graph, which it cannot be compared with")
        }
        guard origin.graph.project == project else {
            throw StoreError(file: location, "the graph is of project \(origin.graph.project) and the store was opened on project \(project); "
                + "pick it with --project \(origin.graph.project)")
        }
        guard origin.truncation == truncation else {
            throw StoreError(file: location, "records versions of \(truncation) characters, and the graph has \(origin.truncation) "
                + "(hash_truncation_length); set the project's hash_truncation_length to the store's")
        }
        return origin.graph
    }

    func feature(_ key: FeatureKey, in graph: ProjectGraph) throws(StoreError) -> ProjectFeature {
        guard let feature = graph.feature(key.string) else {
            throw StoreError(file: location, "project \(project) has no feature '\(key)'; its features: "
                + graph.features.map(\.key).joined(separator: ", "))
        }
        return feature
    }
}

import Foundation
import MetaxyCore
import MetaxyProject
import MetaxyStore

/// What `metaxy-tui [GRAPH]` and `screenshot` open: a graph file, a store or `STORE@SNAPSHOT`,
/// or the bundled example when nothing is named.
public enum GraphOpening {
    /// `store`: a metaxy store to diff against and count samples in (`--store`); a graph that
    /// is itself a store, or a snapshot of one, brings its own.
    public static func open(_ reference: String?, store: String? = nil) throws -> (FeatureGraph, GraphSource) {
        if let store, !MetaxyStore.isServer(store), !FileManager.default.fileExists(atPath: store) {
            throw StoreError(file: store, "no such file; --store takes the path of a metaxy store (SQLite) or a postgresql:// URL")
        }
        if let store, !MetaxyStore.isServer(store), !MetaxyStore.looksLikeSQLite(store) {
            throw StoreError(file: store, "is not a metaxy store (an SQLite file); give the store metaxy-tui or metaxy wrote")
        }
        guard let reference else {
            return (try DemoGraph.graph(), GraphSource(label: DemoGraph.name, reference: nil, watchedPath: nil, store: store))
        }
        let graph = try GraphReference.load(reference)
        let own = GraphReference.store(of: reference)
        let label = own.flatMap { MetaxyStore.isServer($0) ? MetaxyStore.displayName($0) + String(reference.dropFirst($0.count)) : nil }
            ?? URL(fileURLWithPath: reference).lastPathComponent
        return (graph, GraphSource(label: label, reference: reference, watchedPath: own == nil ? reference : nil, store: store ?? own))
    }

    /// The demo workspace in `directory`: its current pipeline with its store, marked as the demo.
    public static func openDemo(_ directory: String) throws -> (FeatureGraph, GraphSource) {
        guard DemoWorkspace.isComplete(directory) else {
            throw StoreError(file: directory, "is not a demo workspace; make one with `metaxy-tui demo --out \(directory)`")
        }
        let pipeline = directory + "/" + DemoWorkspace.pipelineFile
        let (graph, source) = try open(pipeline, store: directory + "/" + DemoWorkspace.storeFile)
        return (graph, GraphSource(label: "demo: " + source.label, reference: source.reference, watchedPath: source.watchedPath,
                                   store: source.store))
    }

    /// What `metaxy-tui` alone opens: the cached demo workspace, made first on first use, with
    /// each step told to `progress` and the rows written to `work`.
    public static func openCachedDemo(environment: [String: String], progress: (String) -> Void,
                                      work: WorkProgress = .none) throws -> (FeatureGraph, GraphSource) {
        if !DemoWorkspace.isComplete(try DemoWorkspace.cacheDirectory(environment: environment)) {
            progress("metaxy-tui: making the demo workspace (first run only, a few seconds)")
        }
        return try openDemo(try DemoWorkspace.prepared(environment: environment, progress: { progress("  " + $0) }, work: work))
    }

    public static let loader: @Sendable (String) throws -> FeatureGraph = loader(project: nil)

    /// What reads a graph reference (the CLI's, and again for `R`, a changed file, a diff's
    /// sides): `project` and `.` are the project's live graph, exported anew.
    public static func loader(project: Project?) -> @Sendable (String) throws -> FeatureGraph {
        { reference in
            guard Project.references.contains(reference) else { return try GraphReference.load(reference) }
            guard let project else { throw Project.noneHere(reference) }
            return try project.graph()
        }
    }

    /// A graph reference to browse: `project` (or `.`) opens the project as `openProject` does.
    public static func open(_ reference: String, store: String?, project: Project?) throws -> (FeatureGraph, GraphSource, message: String?) {
        guard Project.references.contains(reference) else {
            let (graph, source) = try open(reference, store: store)
            return (graph, source, nil)
        }
        guard let project else { throw Project.noneHere(reference) }
        return try openProject(project)
    }

    /// A metaxy project: its live graph and the store its config names. A store that cannot be
    /// opened leaves the graph to browse, with the reason as the first message.
    public static func openProject(_ project: Project) throws -> (FeatureGraph, GraphSource, message: String?) {
        let graph = try project.graph()
        var message: String?
        switch project.store {
        case .failure(let problem): message = problem.description
        case .success(let store) where project.storePath == nil:
            message = store.notWrittenYet
        default: break
        }
        return (graph, projectSource(project), message)
    }

    /// Where a project's graph comes from: reloaded by exporting again, its sources watched.
    public static func projectSource(_ project: Project) -> GraphSource {
        GraphSource(label: project.label, reference: "project", watchedPath: nil, store: project.storePath, watchedDirectory: project.config.root,
                    migrations: MigrationsDirectory(project.config.migrationsDir, workingDirectory: project.config.workingDirectory))
    }
}

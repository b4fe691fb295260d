import Foundation
import MetaxyCore
import MetaxyStore

/// The demo workspace: the demo pipeline's three snapshots as graph files, `pipeline.yaml` (the
/// current one), and `store.db`, a metaxy store of 100,000 video samples written along the way,
/// so that at the current snapshot some samples are stale for each reason: a model upgrade only
/// partly re-run, re-ingested videos (changed), new videos (added), taken-down videos (removed).
public enum DemoWorkspace {
    public static let pipelineFile = "pipeline.yaml"
    public static let storeFile = "store.db"
    /// Written last: a workspace without it (an interrupted first run) is made again.
    static let stamp = ".metaxy-tui-demo"
    /// 2: tables index sample_uid (an older cached workspace is made again).
    static let format = "2"
    public static let samples = 100_000

    /// Where the demo lives unless the user asks for another place: `$XDG_CACHE_HOME/metaxy-tui/demo`
    /// (`~/.cache/...`), never the working directory.
    public static func cacheDirectory(environment: [String: String]) throws -> String {
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") { return cache + "/metaxy-tui/demo" }
        guard let home = environment["HOME"], !home.isEmpty else {
            throw StoreError(file: "$XDG_CACHE_HOME", "neither XDG_CACHE_HOME nor HOME is set; write the demo somewhere with `metaxy-tui demo --out DIR`")
        }
        return home + "/.cache/metaxy-tui/demo"
    }

    public static func isComplete(_ directory: String) -> Bool {
        (try? String(contentsOfFile: directory + "/" + stamp, encoding: .utf8)) == format
    }

    /// The cached workspace, made first when missing or incomplete. It is built beside its place
    /// and moved in whole, so an interrupted run or a second copy starting at once leaves no half.
    public static func prepared(environment: [String: String], samples: Int = samples, progress: (String) -> Void,
                                work: WorkProgress = .none) throws -> String {
        let directory = try cacheDirectory(environment: environment)
        let parent = (directory as NSString).deletingLastPathComponent
        removeAbandoned(in: parent)
        guard !isComplete(directory) else { return directory }
        let building = parent + "/.demo-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: building)
        defer { try? FileManager.default.removeItem(atPath: building) }
        do {
            try create(at: building, samples: samples, progress: progress, work: work)
        } catch let error as StoreError {
            throw StoreError(file: directory, error.message.replacing("; choose another --out", with: "")
                + "; point XDG_CACHE_HOME at a writable directory, or write the demo elsewhere with `metaxy-tui demo --out DIR`")
        }
        if !isComplete(directory) {
            try? FileManager.default.removeItem(atPath: directory)
            do {
                try FileManager.default.moveItem(atPath: building, toPath: directory)
            } catch where isComplete(directory) {
                // Another metaxy-tui finished first: use its copy.
            }
        }
        return directory
    }

    /// Half-built copies of runs stopped by Ctrl-C or kill (their process is gone): 200 MB each.
    static func removeAbandoned(in parent: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where name.hasPrefix(".demo-") {
            guard let pid = pid_t(name.dropFirst(6)), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: parent + "/" + name)
        }
    }

    /// Writes the workspace into `directory` (made if missing; it must not hold a workspace already).
    /// `samples` videos; fewer make a quick workspace for tests. Each step is told to `progress`,
    /// the rows of each write to `work`.
    public static func create(at directory: String, samples: Int = samples, progress: (String) -> Void,
                              work: WorkProgress = .none) throws {
        let files = FileManager.default
        do {
            try files.createDirectory(atPath: directory + "/snapshots", withIntermediateDirectories: true)
        } catch {
            throw StoreError(file: directory, "cannot be created (\(whyNot(directory))); choose another --out")
        }
        let store = directory + "/" + storeFile
        guard !files.fileExists(atPath: store), !files.fileExists(atPath: directory + "/" + pipelineFile) else {
            throw StoreError(file: directory, isComplete(directory)
                ? "already holds a workspace (\(pipelineFile), \(storeFile)); choose an empty directory"
                : "holds an unfinished workspace (an earlier run was stopped); remove it or choose an empty directory")
        }
        var graphs: [FeatureGraph] = []
        for (n, snapshot) in DemoPipeline.snapshots.enumerated() {
            let yaml = DemoPipeline.yaml(snapshot: n + 1)
            try write(yaml, to: directory + "/snapshots/" + snapshot.file)
            graphs.append(try GraphFileParser.graph(Array(yaml.utf8), file: snapshot.file))
        }
        try write(DemoPipeline.yaml(snapshot: 3), to: directory + "/" + pipelineFile)
        try DemoHistory(store: MetaxyStore(path: store, readOnly: false, create: true), graphs: graphs, samples: samples, work: work)
            .replay(progress: progress)
        try write(format, to: directory + "/" + stamp)
    }

    /// Foundation's errors say "error 512"; the nearest existing parent says what is wrong.
    private static func whyNot(_ directory: String) -> String {
        var path = directory
        var isDirectory: ObjCBool = false
        while !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), path != "/" {
            path = (path as NSString).deletingLastPathComponent
        }
        if !isDirectory.boolValue { return "\(path) is a file, not a directory" }
        return FileManager.default.isWritableFile(atPath: path) ? "the file system refused it" : "\(path) is not writable"
    }

    private static func write(_ text: String, to path: String) throws {
        do {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw StoreError(file: path, "cannot be written (\(error.localizedDescription))")
        }
    }
}

import Foundation
import MetaxyCore

/// A metaxy project as a user has it: the config found from a directory, the store it names
/// (or why it cannot be opened), and the Python that exports its live graph.
public struct Project: Sendable {
    public let config: ProjectConfig
    public let store: Result<StoreSelection, ConfigError>
    public let python: String
    public let timeout: Double
    let environment: [String: String]
    private let exports = ExportCache()

    /// The references that mean "this project's live graph" wherever a graph is expected.
    public static let references: Set<String> = ["project", "."]

    /// The project around `directory`: a `metaxy.toml`, or a `pyproject.toml` with
    /// `[tool.metaxy]`; nil when there is none, so the caller can do what it does elsewhere.
    public static func find(from directory: String, environment: [String: String], python: String? = nil,
                            timeout: Double = 30) throws(ConfigError) -> Project? {
        guard let file = ConfigFile.find(from: directory) else { return nil }
        // Found and read once, then handed on.
        let settings = try ConfigFile.read(file)
        if URL(fileURLWithPath: file).lastPathComponent == "pyproject.toml", settings.members?.isEmpty != false { return nil }
        return make(try ProjectConfig.load(file: file, settings: settings, workingDirectory: directory, environment: environment),
                    environment: environment, python: python, timeout: timeout)
    }

    /// The project `named` (`--project DIR`, which must be in one), else the one around the
    /// working directory, if any.
    public static func locate(named: String?, workingDirectory: String, environment: [String: String], python: String? = nil,
                              timeout: Double = 30) throws(ConfigError) -> Project? {
        guard let named else { return try find(from: workingDirectory, environment: environment, python: python, timeout: timeout) }
        guard FileManager.default.fileExists(atPath: named) else {
            throw ConfigError(.load, file: named, "no such directory; --project takes a metaxy project's directory")
        }
        guard let found = try find(from: named, environment: environment, python: python, timeout: timeout) else {
            throw ConfigError(.load, file: named, "is not in a metaxy project: no metaxy.toml, and no pyproject.toml with [tool.metaxy], here or above")
        }
        return found
    }

    /// `project` or `.` given where there is no project.
    public static func noneHere(_ reference: String) -> ConfigError {
        ConfigError(.load, "`\(reference)` names the metaxy project around the working directory, and there is none: run in a project, or give --project DIR")
    }

    public static func open(_ directory: String, environment: [String: String], python: String? = nil,
                            timeout: Double = 30) throws(ConfigError) -> Project {
        make(try ProjectConfig.load(workingDirectory: directory, environment: environment), environment: environment, python: python,
             timeout: timeout)
    }

    private static func make(_ config: ProjectConfig, environment: [String: String], python: String?, timeout: Double) -> Project {
        let store = Result { () throws(ConfigError) -> StoreSelection in try StoreSelection.select(config) }
        return Project(config: config, store: store, python: LiveGraph.interpreter(explicit: python, config: config, environment: environment),
                       timeout: timeout, environment: environment)
    }

    /// The live graph, exported by the project's Python, or the last export while no source
    /// file has changed since (a reload and the diff made right after it ask twice).
    public func graph() throws(LiveGraph.Failure) -> FeatureGraph {
        let stamp = ProjectFiles.stamp(config.root)
        if let graph = exports.graph(for: stamp) { return graph }
        let graph = try LiveGraph.export(config: config, python: python, environment: environment, timeout: timeout)
        exports.keep(graph, for: stamp)
        return graph
    }

    /// `project: video · store dev`: what the status bar says.
    public var label: String {
        let name = URL(fileURLWithPath: config.root).lastPathComponent
        switch store {
        case .success(let s): return "project: \(name) · store \(s.name)"
        case .failure: return "project: \(name) · no store"
        }
    }

    /// The store's file when it exists (a project whose pipeline has not written yet has none), or its server's URL.
    public var storePath: String? {
        guard case .success(let s) = store, s.isServer || FileManager.default.fileExists(atPath: s.databasePath) else { return nil }
        return s.databasePath
    }
}

/// The last graph exported, with the state of the sources it came from.
final class ExportCache: @unchecked Sendable {
    private let lock = NSLock()
    private var last: (stamp: String, graph: FeatureGraph)?

    func graph(for stamp: String) -> FeatureGraph? {
        lock.lock()
        defer { lock.unlock() }
        return last?.stamp == stamp ? last?.graph : nil
    }

    func keep(_ graph: FeatureGraph, for stamp: String) {
        lock.lock()
        last = (stamp, graph)
        lock.unlock()
    }
}

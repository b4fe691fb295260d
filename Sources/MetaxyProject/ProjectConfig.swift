import Foundation
import MetaxyCore

/// A metaxy project's settings as metaxy 0.0.0 resolves them (`MetaxyConfig.load(search_parents=
/// True)`): the config file's, then the environment's on top (`METAXY_STORE`, `METAXY_STORES` as
/// JSON, `METAXY_STORES__<NAME>__TYPE|CONFIG__<KEY>`, `METAXY_MIGRATIONS_DIR`, `METAXY_ENTRYPOINTS`
/// as JSON), deep-merged; variable names are case-insensitive, store names as typed lowercased
/// from names and kept as typed in values.
public struct ProjectConfig: Sendable {
    public struct Store: Sendable, Equatable {
        public let name: String
        /// The metadata store class, `module.Class`.
        public let type: String
        /// The class's keyword arguments, as configured (env values stay strings).
        public let config: JSONValue
    }

    /// The config file found, nil when there is none (settings from the environment alone).
    public let file: String?
    public let store: String
    public let stores: [Store]
    /// metaxy 0.1.x's `project`: which project of a shared store is this one's.
    public let project: String?
    public let migrationsDir: String
    public let entrypoints: [String]
    /// The directory discovery started from: relative database paths resolve against it.
    public let workingDirectory: String

    public static let defaultStore = "dev", defaultMigrationsDir = ".metaxy/migrations"

    public static func load(workingDirectory: String, environment: [String: String]) throws(ConfigError) -> ProjectConfig {
        let file = ConfigFile.find(from: workingDirectory)
        return try load(file: file, settings: try file.map { path throws(ConfigError) in try ConfigFile.read(path) },
                        workingDirectory: workingDirectory, environment: environment)
    }

    /// With the config file already found and read (nil: there is none), under the environment's settings.
    public static func load(file: String?, settings: JSONValue?, workingDirectory: String,
                            environment: [String: String]) throws(ConfigError) -> ProjectConfig {
        try ProjectConfig(merged(settings ?? .object([]), try environmentSettings(environment)), file: file, workingDirectory: workingDirectory)
    }

    /// The settings the environment gives, nested as the TOML would nest them.
    static func environmentSettings(_ environment: [String: String]) throws(ConfigError) -> JSONValue {
        var result = JSONValue.object([])
        // Sorted, so nested variables merge into a `METAXY_STORES` JSON the same way every time.
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) {
            let lower = name.lowercased()
            guard lower.hasPrefix("metaxy_") else { continue }
            let path = lower.dropFirst("metaxy_".count).components(separatedBy: "__")
            switch path.first {
            case "store" where path.count == 1, "migrations_dir" where path.count == 1, "project" where path.count == 1:
                result = merged(result, nest(path, .string(value)))
            case "stores" where path.count == 1, "entrypoints" where path.count == 1:
                guard let parsed = JSONValue.parse(Array(value.utf8)) else {
                    throw ConfigError(.load, "the environment variable \(name) is not valid JSON: \(value)")
                }
                result = merged(result, nest(path, parsed))
            case "stores" where path.count >= 3:
                result = merged(result, nest(path, .string(value)))
            default:
                continue
            }
        }
        return result
    }

    static func nest(_ path: [String], _ value: JSONValue) -> JSONValue {
        path.reversed().reduce(value) { .object([($1, $0)]) }
    }

    /// `over` on top of `base`: objects merge key by key, anything else is replaced.
    static func merged(_ base: JSONValue, _ over: JSONValue) -> JSONValue {
        guard case .object(var pairs) = base, case .object(let overPairs) = over else { return over }
        for (key, value) in overPairs {
            if let i = pairs.firstIndex(where: { $0.0 == key }) { pairs[i].1 = merged(pairs[i].1, value) } else { pairs.append((key, value)) }
        }
        return .object(pairs)
    }

    init(_ settings: JSONValue, file: String?, workingDirectory: String) throws(ConfigError) {
        func string(_ key: String) throws(ConfigError) -> String? {
            guard let value = settings[key] else { return nil }
            guard case .string(let s) = value else { throw ConfigError(.load, file: file, "\(key) must be a string, not \(value.compact())") }
            return s
        }
        self.file = file
        self.workingDirectory = workingDirectory
        store = try string("store") ?? Self.defaultStore
        project = try string("project")
        migrationsDir = try string("migrations_dir") ?? Self.defaultMigrationsDir
        switch settings["entrypoints"] {
        case nil: entrypoints = []
        case .array(let items)?:
            entrypoints = try items.map { item throws(ConfigError) in
                guard case .string(let s) = item else { throw ConfigError(.load, file: file, "entrypoints must list module names, not \(item.compact())") }
                return s
            }
        case let other?: throw ConfigError(.load, file: file, "entrypoints must be a list of module names, not \(other.compact())")
        }
        var stores: [Store] = []
        for (name, table) in settings["stores"]?.members ?? [] {
            guard let fields = table.members else { throw ConfigError(.load, file: file, "stores.\(name) must be a table with type and config") }
            if let extra = fields.first(where: { !["type", "config"].contains($0.0) }) {
                throw ConfigError(.load, file: file, "stores.\(name).\(extra.0): not a store setting; a store table has only type and config (its arguments go under [stores.\(name).config])")
            }
            guard case .string(let type)? = table["type"] else {
                throw ConfigError(.load, file: file, "stores.\(name).type is missing: name the store class, e.g. metaxy.metadata_store.sqlite.SQLiteMetadataStore")
            }
            let config = table["config"] ?? .object([])
            guard config.members != nil else { throw ConfigError(.load, file: file, "stores.\(name).config must be a table of the store's arguments") }
            stores.append(Store(name: name, type: type, config: config))
        }
        self.stores = stores
    }

    /// The settings as metaxy dumps them (`model_dump(mode="json")`).
    public var json: JSONValue {
        .object([("store", .string(store)),
                 ("stores", .object(stores.map { ($0.name, .object([("type", .string($0.type)), ("config", $0.config)])) })),
                 ("migrations_dir", .string(migrationsDir)), ("entrypoints", .array(entrypoints.map(JSONValue.string)))]
                + (project.map { [("project", .string($0))] } ?? []))
    }

    /// The directory of the config file: the project's root, put on the Python path for its modules.
    public var root: String { file.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path } ?? workingDirectory }
}

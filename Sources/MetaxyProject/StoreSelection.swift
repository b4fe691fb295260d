import Foundation
import MetaxyCore

/// The store a project's config names, as `MetaxyConfig.get_store()` builds it: the class, the
/// hash algorithm (xxhash64 unless the store's config sets one, whatever the class's default),
/// the database (relative paths against the working directory, as metaxy does) and the fallback
/// stores' classes. A SQLite store (0.0.0) or a PostgreSQL store (0.1.x, by its
/// `connection_string`) can be opened here; any other type is said plainly.
public struct StoreSelection: Sendable, Equatable {
    public let name: String
    public let storeClass: String
    public let hashAlgorithm: String
    /// As configured, and resolved to an absolute path.
    public let database: String
    public let databasePath: String
    public let fallbackStores: [String]

    public static let sqlite = "metaxy.metadata_store.sqlite.SQLiteMetadataStore"
    /// metaxy 0.1.x's PostgreSQL store, by its short and its full class path.
    public static let postgresql: Set<String> = ["metaxy.ext.postgresql.PostgreSQLMetadataStore",
                                                 "metaxy.ext.postgresql.metadata_store.PostgreSQLMetadataStore"]

    /// Whether the store is a server's URL rather than a file.
    public var isServer: Bool { Self.postgresql.contains(storeClass) }

    /// What to say while its database file does not exist yet, and what makes it.
    public var notWrittenYet: String {
        "the store \(name) (\(database)) has not been written yet: `metaxy-tui graph push` records the project's graph there"
    }

    public static func select(_ config: ProjectConfig, name: String? = nil) throws(ConfigError) -> StoreSelection {
        try select(config, name: name ?? config.store, chain: [])
    }

    private static func select(_ config: ProjectConfig, name: String, chain: [String]) throws(ConfigError) -> StoreSelection {
        let source = config.file ?? "the environment (no metaxy.toml or pyproject.toml was found)"
        guard !config.stores.isEmpty else {
            throw ConfigError(.store, file: config.file, """
                configures no store: add [stores.\(name)] with type = "\(sqlite)" and [stores.\(name).config] database = "metadata.db" \
                (in pyproject.toml under [tool.metaxy.stores.\(name)]), or set METAXY_STORES__\(name.uppercased())__TYPE and \
                METAXY_STORES__\(name.uppercased())__CONFIG__DATABASE
                """)
        }
        guard let store = config.stores.first(where: { $0.name == name }) else {
            let available = config.stores.map { "'\($0.name)'" }.joined(separator: ", ")
            throw ConfigError(.store, file: config.file,
                              "store '\(name)' is not configured\(chain.last.map { " (a fallback of '\($0)')" } ?? ""); the stores there: [\(available)] (names are case-sensitive)")
        }
        let server = postgresql.contains(store.type)
        guard store.type == sqlite || server else {
            let kind = store.type.split(separator: ".").last.map(String.init) ?? store.type
            throw ConfigError(.store, file: config.file, """
                store '\(name)' is a \(kind) (\(store.type)), which metaxy-tui cannot open: it reads metaxy's SQLite store \
                (\(sqlite)) and metaxy 0.1.x's PostgreSQL store (metaxy.ext.postgresql.PostgreSQLMetadataStore); point METAXY_STORE \
                at one of those, or give one with --store FILE|URL (from \(source))
                """)
        }
        func value(_ key: String) -> JSONValue? { store.config[key] }
        let setting = server ? "connection_string" : "database"
        guard case .string(let database)? = value(setting) else {
            throw ConfigError(.store, file: config.file, server
                ? "store '\(name)' has no connection_string: set [stores.\(name).config] connection_string = \"postgresql://user@host/db\""
                : "store '\(name)' has no database: set [stores.\(name).config] database = \"metadata.db\"")
        }
        // A store's own default when its config sets none: 0.0.0's SQLite store hashes with
        // xxhash64 (whatever the class says), 0.1.x's PostgreSQL store with xxhash32.
        var hash = server ? "xxhash32" : "xxhash64"
        if let configured = value("hash_algorithm") {
            guard case .string(let text) = configured, HashAlgorithm(rawValue: text) != nil else {
                throw ConfigError(.store, file: config.file, "store '\(name)': hash_algorithm \(configured.compact()) is not one of xxhash64, xxhash32, md5, sha256")
            }
            hash = text
        }
        // metaxy iterates whatever fallback_stores holds: a string from the environment is taken
        // letter by letter, so its first character is looked up as a store name, as there.
        var fallbacks: [String] = []
        switch value("fallback_stores") {
        case nil: break
        case .array(let items)?:
            for item in items {
                guard case .string(let fallback) = item else {
                    throw ConfigError(.store, file: config.file, "store '\(name)': fallback_stores must list store names, not \(item.compact())")
                }
                guard !chain.contains(fallback), fallback != name else {
                    throw ConfigError(.store, file: config.file, "store '\(name)': fallback_stores go round in a circle through '\(fallback)'")
                }
                fallbacks.append(try select(config, name: fallback, chain: chain + [name]).storeClass.split(separator: ".").last.map(String.init) ?? "")
            }
        case .string(let text)?:
            for character in text {
                _ = try select(config, name: String(character), chain: chain + [name])
            }
        case let other?:
            throw ConfigError(.store, file: config.file, "store '\(name)': fallback_stores must be a list of store names, not \(other.compact())")
        }
        let path = server || database.hasPrefix("/") ? database : URL(fileURLWithPath: config.workingDirectory).appendingPathComponent(database).standardizedFileURL.path
        return StoreSelection(name: name, storeClass: store.type, hashAlgorithm: hash, database: database, databasePath: path, fallbackStores: fallbacks)
    }
}

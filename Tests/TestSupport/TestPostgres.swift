import Foundation

/// The PostgreSQL server the test script starts (`Scripts/pg-test-server.sh`): each store the
/// tests make there is a schema of its own.
public enum TestPostgres {
    public struct NotRunning: Error, CustomStringConvertible {
        public var description: String {
            "METAXY_TUI_TEST_PG is not set: run the tests through Scripts/test.sh, which starts a PostgreSQL server for them"
        }
    }

    /// The server's URL (role `metaxy`, database `metaxy`), without a schema.
    public static func base() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["METAXY_TUI_TEST_PG"], !url.isEmpty else { throw NotRunning() }
        return url
    }

    /// A store URL in a new schema.
    public static func store() throws -> String {
        try base() + "?schema=t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
    }
}

/// Where a test's store lives: the suites that apply to both run once for each.
public enum StoreBackendKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgresql

    public var description: String { rawValue }

    /// A new, empty store location: a file in `dir`, or a schema on the test server.
    public func newStore(in dir: URL) throws -> String {
        switch self {
        case .sqlite: dir.appendingPathComponent("store.db").path
        case .postgresql: try TestPostgres.store()
        }
    }
}

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

extension TestPostgres {
    /// Runs SQL on the test server as the `metaxy` role through psql and returns its unaligned output.
    public static func psql(_ sql: String, as url: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/lib/postgresql/15/bin/psql")
        process.arguments = ["-X", "-At", "-v", "ON_ERROR_STOP=1", try url ?? base(), "-c", sql]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PsqlFailed(message: problem) }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public struct PsqlFailed: Error, CustomStringConvertible {
        public let message: String
        public var description: String { "psql: \(message)" }
    }

    /// The schema a store URL made by `store()` names.
    public static func schema(of store: String) -> String {
        String(store.split(separator: "schema=").last ?? "public")
    }
}

extension TestPostgres {
    /// A store written by metaxy 0.1.x (a `pg_dump` of schema public) restored into a new schema
    /// of `server` (default: the test server); its URL. Tables are made and filled as the dump
    /// says, in the new schema; `then` is more SQL run after it, with `SCHEMA` standing for the schema.
    public static func restore(dump file: URL, server: String? = nil, then more: String = "") throws -> String {
        let server = try server ?? base()
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let url = server + (server.contains("?") ? "&" : "?") + "schema=" + schema
        let sql = try String(contentsOf: file, encoding: .utf8)
            .replacingOccurrences(of: "CREATE TABLE public.", with: "CREATE TABLE \(schema).")
            .replacingOccurrences(of: "COPY public.", with: "COPY \(schema).")
            + "\n" + more.replacingOccurrences(of: "SCHEMA", with: schema)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/lib/postgresql/15/bin/psql")
        process.arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", server, "-f", "-"]
        let input = Pipe(), err = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        try process.run()
        input.fileHandleForWriting.write(Data(("CREATE SCHEMA \(schema);\n" + sql).utf8))
        try input.fileHandleForWriting.close()
        let problem = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PsqlFailed(message: problem) }
        return url
    }
}

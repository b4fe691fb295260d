import CSQLite
import Foundation

/// One SQLite connection: the only place that calls the sqlite3 C API.
final class SQLiteDatabase {
    let path: String
    private var handle: OpaquePointer?

    /// Opens `path`; read-only connections never change the database (not even a journal).
    ///
    /// SQLite reads a WAL database through its `-wal` and `-shm` files, creating them when
    /// they are missing, and only a connection that may write removes them when it closes: a
    /// read-only connection would leave them beside the store. So when they are not there (no
    /// program has the store open), a read-only connection opens for writing with every write
    /// refused (`query_only`); the last connection to close removes them, whoever wrote in the
    /// meantime. When they are there, another program may be writing and it opens read-only.
    /// `immutable` would create nothing, but would read a store written meanwhile inconsistently.
    init(path: String, readOnly: Bool) throws(StoreError) {
        self.path = path
        let queryOnly = readOnly && Self.isWALWithoutWALFile(path)
        // A connection is used by one thread at a time (each worker opens its own), so SQLite's
        // own mutex, taken on every column read, is not needed: NOMUTEX.
        let status = readOnly && !queryOnly
            ? sqlite3_open_v2("file:" + Self.uriEscape(path) + "?mode=ro", &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nil)
            : sqlite3_open_v2(path, &handle, (queryOnly ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, !queryOnly || sqlite3_exec(handle, "PRAGMA query_only = 1", nil, nil, nil) == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(handle)
            handle = nil
            throw StoreError(file: path, "cannot be opened as a SQLite database (\(message))")
        }
        sqlite3_busy_timeout(handle, 5_000)
        if !readOnly {
            // In WAL mode NORMAL still survives a crash of the program (only a power cut can lose the
            // last commits), and a bulk write need not wait for the disk twice. Other journals keep FULL.
            sqlite3_exec(handle, "PRAGMA cache_size = -131072", nil, nil, nil)
            // Debian's SQLite zeroes every page a DELETE frees (secure_delete on): a `--replace`
            // of a million rows wrote 200 MB of zeros first. FAST still clears deleted rows
            // from the pages that stay in use, and frees the rest without writing them.
            sqlite3_exec(handle, "PRAGMA secure_delete = FAST", nil, nil, nil)
            if (try? query("PRAGMA journal_mode"))?.first?.first?.text == "wal" {
                sqlite3_exec(handle, "PRAGMA synchronous = NORMAL", nil, nil, nil)
            }
        }
    }

    deinit { sqlite3_close_v2(handle) }

    /// Whether no transaction is open on this connection.
    var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// Runs `sql` and hands each row to `body` without copying it: for scans of millions of rows.
    func forEachRow(_ sql: String, _ arguments: [StoreValue] = [], _ body: (RowView) throws -> Void) throws {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else { throw error("cannot read it") }
        defer { sqlite3_finalize(statement) }
        Self.bind(arguments, to: statement)
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw error("cannot read it") }
            try body(RowView(statement: statement))
        }
    }

    /// The current row of a statement, valid only inside `forEachRow`'s body.
    struct RowView: StoreRow {
        fileprivate let statement: OpaquePointer?

        func isInteger(_ i: Int32) -> Bool { sqlite3_column_type(statement, i) == SQLITE_INTEGER }
        func isNull(_ i: Int32) -> Bool { sqlite3_column_type(statement, i) == SQLITE_NULL }
        func integer(_ i: Int32) -> Int64 { sqlite3_column_int64(statement, i) }

        /// The column's text as bytes (empty for NULL).
        func text(_ i: Int32) -> UnsafeBufferPointer<UInt8> {
            guard let p = sqlite3_column_text(statement, i) else { return UnsafeBufferPointer(start: nil, count: 0) }
            return UnsafeBufferPointer(start: p, count: Int(sqlite3_column_bytes(statement, i)))
        }
    }

    /// Runs statements that return nothing (DDL, BEGIN/COMMIT).
    func execute(_ sql: String) throws(StoreError) {
        guard sqlite3_exec(handle, sql, nil, nil, nil) == SQLITE_OK else { throw error("cannot be written") }
    }

    /// A statement prepared once and run many times, for bulk inserts.
    func prepare(_ sql: String) throws(StoreError) -> Statement {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else { throw error("cannot be written") }
        return Statement(statement, database: self)
    }

    final class Statement {
        private let statement: OpaquePointer?
        private unowned let database: SQLiteDatabase

        fileprivate init(_ statement: OpaquePointer?, database: SQLiteDatabase) {
            self.statement = statement
            self.database = database
        }

        deinit { sqlite3_finalize(statement) }

        /// Binds parameter `index` (from 1); a binding stays until replaced, so values common to
        /// every row are bound once.
        func bind(_ index: Int32, _ value: StoreValue) {
            SQLiteDatabase.bind(value, at: index, to: statement)
        }

        /// Binds text that SQLite reads in place: `bytes` must stay valid and unchanged until
        /// the parameter is bound again or `clearBindings` is called.
        func bind(_ index: Int32, borrowing bytes: UnsafeBufferPointer<UInt8>) {
            guard let base = bytes.baseAddress else { return bind(index, .text("")) }
            sqlite3_bind_text(statement, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
        }

        func clearBindings() { sqlite3_clear_bindings(statement) }

        func run(_ arguments: [StoreValue]) throws(StoreError) {
            SQLiteDatabase.bind(arguments, to: statement)
            try step()
        }

        /// Runs the statement with its current bindings, then resets it for the next ones.
        func step() throws(StoreError) {
            defer { sqlite3_reset(statement) }
            guard sqlite3_step(statement) == SQLITE_DONE else { throw database.error("cannot be written") }
        }
    }

    private static func bind(_ arguments: [StoreValue], to statement: OpaquePointer?) {
        for (i, value) in arguments.enumerated() { bind(value, at: Int32(i + 1), to: statement) }
    }

    private static func bind(_ value: StoreValue, at index: Int32, to statement: OpaquePointer?) {
        switch value {
        case .null: sqlite3_bind_null(statement, index)
        case let .integer(v): sqlite3_bind_int64(statement, index, v)
        case let .real(v): sqlite3_bind_double(statement, index, v)
        case let .text(v): sqlite3_bind_text(statement, index, v, -1, csqlite_transient())
        }
    }

    /// Runs `sql` with `arguments` bound in order and returns every row.
    func query(_ sql: String, _ arguments: [StoreValue] = []) throws(StoreError) -> [[StoreValue]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK else { throw error("cannot read it") }
        defer { sqlite3_finalize(statement) }
        Self.bind(arguments, to: statement)
        var rows: [[StoreValue]] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { return rows }
            guard status == SQLITE_ROW else { throw error("cannot read it") }
            rows.append((0..<sqlite3_column_count(statement)).map { column(statement, $0) })
        }
    }

    private func column(_ statement: OpaquePointer?, _ i: Int32) -> StoreValue {
        switch sqlite3_column_type(statement, i) {
        case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, i))
        case SQLITE_FLOAT: .real(sqlite3_column_double(statement, i))
        case SQLITE_NULL: .null
        default: .text(sqlite3_column_text(statement, i).map { String(cString: $0) } ?? "")
        }
    }

    fileprivate func error(_ what: String) -> StoreError {
        let message = String(cString: sqlite3_errmsg(handle))
        if message.contains("locked") || message.contains("busy") {
            return StoreError(file: path, "is locked by another program (waited 5 s); try again when it is done")
        }
        if message.contains("readonly") {
            return StoreError(file: path, "is read-only; check the file's permissions")
        }
        if message.contains("not a database") || message.contains("malformed") {
            return StoreError(file: path, "is not a SQLite database or is damaged (\(message)); check the path")
        }
        return StoreError(file: path, "\(what): \(message)")
    }


    /// Whether `path` is a database in WAL mode (format bytes 18 and 19 are 2) with no `-wal`
    /// file, and it and its directory are writable (else SQLite could not remove the files either).
    private static func isWALWithoutWALFile(_ path: String) -> Bool {
        let files = FileManager.default
        guard !files.fileExists(atPath: path + "-wal"), files.isWritableFile(atPath: path),
              files.isWritableFile(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path),
              let header = HeldFiles.prefix(path, 20), header.count == 20 else { return false }
        return header[18] == 2 && header[19] == 2
    }

    private static func uriEscape(_ path: String) -> String {
        path.replacing("%", with: "%25").replacing("?", with: "%3f").replacing("#", with: "%23")
    }
}

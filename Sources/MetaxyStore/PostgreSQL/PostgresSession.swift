import Dispatch
import Foundation
import Logging
import MetaxyCore
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// One connection to a PostgreSQL server, used from one thread at a time: the only place that
/// calls postgres-nio. Its calls block until the server answers (the store's API is synchronous);
/// rows stream to a body as they arrive, never a whole table in memory.
final class PostgresSession {
    let url: PostgresURL
    private var connection: PostgresConnection
    private static let logger = Logger(label: "metaxy-tui.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    init(_ url: PostgresURL) throws(StoreError) {
        self.url = url
        connection = try Self.connect(url)
    }

    deinit { try? connection.close().wait() }

    private static func connect(_ url: PostgresURL) throws(StoreError) -> PostgresConnection {
        var configuration: PostgresConnection.Configuration
        if let socket = url.socketPath {
            configuration = .init(unixSocketPath: socket, username: url.user, password: url.password, database: url.database)
        } else {
            configuration = .init(host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
                                  tls: try tls(url))
        }
        configuration.options.connectTimeout = .seconds(Int64(url.connectTimeout))
        configuration.options.additionalStartupParameters = [("application_name", "metaxy-tui")]
        let future = PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration, id: 1,
                                                logger: logger)
        do {
            // connectTimeout covers the TCP handshake only: a server that accepts and then says
            // nothing is given up on after the same time.
            let done = DispatchSemaphore(value: 0)
            future.whenComplete { _ in done.signal() }
            guard done.wait(timeout: .now() + .seconds(url.connectTimeout)) == .success else {
                future.whenSuccess { $0.close().whenComplete { _ in } }
                throw StoreError(file: url.shown, "the server at \(url.socketPath ?? "\(url.host):\(url.port)") did not answer within "
                    + "\(url.connectTimeout) s; check the host and port (connect_timeout= in the URL waits longer)")
            }
            let connection = try future.wait()
            // Unqualified table names are the store's schema's.
            _ = try connection.query(PostgresQuery(unsafeSQL: "SET search_path TO \(quoteIdentifier(url.schema))"), logger: logger).wait()
            return connection
        } catch {
            throw PostgresFault.storeError(error, url: url, connecting: true)
        }
    }

    /// libpq's sslmode: `disable` and `allow` never ask for TLS, `prefer` takes it when offered,
    /// `require` insists without checking the certificate, `verify-ca`/`verify-full` check it.
    private static func tls(_ url: PostgresURL) throws(StoreError) -> PostgresConnection.Configuration.TLS {
        var settings = TLSConfiguration.makeClientConfiguration()
        switch url.sslMode {
        case "disable", "allow": return .disable
        case "verify-full": settings.certificateVerification = .fullVerification
        case "verify-ca": settings.certificateVerification = .noHostnameVerification
        default: settings.certificateVerification = .none
        }
        do {
            let context = try NIOSSLContext(configuration: settings)
            return url.sslMode == "prefer" ? .prefer(context) : .require(context)
        } catch {
            throw StoreError(file: url.shown, "cannot set up TLS: \(error)")
        }
    }


    /// Runs `sql` (`$1`… bound to `arguments`) and returns every row.
    func query(_ sql: String, _ arguments: [StoreValue] = []) throws(StoreError) -> [[StoreValue]] {
        var rows: [[StoreValue]] = []
        try forEachRow(sql, arguments) { row in rows.append((0..<row.count).map { row.value(Int32($0)) }) }
        return rows
    }

    func execute(_ sql: String, _ arguments: [StoreValue] = []) throws(StoreError) {
        try forEachRow(sql, arguments) { _ in }
    }

    /// Runs `sql` and hands each row to `body` as it arrives.
    func forEachRow(_ sql: String, _ arguments: [StoreValue] = [], _ body: (PostgresRowView) throws -> Void) throws(StoreError) {
        var bindings = PostgresBindings(capacity: arguments.count)
        for value in arguments {
            switch value {
            case .null: bindings.appendNull()
            case let .integer(i): bindings.append(i)
            case let .real(d): bindings.append(d)
            case let .text(s): bindings.append(s)
            }
        }
        // The body runs on the connection's event loop thread while this thread waits for the
        // query's end: one at a time, so handing it over is safe.
        try withoutActuallyEscaping(body) { body throws(StoreError) in try stream(sql, bindings, body) }
    }

    private func stream(_ sql: String, _ bindings: PostgresBindings, _ body: @escaping (PostgresRowView) throws -> Void) throws(StoreError) {
        let consumer = Unchecked<((PostgresRowView) throws -> Void)?>(body)
        // The body is let go of when the query ends: the row stream may outlive this call.
        defer { consumer.value = nil }
        let failure = Unchecked<Error?>(nil)
        let scratch = Unchecked(PostgresRowView.Scratch())
        let future = connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: Self.logger) { row in
            guard failure.value == nil else { return }
            do {
                try consumer.value?(scratch.value.load(row))
            } catch {
                failure.value = error
            }
        }
        do {
            _ = try future.wait()
        } catch {
            throw PostgresFault.storeError(error, url: url, connecting: false)
        }
        if let error = failure.value {
            throw error as? StoreError ?? StoreError(file: url.shown, "\(error)")
        }
    }

    /// `COPY table (columns) FROM STDIN` in text format, the rows produced by `produce` in chunks
    /// (each a whole number of lines) through `send`.
    func copy(into table: String, columns: [String], _ produce: (_ send: ([UInt8]) throws -> Void) throws -> Void) throws {
        // postgres-nio quotes the names it is given without doubling inner quotes: double them here.
        let inner = { (name: String) in name.replacing("\"", with: "\"\"") }
        let tableName = inner(table), columnNames = columns.map(inner)
        let outcome = Unchecked<Result<Void, Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let chunks = ChunkQueue()
        // The COPY runs in a task; this thread produces the chunks and hands them over one by one.
        Self.start(chunks, through: connection, table: tableName, columns: columnNames, outcome: outcome, done: done)
        do {
            try produce { chunk in
                guard chunks.put(chunk) else { throw CopyAbandoned() }
            }
            chunks.finish(nil)
        } catch {
            chunks.finish(error)
        }
        done.wait()
        if case .failure(let error)? = outcome.value {
            if let stop = error as? WorkStopped { throw stop }
            if let storeError = error as? StoreError { throw storeError }
            throw PostgresFault.storeError(error, url: url, connecting: false)
        }
    }

    private static func start(_ chunks: ChunkQueue, through connection: PostgresConnection, table: String, columns: [String],
                              outcome: Unchecked<Result<Void, Error>?>, done: DispatchSemaphore) {
        Task.detached {
            await send(chunks, through: connection, table: table, columns: columns, outcome: outcome)
            done.signal()
        }
    }

    private static func send(_ chunks: ChunkQueue, through connection: PostgresConnection, table: String, columns: [String],
                             outcome: Unchecked<Result<Void, Error>?>) async {
        do {
            try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                while let chunk = chunks.take() {
                    var buffer = ByteBufferAllocator().buffer(capacity: chunk.count)
                    buffer.writeBytes(chunk)
                    try await writer.write(buffer)
                }
                if let error = chunks.failure { throw error }
            }
            outcome.value = .success(())
        } catch {
            chunks.abandon()
            outcome.value = .failure(error)
        }
    }
}

/// The server ended the COPY; the producer stops.
private struct CopyAbandoned: Error {}

/// Chunks of a COPY handed from the producing thread to the task sending them, at most a few
/// in flight, so a million-row write holds a few chunks, not the whole text.
private final class ChunkQueue: @unchecked Sendable {
    private let lock = NSCondition()
    private var chunks: [[UInt8]] = []
    private var finished = false, abandoned = false
    private(set) var failure: Error?

    func put(_ chunk: [UInt8]) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        while chunks.count >= 4 && !abandoned { lock.wait() }
        guard !abandoned else { return false }
        chunks.append(chunk)
        lock.broadcast()
        return true
    }

    func take() -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        while chunks.isEmpty && !finished { lock.wait() }
        guard !chunks.isEmpty else { return nil }
        lock.broadcast()
        return chunks.removeFirst()
    }

    func finish(_ error: Error?) {
        lock.lock()
        failure = error
        finished = true
        lock.broadcast()
        lock.unlock()
    }

    func abandon() {
        lock.lock()
        abandoned = true
        finished = true
        lock.broadcast()
        lock.unlock()
    }
}

/// A value handed between the calling thread and the connection's, one side at a time.
final class Unchecked<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// A row from the server, decoded into reused buffers; valid only inside the body it is handed to.
struct PostgresRowView: StoreRow {
    final class Scratch {
        var kinds: [Kind] = []
        var integers: [Int64] = []
        var reals: [Double] = []
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []

        enum Kind { case null, integer, real, text }

        /// jsonb's text puts a space after each `:` and `,`: dropped, outside strings.
        static func appendCompact(_ text: UnsafeRawBufferPointer, to out: inout [UInt8]) {
            var inString = false, escaped = false
            for byte in text {
                if inString {
                    if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inString = false }
                } else if byte == 0x22 {
                    inString = true
                } else if byte == 0x20 {
                    continue
                }
                out.append(byte)
            }
        }

        /// Reads the row's cells: integers and booleans as integers, floats as reals, jsonb as
        /// compact JSON text, anything else as its bytes (the store's own columns are text, and
        /// the user columns it makes are bigint, double precision or text).
        func load(_ row: PostgresRow) -> PostgresRowView {
            // Filled as locals and put back: a class's arrays touched per cell would each be
            // checked for exclusive access, a third of the time of a million-row read.
            var kinds = self.kinds, integers = self.integers, reals = self.reals, bytes = self.bytes, ranges = self.ranges
            (self.kinds, self.integers, self.reals, self.bytes, self.ranges) = ([], [], [], [], [])
            kinds.removeAll(keepingCapacity: true)
            integers.removeAll(keepingCapacity: true)
            reals.removeAll(keepingCapacity: true)
            bytes.removeAll(keepingCapacity: true)
            ranges.removeAll(keepingCapacity: true)
            for cell in row {
                var kind = Kind.null, integer: Int64 = 0, real = 0.0, copied = false
                let start = bytes.count
                if var buffer = cell.bytes {
                    kind = .text
                    if cell.format == .binary {
                        switch cell.dataType {
                        case .int8: integer = buffer.readInteger(as: Int64.self) ?? 0; kind = .integer
                        case .int4: integer = Int64(buffer.readInteger(as: Int32.self) ?? 0); kind = .integer
                        case .int2: integer = Int64(buffer.readInteger(as: Int16.self) ?? 0); kind = .integer
                        case .bool: integer = Int64(buffer.readInteger(as: UInt8.self) ?? 0); kind = .integer
                        case .float8: real = Double(bitPattern: buffer.readInteger(as: UInt64.self) ?? 0); kind = .real
                        case .float4: real = Double(Float(bitPattern: buffer.readInteger(as: UInt32.self) ?? 0)); kind = .real
                        case .jsonb:
                            // After the format's version byte, jsonb's text: made compact, as metaxy-tui writes JSON.
                            buffer.moveReaderIndex(forwardBy: 1)
                            buffer.withUnsafeReadableBytes { Self.appendCompact($0, to: &bytes) }
                            copied = true
                        default: break
                        }
                    } else if cell.dataType == .int8 || cell.dataType == .int4 || cell.dataType == .int2,
                              let value = buffer.readString(length: buffer.readableBytes).flatMap({ Int64($0) }) {
                        integer = value
                        kind = .integer
                    }
                    if kind == .text && !copied { buffer.withUnsafeReadableBytes { bytes.append(contentsOf: $0) } }
                }
                kinds.append(kind)
                integers.append(integer)
                reals.append(real)
                ranges.append(start..<bytes.count)
            }
            (self.kinds, self.integers, self.reals, self.bytes, self.ranges) = (kinds, integers, reals, bytes, ranges)
            return PostgresRowView(scratch: self)
        }
    }

    let scratch: Scratch
    var count: Int { scratch.kinds.count }

    func isInteger(_ i: Int32) -> Bool { scratch.kinds[Int(i)] == .integer }
    func isNull(_ i: Int32) -> Bool { scratch.kinds[Int(i)] == .null }
    func integer(_ i: Int32) -> Int64 { scratch.integers[Int(i)] }

    func text(_ i: Int32) -> UnsafeBufferPointer<UInt8> {
        // The scratch outlives every use of the view (the body it is handed to).
        scratch.bytes.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[scratch.ranges[Int(i)]]) }
    }

    func value(_ i: Int32) -> StoreValue {
        switch scratch.kinds[Int(i)] {
        case .null: .null
        case .integer: .integer(scratch.integers[Int(i)])
        case .real: .real(scratch.reals[Int(i)])
        case .text: .text(String(decoding: text(i), as: UTF8.self))
        }
    }
}

import Foundation
import MetaxyCore

/// The database under a store: what SQLite and PostgreSQL each do their own way. The stale-set
/// engine, explain, samples, migrations and the screens are written once above it, in
/// `MetaxyStore`; nothing above MetaxyStore knows which backend it has.
///
/// Rows have a write order: SQLite's rowid, or on PostgreSQL a hidden identity column ("latest
/// written row per sample" needs one). It is `order` here and never shown as a column.
protocol StoreBackend: AnyObject {
    associatedtype Row: StoreRow

    /// The store as messages name it: its file, or its URL with the password hidden.
    var location: String { get }

    /// Refuses a graph whose features would share a table, or whose table names the database
    /// cannot hold.
    func checkTableNames(_ graph: FeatureGraph) throws(StoreError)
    func hasTable(_ name: String) throws(StoreError) -> Bool
    /// Tables holding feature rows, sorted.
    func featureTables() throws(StoreError) -> [String]
    /// A table's columns in their order, the write order left out; empty when there is no table.
    func columns(of table: String) throws(StoreError) -> [String]

    /// Every recorded snapshot, newest first.
    func snapshots() throws(StoreError) -> [Snapshot]
    /// The feature_spec texts of one snapshot, by feature key.
    func snapshotSpecs(_ version: String) throws(StoreError) -> [String]
    /// Records a snapshot's rows (feature_key, feature_version, recorded_at, feature_spec,
    /// feature_class_path, snapshot_version) in one transaction; false when it was already there.
    func recordSnapshot(_ rows: [[String]], version: String) throws(StoreError) -> Bool
    /// Every row of the snapshot table, oldest snapshot first, in that order of columns.
    func snapshotRows() throws(StoreError) -> [[String]]

    func migrationEvents(_ migrationID: String?) throws(StoreError) -> [MigrationEvent]
    func featureCompleted(_ migrationID: String, _ feature: String) throws(StoreError) -> Bool
    func record(_ event: MigrationEvent) throws(StoreError)

    /// Every row of `table` in write order, with the columns asked; nothing when it is not there.
    func scan(_ table: String, _ columns: [ScanColumn], _ body: (Row) throws -> Void) throws
    /// The latest rows of each table, as `SortedRows` reads them, as of one moment.
    func sortedRows(_ tables: [(name: String, featureVersion: String?)]) throws -> [SortedRows]
    /// One sample's rows in write order (feature version, data version as compact JSON text).
    func history(_ table: String, _ sample: SampleUID) throws(StoreError) -> [(featureVersion: String, dataVersion: String?)]
    /// Up to `limit` stored data versions, to tell which hash wrote them.
    func someDataVersions(_ table: String, limit: Int) throws(StoreError) -> [String]
    /// Rows of `table`: each the write order, then `columns`; data_version as compact JSON text.
    func rows(_ table: String, columns: [String], _ request: RowRequest) throws(StoreError) -> [[StoreValue]]
    func rowCount(_ table: String) throws(StoreError) -> Int
    /// The write order of a sample's latest row.
    func latestOrder(_ table: String, _ sample: SampleUID) throws(StoreError) -> Int64?

    /// Appends rows in one transaction, creating the table and adding user columns as needed;
    /// with `replace`, the rows at `featureVersion` are deleted first, in the same transaction.
    func append(_ batch: SampleBatch, to table: String, featureVersion: String, snapshotVersion: String, replace: Bool,
                phase: String, progress: WorkProgress) throws
    /// Appends rows as they are (`columns` given in each row's order, versions included) in one
    /// transaction, page by page from `next` until it returns nil; the table is made from the
    /// first page's values when missing.
    func appendRows(_ table: String, columns: [String], phase: String, total: Int, progress: WorkProgress,
                    next: () throws -> [[StoreValue]]?) throws
    /// Copies each source row (by write order) with a new data version and versions, user columns
    /// kept, in the sources' write order, with `event`, in one transaction. Throws
    /// `AlreadyReconciled` when another apply recorded the event's feature meanwhile.
    func appendReconciled(_ table: String, sources: [(order: Int64, text: Range<Int>)], text: [UInt8], featureVersion: String,
                          snapshotVersion: String, event: MigrationEvent?, phase: String, progress: WorkProgress) throws

    /// Runs `body`'s reads as of one moment (a read transaction).
    func readConsistently<T>(_ body: () throws -> T) throws -> T

    /// A query's rows, streamed (`$n` parameters): how the 0.1.x layout (`ProjectStore`) is read.
    func select(_ sql: String, _ arguments: [StoreValue], _ body: (Row) throws -> Void) throws
    /// A query's rows, collected.
    func query(_ sql: String, _ arguments: [StoreValue]) throws(StoreError) -> [[StoreValue]]
}

extension MetaxyStore {
    /// What a new table copied from rows (`columns` in each row's order) is made of: whether
    /// sample_uid holds integers, and each user column's kind from its first value.
    static func tableShape(columns: [String], firstPage: [[StoreValue]]) -> (integerUID: Bool, user: [(name: String, kind: StoreValue.Kind)]) {
        func first(_ c: Int) -> StoreValue { firstPage.lazy.map { $0[c] }.first { $0 != .null } ?? .null }
        let uid = columns.firstIndex(of: "sample_uid").map(first)
        let user = columns.indices.filter { !systemColumnNames.contains(columns[$0]) }.map { (columns[$0], first($0).kind) }
        return (uid.map { if case .text = $0 { false } else { true } } ?? true, user)
    }
}

/// `"name"` with inner quotes doubled, as both databases quote identifiers: feature keys are user data.
func quoteIdentifier(_ identifier: String) -> String {
    "\"" + identifier.replacing("\"", with: "\"\"") + "\""
}

/// A row as a backend streams it, valid only inside the body it is handed to.
protocol StoreRow {
    func isInteger(_ i: Int32) -> Bool
    func isNull(_ i: Int32) -> Bool
    func integer(_ i: Int32) -> Int64
    /// The column's text as bytes (empty for NULL).
    func text(_ i: Int32) -> UnsafeBufferPointer<UInt8>
}

extension StoreRow {
    /// Whether column `i`'s text is `bytes`, by memcmp: a generic comparison of a 64-character
    /// feature version on each of ten million rows costs seconds.
    func text(_ i: Int32, is bytes: [UInt8]) -> Bool {
        let text = text(i)
        return text.count == bytes.count && (text.isEmpty || bytes.withUnsafeBufferPointer { memcmp(text.baseAddress!, $0.baseAddress!, text.count) == 0 })
    }

    /// Column `i` as a sample_uid; nil for NULL.
    func sampleUID(_ i: Int32) -> SampleUID? {
        isNull(i) ? nil : isInteger(i) ? .int(integer(i)) : .string(String(decoding: text(i), as: UTF8.self))
    }
}

/// What a scan reads of each row.
enum ScanColumn: Equatable {
    case sampleUID, dataVersion, featureVersion, order
    /// 1 when the row is at this feature version, else 0.
    case isAt(String)
    /// Always 1.
    case one
}

/// Which rows `StoreBackend.rows` returns.
enum RowRequest {
    /// After a write order, in write order.
    case after(Int64, limit: Int)
    /// The last `limit` before a write order, in write order.
    case before(Int64, limit: Int)
    /// Ordered by a column, then write order.
    case sorted(column: String, descending: Bool, offset: Int, limit: Int)
    /// The latest row of each sample, in write order.
    case latest([SampleUID])
    /// In write order, from `offset`.
    case range(limit: Int?, offset: Int)
}

/// How a backend's SQL names the write order and its parameters: the queries both backends
/// share are written once, here.
struct SQLDialect: Sendable {
    let quote: @Sendable (String) -> String
    /// The write order column, quoted.
    let order: String
    /// Parameter `n` (from 1).
    let parameter: @Sendable (Int) -> String
    /// An integer 1 or 0: whether `a` equals `b`, NULL equal to NULL.
    let same: @Sendable (_ a: String, _ b: String) -> String

    /// The query for `StoreBackend.scan`, and its arguments.
    func scan(_ table: String, _ columns: [ScanColumn]) -> (sql: String, arguments: [StoreValue]) {
        var arguments: [StoreValue] = []
        let names = columns.map { column -> String in
            switch column {
            case .sampleUID: return "sample_uid"
            case .dataVersion: return "data_version"
            case .featureVersion: return "feature_version"
            case .order: return order
            case .one: return "1"
            case .isAt(let version):
                arguments.append(.text(version))
                return same("feature_version", parameter(arguments.count))
            }
        }
        return ("SELECT \(names.joined(separator: ", ")) FROM \(quote(table)) ORDER BY \(order)", arguments)
    }

    /// The query for `StoreBackend.rows`, and its arguments; nil when no row can match.
    func rows(_ table: String, columns: [String], _ request: RowRequest) -> (sql: String, arguments: [StoreValue])? {
        let select = "SELECT \(order), \(columns.map(quote).joined(separator: ", ")) FROM \(quote(table))"
        switch request {
        case let .after(after, limit):
            return ("\(select) WHERE \(order) > \(parameter(1)) ORDER BY \(order) LIMIT \(parameter(2))", [.integer(after), .integer(Int64(limit))])
        case let .before(before, limit):
            return ("SELECT * FROM (\(select) WHERE \(order) < \(parameter(1)) ORDER BY \(order) DESC LIMIT \(parameter(2))) AS page ORDER BY 1",
                    [.integer(before), .integer(Int64(limit))])
        case let .sorted(column, descending, offset, limit):
            let direction = descending ? "DESC" : "ASC"
            return ("\(select) ORDER BY \(quote(column)) \(direction), \(order) \(direction) LIMIT \(parameter(1)) OFFSET \(parameter(2))",
                    [.integer(Int64(limit)), .integer(Int64(offset))])
        case let .latest(samples):
            guard !samples.isEmpty else { return nil }
            let marks = samples.indices.map { parameter($0 + 1) }.joined(separator: ", ")
            return ("\(select) WHERE \(order) IN (SELECT MAX(\(order)) FROM \(quote(table)) WHERE sample_uid IN (\(marks)) "
                + "GROUP BY sample_uid) ORDER BY \(order)", samples.map(\.storeValue))
        case let .range(limit, offset):
            return ("\(select) ORDER BY \(order) LIMIT \(parameter(1)) OFFSET \(parameter(2))",
                    [limit.map { .integer(Int64($0)) } ?? .null, .integer(Int64(offset))])
        }
    }
}

/// A value in or out of a store.
enum StoreValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    var text: String? { if case let .text(s) = self { s } else { nil } }
    var integer: Int64? { if case let .integer(i) = self { i } else { nil } }

    /// The column type a value makes in a new table.
    var kind: Kind {
        switch self {
        case .integer: .integer
        case .real: .real
        case .null, .text: .text
        }
    }

    enum Kind { case integer, real, text }

    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case let .bool(b): self = .integer(b ? 1 : 0)
        case let .int(i): self = .integer(Int64(i))
        case let .double(d): self = .real(d)
        case let .string(s): self = .text(s)
        case .array, .object: self = .text(value.compact())
        }
    }

    var jsonValue: JSONValue {
        switch self {
        case .null: .null
        case let .integer(i): .int(Int(i))
        case let .real(d): .double(d)
        case let .text(s): .string(s)
        }
    }
}

extension SampleUID {
    /// As bound in a query: integers stay integers, strings text, as they are stored.
    var storeValue: StoreValue {
        switch self {
        case let .int(i): .integer(i)
        case let .string(s): .text(s)
        }
    }
}

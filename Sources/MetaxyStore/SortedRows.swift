import MetaxyCore

/// The latest stored row of each sample of one feature, sorted by sample_uid as SQLite sorts
/// (integers, then text by bytes), with the data_version texts packed in one buffer. Stale sets
/// of millions of samples are computed by merging these lists, with no per-row objects.
struct SortedRows: Sendable {
    /// The sample_uids while all are integers, the usual kind: 8 bytes each, not 16.
    private var ints: [Int64] = []
    /// The sample_uids when some is text.
    private var mixed: [SampleUID] = []
    private var allInts = true
    private(set) var bytes: [UInt8] = []
    /// Where each row's text starts in `bytes`. Rows kept in the order read (written in sample
    /// order, the usual case) lie end to end: one more entry closes the last, and `ends` stays
    /// empty, 80 MB less at ten million rows.
    private var starts: [Int] = [0]
    /// Where each row's text ends, when the rows were reordered.
    private var ends: [Int] = []
    /// Every row of the table, any feature version, when it was read.
    private(set) var scanned = 0

    var count: Int { allInts ? ints.count : mixed.count }

    func uid(_ i: Int) -> SampleUID { allInts ? .int(ints[i]) : mixed[i] }

    /// One pass over the table in write (rowid) order; with `featureVersion`, only its rows are
    /// kept. A later row of a sample replaces an earlier one. Sorting here rather than with
    /// GROUP BY in SQLite saves a temporary b-tree of every row, and rows written in sample
    /// order, the usual case, need no sort at all.
    init<Row: StoreRow>(featureVersion: String?, file: String, table: String,
                        scan: ([ScanColumn], (Row) throws -> Void) throws -> Void) throws {
        // Locals, not properties, while a million rows stream in: no access checks per row.
        var ints: [Int64] = [], mixed: [SampleUID] = [], bytes: [UInt8] = [], starts: [Int] = [0]
        var scanned = 0, allInts = true
        try scan([.sampleUID, .dataVersion, featureVersion.map(ScanColumn.isAt) ?? .one]) { row in
            scanned += 1
            guard row.integer(2) != 0 else { return }
            if row.isInteger(0) {
                if allInts { ints.append(row.integer(0)) } else { mixed.append(.int(row.integer(0))) }
            } else if !row.isNull(0) {
                if allInts {
                    (mixed, ints, allInts) = (ints.map { .int($0) }, [], false)
                }
                mixed.append(.string(String(decoding: row.text(0), as: UTF8.self)))
            } else {
                throw StoreError(file: file, "table \(table) has a row without a sample_uid")
            }
            bytes.append(contentsOf: row.text(1))
            starts.append(bytes.count)
        }
        (self.scanned, self.bytes, self.allInts) = (scanned, bytes, allInts)
        let ascending = allInts ? zip(ints, ints.dropFirst()).allSatisfy { $0 < $1 } : zip(mixed, mixed.dropFirst()).allSatisfy { $0 < $1 }
        guard !ascending else {
            (self.ints, self.mixed, self.starts) = (ints, mixed, starts)
            return
        }
        let latest = allInts ? Self.latest(ints: ints) : Self.latest(mixed, allInts: false)
        if allInts { self.ints = latest.map { ints[$0] } } else { self.mixed = latest.map { mixed[$0] } }
        self.starts = latest.map { starts[$0] }
        self.ends = latest.map { starts[$0 + 1] }
    }

    init() {}

    /// The position of each sample's last row in `uids` (write order), in sample order: ties are
    /// broken by write order and the last of each sample kept.
    static func latest(_ uids: [SampleUID], allInts: Bool) -> [Int] {
        if allInts { return latest(ints: uids.map { if case let .int(n) = $0 { n } else { 0 } }) }
        return lastOfRuns(uids.indices.sorted { uids[$0] < uids[$1] || (uids[$0] == uids[$1] && $0 < $1) }) { uids[$0] == uids[$1] }
    }

    /// `latest` for integer uids, the usual kind: sorted as plain pairs, without a comparison
    /// closure per step.
    static func latest(ints: [Int64]) -> [Int] {
        lastOfRuns(ints.enumerated().map { i, n in (n, i) }.sorted { $0 < $1 }.map(\.1)) { ints[$0] == ints[$1] }
    }

    /// The last position of each run of equal samples in `order`.
    private static func lastOfRuns(_ order: [Int], same: (Int, Int) -> Bool) -> [Int] {
        var latest: [Int] = []
        latest.reserveCapacity(order.count)
        for (k, i) in order.enumerated() where k + 1 == order.count || !same(order[k + 1], i) { latest.append(i) }
        return latest
    }

    /// Rows already latest per sample and sorted by sample_uid (a few samples the cache looks at again).
    init(sorted uids: [SampleUID], texts: [String]) {
        allInts = uids.allSatisfy { if case .int = $0 { true } else { false } }
        if allInts { ints = uids.map { if case let .int(n) = $0 { n } else { 0 } } } else { mixed = uids }
        for text in texts {
            bytes += text.utf8
            starts.append(bytes.count)
        }
        scanned = uids.count
    }

    /// The first position whose sample_uid is not below `uid`.
    func lowerBound(_ uid: SampleUID) -> Int {
        Self.lowerBound(uid, ints: ints, mixed: mixed, allInts: allInts)
    }

    /// Whether the list has a row for `uid`.
    func contains(_ uid: SampleUID) -> Bool {
        let low = lowerBound(uid)
        return low < count && self.uid(low) == uid
    }

    /// `lowerBound` over either kind of uid column, arrays or pointers.
    static func lowerBound<I: RandomAccessCollection<Int64>, M: RandomAccessCollection<SampleUID>>(
        _ uid: SampleUID, ints: I, mixed: M, allInts: Bool) -> Int where I.Index == Int, M.Index == Int {
        guard allInts else { return mixed.sortedLowerBound(uid) }
        // Text sorts after every integer.
        if case let .int(n) = uid { return ints.sortedLowerBound(n) }
        return ints.count
    }

    /// Pointer views of `lists`, valid inside `body`, for loops over millions of rows.
    static func withViews<R>(_ lists: [SortedRows], _ body: ([RowsView]) -> R) -> R {
        func nest(_ k: Int, _ views: [RowsView]) -> R {
            guard k < lists.count else { return body(views) }
            let list = lists[k]
            return list.ints.withUnsafeBufferPointer { ints in
                list.mixed.withUnsafeBufferPointer { mixed in
                    list.bytes.withUnsafeBufferPointer { bytes in
                        list.starts.withUnsafeBufferPointer { starts in
                            list.ends.withUnsafeBufferPointer { ends in
                                let ends = list.ends.isEmpty ? UnsafeBufferPointer(rebasing: starts.dropFirst()) : ends
                                return nest(k + 1, views + [RowsView(ints: ints, mixed: mixed, allInts: list.allInts, bytes: bytes,
                                                                     starts: starts, ends: ends)])
                            }
                        }
                    }
                }
            }
        }
        return nest(0, [])
    }
}

/// A `SortedRows` seen through pointers: reading it retains nothing.
struct RowsView {
    let ints: UnsafeBufferPointer<Int64>
    let mixed: UnsafeBufferPointer<SampleUID>
    let allInts: Bool
    let bytes: UnsafeBufferPointer<UInt8>
    let starts: UnsafeBufferPointer<Int>
    let ends: UnsafeBufferPointer<Int>

    func uid(_ i: Int) -> SampleUID { allInts ? .int(ints[i]) : mixed[i] }

    /// The data_version text of row `i`.
    func text(_ i: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[starts[i]..<ends[i]]) }

    /// The position of `uid`, by binary search.
    func find(_ uid: SampleUID) -> Int? {
        let low = SortedRows.lowerBound(uid, ints: ints, mixed: mixed, allInts: allInts)
        return low < (allInts ? ints.count : mixed.count) && self.uid(low) == uid ? low : nil
    }
}

/// Reading `{"a":"x","b":"y"}` straight from bytes.
enum FlatJSON {
    /// How many members an object of plain values has; nil when it nests or is not an object.
    static func memberCount(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        var count = 0, inString = false, escaped = false, depth = 0
        for byte in text {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                if depth > 1 { return nil }
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ":"): count += 1
            default: break
            }
        }
        return depth == 0 ? count : nil
    }

    /// The bytes of `key`'s string value, or nil when absent, not a string, or escaped (then the
    /// caller takes the general path).
    static func value(of key: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        let quote = UInt8(ascii: "\""), n = text.count
        var i = 0
        while i < n {
            guard text[i] == quote else { i += 1; continue }
            // A string starts at i: is it `"key":`?
            let start = i + 1
            var end = start
            while end < n && text[end] != quote { if text[end] == UInt8(ascii: "\\") { return nil }; end += 1 }
            guard end < n else { return nil }
            var j = end + 1
            while j < n && text[j] == 0x20 { j += 1 }
            if j < n && text[j] == UInt8(ascii: ":") {
                let isKey = end - start == key.count && (0..<key.count).allSatisfy { text[start + $0] == key[$0] }
                j += 1
                while j < n && text[j] == 0x20 { j += 1 }
                guard j < n, text[j] == quote else { if isKey { return nil }; i = j; continue }
                var v = j + 1
                while v < n && text[v] != quote { if text[v] == UInt8(ascii: "\\") { return nil }; v += 1 }
                guard v < n else { return nil }
                if isKey { return UnsafeBufferPointer(rebasing: text[(j + 1)..<v]) }
                i = v + 1
            } else {
                i = j
            }
        }
        return nil
    }
}

import MetaxyCore

/// The latest stored row of each sample of one feature, sorted by sample_uid as SQLite sorts
/// (integers, then text by bytes), with the data_version texts packed in one buffer. Stale sets
/// of millions of samples are computed by merging these lists, with no per-row objects.
struct SortedRows: Sendable {
    private(set) var uids: [SampleUID] = []
    private(set) var bytes: [UInt8] = []
    private var starts: [Int] = []
    private var ends: [Int] = []
    /// Every row of the table, any feature version, when it was read.
    private(set) var scanned = 0

    var count: Int { uids.count }

    /// One pass over the table in write (rowid) order; with `featureVersion`, only its rows are
    /// kept. A later row of a sample replaces an earlier one. Sorting here rather than with
    /// GROUP BY in SQLite saves a temporary b-tree of every row, and rows written in sample
    /// order, the usual case, need no sort at all.
    init<Row: StoreRow>(featureVersion: String?, file: String, table: String,
                        scan: ([ScanColumn], (Row) throws -> Void) throws -> Void) throws {
        // Locals, not properties, while a million rows stream in: no access checks per row.
        var all: [SampleUID] = [], bytes: [UInt8] = [], starts: [Int] = [], ends: [Int] = []
        var scanned = 0, allInts = true
        try scan([.sampleUID, .dataVersion, featureVersion.map(ScanColumn.isAt) ?? .one]) { row in
            scanned += 1
            guard row.integer(2) != 0 else { return }
            if row.isInteger(0) {
                all.append(.int(row.integer(0)))
            } else if !row.isNull(0) {
                all.append(.string(String(decoding: row.text(0), as: UTF8.self)))
                allInts = false
            } else {
                throw StoreError(file: file, "table \(table) has a row without a sample_uid")
            }
            starts.append(bytes.count)
            bytes.append(contentsOf: row.text(1))
            ends.append(bytes.count)
        }
        self.scanned = scanned
        self.bytes = bytes
        guard !zip(all, all.dropFirst()).allSatisfy({ $0 < $1 }) else {
            (uids, self.starts, self.ends) = (all, starts, ends)
            return
        }
        let latest = Self.latest(all, allInts: allInts)
        uids = latest.map { all[$0] }
        self.starts = latest.map { starts[$0] }
        self.ends = latest.map { ends[$0] }
    }

    init() {}

    /// The position of each sample's last row in `uids` (write order), in sample order: ties are
    /// broken by write order and the last of each sample kept. Integer uids, the usual kind, sort
    /// as plain pairs, without a comparison closure per step.
    static func latest(_ uids: [SampleUID], allInts: Bool) -> [Int] {
        let order: [Int]
        if allInts {
            order = uids.enumerated().map { i, uid in if case let .int(n) = uid { (n, i) } else { (0, i) } }.sorted { $0 < $1 }.map(\.1)
        } else {
            order = uids.indices.sorted { uids[$0] < uids[$1] || (uids[$0] == uids[$1] && $0 < $1) }
        }
        var latest: [Int] = []
        latest.reserveCapacity(order.count)
        for (k, i) in order.enumerated() where k + 1 == order.count || uids[order[k + 1]] != uids[i] { latest.append(i) }
        return latest
    }

    /// Rows already latest per sample and sorted by sample_uid (a few samples the cache looks at again).
    init(sorted uids: [SampleUID], texts: [String]) {
        self.uids = uids
        for text in texts {
            starts.append(bytes.count)
            bytes += text.utf8
            ends.append(bytes.count)
        }
        scanned = uids.count
    }

    /// The first position whose sample_uid is not below `uid`.
    func lowerBound(_ uid: SampleUID) -> Int {
        uids.sortedLowerBound(uid)
    }

    /// Pointer views of `lists`, valid inside `body`, for loops over millions of rows.
    static func withViews<R>(_ lists: [SortedRows], _ body: ([RowsView]) -> R) -> R {
        func nest(_ k: Int, _ views: [RowsView]) -> R {
            guard k < lists.count else { return body(views) }
            let list = lists[k]
            return list.uids.withUnsafeBufferPointer { uids in
                list.bytes.withUnsafeBufferPointer { bytes in
                    list.starts.withUnsafeBufferPointer { starts in
                        list.ends.withUnsafeBufferPointer { ends in
                            nest(k + 1, views + [RowsView(uids: uids, bytes: bytes, starts: starts, ends: ends)])
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
    let uids: UnsafeBufferPointer<SampleUID>
    let bytes: UnsafeBufferPointer<UInt8>
    let starts: UnsafeBufferPointer<Int>
    let ends: UnsafeBufferPointer<Int>

    /// The data_version text of row `i`.
    func text(_ i: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[starts[i]..<ends[i]]) }

    /// The position of `uid`, by binary search.
    func find(_ uid: SampleUID) -> Int? {
        let low = uids.sortedLowerBound(uid)
        return low < uids.count && uids[low] == uid ? low : nil
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

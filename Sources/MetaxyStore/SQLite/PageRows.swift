import MetaxyCore

/// A table's rows decoded straight from its b-tree leaves (sqlite.org/fileformat2.html §2.1,
/// §2.3), for the whole-table scans of a stale set: stepping SQLite through ten million rows
/// costs several times the reading of their pages. Only the plain layout is followed: UTF-8,
/// rows that fit in their page, and the columns asked stored in every row as an integer, text
/// or NULL. Anything else throws `NotFollowed`, perhaps after some rows were handed out, and the
/// caller reads the table through SQLite instead.
enum PageRows {
    struct NotFollowed: Error {}

    /// What a scanned column reads: a field of the record (by its place), one that must be
    /// text or NULL (an integer there would read as its digits through SQLite), a text field
    /// compared with a text (1 when equal, else 0, as SQL's `=` with binary collation), or 1.
    enum Source {
        case field(Int)
        case text(Int)
        case equals(Int, [UInt8])
        case one
    }

    /// Hands `body` each row of the table rooted at `root`, in rowid order.
    static func scan(_ image: PageImage, root: UInt32, sources: [Source], _ body: (PageRow) throws -> Void) throws {
        guard let pages = TableLeaves.leafPages(image, root: root) else { throw NotFollowed() }
        // A damaged tree listing a leaf twice would give its rows twice.
        var seen = [Bool](repeating: false, count: image.pageCount + 1)
        for page in pages {
            guard Int(page) < seen.count, !seen[Int(page)] else { throw NotFollowed() }
            seen[Int(page)] = true
        }
        let wanted = sources.map { source -> Int in
            switch source {
            case let .field(i), let .text(i), let .equals(i, _): i
            case .one: -1
            }
        }
        var row = PageRow(count: sources.count)
        var fields = [(type: UInt64, at: Int)](repeating: (0, 0), count: (wanted.max() ?? -1) + 1)
        var failure: Error?
        let read = image.forEachPage(pages[...]) { k, page in
            do {
                try leaf(page, number: pages[k], maxLocal: image.pageSize - 35) { start, end, headerEnd in
                    try decode(page, start, end, headerEnd, &fields)
                    for (c, source) in sources.enumerated() {
                        switch source {
                        case .one: row.set(c, integer: 1)
                        case let .field(i): try row.set(c, page, fields[i].type, at: fields[i].at)
                        case let .text(i):
                            try row.set(c, page, fields[i].type, at: fields[i].at)
                            guard row.kinds[c] != .integer else { throw NotFollowed() }
                        case let .equals(i, text):
                            try row.set(c, page, fields[i].type, at: fields[i].at)
                            guard row.kinds[c] != .integer else { throw NotFollowed() }
                            row.set(c, integer: row.kinds[c] == .text && row.text(Int32(c), is: text) ? 1 : 0)
                        }
                    }
                    try body(row)
                }
                return true
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        guard read else { throw NotFollowed() }
    }

    /// Each cell of a table leaf: its record's bounds and where the record's header ends.
    private static func leaf(_ page: UnsafeRawBufferPointer, number: UInt32, maxLocal: Int,
                             _ cell: (Int, Int, Int) throws -> Void) throws {
        let header = number == 1 ? 100 : 0
        guard page[header] == 0x0D else { throw NotFollowed() }
        let cells = Int(TableLeaves.uint16(page, header + 3))
        guard header + 8 + 2 * cells <= page.count else { throw NotFollowed() }
        for i in 0..<cells {
            var at = Int(TableLeaves.uint16(page, header + 8 + 2 * i))
            // A payload larger than maxLocal spills onto overflow pages.
            guard let size = TableLeaves.varint(page, &at), size <= UInt64(maxLocal), TableLeaves.varint(page, &at) != nil,
                  at + Int(size) <= page.count else { throw NotFollowed() }
            var h = at
            guard let headerSize = TableLeaves.varint(page, &h), headerSize <= size else { throw NotFollowed() }
            try cell(at, at + Int(size), at + Int(headerSize))
        }
    }

    /// The serial type and offset of the first `fields.count` fields of the record at
    /// `start..<end`; a record with fewer fields (a column added later) is not followed.
    private static func decode(_ page: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ headerEnd: Int,
                               _ fields: inout [(type: UInt64, at: Int)]) throws {
        var h = start, body = headerEnd
        _ = TableLeaves.varint(page, &h)
        for f in fields.indices {
            // A damaged record (a field past its end) is SQLite's to report.
            guard h < headerEnd, let type = TableLeaves.varint(page, &h), h <= headerEnd, length(type) <= end - body else { throw NotFollowed() }
            fields[f] = (type, body)
            body += length(type)
        }
    }

    /// The bytes a field of serial type `type` takes in the record.
    static func length(_ type: UInt64) -> Int {
        switch type {
        case 0, 8, 9: 0
        case 1...4: Int(type)
        case 5: 6
        case 6, 7: 8
        case 10, 11: Int.max / 4  // reserved: never fits, so the record is not followed
        default: Int((type - 12) / 2)
        }
    }
}

/// One row of `PageRows.scan`, valid only inside its body: the columns asked, by position.
struct PageRow: StoreRow {
    enum Kind { case null, integer, text }
    fileprivate(set) var kinds: [Kind]
    private var integers: [Int64]
    private var texts: [UnsafeBufferPointer<UInt8>]

    fileprivate init(count: Int) {
        kinds = Array(repeating: .null, count: count)
        integers = Array(repeating: 0, count: count)
        texts = Array(repeating: UnsafeBufferPointer(start: nil, count: 0), count: count)
    }

    fileprivate mutating func set(_ c: Int, integer: Int64) {
        kinds[c] = .integer
        integers[c] = integer
    }

    /// Column `c` from the field of serial type `type` at `at`: integers and text; a real or a
    /// blob, which SQLite would convert, is not followed.
    fileprivate mutating func set(_ c: Int, _ page: UnsafeRawBufferPointer, _ type: UInt64, at: Int) throws {
        switch type {
        case 0:
            kinds[c] = .null
        case 8, 9:
            set(c, integer: Int64(type - 8))
        case 1...6:
            // Big-endian two's complement of 1, 2, 3, 4, 6 or 8 bytes.
            let count = PageRows.length(type)
            var value = Int64(Int8(bitPattern: page[at]))
            for i in 1..<count { value = value << 8 | Int64(page[at + i]) }
            set(c, integer: value)
        case let type where type >= 13 && type % 2 == 1:
            kinds[c] = .text
            texts[c] = UnsafeRawBufferPointer(rebasing: page[at..<(at + PageRows.length(type))]).assumingMemoryBound(to: UInt8.self)
        default:
            throw PageRows.NotFollowed()
        }
    }

    func isInteger(_ i: Int32) -> Bool { kinds[Int(i)] == .integer }
    func isNull(_ i: Int32) -> Bool { kinds[Int(i)] == .null }
    func integer(_ i: Int32) -> Int64 { kinds[Int(i)] == .integer ? integers[Int(i)] : 0 }
    func text(_ i: Int32) -> UnsafeBufferPointer<UInt8> {
        kinds[Int(i)] == .text ? texts[Int(i)] : UnsafeBufferPointer(start: nil, count: 0)
    }
}

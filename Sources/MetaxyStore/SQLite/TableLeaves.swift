import MetaxyCore

/// A table's b-tree leaves in rowid order, each with a fingerprint of its bytes (and of the
/// overflow pages of its rows): two reads of a table whose leaves match hold the same rows there.
/// Appending rows changes only the last leaves, so the unchanged ones need not be read again.
struct TableLeaves: Equatable, Sendable {
    struct Leaf: Equatable, Sendable {
        var page: UInt32
        var fingerprint: UInt64
        var cells: Int
        var lastRowid: Int64
    }

    var leaves: [Leaf]

    var rowCount: Int { leaves.reduce(0) { $0 + $1.cells } }
    var lastRowid: Int64 { leaves.last?.lastRowid ?? Int64.min }

    init(leaves: [Leaf]) { self.leaves = leaves }

    /// The leaves of the table rooted at `root`; nil for anything but a rowid table SQLite would
    /// read without complaint (the caller then reads through SQLite).
    init?(_ image: PageImage, root: UInt32) {
        guard let pages = Self.leafPages(image, root: root),
              let leaves = Self.read(image, pages, { page, number in Self.leaf(image, page, number: number) }) else { return nil }
        self.leaves = leaves.filter { $0.cells > 0 }
    }

    /// The leaf pages of the table rooted at `root`, in rowid order; nil as for `init`. Read a
    /// level at a time (a b-tree's leaves are all at one depth), each level's pages in file order.
    static func leafPages(_ image: PageImage, root: UInt32) -> [UInt32]? {
        var level = [root]
        for _ in 0..<40 {
            guard let first = image.page(level[0]) else { return nil }
            switch first[level[0] == 1 ? 100 : 0] {
            case 0x05:
                guard let children = Self.read(image, level, { page, number in Self.children(page, number: number) }) else { return nil }
                level = children.flatMap { $0 }
                guard !level.isEmpty, level.count <= image.pageCount else { return nil }
            case 0x0D:
                return level
            default:
                return nil
            }
        }
        return nil
    }

    /// `body` of each of `pages`, in their order; the pages are read in file order, split over the
    /// cores. Nil when a page is unreadable, listed twice, or `body` gives nil.
    private static func read<T: Sendable>(_ image: PageImage, _ pages: [UInt32],
                                          _ body: @escaping @Sendable (UnsafeRawBufferPointer, UInt32) -> T?) -> [T]? {
        // File order by a pass over page numbers: sorting a million pages would cost more.
        var place = [Int32](repeating: -1, count: image.pageCount + 1)
        for (i, number) in pages.enumerated() {
            guard number >= 1, Int(number) <= image.pageCount, place[Int(number)] < 0 else { return nil }
            place[Int(number)] = Int32(i)
        }
        var inFileOrder: [UInt32] = [], order: [Int32] = []
        inFileOrder.reserveCapacity(pages.count)
        order.reserveCapacity(pages.count)
        for (number, i) in place.enumerated() where i >= 0 {
            inFileOrder.append(UInt32(number))
            order.append(i)
        }
        let sorted = inFileOrder
        let parts = pages.count < 1_024 ? 1 : Parallel.cores
        let found = Parallel.map(0..<parts) { part -> [T]? in
            let range = (sorted.count * part / parts)..<(sorted.count * (part + 1) / parts)
            var out: [T] = []
            out.reserveCapacity(range.count)
            let whole = image.forEachPage(sorted[range]) { k, page in
                guard let value = body(page, sorted[k]) else { return false }
                out.append(value)
                return true
            }
            return whole ? out : nil
        }
        guard found.allSatisfy({ $0 != nil }) else { return nil }
        // Every place is taken exactly once: `place` let no page in twice.
        return [T](unsafeUninitializedCapacity: pages.count) { buffer, initialized in
            for (part, slice) in found.enumerated() {
                let start = sorted.count * part / parts
                for (k, value) in slice!.enumerated() { (buffer.baseAddress! + Int(order[start + k])).initialize(to: value) }
            }
            initialized = pages.count
        }
    }

    /// An interior page's children, left to right, then its right-most pointer.
    private static func children(_ page: UnsafeRawBufferPointer, number: UInt32) -> [UInt32]? {
        let header = number == 1 ? 100 : 0
        let cells = Int(uint16(page, header + 3))
        guard page[header] == 0x05, header + 12 + 2 * cells <= page.count else { return nil }
        var children: [UInt32] = []
        children.reserveCapacity(cells + 1)
        for i in 0..<cells {
            let cell = Int(uint16(page, header + 12 + 2 * i))
            guard cell + 4 <= page.count else { return nil }
            children.append(uint32(page, cell))
        }
        children.append(uint32(page, header + 8))
        return children
    }

    /// A leaf's cell count, last rowid and fingerprint, following rows that spill onto overflow
    /// pages. Only a cell's size is read, and the last cell's rowid.
    private static func leaf(_ image: PageImage, _ page: UnsafeRawBufferPointer, number: UInt32) -> Leaf? {
        let header = number == 1 ? 100 : 0
        let cells = Int(uint16(page, header + 3))
        guard page[header] == 0x0D, header + 8 + 2 * cells <= page.count else { return nil }
        let usable = image.pageSize, maxLocal = usable - 35, minLocal = (usable - 12) * 32 / 255 - 23
        var hash = pagePrint(page), last: Int64 = 0
        for i in 0..<cells {
            var at = Int(uint16(page, header + 8 + 2 * i))
            guard at < page.count else { return nil }
            // A size of one or two bytes, the usual rows, is read here; under 128 it never spills.
            if i < cells - 1 && page[at] < 0x80 { continue }
            if i < cells - 1 && at + 1 < page.count && page[at + 1] < 0x80 && (Int(page[at] & 0x7F) << 7 | Int(page[at + 1])) <= maxLocal { continue }
            guard let size = varint(page, &at) else { return nil }
            if i == cells - 1 {
                var after = at
                guard let rowid = varint(page, &after) else { return nil }
                last = Int64(bitPattern: rowid)
                at = after
            }
            guard size > UInt64(maxLocal) else { continue }
            if i < cells - 1 { guard varint(page, &at) != nil else { return nil } }
            let payload = Int(size), k = minLocal + (payload - minLocal) % (usable - 4)
            let local = k <= maxLocal ? k : minLocal
            guard at + local + 4 <= page.count else { return nil }
            var next = uint32(page, at + local), chain = 0
            while next != 0 {
                chain += 1
                guard chain <= image.pageCount, let overflow = image.page(next) else { return nil }
                overflow.withUnsafeBytes { hash = hash &* 0x9E37_79B1_85EB_CA87 ^ pagePrint($0) }
                next = uint32(overflow, 0)
            }
        }
        return Leaf(page: number, fingerprint: hash, cells: cells, lastRowid: last)
    }

    /// A page's fingerprint, at memory speed: four lanes of `(lane ^ word) * odd`, each step a
    /// bijection, so a page differing in one word always differs here (more words: 2⁻⁶⁴). Pages
    /// are a multiple of 512 bytes. Twice as fast as XXH64, which hashes every table's pages.
    private static func pagePrint(_ page: UnsafeRawBufferPointer) -> UInt64 {
        let p: UInt64 = 0x9E37_79B1_85EB_CA87
        var a: UInt64 = 1, b: UInt64 = 2, c: UInt64 = 3, d: UInt64 = 4
        var i = 0
        while i + 32 <= page.count {
            a = (a ^ page.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* p
            b = (b ^ page.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) &* p
            c = (c ^ page.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)) &* p
            d = (d ^ page.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)) &* p
            i += 32
        }
        return ((a &* 31 ^ b) &* 31 ^ c) &* 31 ^ d
    }

    static func varint(_ page: UnsafeRawBufferPointer, _ at: inout Int) -> UInt64? {
        var value: UInt64 = 0
        for i in 0..<9 {
            guard at < page.count else { return nil }
            let byte = page[at]
            at += 1
            if i == 8 { return value << 8 | UInt64(byte) }
            value = value << 7 | UInt64(byte & 0x7F)
            if byte & 0x80 == 0 { return value }
        }
        return value
    }

    static func uint16(_ page: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        page.loadUnaligned(fromByteOffset: offset, as: UInt16.self).bigEndian
    }

    private static func uint32(_ page: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        page.loadUnaligned(fromByteOffset: offset, as: UInt32.self).bigEndian
    }

    private static func uint32(_ page: [UInt8], _ offset: Int) -> UInt32 {
        page.withUnsafeBytes { uint32($0, offset) }
    }
}

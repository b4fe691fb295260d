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
        var leaves: [Leaf] = [], stack: [(page: UInt32, depth: Int)] = [(root, 0)], visited = 0
        // The span of leaves read since the mapping last let go of them.
        var low = UInt32.max, high: UInt32 = 0
        while let (number, depth) = stack.popLast() {
            visited += 1
            guard depth < 40, visited <= image.pageCount, let page = image.page(number) else { return nil }
            let header = number == 1 ? 100 : 0
            let cells = Int(Self.uint16(page, header + 3))
            switch page[header] {
            case 0x05:  // interior: children left to right, then the right-most pointer
                guard header + 12 + 2 * cells <= page.count else { return nil }
                stack.append((Self.uint32(page, header + 8), depth + 1))
                for i in (0..<cells).reversed() {
                    let cell = Int(Self.uint16(page, header + 12 + 2 * i))
                    guard cell + 4 <= page.count else { return nil }
                    stack.append((Self.uint32(page, cell), depth + 1))
                }
            case 0x0D:
                guard let leaf = Self.leaf(image, page, number: number, header: header, cells: cells) else { return nil }
                if leaf.cells > 0 { leaves.append(leaf) }
                low = min(low, number)
                high = max(high, number)
                if leaves.count % 4_096 == 0 {
                    image.release(low...high)
                    (low, high) = (UInt32.max, 0)
                }
            default:
                return nil
            }
        }
        if low <= high { image.release(low...high) }
        self.leaves = leaves
    }

    /// A leaf's cell range and fingerprint, following rows that spill onto overflow pages.
    private static func leaf(_ image: PageImage, _ page: UnsafeRawBufferPointer, number: UInt32, header: Int, cells: Int) -> Leaf? {
        guard header + 8 + 2 * cells <= page.count else { return nil }
        let usable = image.pageSize, maxLocal = usable - 35, minLocal = (usable - 12) * 32 / 255 - 23
        var hash = pagePrint(page), last: Int64 = 0
        for i in 0..<cells {
            var at = Int(uint16(page, header + 8 + 2 * i))
            guard let size = varint(page, &at), let rowid = varint(page, &at) else { return nil }
            last = Int64(bitPattern: rowid)
            guard size > UInt64(maxLocal) else { continue }
            let payload = Int(size), k = minLocal + (payload - minLocal) % (usable - 4)
            let local = k <= maxLocal ? k : minLocal
            guard at + local + 4 <= page.count else { return nil }
            var next = uint32(page, at + local), chain = 0
            while next != 0 {
                chain += 1
                guard chain <= image.pageCount, let overflow = image.page(next) else { return nil }
                hash = hash &* 0x9E37_79B1_85EB_CA87 ^ pagePrint(overflow)
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

    private static func varint(_ page: UnsafeRawBufferPointer, _ at: inout Int) -> UInt64? {
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

    private static func uint16(_ page: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        page.loadUnaligned(fromByteOffset: offset, as: UInt16.self).bigEndian
    }

    private static func uint32(_ page: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        page.loadUnaligned(fromByteOffset: offset, as: UInt32.self).bigEndian
    }
}

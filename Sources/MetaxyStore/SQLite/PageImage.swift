import Foundation
import MetaxyCore

/// A SQLite database's pages as SQLite itself would read them, straight from the files: the
/// database file with the committed frames of its `-wal` over it (sqlite.org/fileformat2.html).
/// Only for noticing what changed between two reads of a store: any page it cannot make sense of
/// gives nil, and the caller then reads the store through SQLite. Made while a SQLite read
/// transaction is open on the store, so that no checkpoint can shrink the mapped file meanwhile;
/// the WAL, which a writer may rewrite from its start, is copied rather than mapped.
final class PageImage: @unchecked Sendable {  // never changed after init
    let pageSize: Int
    /// Pages in the database, after the last committed WAL frame.
    let pageCount: Int
    private let file: FileBytes
    private let wal: FileBytes?
    /// Page number → offset of its newest committed frame's data in the WAL.
    private var walPages: [UInt32: Int] = [:]

    init?(path: String) {
        guard let file = FileBytes(mapping: path), file.count >= 100,
              file.bytes.prefix(16).elementsEqual(Array("SQLite format 3\0".utf8)) else { return nil }
        let raw = Int(file.uint16(16))
        pageSize = raw == 1 ? 65_536 : raw
        guard pageSize >= 512, pageSize & (pageSize - 1) == 0, file.bytes[20] == 0 else { return nil }
        self.file = file
        let inHeader = Int(file.uint32(28)), valid = file.uint32(24) == file.uint32(92)
        var count = inHeader > 0 && valid ? inHeader : file.count / pageSize
        wal = FileBytes(copying: path + "-wal")
        if let wal, wal.count >= 32 {
            guard let committed = Self.committedFrames(wal, pageSize: pageSize) else { return nil }
            walPages = committed.pages
            if committed.pageCount > 0 { count = committed.pageCount }
        }
        pageCount = count
    }

    /// Page `number` (from 1), or nil past the end.
    func page(_ number: UInt32) -> UnsafeRawBufferPointer? {
        guard number >= 1, Int(number) <= pageCount else { return nil }
        if let offset = walPages[number], let wal { return UnsafeRawBufferPointer(rebasing: wal.bytes[offset..<(offset + pageSize)]) }
        let start = (Int(number) - 1) * pageSize
        guard start + pageSize <= file.count else { return nil }
        return UnsafeRawBufferPointer(rebasing: file.bytes[start..<(start + pageSize)])
    }

    /// Lets go of the mapped pages `pages` (they stay in the page cache): a status reads every
    /// leaf of its tables once, gigabytes at ten million rows, and mapped pages count as the
    /// process's memory until released. A page asked for again is simply read again.
    func release(_ pages: ClosedRange<UInt32>) {
        let start = (Int(pages.lowerBound) - 1) * pageSize, end = min(Int(pages.upperBound) * pageSize, file.count)
        guard start >= 0, start < end else { return }
        madvise(UnsafeMutableRawPointer(mutating: file.bytes.baseAddress! + start), end - start, MADV_DONTNEED)
    }

    /// The frames a reader sees: those with the header's salts and a valid running checksum, up to
    /// the last commit frame. Nil for a WAL header that is not one.
    private static func committedFrames(_ wal: FileBytes, pageSize: Int) -> (pages: [UInt32: Int], pageCount: Int)? {
        let magic = wal.uint32(0)
        guard magic & ~1 == 0x377F_0682, Int(wal.uint32(8)) == pageSize else { return nil }
        let bigEndian = magic & 1 == 1
        var sums = checksum(wal.bytes, 0..<24, bigEndian: bigEndian, (0, 0))
        guard sums == (wal.uint32(24), wal.uint32(28)) else { return ([:], 0) }
        let salts = (wal.uint32(16), wal.uint32(20))
        var pages: [UInt32: Int] = [:], pending: [UInt32: Int] = [:], pageCount = 0
        var offset = 32
        while offset + 24 + pageSize <= wal.count {
            guard (wal.uint32(offset + 8), wal.uint32(offset + 12)) == salts else { break }
            sums = checksum(wal.bytes, offset..<(offset + 8), bigEndian: bigEndian, sums)
            sums = checksum(wal.bytes, (offset + 24)..<(offset + 24 + pageSize), bigEndian: bigEndian, sums)
            guard sums == (wal.uint32(offset + 16), wal.uint32(offset + 20)) else { break }
            pending[wal.uint32(offset)] = offset + 24
            let commit = Int(wal.uint32(offset + 4))
            if commit > 0 {
                pages.merge(pending) { _, new in new }
                pending = [:]
                pageCount = commit
            }
            offset += 24 + pageSize
        }
        return (pages, pageCount)
    }

    /// The WAL's running checksum over `range` (a multiple of 8 bytes), in the byte order its magic says.
    private static func checksum(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, bigEndian: Bool,
                                 _ start: (UInt32, UInt32)) -> (UInt32, UInt32) {
        var (s0, s1) = start
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            let a = bytes.loadUnaligned(fromByteOffset: i, as: UInt32.self), b = bytes.loadUnaligned(fromByteOffset: i + 4, as: UInt32.self)
            s0 = s0 &+ (bigEndian ? a.bigEndian : a.littleEndian) &+ s1
            s1 = s1 &+ (bigEndian ? b.bigEndian : b.littleEndian) &+ s0
            i += 8
        }
        return (s0, s1)
    }
}

/// A file's bytes, mapped read-only or copied; an empty or unreadable file gives nil.
final class FileBytes: @unchecked Sendable {  // never changed after init
    let bytes: UnsafeRawBufferPointer
    private let mapped: Bool
    var count: Int { bytes.count }

    init?(mapping path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0,
              let base = mmap(nil, Int(info.st_size), PROT_READ, MAP_SHARED, fd, 0), base != MAP_FAILED else { return nil }
        bytes = UnsafeRawBufferPointer(start: base, count: Int(info.st_size))
        mapped = true
    }

    init?(copying path: String) {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else { return nil }
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: data.count, alignment: 8)
        copy.copyBytes(from: data)
        bytes = UnsafeRawBufferPointer(copy)
        mapped = false
    }

    deinit {
        if mapped { munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count) } else { bytes.deallocate() }
    }

    func uint16(_ offset: Int) -> UInt16 { bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self).bigEndian }
    func uint32(_ offset: Int) -> UInt32 { bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).bigEndian }
}

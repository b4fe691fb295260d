import Foundation
import MetaxyCore

/// A SQLite database's pages as SQLite itself would read them, straight from the files: the
/// database file with the committed frames of its `-wal` over it (sqlite.org/fileformat2.html).
/// For noticing what changed between two reads of a store, and for reading whole tables
/// (`PageRows`): any page it cannot make sense of gives nil, and the caller then reads the store
/// through SQLite. Made while a SQLite read transaction is open on the store, so that no
/// checkpoint can change the file's pages meanwhile; the WAL, which a writer may rewrite from its
/// start, is copied. The database file is read with `pread` (through a descriptor never closed:
/// `HeldFiles`), in long runs of pages: at memory speed, where mapping it costs a fault per few
/// pages and counts gigabytes as the process's memory at ten million rows.
final class PageImage: @unchecked Sendable {  // never changed after init
    let pageSize: Int
    /// Pages in the database, after the last committed WAL frame.
    let pageCount: Int
    private let fd: Int32
    private let fileSize: Int
    private let wal: FileBytes?
    /// Page number → offset of its newest committed frame's data in the WAL.
    private var walPages: [UInt32: Int] = [:]

    init?(path link: String) {
        // SQLite keeps the -wal and -shm beside the file a symlink points to.
        let path = StaleCacheLocation.realPath(link)
        guard let fd = HeldFiles.descriptor(path) else { return nil }
        self.fd = fd
        var info = stat(), header = [UInt8](repeating: 0, count: 100)
        guard fstat(fd, &info) == 0, pread(fd, &header, 100, 0) == 100,
              header.prefix(16).elementsEqual(Array("SQLite format 3\0".utf8)) else { return nil }
        fileSize = Int(info.st_size)
        func uint32(_ at: Int) -> UInt32 { Self.bigEndian(header, at) }
        let raw = Int(header[16]) << 8 | Int(header[17])
        pageSize = raw == 1 ? 65_536 : raw
        guard pageSize >= 512, pageSize & (pageSize - 1) == 0, header[20] == 0 else { return nil }
        let inHeader = Int(uint32(28)), valid = uint32(24) == uint32(92)
        var count = inHeader > 0 && valid ? inHeader : fileSize / pageSize
        // Only the frames the WAL index lists, and none when each is already in the database
        // file: the WAL keeps its largest size, hundreds of megabytes after a big write.
        let index = Self.walIndex(path), frameSize = 24 + pageSize
        wal = index.map { $0.backfilled == $0.frames } == true ? nil
            : FileBytes(copying: path + "-wal", limit: index.map { 32 + Int($0.frames) * frameSize })
        if let wal, wal.count >= 32 {
            guard let committed = Self.committedFrames(wal, pageSize: pageSize) else { return nil }
            walPages = committed.pages
            if committed.pageCount > 0 { count = committed.pageCount }
        }
        pageCount = count
    }

    /// The schema cookie (which every change of a table's definition or place bumps) and whether
    /// text is stored as UTF-8, from page 1 as it is now.
    func header() -> (schemaCookie: UInt32, utf8: Bool)? {
        guard let first = page(1) else { return nil }
        return (Self.bigEndian(first, 40), Self.bigEndian(first, 56) == 1)
    }

    /// The database header's 4-byte big-endian integer at `at`.
    private static func bigEndian(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        bytes[at..<(at + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Page `number` (from 1), copied; nil past the end or unreadable.
    func page(_ number: UInt32) -> [UInt8]? {
        var page = [UInt8](repeating: 0, count: pageSize)
        let found = page.withUnsafeMutableBytes { read(number, into: $0) }
        return found ? page : nil
    }

    /// Pages `numbers` (sorted, from 1), each handed to `body` with its place in `numbers`: runs
    /// of consecutive pages are read from the file in one call. False when a page is past the
    /// end, unreadable, or `body` returned false.
    func forEachPage(_ numbers: ArraySlice<UInt32>, _ body: (Int, UnsafeRawBufferPointer) -> Bool) -> Bool {
        let run = 256
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: run * pageSize, alignment: 4_096)
        defer { buffer.deallocate() }
        var i = numbers.startIndex
        while i < numbers.endIndex {
            guard numbers[i] >= 1, Int(numbers[i]) <= pageCount else { return false }
            if walPages[numbers[i]] != nil {
                guard read(numbers[i], into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<pageSize])),
                      body(i, UnsafeRawBufferPointer(rebasing: buffer[0..<pageSize])) else { return false }
                i += 1
                continue
            }
            var j = i + 1
            while j < numbers.endIndex, j - i < run, numbers[j] == numbers[j - 1] &+ 1, Int(numbers[j]) <= pageCount, walPages[numbers[j]] == nil { j += 1 }
            let bytes = (j - i) * pageSize, start = (Int(numbers[i]) - 1) * pageSize
            guard start + bytes <= fileSize, pread(fd, buffer.baseAddress, bytes, off_t(start)) == bytes else { return false }
            for k in i..<j {
                let at = (k - i) * pageSize
                guard body(k, UnsafeRawBufferPointer(rebasing: buffer[at..<(at + pageSize)])) else { return false }
            }
            i = j
        }
        return true
    }

    private func read(_ number: UInt32, into buffer: UnsafeMutableRawBufferPointer) -> Bool {
        guard number >= 1, Int(number) <= pageCount else { return false }
        if let offset = walPages[number], let wal {
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: wal.bytes[offset..<(offset + pageSize)]))
            return true
        }
        let start = (Int(number) - 1) * pageSize
        return start + pageSize <= fileSize && pread(fd, buffer.baseAddress, pageSize, off_t(start)) == pageSize
    }

    /// The committed frames the WAL index (`-shm`, sqlite.org/walformat.html) lists, and how
    /// many of them were copied into the database file; nil when it cannot be read. Its header
    /// is written twice, in the host's byte order; the two copies must agree. A reader's open
    /// transaction keeps later frames from being copied while the file is read.
    private static func walIndex(_ path: String) -> (frames: UInt32, backfilled: UInt32)? {
        var bytes = [UInt8](repeating: 0, count: 100)
        guard let fd = HeldFiles.descriptor(path + "-shm"), pread(fd, &bytes, 100, 0) == 100 else { return nil }
        func uint32(_ at: Int) -> UInt32 { bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt32.self) } }
        guard uint32(0) == 3_007_000, bytes[12] == 1, bytes[0..<48] == bytes[48..<96] else { return nil }
        return (uint32(16), uint32(96))
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

    /// `privately`: writable, each page copied on its first change, never written back.
    init?(mapping path: String, privately: Bool = false) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0,
              let base = mmap(nil, Int(info.st_size), privately ? PROT_READ | PROT_WRITE : PROT_READ, privately ? MAP_PRIVATE : MAP_SHARED, fd, 0),
              base != MAP_FAILED else { return nil }
        bytes = UnsafeRawBufferPointer(start: base, count: Int(info.st_size))
        mapped = true
    }

    /// The file's first `limit` bytes (all without one).
    init?(copying path: String, limit: Int? = nil) {
        guard let handle = FileHandle(forReadingAtPath: path),
              let data = try? limit.map({ try handle.read(upToCount: $0) }) ?? handle.readToEnd(), !data.isEmpty else { return nil }
        try? handle.close()
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

import Foundation
import MetaxyCore

/// The cache file's bytes: little-endian integers, length-prefixed strings, and sample_uid lists
/// of integers as one block (the usual case, read in one copy). A file that does not decode,
/// from an older version or cut short, is no cache.
extension StaleCacheContents {
    func encode(to out: inout CacheWriter) {
        out.header(Self.magic, store: store, stamp: stamp)
        out.int(Int64(tables.count))
        for (name, table) in tables.sorted(by: { $0.key < $1.key }) {
            out.string(name)
            out.int(Int64(table.leaves.leaves.count))
            for leaf in table.leaves.leaves {
                out.int(Int64(leaf.page)); out.int(Int64(bitPattern: leaf.fingerprint)); out.int(Int64(leaf.cells)); out.int(leaf.lastRowid)
            }
            out.int(table.tailAfter)
            out.int(Int64(table.tail.count))
            for row in table.tail {
                out.int(row.rowid); out.uid(row.uid); out.optional(row.featureVersion); out.optional(row.dataVersion)
            }
        }
        out.int(Int64(features.count))
        for (key, feature) in features.sorted(by: { $0.key < $1.key }) {
            out.string(key); out.string(feature.signature); out.int(feature.root ? 1 : 0); out.int(Int64(feature.storedRows))
            out.keyed(feature.prints.targets)
            out.keyed(feature.prints.stored, sameKeysAs: feature.prints.targets)
            out.uids(feature.prints.loose)
        }
    }

    init(decoding bytes: UnsafeRawBufferPointer) throws {
        var input = CacheReader(bytes: bytes)
        (store, stamp) = try input.header(Self.magic)
        for _ in 0..<(try input.count()) {
            let name = try input.string()
            var leaves: [TableLeaves.Leaf] = []
            for _ in 0..<(try input.count()) {
                leaves.append(TableLeaves.Leaf(page: UInt32(truncatingIfNeeded: try input.int()), fingerprint: UInt64(bitPattern: try input.int()),
                                               cells: Int(try input.int()), lastRowid: try input.int()))
            }
            let after = try input.int()
            var tail: [KeptRow] = []
            for _ in 0..<(try input.count()) {
                tail.append(KeptRow(rowid: try input.int(), uid: try input.uid(), featureVersion: try input.optional(),
                                    dataVersion: try input.optional()))
            }
            tables[name] = TableState(leaves: TableLeaves(leaves: leaves), tailAfter: after, tail: tail)
        }
        for _ in 0..<(try input.count()) {
            let key = try input.string(), signature = try input.string(), root = try input.int() == 1, storedRows = Int(try input.int())
            var prints = Fingerprints()
            prints.targets = try input.keyed()
            prints.stored = try input.keyed(sameKeysAs: prints.targets)
            prints.loose = try input.uids()
            features[key] = FeatureState(signature: signature, root: root, storedRows: storedRows, prints: prints)
        }
        guard input.atEnd else { throw CacheReader.Damaged() }
    }
}

extension StatusSnapshot {
    func encode(to out: inout CacheWriter) {
        out.header(Self.magic, store: store, stamp: stamp)
        out.int(Int64(features.count))
        for (key, entry) in features.sorted(by: { $0.key < $1.key }) {
            let status = entry.status
            out.string(key); out.string(entry.signature); out.string(status.featureVersion); out.int(status.root ? 1 : 0)
            out.int(Int64(status.storedRows)); out.int(Int64(status.currentRows))
            for set in [status.added, status.changed, status.removed] { out.uids(set) }
        }
    }

    init(decoding bytes: UnsafeRawBufferPointer) throws {
        var input = CacheReader(bytes: bytes)
        (store, stamp) = try input.header(Self.magic)
        for _ in 0..<(try input.count()) {
            let key = try input.string(), signature = try input.string(), version = try input.string(), root = try input.int() == 1
            let stored = Int(try input.int()), current = Int(try input.int())
            let status = FeatureStatus(key: FeatureKey(string: key), featureVersion: version, root: root, storedRows: stored, currentRows: current,
                                       added: try input.uids(), changed: try input.uids(), removed: try input.uids())
            features[key] = (signature, status)
        }
        guard input.atEnd else { throw CacheReader.Damaged() }
    }
}

/// Writes to a file as it goes: small values through a buffer, columns straight from their memory.
struct CacheWriter {
    let fd: Int32
    var bytes: [UInt8] = []
    private(set) var failed = false

    init(fd: Int32) { self.fd = fd }

    mutating func flush() {
        bytes.withUnsafeBytes { write($0) }
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func write(_ raw: UnsafeRawBufferPointer) {
        var done = 0
        while !failed && done < raw.count {
            let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
            if n > 0 { done += n } else { failed = true }
        }
    }

    /// What each file starts with: its kind and version, the store's real path, its files' stamp.
    mutating func header(_ magic: [UInt8], store: String, stamp: StoreStamp) {
        bytes += magic
        string(store)
        self.stamp(stamp)
    }

    mutating func stamp(_ stamp: StoreStamp) {
        for file in [stamp.database, stamp.wal] {
            for value in [file.device, file.inode, file.header] { int(Int64(bitPattern: value)) }
            for value in [file.size, file.modified, file.changed] { int(value) }
        }
        int(stamp.taken)
    }

    mutating func int(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { bytes += $0 }
        if bytes.count >= 1 << 16 { flush() }
    }
    mutating func string(_ text: String) { int(Int64(text.utf8.count)); bytes += text.utf8 }

    mutating func optional(_ text: String?) {
        guard let text else { return int(-1) }
        string(text)
    }

    mutating func uid(_ uid: SampleUID?) {
        switch uid {
        case nil: bytes.append(0)
        case let .int(n)?: bytes.append(1); int(n)
        case let .string(s)?: bytes.append(2); string(s)
        }
    }

    mutating func uids(_ uids: [SampleUID]) {
        let ints = uids.compactMap { if case let .int(n) = $0 { n } else { nil } }
        if ints.count == uids.count {
            bytes.append(1)
            raw(ints)
        } else {
            bytes.append(2)
            int(Int64(uids.count))
            for uid in uids { self.uid(uid) }
        }
    }

    /// Sorted integers as runs of consecutive values when that is shorter (sample_uids are often
    /// 0..<n), else as they are; -3 marks runs.
    mutating func runs(_ keys: [Int64]) {
        var runs: [Int64] = []
        var i = 0
        while i < keys.count && runs.count < keys.count {
            var j = i + 1
            while j < keys.count && keys[j] == keys[j - 1] &+ 1 { j += 1 }
            runs += [keys[i], Int64(j - i)]
            i = j
        }
        guard runs.count < keys.count else { return raw(keys) }
        int(-3)
        raw(runs)
    }

    mutating func raw<T>(_ values: [T]) {
        int(Int64(values.count))
        flush()
        values.withUnsafeBytes { write($0) }
    }

    /// `sameKeys`: the samples of the previous column, written once (targets and stored rows
    /// are mostly the same samples).
    mutating func keyed(_ keyed: Keyed, sameKeysAs previous: Keyed? = nil) {
        if let previous, previous.ints.keys == keyed.ints.keys {
            int(-1)
        } else {
            runs(keyed.ints.keys)
        }
        if keyed.ints.prints.allSatisfy({ $0 == 0 }) {
            int(-2)
            int(Int64(keyed.ints.prints.count))
        } else {
            raw(keyed.ints.prints)
        }
        uids(keyed.strings.keys)
        raw(keyed.strings.prints)
    }
}

struct CacheReader {
    struct Damaged: Error {}
    let bytes: UnsafeRawBufferPointer
    var at = 0

    var atEnd: Bool { at == bytes.count }

    mutating func header(_ magic: [UInt8]) throws -> (store: String, stamp: StoreStamp) {
        guard try take(magic.count).elementsEqual(magic) else { throw Damaged() }
        return (try string(), try stamp())
    }

    mutating func stamp() throws -> StoreStamp {
        var files: [FileStamp] = []
        for _ in 0..<2 {
            var file = FileStamp()
            (file.device, file.inode, file.header) = (UInt64(bitPattern: try int()), UInt64(bitPattern: try int()), UInt64(bitPattern: try int()))
            (file.size, file.modified, file.changed) = (try int(), try int(), try int())
            files.append(file)
        }
        return StoreStamp(database: files[0], wal: files[1], taken: try int())
    }

    mutating func take(_ n: Int) throws -> UnsafeRawBufferPointer {
        guard n >= 0, n <= bytes.count - at else { throw Damaged() }
        defer { at += n }
        return UnsafeRawBufferPointer(rebasing: bytes[at..<(at + n)])
    }

    mutating func int() throws -> Int64 {
        Int64(littleEndian: try take(8).loadUnaligned(as: Int64.self))
    }

    /// The next integer, not taken; nil at the end.
    func peek() -> Int64? {
        bytes.count - at >= 8 ? Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int64.self)) : nil
    }

    mutating func count(atMost limit: Int) throws -> Int {
        let n = try int()
        guard n >= 0, n <= limit else { throw Damaged() }
        return Int(n)
    }

    /// A count, checked against what is left so that a damaged one cannot ask for terabytes.
    mutating func count() throws -> Int {
        let n = try int()
        guard n >= 0, n <= bytes.count - at else { throw Damaged() }
        return Int(n)
    }

    mutating func string() throws -> String { String(decoding: try take(try count()), as: UTF8.self) }

    mutating func optional() throws -> String? {
        let n = try int()
        guard n != -1 else { return nil }
        guard n >= 0 else { throw Damaged() }
        return String(decoding: try take(Int(n)), as: UTF8.self)
    }

    mutating func uid() throws -> SampleUID? {
        switch try take(1).first {
        case 0: nil
        case 1: .int(try int())
        case 2: .string(try string())
        default: throw Damaged()
        }
    }

    mutating func uids() throws -> [SampleUID] {
        switch try take(1).first {
        case 1:
            let n = try count()
            let raw = try take(n * 8)
            return (0..<n).map { .int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))) }
        case 2:
            return try (0..<(try count())).map { _ in
                guard let uid = try uid() else { throw Damaged() }
                return uid
            }
        default:
            throw Damaged()
        }
    }

    /// A column of 8-byte values, copied as they lie.
    mutating func raw<T>(_: T.Type) throws -> [T] {
        let n = try count()
        let slice = try take(n * MemoryLayout<T>.stride)
        return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: slice)
            initialized = n
        }
    }

    mutating func keyed(sameKeysAs previous: Keyed? = nil) throws -> Keyed {
        var keyed = Keyed()
        let keys: [Int64]
        if let previous, peek() == -1 {
            at += 8
            keys = previous.ints.keys
        } else if peek() == -3 {
            at += 8
            let runs = try raw(Int64.self)
            guard runs.count % 2 == 0 else { throw Damaged() }
            var expanded: [Int64] = []
            for r in stride(from: 0, to: runs.count, by: 2) {
                guard runs[r + 1] >= 0, runs[r + 1] <= bytes.count * 64 - expanded.count, runs[r] <= Int64.max - runs[r + 1] else {
                    throw Damaged()
                }
                expanded += runs[r]..<(runs[r] &+ runs[r + 1])
            }
            keys = expanded
        } else {
            keys = try raw(Int64.self)
        }
        let prints: [UInt64]
        if peek() == -2 {
            at += 8
            prints = [UInt64](repeating: 0, count: try count(atMost: keys.count))
        } else {
            prints = try raw(UInt64.self)
        }
        keyed.ints = Column(keys: keys, prints: prints)
        keyed.strings = Column(keys: try uids(), prints: try raw(UInt64.self))
        guard keyed.ints.keys.count == keyed.ints.prints.count, keyed.strings.keys.count == keyed.strings.prints.count,
              keyed.strings.keys.allSatisfy({ if case .string = $0 { true } else { false } }) else { throw Damaged() }
        return keyed
    }
}

import Foundation
import MetaxyCore

/// The cache's bytes: little-endian integers, length-prefixed strings, and columns of 8-byte
/// values aligned to 8 bytes as they lie in memory, so that the base file's columns are used
/// where they lie, mapped (`Slab`). A file that does not decode, from an older version or cut
/// short, is no cache.
extension StaleCacheContents {
    func encode(to out: inout CacheWriter) {
        out.header(Self.magic, store: store, stamp: stamp)
        out.int(Int64(bitPattern: base))
        out.int(Int64(tables.count))
        for (name, table) in tables.sorted(by: { $0.key < $1.key }) {
            out.string(name)
            out.leaves(table.leaves.leaves[...])
            out.tail(table)
        }
        out.int(Int64(features.count))
        for (key, feature) in features.sorted(by: { $0.key < $1.key }) {
            out.string(key); out.string(feature.signature); out.int(feature.root ? 1 : 0); out.int(Int64(feature.storedRows))
            out.keyed(feature.prints.targets)
            out.keyed(feature.prints.stored, sameKeysAs: feature.prints.targets)
            out.uids(feature.prints.loose)
        }
    }

    /// The base file `file`, its columns left in place.
    init(decoding file: FileBytes) throws {
        var input = CacheReader(file: file)
        (store, stamp) = try input.header(Self.magic)
        base = UInt64(bitPattern: try input.int())
        chain = base
        baseSize = file.count
        for _ in 0..<(try input.count()) {
            let name = try input.string()
            let leaves = try input.leaves()
            let (after, tail) = try input.tail()
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

    /// What this status changed since `old` (tables appended to, features brought up to date),
    /// as one record of the delta file: its length, its checksum, then the base it applies to,
    /// the state it follows, the store's stamp now, and the changes.
    /// `keeps`: the tables rows were appended to, and how many of their leading leaves are as
    /// they were; every other table is as `old` has it.
    func delta(from old: StaleCacheContents, keeps: [String: Int], features updated: [String], dropOthers: Bool) -> (record: [UInt8], name: UInt64) {
        var out = CacheWriter(fd: -1)
        out.int(Int64(bitPattern: old.base)); out.int(Int64(bitPattern: old.chain)); out.stamp(stamp)
        out.int(dropOthers ? 1 : 0)
        out.int(Int64(keeps.count))
        for (name, keep) in keeps.sorted(by: { $0.key < $1.key }) {
            let table = tables[name]!
            out.string(name); out.int(Int64(keep))
            out.leaves(table.leaves.leaves[keep...])
            out.tail(table)
        }
        out.int(Int64(updated.count))
        for key in updated.sorted() {
            let feature = features[key]!
            out.string(key); out.string(feature.signature); out.int(feature.root ? 1 : 0); out.int(Int64(feature.storedRows))
            out.uids(feature.prints.loose)
            out.int(Int64(feature.merges.count))
            for (targets, changes) in feature.merges {
                out.int(targets ? 1 : 0)
                out.keyed(changes)
            }
        }
        let body = out.bytes, name = body.withUnsafeBytes { fingerprint($0) }
        var record = CacheWriter(fd: -1)
        record.int(Int64(body.count))
        record.int(Int64(bitPattern: name))
        return (record.bytes + body, name)
    }

    /// The records of a delta file applied in order: those of this base, each following the
    /// last one applied. Reading stops at a record cut short or damaged.
    mutating func apply(deltas bytes: UnsafeRawBufferPointer) {
        var at = 0
        while bytes.count - at >= 16 {
            let length = Int(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: Int64.self)))
            let name = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self))
            guard length >= 0, length <= bytes.count - at - 16 else { break }
            let body = UnsafeRawBufferPointer(rebasing: bytes[(at + 16)..<(at + 16 + length)])
            guard fingerprint(body) == name, let record = try? DeltaRecord(decoding: body) else { break }
            at += 16 + length
            if record.base == base && record.follows == chain && apply(record, named: name) { applied += 1 }
        }
        deltaSize = bytes.count
    }

    /// Checked whole before anything changes: a record that does not fit this state is left out.
    private mutating func apply(_ record: DeltaRecord, named name: UInt64) -> Bool {
        for table in record.tables {
            guard table.keep <= (tables[table.name]?.leaves.leaves.count ?? 0) else { return false }
        }
        for feature in record.features {
            guard features[feature.key]?.root == feature.root else { return false }
        }
        stamp = record.stamp
        for table in record.tables {
            var state = tables.removeValue(forKey: table.name) ?? TableState(leaves: TableLeaves(leaves: []), tailAfter: 0, tail: [])
            state.leaves.leaves.removeSubrange(table.keep...)
            state.leaves.leaves += table.leaves
            (state.tailAfter, state.tail) = (table.tailAfter, table.tail)
            tables[table.name] = state
        }
        for change in record.features {
            // Taken out while it changes, so that its mapped columns are not shared, and copied.
            var feature = features.removeValue(forKey: change.key)!
            feature.signature = change.signature
            feature.storedRows = change.storedRows
            feature.prints.loose = change.loose
            for (targets, changes) in change.merges { feature.merge(targets: targets, changes) }
            feature.merges = []
            features[change.key] = feature
        }
        if record.dropOthers {
            let listed = Set(record.features.map(\.key))
            features = features.filter { listed.contains($0.key) }
        }
        chain = name
        return true
    }
}

/// One record of the delta file, decoded.
struct DeltaRecord {
    struct Table { var name: String, keep: Int, leaves: [TableLeaves.Leaf], tailAfter: Int64, tail: [KeptRow] }
    struct Feature { var key: String, signature: String, root: Bool, storedRows: Int, loose: [SampleUID], merges: [(Bool, Keyed)] }
    var base: UInt64, follows: UInt64, stamp: StoreStamp, dropOthers: Bool
    var tables: [Table] = [], features: [Feature] = []

    init(decoding body: UnsafeRawBufferPointer) throws {
        var input = CacheReader(bytes: body)
        (base, follows) = (UInt64(bitPattern: try input.int()), UInt64(bitPattern: try input.int()))
        stamp = try input.stamp()
        dropOthers = try input.int() == 1
        for _ in 0..<(try input.count()) {
            let name = try input.string(), keep = Int(try input.int()), leaves = try input.leaves(), (after, tail) = try input.tail()
            guard keep >= 0 else { throw CacheReader.Damaged() }
            tables.append(Table(name: name, keep: keep, leaves: leaves, tailAfter: after, tail: tail))
        }
        for _ in 0..<(try input.count()) {
            var feature = Feature(key: try input.string(), signature: try input.string(), root: try input.int() == 1,
                                  storedRows: Int(try input.int()), loose: try input.uids(), merges: [])
            for _ in 0..<(try input.count()) { feature.merges.append((try input.int() == 1, try input.keyed())) }
            features.append(feature)
        }
        guard input.atEnd else { throw CacheReader.Damaged() }
    }
}

extension StatusSnapshot {
    func encode(to out: inout CacheWriter) {
        out.header(Self.magic, store: store, stamp: stamp)
        out.int(Int64(bitPattern: chain))
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
        chain = UInt64(bitPattern: try input.int())
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

/// Writes to a file as it goes: small values through a buffer, columns straight from their
/// memory. Without a file (`fd` -1) everything stays in `bytes`.
struct CacheWriter {
    let fd: Int32
    var bytes: [UInt8] = []
    /// Bytes written to the file so far: columns are aligned by where they land in it.
    private var flushed = 0
    private(set) var failed = false

    init(fd: Int32) { self.fd = fd }

    mutating func flush() {
        guard fd >= 0 else { return }
        bytes.withUnsafeBytes { write($0) }
        bytes.removeAll(keepingCapacity: true)
    }

    private mutating func write(_ raw: UnsafeRawBufferPointer) {
        guard fd >= 0 else { return bytes += raw }
        var done = 0
        while !failed && done < raw.count {
            let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
            if n > 0 { done += n } else { failed = true }
        }
        flushed += raw.count
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
            raw(Slab(ints))
        } else {
            bytes.append(2)
            int(Int64(uids.count))
            for uid in uids { self.uid(uid) }
        }
    }

    /// A column: its count, padding to a multiple of 8 bytes in the file, then its values.
    mutating func raw<T>(_ values: Slab<T>) {
        int(Int64(values.count))
        let padding = (8 - (flushed + bytes.count) % 8) % 8
        bytes += repeatElement(0, count: padding)
        flush()
        values.withUnsafeBufferPointer { write(UnsafeRawBufferPointer($0)) }
    }

    /// `sameKeys`: the samples of the previous column, written once (targets and stored rows
    /// are mostly the same samples).
    mutating func keyed(_ keyed: Keyed, sameKeysAs previous: Keyed? = nil) {
        if let previous, previous.ints.keys == keyed.ints.keys {
            int(-1)
        } else {
            raw(keyed.ints.keys)
        }
        raw(keyed.ints.prints)
        uids(keyed.strings.keys.array)
        raw(keyed.strings.prints)
    }

    /// Four integers a leaf, as one column: a million leaves read back in one pass.
    mutating func leaves(_ leaves: ArraySlice<TableLeaves.Leaf>) {
        var values: [Int64] = []
        values.reserveCapacity(4 * leaves.count)
        for leaf in leaves {
            values.append(Int64(leaf.page)); values.append(Int64(bitPattern: leaf.fingerprint))
            values.append(Int64(leaf.cells)); values.append(leaf.lastRowid)
        }
        raw(Slab(values))
    }

    mutating func tail(_ table: TableState) {
        int(table.tailAfter)
        int(Int64(table.tail.count))
        for row in table.tail {
            int(row.rowid); uid(row.uid); optional(row.featureVersion); optional(row.dataVersion)
        }
    }
}

struct CacheReader {
    struct Damaged: Error {}
    let bytes: UnsafeRawBufferPointer
    /// The mapped file `bytes` lie in: columns are then used in place, not copied.
    let file: FileBytes?
    var at = 0

    init(bytes: UnsafeRawBufferPointer) { (self.bytes, file) = (bytes, nil) }
    init(file: FileBytes) { (bytes, self.file) = (file.bytes, file) }

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
            return try raw(Int64.self).map { .int($0) }
        case 2:
            return try (0..<(try count())).map { _ in
                guard let uid = try uid() else { throw Damaged() }
                return uid
            }
        default:
            throw Damaged()
        }
    }

    /// A column of 8-byte values: in place in a mapped file, else copied.
    mutating func raw<T: BitwiseCopyable>(_: T.Type) throws -> Slab<T> {
        let n = try count()
        _ = try take((8 - at % 8) % 8)
        let offset = at
        let slice = try take(n * MemoryLayout<T>.stride)
        if let file { return Slab(file: file, offset: offset, count: n) }
        return Slab([T](unsafeUninitializedCapacity: n) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: slice)
            initialized = n
        })
    }

    mutating func keyed(sameKeysAs previous: Keyed? = nil) throws -> Keyed {
        var keyed = Keyed()
        let keys: Slab<Int64>
        if let previous, peek() == -1 {
            at += 8
            keys = previous.ints.keys
        } else {
            keys = try raw(Int64.self)
        }
        keyed.ints = Column(keys: keys, prints: try raw(UInt64.self))
        keyed.strings = Column(keys: Slab(try uids()), prints: try raw(UInt64.self))
        guard keyed.ints.keys.count == keyed.ints.prints.count, keyed.strings.keys.count == keyed.strings.prints.count,
              keyed.strings.keys.allSatisfy({ if case .string = $0 { true } else { false } }) else { throw Damaged() }
        return keyed
    }

    mutating func leaves() throws -> [TableLeaves.Leaf] {
        let values = try raw(Int64.self)
        guard values.count % 4 == 0 else { throw Damaged() }
        return values.withUnsafeBufferPointer { v in
            stride(from: 0, to: v.count, by: 4).map {
                TableLeaves.Leaf(page: UInt32(truncatingIfNeeded: v[$0]), fingerprint: UInt64(bitPattern: v[$0 + 1]), cells: Int(v[$0 + 2]), lastRowid: v[$0 + 3])
            }
        }
    }

    mutating func tail() throws -> (after: Int64, rows: [KeptRow]) {
        let after = try int()
        var rows: [KeptRow] = []
        for _ in 0..<(try count()) {
            rows.append(KeptRow(rowid: try int(), uid: try uid(), featureVersion: try optional(), dataVersion: try optional()))
        }
        return (after, rows)
    }
}

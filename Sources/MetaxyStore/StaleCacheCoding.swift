import Foundation
import MetaxyCore

/// The cache file's bytes: little-endian integers, length-prefixed strings, and sample_uid lists
/// of integers as one block (the usual case, read in one copy). A file that does not decode,
/// from an older version or cut short, is no cache.
extension StaleCacheContents {
    func encoded() -> [UInt8] {
        var out = CacheWriter()
        out.bytes += Self.magic
        out.string(store)
        for file in [stamp.database, stamp.wal] {
            for value in [file.device, file.inode, file.header] { out.int(Int64(bitPattern: value)) }
            for value in [file.size, file.modified, file.changed] { out.int(value) }
        }
        out.int(stamp.taken)
        out.int(Int64(tables.count))
        for (name, table) in tables.sorted(by: { $0.key < $1.key }) {
            out.string(name)
            out.int(Int64(table.leaves.count))
            for leaf in table.leaves {
                out.int(Int64(leaf.page)); out.int(Int64(bitPattern: leaf.fingerprint)); out.int(Int64(leaf.cells))
                out.int(leaf.firstRowid); out.int(leaf.lastRowid)
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
            for keyed in [feature.prints.targets, feature.prints.stored] {
                out.uids(keyed.uids)
                out.prints(keyed.prints)
            }
            out.uids(feature.prints.loose)
        }
        return out.bytes
    }

    init(decoding bytes: [UInt8]) throws {
        var input = CacheReader(bytes: bytes)
        guard try input.take(Self.magic.count).elementsEqual(Self.magic) else { throw CacheReader.Damaged() }
        store = try input.string()
        var files: [FileStamp] = []
        for _ in 0..<2 {
            var file = FileStamp()
            (file.device, file.inode, file.header) = (UInt64(bitPattern: try input.int()), UInt64(bitPattern: try input.int()),
                                                      UInt64(bitPattern: try input.int()))
            (file.size, file.modified, file.changed) = (try input.int(), try input.int(), try input.int())
            files.append(file)
        }
        stamp = StoreStamp(database: files[0], wal: files[1], taken: try input.int())
        for _ in 0..<(try input.count()) {
            let name = try input.string()
            var leaves: [TableLeaves.Leaf] = []
            for _ in 0..<(try input.count()) {
                leaves.append(TableLeaves.Leaf(page: UInt32(truncatingIfNeeded: try input.int()), fingerprint: UInt64(bitPattern: try input.int()),
                                               cells: Int(try input.int()), firstRowid: try input.int(), lastRowid: try input.int()))
            }
            let after = try input.int()
            var tail: [KeptRow] = []
            for _ in 0..<(try input.count()) {
                tail.append(KeptRow(rowid: try input.int(), uid: try input.uid(), featureVersion: try input.optional(),
                                    dataVersion: try input.optional()))
            }
            tables[name] = TableState(leaves: leaves, tailAfter: after, tail: tail)
        }
        for _ in 0..<(try input.count()) {
            let key = try input.string(), signature = try input.string(), root = try input.int() == 1, storedRows = Int(try input.int())
            var prints = Fingerprints()
            prints.targets = Keyed(uids: try input.uids(), prints: try input.prints())
            prints.stored = Keyed(uids: try input.uids(), prints: try input.prints())
            prints.loose = try input.uids()
            guard prints.targets.uids.count == prints.targets.prints.count, prints.stored.uids.count == prints.stored.prints.count else {
                throw CacheReader.Damaged()
            }
            features[key] = FeatureState(signature: signature, root: root, storedRows: storedRows, prints: prints)
        }
        guard input.atEnd else { throw CacheReader.Damaged() }
    }
}

struct CacheWriter {
    var bytes: [UInt8] = []

    mutating func int(_ value: Int64) { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
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
            int(Int64(ints.count))
            ints.withUnsafeBytes { bytes += $0 }
        } else {
            bytes.append(2)
            int(Int64(uids.count))
            for uid in uids { self.uid(uid) }
        }
    }

    mutating func prints(_ prints: [UInt64]) {
        int(Int64(prints.count))
        prints.withUnsafeBytes { bytes += $0 }
    }
}

struct CacheReader {
    struct Damaged: Error {}
    let bytes: [UInt8]
    var at = 0

    var atEnd: Bool { at == bytes.count }

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count - at else { throw Damaged() }
        defer { at += n }
        return bytes[at..<(at + n)]
    }

    mutating func int() throws -> Int64 {
        let slice = try take(8)
        return slice.withUnsafeBytes { Int64(littleEndian: $0.loadUnaligned(as: Int64.self)) }
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
            return try take(n * 8).withUnsafeBytes { raw in (0..<n).map { .int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))) } }
        case 2:
            return try (0..<(try count())).map { _ in
                guard let uid = try uid() else { throw Damaged() }
                return uid
            }
        default:
            throw Damaged()
        }
    }

    mutating func prints() throws -> [UInt64] {
        let n = try count()
        return try take(n * 8).withUnsafeBytes { raw in (0..<n).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) } }
    }
}

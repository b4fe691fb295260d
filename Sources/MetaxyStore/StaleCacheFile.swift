import Foundation
import MetaxyCore

/// Where stale-set caches live: `$XDG_CACHE_HOME/metaxy-tui/stale` (else `~/.cache/…`), one file
/// per store, named after the store's real path. Never inside the store: a store Python metaxy
/// wrote is read, never modified.
public struct StaleCacheLocation: Sendable, Equatable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// From the environment; nil when neither XDG_CACHE_HOME nor HOME is set.
    public static func standard(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> StaleCacheLocation? {
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? environment["HOME"].map { $0 + "/.cache" }
        return base.map { StaleCacheLocation(directory: $0 + "/metaxy-tui/stale") }
    }

    /// The files' common path, without extension: `.status` holds the last answer, `.cache` what
    /// the next status starts from.
    func files(for store: String) -> String {
        directory + "/" + HashAlgorithm.sha256.digest(Self.realPath(store)).prefix(32)
    }

    static func realPath(_ store: String) -> String { URL(fileURLWithPath: store).resolvingSymlinksInPath().path }
}

/// A file's identity and last change as `stat` gives them (times in nanoseconds).
struct FileStamp: Equatable {
    var device: UInt64 = 0, inode: UInt64 = 0, size: Int64 = -1, modified: Int64 = 0, changed: Int64 = 0
    /// A WAL's salts change when it starts over at its beginning, perhaps at the same size.
    var header: UInt64 = 0

    /// nil fields for a missing file; a WAL without a whole header counts as missing (SQLite
    /// creates it empty when a store is opened).
    init(path: String, isWAL: Bool = false) {
        var info = stat()
        guard stat(path, &info) == 0, !isWAL || info.st_size >= 32 else { return }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        if isWAL, let handle = FileHandle(forReadingAtPath: path), let bytes = try? handle.read(upToCount: 32) {
            header = bytes.withUnsafeBytes { fingerprint($0) }
            try? handle.close()
        }
    }

    init() {}
}

/// The store's files at one instant, and when that was.
struct StoreStamp: Equatable {
    var database = FileStamp(), wal = FileStamp()
    var taken: Int64 = 0

    static func now(_ path: String) -> StoreStamp {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return StoreStamp(database: FileStamp(path: path), wal: FileStamp(path: path + "-wal", isWAL: true),
                          taken: Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec))
    }

    func sameFiles(_ other: StoreStamp) -> Bool { database == other.database && wal == other.wal }

    /// A file changed within a clock tick of the stamp: a later write in the same tick could leave
    /// its time as it was, so equal stamps prove nothing (git's "racy" entries).
    var isRacy: Bool { max(database.modified, wal.modified) + 50_000_000 >= taken }
}

/// A row as the cache keeps it to notice whether it is still there, unchanged.
struct KeptRow: Equatable {
    var rowid: Int64
    var uid: SampleUID?
    var featureVersion: String?
    var dataVersion: String?
}

/// A table as the last status read it: its leaves, and its last rows in full (the rows an
/// append may share a leaf with).
struct TableState {
    var leaves: TableLeaves
    /// Every row after this rowid, in rowid order.
    var tailAfter: Int64
    var tail: [KeptRow]
}

/// Samples in sample_uid order, each with a fingerprint. Integer uids, the usual kind and
/// always before strings, are a flat column: a million of them load, merge and save as memory copies.
struct Keyed: Equatable {
    var ints = Column<Int64>(), strings = Column<SampleUID>()

    var count: Int { ints.keys.count + strings.keys.count }

    init() {}

    /// `uids` sorted.
    init(uids: [SampleUID], prints: [UInt64]) {
        ints.keys.reserveCapacity(uids.count)
        ints.prints.reserveCapacity(uids.count)
        for (uid, print) in zip(uids, prints) { append(uid, print) }
    }

    /// In order: integers first.
    mutating func append(_ uid: SampleUID, _ print: UInt64) {
        if case let .int(n) = uid { ints.append(n, print) } else { strings.append(uid, print) }
    }

    mutating func append(_ other: Keyed) {
        ints.append(other.ints)
        strings.append(other.strings)
    }

    /// Sets the fingerprints of `changes`, adding the samples not here yet.
    mutating func merge(_ changes: Keyed) {
        ints.merge(changes.ints)
        strings.merge(changes.strings)
    }

    func print(of uid: SampleUID) -> UInt64? {
        if case let .int(n) = uid { ints.print(of: n) } else { strings.print(of: uid) }
    }

    /// The fingerprint of each of `uids` (sorted: integers first), nil where not here.
    func prints(ofSorted uids: [SampleUID]) -> [UInt64?] {
        let ints = uids.prefix { if case .int = $0 { true } else { false } }
        return self.ints.prints(ofSorted: ints.map { if case let .int(n) = $0 { n } else { 0 } })
            + strings.prints(ofSorted: Array(uids[ints.endIndex...]))
    }
}

struct Column<Key: Comparable & Sendable>: Equatable {
    var keys = Slab<Key>()
    var prints = Slab<UInt64>()

    mutating func append(_ key: Key, _ print: UInt64) {
        keys.append(key)
        prints.append(print)
    }

    mutating func append(_ other: Column) {
        keys.append(contentsOf: other.keys)
        prints.append(contentsOf: other.prints)
    }

    mutating func merge(_ changes: Column) {
        guard !changes.keys.isEmpty else { return }
        // Samples already here, the usual case (new versions of rows), change in place.
        let places = places(ofSorted: changes.keys.array)
        let present = keys.withUnsafeBufferPointer { keys in
            zip(places, changes.keys).allSatisfy { $0 < keys.count && keys[$0] == $1 }
        }
        if present {
            changes.prints.withUnsafeBufferPointer { new in
                prints.withUnsafeMutableBufferPointer { prints in
                    for (k, i) in places.enumerated() { prints[i] = new[k] }
                }
            }
            return
        }
        var merged = Column()
        merged.keys.reserveCapacity(keys.count + changes.keys.count)
        merged.prints.reserveCapacity(keys.count + changes.keys.count)
        var i = 0
        for (k, key) in changes.keys.enumerated() {
            let end = keys[i...].sortedLowerBound(key)
            merged.keys.append(contentsOf: keys, i..<end)
            merged.prints.append(contentsOf: prints, i..<end)
            i = end < keys.count && keys[end] == key ? end + 1 : end
            merged.append(key, changes.prints[k])
        }
        merged.keys.append(contentsOf: keys, i..<keys.count)
        merged.prints.append(contentsOf: prints, i..<prints.count)
        self = merged
    }

    /// Where each of `wanted` (sorted) is or would go. Each is searched for from where the last
    /// one was (galloping), so that ten thousand neighbours touch a few pages, not a binary
    /// search's each.
    func places(ofSorted wanted: [Key]) -> [Int] {
        keys.withUnsafeBufferPointer { keys in
            var low = 0
            return wanted.map { key in
                var high = low, step = 1
                while high < keys.count && keys[high] < key { (low, high, step) = (high + 1, high + 1 + step, step * 2) }
                low = keys[low..<min(high, keys.count)].sortedLowerBound(key)
                return low
            }
        }
    }

    /// The fingerprint of each of `wanted` (sorted), nil where not here.
    func prints(ofSorted wanted: [Key]) -> [UInt64?] {
        let places = places(ofSorted: wanted)
        return keys.withUnsafeBufferPointer { keys in
            prints.withUnsafeBufferPointer { prints in
                zip(places, wanted).map { $0 < keys.count && keys[$0] == $1 ? prints[$0] : nil }
            }
        }
    }

    func print(of key: Key) -> UInt64? {
        guard let i = keys.withUnsafeBufferPointer({ keys in
            let i = keys.sortedLowerBound(key)
            return i < keys.count && keys[i] == key ? i : nil
        }) else { return nil }
        return prints[i]
    }

    /// Targets (self) against stored rows: not stored, stored with another fingerprint, stored but no target.
    func stale(against stored: Column) -> (added: [Key], changed: [Key], removed: [Key]) {
        var added: [Key] = [], changed: [Key] = [], removed: [Key] = []
        var s = 0
        let (keys, prints) = (keys.array, prints.array), (storedKeys, storedPrints) = (stored.keys.array, stored.prints.array)
        for t in keys.indices {
            let key = keys[t]
            while s < storedKeys.count && storedKeys[s] < key { removed.append(storedKeys[s]); s += 1 }
            if s < storedKeys.count && storedKeys[s] == key {
                if storedPrints[s] != prints[t] { changed.append(key) }
                s += 1
            } else {
                added.append(key)
            }
        }
        removed += storedKeys[s...]
        return (added, changed, removed)
    }
}

/// Per sample of a feature: its target's fingerprint (samples every upstream has), its stored
/// row's at the feature version, and which stored rows are not written as the recipe writes them.
struct Fingerprints: Equatable {
    var targets = Keyed(), stored = Keyed()
    var loose: [SampleUID] = []

    mutating func append(_ other: Fingerprints) {
        targets.append(other.targets)
        stored.append(other.stored)
        loose += other.loose
    }
}

/// One feature's last stale set, as fingerprints: added, changed and removed follow from them.
struct FeatureState {
    /// What the stale set depends on besides the rows: feature version, recipe, algorithm.
    var signature: String
    var root: Bool
    var storedRows: Int
    var prints: Fingerprints
    /// The fingerprints this status set (targets or stored rows), in order: what the cache's
    /// delta records, and the samples whose class may have changed.
    var merges: [(targets: Bool, changes: Keyed)] = []

    init(signature: String, root: Bool, storedRows: Int, prints: Fingerprints) {
        (self.signature, self.root, self.storedRows, self.prints) = (signature, root, storedRows, prints)
    }

    mutating func merge(targets: Bool, _ changes: Keyed) {
        guard changes.count > 0 else { return }
        if targets { prints.targets.merge(changes) } else { prints.stored.merge(changes) }
        merges.append((targets, changes))
    }

    /// From every fingerprint, or, given the status of the state before `merges`, by classing
    /// again only the samples they set: a million-sample set is not walked for ten thousand.
    func status(key: FeatureKey, featureVersion: String, before: FeatureStatus? = nil) -> FeatureStatus {
        guard !root else {
            return FeatureStatus(key: key, featureVersion: featureVersion, root: true, storedRows: storedRows,
                                 currentRows: prints.stored.count, added: [], changed: [], removed: [])
        }
        guard let before, !before.root else {
            let ints = prints.targets.ints.stale(against: prints.stored.ints), strings = prints.targets.strings.stale(against: prints.stored.strings)
            func uids(_ ints: [Int64], _ strings: [SampleUID]) -> [SampleUID] { ints.map { .int($0) } + strings }
            return FeatureStatus(key: key, featureVersion: featureVersion, root: false, storedRows: storedRows, currentRows: prints.stored.count,
                                 added: uids(ints.added, strings.added), changed: uids(ints.changed, strings.changed),
                                 removed: uids(ints.removed, strings.removed))
        }
        var affected: [SampleUID] = []
        for (_, changes) in merges {
            affected += changes.ints.keys.lazy.map { .int($0) }
            affected += changes.strings.keys
        }
        affected = affected.sortedUnique()
        var added: [SampleUID] = [], changed: [SampleUID] = [], removed: [SampleUID] = []
        for (uid, (target, stored)) in zip(affected, zip(prints.targets.prints(ofSorted: affected), prints.stored.prints(ofSorted: affected))) {
            switch (target, stored) {
            case (_?, nil): added.append(uid)
            case let (t?, s?) where t != s: changed.append(uid)
            case (nil, _?): removed.append(uid)
            default: break
            }
        }
        /// `old` without the affected samples, with `new` (both sorted).
        func redo(_ old: [SampleUID], _ new: [SampleUID]) -> [SampleUID] {
            var out: [SampleUID] = [], a = 0, n = 0
            out.reserveCapacity(old.count + new.count)
            for uid in old {
                while a < affected.count && affected[a] < uid { a += 1 }
                if a < affected.count && affected[a] == uid { continue }
                while n < new.count && new[n] < uid { out.append(new[n]); n += 1 }
                out.append(uid)
            }
            out += new[n...]
            return out
        }
        return FeatureStatus(key: key, featureVersion: featureVersion, root: false, storedRows: storedRows, currentRows: prints.stored.count,
                             added: redo(before.added, added), changed: redo(before.changed, changed), removed: redo(before.removed, removed))
    }
}

/// The last answer for a store, small, read alone when the store's files are as they were.
struct StatusSnapshot {
    static let magic = Array("metaxy-tui stale status 3\n".utf8)
    var store: String
    var stamp: StoreStamp
    /// The cache state these answers are of (`StaleCacheContents.chain`).
    var chain: UInt64 = 0
    var features: [String: (signature: String, status: FeatureStatus)] = [:]
}

/// Everything one store's cache holds: a base file, mapped, and the deltas appended to it since.
struct StaleCacheContents {
    static let magic = Array("metaxy-tui stale cache 3\n".utf8)
    var store: String
    var stamp: StoreStamp
    var tables: [String: TableState] = [:]
    var features: [String: FeatureState] = [:]
    /// Names the base file; a delta of another base is not applied.
    var base: UInt64 = 0
    /// The last delta applied (the base's name before any): the next delta says it follows this
    /// one, so that two processes appending at once cannot both be applied.
    var chain: UInt64 = 0
    /// Sizes of the base file and of its deltas: when the deltas grow past a quarter of the base,
    /// a new base is written instead.
    var baseSize = 0, deltaSize = 0
    /// Delta records applied when it was read.
    var applied = 0

    init(store: String, stamp: StoreStamp) {
        (self.store, self.stamp) = (store, stamp)
    }
}

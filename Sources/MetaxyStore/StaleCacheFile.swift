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

    func file(for store: String) -> String {
        let real = URL(fileURLWithPath: store).resolvingSymlinksInPath().path
        return directory + "/" + HashAlgorithm.sha256.digest(real).prefix(32) + ".cache"
    }
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
    var leaves: [TableLeaves.Leaf]
    /// Every row after this rowid, in rowid order.
    var tailAfter: Int64
    var tail: [KeptRow]

    var rowCount: Int { leaves.reduce(0) { $0 + $1.cells } }
    var lastRowid: Int64 { leaves.last?.lastRowid ?? Int64.min }
}

/// Samples in sample_uid order, each with a fingerprint.
struct Keyed: Equatable {
    var uids: [SampleUID] = []
    var prints: [UInt64] = []

    mutating func append(_ uid: SampleUID, _ print: UInt64) {
        uids.append(uid)
        prints.append(print)
    }

    /// Sets the fingerprints of `changes` (sorted by uid), adding the samples not here yet.
    mutating func merge(_ changes: Keyed) {
        guard !changes.uids.isEmpty else { return }
        var merged = Keyed()
        merged.uids.reserveCapacity(uids.count + changes.uids.count)
        merged.prints.reserveCapacity(uids.count + changes.uids.count)
        var i = 0
        for (k, uid) in changes.uids.enumerated() {
            while i < uids.count && uids[i] < uid { merged.append(uids[i], prints[i]); i += 1 }
            if i < uids.count && uids[i] == uid { i += 1 }
            merged.append(uid, changes.prints[k])
        }
        while i < uids.count { merged.append(uids[i], prints[i]); i += 1 }
        self = merged
    }

    func print(of uid: SampleUID) -> UInt64? {
        let i = uids.sortedLowerBound(uid)
        return i < uids.count && uids[i] == uid ? prints[i] : nil
    }
}

/// Per sample of a feature: its target's fingerprint (samples every upstream has), its stored
/// row's at the feature version, and which stored rows are not written as the recipe writes them.
struct Fingerprints: Equatable {
    var targets = Keyed(), stored = Keyed()
    var loose: [SampleUID] = []

    mutating func append(_ other: Fingerprints) {
        targets.uids += other.targets.uids
        targets.prints += other.targets.prints
        stored.uids += other.stored.uids
        stored.prints += other.stored.prints
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

    func status(key: FeatureKey, featureVersion: String) -> FeatureStatus {
        guard !root else {
            return FeatureStatus(key: key, featureVersion: featureVersion, root: true, storedRows: storedRows,
                                 currentRows: prints.stored.uids.count, added: [], changed: [], removed: [])
        }
        var added: [SampleUID] = [], changed: [SampleUID] = [], removed: [SampleUID] = []
        let targets = prints.targets, stored = prints.stored
        var s = 0
        for (t, uid) in targets.uids.enumerated() {
            while s < stored.uids.count && stored.uids[s] < uid { removed.append(stored.uids[s]); s += 1 }
            if s < stored.uids.count && stored.uids[s] == uid {
                if stored.prints[s] != targets.prints[t] { changed.append(uid) }
                s += 1
            } else {
                added.append(uid)
            }
        }
        removed += stored.uids[s...]
        return FeatureStatus(key: key, featureVersion: featureVersion, root: false, storedRows: storedRows,
                             currentRows: stored.uids.count, added: added, changed: changed, removed: removed)
    }
}

/// Everything one store's cache file holds.
struct StaleCacheContents {
    static let magic = Array("metaxy-tui stale cache 1\n".utf8)
    var store: String
    var stamp: StoreStamp
    var tables: [String: TableState] = [:]
    var features: [String: FeatureState] = [:]
}

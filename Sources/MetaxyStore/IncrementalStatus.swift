import Foundation
import MetaxyCore

/// Stale sets that cost what changed (DESIGN §6): what the last status computed is kept in a
/// cache outside the store (`StaleCacheLocation`), and the next status reads only what changed
/// since. metaxy's stores are append-only but for whole-feature drops, so a table whose leading
/// b-tree leaves are byte for byte as they were, and whose last rows are still there unchanged,
/// only had rows appended: those are read and only their samples classified again. Anything else
/// (a replace, a drop, a DELETE, an UPDATE or a VACUUM by hand, another file at the path, a
/// changed graph) changes a leaf or a kept row, and its features are computed cold. Files whose
/// stamp is as it was, and not racy, changed not at all.
extension MetaxyStore {
    /// The cache reads SQLite's own pages: `status` takes this path only for a SQLite store.
    var sqlite: SQLiteBackend { backend as! SQLiteBackend }
    var sqliteDB: SQLiteDatabase { sqlite.db }

    /// Last leaves kept whole: an append writes into the last leaf or two of a table.
    static let tailLeaves = 16

    enum TableChange {
        case same
        /// The rows appended, and how many leading leaves are as they were.
        case appended([KeptRow], keep: Int)
        /// Not provably an append: its features are computed cold.
        case unknown(String)
    }

    func statusWithCache(_ features: [Int], graph: FeatureGraph, algorithm hash: HashAlgorithm, progress: WorkProgress,
                         cache: StaleCacheLocation) throws -> [FeatureStatus] {
        trace("start")
        let files = cache.files(for: path), real = StaleCacheLocation.realPath(path)
        let before = StoreStamp.now(path)
        let signatures = features.map { Self.signature(graph, $0, hash) }
        let answer = Self.load(files + ".status", StatusSnapshot.init(decoding:)).flatMap { $0.store == real ? $0 : nil }
        if let answer, answer.stamp.sameFiles(before), !answer.stamp.isRacy {
            let statuses = features.indices.compactMap { i in
                answer.features[graph.key(features[i]).string].flatMap { $0.signature == signatures[i] ? $0.status : nil }
            }
            if statuses.count == features.count {
                trace("unchanged since the last status")
                cacheOutcomes = Dictionary(uniqueKeysWithValues: features.map { (graph.key($0), .unchanged) })
                return statuses
            }
        }
        trace("answer read")
        cacheOutcomes = [:]
        var old = Self.loadCache(files).flatMap { $0.store == real && $0.stamp.database.inode == before.database.inode
            && $0.stamp.database.device == before.database.device ? $0 : nil }
        // What a delta is written against: the cache's tables and names, not its features (their
        // columns would then be shared, and copied whole on their first change).
        let base = old.map { var base = $0; base.features = [:]; return base }
        cacheDeltasApplied = old?.applied ?? 0
        trace("cache read")
        func entry(_ i: Int) -> FeatureState? {
            old?.features[graph.key(features[i]).string].flatMap { $0.signature == signatures[i] ? $0 : nil }
        }

        // The leaves, the appended rows and the samples looked up again, in one read transaction.
        let tablesOf: [[String]] = features.map { f in
            [graph.key(f).tableName] + (graph.isRoot(f) ? [] : DataVersionRecipe(graph: graph, feature: f).upstreams.map(\.tableName))
        }
        let names = Array(Set(tablesOf.joined())).sorted()
        var results = [FeatureStatus?](repeating: nil, count: features.count)
        var states = [FeatureState?](repeating: nil, count: features.count)
        var tables: [String: TableState] = [:]
        var changes: [String: TableChange] = [:]
        try sqliteDB.execute("BEGIN")
        do {
            let roots = Dictionary(try sqliteDB.query("SELECT name, rootpage FROM sqlite_master WHERE type = 'table'").compactMap { row in
                row[0].text.map { ($0, UInt32(truncatingIfNeeded: row[1].integer ?? 0)) }
            }, uniquingKeysWith: { a, _ in a })
            let image = PageImage(path: path)
            // One table at a time, each read on every core.
            let leaves = names.map { name -> TableLeaves? in
                guard let root = roots[name] else { return TableLeaves(leaves: []) }
                return image.flatMap { TableLeaves($0, root: root) }
            }
            trace("leaves of \(names.count) tables")
            for (name, leaves) in zip(names, leaves) {
                guard let leaves else { changes[name] = .unknown("a layout this cache does not follow"); continue }
                changes[name] = try old?.tables[name].map { try compare(name, $0, leaves) } ?? .unknown("not cached")
                tables[name] = try state(name, leaves, changes[name]!, cached: old?.tables[name])
            }
            trace("appended rows read")
            for (i, f) in features.enumerated() {
                guard entry(i) != nil else { continue }
                let unknown = tablesOf[i].compactMap { if case let .unknown(why) = changes[$0] { "\($0): \(why)" } else { nil } }
                guard unknown.isEmpty else { trace("\(graph.key(f)): cold (\(unknown.joined(separator: "; ")))"); continue }
                // Taken out of the cache read, so that its columns change in place, not copied.
                var state = old!.features.removeValue(forKey: graph.key(f).string)!
                let appended = tablesOf[i].map { name -> [KeptRow] in if case let .appended(rows, _) = changes[name] { rows } else { [] } }
                try update(&state, f, graph: graph, algorithm: hash, appended: appended)
                cacheOutcomes[graph.key(f)] = .incremental
                trace("\(graph.key(f)): incremental, \(appended.reduce(0) { $0 + $1.count }) rows appended")
                states[i] = state
                // The last answer, when it is of the state the cache started from.
                let before = answer.flatMap { $0.chain == base?.chain ? $0.features[graph.key(f).string] : nil }
                results[i] = state.status(key: graph.key(f), featureVersion: graph.featureVersion(f),
                                          before: before?.signature == signatures[i] ? before?.status : nil)
            }
            try sqliteDB.execute("COMMIT")
        } catch {
            try? sqliteDB.execute("COMMIT")
            throw error
        }
        for (i, f) in features.enumerated() where results[i] == nil {
            try progress.step("stale sets", i, of: features.count, unit: "features", item: graph.key(f).string)
            if entry(i) == nil {
                trace("\(graph.key(f)): cold (\(old?.features[graph.key(f).string] == nil ? "not cached" : "its version, recipe or hash changed"))")
            }
            cacheOutcomes[graph.key(f)] = .cold
            let (status, state) = try coldStatus(f, graph: graph, algorithm: hash, keep: true)
            results[i] = status
            states[i] = state
            trace("\(graph.key(f)): computed cold")
        }

        // Saved only when the files did not change meanwhile: else the rows read cold and the
        // leaves may be of two different moments.
        if StoreStamp.now(path).sameFiles(before) {
            let allSame = changes.values.allSatisfy { if case .same = $0 { true } else { false } }
            var contents = StaleCacheContents(store: real, stamp: before)
            (contents.base, contents.chain, contents.baseSize, contents.deltaSize) = (old?.base ?? 0, old?.chain ?? 0, old?.baseSize ?? 0, old?.deltaSize ?? 0)
            contents.tables = (old?.tables ?? [:]).merging(tables) { _, new in new }
            contents.features = allSame ? old?.features ?? [:] : [:]
            var snapshot = StatusSnapshot(store: real, stamp: before)
            if allSame, let answer { snapshot.features = answer.features.filter { contents.features[$0.key]?.signature == $0.value.signature } }
            for (i, f) in features.enumerated() {
                let key = graph.key(f).string
                contents.features[key] = states[i].map { var state = $0; state.signature = signatures[i]; return state }
                snapshot.features[key] = (signatures[i], results[i]!)
            }
            let cold = cacheOutcomes.values.contains(.cold)
            // Tables as they were and nothing computed cold: the cache already says all this. Else
            // what changed is appended to the deltas, or, past a quarter of the base (or 1 MB for a
            // small one), all is written.
            if !allSame || cold {
                let keeps = changes.compactMapValues { if case let .appended(_, keep) = $0 { keep } else { nil } }
                let delta = cold ? nil : base.map { contents.delta(from: $0, keeps: keeps, features: features.map { graph.key($0).string }, dropOthers: !allSame) }
                if let base, let delta, base.deltaSize + delta.record.count < max(base.baseSize / 4, 1 << 20), Self.append(delta.record, to: files + ".delta") {
                    contents.chain = delta.name
                    trace("delta appended")
                } else {
                    contents.base = UInt64.random(in: 1...UInt64.max)
                    contents.chain = contents.base
                    Self.save(to: files + ".cache", contents.encode)
                    unlink(files + ".delta")
                    trace("cache rewritten")
                }
            }
            snapshot.chain = contents.chain
            Self.save(to: files + ".status", snapshot.encode)
            trace("answer written")
        }
        return results.map { $0! }
    }

    /// The stale sets the last status found for `graph`'s features, however old, and when: for a
    /// screen to show at once while the status of now is computed. Only features whose recipe is
    /// unchanged; nil without a cache.
    public func cachedStatuses(graph: FeatureGraph, algorithm: HashAlgorithm, cache: StaleCacheLocation) -> (statuses: [Int: FeatureStatus], taken: Date)? {
        guard let answer = Self.load(cache.files(for: path) + ".status", StatusSnapshot.init(decoding:)),
              answer.store == StaleCacheLocation.realPath(path) else { return nil }
        var statuses: [Int: FeatureStatus] = [:]
        for f in 0..<graph.count {
            if let entry = answer.features[graph.key(f).string], entry.signature == Self.signature(graph, f, algorithm) { statuses[f] = entry.status }
        }
        return statuses.isEmpty ? nil : (statuses, Date(timeIntervalSince1970: Double(answer.stamp.taken) / 1e9))
    }

    /// What a feature's stale set depends on besides the rows.
    static func signature(_ graph: FeatureGraph, _ f: Int, _ hash: HashAlgorithm) -> String {
        guard !graph.isRoot(f) else { return "root \(graph.featureVersion(f))" }
        let recipe = DataVersionRecipe(graph: graph, feature: f)
        let fields = recipe.fields.map { field in "\(field.key.string)|\(field.codeVersion)|" + field.inputs.map(\.label).joined(separator: "|") }
        return ([hash.rawValue, graph.featureVersion(f)] + recipe.upstreams.map(\.tableName) + fields).joined(separator: "\n")
    }

    /// Whether `name` only had rows appended since `cached`, and which.
    private func compare(_ name: String, _ cached: TableState, _ now: TableLeaves) throws -> TableChange {
        let old = cached.leaves.leaves
        var k = 0
        while k < old.count && k < now.leaves.count && old[k] == now.leaves[k] { k += 1 }
        if k == old.count && k == now.leaves.count { return .same }
        // No leaves: the table is empty or gone.
        guard !now.leaves.isEmpty else { return .unknown("rows were removed") }
        let boundary = k > 0 ? old[k - 1].lastRowid : Int64.min
        guard boundary >= cached.tailAfter else { return .unknown("rows before its last leaves changed") }
        let rows = try keptRows(name, after: boundary)
        let again = rows.prefix { $0.rowid <= cached.leaves.lastRowid }
        guard again.elementsEqual(cached.tail.drop { $0.rowid <= boundary }) else { return .unknown("its last rows changed") }
        let appended = Array(rows.dropFirst(again.count))
        // A row without a sample_uid is an error the cold path reports.
        guard appended.allSatisfy({ $0.uid != nil }) else { return .unknown("a row has no sample_uid") }
        guard now.rowCount == cached.leaves.rowCount + appended.count else { return .unknown("rows were removed") }
        return .appended(appended, keep: k)
    }

    /// The table as the cache keeps it: its leaves and the rows of its last ones.
    private func state(_ name: String, _ leaves: TableLeaves, _ change: TableChange, cached: TableState?) throws -> TableState {
        if case .same = change, let cached { return cached }
        let count = leaves.leaves.count
        let after = count > Self.tailLeaves ? leaves.leaves[count - Self.tailLeaves - 1].lastRowid : Int64.min
        return TableState(leaves: leaves, tailAfter: after, tail: leaves.leaves.isEmpty ? [] : try keptRows(name, after: after))
    }

    private func keptRows(_ name: String, after rowid: Int64) throws -> [KeptRow] {
        var rows: [KeptRow] = []
        // Rows come in long runs of one feature version: each run shares one string.
        var version: (text: String, bytes: [UInt8])?
        try sqliteDB.forEachRow("SELECT rowid, sample_uid, feature_version, data_version FROM \(quoteIdentifier(name)) WHERE rowid > ? ORDER BY rowid",
                          [.integer(rowid)]) { row in
            if row.isNull(2) {
                version = nil
            } else if version.map({ !row.text(2, is: $0.bytes) }) ?? true {
                version = (String(decoding: row.text(2), as: UTF8.self), Array(row.text(2)))
            }
            rows.append(KeptRow(rowid: row.integer(0), uid: row.sampleUID(1), featureVersion: version?.text,
                                dataVersion: row.isNull(3) ? nil : String(decoding: row.text(3), as: UTF8.self)))
        }
        return rows
    }

    /// A cache file decoded; nil when missing or damaged (it is then rebuilt). Mapped, not read.
    /// Our own files are replaced by renaming, never shrunk in place, so a mapping cannot lose its pages.
    static func load<T>(_ file: String, _ decode: (UnsafeRawBufferPointer) throws -> T) -> T? {
        guard let mapped = FileBytes(mapping: file) else { return nil }
        return try? decode(mapped.bytes)
    }

    /// The base file, its columns mapped copy-on-write, with its deltas applied.
    static func loadCache(_ files: String) -> StaleCacheContents? {
        guard let mapped = FileBytes(mapping: files + ".cache", privately: true), var contents = try? StaleCacheContents(decoding: mapped) else { return nil }
        if let deltas = FileBytes(copying: files + ".delta") { contents.apply(deltas: deltas.bytes) }
        return contents
    }

    /// One record added at the delta file's end, in one write (`O_APPEND`: two processes'
    /// records never interleave). False when it could not be written whole.
    static func append(_ record: [UInt8], to file: String) -> Bool {
        let fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return record.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == record.count
    }

    /// Written beside and renamed over, so that a reader never sees half a file; a cache that
    /// cannot be written is no error (the next status computes cold).
    static func save(to file: String, _ encode: (inout CacheWriter) -> Void) {
        let directory = (file as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = file + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        var out = CacheWriter(fd: fd)
        encode(&out)
        out.flush()
        close(fd)
        if out.failed || rename(temporary, file) != 0 { unlink(temporary) }
    }

    /// `METAXY_TUI_TRACE_CACHE=1`: what the cache decided for each feature, and when (ms since start).
    func trace(_ message: @autoclosure () -> String) {
        guard ProcessInfo.processInfo.environment["METAXY_TUI_TRACE_CACHE"] == "1" else { return }
        let start = Self.started
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        FileHandle.standardError.write(Data("stale cache: \(message()) [\(Int(ms)) ms]\n".utf8))
    }

    /// Set by the first trace, the one on reading the cache.
    private static let started = DispatchTime.now().uptimeNanoseconds
}

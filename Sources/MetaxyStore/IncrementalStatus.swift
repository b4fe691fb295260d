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
    /// Last leaves kept whole: an append writes into the last leaf or two of a table.
    static let tailLeaves = 16

    enum TableChange {
        case same
        case appended([KeptRow])
        /// Not provably an append: its features are computed cold.
        case unknown(String)
    }

    func statusWithCache(_ features: [Int], graph: FeatureGraph, algorithm hash: HashAlgorithm, progress: WorkProgress,
                         cache: StaleCacheLocation) throws -> [FeatureStatus] {
        let file = cache.file(for: path)
        let before = StoreStamp.now(path)
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let old = Self.loadCache(file).flatMap { $0.store == real && $0.stamp.database.inode == before.database.inode
            && $0.stamp.database.device == before.database.device ? $0 : nil }
        let signatures = features.map { Self.signature(graph, $0, hash) }
        func entry(_ i: Int) -> FeatureState? {
            old?.features[graph.key(features[i]).string].flatMap { $0.signature == signatures[i] ? $0 : nil }
        }
        if let old, old.stamp.sameFiles(before), !old.stamp.isRacy, features.indices.allSatisfy({ entry($0) != nil }) {
            trace("unchanged since the last status")
            return features.indices.map { entry($0)!.status(key: graph.key(features[$0]), featureVersion: graph.featureVersion(features[$0])) }
        }

        // The leaves, the appended rows and the samples looked up again, in one read transaction.
        var tablesOf: [[String]] = features.map { f in
            [graph.key(f).tableName] + (graph.isRoot(f) ? [] : DataVersionRecipe(graph: graph, feature: f).upstreams.map(\.tableName))
        }
        let names = Array(Set(tablesOf.joined())).sorted()
        var results = [FeatureStatus?](repeating: nil, count: features.count)
        var states = [FeatureState?](repeating: nil, count: features.count)
        var tables: [String: TableState] = [:]
        var changes: [String: TableChange] = [:]
        try db.execute("BEGIN")
        do {
            let roots = Dictionary(try db.query("SELECT name, rootpage FROM sqlite_master WHERE type = 'table'").compactMap { row in
                row[0].text.map { ($0, UInt32(truncatingIfNeeded: row[1].integer ?? 0)) }
            }, uniquingKeysWith: { a, _ in a })
            let image = PageImage(path: path)
            let leaves = Parallel.map(names.indices) { i -> TableLeaves? in
                guard let root = roots[names[i]] else { return TableLeaves(leaves: []) }
                return image.flatMap { TableLeaves($0, root: root) }
            }
            for (name, leaves) in zip(names, leaves) {
                guard let leaves else { changes[name] = .unknown("a layout this cache does not follow"); continue }
                changes[name] = try old?.tables[name].map { try compare(name, $0, leaves) } ?? .unknown("not cached")
                tables[name] = try state(name, leaves, changes[name]!, cached: old?.tables[name])
            }
            for (i, f) in features.enumerated() {
                guard let cached = entry(i) else { continue }
                let unknown = tablesOf[i].compactMap { if case let .unknown(why) = changes[$0] { "\($0): \(why)" } else { nil } }
                guard unknown.isEmpty else { trace("\(graph.key(f)): cold (\(unknown.joined(separator: "; ")))"); continue }
                var state = cached
                let appended = tablesOf[i].map { name -> [KeptRow] in if case let .appended(rows) = changes[name] { rows } else { [] } }
                try update(&state, f, graph: graph, algorithm: hash, appended: appended)
                trace("\(graph.key(f)): incremental, \(appended.reduce(0) { $0 + $1.count }) rows appended")
                states[i] = state
                results[i] = state.status(key: graph.key(f), featureVersion: graph.featureVersion(f))
            }
            try db.execute("COMMIT")
        } catch {
            try? db.execute("COMMIT")
            throw error
        }
        for (i, f) in features.enumerated() where results[i] == nil {
            try progress.step("stale sets", i, of: features.count, unit: "features", item: graph.key(f).string)
            if entry(i) == nil { trace("\(graph.key(f)): cold (not cached)") }
            let (status, state) = try coldStatus(f, graph: graph, algorithm: hash, keep: true)
            results[i] = status
            states[i] = state
        }
        tablesOf.removeAll()

        // Saved only when the files did not change meanwhile: else the rows read cold and the
        // leaves may be of two different moments.
        if StoreStamp.now(path).sameFiles(before) {
            var contents = StaleCacheContents(store: real, stamp: before)
            let allSame = changes.values.allSatisfy { if case .same = $0 { true } else { false } }
            contents.tables = (old?.tables ?? [:]).merging(tables) { _, new in new }
            contents.features = allSame ? old?.features ?? [:] : [:]
            for (i, f) in features.enumerated() { contents.features[graph.key(f).string] = states[i].map { var s = $0; s.signature = signatures[i]; return s } }
            Self.saveCache(contents, to: file)
        }
        return results.map { $0! }
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
        let old = cached.leaves
        var k = 0
        while k < old.count && k < now.leaves.count && old[k] == now.leaves[k] { k += 1 }
        if k == old.count && k == now.leaves.count { return .same }
        let boundary = k > 0 ? old[k - 1].lastRowid : Int64.min
        guard boundary >= cached.tailAfter else { return .unknown("rows before its last leaves changed") }
        let rows = try keptRows(name, after: boundary)
        let again = rows.prefix { $0.rowid <= cached.lastRowid }
        guard again.elementsEqual(cached.tail.drop { $0.rowid <= boundary }) else { return .unknown("its last rows changed") }
        let appended = Array(rows.dropFirst(again.count))
        // A row without a sample_uid is an error the cold path reports.
        guard appended.allSatisfy({ $0.uid != nil }) else { return .unknown("a row has no sample_uid") }
        guard now.rowCount == cached.rowCount + appended.count else { return .unknown("rows were removed") }
        return .appended(appended)
    }

    /// The table as the cache keeps it: its leaves and the rows of its last ones.
    private func state(_ name: String, _ leaves: TableLeaves, _ change: TableChange, cached: TableState?) throws -> TableState {
        if case .same = change, let cached { return cached }
        let count = leaves.leaves.count
        let after = count > Self.tailLeaves ? leaves.leaves[count - Self.tailLeaves - 1].lastRowid : Int64.min
        return TableState(leaves: leaves.leaves, tailAfter: after, tail: leaves.leaves.isEmpty ? [] : try keptRows(name, after: after))
    }

    private func keptRows(_ name: String, after rowid: Int64) throws -> [KeptRow] {
        var rows: [KeptRow] = []
        try db.forEachRow("SELECT rowid, sample_uid, feature_version, data_version FROM \(SQLiteDatabase.quote(name)) WHERE rowid > ? ORDER BY rowid",
                          [.integer(rowid)]) { row in
            let uid: SampleUID? = row.isNull(1) ? nil
                : row.isInteger(1) ? .int(row.integer(1)) : .string(String(decoding: row.text(1), as: UTF8.self))
            rows.append(KeptRow(rowid: row.integer(0), uid: uid,
                                featureVersion: row.isNull(2) ? nil : String(decoding: row.text(2), as: UTF8.self),
                                dataVersion: row.isNull(3) ? nil : String(decoding: row.text(3), as: UTF8.self)))
        }
        return rows
    }

    static func loadCache(_ file: String) -> StaleCacheContents? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        return try? StaleCacheContents(decoding: [UInt8](data))
    }

    /// Written beside and renamed over, so that a reader never sees half a file; a cache that
    /// cannot be written is no error (the next status computes cold).
    static func saveCache(_ contents: StaleCacheContents, to file: String) {
        let directory = (file as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = file + ".\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(contents.encoded())) else { return }
        if rename(temporary, file) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
    }

    func trace(_ message: @autoclosure () -> String) {
        guard ProcessInfo.processInfo.environment["METAXY_TUI_TRACE_CACHE"] == "1" else { return }
        FileHandle.standardError.write(Data("stale cache: \(message())\n".utf8))
    }
}

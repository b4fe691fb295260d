import MetaxyCore

extension MetaxyStore {
    /// Reconciles one feature from `fromVersion` to its version in `graph`, or with `dryRun`
    /// only counts. The rows and `event` (its `rows_affected` set to the rows written) are
    /// written in one transaction, so an event says exactly what is in the store.
    public func reconcile(feature key: FeatureKey, fromVersion: String, graph: FeatureGraph, algorithm: HashAlgorithm,
                          dryRun: Bool, event: MigrationEvent? = nil, progress: WorkProgress = .none) throws -> Reconciliation {
        let f = try featureIndex(key, in: graph)
        let toVersion = graph.featureVersion(f)
        let table = key.tableName
        try progress.step("reading \(key)", 0, of: nil)
        let stored = try latestRows(table, old: fromVersion, new: toVersion)
        let recipe = DataVersionRecipe(graph: graph, feature: f)
        let upstream = try sortedRows(recipe.upstreams.map { ($0.tableName, nil) })
        try progress.step("computing \(key)", 0, of: nil)
        let computed = UpstreamVersions(uids: stored.pending.map(\.uid), recipe: recipe, upstream: upstream, algorithm: algorithm)
        let written = computed.ranges.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        let notStored = SortedRows.joinedCount(upstream) { !stored.either.sortedContains($0) }
        let result = Reconciliation(key: key, rewritten: written, current: stored.current, notStored: notStored,
                                    upstreamMissing: stored.pending.count - written, superseded: stored.superseded)
        guard !dryRun else { return result }
        try appendReconciled(table: table, sources: stored.pending.indices.compactMap { k in computed.ranges[k].map { (stored.pending[k].rowid, $0) } },
                             text: computed.text, featureVersion: toVersion, snapshotVersion: graph.snapshotVersion,
                             event: event.map { MigrationEvent(migrationID: $0.migrationID, kind: $0.kind, timestamp: Self.timestamp(),
                                                               featureKey: $0.featureKey, rowsAffected: written) },
                             phase: "writing \(key)", progress: progress)
        return result
    }

    /// Each sample's latest row, any version, in one pass in write order: the samples whose
    /// latest row is at the old version (to reconcile, with that row's rowid, sorted by
    /// sample_uid), how many are at the new one, how many have an old row outdone by a row at a
    /// third version (reconciling the old row would hide that newer one), and every sample with
    /// a row at either version, sorted.
    private func latestRows(_ table: String, old: String, new: String) throws
        -> (pending: [(uid: SampleUID, rowid: Int64)], current: Int, superseded: Int, either: [SampleUID])
    {
        guard try hasTable(table) else { return ([], 0, 0, []) }
        var uids: [SampleUID] = [], rowids: [Int64] = [], kinds: [UInt8] = []
        try db.forEachRow("SELECT sample_uid, rowid, CASE feature_version WHEN ? THEN 1 WHEN ? THEN 2 ELSE 0 END FROM "
                          + "\(SQLiteDatabase.quote(table)) ORDER BY rowid", [.text(old), .text(new)]) { row in
            guard !row.isNull(0) else { throw StoreError(file: path, "table \(table) has a row without a sample_uid") }
            uids.append(row.isInteger(0) ? .int(row.integer(0)) : .string(String(decoding: row.text(0), as: UTF8.self)))
            rowids.append(row.integer(1))
            kinds.append(UInt8(row.integer(2)))
        }
        // Rows of one sample together, in write order; samples written in order need no sort.
        let order = zip(uids, uids.dropFirst()).allSatisfy({ $0 < $1 }) ? Array(uids.indices)
            : uids.indices.sorted { uids[$0] < uids[$1] || (uids[$0] == uids[$1] && $0 < $1) }
        var pending: [(uid: SampleUID, rowid: Int64)] = [], either: [SampleUID] = [], current = 0, superseded = 0
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && uids[order[end]] == uids[order[start]] { end += 1 }
            let rows = order[start..<end], latest = order[end - 1]
            let hasOld = rows.contains { kinds[$0] == 1 }
            if hasOld || rows.contains(where: { kinds[$0] == 2 }) { either.append(uids[latest]) }
            switch kinds[latest] {
            case 1: pending.append((uids[latest], rowids[latest]))
            case 2: current += 1
            default: if hasOld { superseded += 1 }
            }
            start = end
        }
        return (pending, current, superseded, either)
    }

    /// Copies each source row with its new data version and the new versions, user columns
    /// kept, in the order the sources were written, and records `event`, all in one transaction.
    private func appendReconciled(table: String, sources: [(rowid: Int64, text: Range<Int>)], text: [UInt8], featureVersion: String,
                                  snapshotVersion: String, event: MigrationEvent?, phase: String, progress: WorkProgress) throws {
        let quoted = SQLiteDatabase.quote(table)
        let user = try existingColumns(table).filter { !Self.systemColumnNames.contains($0) }.map(SQLiteDatabase.quote)
        let staging = "temp.\"metaxy-tui:reconcile\""
        try db.execute("BEGIN IMMEDIATE")
        do {
            // Another apply of the same migration may have finished this feature while this one
            // waited for the write lock: then nothing is written twice.
            if let event, try featureCompleted(event.migrationID, event.featureKey) { throw AlreadyReconciled() }
            // A feature with nothing to copy (no table yet, every sample current) only records its event.
            guard !sources.isEmpty else {
                if let event { try record(event) }
                return try db.execute("COMMIT")
            }
            try db.execute("DROP TABLE IF EXISTS \(staging); CREATE TABLE \(staging) (source INTEGER PRIMARY KEY, data_version TEXT)")
            let insert = try db.prepare("INSERT INTO \(staging) VALUES (?, ?)")
            try text.withUnsafeBufferPointer { text in
                for (i, source) in sources.sorted(by: { $0.rowid < $1.rowid }).enumerated() {
                    if i & 0x3FFF == 0 { try progress.step(phase, i, of: sources.count) }
                    insert.bind(1, .integer(source.rowid))
                    insert.bind(2, borrowing: UnsafeBufferPointer(rebasing: text[source.text]))
                    try insert.step()
                }
            }
            // One statement copies the rows; the bar shows its time so far.
            try progress.step(phase.replacing("writing", with: "copying rows into"), 0, of: nil)
            let columns = (["sample_uid", "data_version"].map(SQLiteDatabase.quote) + user + ["\"feature_version\"", "\"snapshot_version\""])
            _ = try db.query("""
                INSERT INTO \(quoted) (\(columns.joined(separator: ", ")))
                SELECT t.sample_uid, r.data_version\(user.map { ", t.\($0)" }.joined()), ?, ?
                FROM \(staging) AS r JOIN \(quoted) AS t ON t.rowid = r.source ORDER BY r.source
                """, [.text(featureVersion), .text(snapshotVersion)])
            try db.execute("DROP TABLE \(staging)")
            if let event { try record(event) }
            try progress.step(phase, sources.count, of: sources.count)
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    static let systemColumnNames: Set<String> = ["sample_uid", "data_version", "feature_version", "snapshot_version"]
}

/// The feature was finished by another apply of the same migration meanwhile.
struct AlreadyReconciled: Error {}

extension SortedRows {
    /// Whether the list has a row for `uid`.
    func contains(_ uid: SampleUID) -> Bool { uids.sortedContains(uid) }

    /// How many samples that every list has (the upstream join) pass `counted`; 0 for no lists.
    static func joinedCount(_ lists: [SortedRows], where counted: (SampleUID) -> Bool) -> Int {
        guard let first = lists.first else { return 0 }
        return first.uids.reduce(0) { n, uid in n + (lists.dropFirst().allSatisfy { $0.contains(uid) } && counted(uid) ? 1 : 0) }
    }
}

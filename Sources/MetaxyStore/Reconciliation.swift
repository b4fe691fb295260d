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
        let old = try latestRowids(table, featureVersion: fromVersion)
        let recipe = DataVersionRecipe(graph: graph, feature: f)
        let lists = try sortedRows([(table, toVersion)] + recipe.upstreams.map { ($0.tableName, nil) })
        let atNew = lists[0], upstream = Array(lists.dropFirst())
        let pending = old.uids.indices.filter { !atNew.contains(old.uids[$0]) }
        try progress.step("computing \(key)", 0, of: nil)
        let computed = UpstreamVersions(uids: pending.map { old.uids[$0] }, recipe: recipe, upstream: upstream, algorithm: algorithm)
        let written = computed.ranges.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        let notStored = SortedRows.joinedCount(upstream) { !old.uids.sortedContains($0) && !atNew.contains($0) }
        let result = Reconciliation(key: key, rewritten: written, current: old.count - pending.count, notStored: notStored,
                                    upstreamMissing: pending.count - written)
        guard !dryRun else { return result }
        try appendReconciled(table: table, sources: pending.indices.compactMap { k in computed.ranges[k].map { (old.rowids[pending[k]], $0) } },
                             text: computed.text, featureVersion: toVersion, snapshotVersion: graph.snapshotVersion,
                             event: event.map { MigrationEvent(migrationID: $0.migrationID, kind: $0.kind, timestamp: Self.timestamp(),
                                                               featureKey: $0.featureKey, rowsAffected: written) },
                             phase: "writing \(key)", progress: progress)
        return result
    }

    /// The latest row of each sample at a feature version: its rowid, sorted by sample_uid.
    private func latestRowids(_ table: String, featureVersion: String) throws -> (uids: [SampleUID], rowids: [Int64], count: Int) {
        guard try hasTable(table) else { return ([], [], 0) }
        var uids: [SampleUID] = [], rowids: [Int64] = []
        try db.forEachRow("SELECT sample_uid, rowid FROM \(SQLiteDatabase.quote(table)) WHERE feature_version = ? ORDER BY rowid",
                          [.text(featureVersion)]) { row in
            guard !row.isNull(0) else { throw StoreError(file: path, "table \(table) has a row without a sample_uid") }
            uids.append(row.isInteger(0) ? .int(row.integer(0)) : .string(String(decoding: row.text(0), as: UTF8.self)))
            rowids.append(row.integer(1))
        }
        if !zip(uids, uids.dropFirst()).allSatisfy({ $0 < $1 }) {
            let order = uids.indices.sorted { uids[$0] < uids[$1] || (uids[$0] == uids[$1] && $0 < $1) }
            let latest = order.indices.filter { $0 + 1 == order.count || uids[order[$0 + 1]] != uids[order[$0]] }.map { order[$0] }
            (uids, rowids) = (latest.map { uids[$0] }, latest.map { rowids[$0] })
        }
        return (uids, rowids, uids.count)
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

extension SortedRows {
    /// Whether the list has a row for `uid`.
    func contains(_ uid: SampleUID) -> Bool { uids.sortedContains(uid) }

    /// How many samples that every list has (the upstream join) pass `counted`; 0 for no lists.
    static func joinedCount(_ lists: [SortedRows], where counted: (SampleUID) -> Bool) -> Int {
        guard let first = lists.first else { return 0 }
        return first.uids.reduce(0) { n, uid in n + (lists.dropFirst().allSatisfy { $0.contains(uid) } && counted(uid) ? 1 : 0) }
    }
}

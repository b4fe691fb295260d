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
        let sources = stored.pending.indices.compactMap { k in computed.ranges[k].map { (order: stored.pending[k].order, text: $0) } }
        try backend.appendReconciled(table, sources: sources.sorted { $0.order < $1.order },
                             text: computed.text, featureVersion: toVersion, snapshotVersion: graph.snapshotVersion,
                             event: event.map { MigrationEvent(migrationID: $0.migrationID, kind: $0.kind, timestamp: Self.timestamp(),
                                                               featureKey: $0.featureKey, rowsAffected: written) },
                             phase: "writing \(key)", progress: progress)
        return result
    }

    /// Each sample's latest row, any version, in one pass in write order: the samples whose
    /// latest row is at the old version (to reconcile, with that row's write order, sorted by
    /// sample_uid), how many are at the new one, how many have an old row outdone by a row at a
    /// third version (reconciling the old row would hide that newer one), and every sample with
    /// a row at either version, sorted.
    private func latestRows(_ table: String, old: String, new: String) throws
        -> (pending: [(uid: SampleUID, order: Int64)], current: Int, superseded: Int, either: [SampleUID])
    {
        var uids: [SampleUID] = [], rowids: [Int64] = [], kinds: [UInt8] = []
        try Self.scanVersions(backend, table, old: old, new: new, file: path) { uid, order, kind in
            uids.append(uid)
            rowids.append(order)
            kinds.append(kind)
        }
        // Rows of one sample together, in write order; samples written in order need no sort.
        let order = zip(uids, uids.dropFirst()).allSatisfy({ $0 < $1 }) ? Array(uids.indices)
            : uids.indices.sorted { uids[$0] < uids[$1] || (uids[$0] == uids[$1] && $0 < $1) }
        var pending: [(uid: SampleUID, order: Int64)] = [], either: [SampleUID] = [], current = 0, superseded = 0
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

    /// Each row's sample, write order, and whether it is at the old version (1), the new (2) or another (0).
    private static func scanVersions<B: StoreBackend>(_ backend: B, _ table: String, old: String, new: String, file: String,
                                                      _ body: (SampleUID, Int64, UInt8) -> Void) throws {
        try backend.scan(table, [.sampleUID, .order, .isAt(old), .isAt(new)]) { row in
            guard let uid = row.sampleUID(0) else { throw StoreError(file: file, "table \(table) has a row without a sample_uid") }
            body(uid, row.integer(1), row.integer(2) != 0 ? 1 : row.integer(3) != 0 ? 2 : 0)
        }
    }

    static let systemColumnNames: Set<String> = ["sample_uid", "data_version", "feature_version", "snapshot_version"]
}

/// The feature was finished by another apply of the same migration meanwhile.
struct AlreadyReconciled: Error {}

extension SortedRows {
    /// How many samples that every list has (the upstream join) pass `counted`; 0 for no lists.
    static func joinedCount(_ lists: [SortedRows], where counted: (SampleUID) -> Bool) -> Int {
        guard let first = lists.first else { return 0 }
        return (0..<first.count).reduce(0) { n, i in
            let uid = first.uid(i)
            return n + (lists.dropFirst().allSatisfy { $0.contains(uid) } && counted(uid) ? 1 : 0)
        }
    }
}

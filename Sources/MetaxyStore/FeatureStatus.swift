import MetaxyCore

extension MetaxyStore {
    /// The stale set of each feature (or of one), sorted by key: targets computed from the latest
    /// upstream rows, joined on sample_uid, against the rows stored at the current feature version.
    /// With `cache`, what the last status computed is read from there and only what changed
    /// since is read from the store (`IncrementalStatus.swift`); the answer is the same.
    public func status(graph: FeatureGraph, feature: FeatureKey? = nil, algorithm: HashAlgorithm? = nil,
                       progress: WorkProgress = .none, cache: StaleCacheLocation? = nil) throws -> [FeatureStatus] {
        if let project {
            let statuses = try project.status(graph: project.graph(for: graph), features: feature.map { [$0.string] },
                                              algorithm: algorithm ?? detectAlgorithm(graph), progress: progress)
            return statuses.map(\.featureStatus).sorted { codePointLess($0.key.string, $1.key.string) }
        }
        try refuseProjectGraph(graph)
        let features = try feature.map { [try featureIndex($0, in: graph)] }
            ?? (0..<graph.count).sorted { codePointLess(graph.key($0).string, graph.key($1).string) }
        let hash = try algorithm ?? detectAlgorithm(graph)
        if let cache, Self.cachesStaleSets(path) { return try statusWithCache(features, graph: graph, algorithm: hash, progress: progress, cache: cache) }
        return try backend.readConsistently {
            try features.enumerated().map { i, f throws in
                try progress.step("stale sets", i, of: features.count, unit: "features", item: graph.key(f).string)
                return try coldStatus(f, graph: graph, algorithm: hash, keep: false).status
            }
        }
    }

    /// One feature's stale set from all its rows, and with `keep` what the cache keeps of it.
    func coldStatus(_ f: Int, graph: FeatureGraph, algorithm hash: HashAlgorithm, keep: Bool) throws -> (status: FeatureStatus, state: FeatureState?) {
        let key = graph.key(f), version = graph.featureVersion(f)
        guard !graph.isRoot(f) else {
            let scan = try rowScan(key, featureVersion: version)
            let status = FeatureStatus(key: key, featureVersion: version, root: true, storedRows: scan.stored,
                                       currentRows: scan.current.count, added: [], changed: [], removed: [])
            let stored = Keyed(uids: scan.current, prints: [UInt64](repeating: 0, count: scan.current.count))
            return (status, keep ? FeatureState(signature: "", root: true, storedRows: scan.stored, prints: Fingerprints(stored: stored)) : nil)
        }
        let recipe = DataVersionRecipe(graph: graph, feature: f)
        var lists = try sortedRows(recipe.upstreams.map { ($0.tableName, nil) } + [(key.tableName, version)])
        let (scanned, currentRows) = (lists.last!.scanned, lists.last!.count)
        let (diff, kept) = StaleMerge(recipe: recipe, algorithm: hash).diff(&lists, keep: keep)
        let status = FeatureStatus(key: key, featureVersion: version, root: false, storedRows: scanned,
                                   currentRows: currentRows, added: diff.added, changed: diff.changed, removed: diff.removed)
        return (status, kept.map { FeatureState(signature: "", root: false, storedRows: scanned, prints: $0) })
    }

    /// The latest rows of each table (empty for a table not there yet), at a feature version or any.
    func sortedRows(_ tables: [(name: String, featureVersion: String?)]) throws -> [SortedRows] {
        try backend.sortedRows(tables)
    }

    /// Rows stored for a feature, distinct samples stored at `featureVersion`, and the rows of
    /// each feature version present (most rows first), in one scan without data versions.
    public func rowCounts(_ key: FeatureKey, featureVersion: String) throws
        -> (stored: Int, current: Int, versions: [(version: String, rows: Int)])
    {
        if let counts = try onProject({ try $0.rowCounts(key, featureVersion: featureVersion) }) { return counts }
        let scan = try rowScan(key, featureVersion: featureVersion)
        return (scan.stored, scan.current.count, scan.versions)
    }

    /// `rowCounts` with the samples stored at `featureVersion`, sorted. Versions are counted in
    /// write order, where they come in long runs: GROUP BY and COUNT(DISTINCT) would each sort
    /// every row in a temporary b-tree first.
    func rowScan(_ key: FeatureKey, featureVersion: String) throws
        -> (stored: Int, current: [SampleUID], versions: [(version: String, rows: Int)])
    {
        try Self.rowScan(backend, key.tableName, featureVersion: featureVersion)
    }

    private static func rowScan<B: StoreBackend>(_ backend: B, _ table: String, featureVersion: String) throws
        -> (stored: Int, current: [SampleUID], versions: [(version: String, rows: Int)])
    {
        let wanted = Array(featureVersion.utf8)
        var counts: [(version: [UInt8], rows: Int)] = [], last = 0, stored = 0
        var current: [SampleUID] = []
        // Versions come in runs: each row is compared with its run's only.
        var lastIsWanted = false
        try backend.scan(table, [.sampleUID, .featureVersion]) { row in
            stored += 1
            if last >= counts.count || !row.text(1, is: counts[last].version) {
                if let seen = counts.firstIndex(where: { row.text(1, is: $0.version) }) {
                    last = seen
                } else {
                    counts.append((Array(row.text(1)), 0))
                    last = counts.count - 1
                }
                lastIsWanted = row.text(1, is: wanted)
            }
            counts[last].rows += 1
            if lastIsWanted, let uid = row.sampleUID(0) { current.append(uid) }
        }
        let versions = counts.map { (String(decoding: $0.version, as: UTF8.self), $0.rows) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : codePointLess($0.0, $1.0) }
        return (stored, distinctSorted(current), versions)
    }

    /// Rows come in write order: a long ascending run, then what was appended since. The run is
    /// kept as it is; only the rest is sorted, and merged into it.
    private static func distinctSorted(_ uids: [SampleUID]) -> [SampleUID] {
        var n = 1
        while n < uids.count && uids[n - 1] < uids[n] { n += 1 }
        guard n < uids.count else { return uids }
        let rest = uids[n...].sortedUnique()
        var merged: [SampleUID] = []
        merged.reserveCapacity(n + rest.count)
        var r = 0
        for uid in uids[..<n] {
            while r < rest.count && rest[r] < uid { merged.append(rest[r]); r += 1 }
            if r < rest.count && rest[r] == uid { r += 1 }
            merged.append(uid)
        }
        merged += rest[r...]
        return merged
    }

    /// Stored rows of a feature in write order, as the contract's JSON objects.
    public func samples(feature key: FeatureKey, limit: Int?, offset: Int) throws(StoreError) -> [JSONValue] {
        if let rows = try onProject({ try $0.samples(key, limit: limit, offset: offset) }) { return rows }
        guard try hasTable(key.tableName) else {
            let tables = try backend.featureTables().map { $0.replacing("__", with: "/") }
            throw StoreError(file: path, "has no rows for feature '\(key)'; features with rows: \(tables.joined(separator: ", "))")
        }
        let columns = try backend.columns(of: key.tableName)
        let rows = try backend.rows(key.tableName, columns: columns, .range(limit: limit, offset: offset))
        let first = ["sample_uid", "data_version", "feature_version", "snapshot_version"]
        let order = first.filter(columns.contains) + columns.filter { !first.contains($0) }
        return rows.map { row in
            .object(order.map { name in
                let value = row[1 + columns.firstIndex(of: name)!]
                if name == "data_version", let text = value.text, let parsed = JSONValue.parse(Array(text.utf8)) {
                    return (name, parsed)
                }
                return (name, value.jsonValue)
            })
        }
    }
}

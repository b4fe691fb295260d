import MetaxyCore

extension MetaxyStore {
    /// Appends rows to a feature's table in one transaction (metaxy's `write_metadata`), stamped
    /// with the graph's feature and snapshot versions. Root rows carry their data_version; other
    /// rows without one get it computed from the latest upstream rows. With `replace`, the
    /// feature's rows at its current feature version are dropped first. Any bad row, or a stop
    /// asked through `progress`, aborts it all.
    @discardableResult
    public func write(feature key: FeatureKey, graph: FeatureGraph, jsonl: [UInt8], source: String,
                      replace: Bool = false, algorithm: HashAlgorithm? = nil, progress: WorkProgress = .none) throws -> Int {
        try refuseProjectGraph(graph)
        let f = try featureIndex(key, in: graph)
        try backend.checkTableNames(graph)
        let fields = graph.specs[f].fields.map(\.key.string)
        try progress.step("reading \(source)", 0, of: nil)
        var batch = try SampleBatch.read(jsonl, source: source, feature: key, fields: fields)
        if let missing = batch.versions.firstIndex(where: { $0 == nil }) {
            guard !graph.isRoot(f) else {
                throw StoreError(file: "\(source):\(batch.lines[missing])", "\(key) is a root feature: its rows must carry data_version")
            }
            try progress.step("computing data versions from the upstream rows", 0, of: nil)
            try computeVersions(&batch, feature: f, graph: graph, algorithm: try algorithm ?? detectAlgorithm(graph), source: source)
        }
        try backend.append(batch, to: key.tableName, featureVersion: graph.featureVersion(f), snapshotVersion: graph.snapshotVersion,
                           replace: replace, phase: "writing \(key)", progress: progress)
        return batch.count
    }

    /// Data versions for the rows without one, from each sample's latest upstream rows.
    private func computeVersions(_ batch: inout SampleBatch, feature f: Int, graph: FeatureGraph, algorithm: HashAlgorithm,
                                 source: String) throws {
        let wanted = batch.versions.indices.filter { batch.versions[$0] == nil }
        let computed = try UpstreamVersions(self, uids: wanted.map { batch.uids[$0] }, feature: f, graph: graph, algorithm: algorithm)
        if let (k, upstream) = computed.firstMissing {
            let i = wanted[k]
            throw StoreError(file: "\(source):\(batch.lines[i])", "sample \(batch.uids[i]) has no row in upstream \(upstream); write \(upstream) first")
        }
        let offset = batch.text.count
        batch.text.append(contentsOf: computed.text)
        for (k, i) in wanted.enumerated() { batch.versions[i] = computed.ranges[k].map { ($0.lowerBound + offset)..<($0.upperBound + offset) } }
    }

    func featureIndex(_ key: FeatureKey, in graph: FeatureGraph) throws(StoreError) -> Int {
        guard let f = graph.index(of: key) else {
            let known = listed((0..<graph.count).map { graph.key($0).string }.sorted(), limit: 20)
            throw StoreError(file: path, "feature '\(key)' is not in the graph; features: \(known)")
        }
        return f
    }
}

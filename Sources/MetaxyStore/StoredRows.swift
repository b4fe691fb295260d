import MetaxyCore

extension MetaxyStore {
    /// One sample's rows in a feature's table, in write order (none when there is no table).
    func history(of key: FeatureKey, sample: SampleUID) throws(StoreError) -> [SampleRow] {
        try backend.history(key.tableName, sample).map { SampleRow(featureVersion: $0.featureVersion, dataVersion: Self.dataVersion($0.dataVersion)) }
    }

    /// A stored data_version struct (compact JSON text) as field → version.
    static func dataVersion(_ text: String?) -> [String: String] {
        text.flatMap(JSONValue.parseStringObject) ?? [:]
    }

    /// `--hash-algorithm` default (DESIGN §4): what stored non-root data versions reveal, else xxhash64.
    public func detectAlgorithm(_ graph: FeatureGraph) throws(StoreError) -> HashAlgorithm {
        if let found = try onProject({ try $0.hashAlgorithm($0.graph(for: graph)) }) { return found }
        for f in 0..<graph.count where !graph.isRoot(f) {
            let values = try backend.someDataVersions(graph.key(f).tableName, limit: 20).flatMap { Self.dataVersion($0).values }
            if let detected = HashAlgorithm.detect(from: values) { return detected }
        }
        return .xxhash64
    }
}

import MetaxyCore

/// Data versions of given samples under a feature's recipe, from each sample's latest upstream
/// rows, hashed on every core (each slice into a buffer of its own): the rows a write computes
/// and the rows a migration reconciles.
struct UpstreamVersions {
    /// The data_version texts, compact JSON in spec order, each within `text`.
    private(set) var text: [UInt8] = []
    /// Per sample asked: its range in `text`, or nil when an upstream has no row for it.
    private(set) var ranges: [Range<Int>?] = []
    /// The first sample asked that some upstream lacks, with that upstream.
    private(set) var firstMissing: (index: Int, upstream: FeatureKey)?

    init(_ store: MetaxyStore, uids: [SampleUID], feature f: Int, graph: FeatureGraph, algorithm: HashAlgorithm) throws {
        let recipe = DataVersionRecipe(graph: graph, feature: f)
        self.init(uids: uids, recipe: recipe, upstream: try store.sortedRows(recipe.upstreams.map { ($0.tableName, nil) }), algorithm: algorithm)
    }

    /// With the upstreams' latest rows already read, in the recipe's upstream order. A field value
    /// an upstream row lacks is hashed as `missingValue`: `""` when rows are written, `null` where a
    /// status compares (as metaxy does each).
    init(uids: [SampleUID], recipe: DataVersionRecipe, upstream: [SortedRows], algorithm: HashAlgorithm,
         missingValue: StaticString = "\"\"") {
        let merge = StaleMerge(recipe: recipe, algorithm: algorithm)
        let slices = uids.count >= 20_000 ? Parallel.cores : 1
        let pieces = Parallel.map(0..<slices) { p in
            SortedRows.withViews(upstream) { views in
                var positions = [Int](repeating: 0, count: upstream.count), input: [UInt8] = [], text: [UInt8] = []
                var ranges: [Range<Int>?] = [], missing: (Int, Int)?
                samples: for i in (p * uids.count / slices)..<((p + 1) * uids.count / slices) {
                    for (u, view) in views.enumerated() {
                        guard let position = view.find(uids[i]) else {
                            if missing == nil { missing = (i, u) }
                            ranges.append(nil)
                            continue samples
                        }
                        positions[u] = position
                    }
                    let start = text.count
                    merge.appendDataVersion(views, positions: positions, missing: missingValue, input: &input, to: &text)
                    ranges.append(start..<text.count)
                }
                return (text: text, ranges: ranges, missing: missing)
            }
        }
        ranges.reserveCapacity(uids.count)
        for piece in pieces {
            let offset = text.count
            text.append(contentsOf: piece.text)
            ranges.append(contentsOf: piece.ranges.map { $0.map { ($0.lowerBound + offset)..<($0.upperBound + offset) } })
            if firstMissing == nil, let (i, u) = piece.missing { firstMissing = (i, recipe.upstreams[u]) }
        }
    }
}

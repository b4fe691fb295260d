import MetaxyCore

extension MetaxyStore {
    public func explain(feature key: FeatureKey, sample: SampleUID, graph: FeatureGraph, algorithm: HashAlgorithm? = nil) throws -> SampleExplanation {
        if let project {
            return try project.explain(key, sample: sample, graph: project.graph(for: graph), algorithm: algorithm ?? detectAlgorithm(graph))
        }
        try refuseProjectGraph(graph)
        let f = try featureIndex(key, in: graph)
        let hash = try algorithm ?? detectAlgorithm(graph)
        let recipe = DataVersionRecipe(graph: graph, feature: f)
        var rows: [FeatureKey: [SampleRow]] = [:]
        for k in [key] + recipe.upstreams { rows[k] = try history(of: k, sample: sample) }
        let explanation = SampleExplanation(graph: graph, feature: f, uid: sample, algorithm: hash) { rows[$0] ?? [] }
        if !explanation.storedAtCurrentVersion && (graph.isRoot(f) || !explanation.inEveryUpstream) {
            let missing = recipe.upstreams.filter { rows[$0]?.isEmpty ?? true }.map(\.string).joined(separator: ", ")
            throw StoreError(file: path, "sample \(sample) is not stored for \(key)"
                + (graph.isRoot(f) ? "" : " and is not in every upstream, so not one of its targets (no row in \(missing))")
                + "; list samples with `metaxy-tui store samples \(path) \(key)`")
        }
        return explanation
    }

    /// One sample in every feature of the graph, each table read once by sample_uid.
    public func lookup(sample: SampleUID, graph: FeatureGraph, algorithm: HashAlgorithm? = nil) throws -> SampleLookup {
        if project != nil {
            throw StoreError(file: path, "is a metaxy 0.1.x store: look a sample up feature by feature there (`store explain`)")
        }
        try refuseProjectGraph(graph)
        let hash = try algorithm ?? detectAlgorithm(graph)
        var rows: [FeatureKey: [SampleRow]] = [:]
        for f in 0..<graph.count { rows[graph.key(f)] = try history(of: graph.key(f), sample: sample) }
        return SampleLookup(graph: graph, uid: sample, algorithm: hash, rows: rows)
    }
}

extension SampleExplanation {
    /// For people: a verdict, then per field stored → expected and the recipe.
    public var text: String {
        let stale = fields.filter(\.isStale)
        var out = ["\(feature) sample \(uid): " + (!storedAtCurrentVersion ? "not stored at the current feature version (\(projectWords ? "new" : "added"))"
            : !inEveryUpstream ? "stored, but no longer in every upstream (\(projectWords ? "orphaned" : "removed"))"
            : stale.isEmpty ? "up to date" : "stale (" + stale.map(\.key).joined(separator: ", ") + " changed)")]
        for field in fields {
            out.append("")
            out.append("\(field.isStale ? "!" : " ") \(field.key)  (code_version \(field.codeVersion))")
            out.append("    stored    \(field.stored ?? "—")")
            out.append("    expected  \(field.expected ?? "— (an upstream row is missing)")")
            out.append("    recipe    " + ([field.key, field.codeVersion] + field.inputs.flatMap { [$0.label, $0.value ?? "∅"] })
                .joined(separator: "|"))
            for input in field.inputs where input.value == nil {
                out.append("    missing   no row for this sample in \(input.upstream)")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

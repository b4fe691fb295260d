import MetaxyCore

extension MetaxyStore {
    public func explain(feature key: FeatureKey, sample: SampleUID, graph: FeatureGraph, algorithm: HashAlgorithm? = nil) throws -> SampleExplanation {
        let f = try featureIndex(key, in: graph)
        let hash = try algorithm ?? detectAlgorithm(graph)
        let current = try latestDataVersions(of: key, sample: sample, featureVersion: graph.featureVersion(f)).first
        let recipe = DataVersionRecipe(graph: graph, feature: f)
        var upstream: [FeatureKey: [String: String]] = [:], previous: [FeatureKey: [String: String]] = [:]
        for u in recipe.upstreams {
            let rows = try latestDataVersions(of: u, sample: sample, limit: 2)
            upstream[u] = rows.first
            previous[u] = rows.dropFirst().first
        }
        let fields = recipe.fields.map { field in
            let inputs = field.inputs.map {
                SampleExplanation.Input(label: $0.label, upstream: $0.upstream, value: upstream[$0.upstream]?[$0.field.string],
                                        previous: previous[$0.upstream]?[$0.field.string])
            }
            // Not in every upstream (also one no field reads): not in metaxy's join, no expected version.
            let joined = recipe.upstreams.allSatisfy { upstream[$0] != nil }
            let expected = graph.isRoot(f) ? current?[field.key.string]
                : joined ? DataVersionRecipe.hashInput(field) { upstream[$0.upstream]?[$0.field.string] }.map(hash.digest) : nil
            return SampleExplanation.Field(key: field.key.string, codeVersion: field.codeVersion,
                                           stored: current?[field.key.string], expected: expected, inputs: inputs)
        }
        if current == nil && (graph.isRoot(f) || fields.allSatisfy { $0.expected == nil }) {
            let missing = recipe.upstreams.filter { upstream[$0] == nil }.map(\.string).joined(separator: ", ")
            throw StoreError(file: path, "sample \(sample) is not stored for \(key)"
                + (graph.isRoot(f) ? "" : " and is not in every upstream, so not one of its targets (no row in \(missing))")
                + "; list samples with `metaxy-tui store samples \(path) \(key)`")
        }
        return SampleExplanation(feature: key, uid: sample, storedAtCurrentVersion: current != nil, fields: fields)
    }
}

extension SampleExplanation {
    /// For people: a verdict, then per field stored → expected and the recipe.
    public var text: String {
        let stale = fields.filter(\.isStale)
        var out = ["\(feature) sample \(uid): " + (!storedAtCurrentVersion ? "not stored at the current feature version (added)"
            : stale.isEmpty ? "up to date" : "stale (" + stale.map(\.key).joined(separator: ", ") + " changed)")]
        for field in fields {
            out.append("")
            out.append("\(field.isStale ? "!" : " ") \(field.key)  (code_version \(field.codeVersion))")
            out.append("    stored    \(field.stored ?? "—")")
            out.append("    expected  \(field.expected ?? "— (an upstream row is missing)")")
            out.append("    recipe    " + ([field.key, String(field.codeVersion)] + field.inputs.flatMap { [$0.label, $0.value ?? "∅"] })
                .joined(separator: "|"))
            for input in field.inputs where input.value == nil {
                out.append("    missing   no row for this sample in \(input.label.split(separator: "/").dropLast().joined(separator: "/"))")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

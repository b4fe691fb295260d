extension ProjectGraph {
    /// The graph the screens and commands show for a metaxy 0.1.x project: its features and
    /// FeatureDeps, each field's resolved parents written out as explicit field deps, and 0.1.x's
    /// own versions at `truncation` (the project version as the snapshot version).
    public func featureGraph(truncation: Int, source: String) throws(GraphError) -> FeatureGraph {
        let specs = features.map { feature in
            let deps = feature.deps.map { dep in
                FeatureDep(key: FeatureKey(string: dep.feature), columns: dep.select,
                           rename: dep.rename.isEmpty ? nil : dep.rename.sorted { $0.key < $1.key }.map { FeatureDep.Rename(from: $0.key, to: $0.value) })
            }
            let fields = feature.fields.map { field in
                // Parents are "feature/key.field/key": keys never hold a dot.
                var byFeature: [(FeatureKey, [FieldKey])] = []
                for parent in field.parents {
                    let split = parent.split(separator: ".", maxSplits: 1).map(String.init)
                    let key = FeatureKey(string: split[0]), fieldKey = FieldKey(string: split.count > 1 ? split[1] : "")
                    if let i = byFeature.firstIndex(where: { $0.0 == key }) { byFeature[i].1.append(fieldKey) } else { byFeature.append((key, [fieldKey])) }
                }
                return FieldSpec(key: FieldKey(string: field.key), codeVersion: Int(field.codeVersion) ?? 0,
                                 deps: .only(byFeature.map { FieldDep(featureKey: $0.0, fields: .only($0.1)) }), codeText: field.codeVersion)
            }
            return FeatureSpec(key: FeatureKey(feature.keyParts), deps: deps.isEmpty ? nil : deps, fields: fields)
        }
        return try FeatureGraph(specs: specs, source: source, project: self, truncation: truncation)
    }
}

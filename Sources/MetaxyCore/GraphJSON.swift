/// JSON forms of a graph: the versions contract (DESIGN §4) and the full render.
public enum GraphJSON {
    /// `{"snapshot_version", "features": {KEY: {"feature_version", "fields": {FIELD: V}}}}`, keys
    /// sorted; a metaxy 0.1.x graph has `project_version` instead of `snapshot_version`.
    public static func versions(_ graph: FeatureGraph) -> JSONValue {
        let features = graph.specs.indices.sorted { codePointLess(graph.key($0).string, graph.key($1).string) }
        return .object([
            (graph.hasProjectVersions ? "project_version" : "snapshot_version", .string(graph.snapshotVersion)),
            ("features", .object(features.map { f in
                let fields = graph.specs[f].fields.indices.sorted {
                    codePointLess(graph.specs[f].fields[$0].key.string, graph.specs[f].fields[$1].key.string)
                }
                return (graph.key(f).string, .object([
                    ("feature_version", .string(graph.featureVersion(f))),
                    ("fields", .object(fields.map { (graph.specs[f].fields[$0].key.string, .string(graph.fieldVersion(f, $0))) })),
                ]))
            })),
        ])
    }

    /// Every shown feature in topological order with its deps, fields, parents and full versions.
    public static func render(_ graph: FeatureGraph, options: RenderOptions = .init()) throws(GraphError) -> JSONValue {
        let selection = try RenderSelection(graph: graph, options: options)
        return .object([
            ("snapshot_version", .string(graph.snapshotVersion)),
            ("features", .array(selection.ordered.map { f in
                let spec = graph.specs[f]
                return .object([
                    ("key", .string(spec.key.string)),
                    ("feature_version", .string(graph.featureVersion(f))),
                    ("root", .bool(graph.isRoot(f))),
                    ("deps", .array(graph.upstream[f].map { .string(graph.key($0).string) })),
                    ("fields", .array(spec.fields.enumerated().map { k, field in
                        .object([
                            ("key", .string(field.key.string)),
                            ("code_version", field.codeText.map(JSONValue.string) ?? .int(field.codeVersion)),
                            ("version", .string(graph.fieldVersion(f, k))),
                            ("parents", .array(graph.parents(of: FieldRef(feature: f, field: k)).map { .string(graph.fqString($0)) })),
                        ])
                    })),
                ])
            })),
            ("edges", .array(selection.edges.map {
                .object([("from", .string(graph.key($0.from).string)), ("to", .string(graph.key($0.to).string))])
            })),
        ])
    }
}

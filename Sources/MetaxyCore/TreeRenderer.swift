/// The `--format text` graph: metaxy's terminal tree (`graph render -t graph`), in topological order.
public enum TreeRenderer {
    public static func render(_ graph: FeatureGraph, options: RenderOptions = .init()) throws(GraphError) -> String {
        let selection = try RenderSelection(graph: graph, options: options)
        let features = selection.ordered.map { f -> TextTree in
            let spec = graph.specs[f]
            var branches: [TextTree] = []
            if !spec.fields.isEmpty {
                branches.append(TextTree("🔧 fields", spec.fields.enumerated().map { k, field in
                    TextTree("\(field.key) (v: \(options.hash(graph.fieldVersion(f, k))))")
                }))
            }
            if !graph.upstream[f].isEmpty {
                branches.append(TextTree("⬅️  depends on", graph.upstream[f].map { TextTree(graph.key($0).string) }))
            }
            return TextTree("\(spec.key) (v: \(options.hash(graph.featureVersion(f))))", branches)
        }
        let root = TextTree("📊 Graph (snapshot: \(options.hash(graph.snapshotVersion)))", features)
        return root.lines().joined(separator: "\n") + "\n"
    }
}

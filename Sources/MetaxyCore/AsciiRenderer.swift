/// `graph render --format ascii`: the DAG screen's layered drawing as plain text, one box per
/// feature with its key and version.
public enum AsciiRenderer {
    public static func render(_ graph: FeatureGraph, options: RenderOptions = .init()) throws(GraphError) -> String {
        let selection = try RenderSelection(graph: graph, options: options)
        let layout = DagLayout(graph: graph, features: selection.ordered) { f in
            [graph.key(f).string, "v: " + options.hash(graph.featureVersion(f))]
        }
        return layout.text()
    }
}

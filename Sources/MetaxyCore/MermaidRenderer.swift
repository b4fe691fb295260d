/// A mermaid flowchart shaped exactly like metaxy 0.0.0's `graph render --format mermaid -o FILE`.
public enum MermaidRenderer {
    public static func render(_ graph: FeatureGraph, options: RenderOptions = .init()) throws(GraphError) -> String {
        let selection = try RenderSelection(graph: graph, options: options)
        var lines = [
            "---", "title: Feature Graph", "---", "flowchart TB",
            "    %% Snapshot version: \(options.hash(graph.snapshotVersion))",
            "    %%{init: {'flowchart': {'htmlLabels': true, 'curve': 'basis'}, 'themeVariables': {'fontSize': '14px'}}}%%",
        ]
        for f in selection.ordered {
            let spec = graph.specs[f]
            var label = ["<b>\(spec.key)</b>", "<small>(v: \(options.hash(graph.featureVersion(f))))</small>"]
            if !spec.fields.isEmpty {
                label.append("<font color=\"#999\">---</font>")
                for (k, field) in spec.fields.enumerated() {
                    label.append("• \(field.key) <small>(v: \(options.hash(graph.fieldVersion(f, k))))</small>")
                }
            }
            lines.append("\t\(nodeID(spec.key))[\"<div style=\"text-align:left\">\(label.joined(separator: "<br/>"))</div>\"]")
        }
        for edge in selection.edges {
            lines.append("\t\(nodeID(graph.key(edge.from))) --> \(nodeID(graph.key(edge.to)))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// metaxy's `sanitize_mermaid_id(key).lower()`.
    static func nodeID(_ key: FeatureKey) -> String {
        key.string.replacing("/", with: "_").replacing("-", with: "_").replacing("__", with: "_").lowercased()
    }
}

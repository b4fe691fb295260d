/// Graphviz DOT shaped like metaxy 0.0.0's `graph render --format graphviz -o FILE`
/// (no trailing newline, as metaxy writes it), without metaxy's edges to features outside a focus.
public enum DotRenderer {
    static let featureColor = "#00FFFF"
    static let fieldColor = "#5F87AF"

    public static func render(_ graph: FeatureGraph, options: RenderOptions = .init()) throws(GraphError) -> String {
        let selection = try RenderSelection(graph: graph, options: options)
        var lines = [
            "strict digraph {", "    rankdir=TB;",
            "    label=\"Graph (snapshot: \(options.hash(graph.snapshotVersion)))\";",
            "    labelloc=t;", "    fontsize=14;", "    fontname=helvetica;", "",
        ]
        for f in selection.ordered {
            let key = quote(graph.key(f).string)
            let shape = graph.isRoot(f) ? "doubleoctagon" : "box"
            lines.append("    \"\(key)\" [label=\"\(key)\\nv: \(options.hash(graph.featureVersion(f)))\", "
                + "shape=\(shape), color=\"\(featureColor)\"];")
        }
        lines.append("")
        for edge in selection.edges {
            lines.append("    \"\(quote(graph.key(edge.from).string))\" -> \"\(quote(graph.key(edge.to).string))\";")
        }
        lines.append("")
        for f in selection.declared {
            let parent = quote(graph.key(f).string)
            for (k, field) in graph.specs[f].fields.enumerated() {
                let name = quote(field.key.string)
                lines.append("    \"\(parent)::\(name)\" [label=\"\(name)\\nv: \(options.hash(graph.fieldVersion(f, k)))\", "
                    + "shape=ellipse, color=\"\(fieldColor)\", fontsize=10];")
                lines.append("    \"\(parent)\" -> \"\(parent)::\(name)\" [style=dashed, arrowhead=none];")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    /// Escapes what would end a DOT string early; metaxy writes keys raw, which only matters for quotes.
    static func quote(_ text: String) -> String {
        text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
    }
}

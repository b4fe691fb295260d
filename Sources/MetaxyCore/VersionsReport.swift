/// `graph versions --format text`: the snapshot, then each feature and its fields with full
/// versions, in topological order, names padded so the hashes line up.
public enum VersionsReport {
    public static func text(_ graph: FeatureGraph) -> String {
        var rows: [(String, String)] = []
        for f in graph.topologicalOrder {
            rows.append((graph.key(f).string, graph.featureVersion(f)))
            for (k, field) in graph.specs[f].fields.enumerated() {
                rows.append(("  .\(field.key)", graph.fieldVersion(f, k)))
            }
        }
        let width = max(8, rows.map { displayWidth($0.0) }.max() ?? 0)
        func line(_ name: String, _ version: String) -> String {
            name + String(repeating: " ", count: width - displayWidth(name) + 2) + version
        }
        var out = [line(graph.hasProjectVersions ? "project" : "snapshot", graph.snapshotVersion)]
        if !rows.isEmpty { out.append("") }
        out += rows.map(line)
        return out.joined(separator: "\n") + "\n"
    }
}

import MetaxyCore
/// Edge crossings of graphviz dot's layout of a graph, to judge `DagLayout` against: the graph
/// given to dot (features and feature edges only), and the count read back from `dot -Tplain`.
/// Both layouts are counted the same way: between adjacent ranks, long edges cut at each rank
/// they pass, pairs of edges whose left-to-right order flips.
public enum LayoutQuality {
    /// The features as boxes of the same text as the DAG screen's, and the feature edges.
    public static func dotInput(_ graph: FeatureGraph) -> String {
        var lines = ["digraph G {", "  node [shape=box];"]
        for f in graph.topologicalOrder {
            lines.append("  \"\(graph.key(f).string)\" [label=\"\(graph.key(f).string)\\n\(graph.featureVersion(f).prefix(8))\"];")
        }
        for f in graph.topologicalOrder {
            for u in graph.upstream[f] { lines.append("  \"\(graph.key(u).string)\" -> \"\(graph.key(f).string)\";") }
        }
        return (lines + ["}"]).joined(separator: "\n") + "\n"
    }

    /// Crossings in `dot -Tplain` output; nil when it cannot be read.
    public static func crossings(inDotPlain plain: String) -> Int? {
        var nodes: [String: (x: Double, y: Double)] = [:]
        var edges: [[(x: Double, y: Double)]] = []
        for line in plain.split(separator: "\n") {
            let words = tokens(String(line))
            if words.first == "node", words.count > 4, let x = Double(words[2]), let y = Double(words[3]) { nodes[words[1]] = (x, y) }
            if words.first == "edge", words.count > 4, let n = Int(words[3]), words.count >= 4 + 2 * n,
               let tail = nodes[words[1]], let head = nodes[words[2]] {
                // The spline runs between the boxes' borders; from centre to centre it spans both ranks.
                let spline = (0..<n).compactMap { i -> (x: Double, y: Double)? in
                    guard let x = Double(words[4 + 2 * i]), let y = Double(words[5 + 2 * i]) else { return nil }
                    return (x, y)
                }
                edges.append([tail] + spline + [head])
            }
        }
        let ranks = Set(nodes.values.map { ($0.y * 100).rounded() / 100 }).sorted(by: >)
        guard ranks.count > 1 else { return 0 }
        var total = 0
        for r in 0..<(ranks.count - 1) {
            let upper = ranks[r], lower = ranks[r + 1]
            let segments = edges.compactMap { points -> (Double, Double)? in
                guard let a = x(at: upper, on: points), let b = x(at: lower, on: points) else { return nil }
                return (a, b)
            }
            for i in segments.indices {
                for j in segments.indices where j > i {
                    let (a, b) = (segments[i], segments[j])
                    if (a.0 - b.0) * (a.1 - b.1) < 0 { total += 1 }
                }
            }
        }
        return total
    }

    /// Where a polyline is at height `y`, if it spans it (dot's y grows upward).
    private static func x(at y: Double, on points: [(x: Double, y: Double)]) -> Double? {
        let tolerance = 0.01
        for (p, q) in zip(points, points.dropFirst()) {
            let (lo, hi) = (min(p.y, q.y) - tolerance, max(p.y, q.y) + tolerance)
            guard y >= lo, y <= hi else { continue }
            if abs(q.y - p.y) < 1e-9 { return p.x }
            let t = max(0, min(1, (y - p.y) / (q.y - p.y)))
            return p.x + t * (q.x - p.x)
        }
        return nil
    }

    /// Words of a plain line, keeping quoted names whole.
    private static func tokens(_ line: String) -> [String] {
        var out: [String] = [], current = "", quoted = false
        for c in line {
            if c == "\"" { quoted.toggle(); continue }
            if c == " ", !quoted {
                if !current.isEmpty { out.append(current) }
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}

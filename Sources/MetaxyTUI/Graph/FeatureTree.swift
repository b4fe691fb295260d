import MetaxyCore

/// The features grouped by key parts (`example/video` under `example`), built once per graph.
/// A feature whose key is also a prefix of others (`a` and `a/b`) is a node with children.
final class FeatureTree: Sendable {
    struct Node: Sendable {
        let name: String
        /// The `/`-joined key parts up to this node; collapse state is kept by it.
        let path: String
        let feature: Int?
        let children: [Int]
        /// Features in this node's subtree, itself included.
        let featureCount: Int
    }

    let nodes: [Node]
    /// Top-level nodes.
    let roots: [Int]

    /// Walks the keys in key-list order, so siblings arrive sorted and a node's parts are shared
    /// with the previous key's: only the parts that differ open new nodes (no lookups by path).
    init(graph: FeatureGraph) {
        var names: [String] = [], paths: [String] = [], features: [Int?] = [], children: [[Int]] = []
        var roots: [Int] = []
        var open: [(part: String, node: Int)] = []
        for f in graph.featuresInKeyOrder() {
            let parts = graph.key(f).parts
            var shared = 0
            while shared < min(open.count, parts.count), open[shared].part == parts[shared] { shared += 1 }
            open.removeLast(open.count - shared)
            for depth in shared..<parts.count {
                let node = names.count
                names.append(parts[depth])
                paths.append(depth == 0 ? parts[0] : paths[open[depth - 1].node] + "/" + parts[depth])
                features.append(nil)
                children.append([])
                if depth == 0 { roots.append(node) } else { children[open[depth - 1].node].append(node) }
                open.append((parts[depth], node))
            }
            features[open[parts.count - 1].node] = f
        }
        var counts = [Int](repeating: 0, count: names.count)
        // Children are created after their parents, so one backward pass sums subtrees.
        for n in stride(from: names.count - 1, through: 0, by: -1) {
            counts[n] = (features[n] == nil ? 0 : 1) + children[n].reduce(0) { $0 + counts[$1] }
        }
        nodes = names.indices.map {
            Node(name: names[$0], path: paths[$0], feature: features[$0], children: children[$0], featureCount: counts[$0])
        }
        self.roots = roots
    }
}

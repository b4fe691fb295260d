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

    init(graph: FeatureGraph) {
        // Sort keys part by part so `a/b` comes before `a-b/c` as it does in a file browser.
        let order = (0..<graph.count).sorted { FeatureKey.listLess(graph.key($0), graph.key($1)) }
        var builder = Builder()
        for f in order { builder.insert(parts: graph.key(f).parts, feature: f) }
        (nodes, roots) = builder.finish()
    }

    private struct Builder {
        var names: [String] = []
        var paths: [String] = []
        var features: [Int?] = []
        var children: [[Int]] = []
        var roots: [Int] = []
        var lookup: [String: Int] = [:]

        mutating func insert(parts: [String], feature: Int) {
            var parent: Int?
            var path = ""
            for (i, part) in parts.enumerated() {
                path = i == 0 ? part : path + "/" + part
                let node: Int
                if let existing = lookup[path] {
                    node = existing
                } else {
                    node = names.count
                    names.append(part)
                    paths.append(path)
                    features.append(nil)
                    children.append([])
                    lookup[path] = node
                    if let parent { children[parent].append(node) } else { roots.append(node) }
                }
                parent = node
            }
            if let parent { features[parent] = feature }
        }

        func finish() -> ([Node], [Int]) {
            var counts = [Int](repeating: 0, count: names.count)
            // Children are created after their parents, so one backward pass sums subtrees.
            for n in stride(from: names.count - 1, through: 0, by: -1) {
                counts[n] = (features[n] == nil ? 0 : 1) + children[n].reduce(0) { $0 + counts[$1] }
            }
            let nodes = names.indices.map {
                Node(name: names[$0], path: paths[$0], feature: features[$0], children: children[$0], featureCount: counts[$0])
            }
            return (nodes, roots)
        }
    }
}

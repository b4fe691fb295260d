import MetaxyCore

/// One line of the features pane.
struct FeatureRow: Equatable, Sendable {
    /// The feature shown, or nil for a key-part group without a feature of its own.
    let feature: Int?
    let depth: Int
    /// The key, or the group's `/`-joined key parts; collapse state and the selection are kept by it.
    let path: String
    /// What the row shows: a key part in the tree, the whole key in the flat list.
    let label: String
    /// For a tree node with children: whether they are shown; nil for a node without children.
    let expander: Bool?
    /// Fields of a feature; features under a group.
    let count: Int

    /// What identifies the row across rebuilds, even when a feature and a group share a path.
    var identity: String { feature == nil ? "group:" + path : path }
}

/// The rows of the features pane for a mode, a filter and the collapsed groups. Linear in the
/// number of features; rebuilt only when one of those changes, never per frame.
enum FeatureList {
    enum Mode: String, Sendable { case tree, flat }

    static func rows(graph: FeatureGraph, tree: FeatureTree, search: SearchIndex?, mode: Mode, filter: FeatureFilter,
                     collapsed: Set<String>) -> [FeatureRow] {
        let matching: [Bool]? = search.map { index in (0..<graph.count).map { filter.matches($0, in: index) } }
        switch mode {
        case .flat:
            return graph.topologicalOrder.compactMap { f in
                guard matching?[f] ?? true else { return nil }
                return FeatureRow(feature: f, depth: 0, path: graph.key(f).string, label: graph.key(f).string, expander: nil, count: graph.specs[f].fields.count)
            }
        case .tree:
            var rows: [FeatureRow] = []
            var visible: [Bool]?
            if let matching { visible = subtreeHasMatch(tree, matching) }
            func walk(_ n: Int, depth: Int) {
                let node = tree.nodes[n]
                if let visible, !visible[n] { return }
                // While filtering every group is open, so matches are never hidden.
                let expanded = visible != nil || !collapsed.contains(node.path)
                if let f = node.feature {
                    let hasChildren = !node.children.isEmpty
                    rows.append(FeatureRow(feature: f, depth: depth, path: node.path, label: node.name, expander: hasChildren ? expanded : nil, count: graph.specs[f].fields.count))
                } else {
                    rows.append(FeatureRow(feature: nil, depth: depth, path: node.path, label: node.name, expander: expanded, count: node.featureCount))
                }
                if expanded { for c in node.children { walk(c, depth: depth + 1) } }
            }
            for r in tree.roots { walk(r, depth: 0) }
            return rows
        }
    }

    private static func subtreeHasMatch(_ tree: FeatureTree, _ matching: [Bool]) -> [Bool] {
        var visible = [Bool](repeating: false, count: tree.nodes.count)
        for n in stride(from: tree.nodes.count - 1, through: 0, by: -1) {
            let node = tree.nodes[n]
            visible[n] = (node.feature.map { matching[$0] } ?? false) || node.children.contains { visible[$0] }
        }
        return visible
    }
}

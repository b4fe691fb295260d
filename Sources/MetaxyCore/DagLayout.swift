/// A layered (Sugiyama) drawing of a feature graph in character cells: layers by longest path,
/// dummy vertices on long edges, crossings reduced by median sweeps with transposition, x by
/// pulling each vertex toward its neighbours, and orthogonal edges routed through the gaps.
/// Roots are at the top; an edge leaves a box's bottom and enters the next box's top with ▼.
public struct DagLayout: Sendable {
    public struct Box: Sendable, Equatable {
        public let feature: Int
        public let x: Int, y: Int, width: Int, height: Int
        public let lines: [String]
    }

    /// An edge between two drawn features, from the dependency to the dependent.
    public struct Edge: Sendable, Equatable {
        public let from: Int, to: Int
    }

    public let boxes: [Box]
    public let edges: [Edge]
    public let width: Int
    public let height: Int
    /// Edge crossings between adjacent layers (long edges counted through their dummies).
    public let crossings: Int
    /// Box index of each drawn feature.
    public let boxOfFeature: [Int: Int]
    /// What the edges draw, cell by cell.
    public let edgeCells: EdgeCells

    /// Lays out `features` of `graph` (with the edges between them); `label` gives a box's lines.
    public init(graph: FeatureGraph, features: [Int], label: (Int) -> [String]) {
        let members = Set(features)
        let order = graph.topologicalOrder.filter(members.contains)
        var layerOf: [Int: Int] = [:]
        for f in order { layerOf[f] = (graph.upstream[f].filter(members.contains).map { layerOf[$0]! + 1 }.max()) ?? 0 }
        // Then each feature moves down next to its nearest dependent: a root read only far below
        // sits just above its reader instead of dragging a long edge across every layer.
        for f in order.reversed() {
            let below = graph.downstream[f].filter(members.contains).map { layerOf[$0]! - 1 }
            if let nearest = below.min(), nearest > layerOf[f]! { layerOf[f] = nearest }
        }
        var g = LayeredGraph()
        var vertexOf: [Int: Int] = [:]
        for f in order {
            let lines = label(f)
            vertexOf[f] = g.add(layer: layerOf[f]!, feature: f, width: (lines.map(Self.width).max() ?? 0) + 4, height: lines.count + 2)
        }
        var edges: [Edge] = []
        for f in order {
            for u in graph.upstream[f] where members.contains(u) {
                let e = Int32(edges.count)
                edges.append(Edge(from: u, to: f))
                var previous = vertexOf[u]!
                for layer in (layerOf[u]! + 1)..<layerOf[f]! {
                    let dummy = g.add(layer: layer, feature: nil, width: 1, height: 0)
                    g.link(previous, dummy, edge: e)
                    previous = dummy
                }
                g.link(previous, vertexOf[f]!, edge: e)
            }
        }
        g.order()
        crossings = g.totalCrossings()
        g.placeX()
        let (tops, heights) = g.placeY()
        var boxes: [Box] = []
        var boxOfFeature: [Int: Int] = [:]
        for v in g.vertices.indices {
            guard let f = g.vertices[v].feature else { continue }
            boxOfFeature[f] = boxes.count
            boxes.append(Box(feature: f, x: g.vertices[v].x, y: tops[g.vertices[v].layer], width: g.vertices[v].width,
                             height: g.vertices[v].height, lines: label(f)))
        }
        let width = g.vertices.map { $0.x + $0.width }.max() ?? 0
        let height = tops.isEmpty ? 0 : tops[tops.count - 1] + heights[heights.count - 1]
        self.boxes = boxes
        self.edges = edges
        self.boxOfFeature = boxOfFeature
        self.width = width
        self.height = height
        edgeCells = g.route(tops: tops, heights: heights, width: width, height: height)
    }

    static func width(_ text: String) -> Int { text.unicodeScalars.count }

    /// Box-drawing glyph for a cell's connection bits.
    public static func glyph(_ bits: UInt8) -> Character {
        if bits & 16 != 0 { return "▼" }
        switch bits & 15 {
        case 1, 2, 3: return "│"
        case 4, 8, 12: return "─"
        case 2 | 8: return "╭"
        case 2 | 4: return "╮"
        case 1 | 8: return "╰"
        case 1 | 4: return "╯"
        case 3 | 8: return "├"
        case 3 | 4: return "┤"
        case 12 | 2: return "┬"
        case 12 | 1: return "┴"
        default: return "┼"
        }
    }

    /// The drawing as text lines (trailing blanks trimmed): edges, then boxes over them.
    public func text() -> String {
        guard width > 0 else { return "" }
        var grid = [[Character]](repeating: [Character](repeating: " ", count: width), count: height)
        for (cell, bits) in edgeCells.bits.enumerated() where bits != 0 { grid[cell / width][cell % width] = Self.glyph(bits) }
        for box in boxes {
            for (dy, row) in Self.boxRows(box).enumerated() {
                for (dx, c) in row.enumerated() where box.x + dx < width { grid[box.y + dy][box.x + dx] = c }
            }
        }
        return grid.map { String(String($0).reversed().drop(while: { $0 == " " }).reversed()) }.joined(separator: "\n") + "\n"
    }

    /// A box as rows of characters: a rounded frame with the lines inside, padded.
    public static func boxRows(_ box: Box) -> [[Character]] {
        let inner = box.width - 2
        var rows: [[Character]] = [Array("╭" + String(repeating: "─", count: inner) + "╮")]
        for line in box.lines {
            let pad = max(0, inner - 1 - width(line))
            rows.append(Array(Array("│ " + line + String(repeating: " ", count: max(0, pad - 1)) + " │").prefix(box.width)))
        }
        rows.append(Array("╰" + String(repeating: "─", count: inner) + "╯"))
        return rows
    }
}

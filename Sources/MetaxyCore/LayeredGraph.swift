/// The working graph of a layered drawing: features and dummy vertices (one per layer a long
/// edge crosses), each with its layer, its place in the layer, and neighbours above and below.
struct LayeredGraph {
    struct Vertex {
        let layer: Int
        let feature: Int?
        let width: Int
        let height: Int
        var x = 0
        var up: [Int] = []
        var down: [Int] = []
        var upEdges: [Int32] = []
    }

    var vertices: [Vertex] = []
    /// Vertex indices of each layer, left to right.
    var layers: [[Int]] = []
    /// Each vertex's index in its layer.
    var position: [Int] = []

    mutating func add(layer: Int, feature: Int?, width: Int, height: Int) -> Int {
        while layers.count <= layer { layers.append([]) }
        vertices.append(Vertex(layer: layer, feature: feature, width: width, height: height))
        position.append(layers[layer].count)
        layers[layer].append(vertices.count - 1)
        return vertices.count - 1
    }

    mutating func link(_ upper: Int, _ lower: Int, edge: Int32) {
        vertices[upper].down.append(lower)
        vertices[lower].up.append(upper)
        vertices[lower].upEdges.append(edge)
    }

    // MARK: crossing reduction

    /// Median sweeps down and up with transposition, then sifting, from a few starting orders
    /// (depth-first from the roots, from the sinks, and as created); the best result wins. Big
    /// graphs get one start, to stay within the screen's budget.
    mutating func order(iterations: Int = 24) {
        guard layers.count > 1 else { return }
        let created = layers
        let big = vertices.count > 1500
        let starts = big ? 1 : 3
        var best = layers, bestCrossings = Int.max
        for start in 0..<starts {
            switch start {
            case 0: initialOrder(fromTop: true)
            case 1: initialOrder(fromTop: false)
            default: layers = created; renumber()
            }
            improve(iterations: big ? iterations / 2 : iterations)
            let c = totalCrossings()
            if c < bestCrossings {
                best = layers
                bestCrossings = c
            }
            if c == 0 { break }
        }
        layers = best
        renumber()
    }

    private mutating func improve(iterations: Int) {
        var best = layers, bestCrossings = totalCrossings()
        for i in 0..<iterations where bestCrossings > 0 {
            let downward = i % 2 == 0
            let sweep = downward ? Array(1..<layers.count) : Array((0..<layers.count - 1).reversed())
            for l in sweep { sortByMedian(layer: l, fixedAbove: downward) }
            transpose()
            let c = totalCrossings()
            if c < bestCrossings {
                best = layers
                bestCrossings = c
            }
        }
        layers = best
        renumber()
        // Sifting: each vertex tries every place in its layer and keeps the one with the fewest
        // crossings against both neighbouring layers; a few rounds, while it helps.
        for _ in 0..<4 {
            let before = totalCrossings()
            for l in layers.indices where layers[l].count > 1 { sift(layer: l) }
            if totalCrossings() >= before { break }
        }
    }

    private mutating func sift(layer l: Int) {
        for v in layers[l] {
            var others = layers[l]
            others.remove(at: position[v])
            // Cost with v first, then moving it right past each other vertex in turn.
            var cost = 0, best = 0, bestCost = 0
            for (i, u) in others.enumerated() {
                cost += pairCrossings(u, v) - pairCrossings(v, u)
                if cost < bestCost {
                    bestCost = cost
                    best = i + 1
                }
            }
            others.insert(v, at: best)
            layers[l] = others
            for (i, w) in others.enumerated() { position[w] = i }
        }
    }

    /// Layers filled in depth-first order from the roots (or from the sinks, upward), so
    /// connected vertices start close.
    private mutating func initialOrder(fromTop: Bool) {
        var seen = [Bool](repeating: false, count: vertices.count)
        var fresh = [[Int]](repeating: [], count: layers.count)
        func visit(_ v: Int) {
            seen[v] = true
            fresh[vertices[v].layer].append(v)
            for w in (fromTop ? vertices[v].down : vertices[v].up) where !seen[w] { visit(w) }
        }
        for layer in (fromTop ? layers : layers.reversed()) {
            for v in layer where !seen[v] && (fromTop ? vertices[v].up : vertices[v].down).isEmpty { visit(v) }
        }
        for layer in layers { for v in layer where !seen[v] { visit(v) } }
        layers = fresh
        renumber()
    }

    private mutating func renumber() {
        for layer in layers { for (i, v) in layer.enumerated() { position[v] = i } }
    }

    private mutating func sortByMedian(layer l: Int, fixedAbove: Bool) {
        let keyed = layers[l].enumerated().map { i, v -> (Double, Int, Int) in
            let neighbours = (fixedAbove ? vertices[v].up : vertices[v].down).map { position[$0] }.sorted()
            guard !neighbours.isEmpty else { return (Double(position[v]), i, v) }
            let m = neighbours.count / 2
            let median = neighbours.count % 2 == 1 ? Double(neighbours[m]) : Double(neighbours[m - 1] + neighbours[m]) / 2
            return (median, i, v)
        }
        layers[l] = keyed.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        for (i, v) in layers[l].enumerated() { position[v] = i }
    }

    /// Swaps neighbours in a layer while that lowers the crossings with both adjacent layers.
    private mutating func transpose() {
        var improved = true, rounds = 0
        while improved && rounds < 8 {
            improved = false
            rounds += 1
            for l in layers.indices where layers[l].count > 1 {
                for i in 0..<(layers[l].count - 1) {
                    let a = layers[l][i], b = layers[l][i + 1]
                    if pairCrossings(b, a) < pairCrossings(a, b) {
                        layers[l].swapAt(i, i + 1)
                        position[a] = i + 1
                        position[b] = i
                        improved = true
                    }
                }
            }
        }
    }

    /// Crossings between the edges of `left` and of `right` when `left` is placed first.
    private func pairCrossings(_ left: Int, _ right: Int) -> Int {
        inverted(vertices[left].up, vertices[right].up) + inverted(vertices[left].down, vertices[right].down)
    }

    private func inverted(_ a: [Int], _ b: [Int]) -> Int {
        var count = 0
        for x in a {
            let px = position[x]
            for y in b where px > position[y] { count += 1 }
        }
        return count
    }

    func totalCrossings() -> Int {
        var total = 0
        for l in 0..<max(0, layers.count - 1) {
            // Edges between layer l and l+1, ordered by upper end then lower end; the crossings
            // are the inversions of the lower ends.
            var ends: [(Int, Int)] = []
            for v in layers[l] { for w in vertices[v].down { ends.append((position[v], position[w])) } }
            ends.sort { $0 < $1 }
            var lower = ends.map(\.1)
            total += Self.inversions(&lower)
        }
        return total
    }

    private static func inversions(_ a: inout [Int]) -> Int {
        guard a.count > 1 else { return 0 }
        var left = Array(a[..<(a.count / 2)]), right = Array(a[(a.count / 2)...])
        var count = inversions(&left) + inversions(&right)
        var i = 0, j = 0, k = 0
        while i < left.count, j < right.count {
            if left[i] <= right[j] { a[k] = left[i]; i += 1 } else { a[k] = right[j]; j += 1; count += left.count - i }
            k += 1
        }
        while i < left.count { a[k] = left[i]; i += 1; k += 1 }
        while j < right.count { a[k] = right[j]; j += 1; k += 1 }
        return count
    }

    // MARK: coordinates

    /// The widest layer is packed left to right and stays put; every other layer is placed, in
    /// sweeps away from it, as close as it can to the mean centre of its neighbours on the side
    /// already placed, without reordering or overlapping.
    mutating func placeX(iterations: Int = 3) {
        let widths = layers.map { $0.reduce(0) { $0 + vertices[$1].width + gap($1) } }
        guard let anchor = widths.indices.max(by: { widths[$0] < widths[$1] }) else { return }
        var x = 0
        for v in layers[anchor] {
            vertices[v].x = x
            x += vertices[v].width + gap(v)
        }
        for _ in 0..<iterations {
            for l in (anchor + 1)..<max(anchor + 1, layers.count) { place(layer: l, useAbove: true) }
            for l in stride(from: anchor - 1, through: 0, by: -1) { place(layer: l, useAbove: false) }
        }
        let shift = vertices.map(\.x).min() ?? 0
        for v in vertices.indices { vertices[v].x -= shift }
    }

    private mutating func place(layer l: Int, useAbove: Bool) {
        let desired = layers[l].map { v -> Int in
            let ns = useAbove ? vertices[v].up : vertices[v].down
            guard !ns.isEmpty else { return vertices[v].x }
            let centre = ns.reduce(0) { $0 + vertices[$1].x * 2 + vertices[$1].width - 1 } / (2 * ns.count)
            return centre - (vertices[v].width - 1) / 2
        }
        // Left to right, no overlap; then right to left, back toward the desired places.
        var xs = desired
        for k in layers[l].indices.dropFirst() {
            let prev = layers[l][k - 1]
            xs[k] = max(xs[k], xs[k - 1] + vertices[prev].width + gap(prev))
        }
        for k in layers[l].indices.dropLast().reversed() {
            let v = layers[l][k]
            xs[k] = min(max(xs[k], desired[k]), xs[k + 1] - vertices[v].width - gap(v))
        }
        for (k, v) in layers[l].enumerated() { vertices[v].x = xs[k] }
    }

    private func gap(_ v: Int) -> Int { vertices[v].feature == nil ? 2 : 3 }

    /// Each layer's top row and height; three rows between layers carry the edges.
    func placeY() -> (tops: [Int], heights: [Int]) {
        var tops: [Int] = [], heights: [Int] = [], y = 0
        for layer in layers {
            let h = max(1, layer.map { vertices[$0].height }.max() ?? 1)
            tops.append(y)
            heights.append(h)
            y += h + 3
        }
        return (tops, heights)
    }

    // MARK: routing

    /// Each edge leaves its upper vertex's centre at the bottom, goes down to the middle gap
    /// row, across, and down into the lower vertex (▼ above a box). Edges sharing cells merge.
    func route(tops: [Int], heights: [Int], width: Int, height: Int) -> EdgeCells {
        var cells = EdgeCells(width: width, height: height)
        func vertical(_ x: Int, from y0: Int, to y1: Int, _ e: Int32) {
            guard y0 <= y1 else { return }
            // Always joined upward: it leaves a box, or continues the line above.
            for y in y0...y1 { cells.mark(x, y, 1 | (y < y1 ? 2 : 0), e) }
        }
        for vertex in vertices {
            for (k, upper) in vertex.up.enumerated() {
                let e = vertex.upEdges[k], u = vertices[upper]
                let sx = u.x + (u.width - 1) / 2, tx = vertex.x + (vertex.width - 1) / 2
                let gapTop = tops[u.layer] + heights[u.layer], channel = gapTop + 1, arrow = gapTop + 2
                // Down from the upper box (or through the whole layer for a dummy) to the channel.
                let start = u.feature == nil ? tops[u.layer] : tops[u.layer] + u.height
                vertical(sx, from: start, to: channel, e)
                if sx != tx {
                    for x in min(sx, tx)...max(sx, tx) {
                        cells.mark(x, channel, (x > min(sx, tx) ? 4 : 0) | (x < max(sx, tx) ? 8 : 0), e)
                    }
                }
                cells.mark(tx, channel, 2, e)
                // Into a dummy the line turns down and runs on through its layer; a box gets ▼.
                cells.mark(tx, arrow, vertex.feature == nil ? 1 | 2 : 16, e)
            }
        }
        return cells
    }
}

/// The edge cells of a drawing: connection bits per cell (up 1, down 2, left 4, right 8,
/// arrowhead 16) and which edges pass there, in flat arrays (most cells carry one edge).
public struct EdgeCells: Sendable {
    public let width: Int
    public private(set) var bits: [UInt8]
    private var first: [Int32]
    private var more: [Int: [Int32]] = [:]

    init(width: Int, height: Int) {
        self.width = width
        bits = [UInt8](repeating: 0, count: width * height)
        first = [Int32](repeating: -1, count: width * height)
    }

    mutating func mark(_ x: Int, _ y: Int, _ b: UInt8, _ e: Int32) {
        let i = y * width + x
        guard i >= 0, i < bits.count else { return }
        bits[i] |= b
        if first[i] == -1 || first[i] == e {
            first[i] = e
        } else if more[i]?.contains(e) != true {
            more[i, default: []].append(e)
        }
    }

    /// The edges drawn through cell `i` (`y * width + x`).
    public func edges(at i: Int) -> [Int32] {
        first[i] == -1 ? [] : [first[i]] + (more[i] ?? [])
    }
}

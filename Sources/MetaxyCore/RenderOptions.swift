/// What part of a graph to render and how long to show hashes, as metaxy's RenderConfig.
public struct RenderOptions: Sendable {
    /// Characters of each version to show; 0 shows the whole hash.
    public var hashLength: Int
    public var focus: FeatureKey?
    /// Dependency levels above the focus; nil for all.
    public var up: Int?
    /// Dependent levels below the focus; nil for all.
    public var down: Int?

    public init(hashLength: Int = 8, focus: FeatureKey? = nil, up: Int? = nil, down: Int? = nil) {
        self.hashLength = hashLength
        self.focus = focus
        self.up = up
        self.down = down
    }

    public func hash(_ version: String) -> String {
        hashLength <= 0 || hashLength >= version.count ? version : String(version.prefix(hashLength))
    }
}

/// The features a render shows: all, or the focus neighbourhood, in two orders metaxy uses.
struct RenderSelection {
    let graph: FeatureGraph
    let options: RenderOptions
    /// Topological order, for node lines.
    let ordered: [Int]
    /// Declaration order, for edge and field lines (metaxy's registration order).
    let declared: [Int]
    let included: Set<Int>

    init(graph: FeatureGraph, options: RenderOptions) throws(GraphError) {
        self.graph = graph
        self.options = options
        if let focus = options.focus {
            guard let f = graph.index(of: focus) else {
                throw GraphError([GraphProblem(
                    file: graph.source, location: .unknown,
                    message: "--feature '\(focus)' is not in the graph"
                        + GraphResolver.suggestion(for: focus.string, among: graph.specs.map(\.key.string)))])
            }
            included = graph.neighbourhood(of: f, up: options.up, down: options.down)
        } else {
            included = Set(graph.specs.indices)
        }
        ordered = graph.topologicalOrder.filter(included.contains)
        declared = graph.specs.indices.filter(included.contains)
    }

    /// Dependency edges between shown features, in declaration order.
    var edges: [(from: Int, to: Int)] {
        declared.flatMap { to in graph.upstream[to].filter(included.contains).map { (from: $0, to: to) } }
    }
}

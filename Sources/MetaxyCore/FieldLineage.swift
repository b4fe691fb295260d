/// What one field's version depends on and what depends on it: the field-level blast radius
/// that tells which downstream features a change reaches and which it provably cannot.
public struct FieldLineage: Sendable {
    public let field: FieldRef
    /// Fields whose versions feed this one, transitively, in topological order.
    public let upstreamFields: [FieldRef]
    /// Fields whose versions change when this one does, transitively, in topological order.
    public let downstreamFields: [FieldRef]
    /// Downstream features (by feature deps) with at least one field in `downstreamFields`.
    public let affectedFeatures: [Int]
    /// Downstream features (by feature deps) none of whose fields depends on this field.
    public let unaffectedFeatures: [Int]

    public init(graph: FeatureGraph, field: FieldRef) {
        self.field = field
        let position = Self.positions(graph)
        let inOrder: (FieldRef, FieldRef) -> Bool = {
            (position[$0.feature], $0.field) < (position[$1.feature], $1.field)
        }
        upstreamFields = Self.closure(from: field, next: graph.parents(of:)).sorted(by: inOrder)
        let down = Self.closure(from: field, next: graph.children(of:))
        downstreamFields = down.sorted(by: inOrder)
        let touched = Set(down.map(\.feature))
        let reachable = graph.downstreamDistances(of: field.feature).keys.sorted { position[$0] < position[$1] }
        affectedFeatures = reachable.filter { touched.contains($0) }
        unaffectedFeatures = reachable.filter { !touched.contains($0) }
    }

    private static func positions(_ graph: FeatureGraph) -> [Int] {
        var position = [Int](repeating: 0, count: graph.count)
        for (p, f) in graph.topologicalOrder.enumerated() { position[f] = p }
        return position
    }

    private static func closure(from start: FieldRef, next: (FieldRef) -> [FieldRef]) -> Set<FieldRef> {
        var seen = Set<FieldRef>()
        var stack = [start]
        while let ref = stack.popLast() {
            for n in next(ref) where seen.insert(n).inserted { stack.append(n) }
        }
        seen.remove(start)
        return seen
    }
}

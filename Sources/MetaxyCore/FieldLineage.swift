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
        upstreamFields = graph.fieldClosure(from: field, upstream: true)
        downstreamFields = graph.fieldClosure(from: field, upstream: false)
        var touched = [Bool](repeating: false, count: graph.count)
        for ref in downstreamFields { touched[ref.feature] = true }
        let reachable = graph.reachable(from: field.feature, upstream: false)
        affectedFeatures = reachable.filter { touched[$0] }
        unaffectedFeatures = reachable.filter { !touched[$0] }
    }
}

/// Why each field of the new graph has a new version: the fields upstream (itself included)
/// whose own definition changed — code version, added, or different parents — computed once,
/// field by field in topological order, so a diff of big graphs stays linear in their size.
struct DiffCauses: Sendable {
    private let new: FeatureGraph
    /// Per field of the new graph (in `ids` order): the definition change, if any.
    private var own: [FieldRef: String] = [:]
    /// Per affected field: the sorted cause fields.
    private var sets: [FieldRef: [FieldRef]] = [:]

    init(old: FeatureGraph, new: FeatureGraph) {
        self.new = new
        for f in new.topologicalOrder {
            let key = new.key(f)
            let o = old.index(of: key)
            for (i, field) in new.specs[f].fields.enumerated() {
                let ref = FieldRef(feature: f, field: i)
                let oi = o.flatMap { old.fieldIndex(of: field.key.string, in: $0) }
                let reason = Self.definitionChange(ref, old: o.flatMap { o in oi.map { FieldRef(feature: o, field: $0) } },
                                                   oldGraph: old, newGraph: new)
                var causes: Set<FieldRef> = []
                if let reason {
                    own[ref] = reason
                    causes.insert(ref)
                }
                for parent in new.parents(of: ref) { causes.formUnion(sets[parent] ?? []) }
                if !causes.isEmpty { sets[ref] = causes.sorted() }
            }
        }
    }

    private static func definitionChange(_ ref: FieldRef, old oldRef: FieldRef?, oldGraph: FeatureGraph, newGraph: FeatureGraph) -> String? {
        guard let oldRef else { return "added" }
        var changes: [String] = []
        let before = oldGraph.specs[oldRef.feature].fields[oldRef.field].codeVersion
        let after = newGraph.specs[ref.feature].fields[ref.field].codeVersion
        if before != after { changes.append("code_version \(before) → \(after)") }
        let oldParents = oldGraph.parents(of: oldRef).map(oldGraph.fqString), newParents = newGraph.parents(of: ref).map(newGraph.fqString)
        if oldParents != newParents {
            let gained = newParents.filter { !oldParents.contains($0) }.map { "+" + $0 }
            let lost = oldParents.filter { !newParents.contains($0) }.map { "−" + $0 }
            changes.append((["deps"] + gained + lost).joined(separator: " "))
        }
        return changes.isEmpty ? nil : changes.joined(separator: ", ")
    }

    /// The causes of `field`'s new version, each with one chain from the cause down to it.
    func causes(of field: FieldRef) -> [GraphDiff.Cause] {
        (sets[field] ?? []).map { cause in
            GraphDiff.Cause(field: new.fqString(cause), reason: own[cause] ?? "", chain: chain(from: cause, to: field).map(new.fqString))
        }.sorted { codePointLess($0.field, $1.field) }
    }

    /// Walks up from `field` through parents that carry `cause`, then reverses.
    private func chain(from cause: FieldRef, to field: FieldRef) -> [FieldRef] {
        var path = [field], at = field
        while at != cause {
            guard let next = new.parents(of: at).first(where: { $0 == cause || sets[$0]?.contains(cause) == true }) else { break }
            path.append(next)
            at = next
        }
        return path.reversed()
    }
}

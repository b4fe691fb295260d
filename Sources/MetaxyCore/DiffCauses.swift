/// Why each field of the new graph has a new version: the fields upstream (itself included)
/// whose own definition changed — code version, added, or different parents. Computed once, in
/// topological order, as sorted arrays of field ids merged from the parents' (shared, not
/// copied, when a field has one affected parent), so a diff stays linear in the graphs' size.
/// Chains are not stored: each cause remembers only the parent it came through.
struct DiffCauses: Sendable {
    let new: FeatureGraph
    /// Per field of the new graph (by global id): what changed in its own definition, if anything.
    private var own: [String?]
    /// Per field: the sorted ids of its causes; empty when its version did not change for a cause.
    private var sets: [[Int32]]

    init(old: FeatureGraph, new: FeatureGraph) {
        self.new = new
        own = [String?](repeating: nil, count: new.fieldCount)
        sets = [[Int32]](repeating: [], count: new.fieldCount)
        for f in new.topologicalOrder {
            let o = old.index(of: new.key(f))
            for (i, field) in new.specs[f].fields.enumerated() {
                let ref = FieldRef(feature: f, field: i), id = new.id(ref)
                let oldRef = o.flatMap { o in old.fieldIndex(of: field.key.string, in: o).map { FieldRef(feature: o, field: $0) } }
                var merged: [Int32] = []
                if let reason = Self.definitionChange(ref, old: oldRef, oldGraph: old, newGraph: new) {
                    own[id] = reason
                    merged = [Int32(id)]
                }
                for p in new.parentIDs[new.parentStart[id]..<new.parentStart[id + 1]] where !sets[Int(p)].isEmpty {
                    merged = merged.isEmpty ? sets[Int(p)] : Self.union(merged, sets[Int(p)])
                }
                sets[id] = merged
            }
        }
    }

    private static func union(_ a: [Int32], _ b: [Int32]) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(max(a.count, b.count))
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if a[i] < b[j] { out.append(a[i]); i += 1 } else if b[j] < a[i] { out.append(b[j]); j += 1 } else { out.append(a[i]); i += 1; j += 1 }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    private static func definitionChange(_ ref: FieldRef, old oldRef: FieldRef?, oldGraph: FeatureGraph, newGraph: FeatureGraph) -> String? {
        guard let oldRef else { return "added" }
        var changes: [String] = []
        let before = oldGraph.specs[oldRef.feature].fields[oldRef.field].codeVersionText
        let after = newGraph.specs[ref.feature].fields[ref.field].codeVersionText
        if before != after { changes.append("code_version \(before) → \(after)") }
        let oldParents = oldGraph.parents(of: oldRef), newParents = newGraph.parents(of: ref)
        let same = oldParents.count == newParents.count && zip(oldParents, newParents).allSatisfy {
            oldGraph.key($0.feature) == newGraph.key($1.feature) && oldGraph.fieldKey($0) == newGraph.fieldKey($1)
        }
        if !same {
            let before = oldParents.map(oldGraph.fqString), after = newParents.map(newGraph.fqString)
            let gained = after.filter { !before.contains($0) }.map { "+" + $0 }, lost = before.filter { !after.contains($0) }.map { "−" + $0 }
            changes.append((["deps"] + gained + lost).joined(separator: " "))
        }
        return changes.isEmpty ? nil : changes.joined(separator: ", ")
    }

    /// The causes of `field`'s new version, sorted by field, each with the parent it came through.
    func causes(of field: FieldRef) -> [GraphDiff.Cause] {
        let id = new.id(field)
        return sets[id].map { cause in
            GraphDiff.Cause(field: new.fqString(new.ref(cause)), reason: own[Int(cause)] ?? "",
                            via: Int(cause) == id ? nil : via(cause, at: id).map { new.fqString(new.ref($0)) })
        }.sorted { codePointLess($0.field, $1.field) }
    }

    /// The first parent of field `id` that is the cause or carries it.
    private func via(_ cause: Int32, at id: Int) -> Int32? {
        new.parentIDs[new.parentStart[id]..<new.parentStart[id + 1]].first { p in
            p == cause || sets[Int(p)].sortedContains(cause)
        }
    }

    /// `feature.field` strings from the cause down to `field`, both included.
    func chain(from cause: String, to field: FieldRef) -> [String] {
        var path = [Int32(new.id(field))]
        guard let target = sets[Int(path[0])].first(where: { new.fqString(new.ref($0)) == cause }) else { return [] }
        while path.last! != target, let next = via(target, at: Int(path.last!)) { path.append(next) }
        return path.reversed().map { new.fqString(new.ref($0)) }
    }
}

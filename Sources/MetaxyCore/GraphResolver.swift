/// Resolves specs to flat index arrays and validates them in the same passes (DESIGN §2): duplicate
/// keys, unknown dependencies and fields, field deps outside the feature deps, cycles. Everything is
/// numbered (features by declaration, fields globally) because a 100,000-feature graph must load
/// in about a second, and nested arrays of small objects cost more than the hashing.
struct GraphResolver {
    /// At most this many cycles are listed; one is enough to act on, a few show the pattern.
    static let maxCyclesReported = 10

    let specs: [FeatureSpec]
    let file: String
    var problems: [GraphProblem] = []

    var keys: [FeatureKey] = []
    var indexByKey = KeyIndex([])
    /// For each feature's declared deps, in order: the index of the dep, or -1 when unknown.
    var declaredStart: [Int] = [0]
    var declared: [Int32] = []
    /// Feature `f`'s fields are global ids `fieldBase[f] ..< fieldBase[f + 1]`.
    var fieldBase: [Int] = [0]
    var fieldFeature: [Int32] = []
    /// Total number of fields.
    var fieldCount: Int { fieldFeature.count }
    /// Feature of each global field id, and the field's rank among its feature's fields by key
    /// string: the order of the feature version, and of parents from one feature.
    var fieldRank: [Int32] = []
    /// Features ranked by `key + "."`, which orders the FQ names of fields of different features,
    /// unless some key is another's key followed by "." (then nil, and full names are compared).
    var featureFQRank: [Int32]?
    /// Features sorted by key in code point order; `keysSortOneWay` when that is also list,
    /// FQ and lower-case order (`StringTable.sortsOneWay`).
    var keyOrder: [Int] = []
    var keysSortOneWay = false
    var sortedFields: [Int32] = []
    var upstream: [[Int]] = []
    var parentStart: [Int] = [0]
    var parentIDs: [Int32] = []

    init(specs: [FeatureSpec], file: String) {
        self.specs = specs
        self.file = file
        indexFeatures()
        resolveFeatureDeps()
        resolveFieldParents()
    }

    private mutating func report(_ location: SourceLocation, _ message: String) {
        problems.append(GraphProblem(file: file, location: location, message: message))
    }

    private mutating func indexFeatures() {
        keys = specs.map(\.key)
        indexByKey = KeyIndex(keys)
        for (f, first) in indexByKey.duplicates {
            report(specs[f].location, "duplicate feature key '\(keys[f])' (first defined at line "
                + "\(specs[first].location.line)); each feature key must be unique")
        }
        let table = StringTable(keys.lazy.map(\.string))
        keyOrder = table.sortedIndices(by: StringTable.codePointLess)
        keysSortOneWay = table.sortsOneWay
        featureFQRank = keysSortOneWay ? Self.ranks(keyOrder) : Self.fqRanks(keys)
        fieldBase.reserveCapacity(specs.count + 1)
        for (f, spec) in specs.enumerated() {
            let fields = spec.fields
            for (k, field) in fields.enumerated() {
                fieldFeature.append(Int32(f))
                if let first = fields[..<k].firstIndex(where: { $0.key == field.key }) {
                    report(field.location, "duplicate field key '\(field.key)' in \(spec.key) (first defined at line "
                        + "\(fields[first].location.line)); field keys must be unique")
                }
            }
            fieldBase.append(fieldBase[f] + fields.count)
            let order = fields.count < 2 ? Array(fields.indices)
                : fields.indices.sorted { codePointLess(fields[$0].key.string, fields[$1].key.string) }
            fieldRank.append(contentsOf: repeatElement(0, count: fields.count))
            for (rank, k) in order.enumerated() {
                fieldRank[fieldBase[f] + k] = Int32(rank)
                sortedFields.append(Int32(fieldBase[f] + k))
            }
        }
    }

    private mutating func resolveFeatureDeps() {
        upstream.reserveCapacity(specs.count)
        for spec in specs {
            var ups: [Int] = []
            for dep in spec.deps ?? [] {
                let u = indexByKey.index(of: dep.key)
                declared.append(Int32(u ?? -1))
                if let u {
                    if !ups.contains(u) { ups.append(u) }
                } else {
                    report(dep.location, "\(spec.key) depends on '\(dep.key)', which is not in the graph"
                        + Self.suggestion(for: dep.key.string, among: keys.lazy.map(\.string)))
                }
            }
            upstream.append(ups)
            declaredStart.append(declared.count)
        }
    }

    /// Reference §4: the union of what each field's deps select, deduplicated, sorted by FQ string.
    /// Features resolve independently, so a large graph is split between the cores.
    private mutating func resolveFieldParents() {
        let chunks = fieldCount < 100_000 ? 1 : 2
        let size = (specs.count + chunks - 1) / chunks
        let parts = Parallel.map(0..<chunks) { [self] chunk in
            fieldParents(of: (chunk * size)..<min(specs.count, (chunk + 1) * size))
        }
        parentStart.reserveCapacity(fieldCount + 1)
        parentIDs.reserveCapacity(parts.reduce(0) { $0 + $1.ids.count })
        for part in parts {
            let offset = parentIDs.count
            parentIDs.append(contentsOf: part.ids)
            parentStart.append(contentsOf: part.ends.lazy.map { $0 + offset })
            problems.append(contentsOf: part.problems)
        }
    }

    /// The parents of the fields of `features`, one list after another, with where each list ends.
    private func fieldParents(of features: Range<Int>) -> (ids: [Int32], ends: [Int], problems: [GraphProblem]) {
        var ids: [Int32] = [], ends: [Int] = [], problems: [GraphProblem] = []
        var refs: [Int32] = []
        for f in features {
            let spec = specs[f]
            for field in spec.fields {
                refs.removeAll(keepingCapacity: true)
                switch field.deps {
                case .all:
                    for u in upstream[f] { appendAll(u, to: &refs) }
                case let .only(deps):
                    for dep in deps { resolve(dep, of: field, in: spec, feature: f, into: &refs, problems: &problems) }
                }
                let start = ids.count
                for r in refs where !ids[start...].contains(r) { ids.append(r) }
                sortByFQ(&ids, start..<ids.count)
                ends.append(ids.count)
            }
        }
        return (ids, ends, problems)
    }

    private func appendAll(_ u: Int, to refs: inout [Int32]) {
        for id in fieldBase[u]..<fieldBase[u + 1] { refs.append(Int32(id)) }
    }

    private func resolve(_ dep: FieldDep, of field: FieldSpec, in spec: FeatureSpec, feature f: Int,
                         into refs: inout [Int32], problems: inout [GraphProblem]) {
        func report(_ location: SourceLocation, _ message: String) {
            problems.append(GraphProblem(file: file, location: location, message: message))
        }
        guard let position = (spec.deps ?? []).firstIndex(where: { $0.key == dep.featureKey }) else {
            let depKeys = (spec.deps ?? []).map(\.key.string)
            let known = depKeys.isEmpty ? "it has none" : "they are " + depKeys.joined(separator: ", ")
            report(dep.location, "field '\(field.key)' of \(spec.key) depends on '\(dep.featureKey)', "
                + "which is not among the feature's deps (\(known)); add it to `deps`")
            return
        }
        // An unknown feature dep is reported once, where the feature declares it.
        let u = Int(declared[declaredStart[f] + position])
        guard u >= 0 else { return }
        switch dep.fields {
        case .all:
            appendAll(u, to: &refs)
        case let .only(wanted):
            let upstreamFields = specs[u].fields
            for name in wanted {
                if let k = upstreamFields.firstIndex(where: { $0.key == name }) {
                    refs.append(Int32(fieldBase[u] + k))
                } else {
                    report(dep.location, "field '\(field.key)' of \(spec.key) depends on '\(dep.featureKey).\(name)', "
                        + "but \(dep.featureKey) has the fields " + upstreamFields.map(\.key.string).joined(separator: ", ")
                        + Self.suggestion(for: name.string, among: upstreamFields.lazy.map(\.key.string)))
                }
            }
        }
    }

    /// Insertion sort: parent lists are short and mostly in order already, and this keeps equal
    /// strings in first-seen order as Python's sort does. Fields of one feature compare by rank.
    private func sortByFQ(_ ids: inout [Int32], _ range: Range<Int>) {
        guard range.count > 1 else { return }
        func less(_ a: Int32, _ b: Int32) -> Bool {
            let fa = Int(fieldFeature[Int(a)]), fb = Int(fieldFeature[Int(b)])
            if fa == fb { return fieldRank[Int(a)] < fieldRank[Int(b)] }
            if let rank = featureFQRank { return rank[fa] < rank[fb] }
            return Self.fqLess(keys[fa].string, fieldKey(a), keys[fb].string, fieldKey(b))
        }
        for i in (range.lowerBound + 1)..<range.upperBound {
            let item = ids[i]
            var j = i
            while j > range.lowerBound, less(item, ids[j - 1]) {
                ids[j] = ids[j - 1]
                j -= 1
            }
            ids[j] = item
        }
    }

    /// Each feature's rank in `key + "."` order, or nil when a key continues another with ".".
    static func fqRanks(_ keys: [FeatureKey]) -> [Int32]? {
        let dot = UInt8(ascii: ".")
        func dotted(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
            for i in 0..<min(a.count, b.count) where a[i] != b[i] { return a[i] < b[i] }
            if a.count == b.count { return false }
            return a.count < b.count ? dot < b[a.count] : a[b.count] < dot
        }
        let table = StringTable(keys.lazy.map(\.string))
        let order = table.sortedIndices(by: dotted)
        for (x, y) in zip(order, order.dropFirst()) {
            let a = keys[x].string.utf8, b = keys[y].string.utf8
            if b.count > a.count && b.starts(with: a) && b[b.index(b.startIndex, offsetBy: a.count)] == dot { return nil }
        }
        return ranks(order)
    }

    static func ranks(_ order: [Int]) -> [Int32] {
        var rank = [Int32](repeating: 0, count: order.count)
        for (r, f) in order.enumerated() { rank[f] = Int32(r) }
        return rank
    }

    private func fieldKey(_ id: Int32) -> String {
        let f = Int(fieldFeature[Int(id)])
        return specs[f].fields[Int(id) - fieldBase[f]].key.string
    }

    /// `a.x < b.y` as FQ strings (`feature.field`), compared without building them: the first
    /// differing byte of the feature keys decides, else the byte after the shorter key ('.').
    static func fqLess(_ a: String, _ x: String, _ b: String, _ y: String) -> Bool {
        let decided: Bool?? = a.utf8.withContiguousStorageIfAvailable { p -> Bool? in
            let inner: Bool?? = b.utf8.withContiguousStorageIfAvailable { q -> Bool? in
                let n = min(p.count, q.count)
                for i in 0..<n where p[i] != q[i] { return p[i] < q[i] }
                if p.count == q.count { return codePointLess(x, y) }
                let dot = UInt8(ascii: ".")
                let next = p.count < q.count ? q[n] : p[n]
                if next == dot { return nil }  // one key continues with '.': compare whole strings
                return p.count < q.count ? dot < next : next < dot
            }
            return inner ?? nil
        }
        return (decided ?? nil) ?? codePointLess(a + "." + x, b + "." + y)
    }

    // MARK: order

    /// metaxy's GraphWalker order (keys visited case-insensitively, dependencies first), found with an
    /// explicit stack since chains can be thousands deep. A dependency met while still on the stack is a
    /// cycle, reported with its path.
    mutating func topologicalOrder() -> [Int] {
        // Sorted by original key, then stably by lowered key: ties in lower case stay in code point order.
        let keys = self.keys, byKey = keyOrder
        let byName = keysSortOneWay ? byKey
            : StringTable(lowercased: byKey.lazy.map { keys[$0].string }).sortedIndices(by: StringTable.codePointLess).map { byKey[$0] }
        var rank = [Int](repeating: 0, count: keys.count)
        for (r, i) in byName.enumerated() { rank[i] = r }
        let sortedDeps = upstream.map { $0.count < 2 ? $0 : $0.sorted { rank[$0] < rank[$1] } }
        enum State: UInt8 { case new, open, done }
        var state = [State](repeating: .new, count: keys.count)
        var order: [Int] = []
        order.reserveCapacity(keys.count)
        var cycles = 0
        for start in byName where state[start] == .new {
            state[start] = .open
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            while let (node, next) = stack.last {
                guard next < sortedDeps[node].count else {
                    state[node] = .done
                    order.append(node)
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].next += 1
                let dep = sortedDeps[node][next]
                switch state[dep] {
                case .new:
                    state[dep] = .open
                    stack.append((dep, 0))
                case .open where cycles < Self.maxCyclesReported:
                    cycles += 1
                    let from = stack.lastIndex { $0.node == dep }!
                    let path = stack[from...].map { keys[$0.node].string } + [keys[dep].string]
                    let location = (specs[node].deps ?? []).first { $0.key == keys[dep] }?.location ?? specs[node].location
                    report(location, "dependency cycle: \(path.joined(separator: " → ")) "
                        + "(each depends on the next); remove one of these deps")
                default:
                    break
                }
            }
        }
        return order
    }

    static func suggestion(for name: String, among candidates: some Sequence<String>) -> String {
        var best: (String, Int)?
        for candidate in candidates where abs(candidate.utf8.count - name.utf8.count) <= 3 {
            let d = editDistance(candidate, name)
            if d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        guard let best, best.1 < name.count, best.1 <= max(1, name.count / 3) else { return "" }
        return " (did you mean '\(best.0)'?)"
    }
}

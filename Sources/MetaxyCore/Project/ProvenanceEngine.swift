/// metaxy 0.1.11's expected provenance for one feature from its upstream states, as
/// `resolve_update` computes it: FeatureDep rename and select, the lineage, inner joins on the
/// shared id columns (left joins for optional deps, a full join when every dep is optional), then
/// `field hash = H("field|code_version|parent|value|…")` and `provenance = H(field hashes by struct key)`.
public struct ProvenanceEngine: Sendable {
    /// The id columns of the expected rows: the feature's id columns that the join result has.
    /// For a 1:N expansion these are the parent's (`on`) columns only: metaxy gives one row per
    /// parent, and every child written from it carries that row's provenance.
    public let idColumns: [String]
    let hasher: ProvenanceHasher
    /// Deps in join order: required first, then optional.
    let deps: [DepPlan]
    let fields: [FieldPlan]
    /// Field indices in struct-key order, the order of the provenance text.
    let structOrder: [Int]
    /// Whether the join can give one id twice (then the first row wins).
    let mayRepeatIDs: Bool

    struct DepPlan {
        let feature: String
        let optional: Bool
        let lineage: Lineage
        /// Columns kept per row (renamed names), and where each is read (upstream names).
        let columns: [String]
        let sources: [String]
        /// Positions in `columns`: the join key, and each of `idColumns` (nil when absent).
        let shared: [Int]
        let output: [Int?]
        /// N:1: the group (`on`) and the order of values inside it (the upstream id columns kept),
        /// as upstream names.
        let group: [String]
        let order: [String]
        /// The upstream struct keys this feature's fields read.
        let slots: [String]
        /// Rows are distinct on `columns` as given (otherwise they are de-duplicated).
        let distinct: Bool
    }

    struct FieldPlan {
        let key: String
        let structKey: String
        let codeVersion: String
        let inputs: [(parent: String, dep: Int, slot: Int)]
    }

    public init(graph: ProjectGraph, feature key: String, hasher: ProvenanceHasher) throws(ProjectGraphError) {
        guard let feature = graph.feature(key) else { throw ProjectGraphError("feature \(key) is not in the graph") }
        self.hasher = hasher
        let ordered = feature.deps.filter { !$0.optional } + feature.deps.filter(\.optional)
        guard !ordered.isEmpty else { throw ProjectGraphError("feature \(key) is a root: its provenance is given, not computed") }
        // Per dep: upstream id columns after rename, and its input ids (what identifies one input unit).
        var renamedIDs: [[String]] = [], inputIDs: [[String]] = [], upstreamIDs: [[String]] = []
        for dep in ordered {
            let ids = graph.feature(dep.feature)?.idColumns ?? []
            upstreamIDs.append(ids)
            renamedIDs.append(ids.map { dep.rename[$0] ?? $0 })
            switch dep.lineage {
            case .identity: inputIDs.append(renamedIDs.last!)
            case let .aggregation(on), let .expansion(on): inputIDs.append(on)
            }
        }
        var shared = inputIDs[0]
        for ids in inputIDs.dropFirst() { shared = shared.filter(ids.contains) }
        if shared.isEmpty { shared = feature.idColumns }
        // What each dep's rows carry: every id for 1:1; for N:1 and 1:N the ids kept by select, and `on`.
        let carried: [[String]] = ordered.indices.map { d in
            let dep = ordered[d]
            var columns = renamedIDs[d]
            switch dep.lineage {
            case .identity: break
            case let .aggregation(on), let .expansion(on):
                if let select = dep.select { columns = columns.filter { select.contains($0) || on.contains($0) } }
                columns += on.filter { !columns.contains($0) }
            }
            return columns
        }
        let idColumns = feature.idColumns.filter { c in carried.contains { $0.contains(c) } }
        self.idColumns = idColumns
        var plans: [DepPlan] = []
        var slots: [[String]] = Array(repeating: [], count: ordered.count)
        var fields: [FieldPlan] = []
        for field in feature.fields {
            var inputs: [(String, Int, Int)] = []
            for parent in field.parents {
                let dot = parent.firstIndex(of: ".")!
                let upstream = String(parent[..<dot])
                let structKey = parent[parent.index(after: dot)...].replacingOccurrences(of: "/", with: "_")
                let d = ordered.firstIndex { $0.feature == upstream }!
                if !slots[d].contains(structKey) { slots[d].append(structKey) }
                inputs.append((parent, d, slots[d].firstIndex(of: structKey)!))
            }
            fields.append(FieldPlan(key: field.key, structKey: field.structKey, codeVersion: field.codeVersion, inputs: inputs))
        }
        var unique = true
        for (d, dep) in ordered.enumerated() {
            // Keep only the columns the join and the output read.
            let columns = carried[d].filter { shared.contains($0) || idColumns.contains($0) }
            let inverse = Dictionary(zip(renamedIDs[d], upstreamIDs[d]), uniquingKeysWith: { a, _ in a })
            var group: [String] = [], order: [String] = []
            if case let .aggregation(on) = dep.lineage {
                group = on.map { inverse[$0] ?? $0 }
                order = carried[d].filter(renamedIDs[d].contains).map { inverse[$0]! }
            }
            let distinct = columns.count == carried[d].count && group.isEmpty
            unique = unique && columns.allSatisfy(idColumns.contains)
            plans.append(DepPlan(
                feature: dep.feature, optional: dep.optional, lineage: dep.lineage, columns: columns,
                sources: columns.map { inverse[$0] ?? $0 }, shared: shared.map { columns.firstIndex(of: $0)! },
                output: idColumns.map { columns.firstIndex(of: $0) }, group: group, order: order,
                slots: slots[d], distinct: distinct))
        }
        deps = plans
        self.fields = fields
        structOrder = fields.indices.sorted { codePointLess(fields[$0].structKey, fields[$1].structKey) }
        mayRepeatIDs = !unique
    }

    /// Expected rows from the upstream states (by upstream key; rows already filtered: latest per
    /// id, not deleted, current feature version): one per distinct id of the join, in no set order.
    public func expected(upstream: [String: [UpstreamRow]]) -> [ExpectedRow] {
        let prepared = deps.map { prepare($0, upstream[$0.feature] ?? [], only: nil, explain: false) }
        var rows: [ExpectedRow] = []
        var seen = Set<[IDValue]>()
        var buffer: [UInt8] = []
        var hashes = [String](repeating: "", count: fields.count)
        join(prepared) { ids, row in
            if mayRepeatIDs && !seen.insert(ids).inserted { return }
            var byField: [String: String] = [:]
            byField.reserveCapacity(fields.count)
            for (f, field) in fields.enumerated() {
                write(field, row: row, prepared: prepared, into: &buffer)
                hashes[f] = hasher.hash(buffer)
                byField[field.structKey] = hashes[f]
            }
            rows.append(ExpectedRow(ids: ids, provenanceByField: byField, provenance: provenance(hashes, into: &buffer)))
        }
        return rows
    }

    /// Each field's recipe for one id (in `idColumns` order), in spec order; nil when the id is not in the join.
    public func recipe(for ids: [IDValue], upstream: [String: [UpstreamRow]]) -> [FieldRecipe]? {
        guard ids.count == idColumns.count else { return nil }
        let wanted = Dictionary(uniqueKeysWithValues: zip(idColumns, ids))
        let prepared = deps.map { dep in
            // Keep the rows that can meet this id; a whole N:1 group stays, filtered on its `on` columns only.
            let only = dep.columns.indices.filter {
                wanted[dep.columns[$0]] != nil && (dep.group.isEmpty || dep.group.contains(dep.sources[$0]))
            }
            return prepare(dep, upstream[dep.feature] ?? [], only: only.map { (dep.sources[$0], wanted[dep.columns[$0]]!) }, explain: true)
        }
        var result: [FieldRecipe]?
        var buffer: [UInt8] = []
        join(prepared) { rowIDs, row in
            guard result == nil, rowIDs == ids else { return }
            result = fields.map { field in
                write(field, row: row, prepared: prepared, into: &buffer)
                let inputs = field.inputs.map { input in
                    let r = row[input.dep]
                    return FieldInput(parent: input.parent, value: r < 0 ? "" : prepared[input.dep].value(r, input.slot),
                                      aggregated: r < 0 ? nil : prepared[input.dep].aggregated?[r * prepared[input.dep].width + input.slot])
                }
                return FieldRecipe(field: field.key, codeVersion: field.codeVersion, inputs: inputs,
                                   string: String(decoding: buffer, as: UTF8.self), hash: hasher.hash(buffer))
            }
        }
        return result
    }

    /// Root rows: the provenance of the user's provenance_by_field values (struct key → value),
    /// the values joined by `|` in struct-key order and hashed. Also a root's data version when
    /// given data_version_by_field instead.
    public static func rootProvenance(_ byField: [String: String], hasher: ProvenanceHasher) -> String {
        hasher.hash(byField.sorted { codePointLess($0.key, $1.key) }.map(\.value).joined(separator: "|"))
    }

    // MARK: - Rows of one dep

    /// One dep's rows, flat: `ids` has `columns.count` values per row, `values` one per slot.
    struct Prepared {
        var ids: [IDValue] = []
        var values: [String] = []
        var aggregated: [String]?
        var count = 0
        let columns: Int
        let width: Int
        func value(_ row: Int, _ slot: Int) -> String { values[row * width + slot] }
        func id(_ row: Int, _ column: Int) -> IDValue { ids[row * columns + column] }
    }

    /// `only`: (upstream column, value) pairs a row must have.
    private func prepare(_ dep: DepPlan, _ rows: [UpstreamRow], only filter: [(String, IDValue)]?, explain: Bool) -> Prepared {
        var out = Prepared(columns: dep.columns.count, width: dep.slots.count)
        if case .aggregation = dep.lineage {
            return aggregate(dep, rows, filter: filter, explain: explain, into: out)
        }
        out.ids.reserveCapacity(rows.count * dep.columns.count)
        out.values.reserveCapacity(rows.count * dep.slots.count)
        var seen = Set<[IDValue]>()
        var ids: [IDValue] = []
        rows: for row in rows {
            if let filter, !filter.allSatisfy({ row.ids[$0.0] == $0.1 }) { continue }
            ids.removeAll(keepingCapacity: true)
            for source in dep.sources {
                guard let id = row.ids[source] else { continue rows }
                ids.append(id)
            }
            if !dep.distinct && !seen.insert(ids).inserted { continue }
            out.ids += ids
            for slot in dep.slots { out.values.append(row.dataVersionByField[slot] ?? "") }
            out.count += 1
        }
        return out
    }

    /// N:1: per slot, the group's values ordered by the upstream ids (numerically for integers),
    /// joined by `|` and hashed; one row per distinct kept id columns.
    private func aggregate(_ dep: DepPlan, _ rows: [UpstreamRow], filter: [(String, IDValue)]?, explain: Bool, into out: Prepared) -> Prepared {
        var out = out
        // Members of each group with their order key, groups in order of appearance.
        var groups: [[IDValue]: [(order: [IDValue], row: Int)]] = [:]
        var firstSeen: [[IDValue]] = []
        for (n, row) in rows.enumerated() {
            if let filter, !filter.allSatisfy({ row.ids[$0.0] == $0.1 }) { continue }
            let key = dep.group.compactMap { row.ids[$0] }
            let order = dep.order.compactMap { row.ids[$0] }
            guard key.count == dep.group.count, order.count == dep.order.count,
                  dep.sources.allSatisfy({ row.ids[$0] != nil }) else { continue }
            if groups[key] == nil { firstSeen.append(key) }
            groups[key, default: []].append((order, n))
        }
        if explain { out.aggregated = [] }
        var seen = Set<[IDValue]>()
        for key in firstSeen {
            let members = groups[key]!.sorted { idsLess($0.order, $1.order) }.map(\.row)
            let ids = dep.sources.map { rows[members[0]].ids[$0]! }
            guard seen.insert(ids).inserted else { continue }
            out.ids += ids
            for slot in dep.slots {
                let text = members.map { rows[$0].dataVersionByField[slot] ?? "" }.joined(separator: "|")
                out.values.append(hasher.hash(text))
                out.aggregated?.append(text)
            }
            out.count += 1
        }
        return out
    }

    // MARK: - Join and hash

    /// Calls `body` with each joined row's ids (in `idColumns` order) and its row per dep (-1: none).
    private func join(_ prepared: [Prepared], _ body: ([IDValue], [Int]) -> Void) {
        let allOptional = deps.allSatisfy(\.optional)
        // Joined rows as row indices, `deps.count` per joined row.
        var joined: [Int] = []
        joined.reserveCapacity(prepared[0].count * deps.count)
        for r in 0..<prepared[0].count {
            joined.append(r)
            joined += repeatElement(-1, count: deps.count - 1)
        }
        for d in 1..<max(deps.count, 1) {
            var index: [[IDValue]: [Int]] = [:]
            for r in 0..<prepared[d].count { index[deps[d].shared.map { prepared[d].id(r, $0) }, default: []].append(r) }
            var next: [Int] = []
            next.reserveCapacity(joined.count)
            var matched = Set<Int>()
            for start in stride(from: 0, to: joined.count, by: deps.count) {
                let row = Array(joined[start..<(start + deps.count)])
                // The join key from the first dep present in this row.
                guard let p = (0..<d).first(where: { row[$0] >= 0 }) else { continue }
                let key = deps[p].shared.map { prepared[p].id(row[p], $0) }
                if let hits = index[key] {
                    for hit in hits {
                        var copy = row
                        copy[d] = hit
                        next += copy
                        if allOptional { matched.insert(hit) }
                    }
                } else if deps[d].optional {
                    next += row
                }
            }
            if allOptional {
                for r in 0..<prepared[d].count where !matched.contains(r) {
                    var row = [Int](repeating: -1, count: deps.count)
                    row[d] = r
                    next += row
                }
            }
            joined = next
        }
        var row = [Int](repeating: -1, count: deps.count)
        var ids = [IDValue](repeating: .int(0), count: idColumns.count)
        for start in stride(from: 0, to: joined.count, by: deps.count) {
            for d in 0..<deps.count { row[d] = joined[start + d] }
            for c in idColumns.indices {
                // Coalesced: the first dep present that has the column.
                for d in 0..<deps.count where row[d] >= 0 {
                    if let column = deps[d].output[c] { ids[c] = prepared[d].id(row[d], column); break }
                }
            }
            body(ids, row)
        }
    }

    /// `field|code_version|parent|value|…` into `buffer`.
    private func write(_ field: FieldPlan, row: [Int], prepared: [Prepared], into buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        buffer += field.key.utf8
        buffer.append(UInt8(ascii: "|"))
        buffer += field.codeVersion.utf8
        for input in field.inputs {
            buffer.append(UInt8(ascii: "|"))
            buffer += input.parent.utf8
            buffer.append(UInt8(ascii: "|"))
            // A missing optional row hashes as "".
            if row[input.dep] >= 0 { buffer += prepared[input.dep].value(row[input.dep], input.slot).utf8 }
        }
    }

    private func provenance(_ hashes: [String], into buffer: inout [UInt8]) -> String {
        buffer.removeAll(keepingCapacity: true)
        for (n, f) in structOrder.enumerated() {
            if n > 0 { buffer.append(UInt8(ascii: "|")) }
            buffer += hashes[f].utf8
        }
        return hasher.hash(buffer)
    }
}

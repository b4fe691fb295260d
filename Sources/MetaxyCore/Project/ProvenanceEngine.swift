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
    /// `fields` flattened for `Texts`.
    let fieldTable: [Int], inputTable: [Int], constants: [UInt8], structKeys: [String]

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
        // A filtered dep's rows are not all of its rows: without the filters, the answer would be wrong, not late.
        if let filtered = ordered.first(where: { !$0.filters.isEmpty }) {
            throw ProjectGraphError("feature \(key): its dependency on \(filtered.feature) has sql_filters (\(filtered.filters.joined(separator: "; "))), "
                + "which metaxy-tui does not apply yet; ask metaxy itself (`metaxy metadata status`) for this feature")
        }
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
        // Every dep must carry the columns it is joined on.
        for (d, dep) in ordered.enumerated() {
            let has: [String]
            switch dep.lineage {
            case .identity: has = renamedIDs[d]
            case let .aggregation(on), let .expansion(on): has = renamedIDs[d] + on
            }
            if let missing = shared.first(where: { !has.contains($0) }) {
                throw ProjectGraphError("feature \(key): its deps share no id column to join on (\(dep.feature) has no \(missing))")
            }
        }
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
                // Keys hold no dot (ProjectSpec): the first one ends the feature key.
                guard let dot = parent.firstIndex(of: "."), let d = ordered.firstIndex(where: { $0.feature == parent[..<dot] }) else {
                    throw ProjectGraphError("feature \(key): field \(field.key) reads \(parent), which is not a field of one of its deps")
                }
                let structKey = parent[parent.index(after: dot)...].replacingOccurrences(of: "/", with: "_")
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
        var fieldTable: [Int] = [], inputTable: [Int] = [], constants: [UInt8] = []
        for field in fields {
            fieldTable.append(constants.count)
            constants += (field.key + "|" + field.codeVersion).utf8
            fieldTable += [constants.count, inputTable.count / 4, inputTable.count / 4 + field.inputs.count]
            for input in field.inputs {
                inputTable.append(constants.count)
                constants += "|\(input.parent)|".utf8
                inputTable += [constants.count, input.dep, input.slot]
            }
        }
        self.fieldTable = fieldTable
        self.inputTable = inputTable
        self.constants = constants
        structKeys = fields.map(\.structKey)
        structOrder = fields.indices.sorted { codePointLess(fields[$0].structKey, fields[$1].structKey) }
        mayRepeatIDs = !unique
    }

    /// The struct keys of an upstream's `metaxy_data_version_by_field` this feature reads: all a
    /// reader needs to fetch of its rows besides their ids.
    public func slots(of upstream: String) -> [String] {
        deps.first { $0.feature == upstream }?.slots ?? []
    }

    /// Expected rows from the upstream states (by upstream key; rows already filtered: latest per
    /// id, not deleted, current feature version): one per distinct id of the join, in no set order.
    /// Without `byField` the rows' provenanceByField is left empty (a status compares provenance only).
    public func expected(upstream: [String: UpstreamRows], byField: Bool = true) -> [ExpectedRow] {
        let prepared = deps.map { prepare($0, upstream[$0.feature], only: nil, explain: false) }
        let joined = join(prepared)
        let count = joined.count / deps.count
        // Hashing is most of the work: split it over the cores for large inputs.
        let chunks = count < 20_000 ? 1 : Parallel.cores
        let parts = Parallel.map(0..<chunks) { c in
            hashRows(c * count / chunks..<(c + 1) * count / chunks, joined: joined, prepared: prepared, byField: byField)
        }
        var rows: [ExpectedRow] = []
        rows.reserveCapacity(count)
        for part in parts { rows += part }
        guard mayRepeatIDs else { return rows }
        var seen = Set<[IDValue]>()
        return rows.filter { seen.insert($0.ids).inserted }
    }

    private func hashRows(_ range: Range<Int>, joined: [Int], prepared: [Prepared], byField keep: Bool) -> [ExpectedRow] {
        var rows: [ExpectedRow] = []
        rows.reserveCapacity(range.count)
        var buffer: [UInt8] = [], scratch: [UInt8] = []
        var hashes = [String](repeating: "", count: fields.count)
        var row = [Int](repeating: -1, count: deps.count)
        Texts.with(self, prepared) { texts in
            for r in range {
                for d in row.indices { row[d] = joined[r * deps.count + d] }
                var byField = [String: String](minimumCapacity: keep ? fields.count : 0)
                for f in fields.indices {
                    texts.write(field: f, row: row, into: &buffer)
                    hashes[f] = hasher.hash(buffer, scratch: &scratch)
                    if keep { byField[texts.structKeys[f]] = hashes[f] }
                }
                buffer.removeAll(keepingCapacity: true)
                for (n, f) in structOrder.enumerated() {
                    if n > 0 { buffer.append(UInt8(ascii: "|")) }
                    buffer += hashes[f].utf8
                }
                rows.append(ExpectedRow(ids: texts.ids(of: row), provenanceByField: byField, provenance: hasher.hash(buffer, scratch: &scratch)))
            }
        }
        return rows
    }

    /// Each field's recipe for one id (in `idColumns` order), in spec order; nil when the id is not in the join.
    public func recipe(for ids: [IDValue], upstream: [String: UpstreamRows]) -> [FieldRecipe]? {
        guard ids.count == idColumns.count else { return nil }
        let wanted = Dictionary(uniqueKeysWithValues: zip(idColumns, ids))
        let prepared = deps.map { dep in
            // Keep the rows that can meet this id; a whole N:1 group stays, filtered on its `on` columns only.
            let only = dep.columns.indices.filter {
                wanted[dep.columns[$0]] != nil && (dep.group.isEmpty || dep.group.contains(dep.sources[$0]))
            }
            return prepare(dep, upstream[dep.feature], only: only.map { (dep.sources[$0], wanted[dep.columns[$0]]!) }, explain: true)
        }
        let joined = join(prepared)
        return Texts.with(self, prepared) { texts -> [FieldRecipe]? in
            guard let start = stride(from: 0, to: joined.count, by: deps.count).first(where: {
                texts.ids(of: Array(joined[$0..<($0 + deps.count)])) == ids
            }) else { return nil }
            let row = Array(joined[start..<(start + deps.count)])
            var buffer: [UInt8] = []
            return fields.indices.map { f in
                texts.write(field: f, row: row, into: &buffer)
                let inputs = fields[f].inputs.map { input in
                    let r = row[input.dep], p = prepared[input.dep]
                    return FieldInput(parent: input.parent, value: r < 0 ? "" : p.value(r, input.slot),
                                      aggregated: r < 0 ? nil : p.aggregated?[r * p.width + input.slot])
                }
                return FieldRecipe(field: fields[f].key, codeVersion: fields[f].codeVersion, inputs: inputs,
                                   string: String(decoding: buffer, as: UTF8.self), hash: hasher.hash(buffer))
            }
        }
    }

    /// Root rows: the provenance of the user's provenance_by_field values (struct key → value),
    /// the values joined by `|` in struct-key order and hashed. Also a root's data version when
    /// given data_version_by_field instead.
    public static func rootProvenance(_ byField: [String: String], hasher: ProvenanceHasher) -> String {
        hasher.hash(byField.sorted { codePointLess($0.key, $1.key) }.map(\.value).joined(separator: "|"))
    }

    // MARK: - Rows of one dep

    /// One dep's rows, flat: `ids` has `columns` values per row; the `width` slot values of each
    /// row are UTF-8 end to end in `bytes`, value k ending at `ends[k]`.
    struct Prepared {
        var ids: [IDValue] = []
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var aggregated: [String]?
        var count = 0
        let columns: Int
        let width: Int

        func value(_ row: Int, _ slot: Int) -> String {
            let k = row * width + slot
            return String(decoding: bytes[(k == 0 ? 0 : ends[k - 1])..<ends[k]], as: UTF8.self)
        }

        func id(_ row: Int, _ column: Int) -> IDValue { ids[row * columns + column] }

        mutating func append(_ value: String) {
            bytes += value.utf8
            ends.append(bytes.count)
        }
    }

    /// `only`: (upstream column, value) pairs a row must have. No rows, or rows without one of
    /// the dep's columns, give none.
    private func prepare(_ dep: DepPlan, _ rows: UpstreamRows?, only filter: [(String, IDValue)]?, explain: Bool) -> Prepared {
        var out = Prepared(columns: dep.columns.count, width: dep.slots.count)
        guard let rows else { return out }
        let sources = dep.sources.compactMap { rows.idColumns.firstIndex(of: $0) }
        let tests = (filter ?? []).map { (rows.idColumns.firstIndex(of: $0.0), $0.1) }
        guard sources.count == dep.sources.count, tests.allSatisfy({ $0.0 != nil }) else { return out }
        let checks = tests.map { ($0.0!, $0.1) }
        func kept(_ n: Int) -> Bool { checks.allSatisfy { rows.id(n, $0.0) == $0.1 } }
        let slots = dep.slots.map { rows.slots.firstIndex(of: $0) }
        func value(_ n: Int, _ k: Int) -> String { slots[k].map { rows.value(n, $0) } ?? "" }
        if case .aggregation = dep.lineage {
            return aggregate(dep, rows, kept: kept, value: value, explain: explain, into: out)
        }
        out.ids.reserveCapacity(rows.count * dep.columns.count)
        out.ends.reserveCapacity(rows.count * dep.slots.count)
        var seen = Set<[IDValue]>()
        var ids: [IDValue] = []
        for n in 0..<rows.count where kept(n) {
            ids.removeAll(keepingCapacity: true)
            for c in sources { ids.append(rows.id(n, c)) }
            if !dep.distinct && !seen.insert(ids).inserted { continue }
            out.ids += ids
            for k in dep.slots.indices { out.append(value(n, k)) }
            out.count += 1
        }
        return out
    }

    /// N:1: per slot, the group's values ordered by the upstream ids (numerically for integers),
    /// joined by `|` and hashed; one row per distinct kept id columns.
    private func aggregate(_ dep: DepPlan, _ rows: UpstreamRows, kept: (Int) -> Bool, value: (Int, Int) -> String, explain: Bool,
                           into out: Prepared) -> Prepared {
        var out = out
        let group = dep.group.compactMap { rows.idColumns.firstIndex(of: $0) }, order = dep.order.compactMap { rows.idColumns.firstIndex(of: $0) }
        let sources = dep.sources.compactMap { rows.idColumns.firstIndex(of: $0) }
        guard group.count == dep.group.count, order.count == dep.order.count else { return out }
        // Members of each group with their order key, groups in order of appearance.
        var groups: [[IDValue]: [(order: [IDValue], row: Int)]] = [:]
        var firstSeen: [[IDValue]] = []
        for n in 0..<rows.count where kept(n) {
            let key = group.map { rows.id(n, $0) }
            if groups[key] == nil { firstSeen.append(key) }
            groups[key, default: []].append((order.map { rows.id(n, $0) }, n))
        }
        if explain { out.aggregated = [] }
        var seen = Set<[IDValue]>()
        for key in firstSeen {
            let members = groups[key]!.sorted { idsLess($0.order, $1.order) }.map(\.row)
            let ids = sources.map { rows.id(members[0], $0) }
            guard seen.insert(ids).inserted else { continue }
            out.ids += ids
            for k in dep.slots.indices {
                let text = members.map { value($0, k) }.joined(separator: "|")
                out.append(hasher.hash(text))
                out.aggregated?.append(text)
            }
            out.count += 1
        }
        return out
    }

    // MARK: - Join and hash

    /// The joined rows: for each, its row in every dep (-1: none), `deps.count` entries per joined row.
    private func join(_ prepared: [Prepared]) -> [Int] {
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
        return joined
    }

    /// The hashed texts' parts, all behind raw pointers: the hashing threads then share no
    /// reference counts (retaining the same arrays from two threads slows both down).
    struct Texts {
        /// Per field: its `field|code_version` range in `constants`, and its range of inputs.
        let fieldTable: UnsafeBufferPointer<Int>
        /// Per input: its `|parent|` range in `constants`, dep and slot.
        let inputTable: UnsafeBufferPointer<Int>
        let constants: UnsafeBufferPointer<UInt8>
        let structKeys: UnsafeBufferPointer<String>
        /// The deps' values end to end; `base[d]` is dep d's first value, `width[d]` its values per row.
        let bytes: UnsafeBufferPointer<UInt8>
        let ends: UnsafeBufferPointer<Int>
        let base: [Int]
        let width: [Int]
        /// The deps' ids end to end, `idBase[d]` where dep d's start; `output[c * deps + d]` is
        /// the column of id column c in dep d (-1: none).
        let ids: UnsafeBufferPointer<IDValue>
        let idBase: [Int]
        let columns: [Int]
        let output: [Int]

        static func with<R>(_ engine: ProvenanceEngine, _ prepared: [Prepared], _ body: (Texts) -> R) -> R {
            var bytes: [UInt8] = [], ends: [Int] = [], base: [Int] = [], ids: [IDValue] = [], idBase: [Int] = []
            for p in prepared {
                base.append(ends.count)
                let shift = bytes.count
                bytes += p.bytes
                ends += p.ends.lazy.map { $0 + shift }
                idBase.append(ids.count)
                ids += p.ids
            }
            let output = engine.idColumns.indices.flatMap { c in engine.deps.map { $0.output[c] ?? -1 } }
            return engine.fieldTable.withUnsafeBufferPointer { fieldTable in
                engine.inputTable.withUnsafeBufferPointer { inputTable in
                    engine.constants.withUnsafeBufferPointer { constants in
                        engine.structKeys.withUnsafeBufferPointer { structKeys in
                            bytes.withUnsafeBufferPointer { bytes in
                                ends.withUnsafeBufferPointer { ends in
                                    ids.withUnsafeBufferPointer { ids in
                                        body(Texts(fieldTable: fieldTable, inputTable: inputTable, constants: constants, structKeys: structKeys,
                                                   bytes: bytes, ends: ends, base: base, width: prepared.map(\.width),
                                                   ids: ids, idBase: idBase, columns: prepared.map(\.columns), output: output))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        /// A joined row's ids in `idColumns` order, each from the first dep present that has it.
        func ids(of row: [Int]) -> [IDValue] {
            let deps = row.count
            return (0..<(output.count / max(deps, 1))).map { c in
                for d in 0..<deps where row[d] >= 0 && output[c * deps + d] >= 0 {
                    return ids[idBase[d] + row[d] * columns[d] + output[c * deps + d]]
                }
                return .string("")  // unreachable: every id column comes from some dep
            }
        }

        /// `field|code_version|parent|value|…` of field `f` for a joined row, into `buffer`.
        func write(field f: Int, row: [Int], into buffer: inout [UInt8]) {
            buffer.removeAll(keepingCapacity: true)
            buffer += constants[fieldTable[4 * f]..<fieldTable[4 * f + 1]]
            for i in fieldTable[4 * f + 2]..<fieldTable[4 * f + 3] {
                buffer += constants[inputTable[4 * i]..<inputTable[4 * i + 1]]
                let d = inputTable[4 * i + 2]
                // A missing optional row hashes as "".
                guard row[d] >= 0 else { continue }
                let k = base[d] + row[d] * width[d] + inputTable[4 * i + 3]
                buffer += bytes[(k == 0 ? 0 : ends[k - 1])..<ends[k]]
            }
        }
    }
}

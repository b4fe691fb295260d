/// Turns a parsed document into FeatureSpecs, accepting metaxy's JSON shapes and the short
/// hand-written form (DESIGN §3), and recording a located problem for anything else.
struct SpecReader {
    typealias Node = Document.Node
    let doc: Document
    let file: String
    private(set) var problems: [GraphProblem] = []
    /// Reused while joining key parts.
    private var joined: [UInt8] = []

    init(_ doc: Document, file: String) {
        self.doc = doc
        self.file = file
    }

    private static let featureKeys: [StaticString] = ["key", "deps", "fields", "code_version"]
    private static let fieldKeys: [StaticString] = ["key", "code_version", "deps"]
    private static let featureDepKeys: [StaticString] = ["key", "columns", "rename"]
    private static let fieldDepKeys: [StaticString] = ["feature_key", "fields"]

    // MARK: top level

    /// The features of the document; `parallel: false` when the caller already uses every core.
    mutating func features(parallel: Bool = true) -> [FeatureSpec] {
        let root = doc.root
        switch doc.kind(root) {
        case .sequence where !parallel:
            return each(doc.itemRange(root)) { $0.feature($1) }
        case .sequence:
            return features(doc.itemRange(root))
        case .mapping:
            if let list = doc.value(root, "features") {
                if doc.kind(list) == .sequence { return features(doc.itemRange(list)) }
                problem(list, "`features` must be a list of features (an empty graph is `features: []`)")
                return []
            }
            let pairs = doc.pairs(root)
            if !pairs.isEmpty, pairs.allSatisfy({ doc.value($0.value, "feature_spec") != nil }) {
                return pairs.compactMap { feature(doc.value($0.value, "feature_spec")!) }
            }
            let found = pairs.isEmpty ? "an empty mapping"
                : "the key\(pairs.count == 1 ? "" : "s") " + listed(pairs.map { "'\(doc.text($0.key) ?? "?")'" }, limit: 5)
            problem(root, "expected `features: [...]`, a list of features, or a snapshot "
                + "{\"a/b\": {\"feature_spec\": ...}}; found \(found)")
        case .plain, .quoted:
            problem(root, "expected `features: [...]` or a list of features, found \(describe(root))")
        }
        return []
    }

    /// Features are read independently, so a large list is split between the cores.
    private mutating func features(_ positions: Range<Int>) -> [FeatureSpec] {
        let chunks = positions.count < 4_000 ? 1 : 2
        guard chunks > 1 else { return each(positions) { $0.feature($1) } }
        let size = (positions.count + chunks - 1) / chunks
        let results = Parallel.map(0..<chunks) { [self] chunk -> ([FeatureSpec], [GraphProblem]) in
            var reader = self
            let part = positions.dropFirst(chunk * size).prefix(size)
            return (reader.each(part) { $0.feature($1) }, reader.problems)
        }
        problems = results.flatMap(\.1)
        return results.flatMap(\.0)
    }

    /// Reads each child at `positions` with `read`, keeping what could be read.
    private mutating func each<T>(_ positions: some Collection<Int>, _ read: (inout SpecReader, Node) -> T?) -> [T] {
        var out: [T] = []
        out.reserveCapacity(positions.count)
        for position in positions {
            if let value = read(&self, doc.child(position)) { out.append(value) }
        }
        return out
    }

    // MARK: features

    private mutating func feature(_ node: Node) -> FeatureSpec? {
        guard doc.kind(node) == .mapping else {
            problem(node, "a feature must be a mapping with `key`, `deps` and `fields`, found \(describe(node))")
            return nil
        }
        checkKeys(node, allowed: Self.featureKeys, what: "a feature")
        guard let keyNode = doc.value(node, "key") else {
            problem(node, "this feature has no `key`; add one such as `key: example/video`")
            return nil
        }
        guard let key: FeatureKey = self.key(keyNode) else { return nil }
        var spec = FeatureSpec(key: key, location: doc.location(node))
        if let deps = doc.value(node, "deps"), !doc.isNull(deps) {
            if doc.kind(deps) == .sequence {
                spec.deps = each(doc.itemRange(deps)) { $0.featureDep($1) }
            } else {
                problem(deps, "`deps` of \(key) must be a list of feature keys, found \(describe(deps))")
            }
        }
        if let fields = doc.value(node, "fields") {
            if doc.kind(fields) == .sequence {
                spec.fields = each(doc.itemRange(fields)) { $0.field($1) }
            } else {
                problem(fields, "`fields` of \(key) must be a list, found \(describe(fields))")
            }
        }
        if let cv = doc.value(node, "code_version"), let value = codeVersion(cv) { spec.codeVersion = value }
        return spec
    }

    private mutating func featureDep(_ node: Node) -> FeatureDep? {
        guard doc.kind(node) == .mapping else {
            return key(node).map { FeatureDep(key: $0, location: doc.location(node)) }
        }
        checkKeys(node, allowed: Self.featureDepKeys, what: "a feature dependency")
        guard let keyNode = doc.value(node, "key") else {
            problem(node, "this dependency has no `key`")
            return nil
        }
        guard let key: FeatureKey = self.key(keyNode) else { return nil }
        var dep = FeatureDep(key: key, location: doc.location(node))
        if let columns = doc.value(node, "columns"), !doc.isNull(columns) {
            if doc.kind(columns) == .sequence {
                dep.columns = each(doc.itemRange(columns)) { $0.string($1, what: "a column name") }
            } else {
                problem(columns, "`columns` must be a list of column names or null")
            }
        }
        if let rename = doc.value(node, "rename"), !doc.isNull(rename) {
            if doc.kind(rename) == .mapping {
                dep.rename = doc.pairs(rename).compactMap { pair in
                    guard let from = string(pair.key, what: "a column name"),
                          let to = string(pair.value, what: "a column name") else { return nil }
                    if systemColumns.contains(to) {
                        problem(pair.value, "cannot rename column '\(from)' to the system column '\(to)'; "
                            + "system columns are \(systemColumns.sorted().joined(separator: ", "))")
                    }
                    return FeatureDep.Rename(from: from, to: to)
                }
            } else {
                problem(rename, "`rename` must be a mapping from old to new column names")
            }
        }
        return dep
    }

    // MARK: fields

    private mutating func field(_ node: Node) -> FieldSpec? {
        guard doc.kind(node) == .mapping else {
            return key(node).map { FieldSpec(key: $0, location: doc.location(node)) }
        }
        checkKeys(node, allowed: Self.fieldKeys, what: "a field")
        var spec = FieldSpec(location: doc.location(node))
        if let keyNode = doc.value(node, "key") {
            guard let key: FieldKey = self.key(keyNode) else { return nil }
            spec.key = key
        }
        if let cv = doc.value(node, "code_version"), let value = codeVersion(cv) { spec.codeVersion = value }
        if let deps = doc.value(node, "deps") { spec.deps = fieldDeps(deps, field: spec.key) }
        return spec
    }

    private mutating func fieldDeps(_ node: Node, field: FieldKey) -> AllOr<FieldDep> {
        if isAll(node) { return .all }
        switch doc.kind(node) {
        case .sequence:
            return .only(each(doc.itemRange(node)) { $0.fieldDep($1) })
        case .mapping where doc.value(node, "feature_key") == nil:
            // Short form: {upstream/key: [field, ...] or "*"}.
            return .only(doc.pairs(node).compactMap { pair in
                key(pair.key).map { FieldDep(featureKey: $0, fields: depFields(pair.value), location: doc.location(pair.key)) }
            })
        case .mapping:
            return .only([fieldDep(node)].compactMap { $0 })
        case .plain, .quoted:
            problem(node, "`deps` of field '\(field)' must be a list, a mapping {feature: [fields]}, or \"*\" for all, "
                + "found \(describe(node))")
            return .all
        }
    }

    private mutating func fieldDep(_ node: Node) -> FieldDep? {
        guard doc.kind(node) == .mapping else {
            return key(node).map { FieldDep(featureKey: $0, location: doc.location(node)) }
        }
        checkKeys(node, allowed: Self.fieldDepKeys, what: "a field dependency")
        guard let keyNode = doc.value(node, "feature_key") else {
            problem(node, "this field dependency has no `feature_key`")
            return nil
        }
        guard let key: FeatureKey = self.key(keyNode) else { return nil }
        let fields = doc.value(node, "fields").map { depFields($0) } ?? .all
        return FieldDep(featureKey: key, fields: fields, location: doc.location(node))
    }

    private mutating func depFields(_ node: Node) -> AllOr<FieldKey> {
        if isAll(node) { return .all }
        switch doc.kind(node) {
        case .sequence:
            return .only(each(doc.itemRange(node)) { $0.key($1) })
        case .plain, .quoted:
            return key(node).map { .only([$0]) } ?? .all
        case .mapping:
            problem(node, "`fields` must be a list of field keys or \"*\", found a mapping")
            return .all
        }
    }

    // MARK: scalars

    /// A key written as `"a/b"` or as a list of parts, validated as metaxy does.
    private mutating func key<K: KeyParts>(_ node: Node) -> K? {
        switch doc.kind(node) {
        case .plain, .quoted:
            guard !doc.isNull(node) else {
                problem(node, "expected a key such as \"a/b\" or [\"a\", \"b\"], found null")
                return nil
            }
            let text = doc.rawText(node)
            guard !text.isEmpty else {
                problem(node, "a key cannot be empty")
                return nil
            }
            if let message = K.problem(joined: text) {
                problem(node, message)
                return nil
            }
            return K(joined: text)
        case .sequence:
            // Joined straight from the document's bytes: keys are the most numerous strings in a graph.
            let parts = doc.itemRange(node)
            guard !parts.isEmpty else {
                problem(node, "a key needs at least one part")
                return nil
            }
            joined.removeAll(keepingCapacity: true)
            for position in parts {
                let part = doc.child(position)
                guard doc.kind(part) == .quoted || (doc.kind(part) == .plain && !doc.isJSON && !doc.isNull(part)) else {
                    problem(part, "\(K.kindName) parts must be strings, found \(describe(part))")
                    return nil
                }
                if position != parts.lowerBound { joined.append(UInt8(ascii: "/")) }
                let start = joined.count
                doc.appendText(part, to: &joined)
                if joined[start...].contains(UInt8(ascii: "/")), let message = K.problem(with: [doc.rawText(part)]) {
                    problem(part, message)
                    return nil
                }
            }
            let text = String(decoding: joined, as: UTF8.self)
            if let message = K.problem(joined: text) {
                problem(node, message)
                return nil
            }
            return K(joined: text)
        case .mapping:
            problem(node, "expected a key such as \"a/b\" or [\"a\", \"b\"], found a mapping")
            return nil
        }
    }

    /// An integer; a quoted decimal string is accepted as pydantic's lax mode does.
    private mutating func codeVersion(_ node: Node) -> Int? {
        if let text = doc.text(node), let value = Int(text.hasPrefix("+") ? String(text.dropFirst()) : text) {
            return value
        }
        problem(node, "code_version must be an integer, found \(describe(node))")
        return nil
    }

    private mutating func string(_ node: Node, what: String) -> String? {
        if let text = doc.text(node) { return text }
        problem(node, "expected \(what), found \(describe(node))")
        return nil
    }

    private func isAll(_ node: Node) -> Bool {
        doc.equals(node, "__METAXY_ALL_DEP__") || doc.equals(node, "*")
    }

    private mutating func checkKeys(_ node: Node, allowed known: [StaticString], what: String) {
        let entries = doc.itemRange(node)
        for i in stride(from: entries.lowerBound, to: entries.upperBound, by: 2) {
            let keyNode = doc.child(i)
            guard !known.contains(where: { doc.equals(keyNode, $0) }) else { continue }
            let name = doc.text(keyNode) ?? "null"
            let allowed = known.map(\.description)
            let closest = allowed.min { editDistance($0, name) < editDistance($1, name) }!
            let hint = editDistance(closest, name) <= 2 ? " (did you mean `\(closest)`?)" : ""
            problem(keyNode, "unknown key `\(name)` in \(what)\(hint); allowed: \(allowed.joined(separator: ", "))")
        }
    }

    // MARK: reporting

    private mutating func problem(_ node: Node, _ message: String) {
        problems.append(GraphProblem(file: file, location: doc.location(node), message: message))
    }

    private func describe(_ node: Node) -> String {
        switch doc.kind(node) {
        case .plain, .quoted:
            if doc.isNull(node) { return "null" }
            let text = doc.rawText(node)
            return "'\(text.count > 40 ? String(text.prefix(40)) + "…" : text)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }
}

/// Levenshtein distance, for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8), b = Array(b.utf8)
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var row = Array(0...b.count)
    for i in 1...a.count {
        var diagonal = row[0]
        row[0] = i
        for j in 1...b.count {
            let next = min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1))
            diagonal = row[j]
            row[j] = next
        }
    }
    return row[b.count]
}

import Yams

/// Turns a composed YAML/JSON node tree into FeatureSpecs, accepting metaxy's JSON shapes and
/// the short hand-written form (DESIGN §3), and recording a located problem for anything else.
struct SpecReader {
    let file: String
    private(set) var problems: [GraphProblem] = []

    init(file: String) { self.file = file }

    private static let featureKeys = ["key", "deps", "fields", "code_version"]
    private static let fieldKeys = ["key", "code_version", "deps"]
    private static let featureDepKeys = ["key", "columns", "rename"]
    private static let fieldDepKeys = ["feature_key", "fields"]

    // MARK: top level

    mutating func features(root: Node) -> [FeatureSpec] {
        switch root {
        case let .sequence(seq):
            return seq.compactMap { feature($0) }
        case let .mapping(map):
            if let list = map["features"] {
                if case let .sequence(seq) = list { return seq.compactMap { feature($0) } }
                problem(list, "`features` must be a list of features (an empty graph is `features: []`)")
                return []
            }
            if !map.isEmpty, map.allSatisfy({ $0.value.mapping?["feature_spec"] != nil }) {
                return map.compactMap { feature($0.value.mapping!["feature_spec"]!) }
            }
            let keys = map.prefix(5).map { "'\(text($0.key))'" }.joined(separator: ", ")
            problem(root, "expected `features: [...]`, a list of features, or a snapshot "
                + "{\"a/b\": {\"feature_spec\": ...}}; found the keys \(keys)")
        default:
            problem(root, "expected `features: [...]` or a list of features, found \(describe(root))")
        }
        return []
    }

    // MARK: features

    private mutating func feature(_ node: Node) -> FeatureSpec? {
        guard case let .mapping(map) = node else {
            problem(node, "a feature must be a mapping with `key`, `deps` and `fields`, found \(describe(node))")
            return nil
        }
        checkKeys(map, allowed: Self.featureKeys, what: "a feature")
        guard let keyNode = map["key"] else {
            problem(node, "this feature has no `key`; add one such as `key: example/video`")
            return nil
        }
        guard let key: FeatureKey = self.key(keyNode) else { return nil }
        var spec = FeatureSpec(key: key, location: location(node))
        if let deps = map["deps"], !GraphFileParser.isNull(deps) {
            if case let .sequence(seq) = deps {
                spec.deps = seq.compactMap { featureDep($0) }
            } else {
                problem(deps, "`deps` of \(key) must be a list of feature keys, found \(describe(deps))")
            }
        }
        if let fields = map["fields"] {
            if case let .sequence(seq) = fields {
                spec.fields = seq.compactMap { field($0, of: key) }
            } else {
                problem(fields, "`fields` of \(key) must be a list, found \(describe(fields))")
            }
        }
        if let cv = map["code_version"], let value = codeVersion(cv) { spec.codeVersion = value }
        return spec
    }

    private mutating func featureDep(_ node: Node) -> FeatureDep? {
        guard case let .mapping(map) = node else {
            return key(node).map { FeatureDep(key: $0, location: location(node)) }
        }
        checkKeys(map, allowed: Self.featureDepKeys, what: "a feature dependency")
        guard let keyNode = map["key"] else {
            problem(node, "this dependency has no `key`")
            return nil
        }
        guard let key: FeatureKey = self.key(keyNode) else { return nil }
        var dep = FeatureDep(key: key, location: location(node))
        if let columns = map["columns"], !GraphFileParser.isNull(columns) {
            if case let .sequence(seq) = columns {
                dep.columns = seq.compactMap { string($0, what: "a column name") }
            } else {
                problem(columns, "`columns` must be a list of column names or null")
            }
        }
        if let rename = map["rename"], !GraphFileParser.isNull(rename) {
            if case let .mapping(pairs) = rename {
                dep.rename = pairs.compactMap { pair in
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

    private mutating func field(_ node: Node, of feature: FeatureKey) -> FieldSpec? {
        guard case let .mapping(map) = node else {
            return key(node).map { FieldSpec(key: $0, location: location(node)) }
        }
        checkKeys(map, allowed: Self.fieldKeys, what: "a field")
        var spec = FieldSpec(location: location(node))
        if let keyNode = map["key"] {
            guard let key: FieldKey = self.key(keyNode) else { return nil }
            spec.key = key
        }
        if let cv = map["code_version"], let value = codeVersion(cv) { spec.codeVersion = value }
        if let deps = map["deps"] { spec.deps = fieldDeps(deps, field: spec.key) }
        return spec
    }

    private mutating func fieldDeps(_ node: Node, field: FieldKey) -> AllOr<FieldDep> {
        if isAll(node) { return .all }
        switch node {
        case let .sequence(seq):
            return .only(seq.compactMap { fieldDep($0) })
        case let .mapping(map) where map["feature_key"] == nil:
            // Short form: {upstream/key: [field, ...] or "*"}.
            return .only(map.compactMap { pair in
                key(pair.key).map { FieldDep(featureKey: $0, fields: depFields(pair.value), location: location(pair.key)) }
            })
        case .mapping:
            return .only([fieldDep(node)].compactMap { $0 })
        default:
            problem(node, "`deps` of field '\(field)' must be a list, a mapping {feature: [fields]}, or \"*\" for all, "
                + "found \(describe(node))")
            return .all
        }
    }

    private mutating func fieldDep(_ node: Node) -> FieldDep? {
        guard case let .mapping(map) = node else {
            return key(node).map { FieldDep(featureKey: $0, location: location(node)) }
        }
        checkKeys(map, allowed: Self.fieldDepKeys, what: "a field dependency")
        guard let keyNode = map["feature_key"] else {
            problem(node, "this field dependency has no `feature_key`")
            return nil
        }
        guard let key: FeatureKey = self.key(keyNode) else { return nil }
        return FieldDep(featureKey: key, fields: map["fields"].map { depFields($0) } ?? .all, location: location(node))
    }

    private mutating func depFields(_ node: Node) -> AllOr<FieldKey> {
        if isAll(node) { return .all }
        guard case let .sequence(seq) = node else {
            if case .scalar = node, let one: FieldKey = key(node) { return .only([one]) }
            if case .mapping = node { problem(node, "`fields` must be a list of field keys or \"*\", found a mapping") }
            return .all
        }
        return .only(seq.compactMap { key($0) })
    }

    // MARK: scalars

    /// A key written as `"a/b"` or as a list of parts, validated as metaxy does.
    private mutating func key<K: KeyParts>(_ node: Node) -> K? {
        let key: K
        switch node {
        case let .scalar(s) where !GraphFileParser.isNull(node):
            guard !s.string.isEmpty else {
                problem(node, "a key cannot be empty")
                return nil
            }
            key = K(string: s.string)
        case let .sequence(seq):
            var parts: [String] = []
            for part in seq {
                guard case let .scalar(s) = part, !GraphFileParser.isNull(part) else {
                    problem(part, "\(K.kindName) parts must be strings, found \(describe(part))")
                    return nil
                }
                parts.append(s.string)
            }
            guard !parts.isEmpty else {
                problem(node, "a key needs at least one part")
                return nil
            }
            key = K(parts)
        default:
            problem(node, "expected a key such as \"a/b\" or [\"a\", \"b\"], found \(describe(node))")
            return nil
        }
        if let message = K.problem(with: key.parts) {
            problem(node, message)
            return nil
        }
        return key
    }

    /// An integer; a quoted decimal string is accepted as pydantic's lax mode does.
    private mutating func codeVersion(_ node: Node) -> Int? {
        if case let .scalar(s) = node, s.style != .literal, s.style != .folded,
           let value = Int(s.string.hasPrefix("+") ? String(s.string.dropFirst()) : s.string) {
            return value
        }
        problem(node, "code_version must be an integer, found \(describe(node))")
        return nil
    }

    private mutating func string(_ node: Node, what: String) -> String? {
        if case let .scalar(s) = node, !GraphFileParser.isNull(node) { return s.string }
        problem(node, "expected \(what), found \(describe(node))")
        return nil
    }

    private func isAll(_ node: Node) -> Bool {
        guard case let .scalar(s) = node else { return false }
        return s.string == allDepSentinel || s.string == "*"
    }

    private mutating func checkKeys(_ map: Node.Mapping, allowed: [String], what: String) {
        for (keyNode, _) in map {
            let name = text(keyNode)
            guard !allowed.contains(name) else { continue }
            let hint = allowed.min { editDistance($0, name) < editDistance($1, name) }
                .flatMap { editDistance($0, name) <= 2 ? " (did you mean `\($0)`?)" : nil } ?? ""
            problem(keyNode, "unknown key `\(name)` in \(what)\(hint); allowed: \(allowed.joined(separator: ", "))")
        }
    }

    // MARK: reporting

    private mutating func problem(_ node: Node, _ message: String) {
        problems.append(GraphProblem(file: file, location: location(node), message: message))
    }

    private func location(_ node: Node) -> SourceLocation {
        node.mark.map { SourceLocation(line: $0.line, column: $0.column) } ?? .unknown
    }

    private func text(_ node: Node) -> String {
        if case let .scalar(s) = node { return s.string }
        return describe(node)
    }

    private func describe(_ node: Node) -> String {
        switch node {
        case let .scalar(s):
            if GraphFileParser.isNull(node) { return "null" }
            let shown = s.string.count > 40 ? String(s.string.prefix(40)) + "…" : s.string
            return "'\(shown)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}

/// Levenshtein distance, for "did you mean" hints on short key names.
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

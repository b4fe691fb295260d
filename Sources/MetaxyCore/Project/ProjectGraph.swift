/// A metaxy 0.1.11 project graph rebuilt from the texts stored in metaxy_system__feature_versions.
public struct ProjectGraph: Sendable {
    public let project: String
    /// metaxy's `topological_sort_features()`: dependencies first.
    public let features: [ProjectFeature]
    let index: [String: Int]
    /// `json.dumps(…, sort_keys=True)` of each feature's spec and schema, for the versions.
    let hashedSpecs: [(spec: String, schema: String)]

    public init(project: String, specs: [(spec: String, schema: String?, classPath: String?)]) throws(ProjectGraphError) {
        self.project = project
        var parsed: [ProjectSpec] = []
        var byKey: [String: Int] = [:]
        for (n, stored) in specs.enumerated() {
            let spec = try ProjectSpec(text: stored.spec, index: n)
            guard byKey.updateValue(n, forKey: spec.key) == nil else { throw ProjectGraphError("feature \(spec.key) is defined twice") }
            parsed.append(spec)
        }
        for spec in parsed {
            for dep in spec.deps where byKey[dep.feature] == nil {
                throw ProjectGraphError("feature \(spec.key) depends on \(dep.feature), which is not in the graph")
            }
        }
        let order = try Self.topologicalOrder(parsed, byKey: byKey)
        var features: [ProjectFeature] = []
        var hashed: [(String, String)] = []
        for n in order {
            let spec = parsed[n]
            let upstream = spec.deps.map { parsed[byKey[$0.feature]!] }
            var fields: [ProjectField] = []
            for field in spec.fields {
                let parents = try Self.parents(of: field, in: spec, upstream: upstream)
                fields.append(ProjectField(key: field.key, structKey: field.key.replacingOccurrences(of: "/", with: "_"),
                                           codeVersion: field.codeVersion, parents: parents))
            }
            let parts = spec.key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            let schemaText = specs[n].schema
            let schema = schemaText.flatMap { JSONValue.parse(Array($0.utf8)) }
            if schemaText != nil && schema == nil { throw ProjectGraphError("feature \(spec.key): the schema is not JSON") }
            features.append(ProjectFeature(
                key: spec.key, keyParts: parts,
                tableName: parts.joined(separator: "__").replacingOccurrences(of: "-", with: "_"),
                idColumns: spec.idColumns, deps: spec.deps, fields: fields, description: spec.description,
                classPath: specs[n].classPath, specText: specs[n].spec, schemaText: schemaText))
            // No stored schema (an external feature): hashed as `{}`.
            hashed.append((spec.sortedSpecText, (schema ?? .object([])).pythonDumps(sortKeys: true)))
        }
        self.features = features
        hashedSpecs = hashed
        index = Dictionary(uniqueKeysWithValues: features.enumerated().map { ($1.key, $0) })
    }

    public func feature(_ key: String) -> ProjectFeature? { index[key].map { features[$0] } }

    /// Depth-first, post-order, keys and each feature's deps visited in lowercase string order.
    private static func topologicalOrder(_ specs: [ProjectSpec], byKey: [String: Int]) throws(ProjectGraphError) -> [Int] {
        func less(_ a: String, _ b: String) -> Bool { codePointLess(a.lowercased(), b.lowercased()) }
        var state = [UInt8](repeating: 0, count: specs.count)  // 0 new, 1 on the path, 2 done
        var order: [Int] = []
        func visit(_ n: Int, path: [String]) throws(ProjectGraphError) {
            if state[n] == 2 { return }
            let key = specs[n].key
            if state[n] == 1 {
                throw ProjectGraphError("feature \(key) depends on itself: \((path.drop(while: { $0 != key }) + [key]).joined(separator: " → "))")
            }
            state[n] = 1
            for dep in specs[n].deps.map(\.feature).sorted(by: less) { try visit(byKey[dep]!, path: path + [key]) }
            state[n] = 2
            order.append(n)
        }
        for n in specs.indices.sorted(by: { less(specs[$0].key, specs[$1].key) }) { try visit(n, path: []) }
        return order
    }

    /// metaxy's `FeaturePlan.get_parent_fields_for_field`: explicit deps win, `"__METAXY_ALL_DEP__"`
    /// takes every upstream field, and `[]` applies each FeatureDep's fields mapping.
    private static func parents(of field: ProjectSpec.Field, in spec: ProjectSpec, upstream: [ProjectSpec]) throws(ProjectGraphError) -> [String] {
        guard !spec.deps.isEmpty else { return [] }
        func fail(_ what: String) -> ProjectGraphError { ProjectGraphError("feature \(spec.key), field \(field.key): \(what)") }
        var parents = Set<String>()
        switch field.deps {
        case .all:
            for up in upstream { for f in up.fields { parents.insert(up.key + "." + f.key) } }
        case let .explicit(deps):
            for dep in deps {
                guard let up = upstream.first(where: { $0.key == dep.feature }) else {
                    throw fail("depends on \(dep.feature), which is not among the feature's deps")
                }
                for name in dep.fields ?? up.fields.map(\.key) {
                    guard up.fields.contains(where: { $0.key == name }) else { throw fail("\(up.key) has no field \(name)") }
                    parents.insert(up.key + "." + name)
                }
            }
        case .automatic:
            for (dep, up) in zip(spec.deps, upstream) {
                for name in mapped(field.key, by: dep.fieldsMapping, from: up.fields.map(\.key)) {
                    parents.insert(up.key + "." + name)
                }
            }
            if parents.isEmpty { throw fail("no upstream field matches it; give it explicit deps or a fields mapping") }
        }
        return parents.sorted(by: codePointLess)
    }

    private static func mapped(_ key: String, by mapping: FieldsMapping, from upstream: [String]) -> [String] {
        switch mapping {
        case .all: return upstream
        case .none: return []
        case let .specific(map): return upstream.filter { map[key]?.contains($0) == true }
        case let .default(matchSuffix, exclude):
            let candidates = upstream.filter { !exclude.contains($0) }
            let parts = key.split(separator: "/", omittingEmptySubsequences: false)
            let matches = candidates.filter { name in
                if name == key { return true }
                let upParts = name.split(separator: "/", omittingEmptySubsequences: false)
                return matchSuffix && parts.count < upParts.count && Array(upParts.suffix(parts.count)) == parts
            }
            return matches.isEmpty ? candidates : matches
        }
    }
}

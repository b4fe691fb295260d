/// A feature_spec as metaxy 0.1.11 stores it (`FeatureSpec.model_dump(mode="json")`), read into
/// what the graph needs before field parents are resolved.
struct ProjectSpec {
    /// A field's `deps`: `[]` means the FeatureDeps' fields mappings decide.
    enum FieldDeps {
        case automatic
        case all
        /// `{feature, fields}` pairs; nil fields is `"__METAXY_ALL_DEP__"`.
        case explicit([(feature: String, fields: [String]?)])
    }

    struct Field {
        let key: String
        let codeVersion: String
        let deps: FieldDeps
    }

    static let allDep = "__METAXY_ALL_DEP__"

    let key: String
    let idColumns: [String]
    let deps: [ProjectDep]
    let fields: [Field]
    let description: String?
    /// `json.dumps(spec, sort_keys=True)`: the text feature_spec_version hashes.
    let sortedSpecText: String

    init(text: String, index: Int) throws(ProjectGraphError) {
        guard let json = JSONValue.parse(Array(text.utf8)), json.members != nil else {
            throw ProjectGraphError("feature spec #\(index + 1) is not a JSON object")
        }
        guard let key = json["key"].flatMap(Self.keyString) else {
            throw ProjectGraphError("feature spec #\(index + 1) has no key")
        }
        func fail(_ what: String) -> ProjectGraphError { ProjectGraphError("feature \(key): \(what)") }
        // 0.1.x's key rules leave no dot in a key: fields are named "feature/key.field/key".
        guard !key.contains(".") else { throw fail("a key holds no '.' (metaxy 0.1.x's key rules)") }
        self.key = key
        guard let ids = json["id_columns"].flatMap(Self.strings) else { throw fail("id_columns is not a list of strings") }
        guard !ids.isEmpty, Set(ids).count == ids.count else { throw fail("id_columns must name at least one column, each once") }
        idColumns = ids
        var deps: [ProjectDep] = []
        for dep in json["deps"]?.items ?? [] {
            deps.append(try Self.dep(dep, idColumns: ids, fail: fail))
        }
        self.deps = deps
        var fields: [Field] = []
        for field in json["fields"]?.items ?? [] {
            guard let fieldKey = field["key"].flatMap(Self.keyString), !fieldKey.contains(".") else {
                throw fail("a field has no key, or one with a '.'")
            }
            let codeVersion: String
            switch field["code_version"] {
            case let .string(s)?: codeVersion = s
            case let .int(i)?: codeVersion = String(i)
            default: throw fail("field \(fieldKey) has no code_version")
            }
            fields.append(Field(key: fieldKey, codeVersion: codeVersion, deps: try Self.fieldDeps(field["deps"], fail: { fail("field \(fieldKey): \($0)") })))
        }
        guard !fields.isEmpty else { throw fail("no fields") }
        self.fields = fields
        if case let .string(s)? = json["description"] { description = s } else { description = nil }
        sortedSpecText = json.pythonDumps(sortKeys: true)
    }

    private static func dep(_ json: JSONValue, idColumns: [String], fail: (String) -> ProjectGraphError) throws(ProjectGraphError) -> ProjectDep {
        guard let feature = json["feature"].flatMap(keyString) else { throw fail("a dependency has no feature") }
        func depFail(_ what: String) -> ProjectGraphError { fail("dependency \(feature): \(what)") }
        var rename: [String: String] = [:]
        for (from, to) in json["rename"]?.members ?? [] {
            guard case let .string(name) = to else { throw depFail("rename \(from) is not a string") }
            rename[from] = name
        }
        let relationship = json["lineage"]?["relationship"]
        let on = relationship?["on"].flatMap(strings)
        let lineage: Lineage
        switch relationship?["type"] {
        case nil, .string("1:1")?: lineage = .identity
        case .string("N:1")?: lineage = .aggregation(on: on ?? idColumns)
        case .string("1:N")?:
            guard let on else { throw depFail("a 1:N lineage without on") }
            lineage = .expansion(on: on)
        default: throw depFail("unknown lineage \(relationship?["type"].map { $0.compact() } ?? "")")
        }
        let optional: Bool = if case .bool(true)? = json["optional"] { true } else { false }
        let filters: [String] = switch json["sql_filters"] {
        case nil, .null?: []
        case let .string(text)?: [text]
        case let .array(items)?: items.map { if case let .string(s) = $0 { s } else { $0.compact() } }
        case let other?: [other.compact()]
        }
        return ProjectDep(feature: feature, select: json["select"].flatMap(strings), rename: rename, lineage: lineage,
                          optional: optional, fieldsMapping: try fieldsMapping(json["fields_mapping"]?["mapping"], fail: depFail),
                          filters: filters)
    }

    private static func fieldsMapping(_ json: JSONValue?, fail: (String) -> ProjectGraphError) throws(ProjectGraphError) -> FieldsMapping {
        switch json?["type"] {
        case nil, .string("default")?:
            let matchSuffix: Bool = if case .bool(true)? = json?["match_suffix"] { true } else { false }
            return .default(matchSuffix: matchSuffix, exclude: (json?["exclude_fields"]?.items ?? []).compactMap(keyString))
        case .string("specific")?:
            var mapping: [String: [String]] = [:]
            for (field, upstream) in json?["mapping"]?.members ?? [] {
                mapping[field] = (upstream.items ?? []).compactMap(keyString)
            }
            return .specific(mapping)
        case .string("all")?: return .all
        case .string("none")?: return .none
        default: throw fail("unknown fields_mapping \(json?.compact() ?? "")")
        }
    }

    private static func fieldDeps(_ json: JSONValue?, fail: (String) -> ProjectGraphError) throws(ProjectGraphError) -> FieldDeps {
        switch json {
        case nil, .null?: return .automatic
        case .string(allDep)?: return .all
        case let .array(items)?:
            if items.isEmpty { return .automatic }
            var deps: [(feature: String, fields: [String]?)] = []
            for item in items {
                guard let feature = item["feature"].flatMap(keyString) else { throw fail("a field dep has no feature") }
                switch item["fields"] {
                case nil, .string(allDep)?: deps.append((feature, nil))
                case let .array(fields)?: deps.append((feature, fields.compactMap(keyString)))
                default: throw fail("field dep \(feature) has unreadable fields")
                }
            }
            return .explicit(deps)
        default: throw fail("unreadable deps")
        }
    }

    /// Keys are stored as `"a/b"`; a list of parts is read too.
    static func keyString(_ json: JSONValue) -> String? {
        switch json {
        case let .string(s): s
        case .array: strings(json)?.joined(separator: "/")
        default: nil
        }
    }

    private static func strings(_ json: JSONValue) -> [String]? {
        guard case let .array(items) = json else { return nil }
        var out: [String] = []
        for case let .string(s) in items { out.append(s) }
        return out.count == items.count ? out : nil
    }
}

extension JSONValue {
    /// The items of an array.
    var items: [JSONValue]? { if case let .array(a) = self { a } else { nil } }
}

/// FeatureSpec as metaxy serialises it (`model_dump(mode="json")`, reference §2): keys as lists
/// of parts, fields in declaration order, ALL as its sentinel string.
extension FeatureSpec {
    public var jsonValue: JSONValue {
        .object([
            ("key", Self.parts(key.parts)),
            ("deps", deps.map { .array($0.map(\.jsonValue)) } ?? .null),
            ("fields", .array(fields.map(\.jsonValue))),
            ("code_version", .int(codeVersion)),
        ])
    }

    static func parts(_ parts: [String]) -> JSONValue { .array(parts.map { .string($0) }) }
}

extension FeatureDep {
    public var jsonValue: JSONValue {
        .object([
            ("key", FeatureSpec.parts(key.parts)),
            ("columns", columns.map { .array($0.map { .string($0) }) } ?? .null),
            ("rename", rename.map { .object($0.map { ($0.from, .string($0.to)) }) } ?? .null),
        ])
    }
}

extension FieldSpec {
    public var jsonValue: JSONValue {
        let deps: JSONValue = switch self.deps {
        case .all: .string(allDepSentinel)
        case let .only(list): .array(list.map(\.jsonValue))
        }
        return .object([("key", FeatureSpec.parts(key.parts)), ("code_version", .int(codeVersion)), ("deps", deps)])
    }
}

extension FieldDep {
    public var jsonValue: JSONValue {
        let fields: JSONValue = switch self.fields {
        case .all: .string(allDepSentinel)
        case let .only(keys): .array(keys.map { FeatureSpec.parts($0.parts) })
        }
        return .object([("feature_key", FeatureSpec.parts(featureKey.parts)), ("fields", fields)])
    }
}

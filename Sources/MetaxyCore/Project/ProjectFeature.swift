/// One FeatureDep of a metaxy 0.1 spec.
public struct ProjectDep: Sendable {
    /// The upstream key string `a/b`.
    public let feature: String
    public let select: [String]?
    /// Upstream column → its name in this feature.
    public let rename: [String: String]
    public let lineage: Lineage
    /// A left join: a missing upstream value hashes as "".
    public let optional: Bool
    public let fieldsMapping: FieldsMapping
    /// The dep's `sql_filters`, as stored (nil or empty: none). They are not applied here.
    public let filters: [String]
}

public struct ProjectField: Sendable {
    /// The key string `a/b`.
    public let key: String
    /// The parts joined by `_`: the name inside metaxy_provenance_by_field.
    public let structKey: String
    public let codeVersion: String
    /// Resolved parent fields as `feature/key.field/key`, sorted by that string.
    public let parents: [String]
}

/// A feature as metaxy 0.1.11 records it in metaxy_system__feature_versions.
public struct ProjectFeature: Sendable {
    public let key: String
    public let keyParts: [String]
    /// Parts joined by `__`, `-` replaced by `_`.
    public let tableName: String
    public let idColumns: [String]
    public let deps: [ProjectDep]
    /// In spec order.
    public let fields: [ProjectField]
    public let description: String?
    public let classPath: String?
    /// The stored feature_spec text.
    public let specText: String
    /// The stored feature_schema text.
    public let schemaText: String?

    public func field(_ key: String) -> ProjectField? { fields.first { $0.key == key } }
}

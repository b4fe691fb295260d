/// Where something was written in a graph file. Locations carry no identity:
/// two specs that differ only in where they were written are equal.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static let unknown = SourceLocation(line: 0, column: 0)
    public static func == (_: Self, _: Self) -> Bool { true }
    public func hash(into _: inout Hasher) {}
    public var description: String { "\(line):\(column)" }
}

/// metaxy's `SpecialFieldDep.ALL` or an explicit list.
public enum AllOr<Element: Hashable & Sendable>: Hashable, Sendable {
    case all
    case only([Element])
}

/// The string metaxy writes for `SpecialFieldDep.ALL`.
public let allDepSentinel = "__METAXY_ALL_DEP__"

/// Columns a FeatureDep may not be renamed onto (reference §2).
public let systemColumns: Set<String> = [
    "sample_uid", "data_version", "feature_version", "snapshot_version",
    "metaxy_feature_version", "metaxy_snapshot_version", "metaxy_data_version",
]

/// A field's dependency on fields of one upstream feature.
public struct FieldDep: Hashable, Sendable {
    public var featureKey: FeatureKey
    public var fields: AllOr<FieldKey>
    public var location: SourceLocation

    public init(featureKey: FeatureKey, fields: AllOr<FieldKey> = .all, location: SourceLocation = .unknown) {
        self.featureKey = featureKey
        self.fields = fields
        self.location = location
    }
}

/// One field of a feature: its code version and which upstream fields it reads.
public struct FieldSpec: Hashable, Sendable {
    public var key: FieldKey
    public var codeVersion: Int
    public var deps: AllOr<FieldDep>
    public var location: SourceLocation
    /// metaxy 0.1.x's code version, a string (`"1"`, `"__metaxy_initial__"`), when the field is 0.1.x's.
    public var codeText: String?

    public init(key: FieldKey = .default, codeVersion: Int = 1, deps: AllOr<FieldDep> = .all,
                location: SourceLocation = .unknown, codeText: String? = nil) {
        self.key = key
        self.codeVersion = codeVersion
        self.deps = deps
        self.location = location
        self.codeText = codeText
    }

    /// The code version as shown: 0.1.x's string, or 0.0.0's integer.
    public var codeVersionText: String { codeText ?? String(codeVersion) }
}

/// A feature-level dependency; columns and rename shape the join but never enter a hash.
public struct FeatureDep: Hashable, Sendable {
    public struct Rename: Hashable, Sendable {
        public var from: String
        public var to: String
        public init(from: String, to: String) { self.from = from; self.to = to }
    }

    public var key: FeatureKey
    /// nil: all columns; empty: system columns only.
    public var columns: [String]?
    /// Ordered as written, since metaxy serialises the dict in insertion order.
    public var rename: [Rename]?
    public var location: SourceLocation

    public init(key: FeatureKey, columns: [String]? = nil, rename: [Rename]? = nil,
                location: SourceLocation = .unknown) {
        self.key = key
        self.columns = columns
        self.rename = rename
        self.location = location
    }
}

/// A feature as declared: key, feature deps (nil or empty for a root) and fields.
public struct FeatureSpec: Hashable, Sendable {
    public var key: FeatureKey
    public var deps: [FeatureDep]?
    public var fields: [FieldSpec]
    /// Serialised by metaxy but never hashed.
    public var codeVersion: Int
    public var location: SourceLocation

    public init(key: FeatureKey, deps: [FeatureDep]? = nil, fields: [FieldSpec] = [FieldSpec()],
                codeVersion: Int = 1, location: SourceLocation = .unknown) {
        self.key = key
        self.deps = deps
        self.fields = fields
        self.codeVersion = codeVersion
        self.location = location
    }

    public var isRoot: Bool { deps?.isEmpty ?? true }
}

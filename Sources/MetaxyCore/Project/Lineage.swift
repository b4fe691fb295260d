/// How a FeatureDep's rows meet the feature's: 1:1, N:1 (aggregation), 1:N (expansion).
public enum Lineage: Sendable, Equatable {
    case identity
    /// Upstream rows grouped by `on` (metaxy's default: the feature's id columns).
    case aggregation(on: [String])
    /// Each upstream row, identified by `on`, becomes several rows of the feature.
    case expansion(on: [String])
}

/// How a field with automatic deps (`deps: []`) picks its parents among one upstream's fields.
public enum FieldsMapping: Sendable, Equatable {
    /// The field with the same key (or, with `matchSuffix`, a key ending in its parts); when none
    /// matches, every field; `exclude` fields never count.
    case `default`(matchSuffix: Bool, exclude: [String])
    /// Field key string → the upstream field key strings it depends on.
    case specific([String: [String]])
    case all
    case none
}

/// How one feature's per-sample data versions are computed (reference §5.3): for each field, the
/// upstream fields whose sample values are hashed, in metaxy's order, with metaxy's quirks.
public struct DataVersionRecipe: Sendable {
    /// One upstream value that enters a field's hash: `U/g` and the sample's value of U's field g.
    public struct Input: Hashable, Sendable {
        public let upstream: FeatureKey
        public let field: FieldKey
        /// `U/g`, the label hashed before the value (a slash, not a dot).
        public var label: String { upstream.string + "/" + field.string }
    }

    public struct Field: Sendable {
        public let key: FieldKey
        public let codeVersion: Int
        public let inputs: [Input]
    }

    public let feature: FeatureKey
    /// In spec order, as metaxy builds the data_version struct.
    public let fields: [Field]
    /// The upstream features joined on sample_uid, in FeatureKey list order: every FeatureDep,
    /// also one no field reads. metaxy joins them all, so a sample missing from any of them has
    /// no data version here (its values are hashed only where a field reads them).
    public let upstreams: [FeatureKey]

    /// metaxy's `FeaturePlan.field_dependencies`, which differs from the field-version parents:
    /// two FieldDeps on one upstream replace each other (the last wins), a field listed twice is
    /// hashed twice, and upstreams and fields are sorted as key lists.
    public init(graph: FeatureGraph, feature f: Int) {
        let spec = graph.specs[f]
        feature = spec.key
        func allFields(_ key: FeatureKey) -> [FieldKey] {
            graph.index(of: key).map { graph.specs[$0].fields.map(\.key) } ?? []
        }
        fields = spec.fields.map { field in
            var byUpstream: [FeatureKey: [FieldKey]] = [:]
            switch field.deps {
            case .all:
                for dep in spec.deps ?? [] { byUpstream[dep.key] = allFields(dep.key) }
            case let .only(deps):
                for dep in deps {
                    switch dep.fields {
                    case .all: byUpstream[dep.featureKey] = allFields(dep.featureKey)
                    case let .only(keys): byUpstream[dep.featureKey] = keys
                    }
                }
            }
            let inputs = byUpstream.keys.sorted(by: FeatureKey.listLess).flatMap { upstream in
                byUpstream[upstream]!.sorted(by: FieldKey.listLess).map { Input(upstream: upstream, field: $0) }
            }
            return Field(key: field.key, codeVersion: field.codeVersion, inputs: inputs)
        }
        upstreams = Array(Set(fields.flatMap { $0.inputs.map(\.upstream) } + (spec.deps ?? []).map(\.key))).sorted(by: FeatureKey.listLess)
    }

    /// `field|code_version|U/g|value|…`; nil when a value is missing, as any null makes metaxy's
    /// concatenation null.
    public static func hashInput(_ field: Field, value: (Input) -> String?) -> String? {
        var parts = [field.key.string, String(field.codeVersion)]
        for input in field.inputs {
            guard let v = value(input) else { return nil }
            parts.append(input.label)
            parts.append(v)
        }
        return parts.joined(separator: "|")
    }

    /// The data version of one sample: field → hash, from the upstream rows' data versions
    /// (`upstreamValues[U][g]`); nil for a field whose inputs are incomplete.
    public func dataVersion(upstreamValues: [FeatureKey: [String: String]], algorithm: HashAlgorithm) -> [(String, String?)] {
        fields.map { field in
            let input = Self.hashInput(field) { upstreamValues[$0.upstream]?[$0.field.string] }
            return (field.key.string, input.map(algorithm.digest))
        }
    }
}

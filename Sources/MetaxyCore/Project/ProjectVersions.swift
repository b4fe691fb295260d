import Crypto

/// The versions metaxy 0.1.11 computes for a project at one hash truncation length.
public struct ProjectVersions: Sendable {
    public struct Feature: Sendable {
        public let featureVersion, specVersion, definitionVersion, specCodeVersion: String
        /// Field key string → field version.
        public let fields: [String: String]
    }

    public let projectVersion: String
    /// By feature key string.
    public let features: [String: Feature]
}

extension ProjectGraph {
    /// `t(x)` below is the first `truncation` characters of sha256 hex; versions feed later ones in
    /// truncated form, so a downstream version at 8 is not a prefix of the one at 64.
    public func versions(truncation: Int = 8) -> ProjectVersions {
        func t(_ text: String) -> String {
            var text = text
            return String(text.withUTF8 { HashAlgorithm.sha256.digest(UnsafeRawBufferPointer($0)) }.prefix(truncation))
        }
        var fieldVersions: [String: String] = [:]  // by FQ string
        var out: [String: ProjectVersions.Feature] = [:]
        for (n, feature) in features.enumerated() {
            var fields: [String: String] = [:]
            for field in feature.fields {
                // t(fq + code_version + parent versions), parents sorted by FQ string.
                let version = t(feature.key + "." + field.key + field.codeVersion + field.parents.map { fieldVersions[$0]! }.joined())
                fieldVersions[feature.key + "." + field.key] = version
                fields[field.key] = version
            }
            let byKey = feature.fields.sorted { codePointLess($0.key, $1.key) }
            let specVersion = t(hashedSpecs[n].spec)
            out[feature.key] = ProjectVersions.Feature(
                featureVersion: t(byKey.map { $0.key + fields[$0.key]! }.joined()),
                specVersion: specVersion,
                definitionVersion: t(specVersion + hashedSpecs[n].schema),
                specCodeVersion: t(byKey.map { $0.key + $0.codeVersion }.joined()),
                fields: fields)
        }
        let listOrder = features.map(\.key).sorted { FeatureKey.listLess(FeatureKey(string: $0), FeatureKey(string: $1)) }
        let project = features.isEmpty ? "empty" : t(listOrder.map { $0 + out[$0]!.definitionVersion }.joined())
        return ProjectVersions(projectVersion: project, features: out)
    }
}

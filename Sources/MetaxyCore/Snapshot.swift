/// A snapshot recorded in a store: its version, when, and how many features it has.
public struct Snapshot: Sendable, Equatable {
    public let version: String
    /// The earliest `recorded_at` of the snapshot's rows, as stored (naive UTC).
    public let recordedAt: String
    public let featureCount: Int

    public init(version: String, recordedAt: String, featureCount: Int) {
        self.version = version
        self.recordedAt = recordedAt
        self.featureCount = featureCount
    }

    /// ISO 8601 with the zone said: metaxy stores naive UTC.
    public var recordedAtUTC: String { recordedAt + "Z" }

    /// `{"snapshot_version", "recorded_at", "feature_count"}` (DESIGN §4); a metaxy 0.1.x
    /// project's version as `{"project", "project_version", "recorded_at", "feature_count"}`.
    public func jsonValue(project: String? = nil) -> JSONValue {
        .object((project.map { [("project", .string($0)), ("project_version", .string(version))] } ?? [("snapshot_version", .string(version))])
                + [("recorded_at", .string(recordedAtUTC)), ("feature_count", .int(featureCount))])
    }
}

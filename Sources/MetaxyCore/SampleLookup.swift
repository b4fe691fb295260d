/// One stored row of a sample in one feature's table.
public struct SampleRow: Sendable, Equatable {
    public let featureVersion: String
    /// Field key → data version, as stored.
    public let dataVersion: [String: String]

    public init(featureVersion: String, dataVersion: [String: String]) {
        self.featureVersion = featureVersion
        self.dataVersion = dataVersion
    }
}

/// One sample through the whole graph: per feature, in dependency order, what is stored, what
/// the upstream rows give now, its state, and for each stale field the upstream value that moved.
public struct SampleLookup: Sendable {
    /// The stale-set words of `store status`, for one sample.
    public enum State: String, Sendable, CaseIterable {
        /// Stored at the current feature version and every field as the upstream rows give it.
        case fresh
        /// Stored, but a field's data version is not what the upstream rows give now (stale).
        case changed
        /// Every upstream has it, this feature does not at its current feature version.
        case added
        /// Stored, but gone from an upstream: no longer one of its targets.
        case removed
        /// Neither here nor in every upstream (a root: not ingested).
        case missing

        public var isStale: Bool { self == .changed || self == .added || self == .removed }
    }

    /// Why a field is stale: the first upstream field whose value moved since its row before.
    public struct Cause: Sendable, Equatable {
        public let field: String
        /// `U/g`; nil for a field that reads no upstream field.
        public let upstream: String?
        /// U, to go and look at the sample there.
        public let upstreamFeature: FeatureKey?
        /// The upstream value in its row before the latest (nil when none is kept), and now; the
        /// same value twice means the stored row was computed from still older values.
        public let stored: String?
        public let expected: String?

        public init(field: String, upstream: SampleExplanation.Input?, stored: String?, expected: String?) {
            self.field = field
            self.upstream = upstream?.label
            upstreamFeature = upstream?.upstream
            self.stored = stored
            self.expected = expected
        }
    }

    public struct Feature: Sendable {
        public let feature: Int
        public let key: FeatureKey
        public let root: Bool
        public let state: State
        /// Rows of the sample in the table, any feature version.
        public let rows: Int
        /// The feature versions of those rows, in write order, each once.
        public let featureVersions: [String]
        /// Field by field, as `explain` gives it.
        public let why: SampleExplanation
        public let causes: [Cause]

        /// The stored data version at the current feature version, in spec field order.
        public var dataVersion: [(String, String)]? {
            why.storedAtCurrentVersion ? why.fields.compactMap { f in f.stored.map { (f.key, $0) } } : nil
        }

        /// What the upstream rows give now; nil for roots and samples not in every upstream.
        public var expected: [(String, String)]? {
            root || why.fields.contains { $0.expected == nil } ? nil : why.fields.map { ($0.key, $0.expected!) }
        }
    }

    public let uid: SampleUID
    /// In the graph's dependency order.
    public let features: [Feature]

    /// `rows[U]`: the sample's rows in U's table, oldest first (none when absent).
    public init(graph: FeatureGraph, uid: SampleUID, algorithm: HashAlgorithm, rows: [FeatureKey: [SampleRow]]) {
        self.uid = uid
        features = graph.topologicalOrder.map { f in
            let key = graph.key(f), own = rows[key] ?? []
            let why = SampleExplanation(graph: graph, feature: f, uid: uid, algorithm: algorithm) { rows[$0] ?? [] }
            let joined = why.inEveryUpstream, stored = why.storedAtCurrentVersion
            let state: State = graph.isRoot(f) ? (stored ? .fresh : .missing)
                : stored ? (joined ? (why.fields.contains(where: \.isStale) ? .changed : .fresh) : .removed)
                : joined ? .added : .missing
            // An input rewritten since its row before is the cause; else the field's first input,
            // with its row before if one is kept (a replace drops it).
            let causes = state != .changed ? [] : why.fields.filter(\.isStale).map { field in
                (field.inputs.first(where: \.changed) ?? field.inputs.first)
                    .map { Cause(field: field.key, upstream: $0, stored: $0.previous, expected: $0.value) }
                    ?? Cause(field: field.key, upstream: nil, stored: nil, expected: nil)
            }
            var versions: [String] = []
            for row in own where !versions.contains(row.featureVersion) { versions.append(row.featureVersion) }
            return Feature(feature: f, key: key, root: graph.isRoot(f), state: state, rows: own.count,
                           featureVersions: versions, why: why, causes: causes)
        }
    }

    /// No feature has a row of it: most likely a mistyped sample_uid.
    public var storedNowhere: Bool { features.allSatisfy { $0.rows == 0 } }

    /// The first stale feature in dependency order: where to start looking.
    public var firstStale: Feature? { features.first { $0.state.isStale } }

    /// `store lookup --format json` (DESIGN §4).
    public var json: JSONValue {
        func versions(_ pairs: [(String, String)]?) -> JSONValue { pairs.map { .object($0.map { ($0.0, .string($0.1)) }) } ?? .null }
        func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        return .object([
            ("sample_uid", uid.jsonValue),
            ("features", .array(features.map { f in
                .object([
                    ("key", .string(f.key.string)), ("state", .string(f.state.rawValue)), ("rows", .int(f.rows)),
                    ("feature_versions", .array(f.featureVersions.map(JSONValue.string))),
                    ("data_version", versions(f.dataVersion)), ("expected", versions(f.expected)),
                    ("causes", .array(f.causes.map { c in
                        .object([("field", .string(c.field)), ("upstream", text(c.upstream)), ("stored", text(c.stored)),
                                 ("expected", text(c.expected))])
                    })),
                ])
            })),
        ])
    }

    /// For people: a summary line, then a line per feature, and under a stale one its causes.
    public var text: String {
        let counts = State.allCases.map { state in (state, features.filter { $0.state == state }.count) }.filter { $0.1 > 0 }
        var out = ["sample \(uid) in \(counted(features.count, "feature")): "
            + counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", ")]
        if storedNowhere {
            out.append("no feature stores sample_uid \(uid): check the id (`metaxy-tui store samples STORE FEATURE` lists a feature's rows)")
        }
        let width = features.map { displayWidth($0.key.string) }.max() ?? 0
        for f in features {
            let pad = String(repeating: " ", count: width - displayWidth(f.key.string))
            let versions = f.featureVersions.map { String($0.prefix(8)) }.joined(separator: " ")
            out.append("\(f.state.glyph) \(f.key)\(pad)  \(f.state.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))  "
                + "\(counted(f.rows, "row"))\(versions.isEmpty ? "" : " at " + versions)")
            for cause in f.causes {
                guard let upstream = cause.upstream else {
                    out.append("    \(cause.field): reads no upstream field; its stored data version was not computed here")
                    continue
                }
                out.append("    \(cause.field) ← \(upstream): \(cause.wasText) → \(cause.expected ?? "—")")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

extension SampleLookup.Cause {
    /// The upstream value before, for people: also when it is not known.
    public var wasText: String {
        guard let stored else { return "(its earlier value is not kept)" }
        return stored == expected ? "(unchanged since its row before: computed from older values)" : stored
    }
}

extension SampleLookup.State {
    /// The Store screen's glyphs: ✓ fresh, ~ changed, + added, - removed, · missing.
    public var glyph: String {
        switch self {
        case .fresh: "✓"
        case .changed: "~"
        case .added: "+"
        case .removed: "-"
        case .missing: "·"
        }
    }
}

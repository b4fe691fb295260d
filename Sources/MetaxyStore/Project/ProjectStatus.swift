import MetaxyCore

/// One feature of a 0.1.x store against a recorded project version, in metaxy 0.1.x's words:
/// `new` (upstream has the id, the feature does not), `stale` (stored with another
/// `metaxy_provenance`), `orphaned` (stored, no longer in the upstream join). Ids in id-column order, sorted.
public struct ProjectFeatureStatus: Sendable {
    public let key: String
    public let featureVersion: String
    public let idColumns: [String]
    public let root: Bool
    public let storedRows: Int
    public let currentRows: Int
    public let new: [[IDValue]]
    public let stale: [[IDValue]]
    public let orphaned: [[IDValue]]

    /// As the screens take a status: `added`, `changed`, `removed` hold new, stale, orphaned.
    var featureStatus: FeatureStatus {
        func uids(_ ids: [[IDValue]]) -> [SampleUID] { ids.map(SampleUID.init(ids:)).sorted() }
        return FeatureStatus(key: FeatureKey(string: key), featureVersion: featureVersion, root: root, storedRows: storedRows,
                             currentRows: currentRows, added: uids(new), changed: uids(stale), removed: uids(orphaned))
    }
}

extension SampleUID {
    /// A sample of a 0.1.x feature as one value: its only id, or its ids joined by ", ".
    init(ids: [IDValue]) {
        if ids.count == 1, case let .int(i) = ids[0] { self = .int(i); return }
        self = .string(ids.map(\.description).joined(separator: ", "))
    }
}

extension ProjectStore {
    /// The algorithm the roots' `metaxy_provenance` was written with: each candidate is tried on
    /// a few root rows (a 0.1.x store does not record it); xxhash32, the PostgreSQL store's default, when nothing tells.
    func hashAlgorithm(_ graph: ProjectGraph) throws -> HashAlgorithm {
        let candidates: [HashAlgorithm] = [.xxhash32, .xxhash64, .md5]
        let versions = graph.versions(truncation: truncation)
        for feature in graph.features where feature.deps.isEmpty {
            let columns = try backend.columns(of: feature.tableName)
            guard columns.contains("metaxy_provenance_by_field"), columns.contains("metaxy_provenance") else { continue }
            let rows = try backend.query("""
                SELECT metaxy_provenance_by_field, metaxy_provenance FROM \(quoteIdentifier(feature.tableName))
                WHERE metaxy_feature_version = $1 LIMIT 20
                """, [.text(versions.features[feature.key]?.featureVersion ?? "")])
            let samples = rows.compactMap { row -> (byField: [String: String], provenance: String)? in
                guard let byField = row[0].text.flatMap(JSONValue.parseStringObject), let provenance = row[1].text else { return nil }
                return (byField, provenance)
            }
            guard !samples.isEmpty else { continue }
            if let found = candidates.first(where: { algorithm in
                let hasher = ProvenanceHasher(algorithm: algorithm, truncation: truncation)
                return samples.allSatisfy { ProvenanceEngine.rootProvenance($0.byField, hasher: hasher) == $0.provenance }
            }) { return found }
        }
        return .xxhash32
    }

    /// Stale sets of the features asked (every one when nil), in the project's order, as of one moment.
    func status(graph: ProjectGraph, features keys: [String]?, algorithm: HashAlgorithm,
                progress: WorkProgress = .none) throws -> [ProjectFeatureStatus] {
        let versions = graph.versions(truncation: truncation)
        let hasher = ProvenanceHasher(algorithm: algorithm, truncation: truncation)
        let chosen = try keys.map { try $0.map { try feature(FeatureKey(string: $0), in: graph) } } ?? graph.features
        return try backend.readConsistently {
            try chosen.enumerated().map { i, feature throws in
                try progress.step("stale sets", i, of: chosen.count, unit: "features", item: feature.key)
                let version = versions.features[feature.key]?.featureVersion ?? ""
                let current = try currentRows(feature, featureVersion: version)
                guard !feature.deps.isEmpty else {
                    return ProjectFeatureStatus(key: feature.key, featureVersion: version, idColumns: feature.idColumns, root: true,
                                                storedRows: current.stored, currentRows: current.rows.count, new: [], stale: [], orphaned: [])
                }
                let engine = try ProvenanceEngine(graph: graph, feature: feature.key, hasher: hasher)
                let expected = engine.expected(upstream: try upstreamRows(feature, engine: engine, graph: graph, versions: versions), byField: false)
                let increment = Increment(expected: expected, stored: Self.stored(current.rows, feature: feature, engine: engine))
                // A 1:N feature's sets are of parents: its ids are the parent's.
                return ProjectFeatureStatus(key: feature.key, featureVersion: version, idColumns: engine.idColumns, root: false,
                                            storedRows: current.stored, currentRows: current.rows.count,
                                            new: increment.new.map(\.ids), stale: increment.stale.map(\.ids), orphaned: increment.orphaned.map(\.ids))
            }
        }
    }

    /// Stored rows as the increment compares them: by the engine's ids. A 1:N feature's children
    /// collapse to one row per parent (each carries its parent's provenance; the latest wins).
    static func stored(_ rows: [ProjectRow], feature: ProjectFeature, engine: ProvenanceEngine) -> [StoredProvenance] {
        guard engine.idColumns != feature.idColumns else { return rows.map { StoredProvenance(ids: $0.ids, provenance: $0.provenance) } }
        let positions = engine.idColumns.compactMap { feature.idColumns.firstIndex(of: $0) }
        var byParent: [[IDValue]: Int] = [:], out: [StoredProvenance] = [], times: [Int64] = []
        for row in rows {
            let parent = positions.map { row.ids[$0] }
            if let n = byParent[parent] {
                if row.at >= times[n] { (out[n].provenance, times[n]) = (row.provenance, row.at) }
            } else {
                byParent[parent] = out.count
                out.append(StoredProvenance(ids: parent, provenance: row.provenance))
                times.append(row.at)
            }
        }
        return out
    }

    /// Why one id of a feature is or is not stale, field by field: the stored field hash, the one
    /// the upstream rows give now, and the exact text hashed.
    func explain(_ key: FeatureKey, sample: SampleUID, graph: ProjectGraph, algorithm: HashAlgorithm) throws -> SampleExplanation {
        let feature = try self.feature(key, in: graph)
        let ids = sample.ids(count: feature.idColumns.count)
        guard ids.count == feature.idColumns.count else {
            throw StoreError(file: location, "\(feature.key) has id columns \(feature.idColumns.joined(separator: ", ")): "
                + "give the sample as its values in that order, joined by \", \" ('\(feature.idColumns.map { "<\($0)>" }.joined(separator: ", "))')")
        }
        let versions = graph.versions(truncation: truncation)
        let hasher = ProvenanceHasher(algorithm: algorithm, truncation: truncation)
        let only = Dictionary(uniqueKeysWithValues: zip(feature.idColumns, ids))
        let stored = try currentRows(feature, featureVersion: versions.features[feature.key]?.featureVersion ?? "", provenanceByField: true,
                                     matching: only).rows.first { $0.ids == ids }
        let storedFields = stored?.provenanceByField.flatMap { JSONValue.parseStringObject($0) }
        guard !feature.deps.isEmpty else {
            guard stored != nil else { throw notStored(feature, sample) }
            let fields = feature.fields.map { field in
                SampleExplanation.Field(key: field.key, codeVersion: field.codeVersion, stored: storedFields?[field.structKey],
                                        expected: storedFields?[field.structKey], inputs: [])
            }
            return SampleExplanation(feature: key, uid: sample, storedAtCurrentVersion: true, fields: fields, projectWords: true)
        }
        let engine = try ProvenanceEngine(graph: graph, feature: feature.key, hasher: hasher)
        let upstream = try upstreamRows(feature, engine: engine, graph: graph, versions: versions, only: only)
        // A 1:N child is explained by its parent's row, whose provenance it carries.
        let engineIDs = engine.idColumns.compactMap { column in feature.idColumns.firstIndex(of: column).map { ids[$0] } }
        guard let recipes = engine.recipe(for: engineIDs, upstream: upstream) else {
            guard stored != nil else { throw notStored(feature, sample) }
            // Not in the join: each parent's value is missing.
            let fields = feature.fields.map { field in
                SampleExplanation.Field(key: field.key, codeVersion: field.codeVersion, stored: storedFields?[field.structKey], expected: nil,
                                        inputs: field.parents.map { Self.input($0, value: nil) })
            }
            return SampleExplanation(feature: key, uid: sample, storedAtCurrentVersion: true, fields: fields, inEveryUpstream: false, projectWords: true)
        }
        let fields = zip(feature.fields, recipes).map { field, recipe in
            SampleExplanation.Field(key: field.key, codeVersion: field.codeVersion, stored: storedFields?[field.structKey], expected: recipe.hash,
                                    inputs: recipe.inputs.map { Self.input($0.parent, value: $0.value) })
        }
        return SampleExplanation(feature: key, uid: sample, storedAtCurrentVersion: stored != nil, fields: fields, projectWords: true)
    }

    /// An upstream value as explain shows it: the parent field's FQ string names its feature.
    private static func input(_ parent: String, value: String?) -> SampleExplanation.Input {
        SampleExplanation.Input(label: parent, upstream: FeatureKey(string: String(parent.split(separator: ".")[0])), value: value, previous: nil)
    }

    private func notStored(_ feature: ProjectFeature, _ sample: SampleUID) -> StoreError {
        StoreError(file: location, "\(feature.key) has no row for \(feature.idColumns.joined(separator: ", ")) = \(sample)"
            + (feature.deps.isEmpty ? "" : " and it is not in the join of its upstreams") + "; list its rows with `metaxy-tui store samples \(location) \(feature.key)`")
    }
}


extension SampleUID {
    /// The `count` id values a shown sample stands for (`init(ids:)` joins several with ", ").
    func ids(count: Int) -> [IDValue] {
        switch self {
        case let .int(i): return [.int(i)]
        case let .string(s) where count == 1: return [.string(s)]
        case let .string(s):
            return s.split(separator: ", ", omittingEmptySubsequences: false).map { Int64($0).map(IDValue.int) ?? .string(String($0)) }
        }
    }
}

extension MetaxyStore {
    /// The stale sets of a 0.1.x store in its own words (nil for a 0.0.0 store), against the
    /// recorded project version `graph` shows.
    public func projectStatus(graph: FeatureGraph, feature: FeatureKey? = nil, algorithm: HashAlgorithm? = nil,
                              progress: WorkProgress = .none) throws -> ProjectStatusReport? {
        guard let project else { return nil }
        let hash = try algorithm ?? detectAlgorithm(graph)
        let statuses = try project.status(graph: project.graph(for: graph), features: feature.map { [$0.string] }, algorithm: hash, progress: progress)
        return ProjectStatusReport(project: project.project, projectVersion: graph.snapshotVersion, algorithm: hash, features: statuses)
    }
}

/// `store status` of a 0.1.x store: the contract's JSON (`project`, `project_version`, new/stale/orphaned) and a table.
public struct ProjectStatusReport: Sendable {
    public let project: String
    public let projectVersion: String
    public let algorithm: HashAlgorithm
    public let features: [ProjectFeatureStatus]

    public func json(ids: Bool) -> JSONValue {
        func list(_ sets: [[IDValue]]) -> JSONValue { .array(sets.map { .array($0.map(\.jsonValue)) }) }
        return .object([
            ("project", .string(project)), ("project_version", .string(projectVersion)), ("hash_algorithm", .string(algorithm.rawValue)),
            ("features", .object(features.map { status in
                var fields: [(String, JSONValue)] = [
                    ("feature_version", .string(status.featureVersion)), ("id_columns", .array(status.idColumns.map(JSONValue.string))),
                    ("new", .int(status.new.count)), ("stale", .int(status.stale.count)), ("orphaned", .int(status.orphaned.count)),
                ]
                if ids { fields += [("new_ids", list(status.new)), ("stale_ids", list(status.stale)), ("orphaned_ids", list(status.orphaned))] }
                return (status.key, .object(fields))
            })),
        ])
    }

    public func text(ids: Bool) -> String {
        let table = StatusReport.table(["feature", "stored", "current", "+new", "~stale", "-orphaned"], features.map { s in
            [s.key + (s.root ? " (root)" : ""), String(s.storedRows), String(s.currentRows)]
                + [s.new.count, s.stale.count, s.orphaned.count].map { s.root ? "-" : String($0) }
        })
        var out = ["project \(project) · project version \(projectVersion) · \(algorithm.rawValue)"] + table
        if ids {
            for s in features {
                for (name, set) in [("new", s.new), ("stale", s.stale), ("orphaned", s.orphaned)] where !set.isEmpty {
                    out.append("\(s.key) \(name): " + set.map { "(" + $0.map(\.description).joined(separator: ", ") + ")" }.joined(separator: " "))
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}


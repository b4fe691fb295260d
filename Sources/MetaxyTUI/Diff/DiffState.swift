import MetaxyCore

/// What the Diff screen compares, as the loader delivers it: the diff, where each side came
/// from, and with a store the impact on stored samples and the snapshots for timelines.
public struct DiffInput: Sendable {
    let diff: GraphDiff
    /// The old side as asked for (`STORE@latest`), kept for a live graph's diff to be made
    /// again when it changes; `oldReference` is the snapshot it amounted to.
    let requestedOld: String
    /// Graph references, so `s` can swap and reload.
    let oldReference: String, newReference: String
    let oldLabel: String, newLabel: String
    /// Changed feature key → distinct samples stored at its old feature version.
    let impact: [String: Int]?
    /// Why the store could not give the impact or the timelines.
    let impactProblem: String?
    /// The store's snapshots, oldest first, with their graphs.
    let timeline: [(snapshot: Snapshot, graph: FeatureGraph)]
}

/// One line of the merged list: a feature, or one of its fields.
struct DiffRow: Equatable, Sendable {
    let feature: Int
    let field: Int?
}

/// The Diff screen's own state: filters, selection, timeline position.
struct DiffState: Sendable {
    let input: DiffInput
    /// `c`: hide unchanged features and fields.
    var changedOnly = false
    /// `a` `r` `m`: when not empty, only features with these statuses.
    var only: Set<GraphDiff.Status> = []
    var rows: [DiffRow] = []
    var cursor = 0
    var top = 0
    /// Index into the selected field's change points (`<` `>`); nil: the newest.
    var timelineStep: Int?

    init(input: DiffInput) {
        self.input = input
        rebuild(keeping: nil)
        // Start on the first change, where the user's attention goes.
        if let first = rows.firstIndex(where: { status(of: $0) != .unchanged }) { cursor = first }
    }

    var diff: GraphDiff { input.diff }

    func status(of row: DiffRow) -> GraphDiff.Status {
        let f = diff.features[row.feature]
        return row.field.map { f.fields[$0].status } ?? f.status
    }

    var selected: DiffRow? { rows.indices.contains(cursor) ? rows[cursor] : nil }

    /// The keys of the features shown, for exports of what is on screen.
    var visibleKeys: Set<String> { Set(rows.filter { $0.field == nil }.map { diff.features[$0.feature].key }) }

    mutating func rebuild(keeping row: DiffRow?) {
        rows = []
        for (i, f) in diff.features.enumerated() {
            if changedOnly, f.status == .unchanged { continue }
            if !only.isEmpty, !only.contains(f.status) { continue }
            rows.append(DiffRow(feature: i, field: nil))
            for (k, field) in f.fields.enumerated() where !(changedOnly && field.status == .unchanged && f.status == .changed) {
                rows.append(DiffRow(feature: i, field: k))
            }
        }
        if let row, let i = rows.firstIndex(of: row) ?? rows.firstIndex(where: { $0.feature == row.feature }) { cursor = i }
        cursor = max(0, min(cursor, rows.count - 1))
    }

    /// Snapshot indices (oldest first) where the field's version differs from the one before.
    func changePoints(feature key: String, field: String) -> [(index: Int, version: String?)] {
        var points: [(Int, String?)] = []
        var previous: String??
        for (i, entry) in input.timeline.enumerated() {
            let g = entry.graph
            let version = g.index(of: FeatureKey(string: key)).flatMap { f in g.fieldIndex(of: field, in: f).map { g.fieldVersion(f, $0) } }
            if previous == nil || previous! != version { points.append((i, version)) }
            previous = .some(version)
        }
        return points
    }
}

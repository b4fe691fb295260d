import Foundation
import MetaxyCore
import MetaxyProject
import MetaxyStore

/// The Diff screen's migration, off the input loop: the preview (a dry run, nothing written),
/// then on Enter the file, the target snapshot and the reconciled rows.
enum MigrationWork {
    /// The old side must be a snapshot recorded in the store: a migration starts from one.
    private static func fromSnapshot(_ old: String, store: MetaxyStore) throws -> Snapshot {
        guard case .store(let path, let snapshot) = GraphReference.target(old),
              URL(fileURLWithPath: path).standardizedFileURL == URL(fileURLWithPath: store.path).standardizedFileURL else {
            throw MigrationError("the old side, \(URL(fileURLWithPath: old).lastPathComponent), is not a snapshot of the store: a migration "
                + "starts from a recorded snapshot; p picks one as the old side")
        }
        return try store.resolveSnapshot(snapshot)
    }

    static func preview(old: String, new: String, store path: String, directory: MigrationsDirectory,
                        loader: (String) throws -> FeatureGraph) throws -> MigrationPreview {
        let store = try MetaxyStore(path: path)
        let from = try fromSnapshot(old, store: store)
        let fromGraph = try store.graph(of: from), toGraph = try loader(new)
        let plan = MigrationPlan(from: fromGraph, to: toGraph)
        let draft = Migration(id: "preview", createdAt: "", parent: Migration.initial, fromSnapshot: from.version, toSnapshot: toGraph.snapshotVersion)
        let dry = try store.apply(draft, from: fromGraph, to: toGraph, algorithm: try store.detectAlgorithm(toGraph), dryRun: true)
        var counts: [String: Reconciliation] = [:], stored: [String: Int] = [:]
        for (key, result) in dry.features { if case let .reconciled(r) = result { counts[key.string] = r } }
        for feature in plan.features where counts[feature.key.string] == nil {
            guard let version = feature.fromVersion else { continue }
            stored[feature.key.string] = try store.rowCounts(feature.key, featureVersion: version).current
        }
        return MigrationPreview(old: old, new: new, fromSnapshot: from.version, toSnapshot: toGraph.snapshotVersion, plan: plan, counts: counts,
                                stored: stored, directory: directory.shown,
                                toRecorded: try store.snapshots().contains { $0.version == toGraph.snapshotVersion })
    }

    /// Writes the migration file, records the target snapshot when needed, applies it, telling
    /// `progress` as it goes; the same steps as `migrations generate` then `migrations apply`.
    static func apply(_ preview: MigrationPreview, store path: String, directory: MigrationsDirectory,
                      loader: (String) throws -> FeatureGraph, progress: @escaping @Sendable (String) -> Void) throws -> (MigrationOutcome, String) {
        let store = try MetaxyStore(path: path, readOnly: false)
        let from = try fromSnapshot(preview.old, store: store)
        let fromGraph = try store.graph(of: from), toGraph = try loader(preview.new)
        guard toGraph.snapshotVersion == preview.toSnapshot else {
            throw MigrationError("the new side changed since the preview (now snapshot \(toGraph.snapshotVersion.prefix(8))); press M again")
        }
        let (migration, file) = try directory.generate(from: from.version, to: toGraph.snapshotVersion, name: nil)
        progress("wrote \(file)")
        try store.push(toGraph)
        let work = WorkProgress(report: { report in
            let figures = report.total.map { "\(report.done.grouped)/\($0.grouped) \(report.unit)" } ?? ""
            progress([report.phase, figures, report.item ?? ""].filter { !$0.isEmpty }.joined(separator: " "))
        })
        let outcome = try store.apply(migration, from: fromGraph, to: toGraph, algorithm: try store.detectAlgorithm(toGraph), progress: work)
        return (outcome, file)
    }
}

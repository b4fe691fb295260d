import Foundation
import MetaxyCore
import MetaxyProject
import MetaxyStore

/// The Diff screen's migration, off the input loop: the preview (a dry run, nothing written),
/// then on Enter the file, the target snapshot and the reconciled rows.
enum MigrationWork {
    /// The old side must be a snapshot recorded in the store: a migration starts from one.
    private static func fromSnapshot(_ old: String, store: MetaxyStore) throws -> Snapshot {
        guard case .store(let path, let snapshot) = GraphReference.target(old), MetaxyStore.sameStore(path, store.path) else {
            throw MigrationError("the old side, \(MetaxyStore.displayName(old)), is not a snapshot of the store: a migration "
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

    /// What Enter applies, read without writing anything: the store, both graphs, and the
    /// migration to apply: one already in the directory with the same snapshots, or a new one.
    struct Prepared {
        let store: MetaxyStore
        let from: FeatureGraph, to: FeatureGraph
        let existing: MigrationChain.Entry?
        let directory: MigrationsDirectory
    }

    /// Refuses while an earlier migration in the directory is not applied: applying this one
    /// first would put the chain out of order.
    static func prepare(_ preview: MigrationPreview, store path: String, directory: MigrationsDirectory,
                        loader: (String) throws -> FeatureGraph) throws -> Prepared {
        let store = try MetaxyStore(path: path, readOnly: false)
        let from = try fromSnapshot(preview.old, store: store)
        let fromGraph = try store.graph(of: from), toGraph = try loader(preview.new)
        guard toGraph.snapshotVersion == preview.toSnapshot else {
            throw MigrationError("the new side changed since the preview (now snapshot \(toGraph.snapshotVersion.prefix(8))); press M again")
        }
        var existing: MigrationChain.Entry?
        for entry in try directory.chain().entries {
            if entry.migration.fromSnapshot == from.version && entry.migration.toSnapshot == toGraph.snapshotVersion {
                try entry.migration.checkOps(file: entry.file)
                existing = entry
            } else if MigrationProgress(try store.migrationEvents(entry.migration.id)).status != .completed {
                throw MigrationError("migration \(entry.migration.id) is not applied yet, and migrations go in chain order: apply it first "
                    + "(metaxy-tui migrations apply --store \(MetaxyStore.shown(path)) --migrations-dir \(directory.shown))")
            }
        }
        return Prepared(store: store, from: fromGraph, to: toGraph, existing: existing, directory: directory)
    }

    /// Writes the migration file (unless it is there already), records the target snapshot
    /// when needed, applies it, telling `progress` as it goes: `migrations generate`, then `apply`.
    static func apply(_ prepared: Prepared, progress: @escaping @Sendable (String) -> Void) throws -> (MigrationOutcome, String) {
        let (migration, file) = try prepared.existing.map { ($0.migration, $0.file) }
            ?? prepared.directory.generate(from: prepared.from.snapshotVersion, to: prepared.to.snapshotVersion, name: nil)
        progress(prepared.existing == nil ? "wrote \(file)" : "applying \(file)")
        try prepared.store.push(prepared.to)
        let work = WorkProgress(report: { report in
            let figures = report.total.map { "\(report.done.grouped)/\($0.grouped) \(report.unit)" } ?? ""
            progress([report.phase, figures, report.item ?? ""].filter { !$0.isEmpty }.joined(separator: " "))
        })
        let outcome = try prepared.store.apply(migration, from: prepared.from, to: prepared.to,
                                               algorithm: try prepared.store.detectAlgorithm(prepared.to), progress: work)
        return (outcome, file)
    }
}

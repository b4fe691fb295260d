import MetaxyCore

extension MetaxyStore {
    /// Applies `migration` (its graphs given, `to` recorded in this store) as metaxy's executor
    /// does, with its events: each reconciled feature in one transaction with its
    /// `feature_completed`, features finished by an earlier apply skipped, so a killed apply
    /// resumes and never writes a feature twice. A feature whose upstream failed is not written
    /// from stale rows: it fails too, to be retried. A dry run writes nothing.
    public func apply(_ migration: Migration, from: FeatureGraph, to: FeatureGraph, algorithm: HashAlgorithm, dryRun: Bool = false,
                      progress: WorkProgress = .none) throws -> MigrationOutcome {
        try refuseProjectGraph(to)
        let plan = MigrationPlan(from: from, to: to)
        let id = migration.id
        let done = MigrationProgress(try migrationEvents(id)).completed
        if !dryRun { try record(Self.event(id, .started)) }
        var results: [(key: FeatureKey, result: MigrationOutcome.Result)] = [], failed: Set<Int> = []
        for (n, feature) in plan.features.enumerated() {
            let key = feature.key
            try progress.step("migrating", n, of: plan.features.count, unit: "features", item: key.string)
            guard feature.action == .reconcile, let fromVersion = feature.fromVersion else {
                if case let .recompute(reason) = feature.action { results.append((key, .recompute(reason))) }
                continue
            }
            if !dryRun, let rows = done[key.string] {
                results.append((key, .alreadyDone(rows: rows)))
                continue
            }
            let f = to.index(of: key)!
            let message: String
            if let broken = to.reachable(from: f, upstream: true).first(where: failed.contains) {
                message = "not reconciled: its upstream \(to.key(broken)) failed; apply again once that is fixed"
            } else {
                if !dryRun { try record(Self.event(id, .featureStarted, feature: key.string)) }
                do {
                    let done = try reconcile(feature: key, fromVersion: fromVersion, graph: to, algorithm: algorithm, dryRun: dryRun,
                                             event: Self.event(id, .featureCompleted, feature: key.string), progress: progress)
                    results.append((key, .reconciled(done)))
                    continue
                } catch let stop as WorkStopped {
                    throw stop
                } catch is AlreadyReconciled {
                    results.append((key, .alreadyDone(rows: MigrationProgress(try migrationEvents(id)).completed[key.string] ?? 0)))
                    continue
                } catch {
                    message = (error as? StoreError)?.message ?? "\(error)"
                }
            }
            failed.insert(f)
            results.append((key, .failed(message)))
            if !dryRun { try record(Self.event(id, .featureCompleted, feature: key.string, error: message)) }
        }
        if !dryRun { try record(Self.event(id, failed.isEmpty ? .completed : .failed)) }
        return MigrationOutcome(migration: migration, features: results, dryRun: dryRun)
    }
}

/// The text of the `migrations` commands: metaxy 0.0.0's layout, with what metaxy-tui does
/// differently said (features to reconcile apart from those that need a real recompute).
public enum MigrationReports {
    static let rule = String(repeating: "─", count: 60)

    /// `generate`'s report.
    public static func generated(_ migration: Migration, file: String, plan: MigrationPlan, pushed: Bool) -> String {
        var out = "\n✓ Migration generated\n  Migration ID: \(migration.id)\n  YAML file: \(file)\n"
        out += "  From snapshot: \(migration.fromSnapshot)\n  To snapshot: \(migration.toSnapshot)\n\n"
        out += planLines(plan)
        out += "\nNEXT STEPS:\n1. Review migration YAML: \(file)\n"
        out += "2. Run 'metaxy-tui migrations apply --dry-run' to see what it writes, then 'metaxy-tui migrations apply'"
        out += pushed ? ".\n" : " (it records the new snapshot first).\n"
        return out
    }

    /// The features to reconcile, then those that need a real recompute, with why.
    static func planLines(_ plan: MigrationPlan) -> String {
        var out = "  Reconciled, no recompute (\(plan.reconciled.count)):\n"
        out += plan.reconciled.map { "    ✓ \($0.key)\n" }.joined()
        let recompute = plan.features.compactMap { f -> String? in
            if case let .recompute(reason) = f.action { "    ⚠ \(f.key): needs recompute: \(reason)\n" } else { nil }
        }
        if !recompute.isEmpty { out += "  Needs a real recompute (\(recompute.count)):\n" + recompute.joined() }
        return out
    }

    /// `list`: metaxy's table.
    public static func list(_ chain: MigrationChain) -> String {
        let rows = [["ID", "Created", "Operations"]] + chain.entries.map {
            [$0.migration.id, $0.migration.createdMinute, $0.migration.opNames.joined(separator: ", ")]
        }
        let widths = (0..<3).map { c in rows.map { $0[c].count }.max()! }
        return "\n" + rows.map { row in "  " + row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
            .joined(separator: "    ") + "  \n" }.joined() + "\n"
    }

    public static func none(_ directory: String) -> String {
        "No migrations found.\n  Migrations directory: \(directory)\n"
    }

    /// `status`: each migration in chain order with its state; `planned` is how many features
    /// it reconciles, when both its graphs are known.
    public static func status(_ chain: MigrationChain, progress: (Migration) -> MigrationProgress, planned: (Migration) -> Int?) -> String {
        var out = "\nMigration Chain:\n\(rule)\n"
        for entry in chain.entries {
            let m = entry.migration, p = progress(m)
            let glyph = switch p.status { case .completed: "✓"; case .failed: "✗"; case .inProgress: "◐"; case .notStarted: "○" }
            out += "\(glyph) \(m.id) (parent: \(m.parent))\n  Status: \(p.status.rawValue.uppercased())\n"
            out += "  Snapshots:\n    From: \(m.fromSnapshot)\n    To:   \(m.toSnapshot)\n"
            out += "  Features: \(p.completed.count)/\(planned(m).map(String.init) ?? "?") completed\n"
            if !p.failed.isEmpty {
                out += "  Failed features (\(p.failed.count)):\n"
                out += p.failed.sorted { $0.key < $1.key }.map { "    ✗ \($0.key): \($0.value)\n" }.joined()
            }
        }
        return out + "\n"
    }

    /// `explain`: what changed between the two snapshots, field by field, and what it does.
    public static func explain(_ migration: Migration, plan: MigrationPlan) -> String {
        var out = "\nMigration: \(migration.id)\nFrom: \(migration.fromSnapshot)\nTo:   \(migration.toSnapshot)\n\n"
        out += "Changed Features (\(plan.features.count)):\n"
        for feature in plan.features {
            out += "  ⚠ \(feature.key)\n    Version: \(feature.fromVersion ?? "(none)") → \(feature.toVersion)\n"
            if !feature.fields.isEmpty { out += "    Fields: \(feature.fields.joined(separator: " "))\n" }
        }
        return out + "\n" + planLines(plan)
    }

    /// `describe`: the migration, what it would write per feature, and where it stands.
    public static func describe(_ migration: Migration, file: String, counts: [Reconciliation]?, plan: MigrationPlan?,
                                progress: MigrationProgress) -> String {
        var out = "\nMigration Description\n\(rule)\nID: \(migration.id)\nCreated: \(migration.createdAt)\nParent: \(migration.parent)\n"
        out += "YAML: \(file)\n\nSnapshots:\n  From: \(migration.fromSnapshot)\n  To:   \(migration.toSnapshot)\n\nOperations:\n"
        out += migration.ops.enumerated().map { "  \($0.offset + 1). \($0.element)\n" }.joined()
        if let plan {
            out += "\n" + planLines(plan)
        } else {
            out += "\n  (the to-snapshot is not recorded in the store yet, and the project's graph is not at it: the features are not known)\n"
        }
        if let counts, !counts.isEmpty {
            out += "\nSamples per feature:\n"
            out += counts.map { "  \($0.key)\n    \(sampleLine($0))\n" }.joined()
        }
        out += "\nExecution Status:\n  \(progress.status.rawValue.uppercased())\n"
        if !progress.completed.isEmpty { out += "    Features finished: \(progress.completed.count)\n" }
        return out
    }

    static func sampleLine(_ c: Reconciliation) -> String {
        "\(c.rewritten) to rewrite · \(c.current) already current · \(c.recompute) need a real recompute"
    }

    /// `apply`'s report for one migration, its time taken in seconds.
    public static func applied(_ outcome: MigrationOutcome, seconds: Double) -> String {
        let reconciled = outcome.features.filter { if case .failed = $0.result { false } else if case .recompute = $0.result { false } else { true } }
        var out = "\nApplying: \(outcome.migration.id)\n"
        for (key, result) in outcome.features {
            switch result {
            case let .reconciled(r):
                out += "  ✓ \(key): \(r.rewritten) \(outcome.dryRun ? "rows would be written" : "rows written")"
                out += r.current > 0 ? ", \(r.current) already current" : ""
                out += r.recompute > 0 ? ", \(r.recompute) samples need a real recompute" : ""
                out += "\n"
            case let .alreadyDone(rows): out += "  ✓ \(key): done by an earlier apply (\(rows) rows)\n"
            case let .recompute(reason): out += "  ⚠ \(key): needs recompute: \(reason)\n"
            case let .failed(message): out += "  ✗ \(key): \(message)\n"
            }
        }
        let failures = outcome.failures
        out += outcome.dryRun ? "⊘ Dry run: nothing was written\n" : failures.isEmpty ? "✓ Migration completed\n" : "✗ Migration failed\n"
        out += "  Features reconciled: \(reconciled.count)\n  Features failed: \(failures.count)\n"
        out += "  Rows \(outcome.dryRun ? "to write" : "written"): \(outcome.rowsWritten)\n"
        out += "  Duration: \(String(format: "%.2f", seconds))s\n"
        return out
    }
}

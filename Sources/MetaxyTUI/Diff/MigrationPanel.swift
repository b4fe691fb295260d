import MetaxyCore
import TerminalKit

/// What a migration from the Diff screen's old side to its new side would do, read from the
/// store without writing: per feature the samples rewritten and those that still need a real
/// recompute, and everything it writes.
public struct MigrationPreview: Sendable {
    /// The graph references the diff compared, kept to apply exactly this.
    let old: String, new: String
    let fromSnapshot: String, toSnapshot: String
    let plan: MigrationPlan
    /// Reconciled feature key → its counts.
    let counts: [String: Reconciliation]
    /// Feature key → samples stored at its old feature version (what a recompute redoes).
    let stored: [String: Int]
    /// The migrations directory as shown, and whether the new side is recorded in the store yet.
    let directory: String
    let toRecorded: Bool
}

/// `M` on the Diff screen: the preview while it is read, then shown; Enter writes the migration
/// file and applies it, its progress shown here; nothing is written before that Enter.
struct MigrationPanel: Sendable {
    enum Phase: Sendable {
        case loading
        case ready(MigrationPreview)
        case applying(MigrationPreview, progress: String)
    }

    var phase: Phase = .loading
    var top = 0
    /// The feature `M` was pressed on: the preview starts there.
    let focus: String?
    /// This panel's number: only its own preview is taken.
    let request: Int

    var preview: MigrationPreview? {
        switch phase {
        case .loading: nil
        case .ready(let p), .applying(let p, _): p
        }
    }

    /// The preview's lines, with the role of each part.
    func lines(width: Int) -> [[Span]] {
        guard let p = preview else { return [[Span("reading the store: what the migration would write…", .muted)]] }
        var out: [[Span]] = [
            [Span("from ", .muted), Span("snapshot \(p.fromSnapshot.prefix(8))", .version), Span("  to ", .muted),
             Span("snapshot \(p.toSnapshot.prefix(8))", .version),
             Span(p.toRecorded ? "" : "  (not recorded yet: Enter records it first)", .warning)],
            [],
        ]
        let reconciled = p.plan.reconciled
        out.append([Span("Reconciled, no recompute (\(reconciled.count))", .title),
                    Span(": new data versions, user columns kept", .muted)])
        if reconciled.isEmpty { out.append([Span("  none: no stored feature can be reconciled", .muted)]) }
        let keyWidth = min(40, (p.plan.features.map { CellWidth.of($0.key.string) }.max() ?? 0) + 2)
        for feature in reconciled {
            let c = p.counts[feature.key.string]
            out.append([Span("  ✓ ", .added), Span(Self.padded(feature.key.string, keyWidth), .text),
                        Span(c.map { "\($0.rewritten.grouped) rewritten" } ?? "", .added),
                        Span(c.map { " · \($0.current.grouped) current" } ?? "", .muted),
                        Span(c.map { $0.recompute > 0 ? " · \($0.recompute.grouped) to recompute" : "" } ?? "", .warning)])
        }
        let recompute = p.plan.features.compactMap { f -> (MigrationPlan.Feature, String)? in
            if case let .recompute(reason) = f.action { (f, reason) } else { nil }
        }
        if !recompute.isEmpty {
            out.append([])
            out.append([Span("Needs a real recompute (\(recompute.count))", .title), Span(": not written", .muted)])
            for (feature, reason) in recompute {
                let stored = p.stored[feature.key.string].map { "\($0.grouped) samples: " } ?? ""
                out.append([Span("  ⚠ ", .warning), Span(Self.padded(feature.key.string, keyWidth), .text),
                            Span(stored + reason, .warning)])
            }
        }
        let rows = reconciled.reduce(0) { $0 + (p.counts[$1.key.string]?.rewritten ?? 0) }
        out += [[], [Span("Writes", .title)],
                [Span("  \(p.directory)/<id>.yaml", .version), Span("  the migration file, in metaxy's format", .muted)],
                [Span("  \(rows.grouped) rows", .added), Span(" into \(counted(reconciled.count, "table")), one transaction per feature", .muted)],
                [Span("  events", .text), Span(" in metaxy-system__migration_events, as metaxy writes them", .muted)]]
        if !p.toRecorded { out.append([Span("  snapshot \(p.toSnapshot.prefix(8))", .version), Span(" into the store, first", .muted)]) }
        return out
    }

    /// A key and the spaces to `width`, at least one: a longer key is never cut.
    static func padded(_ key: String, _ width: Int) -> String {
        key + String(repeating: " ", count: max(1, width - CellWidth.of(key)))
    }

    static func draw(_ panel: MigrationPanel, size: Size, into buffer: inout ScreenBuffer) {
        let width = min(size.width - 2, 110)
        let content = panel.lines(width: width - 4)
        let height = min(size.height - 3, content.count + 4)
        let rect = Rect(x: (size.width - width) / 2, y: 1, width: width, height: max(6, height))
        buffer.fill(rect, role: .text)
        let title = panel.preview.map { "Migrate \($0.fromSnapshot.prefix(8)) → \($0.toSnapshot.prefix(8))" } ?? "Migration"
        buffer.box(rect, title: title, role: .focusBorder)
        let inner = Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 3)
        guard inner.height > 0 else { return }
        for (i, spans) in content.dropFirst(panel.top).prefix(inner.height).enumerated() {
            var x = inner.x
            for span in spans where x < inner.maxX {
                x += buffer.put(span.text, x: x, y: inner.y + i, role: span.role, limit: inner.maxX - x, ellipsis: true)
            }
        }
        let footer: [Span] = switch panel.phase {
        case .loading: [Span("Esc closes", .muted)]
        case .ready(let p) where p.plan.reconciled.isEmpty: [Span("nothing to reconcile · Esc closes", .muted)]
        case .ready: [Span("Enter", .keyHint), Span(" writes the migration and applies it · ", .muted), Span("Esc", .keyHint), Span(" cancels", .muted)]
        case .applying(_, let progress): [Span("applying: ", .warning), Span(progress, .text)]
        }
        var x = inner.x
        for span in footer { x += buffer.put(span.text, x: x, y: rect.maxY - 2, role: span.role, limit: max(0, inner.maxX - x), ellipsis: true) }
    }
}

extension AppState {
    /// `M`: the preview of migrating the diff's old side (a snapshot of the store) to its new side.
    mutating func openMigration() -> [Effect] {
        guard let input = diffScreen.diff?.input else {
            say("no diff yet: a migration goes from the diff's old side to its new side", error: true)
            return []
        }
        guard source.store != nil else {
            say("no store to migrate: open one (metaxy-tui STORE) or add --store STORE", error: true)
            return []
        }
        let focus = diffScreen.diff?.selected.map { input.diff.features[$0.feature].key }
        migrationRequests += 1
        migration = MigrationPanel(focus: focus, request: migrationRequests)
        return [.previewMigration(old: input.oldReference, new: input.newReference, request: migrationRequests)]
    }

    mutating func migrationKey(_ key: Key) -> [Effect] {
        guard var panel = migration else { return [] }
        if case .applying = panel.phase {
            if key == .ctrl("c") {
                say("applying: each feature is one transaction; wait for it to finish", error: true)
            } else {
                say("applying the migration…")
            }
            return []
        }
        let count = panel.lines(width: size.width).count
        switch key {
        case .escape, .char("q"):
            migration = nil
            say("migration cancelled: nothing was written")
            return []
        case .ctrl("c"):
            running = false
            return [.quit]
        case .up, .char("k"): panel.top -= 1
        case .down, .char("j"): panel.top += 1
        case .pageUp: panel.top -= 10
        case .pageDown: panel.top += 10
        case .enter:
            guard case .ready(let preview) = panel.phase else { return [] }
            guard !preview.plan.reconciled.isEmpty else {
                say("nothing to reconcile: every change needs a real recompute", error: true)
                return []
            }
            panel.phase = .applying(preview, progress: "writing the migration file…")
            migration = panel
            return [.cancelStale, .applyMigration]
        default: return []
        }
        panel.top = max(0, min(panel.top, count - 1))
        migration = panel
        return []
    }

    /// The preview is in: it starts on the feature `M` was pressed on.
    mutating func migrationPreviewed(_ preview: MigrationPreview) {
        guard var panel = migration, case .loading = panel.phase else { return }
        panel.phase = .ready(preview)
        if let focus = panel.focus, let line = panel.lines(width: size.width).firstIndex(where: { $0.contains { $0.text.trimmingCharacters(in: .whitespaces) == focus } }) {
            panel.top = max(0, line - 3)
        }
        migration = panel
    }

    /// Applied: the Store screen shows the new stale counts.
    mutating func migrationApplied(_ outcome: MigrationOutcome, file: String) -> [Effect] {
        migration = nil
        diffScreen = DiffScreen()
        store = nil
        sampleScreen = nil
        let recompute = outcome.features.filter { if case .recompute = $0.result { true } else { false } }.count
        let failures = outcome.failures
        let effects = openStore()
        store?.banner = "after migration \(outcome.migration.id): \(outcome.rowsWritten.grouped) rows reconciled"
        if let failure = failures.first {
            say("migration \(outcome.migration.id) failed at \(failure.key): \(failure.message) (\(file))", error: true)
        } else {
            say("migration \(outcome.migration.id) applied: \(outcome.rowsWritten.grouped) rows, \(file)"
                + (recompute > 0 ? "; \(counted(recompute, "feature")) still need a real recompute" : ""))
        }
        return effects
    }
}

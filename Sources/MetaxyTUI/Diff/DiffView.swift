import MetaxyCore
import TerminalKit

/// The Diff screen: a summary, the merged list of features and fields marked by status, and a
/// panel saying why the selected field changed, what it costs in stored samples, and how its
/// version moved through the store's snapshots.
enum DiffView {
    static func role(_ status: GraphDiff.Status) -> Role {
        switch status {
        case .added: .added
        case .removed: .removed
        case .changed: .changed
        case .unchanged: .unchanged
        }
    }

    static func versions(_ status: GraphDiff.Status, _ old: String?, _ new: String?, full: Bool) -> [Span] {
        func v(_ s: String?) -> String { s.map { full ? $0 : String($0.prefix(8)) } ?? "none" }
        switch status {
        case .changed: return [Span(v(old), .removed), Span(" → ", .muted), Span(v(new), .added)]
        case .removed: return [Span(v(old), .version)]
        default: return [Span(v(new), .version)]
        }
    }

    static func draw(_ state: AppState, _ layout: Layout, into buffer: inout ScreenBuffer) {
        let screen = state.diffScreen
        // A diff shown stays while the next one is made (a live graph changed): no flicker.
        guard let d = screen.diff, screen.failure == nil else {
            buffer.box(layout.body, title: "Diff", role: .border)
            let lines: [(String, Role)]
            if let loading = screen.loading {
                lines = [("comparing…", .muted), ("old  " + loading.old, .text), ("new  " + loading.new, .text)]
            } else if let failure = screen.failure {
                lines = [("could not compare:", .error), (failure, .error), ("", .text), ("p picks other sides; :diff OLD NEW compares any two graphs", .muted)]
            } else {
                lines = [("No diff yet.", .muted), ("p picks two snapshots of the store; :diff OLD NEW compares any two graphs (files, STORE@SNAPSHOT).", .muted)]
            }
            let inner = layout.body.inset(1)
            var y = inner.y
            for (text, role) in lines where y < inner.maxY {
                y += buffer.wrapped(text, x: inner.x + 1, y: y, width: inner.width - 2, height: inner.maxY - y, role: role)
            }
            return
        }
        let diff = d.diff
        var summary = [Span(" \(d.input.oldLabel) → \(d.input.newLabel)  ", .title)]
        for status in [GraphDiff.Status.changed, .added, .removed, .unchanged] {
            summary += [Span("\(diff.count(status)) \(status.rawValue)", role(status)), Span("  ")]
        }
        var filters: [String] = []
        if d.changedOnly { filters.append("changes only") }
        if let only = d.only.first { filters.append("only \(only.rawValue)") }
        if !filters.isEmpty { summary.append(Span("· " + filters.joined(separator: ", "), .warning)) }
        buffer.spans(summary, x: 0, y: layout.diffSummary.y, width: layout.size.width)

        buffer.box(layout.diffListBox, title: "Merged (\(d.rows.filter { $0.field == nil }.count) features)", role: .focusBorder)
        let list = layout.diffList
        for (i, row) in d.rows.enumerated().dropFirst(d.top).prefix(list.height) {
            let y = list.y + i - d.top
            let f = diff.features[row.feature]
            var spans: [Span]
            if let k = row.field {
                let field = f.fields[k]
                spans = [Span("    " + field.status.glyph + " ", role(field.status)), Span(field.key, .field), Span("  ")]
                    + versions(field.status, field.oldVersion, field.newVersion, full: false)
            } else {
                spans = [Span(f.status.glyph + " ", role(f.status)), Span(f.key, f.status == .unchanged ? .unchanged : .feature), Span("  ")]
                    + versions(f.status, f.oldVersion, f.newVersion, full: false)
            }
            buffer.spans(spans, x: list.x, y: y, width: list.width)
            if i == d.cursor { buffer.restyle(Rect(x: list.x, y: y, width: list.width, height: 1), role: .selection) }
        }
        if d.rows.isEmpty {
            buffer.put("nothing to show with these filters; c, a, r, m toggle them", x: list.x, y: list.y, role: .muted, limit: list.width, ellipsis: true)
        }
        FeaturesPane.scrollbar(top: d.top, visible: list.height, total: d.rows.count, x: layout.diffListBox.maxX - 1, y: list.y, into: &buffer)

        buffer.box(layout.diffWhyBox, title: "Why", role: .border)
        let why = layout.diffWhy
        // Long lines (causes, chains) wrap: the why is the point of the panel.
        let wrapped = whyLines(d, full: screen.fullVersions).flatMap { Span.wrap($0.spans, width: why.width) }
        for (i, spans) in wrapped.prefix(why.height).enumerated() {
            buffer.spans(spans, x: why.x, y: why.y + i, width: why.width)
        }
    }

    /// `version  old → new`, or with full versions (`v`) one line per side: 64 digits each.
    static func versionLines(_ status: GraphDiff.Status, _ old: String?, _ new: String?, full: Bool) -> [DetailLine] {
        guard full, status == .changed else { return [DetailLine([Span("version  ", .muted)] + versions(status, old, new, full: full))] }
        return [DetailLine([Span("old  ", .muted), Span(old ?? "none", .removed)]), DetailLine([Span("new  ", .muted), Span(new ?? "none", .added)])]
    }

    /// The right panel for the selected row.
    static func whyLines(_ d: DiffState, full: Bool) -> [DetailLine] {
        guard let row = d.selected else { return [] }
        let diff = d.diff, f = diff.features[row.feature]
        var lines: [DetailLine] = []
        guard let k = row.field else {
            lines.append(DetailLine([Span(f.key, .feature), Span("  \(f.status.glyph) \(f.status.rawValue)", role(f.status))]))
            lines.append(contentsOf: versionLines(f.status, f.oldVersion, f.newVersion, full: full))
            let counts = [GraphDiff.Status.changed, .added, .removed, .unchanged].compactMap { s -> String? in
                let n = f.fields.filter { $0.status == s }.count
                return n == 0 ? nil : "\(n) \(s.rawValue)"
            }
            lines.append(DetailLine([Span("fields   ", .muted), Span(counts.joined(separator: " · "))]))
            if f.status == .changed || f.status == .removed {
                lines.append(DetailLine())
                lines.append(DetailLine([Span("Impact", .title)]))
                if let problem = d.input.impactProblem {
                    lines.append(DetailLine([Span("  could not count the stored samples: \(problem)", .error)]))
                } else if let impact = d.input.impact {
                    let n = impact[f.key] ?? 0
                    lines.append(DetailLine([Span("  \(n.grouped) stored sample\(n == 1 ? "" : "s")", n > 0 ? .stale : .text),
                                             Span(f.status == .removed ? " no longer in the graph" : " will need recomputing", .muted)]))
                    // metaxy 0.1.x has no migrations (it rebases provenance itself).
                    if f.status == .changed, n > 0, !d.diff.new.hasProjectVersions {
                        lines.append(DetailLine([Span("  M", .keyHint), Span(" migrates without a recompute", .muted)]))
                    }
                } else {
                    lines.append(DetailLine([Span("  no store: --store STORE counts the samples", .muted)]))
                }
            }
            if f.status == .changed, let n = f.new {
                let unaffected = diff.new.reachable(from: n, upstream: false).filter { diff.feature(named: diff.new.key($0).string)?.status == .unchanged }
                lines.append(DetailLine())
                lines.append(DetailLine([Span("Downstream and unaffected", .title), Span("  (\(unaffected.count))", .muted)]))
                for u in unaffected.prefix(50) { lines.append(DetailLine([Span("  = ", .unchanged), Span(diff.new.key(u).string, .unchanged)])) }
                if unaffected.count > 50 { lines.append(DetailLine([Span("  … and \(unaffected.count - 50) more", .muted)])) }
            }
            return lines
        }
        let field = f.fields[k]
        lines.append(DetailLine([Span(f.key, .feature), Span("."), Span(field.key, .field), Span("  \(field.status.glyph) \(field.status.rawValue)", role(field.status))]))
        lines.append(contentsOf: versionLines(field.status, field.oldVersion, field.newVersion, full: full))
        if field.status == .changed {
            lines.append(DetailLine())
            let causes = diff.causes(f, field)
            lines.append(DetailLine([Span("Because", .title), Span("  (\(causes.count))", .muted)]))
            for cause in causes.prefix(20) {
                lines.append(DetailLine([Span("  "), Span(cause.field, .changed), Span(": " + cause.reason)]))
                let chain = diff.chain(cause, f, field)
                if chain.count > 1 { lines.append(DetailLine([Span("    " + chain.joined(separator: " → "), .muted)])) }
            }
            if causes.count > 20 { lines.append(DetailLine([Span("  … and \(causes.count - 20) more; graph diff --format json lists them all", .muted)])) }
        } else if field.status != .unchanged {
            lines.append(DetailLine([Span(field.status == .added ? "only in the new side" : "only in the old side", .muted)]))
        }
        let points = d.changePoints(feature: f.key, field: field.key)
        if !points.isEmpty {
            lines.append(DetailLine())
            lines.append(DetailLine([Span("Timeline", .title), Span("  snapshots where it changed; < > step", .muted)]))
            let step = d.timelineStep ?? points.count - 1
            for (i, point) in points.enumerated() {
                let snapshot = d.input.timeline[point.index].snapshot
                let mark = i == step ? "▸ " : "  "
                lines.append(DetailLine([Span(mark, .prompt), Span(DiffLoading.when(snapshot) + "  ", .muted), Span(String(snapshot.version.prefix(8)) + "  ", .version),
                                         Span(point.version.map { String($0.prefix(full ? 64 : 8)) } ?? "absent", point.version == nil ? .removed : .text)]))
            }
        }
        return lines
    }
}

extension GraphDiff {
    /// The feature with this key, by binary search over the sorted features.
    func feature(named key: String) -> FeatureDiff? {
        var lo = 0, hi = features.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if codePointLess(features[mid].key, key) { lo = mid + 1 } else { hi = mid }
        }
        return lo < features.count && features[lo].key == key ? features[lo] : nil
    }
}

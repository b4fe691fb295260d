import Foundation
import MetaxyCore
import MetaxyStore
import TerminalKit

/// The Store screen: features with their rows and stale sets on the left, the selected
/// feature's stored rows on the right (a page from SQLite), and why one sample is stale.
/// Every table is laid out by `Columns`, so at any size a column is its width or cut with "…".
enum StoreView {
    static func draw(_ state: AppState, _ layout: Layout, into buffer: inout ScreenBuffer) {
        guard let s = state.store else { return }
        let graph = state.graph, size = layout.size
        var x = buffer.put(" \(state.source.store.map(MetaxyStore.displayName) ?? "store") ", x: 0, y: 1, role: .title,
                           limit: size.width / 2, ellipsis: true)
        if let progress = s.progress {
            let what = s.rows.contains { $0.stored == nil && $0.problem == nil } ? "counting rows" : "computing stale sets \(progress.done)/\(progress.total)"
            let cached = s.cachedAge.map { "stale sets as of \(ageText($0)) ago (cache); " } ?? ""
            x += buffer.put("\(cached)\(what)… x cancels", x: x, y: 1, role: .warning, ellipsis: true)
        } else if s.cancelled {
            buffer.put("stale sets cancelled; x computes them", x: x, y: 1, role: .warning, ellipsis: true)
        } else if !s.statuses.isEmpty {
            let statuses = s.statuses.values.compactMap(\.status)
            let stale = statuses.reduce(0) { $0 + $1.added.count + $1.changed.count + $1.removed.count }
            let features = statuses.filter { !$0.isFresh }.count
            // metaxy 0.1.x says "stale" of one kind only: its total is of samples to update.
            let noun = graph.hasProjectVersions ? "sample\(stale == 1 ? "" : "s") to update (+new ~stale -orphaned)" : "stale sample\(stale == 1 ? "" : "s")"
            let text = stale == 0 ? "no stale samples: every feature is fresh" : "\(stale.grouped) \(noun) in \(counted(features, "feature"))"
            x += buffer.put(text, x: x, y: 1, role: stale > 0 ? .stale : .added, ellipsis: true)
        }
        if let banner = s.banner, x < size.width - 4 { buffer.put(" · " + banner, x: x, y: 1, role: .muted, limit: size.width - x, ellipsis: true) }
        // Wide enough for the longest key and stale set, within 45–60 % of the screen; when the
        // samples have the keys they get the room, and the features at most half.
        let naturalKey = (s.rows.map { CellWidth.of(graph.key($0.feature).string) }.max() ?? 0) + 2
        let staleWidth = max(7, s.statuses.values.map { $0.status.map(staleWidthOf) ?? 7 }.max() ?? 0)
        // Counts as wide as the largest, and their headings.
        let countWidth = max(7, String(s.rows.map { max($0.stored ?? 0, $0.current ?? 0) }.max() ?? 0).count)
        let natural = 2 + naturalKey + 1 + countWidth + 1 + countWidth + 1 + staleWidth
        let width = s.samplesFocused ? min(natural, size.width / 2) : min(max(size.width * 45 / 100, natural), size.width * 60 / 100)
        let box = Rect(x: 0, y: 2, width: width, height: size.height - 4)
        buffer.box(box, title: "Features", role: s.samplesFocused ? .border : .focusBorder)
        let inner = box.inset(1)
        let columns = Columns.widths([Columns.Spec(minimum: 10, natural: naturalKey), Columns.Spec(minimum: 4, natural: countWidth),
                                      Columns.Spec(minimum: 4, natural: countWidth), Columns.Spec(minimum: 5, natural: staleWidth)],
                                     total: inner.width)
        buffer.row([("feature", .muted), ("rows", .muted), ("current", .muted), ("stale", .muted)], widths: columns, x: inner.x, y: inner.y)
        // The feature versions of the selected feature go below the list when there is room.
        let versions = s.selected.map { Array($0.versions.prefix(3)) } ?? []
        let footer = inner.height >= 12 && !versions.isEmpty ? versions.count + 1 : 0
        let listHeight = max(0, inner.height - 1 - footer)
        let top = max(0, s.cursor - listHeight + 1)
        for (i, row) in s.rows.enumerated().dropFirst(top).prefix(listHeight) {
            let y = inner.y + 1 + i - top
            buffer.row([((row.root ? "◉ " : "  ") + graph.key(row.feature).string, .feature),
                        (row.problem != nil ? "✗" : row.stored.map(String.init) ?? "…", row.problem != nil ? .error : .text),
                        (row.problem != nil ? "✗" : row.current.map(String.init) ?? "…", row.problem != nil ? .error : .text),
                        staleCell(s.statuses[row.feature], cancelled: s.cancelled)], widths: columns, x: inner.x, y: y)
            if i == s.cursor {
                buffer.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: s.samplesFocused ? .selectionMuted : .selection)
            }
        }
        if let row = s.selected, footer > 0 {
            let y = inner.maxY - footer
            buffer.put("feature versions stored", x: inner.x, y: y, role: .title, limit: inner.width, ellipsis: true)
            for (i, v) in versions.enumerated() {
                let current = v.version == graph.featureVersion(row.feature)
                buffer.put("\(v.version.prefix(12))  \(counted(v.rows, "row"))\(current ? "  (current)" : "")", x: inner.x + 1, y: y + 1 + i,
                           role: current ? .version : .muted, limit: inner.width - 1, ellipsis: true)
            }
        }
        drawSamples(state, s, Rect(x: box.maxX, y: 2, width: size.width - box.maxX, height: box.height), into: &buffer)
    }

    static func staleCell(_ result: StaleResult?, cancelled: Bool) -> (String, Role) {
        switch result {
        case nil: (cancelled ? "—" : "…", .muted)
        case .failed: ("✗ error", .error)
        case .done(let status) where status.root, .cached(let status) where status.root: ("root", .muted)
        case .cached(let status) where status.isFresh: ("✓ fresh", .muted)
        case .cached(let status): (staleText(status), .muted)
        case .done(let status) where status.isFresh: ("✓ fresh", .added)
        case .done(let status): (staleText(status), .stale)
        }
    }

    /// `40 s`, `5 min`, `3 h`, `2 d`.
    static func ageText(_ seconds: Double) -> String {
        switch seconds {
        case ..<60: "\(max(0, Int(seconds))) s"
        case ..<3_600: "\(Int(seconds / 60)) min"
        case ..<86_400: "\(Int(seconds / 3_600)) h"
        default: "\(Int(seconds / 86_400)) d"
        }
    }

    /// `+2000 ~1000 -500`: only the kinds present.
    static func staleText(_ status: FeatureStatus) -> String {
        [("+", status.added.count), ("~", status.changed.count), ("-", status.removed.count)]
            .filter { $0.1 > 0 }.map { "\($0.0)\($0.1)" }.joined(separator: " ")
    }

    /// `staleText`'s width, counted without building it: every frame measures every feature.
    static func staleWidthOf(_ status: FeatureStatus) -> Int {
        let parts = [status.added.count, status.changed.count, status.removed.count].lazy.filter { $0 > 0 }
        return parts.reduce(-1) { $0 + 2 + String($1).utf8.count }
    }

    static func drawSamples(_ state: AppState, _ s: StoreState, _ box: Rect, into buffer: inout ScreenBuffer) {
        let graph = state.graph
        guard let row = s.selected, box.width >= 4, box.height >= 3 else { return }
        let current = graph.featureVersion(row.feature)
        let order = s.sort.map { " · by \($0.column) \($0.descending ? "↓" : "↑")" } ?? ""
        let from = s.pagesByOffset && s.offset > 0 ? " · from \(s.offset + 1)" : ""
        buffer.box(box, title: "Samples · \(s.filter.label(graph))\(order)\(from)", role: s.samplesFocused ? .focusBorder : .border)
        var inner = box.inset(1)
        if let why = s.why, inner.height >= 4 {
            let height = min(max(3, inner.height / 2 + 2), 4 + why.fields.count * 4, inner.height - 1)
            drawWhy(why, Rect(x: inner.x, y: inner.maxY - height, width: inner.width, height: height), into: &buffer)
            inner.height -= height
        }
        guard inner.height > 0 else { return }
        if let problem = s.pageProblem {
            buffer.wrapped("could not read the rows: \(problem)", x: inner.x, y: inner.y, width: inner.width, height: inner.height, role: .error)
            return
        }
        guard let page = s.page else {
            buffer.put("loading…", x: inner.x, y: inner.y, role: .muted, limit: inner.width)
            return
        }
        let fields = graph.specs[row.feature].fields.map(\.key.string)
        let specs = [Columns.Spec.fixed(1), Columns.Spec(minimum: 6, natural: 11)] + fields.map { Columns.Spec(minimum: 4, natural: max(8, CellWidth.of($0))) }
            + page.columns.map { Columns.Spec(minimum: 4, natural: max(6, CellWidth.of($0))) }
        let columns = Columns.widths(specs, total: inner.width)
        buffer.row(([" ", "sample_uid"] + fields + page.columns).map { ($0, Role.muted) }, widths: columns, x: inner.x, y: inner.y)
        if page.rows.isEmpty { buffer.put("no rows", x: inner.x, y: inner.y + 1, role: .muted, limit: inner.width) }
        let visible = max(0, inner.height - 1)
        let top = max(0, s.pageCursor - visible + 1)
        for (i, sample) in page.rows.enumerated().dropFirst(top).prefix(visible) {
            let y = inner.y + 1 + i - top
            let glyph = s.glyph(of: sample, feature: row.feature, currentVersion: current)
            let role: Role = glyph == "~" || glyph == "-" || glyph == "+" ? .stale : glyph == "✓" ? .added : .muted
            let versions = Dictionary(sample.dataVersion, uniquingKeysWith: { a, _ in a })
            let cells = [(glyph, role), (sample.uid.description, Role.text)] + fields.map { (String((versions[$0] ?? "—").prefix(8)), Role.version) }
                + sample.extra.map { ($0, Role.text) }
            buffer.row(cells, widths: columns, x: inner.x, y: y)
            if i == s.pageCursor, s.samplesFocused { buffer.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: .selection) }
        }
    }

    static func drawWhy(_ why: SampleExplanation, _ rect: Rect, into buffer: inout ScreenBuffer) {
        guard rect.width > 0, rect.height > 0 else { return }
        buffer.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), role: .border, with: "─")
        let title = buffer.put(" why \(why.feature) sample \(why.uid) ", x: rect.x + 1, y: rect.y, role: .title, limit: rect.width - 1, ellipsis: true)
        let hint = " u: this sample upstream "
        if why.fields.contains(where: { !$0.inputs.isEmpty }), rect.width - title - 2 >= CellWidth.of(hint) {
            buffer.put(hint, x: rect.x + 2 + title, y: rect.y, role: .keyHint)
        }
        var y = rect.y + 1
        // Versions are long: a line that does not fit wraps, indented under its start.
        func line(_ text: String, _ role: Role) { Span.writeWrapped(text, role, in: rect, y: &y, into: &buffer) }
        for field in why.fields where y < rect.maxY {
            line("\(field.isStale ? "~" : "✓") \(field.key) (code \(field.codeVersion))", field.isStale ? .stale : .added)
            line("  stored \(field.stored ?? "none")  expected \(field.expected ?? "none")", field.isStale ? .changed : .muted)
            for input in field.inputs {
                // An upstream value rewritten since its previous row is the likely cause: shown with what it was.
                let was = input.changed ? "  (was \((input.previous ?? "").prefix(20)))" : ""
                line("    \(input.label) = \(input.value ?? "missing")\(was)", input.value == nil ? .removed : input.changed ? .changed : .muted)
            }
        }
    }
}

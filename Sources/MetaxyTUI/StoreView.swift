import Foundation
import MetaxyCore
import MetaxyStore
import TerminalKit

/// The Store screen: features with their rows and stale sets on the left, the selected
/// feature's stored rows on the right (a page from SQLite), and why one sample is stale.
enum StoreView {
    static func draw(_ state: AppState, _ layout: Layout, into buffer: inout ScreenBuffer) {
        guard let s = state.store else { return }
        let graph = state.graph
        let summaryY = 1
        var x = buffer.put(" \(state.source.store.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "store") ", x: 0, y: summaryY, role: .title)
        if let progress = s.progress {
            x += buffer.put("computing stale sets \(progress.done)/\(progress.total)… x cancels", x: x, y: summaryY, role: .warning)
        } else if !s.statuses.isEmpty {
            let stale = s.statuses.values.reduce(0) { $0 + $1.added.count + $1.changed.count + $1.removed.count }
            x += buffer.put("\(stale.grouped) stale samples in \(s.statuses.values.filter { !$0.isFresh }.count) features", x: x, y: summaryY,
                            role: stale > 0 ? .stale : .added)
        }
        // Wide enough for the longest key and stale set, within 45–60 % of the screen.
        let naturalKey = (s.rows.map { CellWidth.of(graph.key($0.feature).string) }.max() ?? 0) + 3
        let staleWidth = max(8, s.statuses.values.map(staleWidthOf).max() ?? 0)
        let width = min(max(layout.size.width * 45 / 100, 2 + naturalKey + 16 + staleWidth), layout.size.width * 60 / 100)
        let box = Rect(x: 0, y: 2, width: width, height: layout.size.height - 4)
        buffer.box(box, title: "Features", role: s.samplesFocused ? .border : .focusBorder)
        let inner = box.inset(1)
        let keyWidth = min(max(12, inner.width - 16 - staleWidth), naturalKey)
        buffer.put(pad("feature", keyWidth) + pad("rows", 8) + pad("current", 8) + "stale", x: inner.x, y: inner.y, role: .muted, limit: inner.width)
        let top = max(0, s.cursor - (inner.height - 2))
        for (i, row) in s.rows.enumerated().dropFirst(top).prefix(inner.height - 1) {
            let y = inner.y + 1 + i - top
            var cx = inner.x
            cx += buffer.put(pad((row.root ? "◉ " : "  ") + graph.key(row.feature).string, keyWidth), x: cx, y: y, role: .feature,
                             limit: min(keyWidth, inner.maxX - cx))
            cx += buffer.put(pad(row.stored.map(String.init) ?? "…", 8), x: cx, y: y, limit: inner.maxX - cx)
            cx += buffer.put(pad(row.current.map(String.init) ?? "…", 8), x: cx, y: y, limit: inner.maxX - cx)
            if let status = s.statuses[row.feature] {
                if status.root {
                    buffer.put("root", x: cx, y: y, role: .muted, limit: inner.maxX - cx)
                } else if status.isFresh {
                    buffer.put("✓ fresh", x: cx, y: y, role: .added, limit: inner.maxX - cx)
                } else {
                    buffer.put(staleText(status), x: cx, y: y, role: .stale, limit: inner.maxX - cx)
                }
            } else {
                buffer.put("…", x: cx, y: y, role: .muted)
            }
            if i == s.cursor { buffer.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: s.samplesFocused ? .selectionMuted : .selection) }
        }
        if let row = s.selected, inner.height > 6 {
            let y = inner.maxY - min(4, row.versions.count + 1)
            buffer.put("feature versions stored", x: inner.x, y: y, role: .title)
            for (i, v) in row.versions.prefix(3).enumerated() {
                let current = v.version == graph.featureVersion(row.feature)
                buffer.put("\(v.version.prefix(12))  \(v.rows) rows\(current ? "  (current)" : "")", x: inner.x + 1, y: y + 1 + i,
                           role: current ? .version : .muted, limit: inner.width - 1)
            }
        }
        drawSamples(state, s, Rect(x: box.maxX, y: 2, width: layout.size.width - box.maxX, height: box.height), into: &buffer)
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
        guard let row = s.selected else { return }
        let current = graph.featureVersion(row.feature)
        let order = s.sort.map { " · by \($0.column) \($0.descending ? "↓" : "↑")" } ?? ""
        let from = s.pagesByOffset && s.offset > 0 ? " · from \(s.offset + 1)" : ""
        buffer.box(box, title: "Samples · \(s.filter.rawValue)\(order)\(from)", role: s.samplesFocused ? .focusBorder : .border)
        var inner = box.inset(1)
        if let why = s.why {
            let height = min(inner.height / 2 + 2, 4 + why.fields.count * 4)
            drawWhy(why, Rect(x: inner.x, y: inner.maxY - height, width: inner.width, height: height), into: &buffer)
            inner.height -= height
        }
        guard let page = s.page else {
            buffer.put("loading…", x: inner.x, y: inner.y, role: .muted)
            return
        }
        let fields = graph.specs[row.feature].fields.map(\.key.string)
        buffer.put("  " + pad("sample_uid", 12) + fields.map { pad($0, 10) }.joined() + page.columns.joined(separator: "  "),
                   x: inner.x, y: inner.y, role: .muted, limit: inner.width)
        if page.rows.isEmpty { buffer.put("no rows", x: inner.x, y: inner.y + 1, role: .muted) }
        let visible = inner.height - 1
        let top = max(0, s.pageCursor - visible + 1)
        for (i, sample) in page.rows.enumerated().dropFirst(top).prefix(visible) {
            let y = inner.y + 1 + i - top
            let (glyph, _) = s.status(of: sample, feature: row.feature, currentVersion: current)
            let role: Role = glyph == "~" || glyph == "-" || glyph == "+" ? .stale : glyph == "✓" ? .added : .muted
            var cx = inner.x + buffer.put(glyph + " ", x: inner.x, y: y, role: role)
            cx += buffer.put(pad(sample.uid.description, 12), x: cx, y: y, limit: inner.maxX - cx)
            let versions = Dictionary(sample.dataVersion, uniquingKeysWith: { a, _ in a })
            for field in fields where cx < inner.maxX {
                cx += buffer.put(pad(String((versions[field] ?? "—").prefix(8)), 10), x: cx, y: y, role: .version, limit: inner.maxX - cx)
            }
            if cx < inner.maxX { buffer.put(sample.extra.joined(separator: "  "), x: cx, y: y, role: .text, limit: inner.maxX - cx) }
            if i == s.pageCursor, s.samplesFocused { buffer.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: .selection) }
        }
    }

    static func drawWhy(_ why: SampleExplanation, _ rect: Rect, into buffer: inout ScreenBuffer) {
        buffer.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), role: .border, with: "─")
        let title = buffer.put(" why \(why.feature) sample \(why.uid) ", x: rect.x + 1, y: rect.y, role: .title)
        if why.fields.contains(where: { !$0.inputs.isEmpty }) {
            buffer.put(" u: this sample upstream ", x: rect.x + 2 + title, y: rect.y, role: .keyHint, limit: rect.width - title - 2)
        }
        var y = rect.y + 1
        for field in why.fields where y < rect.maxY {
            buffer.put("\(field.isStale ? "~" : "✓") \(field.key) (code \(field.codeVersion))", x: rect.x, y: y, role: field.isStale ? .stale : .added, limit: rect.width)
            y += 1
            if y < rect.maxY {
                buffer.put("  stored \(field.stored ?? "none")  expected \(field.expected ?? "none")", x: rect.x, y: y,
                           role: field.isStale ? .changed : .muted, limit: rect.width)
                y += 1
            }
            for input in field.inputs where y < rect.maxY {
                // An upstream value rewritten since its previous row is the likely cause: shown with what it was.
                let was = input.changed ? "  (was \(input.previous!.prefix(20)))" : ""
                buffer.put("    \(input.label) = \(input.value ?? "missing")\(was)", x: rect.x, y: y,
                           role: input.value == nil ? .removed : input.changed ? .changed : .muted, limit: rect.width)
                y += 1
            }
        }
    }

    static func pad(_ text: String, _ width: Int) -> String { FeatureDetail.pad(text, width) }
}

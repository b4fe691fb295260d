import TerminalKit

/// The left pane: the feature tree or the flat topological list, with the selection.
enum FeaturesPane {
    static let rootGlyph = "◉", leafGlyph = "○", middleGlyph = "●"

    static func draw(_ state: AppState, _ layout: Layout, into buffer: inout ScreenBuffer) {
        let g = state.graphScreen
        let focused = g.focus == .features
        let features = g.rows.reduce(0) { $0 + ($1.feature == nil ? 0 : 1) }
        let title = g.filter.isEmpty ? "1 Features (\(g.graph.count))" : "1 Features \(features)/\(g.graph.count) “\(g.filter)”"
        buffer.box(layout.features, title: title, role: focused ? .focusBorder : .border)
        let inner = layout.featuresInner
        guard inner.height > 0, inner.width > 0 else { return }
        let filter = FeatureFilter(g.filter)
        for (i, row) in g.rows.dropFirst(g.listTop).prefix(inner.height).enumerated() {
            let index = g.listTop + i
            drawRow(row, state: state, filter: filter, at: Rect(x: inner.x, y: inner.y + i, width: inner.width, height: 1),
                    selected: index == g.cursor, focused: focused, into: &buffer)
        }
        if g.rows.isEmpty {
            buffer.put(g.filter.isEmpty ? "no features" : "nothing matches; Esc clears", x: inner.x + 1, y: inner.y, role: .muted,
                       limit: inner.width - 1, ellipsis: true)
        }
        scrollbar(top: g.listTop, visible: inner.height, total: g.rows.count, x: layout.features.maxX - 1, y: inner.y, into: &buffer)
    }

    /// Indent, fold mark, glyph, the label cut with "…" where it must be, and on the right the
    /// stale count (`!N`, once a store's stale sets are in) and the field count, always shown.
    private static func drawRow(_ row: FeatureRow, state: AppState, filter: FeatureFilter, at rect: Rect, selected: Bool,
                                focused: Bool, into buffer: inout ScreenBuffer) {
        let graph = state.graph
        let heat = row.feature.flatMap(state.staleCount).map { $0 > 0 ? "!\($0) " : "" } ?? ""
        let count = "\(row.count)"
        let right = CellWidth.of(heat) + CellWidth.of(count)
        // The counts keep their place while at least a few columns are left for the label.
        let showCounts = rect.width - right - 1 >= 6
        let end = showCounts ? rect.maxX - right - 1 : rect.maxX
        var x = rect.x + buffer.put(String(repeating: "  ", count: row.depth), x: rect.x, y: rect.y, limit: max(0, min(row.depth * 2, end - rect.x - 4)))
        let expander = row.expander.map { $0 ? "▾ " : "▸ " } ?? "  "
        x += buffer.put(expander, x: x, y: rect.y, role: .muted, limit: end - x)
        if let f = row.feature {
            let glyph = graph.isRoot(f) ? rootGlyph : graph.downstream[f].isEmpty ? leafGlyph : middleGlyph
            x += buffer.put(glyph + " ", x: x, y: rect.y, role: graph.isRoot(f) ? .root : graph.downstream[f].isEmpty ? .leaf : .feature,
                            limit: end - x)
        }
        let labelStart = x
        let label = row.feature == nil ? row.label + "/" : row.label
        let used = buffer.put(label, x: x, y: rect.y, role: row.feature == nil ? .group : .feature, limit: end - x, ellipsis: true)
        let cut = CellWidth.of(label) > used
        for range in filter.highlights(in: label) where range.upperBound <= used - (cut ? 1 : 0) {
            buffer.restyle(Rect(x: labelStart + range.lowerBound, y: rect.y, width: range.count, height: 1), role: .match)
        }
        if showCounts {
            let hx = rect.maxX - right
            buffer.put(heat, x: hx, y: rect.y, role: .stale)
            buffer.put(count, x: hx + CellWidth.of(heat), y: rect.y, role: .muted)
        }
        if selected { buffer.restyle(rect, role: focused ? .selection : .selectionMuted) }
    }

    /// A one-column bar on the pane's right edge when the rows do not all fit.
    static func scrollbar(top: Int, visible: Int, total: Int, x: Int, y: Int, into buffer: inout ScreenBuffer) {
        guard total > visible, visible > 0 else { return }
        let thumb = max(1, visible * visible / total)
        let start = min(visible - thumb, (visible - thumb) * top / max(1, total - visible))
        buffer.fill(Rect(x: x, y: y + start, width: 1, height: thumb), role: .focusBorder, with: "┃")
    }
}

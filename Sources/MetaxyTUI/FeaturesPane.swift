import TerminalKit

/// The left pane: the feature tree or the flat topological list, with the selection.
enum FeaturesPane {
    static let rootGlyph = "◉", leafGlyph = "○", middleGlyph = "●"

    static func draw(_ state: AppState, _ layout: Layout, into buffer: inout ScreenBuffer) {
        let focused = state.focus == .features
        let features = state.rows.reduce(0) { $0 + ($1.feature == nil ? 0 : 1) }
        let title = state.filter.isEmpty ? "1 Features (\(state.graph.count))" : "1 Features \(features)/\(state.graph.count) “\(state.filter)”"
        buffer.box(layout.features, title: title, role: focused ? .focusBorder : .border)
        let inner = layout.featuresInner
        guard inner.height > 0 else { return }
        let filter = FeatureFilter(state.filter)
        for (i, row) in state.rows.dropFirst(state.listTop).prefix(inner.height).enumerated() {
            let index = state.listTop + i
            drawRow(row, state: state, filter: filter, at: Rect(x: inner.x, y: inner.y + i, width: inner.width, height: 1),
                    selected: index == state.cursor, focused: focused, into: &buffer)
        }
        if state.rows.isEmpty {
            buffer.put(state.filter.isEmpty ? "no features" : "nothing matches; Esc clears", x: inner.x + 1, y: inner.y, role: .muted)
        }
        scrollbar(top: state.listTop, visible: inner.height, total: state.rows.count, x: layout.features.maxX - 1, y: inner.y, into: &buffer)
    }

    private static func drawRow(_ row: FeatureRow, state: AppState, filter: FeatureFilter, at rect: Rect, selected: Bool,
                                focused: Bool, into buffer: inout ScreenBuffer) {
        let graph = state.graph
        var x = rect.x + buffer.put(String(repeating: "  ", count: row.depth), x: rect.x, y: rect.y, limit: rect.width)
        let expander = row.expander.map { $0 ? "▾ " : "▸ " } ?? "  "
        x += buffer.put(expander, x: x, y: rect.y, role: .muted, limit: rect.maxX - x)
        if let f = row.feature {
            let glyph = graph.isRoot(f) ? rootGlyph : graph.downstream[f].isEmpty ? leafGlyph : middleGlyph
            x += buffer.put(glyph + " ", x: x, y: rect.y, role: graph.isRoot(f) ? .root : graph.downstream[f].isEmpty ? .leaf : .feature,
                            limit: rect.maxX - x)
        }
        // With a store's stale sets computed, the stale count is the heat column.
        let heat = row.feature.flatMap(state.staleCount).map { $0 > 0 ? " !\($0)" : "" } ?? ""
        let countText = heat + " \(row.count)"
        let countWidth = CellWidth.of(countText)
        let labelStart = x
        let label = row.feature == nil ? row.label + "/" : row.label
        let used = buffer.put(label, x: x, y: rect.y, role: row.feature == nil ? .group : .feature, limit: max(0, rect.maxX - x - countWidth))
        for range in filter.highlights(in: label) where range.upperBound <= used {
            buffer.restyle(Rect(x: labelStart + range.lowerBound, y: rect.y, width: range.count, height: 1), role: .match)
        }
        if rect.maxX - countWidth > x + used {
            let heatWidth = CellWidth.of(heat)
            buffer.put(heat, x: rect.maxX - countWidth, y: rect.y, role: .stale)
            buffer.put(String(countText.dropFirst(heat.count)), x: rect.maxX - countWidth + heatWidth, y: rect.y, role: .muted)
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

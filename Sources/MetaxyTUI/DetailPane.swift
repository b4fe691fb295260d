import TerminalKit

/// The right pane: the selected feature's detail, or what a group holds.
enum DetailPane {
    static func draw(_ state: AppState, _ layout: Layout, into buffer: inout ScreenBuffer) {
        let focused = state.focus == .detail
        let inner = layout.detailInner
        guard let row = state.selectedRow else {
            buffer.box(layout.detail, title: "2 Detail", role: focused ? .focusBorder : .border)
            return
        }
        buffer.box(layout.detail, title: "2 " + (row.feature == nil ? row.path + "/" : row.path), role: focused ? .focusBorder : .border)
        guard row.feature != nil else {
            buffer.put("\(row.count) feature\(row.count == 1 ? "" : "s") under \(row.path)/", x: inner.x, y: inner.y, role: .muted)
            buffer.put(row.expander == true ? "← or Enter folds the group" : "→ or Enter unfolds the group", x: inner.x, y: inner.y + 1, role: .muted)
            return
        }
        let lines = state.detailLines
        let selectable = AppState.selectable(lines)
        let cursorLine = selectable.indices.contains(state.detailCursor) ? selectable[state.detailCursor] : nil
        for (i, line) in lines.dropFirst(state.detailTop).prefix(inner.height).enumerated() {
            let index = state.detailTop + i, y = inner.y + i
            var x = inner.x
            for span in line.spans where x < inner.maxX {
                x += buffer.put(span.text, x: x, y: y, role: span.role, limit: inner.maxX - x)
            }
            let width = line.spans.reduce(0) { $0 + CellWidth.of($1.text) }
            if width > inner.width { buffer.put("…", x: inner.maxX - 1, y: y, role: .muted) }
            if index == cursorLine {
                let mark = focused ? Role.selection : .selectionMuted
                buffer.restyle(Rect(x: inner.x - 1, y: y, width: inner.width + 1, height: 1), role: mark)
            }
        }
        FeaturesPane.scrollbar(top: state.detailTop, visible: inner.height, total: lines.count, x: layout.detail.maxX - 1, y: inner.y, into: &buffer)
    }
}

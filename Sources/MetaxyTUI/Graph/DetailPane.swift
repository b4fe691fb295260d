import MetaxyCore
import TerminalKit

/// The right pane: the selected feature's detail, or what a group holds.
enum DetailPane {
    static func draw(_ state: AppState, _ layout: Layout, into buffer: inout ScreenBuffer) {
        let g = state.graphScreen
        let focused = g.focus == .detail
        let inner = layout.detailInner
        guard let row = g.selectedRow else {
            buffer.box(layout.detail, title: "2 Detail", role: focused ? .focusBorder : .border)
            return
        }
        buffer.box(layout.detail, title: "2 " + (row.feature == nil ? row.path + "/" : row.path), role: focused ? .focusBorder : .border)
        guard inner.height > 0, inner.width > 0 else { return }
        guard row.feature != nil else {
            buffer.put("\(counted(row.count, "feature")) under \(row.path)/", x: inner.x, y: inner.y, role: .muted,
                       limit: inner.width, ellipsis: true)
            buffer.put(row.expander == true ? "← or Enter folds the group" : "→ or Enter unfolds the group", x: inner.x, y: inner.y + 1,
                       role: .muted, limit: inner.width, ellipsis: true)
            return
        }
        let lines = g.detailLines
        let selectable = GraphScreen.selectable(lines)
        let cursorLine = selectable.indices.contains(g.detailCursor) ? selectable[g.detailCursor] : nil
        for (i, line) in lines.dropFirst(g.detailTop).prefix(inner.height).enumerated() {
            let index = g.detailTop + i, y = inner.y + i
            buffer.spans(line.spans, x: inner.x, y: y, width: inner.width)
            if index == cursorLine {
                let mark = focused ? Role.selection : .selectionMuted
                buffer.restyle(Rect(x: inner.x - 1, y: y, width: inner.width + 1, height: 1), role: mark)
            }
        }
        FeaturesPane.scrollbar(top: g.detailTop, visible: inner.height, total: lines.count, x: layout.detail.maxX - 1, y: inner.y, into: &buffer)
    }
}

import MetaxyCore
import TerminalKit

/// The DAG screen: the layered drawing through a viewport. The selected box is marked; with a
/// field selected, the boxes and edges of its lineage light up and the downstream features it
/// cannot affect are dimmed; with diff colours, boxes take their diff status.
enum DagView {
    static func draw(_ state: AppState, _ layout: Layout, into buffer: inout ScreenBuffer) {
        let area = layout.dagArea
        guard let d = state.dag, let drawing = d.layout else {
            buffer.put(state.graph.count == 0 ? " the graph has no features to draw" : " laying out…", x: area.x, y: area.y, role: .muted)
            return
        }
        let graph = state.graph
        let lit = lineage(state, d)
        // Edges in the viewport.
        let cells = drawing.edgeCells
        for y in 0..<area.height {
            let row = d.scrollY + y
            guard row < drawing.height else { break }
            for x in 0..<area.width {
                let col = d.scrollX + x
                guard col < drawing.width else { break }
                let i = row * drawing.width + col, bits = cells.bits[i]
                guard bits != 0 else { continue }
                let onChain = lit.map { lit in cells.edges(at: i).contains { lit.edges.contains(Int($0)) } } ?? false
                buffer.put(String(DagLayout.glyph(bits)), x: area.x + x, y: area.y + y, role: onChain ? .changed : .muted)
            }
        }
        // Boxes over them.
        for box in drawing.boxes {
            guard box.x < d.scrollX + area.width, box.x + box.width > d.scrollX,
                  box.y < d.scrollY + area.height, box.y + box.height > d.scrollY else { continue }
            let f = box.feature
            let status = d.diffColours ? state.diffScreen.diff?.diff.feature(named: graph.key(f).string)?.status : nil
            let border: Role, keyRole: Role
            if f == d.selected {
                (border, keyRole) = (.focusBorder, .title)
            } else if let status {
                (border, keyRole) = (DiffView.role(status), DiffView.role(status))
            } else if let lit {
                (border, keyRole) = lit.features.contains(f) ? (.changed, .feature) : lit.unaffected.contains(f) ? (.muted, .muted) : (.border, .feature)
            } else {
                (border, keyRole) = (.border, .feature)
            }
            for (dy, row) in DagLayout.boxRows(box).enumerated() {
                let y = box.y + dy - d.scrollY
                guard y >= 0, y < area.height else { continue }
                for (dx, c) in row.enumerated() {
                    let x = box.x + dx - d.scrollX
                    guard x >= 0, x < area.width else { continue }
                    let edge = dy == 0 || dy == box.height - 1 || dx == 0 || dx == box.width - 1
                    var role = edge ? border : dy == 1 ? keyRole : dy == 2 ? .version : .field
                    if lit?.unaffected.contains(f) == true, !edge { role = .muted }
                    if !edge, f == d.selected, let field = d.field, dy == 3 + field { role = .selection }
                    buffer.put(String(c), x: area.x + x, y: area.y + y, role: role)
                }
            }
        }
        let what = d.focus.map { "focus \(graph.key($0).string) ±\(d.up.map(String.init) ?? "all")/\(d.down.map(String.init) ?? "all")" } ?? "whole graph"
        let info = " \(drawing.boxes.count) features · \(what) · \(DagState.zoomNames[d.zoom]) · \(counted(drawing.crossings, "crossing")) "
        buffer.put(info, x: max(0, area.maxX - CellWidth.of(info)), y: area.maxY - 1, role: .muted)
    }

    /// With a field selected: the features holding its upstream and downstream fields, the edges
    /// between them, and the downstream features it cannot affect.
    static func lineage(_ state: AppState, _ d: DagState) -> (features: Set<Int>, edges: Set<Int>, unaffected: Set<Int>)? {
        guard let field = d.field, let drawing = d.layout else { return nil }
        let lineage = FieldLineage(graph: state.graph, field: FieldRef(feature: d.selected, field: field))
        let features = Set(lineage.upstreamFields.map(\.feature) + lineage.downstreamFields.map(\.feature) + [d.selected])
        let edges = Set(drawing.edges.indices.filter { features.contains(drawing.edges[$0].from) && features.contains(drawing.edges[$0].to) })
        return (features, edges, Set(lineage.unaffectedFeatures))
    }
}

import MetaxyCore
import TerminalKit

/// Keys on the DAG screen, and what drawing they ask for.
extension AppState {
    /// `D`: the drawing around the selected feature — the whole graph when it is small, else
    /// one level up and down (a big graph drawn whole helps nobody and costs time).
    mutating func openDag() -> [Effect] {
        screen = .dag
        let start = selectedFeature ?? graph.topologicalOrder.first ?? 0
        if dag == nil || dag?.selected != start {
            var d = DagState(selected: start)
            d.focus = graph.count <= 60 ? nil : start
            dag = d
        }
        return requestLayout()
    }

    /// The features drawn now.
    var dagFeatures: [Int] {
        guard let d = dag else { return [] }
        guard let focus = d.focus else { return Array(0..<graph.count) }
        return graph.neighbourhood(of: focus, up: d.up, down: d.down).sorted()
    }

    var dagKey: DagKey? {
        guard let d = dag else { return nil }
        var marks: [String: String] = [:]
        if d.diffColours, let diff = diff?.diff {
            for f in diff.features where f.status != .unchanged { marks[f.key] = f.status.glyph }
        }
        return DagKey(graph: ObjectIdentifier(graph), features: dagFeatures, zoom: d.zoom, marks: marks)
    }

    /// The layout is made off the input loop, unless the one drawn already fits.
    mutating func requestLayout() -> [Effect] {
        guard let key = dagKey, dag?.layoutKey != key else { return [] }
        return [.layoutDag(key)]
    }

    mutating func dagLaidOut(_ key: DagKey, _ layout: DagLayout) {
        guard key == dagKey, var d = dag else { return }
        d.layout = layout
        d.layoutKey = key
        dag = d
        if !layout.boxes.isEmpty, layout.boxOfFeature[d.selected] == nil { dag?.selected = layout.boxes[0].feature }
        scrollDagToSelection()
    }

    mutating func runDag(_ command: Command) -> [Effect] {
        guard var d = dag else { return run(command) }
        let area = Layout(size: size).dagArea
        switch command {
        case .panLeft: d.scrollX -= 8
        case .panRight: d.scrollX += 8
        case .panUp: d.scrollY -= 3
        case .panDown: d.scrollY += 3
        case .pageUp, .halfPageUp: d.scrollY -= max(1, area.height - 2)
        case .pageDown, .halfPageDown: d.scrollY += max(1, area.height - 2)
        case .top: d.scrollX = 0; d.scrollY = 0
        case .nextPane, .previousPane:
            guard let layout = d.layout, !layout.boxes.isEmpty else { break }
            let ordered = layout.boxes.sorted { ($0.y, $0.x) < ($1.y, $1.x) }.map(\.feature)
            let i = ordered.firstIndex(of: d.selected) ?? 0
            d.selected = ordered[(i + (command == .nextPane ? 1 : ordered.count - 1)) % ordered.count]
            d.field = nil
            dag = d
            scrollDagToSelection()
            return []
        case .nextField, .previousField:
            let count = graph.specs[d.selected].fields.count
            // None, then each field in turn.
            let current = d.field.map { $0 + 1 } ?? 0
            let next = (current + (command == .nextField ? 1 : count)) % (count + 1)
            d.field = next == 0 ? nil : next - 1
            if let f = d.field { say("lineage of \(graph.fqString(FieldRef(feature: d.selected, field: f)))") }
        case .zoom:
            d.zoom = (d.zoom + 1) % 3
            say("zoom: \(DagState.zoomNames[d.zoom])")
        case .focusUp, .focusUpAll, .focusDown, .focusDownAll, .focusBoth, .focusAll:
            if command == .focusAll {
                d.focus = nil
                say("the whole graph")
            } else {
                if d.focus != d.selected { d.focus = d.selected; d.up = 0; d.down = 0 }
                switch command {
                case .focusUp: d.up = (d.up ?? 0) + 1
                case .focusUpAll: d.up = nil
                case .focusDown: d.down = (d.down ?? 0) + 1
                case .focusDownAll: d.down = nil
                default: d.up = (d.up ?? 0) + 1; d.down = (d.down ?? 0) + 1
                }
                func levels(_ n: Int?) -> String { n.map(String.init) ?? "all" }
                say("focus \(graph.key(d.selected).string): \(levels(d.up)) up, \(levels(d.down)) down")
            }
        case .diffColours:
            guard diff != nil else { say("no diff loaded: d opens the Diff screen", error: true); break }
            d.diffColours.toggle()
        case .open:
            dag = d
            screen = .graph
            focus = .features
            jump(to: d.selected, field: d.field)
            return []
        case .graphScreen: screen = .graph
        case .diffScreen: dag = d; return openDiff()
        default:
            dag = d
            return run(command)
        }
        if let layout = d.layout {
            d.scrollX = max(0, min(d.scrollX, max(0, layout.width - area.width)))
            d.scrollY = max(0, min(d.scrollY, max(0, layout.height - area.height)))
        }
        dag = d
        return requestLayout()
    }

    /// Brings the selected box into the viewport.
    mutating func scrollDagToSelection() {
        guard var d = dag, let layout = d.layout, let b = layout.boxOfFeature[d.selected] else { return }
        let box = layout.boxes[b], area = Layout(size: size).dagArea
        if box.x < d.scrollX || box.x + box.width > d.scrollX + area.width { d.scrollX = max(0, box.x + box.width / 2 - area.width / 2) }
        if box.y < d.scrollY || box.y + box.height > d.scrollY + area.height { d.scrollY = max(0, box.y + box.height / 2 - area.height / 2) }
        d.scrollX = max(0, min(d.scrollX, max(0, layout.width - area.width)))
        d.scrollY = max(0, min(d.scrollY, max(0, layout.height - area.height)))
        dag = d
    }
}

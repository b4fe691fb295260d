import MetaxyCore
import TerminalKit

/// Keys on the DAG screen, and what drawing they ask for.
extension DagState {
    /// The features drawn now.
    func features(_ graph: FeatureGraph) -> [Int] {
        guard let focus else { return Array(0..<graph.count) }
        return graph.neighbourhood(of: focus, up: up, down: down).sorted()
    }

    func key(graph: FeatureGraph, diff: GraphDiff?) -> DagKey {
        var marks: [String: String] = [:]
        if diffColours, let diff {
            for f in diff.features where f.status != .unchanged { marks[f.key] = f.status.glyph }
        }
        return DagKey(graph: ObjectIdentifier(graph), features: features(graph), zoom: zoom, marks: marks)
    }

    /// A layout arrives: kept if it is still the one wanted (`current`).
    mutating func laidOut(_ key: DagKey, _ drawing: DagLayout, current: DagKey?, size: Size) {
        guard key == current else { return }
        layout = drawing
        layoutKey = key
        if !drawing.boxes.isEmpty, drawing.boxOfFeature[selected] == nil {
            selected = drawing.boxes[0].feature
            field = nil
        }
        scrollToSelection(size)
    }

    mutating func update(_ command: Command, _ context: inout ScreenContext) -> Bool {
        let graph = context.graph
        let area = Layout(size: context.size).dagArea
        switch command {
        case .panLeft: scrollX -= 8
        case .panRight: scrollX += 8
        case .panUp: scrollY -= 3
        case .panDown: scrollY += 3
        case .pageUp, .halfPageUp: scrollY -= max(1, area.height - 2)
        case .pageDown, .halfPageDown: scrollY += max(1, area.height - 2)
        case .top: scrollX = 0; scrollY = 0
        case .bottom: scrollY = Int(Int32.max)
        case .nextPane, .previousPane:
            guard let layout, !layout.boxes.isEmpty else { return true }
            let ordered = layout.boxes.sorted { ($0.y, $0.x) < ($1.y, $1.x) }.map(\.feature)
            let i = ordered.firstIndex(of: selected) ?? 0
            selected = ordered[(i + (command == .nextPane ? 1 : ordered.count - 1)) % ordered.count]
            field = nil
            scrollToSelection(context.size)
            return true
        case .nextField, .previousField:
            let count = graph.specs[selected].fields.count
            // None, then each field in turn.
            let current = field.map { $0 + 1 } ?? 0
            let next = (current + (command == .nextField ? 1 : count)) % (count + 1)
            field = next == 0 ? nil : next - 1
            if let f = field { context.say("lineage of \(graph.fqString(FieldRef(feature: selected, field: f)))") }
        case .zoom:
            zoom = (zoom + 1) % 3
            context.say("zoom: \(DagState.zoomNames[zoom])")
        case .focusUp, .focusUpAll, .focusDown, .focusDownAll, .focusBoth, .focusAll:
            if command == .focusAll {
                focus = nil
                context.say("the whole graph")
            } else {
                if focus != selected { focus = selected; up = 0; down = 0 }
                switch command {
                case .focusUp: up = (up ?? 0) + 1
                case .focusUpAll: up = nil
                case .focusDown: down = (down ?? 0) + 1
                case .focusDownAll: down = nil
                default: up = (up ?? 0) + 1; down = (down ?? 0) + 1
                }
                func levels(_ n: Int?) -> String { n.map(String.init) ?? "all" }
                context.say("focus \(graph.key(selected).string): \(levels(up)) up, \(levels(down)) down")
            }
        case .diffColours:
            guard context.diff != nil else { context.say("no diff loaded: d opens the Diff screen", error: true); return true }
            diffColours.toggle()
        case .open:
            context.show = .graph
            context.jump = (selected, field)
            return true
        default: return false
        }
        clampScroll(area)
        return true
    }

    private mutating func clampScroll(_ area: Rect) {
        guard let layout else { return }
        scrollX = max(0, min(scrollX, max(0, layout.width - area.width)))
        scrollY = max(0, min(scrollY, max(0, layout.height - area.height)))
    }

    /// Brings the selected box into the viewport.
    mutating func scrollToSelection(_ size: Size) {
        guard let layout, let b = layout.boxOfFeature[selected] else { return }
        let box = layout.boxes[b], area = Layout(size: size).dagArea
        if box.x < scrollX || box.x + box.width > scrollX + area.width { scrollX = max(0, box.x + box.width / 2 - area.width / 2) }
        if box.y < scrollY || box.y + box.height > scrollY + area.height { scrollY = max(0, box.y + box.height / 2 - area.height / 2) }
        clampScroll(area)
    }
}

import TerminalKit

/// `view(state) -> ScreenBuffer`: draws the whole screen from the state alone; the cost grows with
/// the screen's size, not the graph's.
public enum View {
    public static func render(_ state: AppState) -> ScreenBuffer {
        var buffer = ScreenBuffer(size: state.size)
        var layout = Layout(size: state.size)
        layout.fullVersions = state.diffScreen.fullVersions
        if layout.tooSmall {
            TooSmallView.draw(into: &buffer)
            return buffer
        }
        // Each part is drawn clipped to its place: nothing one draws can land in another.
        buffer.clipped(to: layout.header) { Chrome.header(state, layout, into: &$0) }
        switch state.screen {
        case .graph:
            buffer.clipped(to: layout.features) { FeaturesPane.draw(state, layout, into: &$0) }
            buffer.clipped(to: layout.detail) { DetailPane.draw(state, layout, into: &$0) }
        case .dag:
            buffer.clipped(to: layout.dagArea) { DagView.draw(state, layout, into: &$0) }
        case .diff:
            buffer.clipped(to: layout.body) { DiffView.draw(state, layout, into: &$0) }
        case .store:
            buffer.clipped(to: layout.body) { StoreView.draw(state, layout, into: &$0) }
        case .sample:
            buffer.clipped(to: layout.body) { SampleView.draw(state, layout, into: &$0) }
        }
        buffer.clipped(to: layout.status) { Chrome.status(state, layout, into: &$0) }
        buffer.clipped(to: layout.footer) { Chrome.footer(state, layout, into: &$0) }
        if let picker = state.picker { buffer.clipped(to: layout.body) { SidePicker.draw(picker, size: state.size, into: &$0) } }
        if let migration = state.migration { buffer.clipped(to: layout.body) { MigrationPanel.draw(migration, size: state.size, into: &$0) } }
        if let help = state.help { buffer.clipped(to: layout.body) { HelpView.draw(help, screen: state.screen, size: state.size, into: &$0) } }
        return buffer
    }
}

/// Below 40×10 nothing fits: say so, with the sizes, and keep `q` working.
enum TooSmallView {
    static func draw(into buffer: inout ScreenBuffer) {
        let size = buffer.size, need = Layout.minimum
        let lines: [[Span]] = [
            [Span("Terminal too small", .error)],
            [Span("now ", .muted), Span("\(size.width)×\(size.height)", .warning)],
            [Span("need ", .muted), Span("\(need.width)×\(need.height)", .added)],
            [Span("q quits", .keyHint)],
        ]
        let top = max(0, (size.height - lines.count) / 2)
        for (i, spans) in lines.enumerated() {
            let width = spans.reduce(0) { $0 + CellWidth.of($1.text) }
            var x = max(0, (size.width - width) / 2)
            for span in spans { x += buffer.put(span.text, x: x, y: top + i, role: span.role) }
        }
    }
}

/// Header, status bar and footer (key hints or the line being typed).
enum Chrome {
    /// The tab bar: each screen with the key that opens it from anywhere (the Sample screen opens
    /// from a sample: `L` on the Store screen, `:sample UID`).
    static let tabs: [(Screen, String)] = [(.graph, " Graph "), (.dag, " D DAG "), (.diff, " d Diff "), (.store, " S Store "), (.sample, " Sample ")]

    static func header(_ state: AppState, _ layout: Layout, into buffer: inout ScreenBuffer) {
        var x = buffer.put(" metaxy-tui ", x: 0, y: 0, role: .title)
        for (screen, name) in tabs {
            x += buffer.put(name, x: x, y: 0, role: state.screen == screen ? .selection : .muted)
        }
        let right = state.source.label + " "
        let room = layout.size.width - x - 2
        if room > 8 {
            let label = ScreenBuffer.cut(right, to: room)
            buffer.put(label, x: layout.size.width - CellWidth.of(label), y: 0, role: .muted)
        }
    }

    static func status(_ state: AppState, _ layout: Layout, into buffer: inout ScreenBuffer) {
        let y = layout.status.y
        buffer.fill(layout.status, role: .statusBar)
        if let message = state.message {
            buffer.put(" " + (message.isError ? "✗ " : "") + message.text, x: 0, y: y, role: message.isError ? .error : .statusBar, ellipsis: true)
            return
        }
        let graph = state.graph
        let text = " \(state.source.label) · \(graph.versionNoun) \(graph.snapshotVersion.prefix(8)) · \(graph.count) features · \(graph.fieldCount) fields · \(state.graphScreen.mode.rawValue) · theme \(state.theme.name)"
        buffer.put(text, x: 0, y: y, role: .statusBar, ellipsis: true)
    }

    static func footer(_ state: AppState, _ layout: Layout, into buffer: inout ScreenBuffer) {
        let y = layout.footer.y
        if let prompt = state.prompt {
            let x = buffer.put(prompt.kind == .command ? ":" : prompt.kind == .sample ? "sample_uid: " : "/", x: 0, y: y, role: .prompt)
            // The end of a long line stays in view, where the typing is.
            let room = max(0, layout.size.width - x - 1)
            let shown = CellWidth.of(prompt.text) > room ? "…" + String(prompt.text.suffix(max(0, room - 1))) : prompt.text
            let used = buffer.put(shown, x: x, y: y, role: .text, limit: room)
            buffer.put("▏", x: x + used, y: y, role: .prompt)
            return
        }
        var x = 1
        let hints = switch state.screen {
        case .graph: Keymap.hints
        case .dag: Keymap.dagHints
        case .diff: Keymap.diffHints
        case .store: Keymap.storeHints
        case .sample: Keymap.sampleHints
        }
        for (key, what) in hints {
            let width = CellWidth.of(key) + CellWidth.of(what) + 3
            if x + width > layout.size.width { break }
            x += buffer.put(key, x: x, y: y, role: .keyHint)
            x += buffer.put(" " + what + "  ", x: x, y: y, role: .muted)
        }
    }
}

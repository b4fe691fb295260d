import TerminalKit

/// `view(state) -> ScreenBuffer`: draws the whole screen from the state alone; the cost grows with
/// the screen's size, not the graph's.
public enum View {
    public static func render(_ state: AppState) -> ScreenBuffer {
        var buffer = ScreenBuffer(size: state.size)
        var layout = Layout(size: state.size)
        layout.fullVersions = state.fullVersions
        if layout.tooSmall {
            TooSmallView.draw(into: &buffer)
            return buffer
        }
        Chrome.header(state, layout, into: &buffer)
        switch state.screen {
        case .graph:
            FeaturesPane.draw(state, layout, into: &buffer)
            DetailPane.draw(state, layout, into: &buffer)
        case .dag:
            DagView.draw(state, layout, into: &buffer)
        case .diff:
            DiffView.draw(state, layout, into: &buffer)
        case .store:
            StoreView.draw(state, layout, into: &buffer)
        }
        Chrome.status(state, layout, into: &buffer)
        Chrome.footer(state, layout, into: &buffer)
        if let picker = state.picker { SidePicker.draw(picker, size: state.size, into: &buffer) }
        if let help = state.help { HelpView.draw(help, size: state.size, into: &buffer) }
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
    static func header(_ state: AppState, _ layout: Layout, into buffer: inout ScreenBuffer) {
        var x = buffer.put(" metaxy-tui ", x: 0, y: 0, role: .title)
        for (screen, name) in [(Screen.graph, " Graph "), (.dag, " DAG "), (.diff, " Diff "), (.store, " Store ")] {
            x += buffer.put(name, x: x, y: 0, role: state.screen == screen ? .selection : .muted)
        }
        let right = state.source.label + " "
        let width = CellWidth.of(right)
        if x + width + 2 < layout.size.width { buffer.put(right, x: layout.size.width - width, y: 0, role: .muted) }
    }

    static func status(_ state: AppState, _ layout: Layout, into buffer: inout ScreenBuffer) {
        let y = layout.status.y
        buffer.fill(layout.status, role: .statusBar)
        if let message = state.message {
            buffer.put(" " + (message.isError ? "✗ " : "") + message.text, x: 0, y: y, role: message.isError ? .error : .statusBar)
            return
        }
        let graph = state.graph
        let text = " \(state.source.label) · snapshot \(graph.snapshotVersion.prefix(8)) · \(graph.count) features · \(graph.fieldCount) fields · \(state.mode.rawValue) · theme \(state.theme.name)"
        buffer.put(text, x: 0, y: y, role: .statusBar)
    }

    static func footer(_ state: AppState, _ layout: Layout, into buffer: inout ScreenBuffer) {
        let y = layout.footer.y
        if let prompt = state.prompt {
            let x = buffer.put(prompt.kind == .command ? ":" : prompt.kind == .sample ? "sample_uid: " : "/", x: 0, y: y, role: .prompt)
            let used = buffer.put(prompt.text, x: x, y: y, role: .text, limit: layout.size.width - x - 1)
            buffer.put("▏", x: x + used, y: y, role: .prompt)
            return
        }
        var x = 1
        let hints = switch state.screen {
        case .graph: Keymap.hints
        case .dag: Keymap.dagHints
        case .diff: Keymap.diffHints
        case .store: Keymap.storeHints
        }
        for (key, what) in hints {
            let width = CellWidth.of(key) + CellWidth.of(what) + 3
            if x + width > layout.size.width { break }
            x += buffer.put(key, x: x, y: y, role: .keyHint)
            x += buffer.put(" " + what + "  ", x: x, y: y, role: .muted)
        }
    }
}

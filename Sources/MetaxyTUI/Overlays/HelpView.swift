import TerminalKit

/// The `?` overlay: every binding of the keymap, the screen open first (marked), then the keys
/// that work everywhere, then the other screens; filtered by what is typed; long summaries wrap.
enum HelpView {
    /// Glyphs and what they mean; the meanings wrap like the key summaries.
    static let legend: [(glyph: Span, meaning: String)] = [
        (Span(FeaturesPane.rootGlyph, .root), "root feature (no deps)"),
        (Span(FeaturesPane.middleGlyph, .feature), "intermediate"),
        (Span(FeaturesPane.leafGlyph, .leaf), "leaf (nothing downstream)"),
        (Span("▾ ▸", .muted), "open / folded group"),
        (Span("!N n", .muted), "on the right of a feature: its stale samples (with a store), its fields; of a group: its features"),
        (Span("+ - ~ ✓", .muted), "added, removed, changed (stale), fresh"),
        (Span("· ◆", .muted), "Sample screen: missing (not here, not in every upstream); where a stale field's change came in"),
    ]

    static let screenNames: [Screen: String] = [.graph: "Graph screen", .dag: "DAG screen", .diff: "Diff screen", .store: "Store screen", .sample: "Sample screen"]
    static let keyColumn = 16

    /// The sections in order: (title, bindings).
    static func sections(for screen: Screen) -> [(title: String, current: Bool, bindings: [Binding])] {
        let order: [Screen] = [screen] + [Screen.graph, .dag, .diff, .store, .sample].filter { $0 != screen }
        var sections = [(title: "\(screenNames[screen]!) — this screen", current: true, bindings: Keymap.bindings.filter { $0.screen == screen })]
        var groups: [String] = []
        for b in Keymap.bindings where b.screen == nil && !groups.contains(b.group) { groups.append(b.group) }
        for group in groups {
            sections.append((title: "Everywhere: \(group)", current: false, bindings: Keymap.bindings.filter { $0.screen == nil && $0.group == group }))
        }
        for other in order.dropFirst() {
            sections.append((title: screenNames[other]!, current: false, bindings: Keymap.bindings.filter { $0.screen == other }))
        }
        return sections
    }

    static func lines(filter: String, screen: Screen, width: Int) -> [[Span]] {
        let needle = filter.lowercased()
        var lines: [[Span]] = []
        let summaryWidth = max(10, width - keyColumn - 2)
        for section in sections(for: screen) {
            let shown = section.bindings.filter { b in
                let keys = b.keys.map(KeyNotation.display).joined(separator: " ")
                return needle.isEmpty || "\(section.title) \(b.group) \(keys) \(b.summary)".lowercased().contains(needle)
            }
            guard !shown.isEmpty else { continue }
            if !lines.isEmpty { lines.append([]) }
            lines.append(section.current ? [Span("▸ ", .prompt), Span(section.title, .title)] : [Span(section.title, .title)])
            for binding in shown {
                let keys = binding.keys.map(KeyNotation.display).joined(separator: " ")
                let wrapped = ScreenBuffer.wrap(binding.summary, width: summaryWidth)
                lines.append([Span("  " + FeatureDetail.pad(keys, keyColumn), .keyHint), Span(wrapped.first ?? "")])
                for more in wrapped.dropFirst() { lines.append([Span(String(repeating: " ", count: keyColumn + 2)), Span(more)]) }
            }
        }
        if needle.isEmpty {
            lines += [[], [Span("Glyphs", .title)]]
            for (glyph, meaning) in legend {
                let wrapped = ScreenBuffer.wrap(meaning, width: summaryWidth)
                lines.append([Span("  "), glyph, Span(String(repeating: " ", count: max(1, keyColumn - CellWidth.of(glyph.text)))), Span(wrapped.first ?? "")])
                for more in wrapped.dropFirst() { lines.append([Span(String(repeating: " ", count: keyColumn + 2)), Span(more)]) }
            }
        }
        if lines.isEmpty { lines.append([Span("no key matches “\(filter)”; Backspace or Esc", .muted)]) }
        return lines
    }

    static func frame(_ size: Size) -> Rect {
        let width = min(size.width - 4, 96), height = size.height - 4
        return Rect(x: (size.width - width) / 2, y: 2, width: width, height: height)
    }

    /// Columns for text inside the frame.
    static func textWidth(_ size: Size) -> Int { max(0, frame(size).width - 5) }

    /// Rows of bindings visible below the filter line.
    static func bodyHeight(_ size: Size) -> Int { max(1, frame(size).height - 4) }

    static func draw(_ help: HelpOverlay, screen: Screen, size: Size, into buffer: inout ScreenBuffer) {
        let rect = frame(size)
        buffer.fill(rect, role: .text)
        buffer.box(rect, title: "Help — type to filter, Esc closes", role: .focusBorder)
        let x = rect.x + 2, width = textWidth(size)
        guard width > 0, rect.height > 4 else { return }
        var used = buffer.put("filter: ", x: x, y: rect.y + 1, role: .muted, limit: width)
        used += buffer.put(help.filter, x: x + used, y: rect.y + 1, role: .prompt, limit: width - used - 1)
        buffer.put("▏", x: x + used, y: rect.y + 1, role: .prompt, limit: width - used)
        let all = lines(filter: help.filter, screen: screen, width: width)
        for (i, spans) in all.dropFirst(help.top).prefix(bodyHeight(size)).enumerated() {
            buffer.spans(spans, x: x, y: rect.y + 3 + i, width: width)
        }
        FeaturesPane.scrollbar(top: help.top, visible: bodyHeight(size), total: all.count, x: rect.maxX - 1, y: rect.y + 3, into: &buffer)
    }
}

import TerminalKit

/// The `?` overlay: every binding of the keymap, grouped, filtered by what is typed.
enum HelpView {
    static let legend: [[Span]] = [
        [Span("Glyphs", .title)],
        [Span("  \(FeaturesPane.rootGlyph) ", .root), Span("root feature (no deps)   "), Span("\(FeaturesPane.middleGlyph) ", .feature),
         Span("intermediate   "), Span("\(FeaturesPane.leafGlyph) ", .leaf), Span("leaf (nothing downstream)")],
        [Span("  ▾ ▸ ", .muted), Span("open / folded group   "), Span("n", .muted), Span(" on the right: fields of a feature, features in a group")],
    ]

    static func lines(filter: String) -> [[Span]] {
        let needle = filter.lowercased()
        var lines: [[Span]] = []
        var group = ""
        for binding in Keymap.bindings {
            let keys = binding.keys.map(KeyNotation.display).joined(separator: " ")
            let text = "\(binding.group) \(keys) \(binding.summary)".lowercased()
            guard needle.isEmpty || text.contains(needle) else { continue }
            if binding.group != group {
                if !lines.isEmpty { lines.append([]) }
                lines.append([Span(binding.group, .title)])
                group = binding.group
            }
            lines.append([Span("  " + FeatureDetail.pad(keys, 16), .keyHint), Span(binding.summary)])
        }
        if needle.isEmpty { lines.append([]); lines.append(contentsOf: legend) }
        if lines.isEmpty { lines.append([Span("no key matches “\(filter)”; Backspace or Esc", .muted)]) }
        return lines
    }

    static func frame(_ size: Size) -> Rect {
        let width = min(size.width - 4, 84), height = size.height - 4
        return Rect(x: (size.width - width) / 2, y: 2, width: width, height: height)
    }

    /// Rows of bindings visible below the filter line.
    static func bodyHeight(_ size: Size) -> Int { max(1, frame(size).height - 4) }

    static func draw(_ help: HelpOverlay, size: Size, into buffer: inout ScreenBuffer) {
        let rect = frame(size)
        buffer.fill(rect, role: .text)
        buffer.box(rect, title: "Help — type to filter, Esc closes", role: .focusBorder)
        let x = rect.x + 2, width = rect.width - 4
        var used = buffer.put("filter: ", x: x, y: rect.y + 1, role: .muted)
        used += buffer.put(help.filter, x: x + used, y: rect.y + 1, role: .prompt, limit: width - used - 1)
        buffer.put("▏", x: x + used, y: rect.y + 1, role: .prompt)
        let all = lines(filter: help.filter)
        for (i, spans) in all.dropFirst(help.top).prefix(bodyHeight(size)).enumerated() {
            var cx = x
            for span in spans { cx += buffer.put(span.text, x: cx, y: rect.y + 3 + i, role: span.role, limit: rect.x + rect.width - 2 - cx) }
        }
        FeaturesPane.scrollbar(top: help.top, visible: bodyHeight(size), total: all.count, x: rect.maxX - 1, y: rect.y + 3, into: &buffer)
    }
}

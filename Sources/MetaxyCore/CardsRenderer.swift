/// The `--format cards` graph: the dependency list, then one box per feature laid out in
/// as many columns as fit `width`, as metaxy's `graph render -t cards`.
public enum CardsRenderer {
    static let gap = 2

    public static func render(_ graph: FeatureGraph, options: RenderOptions = .init(), width: Int = 120) throws(GraphError) -> String {
        let selection = try RenderSelection(graph: graph, options: options)
        var out = ["📊 Graph (snapshot: \(options.hash(graph.snapshotVersion)))", ""]
        let edges = selection.edges
        if !edges.isEmpty {
            out.append("Dependencies:")
            out += edges.map { "  \(graph.key($0.from)) → \(graph.key($0.to))" }
            out.append("")
        }
        out.append("Features:")
        let cards = selection.ordered.map { card(graph, $0, options) }
        let inner = cards.flatMap { $0 }.map(displayWidth).max() ?? 0
        let cardWidth = inner + 4
        let perRow = max(1, (width + gap) / (cardWidth + gap))
        for start in stride(from: 0, to: cards.count, by: perRow) {
            let row = Array(cards[start..<min(start + perRow, cards.count)])
            let height = row.map(\.count).max() ?? 0
            let boxes = row.map { box($0 + Array(repeating: "", count: height - $0.count), inner: inner) }
            for line in 0..<(height + 2) {
                out.append(boxes.map { $0[line] }.joined(separator: String(repeating: " ", count: gap)))
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func card(_ graph: FeatureGraph, _ f: Int, _ options: RenderOptions) -> [String] {
        let spec = graph.specs[f]
        var lines = [spec.key.string, "v: \(options.hash(graph.featureVersion(f)))"]
        if !spec.fields.isEmpty {
            lines += ["", "Fields:"]
            lines += spec.fields.enumerated().map { "  • \($1.key) (v: \(options.hash(graph.fieldVersion(f, $0))))" }
        }
        return lines
    }

    static func box(_ lines: [String], inner: Int) -> [String] {
        let bar = String(repeating: "─", count: inner + 2)
        return ["╭\(bar)╮"] + lines.map { "│ \($0)\(String(repeating: " ", count: inner - displayWidth($0))) │" } + ["╰\(bar)╯"]
    }
}

/// Terminal columns a string takes: wide East Asian characters and emoji count two, marks zero.
public func displayWidth(_ text: String) -> Int {
    text.unicodeScalars.reduce(0) { $0 + scalarWidth($1) }
}

public func scalarWidth(_ scalar: Unicode.Scalar) -> Int {
    let v = scalar.value
    if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
    if v < 0x300 { return 1 }
    let props = scalar.properties
    if props.generalCategory == .nonspacingMark || props.generalCategory == .enclosingMark
        || v == 0x200D || (0xFE00...0xFE0F).contains(v) { return 0 }
    if props.isEmojiPresentation { return 2 }
    switch v {
    case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
         0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
         0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
        return 2
    default:
        return 1
    }
}

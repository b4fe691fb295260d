/// Widths for the columns of a table that must fit a pane: every column gets its natural width
/// when they all fit; otherwise the shrinkable ones give way down to their minimum, then columns
/// from the right are left out (width 0). No width is ever negative, and they never add up to
/// more than the pane.
public enum Columns {
    public struct Spec: Sendable {
        public let minimum: Int
        public let natural: Int

        public init(minimum: Int, natural: Int) {
            self.minimum = max(1, minimum)
            self.natural = max(self.minimum, natural)
        }

        public static func fixed(_ width: Int) -> Spec { Spec(minimum: width, natural: width) }
    }

    /// Widths including one column of gap after each column but the last.
    public static func widths(_ specs: [Spec], total: Int, gap: Int = 1) -> [Int] {
        guard total > 0, !specs.isEmpty else { return specs.map { _ in 0 } }
        var widths = specs.map(\.natural)
        func used(_ count: Int) -> Int { widths.prefix(count).reduce(0, +) + gap * max(0, count - 1) }
        var count = specs.count
        var excess = used(count) - total
        // Shrink the columns with slack, each in proportion to its slack.
        let slack = specs.map { $0.natural - $0.minimum }
        let totalSlack = slack.reduce(0, +)
        if excess > 0, totalSlack > 0 {
            let share = min(excess, totalSlack)
            for i in specs.indices { widths[i] -= slack[i] * share / totalSlack }
            excess = used(count) - total
            // What rounding left: a column at a time, most slack left first.
            for i in specs.indices.sorted(by: { widths[$0] - specs[$0].minimum > widths[$1] - specs[$1].minimum }) where excess > 0 {
                let give = min(excess, widths[i] - specs[i].minimum)
                widths[i] -= give
                excess -= give
            }
        }
        // Then leave out columns from the right, keeping at least the first.
        while count > 1, used(count) > total { count -= 1 }
        for i in count..<specs.count { widths[i] = 0 }
        if used(count) > total { widths[0] = total }
        return widths
    }

    /// The x of each column starting at `x`.
    public static func offsets(_ widths: [Int], x: Int, gap: Int = 1) -> [Int] {
        var offsets: [Int] = [], cx = x
        for w in widths {
            offsets.append(cx)
            cx += w + (w > 0 ? gap : 0)
        }
        return offsets
    }
}

extension ScreenBuffer {
    /// One table row: each text in its column, cut with an ellipsis; a column of width 0 is left out.
    public mutating func row(_ texts: [(String, Role)], widths: [Int], x: Int, y: Int, gap: Int = 1) {
        for ((text, role), (w, cx)) in zip(texts, zip(widths, Columns.offsets(widths, x: x, gap: gap))) where w > 0 {
            put(text, x: cx, y: y, role: role, limit: w, ellipsis: true)
        }
    }
}

extension ScreenBuffer {
    /// `text` wrapped at spaces to `width` columns, at most `height` lines (the last one cut with
    /// "…" when more was left). Returns the lines used.
    @discardableResult
    public mutating func wrapped(_ text: String, x: Int, y: Int, width: Int, height: Int, role: Role = .text) -> Int {
        guard width > 0, height > 0 else { return 0 }
        let lines = Self.wrap(text, width: width)
        for (i, line) in lines.prefix(height).enumerated() {
            let last = i == height - 1 && lines.count > height
            put(last ? Self.cut(line + " …", to: width) : line, x: x, y: y + i, role: role, limit: width, ellipsis: true)
        }
        return max(1, min(height, lines.count))
    }

    /// Lines of at most `width` columns, broken at spaces where there are any.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            let candidate = line.isEmpty ? word : line + " " + word
            if CellWidth.of(candidate) <= width {
                line = candidate
                continue
            }
            if !line.isEmpty { lines.append(line) }
            var rest = word
            // A word longer than the line is broken where it must be.
            while CellWidth.of(rest) > width {
                var head = "", used = 0
                for c in rest {
                    if used + CellWidth.of(c) > width { break }
                    head.append(c)
                    used += CellWidth.of(c)
                }
                if head.isEmpty { break }
                lines.append(head)
                rest = String(rest.dropFirst(head.count))
            }
            line = rest
        }
        if !line.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }
}

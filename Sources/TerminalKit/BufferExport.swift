/// A buffer as plain text and as a style layer (one role letter per column), the two halves
/// of a render golden. Trailing blanks are trimmed so goldens stay readable.
extension ScreenBuffer {
    public var text: String {
        var lines: [String] = []
        for y in 0..<size.height {
            var line = ""
            for x in 0..<size.width { line += self[x, y].text }
            lines.append(String(line.reversed().drop(while: { $0 == " " }).reversed()))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Role letters; a wide character's second column repeats its letter, and cells that are
    /// blank plain text are spaces, so a trailing run of them can be trimmed.
    public var styleLayer: String {
        var lines: [String] = []
        for y in 0..<size.height {
            var line = ""
            for x in 0..<size.width {
                let cell = self[x, y]
                line.append(cell.role == .text && (cell.text == " " || cell.text.isEmpty) ? " " : cell.role.letter)
            }
            lines.append(String(line.reversed().drop(while: { $0 == " " }).reversed()))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

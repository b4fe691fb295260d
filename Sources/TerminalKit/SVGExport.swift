/// A buffer as an SVG picture in the theme's colours, for Screenshots/ and bug reports.
/// Cells are drawn on a fixed grid so the picture matches the terminal column for column.
public enum SVGExport {
    static let cellWidth = 8.4, cellHeight = 17.0, fontSize = 14.0

    public static func render(_ buffer: ScreenBuffer, theme: Theme, background: (UInt8, UInt8, UInt8) = (24, 26, 33),
                              foreground: (UInt8, UInt8, UInt8) = (220, 223, 228)) -> String {
        let width = Double(buffer.size.width) * cellWidth, height = Double(buffer.size.height) * cellHeight
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width + 20))" height="\(fmt(height + 20))" \
        viewBox="0 0 \(fmt(width + 20)) \(fmt(height + 20))" font-family="'DejaVu Sans Mono', Menlo, Consolas, monospace" \
        font-size="\(fmt(fontSize))">
        <rect width="100%" height="100%" rx="6" fill="\(hex(background))"/>
        <g transform="translate(10 10)" xml:space="preserve">

        """
        for y in 0..<buffer.size.height {
            var x = 0
            while x < buffer.size.width {
                // One run of cells with the same role becomes one rect and one text element.
                let role = buffer[x, y].role
                var end = x, text = ""
                while end < buffer.size.width, buffer[end, y].role == role {
                    text += buffer[end, y].text
                    end += 1
                }
                let style = theme[role]
                var fg = style.foreground.components ?? foreground, bg = style.background.components
                if style.reverse { (fg, bg) = (bg ?? background, fg) }
                let px = Double(x) * cellWidth, py = Double(y) * cellHeight
                if let bg {
                    out += "<rect x=\"\(fmt(px))\" y=\"\(fmt(py))\" width=\"\(fmt(Double(end - x) * cellWidth))\" height=\"\(fmt(cellHeight))\" fill=\"\(hex(bg))\"/>\n"
                }
                if text.contains(where: { $0 != " " }) {
                    var attrs = "x=\"\(fmt(px))\" y=\"\(fmt(py + cellHeight - 4))\" fill=\"\(hex(fg))\" textLength=\"\(fmt(Double(end - x) * cellWidth))\""
                    if style.bold { attrs += " font-weight=\"bold\"" }
                    if style.italic { attrs += " font-style=\"italic\"" }
                    if style.underline { attrs += " text-decoration=\"underline\"" }
                    if style.dim { attrs += " opacity=\"0.6\"" }
                    out += "<text \(attrs)>\(escape(text))</text>\n"
                }
                x = end
            }
        }
        return out + "</g>\n</svg>\n"
    }

    private static func fmt(_ v: Double) -> String {
        if v == v.rounded() { return "\(Int(v))" }
        let tenths = Int((v * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    private static func hex(_ c: (UInt8, UInt8, UInt8)) -> String {
        let digits = Array("0123456789abcdef")
        return "#" + [c.0, c.1, c.2].map { "\(digits[Int($0 >> 4)])\(digits[Int($0 & 15)])" }.joined()
    }

    private static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(c)
            }
        }
        return out
    }
}

/// One terminal cell: a grapheme and its role. A wide grapheme occupies its cell and the next,
/// which holds the empty string.
public struct Cell: Equatable, Sendable {
    public var text: String
    public var role: Role

    public init(_ text: String = " ", role: Role = .text) {
        self.text = text
        self.role = role
    }

    public static let blank = Cell()
}

public struct Size: Equatable, Sendable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

public struct Rect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }

    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }

    /// The part of this rectangle inside `other`.
    public func intersection(_ other: Rect) -> Rect {
        let left = max(x, other.x), top = max(y, other.y)
        return Rect(x: left, y: top, width: min(maxX, other.maxX) - left, height: min(maxY, other.maxY) - top)
    }

    /// The rectangle less `n` cells on each side.
    public func inset(_ n: Int) -> Rect { Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n) }
}

/// A finished frame: what a view returns and what a terminal draws.
public struct ScreenBuffer: Equatable, Sendable {
    public let size: Size
    public private(set) var cells: [Cell]
    /// While a pane is drawn, the only cells it may write; nil: the whole screen.
    public private(set) var clip: Rect?
    /// Writes refused because they fell outside the pane being drawn: a view's bug, which tests
    /// check is never there (the cell is left as it was, so the screen stays readable).
    public private(set) var overflows = 0

    public init(size: Size) {
        self.size = size
        cells = [Cell](repeating: .blank, count: max(0, size.width * size.height))
    }

    public subscript(x: Int, y: Int) -> Cell { cells[y * size.width + x] }

    /// Draws with writes limited to `rect` (within any clip already set).
    public mutating func clipped(to rect: Rect, _ draw: (inout ScreenBuffer) -> Void) {
        let outer = clip
        clip = outer.map { rect.intersection($0) } ?? rect
        draw(&self)
        clip = outer
    }

    /// `text` cut to `width` columns, its last column an ellipsis when anything was cut.
    public static func cut(_ text: String, to width: Int) -> String {
        guard width > 0 else { return "" }
        guard CellWidth.of(text) > width else { return text }
        var out = "", used = 0
        for character in text {
            let w = CellWidth.of(character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }

    /// Writes `text` from (x, y), clipped at `limit` columns (default: the right edge, or the
    /// clip's); a wide character that would straddle the limit becomes a space, and with
    /// `ellipsis` a cut text ends in "…". Returns the columns written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: Role = .text, limit: Int? = nil, ellipsis: Bool = false) -> Int {
        guard y >= 0, y < size.height, x < size.width else { return 0 }
        let right = min(size.width, clip.map { $0.maxX } ?? size.width)
        let end = min(right, limit.map { x + max(0, $0) } ?? right)
        if ellipsis, end > x, CellWidth.of(text) > end - x {
            return put(Self.cut(text, to: end - x), x: x, y: y, role: role, limit: end - x)
        }
        var col = x
        for character in text {
            let w = CellWidth.of(character)
            if w == 0 {
                // A lone combining mark joins the previous cell's grapheme.
                if col > x, col - 1 >= 0 { cells[y * size.width + col - 1].text.append(character) }
                continue
            }
            if col + w > end {
                if col < end { set(x: col, y: y, Cell(" ", role: role)) }
                col = end
                break
            }
            if col >= 0 { set(x: col, y: y, Cell(String(character), role: role)) }
            if w == 2, col + 1 >= 0 { set(x: col + 1, y: y, Cell("", role: role)) }
            col += w
        }
        return col - x
    }

    public mutating func fill(_ rect: Rect, role: Role, with text: String = " ") {
        let area = rect.intersection(Rect(x: 0, y: 0, width: size.width, height: size.height))
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX { set(x: x, y: y, Cell(text, role: role)) }
        }
    }

    /// Changes the role of cells already written, e.g. to highlight a match inside a line.
    public mutating func restyle(_ rect: Rect, role: Role) {
        let area = rect.intersection(Rect(x: 0, y: 0, width: size.width, height: size.height))
        for y in area.y..<area.maxY {
            for x in area.x..<area.maxX {
                if let clip, !clip.contains(x: x, y: y) { overflows += 1; continue }
                cells[y * size.width + x].role = role
            }
        }
    }

    /// A box-drawing frame with an optional title in its top edge.
    public mutating func box(_ rect: Rect, title: String = "", role: Role = .border, titleRole: Role = .title) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let right = rect.maxX - 1, bottom = rect.maxY - 1
        for x in rect.x + 1..<right {
            set(x: x, y: rect.y, Cell("─", role: role))
            set(x: x, y: bottom, Cell("─", role: role))
        }
        for y in rect.y + 1..<bottom {
            set(x: rect.x, y: y, Cell("│", role: role))
            set(x: right, y: y, Cell("│", role: role))
        }
        set(x: rect.x, y: rect.y, Cell("╭", role: role))
        set(x: right, y: rect.y, Cell("╮", role: role))
        set(x: rect.x, y: bottom, Cell("╰", role: role))
        set(x: right, y: bottom, Cell("╯", role: role))
        if !title.isEmpty, rect.width > 4 {
            put(" \(title) ", x: rect.x + 1, y: rect.y, role: titleRole, limit: rect.width - 2)
        }
    }

    private mutating func set(x: Int, y: Int, _ cell: Cell) {
        guard x >= 0, x < size.width, y >= 0, y < size.height else { return }
        if let clip, !clip.contains(x: x, y: y) {
            overflows += 1
            return
        }
        let i = y * size.width + x
        // Overwriting half of a wide character blanks its other half.
        if cells[i].text.isEmpty, x > 0, cell.text != "" { cells[i - 1] = Cell(" ", role: cells[i - 1].role) }
        if x + 1 < size.width, !cells[i].text.isEmpty, CellWidth.of(cells[i].text) == 2, cells[i + 1].text.isEmpty, cell.text != "" {
            cells[i + 1] = Cell(" ", role: cells[i + 1].role)
        }
        cells[i] = cell
    }
}

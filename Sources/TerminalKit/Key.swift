/// A key press or terminal event, as the app sees it whatever the terminal.
public enum Key: Hashable, Sendable {
    /// A printable character (including space).
    case char(Character)
    /// Ctrl and a letter, as the lowercase letter.
    case ctrl(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case function(Int)
    /// The terminal changed size.
    case resize
    case mouse(MouseEvent)
}

public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case press, wheelUp, wheelDown }
    public let kind: Kind
    public let x: Int
    public let y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

/// Keys written as text, vim-style: `jj<Enter>/video<Esc>:q<CR>`, `<C-d>`, `<S-Tab>`, `<F1>`,
/// `<Space>`, `<lt>` for `<`. Used by `screenshot --keys`, scripted tests and the help screen.
public enum KeyNotation {
    static let named: [String: Key] = [
        "up": .up, "down": .down, "left": .left, "right": .right, "pageup": .pageUp, "pgup": .pageUp,
        "pagedown": .pageDown, "pgdn": .pageDown, "home": .home, "end": .end, "enter": .enter, "cr": .enter,
        "return": .enter, "esc": .escape, "escape": .escape, "tab": .tab, "s-tab": .backTab, "bs": .backspace,
        "backspace": .backspace, "del": .delete, "delete": .delete, "space": .char(" "), "lt": .char("<"),
        "resize": .resize,
    ]

    public struct Problem: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public static func parse(_ text: String) throws(Problem) -> [Key] {
        var keys: [Key] = []
        var rest = Substring(text)
        while let c = rest.first {
            if c == "<", let close = rest.firstIndex(of: ">") {
                let name = rest[rest.index(after: rest.startIndex)..<close]
                keys.append(try key(named: String(name)))
                rest = rest[rest.index(after: close)...]
            } else {
                keys.append(c == "\n" || c == "\r" ? .enter : c == "\t" ? .tab : .char(c))
                rest = rest.dropFirst()
            }
        }
        return keys
    }

    static func key(named name: String) throws(Problem) -> Key {
        let lower = name.lowercased()
        if let key = named[lower] { return key }
        if lower.hasPrefix("c-"), lower.count == 3, let c = lower.last, c.isLetter { return .ctrl(c) }
        if lower.hasPrefix("f"), let n = Int(lower.dropFirst()), (1...12).contains(n) { return .function(n) }
        throw Problem(description: "unknown key <\(name)>; write keys as text with <Enter>, <Esc>, <Tab>, <S-Tab>, <Up>, <Down>, <Left>, <Right>, <PageUp>, <PageDown>, <Home>, <End>, <BS>, <Space>, <C-x>, <F1>…<F12>, <lt>")
    }

    /// How help shows a key.
    public static func display(_ key: Key) -> String {
        switch key {
        case .char(" "): "Space"
        case .char(let c): String(c)
        case .ctrl(let c): "Ctrl-\(c)"
        case .up: "↑"
        case .down: "↓"
        case .left: "←"
        case .right: "→"
        case .pageUp: "PgUp"
        case .pageDown: "PgDn"
        case .home: "Home"
        case .end: "End"
        case .enter: "Enter"
        case .escape: "Esc"
        case .tab: "Tab"
        case .backTab: "Shift-Tab"
        case .backspace: "Backspace"
        case .delete: "Delete"
        case .function(let n): "F\(n)"
        case .resize: "resize"
        case .mouse: "mouse"
        }
    }
}

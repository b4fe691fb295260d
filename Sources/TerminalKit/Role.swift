/// What a cell shows, not how it looks: views write roles, a theme turns them into styles.
/// Goldens record roles, so a render test catches a lost highlight whatever the theme.
public enum Role: UInt8, CaseIterable, Sendable {
    case text, muted, title, border, focusBorder, selection, selectionMuted, match
    case feature, field, version, group, root, leaf
    case added, removed, changed, unchanged, stale
    case keyHint, statusBar, prompt, error, warning

    /// The theme file's name for the role.
    public var name: String {
        switch self {
        case .focusBorder: "focus-border"
        case .selectionMuted: "selection-muted"
        case .keyHint: "key-hint"
        case .statusBar: "status-bar"
        default: String(describing: self)
        }
    }

    /// One letter per role for the style layer of render goldens.
    public var letter: Character {
        switch self {
        case .text: "."
        case .muted: "m"
        case .title: "T"
        case .border: "b"
        case .focusBorder: "B"
        case .selection: "S"
        case .selectionMuted: "s"
        case .match: "M"
        case .feature: "f"
        case .field: "d"
        case .version: "v"
        case .group: "g"
        case .root: "r"
        case .leaf: "l"
        case .added: "+"
        case .removed: "-"
        case .changed: "~"
        case .unchanged: "="
        case .stale: "!"
        case .keyHint: "k"
        case .statusBar: "_"
        case .prompt: "p"
        case .error: "E"
        case .warning: "W"
        }
    }

    public static let byName: [String: Role] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })
}

/// How a role looks: colours and attributes.
public struct Style: Hashable, Sendable {
    public var foreground: Color
    public var background: Color
    public var bold: Bool
    public var dim: Bool
    public var italic: Bool
    public var underline: Bool
    public var reverse: Bool

    public init(foreground: Color = .terminalDefault, background: Color = .terminalDefault, bold: Bool = false,
                dim: Bool = false, italic: Bool = false, underline: Bool = false, reverse: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.italic = italic
        self.underline = underline
        self.reverse = reverse
    }

    public static let plain = Style()
}

import Foundation
import Yams

/// A named set of styles, one per role. A theme file lists only the roles it changes, each with
/// its whole style; the other roles come from the theme it inherits (the default unless it names another).
public struct Theme: Sendable, Equatable {
    public let name: String
    private var styles: [Style]

    public init(name: String, styles: [Role: Style], base: Theme? = nil) {
        self.name = name
        var all = base?.styles ?? [Style](repeating: .plain, count: Role.allCases.count)
        for (role, style) in styles { all[Int(role.rawValue)] = style }
        self.styles = all
    }

    public subscript(role: Role) -> Style { styles[Int(role.rawValue)] }

    /// Attributes only, for terminals without colour and for NO_COLOR: state stays visible by
    /// glyphs, bold, underline and reverse video.
    public static let monochrome = Theme(name: "mono", styles: [
        .muted: Style(dim: true), .title: Style(bold: true), .focusBorder: Style(bold: true),
        .selection: Style(reverse: true), .selectionMuted: Style(reverse: true), .match: Style(underline: true),
        .feature: Style(bold: true), .group: Style(bold: true), .added: Style(bold: true),
        .removed: Style(dim: true), .changed: Style(underline: true), .stale: Style(bold: true),
        .keyHint: Style(bold: true), .statusBar: Style(reverse: true), .prompt: Style(bold: true),
        .error: Style(bold: true, reverse: true), .warning: Style(bold: true),
    ])
}

/// A theme file that could not be used, with the file and what is wrong.
public struct ThemeError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let message: String
    public var description: String { "\(file): \(message)" }
}

/// Reads theme files: `name`, optional `inherits`, and `roles: {ROLE: {fg, bg, bold, dim, italic, underline, reverse}}`.
public enum ThemeFile {
    static let styleKeys: Set<String> = ["fg", "bg", "bold", "dim", "italic", "underline", "reverse"]

    /// Parses `text`; `resolve` finds an inherited theme by name (nil: unknown).
    public static func parse(_ text: String, file: String, base: Theme, resolve: (String) -> Theme? = { _ in nil }) throws(ThemeError) -> Theme {
        func fail(_ message: String) -> ThemeError { ThemeError(file: file, message: message) }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw fail("not valid YAML (\(String(describing: error).split(separator: "\n").first ?? "")); fix the file or remove it")
        }
        guard let mapping = root?.mapping else { throw fail("expected a mapping with `name` and `roles`") }
        for (key, _) in mapping where !["name", "inherits", "roles"].contains(key.string ?? "") {
            throw fail("line \(key.mark?.line ?? 0): unknown key `\(key.string ?? "?")` (expected name, inherits, roles)")
        }
        let fallbackName = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let name = mapping["name"]?.string ?? fallbackName
        var parent = base
        if let inherits = mapping["inherits"]?.string, inherits != base.name {
            guard let found = resolve(inherits) else { throw fail("inherits unknown theme `\(inherits)`") }
            parent = found
        }
        var styles: [Role: Style] = [:]
        for (key, value) in mapping["roles"]?.mapping ?? [:] {
            let line = key.mark?.line ?? 0
            guard let roleName = key.string, let role = Role.byName[roleName] else {
                let known = Role.allCases.map(\.name).joined(separator: ", ")
                throw fail("line \(line): unknown role `\(key.string ?? "?")` (roles: \(known))")
            }
            styles[role] = try style(value, line: line, file: file)
        }
        return Theme(name: name, styles: styles, base: parent)
    }

    private static func style(_ node: Node, line: Int, file: String) throws(ThemeError) -> Style {
        func fail(_ message: String) -> ThemeError { ThemeError(file: file, message: "line \(line): \(message)") }
        guard let mapping = node.mapping else { throw fail("a role takes a mapping such as {fg: \"#61afef\", bold: true}") }
        var style = Style.plain
        for (key, value) in mapping {
            let k = key.string ?? ""
            guard styleKeys.contains(k) else { throw fail("unknown style key `\(k)` (expected \(styleKeys.sorted().joined(separator: ", ")))") }
            if k == "fg" || k == "bg" {
                guard let text = value.string, let color = Color(parsing: text) else {
                    throw fail("`\(value.string ?? "?")` is not a colour (a name such as red, #rrggbb, 0–255 or default)")
                }
                if k == "fg" { style.foreground = color } else { style.background = color }
            } else {
                guard let flag = value.bool else { throw fail("`\(k)` takes true or false") }
                switch k {
                case "bold": style.bold = flag
                case "dim": style.dim = flag
                case "italic": style.italic = flag
                case "underline": style.underline = flag
                default: style.reverse = flag
                }
            }
        }
        return style
    }
}

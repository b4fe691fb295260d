import Foundation
import Testing
@testable import TerminalKit

@Suite struct ThemeTests {
    let base = Theme(name: "dark", styles: [.feature: Style(foreground: .ansi(4)), .muted: Style(foreground: .ansi(8))])

    @Test func aPartialThemeInheritsTheRest() throws {
        let theme = try ThemeFile.parse("name: mine\nroles:\n  feature: {fg: \"#ff0000\", bold: true}\n", file: "mine.yaml", base: base)
        #expect(theme.name == "mine")
        #expect(theme[.feature] == Style(foreground: .rgb(255, 0, 0), bold: true))
        #expect(theme[.muted] == Style(foreground: .ansi(8)))
    }

    @Test func aRoleListedIsReplacedWhole() throws {
        let theme = try ThemeFile.parse("roles:\n  muted: {bold: true}\n", file: "/x/soft.yaml", base: base)
        #expect(theme.name == "soft")
        #expect(theme[.muted] == Style(bold: true))
        #expect(theme[.feature] == Style(foreground: .ansi(4)))
    }

    @Test(arguments: [
        ("roles: [", "not valid YAML"),
        ("- a\n- b\n", "expected a mapping"),
        ("colours: {}\n", "unknown key `colours`"),
        ("roles:\n  featur: {fg: red}\n", "line 2: unknown role `featur`"),
        ("roles:\n  feature: {fg: puce}\n", "`puce` is not a colour"),
        ("roles:\n  feature: {blink: true}\n", "unknown style key `blink`"),
        ("roles:\n  feature: {bold: maybe}\n", "`bold` takes true or false"),
        ("roles:\n  feature: red\n", "a role takes a mapping"),
        ("inherits: nowhere\n", "inherits unknown theme `nowhere`"),
    ])
    func badFilesSayWhereAndWhat(text: String, expected: String) {
        do {
            _ = try ThemeFile.parse(text, file: "bad.yaml", base: base)
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.file == "bad.yaml")
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }

    @Test func catalogFallsBackToTheDefaultWithAMessage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "name: dark\nroles:\n  feature: {fg: blue}\n".write(to: dir.appendingPathComponent("dark.yaml"), atomically: true, encoding: .utf8)
        try "roles:\n  feature: {fg: nope}\n".write(to: dir.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        try "inherits: dark\nroles:\n  muted: {dim: true}\n".write(to: dir.appendingPathComponent("child.yaml"), atomically: true, encoding: .utf8)
        let catalog = ThemeCatalog(directories: [dir])
        #expect(catalog.names() == ["broken", "child", "dark", "mono"])

        let (broken, problem) = catalog.load("broken")
        #expect(broken.name == "dark")
        #expect(problem?.contains("broken.yaml: line 2: `nope` is not a colour") == true)
        #expect(problem?.contains("using the dark theme") == true)

        let (child, none) = catalog.load("child")
        #expect(none == nil)
        #expect(child[.feature] == Style(foreground: .ansi(4)))
        #expect(child[.muted] == Style(dim: true))

        let (missing, why) = catalog.load("solarized")
        #expect(missing.name == "dark")
        #expect(why?.contains("no such theme") == true)
        #expect(catalog.load("mono").theme == Theme.monochrome)
    }

    @Test func withoutADefaultThemeFileMonochromeKeepsStateVisible() {
        let (theme, problem) = ThemeCatalog(directories: []).load("dark")
        #expect(theme == Theme.monochrome)
        #expect(problem != nil)
    }
}

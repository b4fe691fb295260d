import MetaxyCore
@testable import MetaxyTUI
import TerminalKit
import Testing

/// The Graph screen drawn headless and compared, text and roles, with goldens.
@Suite struct GraphScreenRenderTests {
    static let cases: [(name: String, graph: String?, size: Size, keys: String)] = [
        ("start-120x40", nil, Size(width: 120, height: 40), ""),
        ("field-lineage-120x40", nil, Size(width: 120, height: 40), "<Tab>"),
        ("start-80x24", nil, Size(width: 80, height: 24), ""),
        ("detail-focus-80x24", nil, Size(width: 80, height: 24), "k<Tab>jj"),
        ("too-small-38x9", nil, Size(width: 38, height: 9), ""),
        ("help-80x24", nil, Size(width: 80, height: 24), "?"),
        ("help-filtered-80x24", nil, Size(width: 80, height: 24), "?page"),
        ("filter-typing-120x40", nil, Size(width: 120, height: 40), "/cro"),
        ("flat-multipart-80x24", "multipart_keys", Size(width: 80, height: 24), "t"),
        ("tree-multipart-120x40", "multipart_keys", Size(width: 120, height: 40), ""),
        ("full-versions-120x40", "video_columns_rename", Size(width: 120, height: 40), "kkk<Tab>v"),
        ("command-error-80x24", nil, Size(width: 80, height: 24), ":frobnicate<Enter>"),
        ("collapsed-80x24", "multipart_keys", Size(width: 80, height: 24), "-"),
    ]

    @Test(arguments: cases.indices)
    func screen(index: Int) throws {
        let c = Self.cases[index]
        let opened = try c.graph.map(Harness.vector) ?? Harness.demo()
        let (session, terminal) = try Harness.session(opened, size: c.size, keys: c.keys)
        let frame = try #require(terminal.lastFrame)
        #expect(frame == View.render(session.state), "the last frame drawn is the view of the final state")
        #expect(Harness.mismatch(frame, golden: c.name) == nil)
    }

    @Test func monochromeDepthUsesTheMonoTheme() throws {
        let (session, _) = try Harness.session(Harness.demo(), theme: "nord", depth: .monochrome)
        #expect(session.state.theme == Theme.monochrome)
    }

    @Test func everyBundledThemeLoadsWithoutAProblem() {
        let names = Harness.themes.names()
        #expect(names == ["dark", "high-contrast", "light", "mono", "nord"])
        for name in names {
            let (theme, problem) = Harness.themes.load(name)
            #expect(problem == nil, "\(name): \(problem ?? "")")
            #expect(theme.name == name)
        }
        // The bundled mono file and the built-in monochrome theme agree.
        #expect(Harness.themes.load("mono").theme == Theme.monochrome)
    }
}

import Testing
@testable import TerminalKit

@Suite struct SVGExportTests {
    @Test func runsOfARoleBecomeOneTextWithTheThemeColours() {
        var buffer = ScreenBuffer(size: Size(width: 12, height: 2))
        buffer.put("a<b&", x: 0, y: 0, role: .added)
        buffer.put("sel", x: 0, y: 1, role: .selection)
        let theme = Theme(name: "t", styles: [.added: Style(foreground: .rgb(0, 255, 0), bold: true),
                                              .selection: Style(foreground: .ansi(0), background: .indexed(33))])
        let svg = SVGExport.render(buffer, theme: theme)
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains("fill=\"#00ff00\" textLength=\"33.6\" font-weight=\"bold\">a&lt;b&amp;</text>"))
        #expect(svg.contains("<rect x=\"0\" y=\"17\" width=\"25.2\" height=\"17\" fill=\"#0087ff\"/>"))
        #expect(svg.contains(">sel</text>"))
        #expect(svg.hasSuffix("</svg>\n"))
    }
}

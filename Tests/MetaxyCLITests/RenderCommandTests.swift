import Foundation
import MetaxyCore
import Testing
import TestSupport

/// `metaxy-tui graph render`: mermaid and dot byte for byte as metaxy writes them, and our own formats.
@Suite struct RenderCommandTests {
    struct Case: CustomStringConvertible, Sendable {
        let file: URL
        let golden: String
        let arguments: [String]
        var description: String { golden }
    }

    /// The variants Scripts/oracle/render_goldens.py asked metaxy for.
    static var metaxyCases: [Case] {
        Fixtures.graphFiles.flatMap { file -> [Case] in
            let name = file.deletingPathExtension().lastPathComponent
            let specs = (try? GraphFileParser.parse(Array(Fixtures.data(file)), file: file.path)) ?? []
            var variants: [(String, [String])] = [("", []), (".full", ["--hash-length", "0"])]
            if let focus = specs.first(where: { !$0.isRoot })?.key.string {
                variants += [(".up1", ["--feature", focus, "--up", "1", "--down", "0"]),
                             (".down1", ["--feature", focus, "--up", "0", "--down", "1"]),
                             (".focus", ["--feature", focus])]
            }
            return variants.flatMap { suffix, extra in
                ["mermaid", "dot"].map { Case(file: file, golden: "\(name)\(suffix).\($0)", arguments: ["--format", $0] + extra) }
            }
        }
    }

    @Test(arguments: metaxyCases)
    func matchesMetaxyByteForByte(_ c: Case) throws {
        let result = try Binary.run(["graph", "render", c.file.path] + c.arguments)
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try String(contentsOf: CLIGoldens.metaxy(c.golden), encoding: .utf8)
        #expect(result.stdout == expected)
    }

    /// The layered drawing, for every vector graph and a focused one.
    @Test(arguments: Fixtures.graphFiles)
    func asciiDrawings(file: URL) throws {
        let name = file.deletingPathExtension().lastPathComponent
        let result = try Binary.run(["graph", "render", file.path, "--format", "ascii"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Golden.mismatch(result.stdout, golden: CLIGoldens.own("\(name).ascii")) == nil)
        if name == "multi_upstream" {
            let focused = try Binary.run(["graph", "render", file.path, "--format", "ascii", "--feature", "m/join", "--up", "1", "--down", "0"])
            #expect(Golden.mismatch(focused.stdout, golden: CLIGoldens.own("\(name).focus.ascii")) == nil)
        }
    }

    @Test(arguments: ["video", "sort_order_traps", "quirks", "multi_upstream"], ["text", "cards", "json"])
    func ownFormatsMatchTheirGoldens(graph: String, format: String) throws {
        let file = Fixtures.vectors.appendingPathComponent("graphs/\(graph).json")
        let result = try Binary.run(["graph", "render", file.path, "--format", format], environment: ["COLUMNS": "100"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Golden.mismatch(result.stdout, golden: CLIGoldens.own("\(graph).\(format)")) == nil)
    }

    @Test func focusAcceptsTheTableNameForm() throws {
        let file = Fixtures.vectors.appendingPathComponent("graphs/video.json").path
        let slash = try Binary.run(["graph", "render", file, "--format", "json", "--feature", "example/crop", "--up", "0"])
        let underscores = try Binary.run(["graph", "render", file, "--format", "json", "--feature", "example__crop", "--up", "0"])
        #expect(slash.status == 0 && slash.stdout == underscores.stdout)
        #expect(slash.stdout.contains("example/face_detection") && !slash.stdout.contains("\"key\": \"example/video\""))
    }
}

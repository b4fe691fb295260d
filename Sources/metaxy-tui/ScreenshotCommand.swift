import ArgumentParser
import Foundation
import MetaxyCore
import MetaxyProject
import MetaxyTUI
import TerminalKit

/// `metaxy-tui screenshot`: replays keys headless and writes the final screen as SVG or text.
struct ScreenshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screenshot",
        abstract: "Render a screen headless, after replaying keys, to an SVG picture or a text file.",
        discussion: "Keys are written as typed, with <Enter>, <Esc>, <Tab>, <Down>, <C-d>, <F1>… for the others: "
            + "--keys 'jj<Tab>/video<Enter>'.")

    @Argument(help: "A graph file, a store, STORE@SNAPSHOT, or project (also .): the metaxy project here (default: the bundled example).")
    var graph: String?

    @Option(help: "The demo workspace in DIR (made by `metaxy-tui demo --out DIR`), shown as `metaxy-tui` shows it.")
    var demo: String?

    @Option(help: "The screen to show: graph, dag (D is pressed first), diff (d) or store (S).") var screen = "graph"

    /// The key that opens each screen from the Graph screen.
    static let screenKeys: [String: [Key]] = ["graph": [], "dag": [.char("D")], "diff": [.char("d")], "store": [.char("S")]]
    @Option(help: "Columns x rows, e.g. 120x40.") var size = "120x40"
    @Option(help: "Keys to press first.") var keys = ""
    @Option(help: "Where to write: FILE.svg (colours kept) or FILE.txt (text).") var out: String
    @OptionGroup var look: LookOptions
    @OptionGroup var project: ProjectOptions

    func validate() throws {
        guard demo == nil || (graph == nil && look.store == nil) else { throw ValidationError("--demo brings its own graph and store; leave out GRAPH and --store") }
        guard Self.screenKeys[screen] != nil else { throw ValidationError("--screen \(screen) is not available; screens: graph, dag, diff, store") }
        guard parsedSize != nil else { throw ValidationError("--size takes COLUMNSxROWS, e.g. 120x40 (each 1–1000).") }
        guard out.hasSuffix(".svg") || out.hasSuffix(".txt") else { throw ValidationError("--out must end in .svg or .txt") }
        do { _ = try KeyNotation.parse(keys) } catch { throw ValidationError("--keys: \(error)") }
    }

    private var parsedSize: Size? {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, (1...1000).contains(parts[0]), (1...1000).contains(parts[1]) else { return nil }
        return Size(width: parts[0], height: parts[1])
    }

    func run() throws {
        let here = try CLI.run { try project.project(for: graph) }
        let (loaded, source) = try CLI.run { () throws -> (FeatureGraph, GraphSource) in
            if let demo { return try GraphOpening.openDemo(demo) }
            guard let graph else { return try GraphOpening.open(nil, store: look.store) }
            let (loaded, source, _) = try GraphOpening.open(graph, store: look.store, project: here)
            return (loaded, source)
        }
        // A picture has every colour, unless colour was turned off.
        let asked = ColorDepth.detect(environment: ProcessInfo.processInfo.environment, terminfoColors: 256, colorOption: look.color)
        let depth: ColorDepth = asked == .monochrome ? .monochrome : .trueColor
        let opening = Self.screenKeys[screen] ?? []
        let terminal = VirtualTerminal(size: parsedSize!, keys: opening + (try KeyNotation.parse(keys)), depth: depth)
        // The project's loader, so that `R` in the keys exports its graph again.
        let session = Session.headless((loaded, source), terminal: terminal, themeName: look.theme, loader: GraphOpening.loader(project: here))
        let frame = terminal.lastFrame ?? View.render(session.state)
        let text = out.hasSuffix(".svg") ? SVGExport.render(frame, theme: session.state.theme) : frame.text
        try CLI.run { try text.write(toFile: out, atomically: true, encoding: .utf8) }
    }
}

import ArgumentParser
import Foundation
import MetaxyCore
import MetaxyStore

/// `metaxy-tui graph diff OLD NEW`: what changes between two graphs, field by field, and why.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two graphs: added, removed, changed and unchanged features and fields, with causes.",
        discussion: "OLD and NEW are graph files, stores, STORE@SNAPSHOT, or project (also .) for the live graph of the metaxy "
            + "project here, so `store.db@latest graph.yaml` compares the last pushed snapshot with the file. Text is coloured on a terminal (never with NO_COLOR); "
            + "glyphs + - ~ always say the status.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, yaml, mermaid, dot }

    @Argument(help: "The graph before.") var old: String
    @Argument(help: "The graph after.") var new: String
    @Option(help: "text, json, yaml, mermaid or dot.") var format: Format = .text
    @Flag(help: "Leave out unchanged features and fields.") var changedOnly = false
    @OptionGroup var project: ProjectOptions

    func run() throws {
        let diff = try CLI.run { GraphDiff(old: try project.load(old), new: try project.load(new)) }
        switch format {
        case .text:
            let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
            let colors: GraphDiff.TextColors = isatty(STDOUT_FILENO) == 1 && !noColor ? .ansi : .none
            CLI.write(diff.text(changedOnly: changedOnly, colors: colors))
        case .json: CLI.write(diff.json(changedOnly: changedOnly).pretty() + "\n")
        case .yaml: CLI.write(diff.json(changedOnly: changedOnly).yaml())
        case .mermaid: CLI.write(diff.mermaid())
        case .dot: CLI.write(diff.dot())
        }
    }
}

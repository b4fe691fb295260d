import ArgumentParser
import MetaxyCore
import MetaxyStore

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Versions and drawings of a feature graph.",
        subcommands: [Versions.self, Render.self, DiffCommand.self]
    )

    struct Versions: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every feature and field version and the snapshot version.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @Argument(help: "A graph file, a store, or STORE@SNAPSHOT (latest or a version prefix).") var graph: String
        @Option(help: "text or json.") var format: Format = .text

        func run() throws {
            let loaded = try CLI.run { try GraphReference.load(graph) }
            switch format {
            case .text: CLI.write(VersionsReport.text(loaded))
            case .json: CLI.write(GraphJSON.versions(loaded).pretty() + "\n")
            }
        }
    }

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw the graph as a tree, cards, mermaid, graphviz dot, JSON or a layered ascii drawing.",
            discussion: "mermaid and dot are written exactly as metaxy writes them to a file.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, cards, mermaid, dot, json, ascii }

        @Argument(help: "A graph file, a store, or STORE@SNAPSHOT (latest or a version prefix).") var graph: String
        @Option(help: "text, cards, mermaid, dot, json or ascii (a layered drawing).") var format: Format = .text
        @Option(help: "Focus on this feature (a/b, or a__b).") var feature: String?
        @Option(help: "Levels of dependencies above --feature (default: all).") var up: Int?
        @Option(help: "Levels of dependents below --feature (default: all).") var down: Int?
        @Option(help: "Characters of each hash to show; 0 shows all.") var hashLength: Int = 8

        func validate() throws {
            if feature == nil && (up != nil || down != nil) {
                throw ValidationError("--up and --down need --feature, the feature to focus on.")
            }
            if hashLength < 0 { throw ValidationError("--hash-length must be 0 (full) or more.") }
        }

        func run() throws {
            let focus = feature.map { $0.contains("/") || !$0.contains("__")
                ? FeatureKey(string: $0) : FeatureKey($0.components(separatedBy: "__")) }
            let options = RenderOptions(hashLength: hashLength, focus: focus, up: up, down: down)
            let text = try CLI.run { () throws -> String in
                let loaded = try GraphReference.load(graph)
                switch format {
                case .text: return try TreeRenderer.render(loaded, options: options)
                case .cards: return try CardsRenderer.render(loaded, options: options, width: CLI.terminalWidth)
                case .mermaid: return try MermaidRenderer.render(loaded, options: options)
                case .dot: return try DotRenderer.render(loaded, options: options)
                case .json: return try GraphJSON.render(loaded, options: options).pretty() + "\n"
                case .ascii: return try AsciiRenderer.render(loaded, options: options)
                }
            }
            CLI.write(text)
        }
    }
}

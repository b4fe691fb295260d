import ArgumentParser
import Foundation
import MetaxyCore
import MetaxyProject
import MetaxyStore

struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Versions and drawings of a feature graph.",
        subcommands: [Versions.self, Render.self, DiffCommand.self, Push.self, Describe.self, History.self]
    )

    struct Versions: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every feature and field version and the snapshot version.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @Argument(help: "A graph file, a store, STORE@SNAPSHOT (latest or a version prefix), or project (also .): the live graph of the metaxy project here.")
        var graph: String
        @Option(help: "text or json.") var format: Format = .text
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let loaded = try CLI.run { try project.load(graph) }
            switch format {
            case .text: CLI.write(VersionsReport.text(loaded))
            case .json: CLI.write(GraphJSON.versions(loaded).pretty() + "\n")
            }
        }
    }

    /// metaxy's `graph push`, in a project: the live graph recorded in the config's store.
    struct Push: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "In a metaxy project: record its live graph as a snapshot in the store its config names (as metaxy graph push).")

        @OptionGroup var project: ProjectOptions

        func run() throws {
            let (version, existed) = try CLI.run { () throws -> (String, Bool) in
                guard let found = try project.find(ProcessInfo.processInfo.environment) else {
                    throw ConfigError(.load, "graph push records a metaxy project's graph, and there is no project here: run it in one, or give --project DIR")
                }
                let store = try found.store.get()
                // The graph first: a graph that cannot be exported leaves no new store behind.
                let graph = try found.graph()
                return try MetaxyStore(path: store.databasePath, readOnly: false, create: true).push(graph)
            }
            CLI.write((existed ? "ℹ Snapshot already recorded (skipped)" : "✓ Recorded feature graph") + "\n  Snapshot version: \(version)\n")
        }
    }

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draw the graph as a tree, cards, mermaid, graphviz dot, JSON or a layered ascii drawing.",
            discussion: "mermaid and dot are written exactly as metaxy writes them to a file.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, cards, mermaid, dot, json, ascii }

        @Argument(help: "A graph file, a store, STORE@SNAPSHOT (latest or a version prefix), or project (also .): the live graph of the metaxy project here.")
        var graph: String
        @Option(help: "text, cards, mermaid, dot, json or ascii (a layered drawing).") var format: Format = .text
        @Option(help: "Focus on this feature (a/b, or a__b).") var feature: String?
        @Option(help: "Levels of dependencies above --feature (default: all).") var up: Int?
        @Option(help: "Levels of dependents below --feature (default: all).") var down: Int?
        @Option(help: "Characters of each hash to show; 0 shows all.") var hashLength: Int = 8
        @OptionGroup var project: ProjectOptions

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
                let loaded = try project.load(graph)
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

import ArgumentParser
import MetaxyCore
import MetaxyStore

@main
struct MetaxyTUI: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metaxy-tui",
        abstract: "Explore metaxy feature graphs, their versions and their metadata stores.",
        discussion: "A GRAPH is a graph file (YAML or JSON): metaxy's FeatureSpec dumps, a snapshot, "
            + "or the short form `features: [{key: a/b, deps: [...], fields: [...]}]`.",
        version: "0.1.0",
        subcommands: [Open.self, GraphCommand.self, StoreCommand.self],
        defaultSubcommand: Open.self
    )
}

/// `metaxy-tui [GRAPH]`: what a user types first.
struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open a graph (default: the bundled example).")

    @Argument(help: "A graph file, a store or STORE@SNAPSHOT to open (default: the bundled example).")
    var graph: String?

    func run() throws {
        // Until the interactive screens land, opening a graph prints its versions.
        let loaded = try CLI.run {
            if let graph { return try GraphReference.load(graph) }
            return try DemoGraph.graph()
        }
        CLI.write(VersionsReport.text(loaded))
    }
}

import ArgumentParser
import MetaxyStore

@main
struct RootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metaxy-tui",
        abstract: "Explore metaxy feature graphs, their versions and their metadata stores.",
        discussion: "A GRAPH is a graph file (YAML or JSON): metaxy's FeatureSpec dumps, a snapshot, "
            + "or the short form `features: [{key: a/b, deps: [...], fields: [...]}]`.",
        version: "0.1.0",
        subcommands: [OpenCommand.self, GraphCommand.self, StoreCommand.self, ListCommand.self, MigrationsCommand.self, ScreenshotCommand.self, DemoCommand.self],
        defaultSubcommand: OpenCommand.self
    )

    /// Store URLs may carry a password: it is hidden from `ps` before anything else runs.
    static func main() {
        MetaxyStore.hideArgumentPasswords()
        main(nil)
    }
}

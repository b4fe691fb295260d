import ArgumentParser
import MetaxyCore
import MetaxyStore

struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Read a metaxy SQLite metadata store.",
        subcommands: [Snapshots.self]
    )

    struct Snapshots: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List recorded snapshots, newest first.")

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        @Argument(help: "The store (a SQLite file).") var store: String
        @Option(help: "text or json.") var format: Format = .text

        func run() throws {
            let snapshots = try CLI.run { try MetaxyStore(path: store).snapshots() }
            switch format {
            case .json:
                CLI.write(JSONValue.array(snapshots.map {
                    .object([("snapshot_version", .string($0.version)), ("recorded_at", .string($0.recordedAt + "Z")),
                             ("feature_count", .int($0.featureCount))])
                }).pretty() + "\n")
            case .text:
                guard !snapshots.isEmpty else { return CLI.write("No snapshots recorded yet.\n") }
                CLI.write(snapshots.map { "\($0.version)  \($0.recordedAt)Z  \($0.featureCount) features\n" }.joined())
            }
        }
    }
}

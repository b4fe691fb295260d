import ArgumentParser
import Foundation
import MetaxyCore
import MetaxyProject
import MetaxyStore

/// metaxy's reading commands, run in a project: the same data as `metaxy list features`,
/// `metaxy graph describe` and `metaxy graph history`, as text or JSON.
enum ProjectFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

extension ProjectOptions {
    /// The project here, or a message saying there is none.
    func required(_ command: String) throws -> Project {
        guard let found = try find(ProcessInfo.processInfo.environment) else {
            throw ConfigError(.load, "\(command) reads a metaxy project, and there is none here (no metaxy.toml, and no pyproject.toml with [tool.metaxy], here or above): run it in one, or give --project DIR")
        }
        return found
    }

    /// The store the project's config names, opened read-only.
    func store(of project: Project) throws -> MetaxyStore {
        let selection = try project.store.get()
        guard let path = project.storePath else { throw StoreError(file: selection.databasePath, selection.notWrittenYet) }
        return try MetaxyStore(path: path)
    }
}

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "In a metaxy project: list its features (as metaxy list features).",
                                                    subcommands: [Features.self])

    struct Features: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every feature of the project's live graph, in registration order, with its deps, fields and versions.")
        @Option(help: "text or json.") var format: ProjectFormat = .text
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let graph = try CLI.run { try project.required("list features").graph() }
            switch format {
            case .text: CLI.write(ProjectReports.featureList(graph))
            case .json: CLI.write(ProjectReports.featureListJSON(graph).pretty() + "\n")
            }
        }
    }
}

extension GraphCommand {
    struct Describe: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "In a metaxy project: its graph's snapshot version, feature count, depth and roots (as metaxy graph describe).")
        @Option(help: "A snapshot recorded in the project's store (a version or a unique prefix) instead of the live graph.") var snapshot: String?
        @Option(help: "text or json.") var format: ProjectFormat = .text
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let (description, heading) = try CLI.run { () throws -> (ProjectReports.Description, String) in
                let found = try project.required("graph describe")
                guard let snapshot else {
                    return (ProjectReports.Description(try found.graph()), "Describing current graph from code")
                }
                let store = try project.store(of: found)
                let resolved = try store.resolveSnapshot(snapshot)
                return (ProjectReports.Description(try store.graph(of: resolved)), "Describing snapshot: \(resolved.version)")
            }
            switch format {
            case .text: CLI.write(description.text(heading: heading))
            case .json: CLI.write(description.json.pretty() + "\n")
            }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "In a metaxy project: the snapshots recorded in its store, newest first (as metaxy graph history).")
        @Option(help: "text or json.") var format: StoreCommand.Format = .text
        @OptionGroup var project: ProjectOptions

        func run() throws {
            let (snapshots, name) = try CLI.run {
                let store = try project.store(of: try project.required("graph history"))
                return (try store.snapshots(), store.projectName)
            }
            StoreCommand.Snapshots.print(snapshots, format: format, project: name)
        }
    }
}

import ArgumentParser
import Foundation
import MetaxyCore
import MetaxyProject
import MetaxyStore
import MetaxyTUI
import TerminalKit

/// `metaxy-tui [GRAPH]`: what a user types first; opens the interactive browser.
struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Browse a graph in the terminal (default: the demo workspace).")

    @Argument(help: "A graph file, a store or STORE@SNAPSHOT to open (default: the demo workspace, made on first use).")
    var graph: String?

    @Option(name: .customLong("graph"), help: "With a STORE as the argument: the graph file to use instead of its latest snapshot.")
    var graphFile: String?

    @OptionGroup var look: LookOptions

    @OptionGroup var project: ProjectOptions

    @Flag(help: "Click to select and scroll with the wheel (the terminal's own selection needs Shift then).")
    var mouse = false

    /// For the tests that check the terminal is restored however the program dies: `trap` (a
    /// Swift runtime error) or `overflow` (a stack overflow) once the first frame is drawn.
    @Option(help: .hidden) var testFault: String?

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let nothingNamed = graph == nil && graphFile == nil && look.store == nil
        // Nothing named: the metaxy project around the working directory (or --project), else
        // the demo. A bad graph is reported first: that is what the user has to fix either way.
        // `metaxy-tui STORE --graph FILE` is `metaxy-tui FILE --store STORE`.
        let inProject = try CLI.run { nothingNamed ? try project.find(environment) : try project.project(for: graph, graphFile) }
        let opened: (FeatureGraph, GraphSource, message: String?)? = try CLI.run {
            if nothingNamed { return try inProject.map(GraphOpening.openProject) }
            return graphFile == nil ? try GraphOpening.open(graph!, store: look.store, project: inProject)
                : try GraphOpening.open(graphFile!, store: graph ?? look.store, project: inProject)
        }
        guard isatty(STDOUT_FILENO) == 1, isatty(STDIN_FILENO) == 1 else {
            CLI.note("""
                metaxy-tui: the interactive browser needs a terminal, and standard \
                \(isatty(STDOUT_FILENO) == 1 ? "input" : "output") is not one.
                For scripts use the subcommands: metaxy-tui graph versions GRAPH, metaxy-tui graph render GRAPH --format json, \
                metaxy-tui store status STORE --graph GRAPH, metaxy-tui screenshot GRAPH --out FILE.svg (see --help).
                """)
            throw ExitCode(1)
        }
        let bar = ProgressBar()
        let (loaded, source) = try opened.map { ($0.0, $0.1) } ?? CLI.run(bar) {
            try CursesTerminal.check(environment: environment)
            return try GraphOpening.openCachedDemo(environment: environment, progress: { bar.clear(); CLI.note($0) }, work: bar.progress)
        }
        let terminal = try CLI.run {
            try CursesTerminal(environment: environment, color: look.color, mouse: mouse)
        }
        let options = SessionOptions(graph: loaded, source: source, themeName: look.theme, depth: terminal.depth,
                                     loader: GraphOpening.loader(project: inProject), message: opened?.message)
        let session = Session(terminal: terminal, options: options, catalog: ThemeLocations.catalog())
        session.run(afterFirstFrame: {
            switch testFault {
            case "trap": fatalError("test-only trap after start-up")
            case "overflow": _ = Self.exhaustStack(0)
            default: break
            }
        })
        terminal.close()
    }
}

extension OpenCommand {
    /// Recursion that cannot become a loop: each frame keeps a buffer alive across the call.
    @inline(never) static func exhaustStack(_ depth: Int) -> Int {
        var frame = [Int](repeating: depth, count: 1)
        return withUnsafeMutablePointer(to: &frame) { $0.pointee.count } + exhaustStack(depth + 1) + frame[0]
    }
}

/// Which project and which Python: for the browser and every command that takes `project`.
struct ProjectOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The metaxy project's directory (default: found from the working directory up, as metaxy finds metaxy.toml or pyproject.toml); a name that is no directory picks a project of a metaxy 0.1.x store holding several (default: the config's `project`, or the store's only one).", valueName: "dir|name"))
    var project: String?

    @Option(help: "The project's Python, with metaxy installed (default: $VIRTUAL_ENV/bin/python, .venv/bin/python beside the config, python3).")
    var python: String?

    @Option(help: "Seconds the project's Python may take to export the graph.")
    var pythonTimeout: Double = 30

    /// A `--project` that names no directory (and has no `/`) is a 0.1.x project's name. The
    /// config's `project` (found here, before any store is opened) picks one otherwise; a config
    /// that cannot be read is said by the command that needs it.
    mutating func validate() throws {
        if let name = project, !name.contains("/"), !FileManager.default.fileExists(atPath: name) {
            MetaxyStore.projectName = (name, true)
            project = nil
        } else if let configured = (try? find(ProcessInfo.processInfo.environment))??.config.project {
            MetaxyStore.projectName = (configured, false)
        }
    }

    /// The project named or around the working directory; nil outside one (unless named).
    func find(_ environment: [String: String]) throws -> Project? {
        try Project.locate(named: project, workingDirectory: FileManager.default.currentDirectoryPath, environment: environment,
                           python: python, timeout: pythonTimeout)
    }

    /// The project here when one of `references` names it (`project`, `.`); otherwise nil,
    /// and no config is looked for.
    func project(for references: String?...) throws -> Project? {
        references.contains { $0.map(Project.references.contains) == true } ? try find(ProcessInfo.processInfo.environment) : nil
    }

    /// Any graph reference, with `project` and `.` meaning the live graph of the project here;
    /// its export by the project's Python (seconds for a big project) shows its time so far.
    func load(_ reference: String) throws -> FeatureGraph {
        let here = try project(for: reference)
        let bar = ProgressBar()
        defer { bar.finish() }
        if here != nil { try bar.progress.step("exporting the graph with the project's Python", 0, of: nil) }
        return try GraphOpening.loader(project: here)(reference)
    }
}

/// `--theme` and `--color`, shared by the browser and screenshots.
struct LookOptions: ParsableArguments {
    @Option(help: "Theme: dark, light, high-contrast, mono, nord, or a file name in $XDG_CONFIG_HOME/metaxy-tui/themes.")
    var theme: String?

    @Option(help: "auto (NO_COLOR honoured), always or never.")
    var color: ColorOption = .auto

    @Option(help: "A metaxy store to diff against (its snapshots) and to count affected samples in.")
    var store: String?
}

extension ColorOption: ExpressibleByArgument {}

import Foundation
import MetaxyCore
import MetaxyProject
import MetaxyStore
import TerminalKit

/// A line being typed at the bottom of the screen.
struct Prompt: Equatable, Sendable {
    /// `/` filters features; on the Store screen it finds a sample_uid.
    enum Kind: Sendable { case filter, command, sample }
    let kind: Kind
    var text: String
    /// The filter before `/` was pressed, restored by Esc.
    let previousFilter: String
}

struct HelpOverlay: Equatable, Sendable {
    var filter = ""
    var top = 0
}

struct StatusMessage: Equatable, Sendable {
    let text: String
    let isError: Bool

    /// A store URL quoted in the text shows its password as `***`.
    init(text: String, isError: Bool) {
        self.text = MetaxyStore.shown(text)
        self.isError = isError
    }
}

/// Where the graph came from: what the status bar shows, and what reload reads again.
public struct GraphSource: Sendable, Equatable {
    public let label: String
    /// A graph file or store reference to reload from; nil for the bundled example.
    public let reference: String?
    /// The file to watch for changes, if any.
    public let watchedPath: String?
    /// A metaxy store to diff against and count samples in: the graph's own, or `--store`.
    public let store: String?
    /// A project's root: a change to a `.py` file under it (or to its config) exports the graph again.
    public let watchedDirectory: String?
    /// Where a migration made on the Diff screen is written: the project's `migrations_dir`;
    /// without a project, `.metaxy/migrations` beside the store.
    public let migrations: MigrationsDirectory?

    public init(label: String, reference: String?, watchedPath: String?, store: String? = nil, watchedDirectory: String? = nil,
                migrations: MigrationsDirectory? = nil) {
        self.label = label
        self.reference = reference
        self.watchedPath = watchedPath
        self.store = store
        self.watchedDirectory = watchedDirectory
        self.migrations = migrations ?? store.map {
            MigrationsDirectory(URL(fileURLWithPath: $0).deletingLastPathComponent().appendingPathComponent(ProjectConfig.defaultMigrationsDir).path,
                                workingDirectory: "/")
        }
    }
}

/// Everything the screen shows, as one value: `update` changes it, `view` draws it. The screens
/// own their states; what is here is shared: the graph and its source, the size, the theme, the
/// overlays (prompt, help, picker) and the status line.
public struct AppState: Sendable {
    var graphScreen: GraphScreen
    var dag: DagState?
    var diffScreen = DiffScreen()
    var store: StoreState?
    /// The stale sets the store's cache held at launch, and their age: the Graph
    /// screen's heat column shows them until the Store screen computes the ones of now.
    var cachedStale: (statuses: [Int: FeatureStatus], age: Double)?
    var sampleScreen: SampleScreen?
    /// Counts the Sample screen's lookups, so that only the last one's answer is taken.
    var lookups = 0
    var screen: Screen = .graph

    public internal(set) var source: GraphSource
    public internal(set) var size: Size
    public internal(set) var theme: Theme
    var themeNames: [String]

    var prompt: Prompt?
    var help: HelpOverlay?
    var picker: SidePicker?
    /// `M` on the Diff screen: the migration's preview, then its progress.
    var migration: MigrationPanel?
    /// Counts the migration panels opened, so that a preview for one closed since is dropped.
    var migrationRequests = 0
    var message: StatusMessage?
    public internal(set) var running = true

    public var graph: FeatureGraph { graphScreen.graph }

    public init(graph: FeatureGraph, source: GraphSource, size: Size, theme: Theme, themeNames: [String], message: String? = nil) {
        graphScreen = GraphScreen(graph: graph, size: size)
        self.source = source
        self.size = size
        self.theme = theme
        self.themeNames = themeNames
        self.message = message.map { StatusMessage(text: $0, isError: true) }
    }

    /// What a screen's update may read, with nothing asked yet.
    var context: ScreenContext { ScreenContext(graph: graph, size: size, source: source, diff: diffScreen.diff?.diff) }

    mutating func say(_ text: String, error: Bool = false) {
        message = StatusMessage(text: text, isError: error)
    }

    /// Applies what a screen asked for; returns the slow work it wants done.
    mutating func absorb(_ context: ScreenContext) -> [Effect] {
        if let message = context.message { self.message = message }
        if let prompt = context.prompt { self.prompt = prompt }
        if let show = context.show { screen = show }
        if let jump = context.jump {
            graphScreen.jump(to: jump.feature, field: jump.field)
            if let notice = graphScreen.takeNotice() { message = notice }
        }
        return context.effects + (context.lookup.map { openSample($0) } ?? []) + (context.migrate ? openMigration() : [])
    }

    /// The Sample screen for `uid`, looked up in the background; Esc goes back to where it came from.
    mutating func openSample(_ uid: SampleUID) -> [Effect] {
        guard source.store != nil else {
            say("no store to look a sample up in: open one (metaxy-tui STORE) or add --store STORE", error: true)
            return []
        }
        lookups += 1
        sampleScreen = SampleScreen(uid: uid, request: lookups, from: screen == .sample ? sampleScreen?.from ?? .graph : screen)
        screen = .sample
        return [.lookupSample(uid, request: lookups)]
    }

    /// The stale counts of a feature for the Graph screen's heat column, once computed.
    func staleCount(_ feature: Int) -> Int? {
        guard let status = store?.statuses[feature]?.status ?? cachedStale?.statuses[feature], !status.root else { return nil }
        return status.added.count + status.changed.count + status.removed.count
    }
}

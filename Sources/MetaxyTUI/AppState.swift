import MetaxyCore
import TerminalKit

/// Which pane has the keyboard.
enum Pane: Sendable { case features, detail }

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

struct DetailKey: Equatable, Sendable {
    let graph: ObjectIdentifier
    let feature: Int?
    let field: Int?
    let full: Bool
}

struct DetailCache: Sendable {
    let key: DetailKey
    let lines: [DetailLine]
}

struct StatusMessage: Equatable, Sendable {
    let text: String
    let isError: Bool
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

    public init(label: String, reference: String?, watchedPath: String?, store: String? = nil) {
        self.label = label
        self.reference = reference
        self.watchedPath = watchedPath
        self.store = store
    }
}

/// Everything the screen shows, as one value: `update` changes it, `view` draws it.
public struct AppState: Sendable {
    public internal(set) var graph: FeatureGraph
    var tree: FeatureTree
    /// Built on the first filter, not at start-up: the first frame of a big graph comes sooner.
    var search: SearchIndex?
    public internal(set) var source: GraphSource
    public internal(set) var size: Size
    public internal(set) var theme: Theme
    var themeNames: [String]

    var mode: FeatureList.Mode = .tree
    var collapsed: Set<String> = []
    var filter = ""
    /// Derived from graph, mode, filter and collapsed; rebuilt by `rebuildRows`.
    var rows: [FeatureRow] = []
    var cursor = 0
    var listTop = 0

    var focus: Pane = .features
    var detailCursor = 0
    var detailTop = 0
    var selectedField: Int?
    var fullVersions = false
    var detailCache: DetailCache?

    var screen: Screen = .graph
    var diff: DiffState?
    /// A diff is being computed off the input loop.
    var diffLoading = false
    var picker: SidePicker?
    var dag: DagState?
    var store: StoreState?

    var prompt: Prompt?
    var help: HelpOverlay?
    var message: StatusMessage?
    /// Feature keys to go back to after Enter jumped elsewhere.
    var history: [String] = []
    public internal(set) var running = true

    public init(graph: FeatureGraph, source: GraphSource, size: Size, theme: Theme, themeNames: [String], message: String? = nil) {
        self.graph = graph
        tree = FeatureTree(graph: graph)
        self.source = source
        self.size = size
        self.theme = theme
        self.themeNames = themeNames
        self.message = message.map { StatusMessage(text: $0, isError: true) }
        // Start on a feature, the first in dependency order, rather than on a group.
        rebuildRows(keeping: graph.topologicalOrder.first.map { graph.key($0).string })
        _ = detail()
    }

    var selectedRow: FeatureRow? { rows.indices.contains(cursor) ? rows[cursor] : nil }
    var selectedFeature: Int? { selectedRow?.feature }

    /// Rebuilds the rows and puts the cursor back on the row with `identity` when it is still there.
    mutating func rebuildRows(keeping identity: String?) {
        let query = FeatureFilter(filter)
        rows = FeatureList.rows(graph: graph, tree: tree, search: query.isEmpty ? nil : searchIndex(), mode: mode, filter: query,
                                collapsed: collapsed)
        if let identity, let i = rows.firstIndex(where: { $0.identity == identity }) { cursor = i }
        cursor = max(0, min(cursor, rows.count - 1))
        scrollFeaturesToCursor()
    }

    mutating func searchIndex() -> SearchIndex {
        if let search { return search }
        let index = SearchIndex(graph: graph)
        search = index
        return index
    }

    mutating func scrollFeaturesToCursor() {
        let height = Layout(size: size).featuresInner.height
        if cursor < listTop { listTop = cursor }
        if height > 0, cursor >= listTop + height { listTop = cursor - height + 1 }
        listTop = max(0, min(listTop, max(0, rows.count - height)))
    }
}

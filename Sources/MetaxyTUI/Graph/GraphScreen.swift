import MetaxyCore
import TerminalKit

/// Which pane of the Graph screen has the keyboard.
enum Pane: Sendable { case features, detail }

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

/// Where `[` goes back to: the feature, the field selected there and the pane that had the keys.
struct HistoryEntry: Equatable, Sendable {
    let feature: String
    let field: String?
    let focus: Pane
}

/// The Graph screen's own state: the feature list (tree or flat, filtered, folded), the detail
/// pane's cursor, the selected field and the jump history.
struct GraphScreen: Sendable {
    private(set) var graph: FeatureGraph
    var size: Size
    var tree: FeatureTree
    /// Built on the first filter, not at start-up: the first frame of a big graph comes sooner.
    var search: SearchIndex?

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
    var history: [HistoryEntry] = []
    /// What the last change has to say; the app moves it to the status line.
    var notice: StatusMessage?

    init(graph: FeatureGraph, size: Size) {
        self.graph = graph
        self.size = size
        tree = FeatureTree(graph: graph)
        // Start on a feature, the first in dependency order, rather than on a group.
        rebuildRows(keeping: graph.topologicalOrder.first.map { graph.key($0).string })
        _ = detail()
    }

    var selectedRow: FeatureRow? { rows.indices.contains(cursor) ? rows[cursor] : nil }
    var selectedFeature: Int? { selectedRow?.feature }

    mutating func say(_ text: String, error: Bool = false) { notice = StatusMessage(text: text, isError: error) }

    mutating func takeNotice() -> StatusMessage? {
        defer { notice = nil }
        return notice
    }

    mutating func update(_ command: Command, _ context: inout ScreenContext) -> Bool {
        defer { if let notice = takeNotice() { context.message = notice } }
        switch command {
        case .up: move(by: -1)
        case .down: move(by: 1)
        case .halfPageUp: move(by: -max(1, pageHeight / 2))
        case .halfPageDown: move(by: max(1, pageHeight / 2))
        case .pageUp: move(by: -max(1, pageHeight - 1))
        case .pageDown: move(by: max(1, pageHeight - 1))
        case .top: move(by: -Int(Int32.max))
        case .bottom: move(by: Int(Int32.max))
        case .collapse: collapseOrParent()
        case .expand: expandOrOpen()
        case .collapseAll: collapseAll()
        case .expandAll:
            collapsed = []
            rebuildRows(keeping: selectedRow?.identity)
        case .toggleTree:
            setMode(mode == .tree ? .flat : .tree)
            say(mode == .tree ? "tree: features grouped by key parts" : "flat: features in topological order")
        case .nextPane, .previousPane: setFocus(focus == .features ? .detail : .features)
        case .featuresPane: setFocus(.features)
        case .detailPane: setFocus(.detail)
        case .open: open()
        case .back: back()
        case .historyBack: goBack()
        case .filter:
            context.prompt = Prompt(kind: .filter, text: filter, previousFilter: filter)
            _ = searchIndex()  // built now, so the first typed letter answers as fast as the rest
        case .nextMatch: nextMatch(forward: true)
        case .previousMatch: nextMatch(forward: false)
        case .copyVersion: context.effects += copyVersion()
        case .toggleFullVersions:
            fullVersions.toggle()
            scrollDetailToCursor()
        default: return false
        }
        _ = detail()  // so the view reads cached lines
        return true
    }

    mutating func setMode(_ new: FeatureList.Mode) {
        mode = new
        rebuildRows(keeping: selectedFeature.map { graph.key($0).string } ?? selectedRow?.identity)
    }

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

    mutating func resize(_ new: Size) {
        size = new
        scrollFeaturesToCursor()
        scrollDetailToCursor()
    }

    /// The new graph, with the same feature and field selected when they still exist.
    mutating func replaceGraph(_ new: FeatureGraph) {
        let identity = selectedRow?.identity
        graph = new
        tree = FeatureTree(graph: new)
        search = nil
        detailCache = nil
        rebuildRows(keeping: identity)
        if let f = selectedFeature, let field = selectedField, field >= graph.specs[f].fields.count { selectedField = nil }
        if selectedFeature == nil { selectedField = nil }
        clampDetail()
    }

    private mutating func copyVersion() -> [Effect] {
        guard let f = selectedFeature else {
            say("select a feature to copy its version", error: true)
            return []
        }
        if focus == .detail, let field = selectedField {
            let ref = FieldRef(feature: f, field: field)
            say("copied the version of \(graph.fqString(ref)) (OSC 52): \(graph.fieldVersion(ref).prefix(16))…")
            return [.copy(graph.fieldVersion(ref))]
        }
        say("copied the feature version of \(graph.key(f).string) (OSC 52): \(graph.featureVersion(f).prefix(16))…")
        return [.copy(graph.featureVersion(f))]
    }
}

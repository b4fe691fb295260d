import MetaxyCore

/// One feature's line on the Store screen.
public struct StoreFeatureRow: Sendable {
    let feature: Int
    let root: Bool
    /// nil until counted: counting scans the table, so the first page does not wait for it.
    var stored: Int?
    /// Distinct samples at the current feature version.
    var current: Int?
    /// Feature versions present, with their row counts, most rows first.
    var versions: [(version: String, rows: Int)] = []
    /// Why the counts could not be read.
    var problem: String?

    public init(feature: Int, root: Bool, stored: Int? = nil, current: Int? = nil, versions: [(version: String, rows: Int)] = []) {
        self.feature = feature
        self.root = root
        self.stored = stored
        self.current = current
        self.versions = versions
    }
}

/// A feature's stale set, or why it could not be computed; `cached` is the last one computed,
/// shown while the one of now is.
enum StaleResult: Sendable {
    case done(FeatureStatus)
    case cached(FeatureStatus)
    case failed(String)

    var status: FeatureStatus? {
        switch self {
        case .done(let status), .cached(let status): status
        case .failed: nil
        }
    }
    var isFailure: Bool { status == nil }
}

/// Which stored rows the samples table shows.
public enum SampleFilter: String, CaseIterable, Sendable {
    /// `added`: samples the upstream has and this feature does not store yet (no row to show).
    case all, changed, removed, added

    var next: SampleFilter { Self.allCases[(Self.allCases.firstIndex(of: self)! + 1) % Self.allCases.count] }

    /// As the graph's metaxy says it: 0.1.x calls changed, removed and added stale, orphaned and new.
    func label(_ graph: FeatureGraph) -> String {
        guard graph.hasProjectVersions else { return rawValue }
        switch self {
        case .all: return "all"
        case .changed: return "stale"
        case .removed: return "orphaned"
        case .added: return "new"
        }
    }
}

/// The samples table's order when not the write order: a column, up or down.
public struct SampleSort: Equatable, Sendable {
    let column: String
    let descending: Bool
}

/// The Store screen: features with counts and stale sets (computed in the background), and the
/// selected feature's rows, a page at a time, with a why panel for one sample.
struct StoreState: Sendable {
    static let pageSize = 200

    var rows: [StoreFeatureRow] = []
    var cursor = 0
    var statuses: [Int: StaleResult] = [:]
    /// The age in seconds of the cached stale sets shown while these are computed.
    var cachedAge: Double?
    /// Features done and in all while counts and stale sets are computed; nil when idle.
    var progress: (done: Int, total: Int)?
    /// `x` before the stale sets started: they are not started.
    var cancelled = false
    /// What brought the screen up, said beside the counts (a migration just applied).
    var banner: String?
    var samplesFocused = false
    var page: SamplePage?
    /// Why the page could not be read.
    var pageProblem: String?
    var pageCursor = 0
    /// Where the cursor goes when the page asked for arrives: its last row (`G`, or paging up
    /// past the top); until then it stays on the page shown.
    var cursorToLastRow = false
    var filter: SampleFilter = .all
    var sort: SampleSort?
    /// Where the page starts in a filtered or sorted view (write order pages by rowid instead).
    var offset = 0

    /// Filtered and sorted views page by offset; the write order by rowid.
    var pagesByOffset: Bool { filter != .all || sort != nil }
    var why: SampleExplanation?

    /// The graph's features in key order, counted and computed later; the work is under way
    /// from the start, so `x` can cancel it at once.
    init(graph: FeatureGraph) {
        rows = Self.featureOrder(graph).map { StoreFeatureRow(feature: $0, root: graph.isRoot($0)) }
        progress = (0, rows.count)
    }

    /// The screen's order: by key.
    static func featureOrder(_ graph: FeatureGraph) -> [Int] {
        (0..<graph.count).sorted { codePointLess(graph.key($0).string, graph.key($1).string) }
    }

    var selected: StoreFeatureRow? { rows.indices.contains(cursor) ? rows[cursor] : nil }

    func status(of feature: Int) -> FeatureStatus? { statuses[feature]?.status }

    /// The cache's stale sets, `age` seconds old, where none of now is there yet.
    mutating func showCached(_ cached: [Int: FeatureStatus], age: Double) {
        for (feature, status) in cached where statuses[feature] == nil { statuses[feature] = .cached(status) }
        cachedAge = age
    }

    /// A stored sample's glyph against the stale set (sorted, so searched, not scanned: a page
    /// of the biggest set is drawn on every key): the lookup's glyphs, `·` an older feature
    /// version, `?` not computed yet.
    func glyph(of row: SamplePage.Row, feature: Int, currentVersion: String) -> String {
        guard let status = status(of: feature) else { return "?" }
        if row.rowid == 0, status.added.sortedContains(row.uid) { return SampleLookup.State.added.glyph }
        if status.removed.sortedContains(row.uid) { return SampleLookup.State.removed.glyph }
        if row.featureVersion != currentVersion { return "·" }
        return (status.changed.sortedContains(row.uid) ? SampleLookup.State.changed : .fresh).glyph
    }
}

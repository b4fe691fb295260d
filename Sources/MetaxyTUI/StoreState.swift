import MetaxyCore
import MetaxyStore

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
}

/// Which stored rows the samples table shows.
public enum SampleFilter: String, CaseIterable, Sendable {
    /// `added`: samples the upstream has and this feature does not store yet (no row to show).
    case all, changed, removed, added

    var next: SampleFilter { Self.allCases[(Self.allCases.firstIndex(of: self)! + 1) % Self.allCases.count] }
}

/// The samples table's order when not the write order: a column, up or down.
public struct SampleSort: Equatable, Sendable {
    let column: String
    let descending: Bool
}

/// The Store screen: features with counts and stale sets (computed in the background), and the
/// selected feature's rows, a page at a time, with a why panel for one sample.
struct StoreState: Sendable {
    var rows: [StoreFeatureRow] = []
    var cursor = 0
    var statuses: [Int: FeatureStatus] = [:]
    /// Features done and in all while stale sets are computed; nil when idle.
    var progress: (done: Int, total: Int)?
    var samplesFocused = false
    var page: SamplePage?
    var pageCursor = 0
    var filter: SampleFilter = .all
    var sort: SampleSort?
    /// Where the page starts in a filtered or sorted view (write order pages by rowid instead).
    var offset = 0

    /// Filtered and sorted views page by offset; the write order by rowid.
    var pagesByOffset: Bool { filter != .all || sort != nil }
    var why: SampleExplanation?

    var selected: StoreFeatureRow? { rows.indices.contains(cursor) ? rows[cursor] : nil }

    /// A stored sample's status against the stale set, as a glyph and its word.
    func status(of row: SamplePage.Row, feature: Int, currentVersion: String) -> (glyph: String, word: String) {
        guard let status = statuses[feature] else { return ("?", "not computed yet") }
        if row.rowid == 0, status.added.contains(row.uid) { return ("+", "added: upstream has it, not stored here") }
        if status.removed.contains(row.uid) { return ("-", "removed: no upstream row now") }
        if row.featureVersion != currentVersion { return ("·", "an older feature version") }
        if status.changed.contains(row.uid) { return ("~", "changed: upstream moved") }
        return ("✓", "fresh")
    }
}

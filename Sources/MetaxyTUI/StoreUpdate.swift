import MetaxyCore
import MetaxyStore
import TerminalKit

/// Keys on the Store screen and the store work they ask for.
extension AppState {
    static let pageSize = 200

    mutating func openStore() -> [Effect] {
        guard source.store != nil else {
            say("no store: open one (metaxy-tui STORE) or add --store STORE", error: true)
            return []
        }
        screen = .store
        guard store == nil else { return [] }
        // The features come from the graph at once and the first page right after; counts and
        // stale sets, which scan whole tables, follow in the background.
        var s = StoreState()
        s.rows = (0..<graph.count).sorted { codePointLess(graph.key($0).string, graph.key($1).string) }
            .map { StoreFeatureRow(feature: $0, root: graph.isRoot($0)) }
        store = s
        return loadFirstPage() + [.loadStoreSummary]
    }

    mutating func runStore(_ command: Command) -> [Effect] {
        guard var s = store else { return run(command) }
        let page = max(1, Layout(size: size).featuresInner.height - 1)
        func moveFeature(_ delta: Int) -> [Effect] {
            s.cursor = max(0, min(s.rows.count - 1, s.cursor + delta))
            s.page = nil
            s.why = nil
            s.pageCursor = 0
            store = s
            return loadFirstPage()
        }
        func movePage(_ delta: Int) -> [Effect] {
            guard let rows = s.page?.rows, !rows.isEmpty else { return [] }
            let target = s.pageCursor + delta
            store = s
            if s.pagesByOffset, target >= rows.count, rows.count == Self.pageSize {
                store?.offset = s.offset + rows.count
                store?.pageCursor = 0
                return requestPage()
            }
            if s.pagesByOffset, target < 0, s.offset > 0 {
                store?.offset = max(0, s.offset - Self.pageSize)
                store?.pageCursor = Self.pageSize - 1
                return requestPage()
            }
            if target >= rows.count, s.filter == .all, let last = rows.last {
                store?.pageCursor = 0
                return requestPage(after: last.rowid)
            }
            if target < 0, s.filter == .all, let first = rows.first, first.rowid > 1 {
                store?.pageCursor = Self.pageSize - 1
                return requestPage(before: first.rowid)
            }
            store?.pageCursor = max(0, min(rows.count - 1, target))
            return []
        }
        switch command {
        case .up: return s.samplesFocused ? movePage(-1) : moveFeature(-1)
        case .down: return s.samplesFocused ? movePage(1) : moveFeature(1)
        case .pageUp, .halfPageUp: return s.samplesFocused ? movePage(-page) : moveFeature(-page)
        case .pageDown, .halfPageDown: return s.samplesFocused ? movePage(page) : moveFeature(page)
        case .top:
            guard s.samplesFocused else { return moveFeature(-s.rows.count) }
            return loadFirstPage()
        case .bottom:
            guard s.samplesFocused else { return moveFeature(s.rows.count) }
            store?.pageCursor = Int.max
            if s.pagesByOffset {
                let total = s.filter == .all ? s.selected?.stored : s.selected.flatMap { s.statuses[$0.feature] }.map {
                    s.filter == .changed ? $0.changed.count : s.filter == .removed ? $0.removed.count : $0.added.count
                }
                guard let total else { say("the row count is not known yet"); return [] }
                store?.offset = max(0, total - Self.pageSize)
                return requestPage()
            }
            return requestPage(before: Int64.max)
        case .nextPane, .previousPane, .open:
            if command == .open, s.samplesFocused { return explainSelected() }
            s.samplesFocused.toggle()
            store = s
            return []
        case .why: return explainSelected()
        case .cycleSampleFilter:
            s.filter = s.filter.next
            s.why = nil
            store = s
            say("samples: \(s.filter.rawValue)")
            return loadFirstPage()
        case .cycleSort:
            // Write order, then each column up and down.
            let columns = ["sample_uid", "feature_version"] + (s.page?.columns ?? [])
            let sorts = [nil] + columns.flatMap { [SampleSort(column: $0, descending: false), SampleSort(column: $0, descending: true)] }
            s.sort = sorts[((sorts.firstIndex(of: s.sort) ?? 0) + 1) % sorts.count]
            s.why = nil
            store = s
            say(s.sort.map { "sorted by \($0.column) \($0.descending ? "↓" : "↑")" } ?? "write order")
            return loadFirstPage()
        case .cancelStale:
            guard s.progress != nil else { say("nothing is being computed"); return [] }
            return [.cancelStale]
        case .filter:
            prompt = Prompt(kind: .sample, text: "", previousFilter: filter)
            return []
        case .jumpUpstream:
            guard let why = s.why else { say("w first: why a sample is stale, then u goes upstream"); return [] }
            let inputs = why.fields.flatMap(\.inputs)
            guard let input = inputs.first(where: \.changed) ?? inputs.first,
                  let f = graph.index(of: input.upstream), let row = s.rows.firstIndex(where: { $0.feature == f }) else {
                say("\(why.feature) has no upstream")
                return []
            }
            s.cursor = row
            s.why = nil
            s.page = nil
            store = s
            return findSample(uid: why.uid)
        case .back, .graphScreen:
            if s.why != nil { store?.why = nil; return [] }
            screen = .graph
            return []
        default:
            return run(command)
        }
    }

    var selectedStoreKey: FeatureKey? { store?.selected.map { graph.key($0.feature) } }

    /// `/` on the Store screen: the page that starts at that sample's latest row.
    mutating func findSample(_ text: String) -> [Effect] {
        guard !text.isEmpty else { return [] }
        return findSample(uid: Int64(text).map(SampleUID.int) ?? .string(text))
    }

    mutating func findSample(uid: SampleUID) -> [Effect] {
        guard let key = selectedStoreKey else { return [] }
        store?.samplesFocused = true
        store?.filter = .all
        store?.sort = nil
        store?.pageCursor = 0
        return [.findSample(feature: key, sample: uid)]
    }

    mutating func loadFirstPage() -> [Effect] {
        store?.pageCursor = 0
        store?.offset = 0
        return requestPage()
    }

    mutating func requestPage(after: Int64? = nil, before: Int64? = nil) -> [Effect] {
        guard let key = selectedStoreKey, let s = store else { return [] }
        return [.loadSamples(feature: key, after: after, before: before, filter: s.filter, offset: s.offset, sort: s.sort)]
    }

    mutating func explainSelected() -> [Effect] {
        guard let s = store, let key = selectedStoreKey, let rows = s.page?.rows, rows.indices.contains(s.pageCursor) else {
            say("select a sample (Tab to the samples) to see why it is or is not stale")
            return []
        }
        return [.explain(feature: key, sample: rows[s.pageCursor].uid)]
    }

    /// The stale counts of a feature for the Graph screen's heat column, once computed.
    func staleCount(_ feature: Int) -> Int? {
        guard let status = store?.statuses[feature], !status.root else { return nil }
        return status.added.count + status.changed.count + status.removed.count
    }
}

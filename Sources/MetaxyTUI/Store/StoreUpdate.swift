import MetaxyCore
import TerminalKit

/// Keys on the Store screen and the store work they ask for.
extension StoreState {
    /// The counts arrived: the stale sets follow, unless `x` came first.
    mutating func summaryLoaded(_ counted: [StoreFeatureRow]) -> [Effect] {
        let selectedFeature = selected?.feature
        rows = counted
        if let selectedFeature, let i = rows.firstIndex(where: { $0.feature == selectedFeature }) { cursor = i }
        guard !cancelled else {
            progress = nil
            return []
        }
        progress = (0, rows.count)
        return [.computeStale]
    }

    mutating func summaryFailed(_ problem: String) {
        progress = nil
        for i in rows.indices { rows[i].problem = problem }
    }

    mutating func pageLoaded(_ new: SamplePage, atEnd: Bool) {
        page = new
        pageProblem = nil
        if atEnd || cursorToLastRow { pageCursor = new.rows.count - 1 }
        cursorToLastRow = false
        pageCursor = max(0, min(pageCursor, new.rows.count - 1))
    }

    mutating func update(_ command: Command, _ context: inout ScreenContext) -> Bool {
        let graph = context.graph
        let page = max(1, Layout(size: context.size).featuresInner.height - 1)
        switch command {
        case .up: context.effects += samplesFocused ? movePage(-1, graph) : moveFeature(-1, graph)
        case .down: context.effects += samplesFocused ? movePage(1, graph) : moveFeature(1, graph)
        case .pageUp, .halfPageUp: context.effects += samplesFocused ? movePage(-page, graph) : moveFeature(-page, graph)
        case .pageDown, .halfPageDown: context.effects += samplesFocused ? movePage(page, graph) : moveFeature(page, graph)
        case .top: context.effects += samplesFocused ? loadFirstPage(graph: graph) : moveFeature(-rows.count, graph)
        case .bottom:
            guard samplesFocused else { context.effects += moveFeature(rows.count, graph); return true }
            cursorToLastRow = true
            guard pagesByOffset else { context.effects += requestPage(graph, before: Int64.max); return true }
            let status = selected.flatMap { self.status(of: $0.feature) }
            let total = filter == .all ? selected?.stored
                : status.map { filter == .changed ? $0.changed.count : filter == .removed ? $0.removed.count : $0.added.count }
            guard let total else { context.say("the row count is not known yet"); return true }
            offset = max(0, total - Self.pageSize)
            context.effects += requestPage(graph)
        case .nextPane, .previousPane:
            samplesFocused.toggle()
        case .open, .why:
            if command == .open, !samplesFocused { samplesFocused = true; return true }
            context.effects += explainSelected(graph, &context)
        case .cycleSampleFilter:
            filter = filter.next
            why = nil
            context.say("samples: \(filter.label(graph))")
            context.effects += loadFirstPage(graph: graph)
        case .cycleSort:
            // Write order, then each column shown up and down.
            let columns = ["sample_uid"] + (self.page?.columns ?? [])
            let sorts = [nil] + columns.flatMap { [SampleSort(column: $0, descending: false), SampleSort(column: $0, descending: true)] }
            sort = sorts[((sorts.firstIndex(of: sort) ?? 0) + 1) % sorts.count]
            why = nil
            context.say(sort.map { "sorted by \($0.column) \($0.descending ? "↓" : "↑")" } ?? "write order")
            context.effects += loadFirstPage(graph: graph)
        case .cancelStale:
            if progress != nil {
                cancelled = true
                progress = nil
                context.say("stale sets: cancelled; x computes them again")
                context.effects.append(.cancelStale)
            } else if cancelled, !rows.contains(where: { $0.stored == nil && $0.problem == nil }) {
                // Cancelled before: computed again, the ones already done included.
                cancelled = false
                statuses = [:]
                progress = (0, rows.count)
                context.say("computing the stale sets again")
                context.effects.append(.computeStale)
            } else {
                context.say("nothing is being computed")
            }
        case .filter:
            context.prompt = Prompt(kind: .sample, text: "", previousFilter: "")
        case .lookupSample:
            guard let rows = self.page?.rows, rows.indices.contains(pageCursor) else {
                context.say("select a sample (Tab to the samples) to follow it through every feature")
                return true
            }
            context.lookup = rows[pageCursor].uid
        case .jumpUpstream:
            guard let why else { context.say("w first: why a sample is stale, then u goes upstream"); return true }
            let inputs = why.fields.flatMap(\.inputs)
            guard let input = inputs.first(where: \.changed) ?? inputs.first,
                  let f = graph.index(of: input.upstream), let row = rows.firstIndex(where: { $0.feature == f }) else {
                context.say("\(why.feature) has no upstream")
                return true
            }
            cursor = row
            self.why = nil
            self.page = nil
            context.effects += findSample(uid: why.uid, graph)
        case .back:
            guard why != nil else { return false }
            why = nil
        default: return false
        }
        return true
    }

    private mutating func moveFeature(_ delta: Int, _ graph: FeatureGraph) -> [Effect] {
        cursor = max(0, min(rows.count - 1, cursor + delta))
        page = nil
        why = nil
        return loadFirstPage(graph: graph)
    }

    private mutating func movePage(_ delta: Int, _ graph: FeatureGraph) -> [Effect] {
        guard let rows = page?.rows, !rows.isEmpty else { return [] }
        let target = pageCursor + delta
        if pagesByOffset, target >= rows.count, rows.count == Self.pageSize {
            offset += rows.count
            pageCursor = 0
            return requestPage(graph)
        }
        if pagesByOffset, target < 0, offset > 0 {
            offset = max(0, offset - Self.pageSize)
            cursorToLastRow = true
            return requestPage(graph)
        }
        // A page shorter than a full one is the last: moving on past it stays on its last row.
        if target >= rows.count, filter == .all, sort == nil, rows.count == Self.pageSize, let last = rows.last {
            pageCursor = 0
            return requestPage(graph, after: last.rowid)
        }
        if target < 0, filter == .all, let first = rows.first, first.rowid > 1 {
            cursorToLastRow = true
            return requestPage(graph, before: first.rowid)
        }
        pageCursor = max(0, min(rows.count - 1, target))
        return []
    }

    func selectedKey(_ graph: FeatureGraph) -> FeatureKey? { selected.map { graph.key($0.feature) } }

    /// `/` on the Store screen: the page that starts at that sample's latest row.
    mutating func findSample(_ text: String, _ graph: FeatureGraph) -> [Effect] {
        guard !text.isEmpty else { return [] }
        return findSample(uid: SampleUID(argument: text), graph)
    }

    mutating func findSample(uid: SampleUID, _ graph: FeatureGraph) -> [Effect] {
        guard let key = selectedKey(graph) else { return [] }
        samplesFocused = true
        filter = .all
        sort = nil
        pageCursor = 0
        return [.findSample(feature: key, sample: uid)]
    }

    mutating func loadFirstPage(graph: FeatureGraph) -> [Effect] {
        pageCursor = 0
        offset = 0
        return requestPage(graph)
    }

    func requestPage(_ graph: FeatureGraph, after: Int64? = nil, before: Int64? = nil) -> [Effect] {
        guard let key = selectedKey(graph) else { return [] }
        return [.loadSamples(feature: key, after: after, before: before, filter: filter, offset: offset, sort: sort)]
    }

    func explainSelected(_ graph: FeatureGraph, _ context: inout ScreenContext) -> [Effect] {
        guard let key = selectedKey(graph), let rows = page?.rows, rows.indices.contains(pageCursor) else {
            context.say("select a sample (Tab to the samples) to see why it is or is not stale")
            return []
        }
        return [.explain(feature: key, sample: rows[pageCursor].uid)]
    }
}

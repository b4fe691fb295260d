import MetaxyCore
import TerminalKit

/// Moving around the features pane and the detail pane, and jumping between features.
extension GraphScreen {
    var pageHeight: Int {
        let layout = Layout(size: size)
        return focus == .features ? layout.featuresInner.height : layout.detailInner.height
    }

    /// What the detail pane shows depends on; the lines are rebuilt only when this changes.
    var detailKey: DetailKey {
        DetailKey(graph: ObjectIdentifier(graph), feature: selectedFeature, field: selectedField, full: fullVersions)
    }

    /// The detail pane's lines for the current selection (empty for a group row); views read
    /// this after `update` has refreshed the cache, so it is never rebuilt per frame.
    var detailLines: [DetailLine] {
        if let detailCache, detailCache.key == detailKey { return detailCache.lines }
        guard let f = selectedFeature else { return [] }
        return FeatureDetail.lines(graph: graph, feature: f, selectedField: selectedField, fullVersions: fullVersions)
    }

    /// The detail lines, rebuilding the cache if the selection moved.
    mutating func detail() -> [DetailLine] {
        if detailCache?.key != detailKey { detailCache = DetailCache(key: detailKey, lines: detailLines) }
        return detailCache!.lines
    }

    /// Indices into `lines` of the lines Enter can act on, in order.
    static func selectable(_ lines: [DetailLine]) -> [Int] { lines.indices.filter { lines[$0].target != nil } }

    mutating func move(by delta: Int) {
        if focus == .features {
            guard !rows.isEmpty else { return }
            let next = max(0, min(rows.count - 1, cursor + delta))
            if next != cursor { selectRow(next) }
        } else {
            let targets = Self.selectable(detail())
            guard !targets.isEmpty else { return }
            detailCursor = max(0, min(targets.count - 1, detailCursor + delta))
            followDetailCursor(detail())
        }
    }

    mutating func selectRow(_ row: Int) {
        cursor = row
        selectedField = nil
        detailCursor = 0
        detailTop = 0
        scrollFeaturesToCursor()
    }

    /// A field under the detail cursor becomes the selected field (its lineage shows).
    mutating func followDetailCursor(_ lines: [DetailLine]) {
        let targets = Self.selectable(lines)
        guard targets.indices.contains(detailCursor) else { return }
        if case .field(let i) = lines[targets[detailCursor]].target { selectedField = i }
        scrollDetailToCursor()
    }

    mutating func scrollDetailToCursor() {
        let lines = detail()
        let height = Layout(size: size).detailInner.height
        let targets = Self.selectable(lines)
        guard height > 0 else { return }
        if focus == .detail, targets.indices.contains(detailCursor) {
            let line = targets[detailCursor]
            if line < detailTop { detailTop = line }
            if line >= detailTop + height { detailTop = line - height + 1 }
        }
        detailTop = max(0, min(detailTop, max(0, lines.count - height)))
    }

    mutating func clampDetail() {
        let count = Self.selectable(detail()).count
        detailCursor = max(0, min(detailCursor, count - 1))
        scrollDetailToCursor()
    }

    mutating func setFocus(_ pane: Pane) {
        focus = pane
        if pane == .detail {
            if selectedFeature == nil { say("a group has no detail; pick a feature") }
            clampDetail()
            followDetailCursor(detail())
        }
    }

    mutating func scrollFeaturesToCursor() {
        let height = Layout(size: size).featuresInner.height
        if cursor < listTop { listTop = cursor }
        if height > 0, cursor >= listTop + height { listTop = cursor - height + 1 }
        listTop = max(0, min(listTop, max(0, rows.count - height)))
    }

    mutating func collapseOrParent() {
        guard focus == .features else { return setFocus(.features) }
        guard let row = selectedRow else { return }
        if row.expander == true, mode == .tree, filter.isEmpty {
            collapsed.insert(row.path)
            rebuildRows(keeping: row.identity)
        } else if let parent = rows[..<cursor].lastIndex(where: { $0.depth < row.depth }) {
            selectRow(parent)
        }
    }

    mutating func expandOrOpen() {
        guard focus == .features, let row = selectedRow else { return }
        if row.expander == false {
            collapsed.remove(row.path)
            rebuildRows(keeping: row.identity)
        } else if row.feature != nil {
            setFocus(.detail)
        }
    }

    mutating func collapseAll() {
        guard mode == .tree else { return say("collapsing needs the tree; t switches to it") }
        collapsed = Set(tree.nodes.filter { !$0.children.isEmpty }.map(\.path))
        let top = selectedRow.map { String($0.path.split(separator: "/").first ?? "") } ?? ""
        let topNode = tree.roots.map { tree.nodes[$0] }.first { $0.path == top }
        rebuildRows(keeping: topNode.map { $0.feature == nil ? "group:" + $0.path : $0.path })
    }

    mutating func open() {
        if focus == .features {
            if let row = selectedRow, row.feature == nil {
                if row.expander == false { collapsed.remove(row.path) } else { collapsed.insert(row.path) }
                rebuildRows(keeping: row.identity)
            } else {
                setFocus(.detail)
            }
            return
        }
        let lines = detail()
        let targets = Self.selectable(lines)
        guard targets.indices.contains(detailCursor) else { return }
        switch lines[targets[detailCursor]].target {
        case .feature(let f): jump(to: f, field: nil)
        case .otherField(let ref): jump(to: ref.feature, field: ref.field)
        case .field, nil: break
        }
    }

    /// Selects feature `f` (and `field`), revealing it in the list, remembering where we were.
    mutating func jump(to f: Int, field: Int?, remember: Bool = true) {
        if remember, let current = selectedFeature {
            let fieldKey = selectedField.flatMap { graph.specs[current].fields.indices.contains($0) ? graph.specs[current].fields[$0].key.string : nil }
            history.append(HistoryEntry(feature: graph.key(current).string, field: fieldKey, focus: focus))
        }
        let key = graph.key(f).string
        if !FeatureFilter(filter).isEmpty, !FeatureFilter(filter).matches(f, in: searchIndex()) {
            filter = ""
            say("filter cleared to show \(key)")
        }
        // Open every group on the way to the feature.
        var prefix = ""
        for part in graph.key(f).parts.dropLast() {
            prefix = prefix.isEmpty ? part : prefix + "/" + part
            collapsed.remove(prefix)
        }
        rebuildRows(keeping: key)
        selectRow(cursor)
        if let field {
            selectedField = field
            let lines = detail()
            detailCursor = Self.selectable(lines).firstIndex { lines[$0].target == .field(field) } ?? 0
        }
        if focus == .detail { followDetailCursor(detail()) }
    }

    mutating func back() {
        if !filter.isEmpty {
            filter = ""
            rebuildRows(keeping: selectedRow?.identity)
            say("filter cleared")
        } else if focus == .detail {
            setFocus(.features)
        } else {
            goBack()
        }
    }

    /// Back to the feature before the last jump, with the field and the pane it had.
    mutating func goBack() {
        guard let entry = history.popLast() else { return say("nothing to go back to") }
        guard let f = graph.index(of: FeatureKey(string: entry.feature)) else {
            return say("\(entry.feature) is no longer in the graph", error: true)
        }
        focus = entry.focus
        jump(to: f, field: entry.field.flatMap { graph.fieldIndex(of: $0, in: f) }, remember: false)
        scrollDetailToCursor()
    }

    /// `:goto`: the feature with that key, else the only one whose key contains the text; the
    /// features pane takes the keys, with the feature selected there.
    mutating func goto(_ text: String) {
        let found: [Int]
        if let f = graph.index(of: FeatureKey(string: text)) {
            found = [f]
        } else {
            let needle = text.lowercased()
            found = (0..<graph.count).filter { graph.key($0).string.lowercased().contains(needle) }
        }
        switch found.count {
        case 1:
            jump(to: found[0], field: nil)
            focus = .features
        case 0: say("no feature key contains “\(text)”", error: true)
        default:
            let names = found.prefix(4).map { graph.key($0).string }.joined(separator: ", ")
            say("\(found.count) features match “\(text)”: \(names)\(found.count > 4 ? ", and \(found.count - 4) more" : ""); type more of the key", error: true)
        }
    }

    /// Filters as the user types, keeping the selection when it still matches, else the feature
    /// whose key is the text typed, else the first match (a group's own feature is shown as the
    /// way to a match without matching itself).
    mutating func setFilter(_ text: String) {
        filter = text
        let identity = selectedRow?.identity
        rebuildRows(keeping: identity)
        let query = FeatureFilter(text)
        let index = query.isEmpty ? nil : searchIndex()
        func matches(_ row: FeatureRow) -> Bool { row.feature.map { f in index.map { query.matches(f, in: $0) } ?? true } ?? false }
        if let exact = graph.index(of: FeatureKey(string: text)), let i = rows.firstIndex(where: { $0.feature == exact }) {
            if i != cursor || selectedRow?.identity != identity { selectRow(i) }
        } else if let row = selectedRow, matches(row), row.identity == identity {
            return
        } else if let first = rows.firstIndex(where: matches) {
            selectRow(first)
        }
        if selectedRow?.identity != identity { selectedField = nil; detailCursor = 0; detailTop = 0 }
    }

    mutating func nextMatch(forward: Bool) {
        guard !filter.isEmpty else { return say("no filter yet: / starts one, then n and N move between matches") }
        let features = rows.indices.filter { rows[$0].feature != nil }
        guard !features.isEmpty else { return say("no feature matches “\(filter)”", error: true) }
        focus = .features
        let next = forward ? features.first { $0 > cursor } : features.last { $0 < cursor }
        if let next {
            selectRow(next)
        } else {
            selectRow(forward ? features[0] : features[features.count - 1])
            say(forward ? "search wrapped to the top" : "search wrapped to the bottom")
        }
    }

    mutating func mouse(_ event: MouseEvent) {
        let layout = Layout(size: size)
        let inFeatures = event.x < layout.detail.x
        switch event.kind {
        case .wheelUp, .wheelDown:
            focus = inFeatures ? .features : .detail
            move(by: event.kind == .wheelUp ? -3 : 3)
        case .press:
            if inFeatures {
                focus = .features
                let row = listTop + event.y - layout.featuresInner.y
                if event.y >= layout.featuresInner.y, rows.indices.contains(row) { selectRow(row) }
            } else {
                focus = .detail
                let lines = detail()
                let line = detailTop + event.y - layout.detailInner.y
                if let i = Self.selectable(lines).firstIndex(of: line) {
                    detailCursor = i
                    followDetailCursor(lines)
                }
            }
        }
    }
}

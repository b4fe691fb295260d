import MetaxyCore
import TerminalKit

/// Keys on the Diff screen and how a diff is asked for.
extension AppState {
    /// `d`: the diff already made, else the default one — the graph file against the store's
    /// latest snapshot, or a store's two newest snapshots — else the picker.
    mutating func openDiff() -> [Effect] {
        if diff != nil {
            screen = .diff
            return []
        }
        if let store = source.store, let file = source.watchedPath {
            return requestDiff(old: store + "@latest", new: file)
        }
        screen = .diff
        guard source.store != nil else {
            say("nothing to compare yet: :diff OLD NEW (graph files or STORE@SNAPSHOT), or open with --store STORE")
            return []
        }
        return [.loadChoices]
    }

    mutating func requestDiff(old: String, new: String) -> [Effect] {
        diffLoading = true
        screen = .diff
        say("comparing \(old) with \(new)…")
        return [.loadDiff(old: old, new: new)]
    }

    mutating func runDiff(_ command: Command) -> [Effect] {
        guard var d = diff else {
            switch command {
            case .pickSides: return pickSides()
            case .graphScreen: screen = .graph
            default:
                if [.up, .down, .nextChange, .previousChange, .changedOnly, .swapSides].contains(command) {
                    say(diffLoading ? "still comparing…" : "no diff yet: p picks two sides, :diff OLD NEW compares files")
                } else {
                    return run(command)
                }
            }
            return []
        }
        let page = max(1, Layout(size: size).featuresInner.height - 1)
        switch command {
        case .up: d.cursor -= 1
        case .down: d.cursor += 1
        case .pageUp, .halfPageUp: d.cursor -= command == .pageUp ? page : page / 2
        case .pageDown, .halfPageDown: d.cursor += command == .pageDown ? page : page / 2
        case .top: d.cursor = 0
        case .bottom: d.cursor = d.rows.count - 1
        case .changedOnly:
            d.changedOnly.toggle()
            d.rebuild(keeping: d.selected)
            say(d.changedOnly ? "changes only" : "every feature and field")
        case .onlyAdded, .onlyRemoved, .onlyModified:
            let status: GraphDiff.Status = command == .onlyAdded ? .added : command == .onlyRemoved ? .removed : .changed
            d.only = d.only == [status] ? [] : [status]
            d.rebuild(keeping: d.selected)
            say(d.only.isEmpty ? "every status" : "only \(status.rawValue) features (\(d.rows.filter { $0.field == nil }.count))")
        case .nextChange, .previousChange:
            let forward = command == .nextChange
            let changes = d.rows.indices.filter { d.status(of: d.rows[$0]) != .unchanged }
            guard !changes.isEmpty else { say("no changes"); break }
            if let next = forward ? changes.first(where: { $0 > d.cursor }) : changes.last(where: { $0 < d.cursor }) {
                d.cursor = next
            } else {
                d.cursor = forward ? changes[0] : changes[changes.count - 1]
                say(forward ? "wrapped to the first change" : "wrapped to the last change")
            }
        case .swapSides:
            return requestDiff(old: d.input.newReference, new: d.input.oldReference)
        case .timelineBack, .timelineForward:
            guard let row = d.selected, let k = row.field else { say("select a field to step through its versions"); break }
            let f = d.diff.features[row.feature]
            let points = d.changePoints(feature: f.key, field: f.fields[k].key)
            guard !points.isEmpty else { say("no snapshots in a store to step through", error: true); break }
            let current = d.timelineStep ?? points.count - 1
            d.timelineStep = max(0, min(points.count - 1, current + (command == .timelineBack ? -1 : 1)))
        case .pickSides:
            diff = d
            return pickSides()
        case .graphScreen: screen = .graph
        case .toggleFullVersions: fullVersions.toggle()
        case .copyVersion:
            guard let row = d.selected else { break }
            let f = d.diff.features[row.feature]
            let version = row.field.map { f.fields[$0].newVersion ?? f.fields[$0].oldVersion } ?? (f.newVersion ?? f.oldVersion)
            guard let version else { break }
            say("copied \(version.prefix(16))… (OSC 52)")
            diff = d
            return [.copy(version)]
        default:
            diff = d
            return run(command)
        }
        if d.selected != diff?.selected { d.timelineStep = nil }
        d.cursor = max(0, min(d.cursor, d.rows.count - 1))
        diff = d
        scrollDiffToCursor()
        return []
    }

    mutating func pickSides() -> [Effect] {
        guard source.store != nil else {
            say("no store to pick snapshots from; :diff OLD NEW compares any two graphs", error: true)
            return []
        }
        return [.loadChoices]
    }

    mutating func scrollDiffToCursor() {
        guard var d = diff else { return }
        let height = Layout(size: size).diffList.height
        if d.cursor < d.top { d.top = d.cursor }
        if height > 0, d.cursor >= d.top + height { d.top = d.cursor - height + 1 }
        d.top = max(0, min(d.top, max(0, d.rows.count - height)))
        diff = d
    }
}

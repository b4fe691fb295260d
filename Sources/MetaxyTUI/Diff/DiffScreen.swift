import MetaxyCore
import TerminalKit

/// The Diff screen's own state: the diff shown (with its filters and selection), what is being
/// compared, and why the last comparison failed.
struct DiffScreen: Sendable {
    var diff: DiffState?
    /// The two references being compared off the input loop.
    var loading: (old: String, new: String)?
    var failure: String?
    var fullVersions = false

    mutating func request(old: String, new: String) -> [Effect] {
        loading = (old, new)
        failure = nil
        return [.loadDiff(old: old, new: new)]
    }

    /// A new diff keeps the filters of the one before: `s` and `p` change the sides, not the view.
    mutating func loaded(_ input: DiffInput, size: Size) {
        loading = nil
        failure = nil
        var d = DiffState(input: input)
        if let previous = diff, previous.changedOnly || !previous.only.isEmpty {
            d.changedOnly = previous.changedOnly
            d.only = previous.only
            d.rebuild(keeping: nil)
            if let first = d.rows.firstIndex(where: { d.status(of: $0) != .unchanged }) { d.cursor = first }
        }
        diff = d
        scrollToCursor(size)
    }

    mutating func failed(_ problem: String) {
        loading = nil
        failure = problem
    }

    mutating func update(_ command: Command, _ context: inout ScreenContext) -> Bool {
        guard var d = diff else {
            switch command {
            case .pickSides: context.effects += pickSides(&context)
            case .up, .down, .pageUp, .pageDown, .halfPageUp, .halfPageDown, .top, .bottom, .nextChange, .previousChange, .changedOnly,
                 .onlyAdded, .onlyRemoved, .onlyModified, .swapSides, .timelineBack, .timelineForward, .copyVersion, .toggleFullVersions,
                 .migrate:
                context.say(loading != nil ? "still comparing…" : "no diff yet: p picks two sides, :diff OLD NEW compares files")
            default: return false
            }
            return true
        }
        let page = max(1, Layout(size: context.size).diffList.height - 1)
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
            context.say(d.changedOnly ? "changes only" : "every feature and field")
        case .onlyAdded, .onlyRemoved, .onlyModified:
            let status: GraphDiff.Status = command == .onlyAdded ? .added : command == .onlyRemoved ? .removed : .changed
            d.only = d.only == [status] ? [] : [status]
            d.rebuild(keeping: d.selected)
            let count = d.rows.filter { $0.field == nil }.count
            context.say(d.only.isEmpty ? "every status" : "only \(status.rawValue) features (\(count))")
        case .nextChange, .previousChange:
            let forward = command == .nextChange
            let changes = d.rows.indices.filter { d.status(of: d.rows[$0]) != .unchanged }
            guard !changes.isEmpty else { context.say("no changes"); break }
            if let next = forward ? changes.first(where: { $0 > d.cursor }) : changes.last(where: { $0 < d.cursor }) {
                d.cursor = next
            } else {
                d.cursor = forward ? changes[0] : changes[changes.count - 1]
                context.say(forward ? "wrapped to the first change" : "wrapped to the last change")
            }
        case .swapSides:
            context.say("comparing \(d.input.newReference) with \(d.input.oldReference)…")
            context.effects += request(old: d.input.newReference, new: d.input.oldReference)
            return true
        case .timelineBack, .timelineForward:
            guard let row = d.selected, let k = row.field else { context.say("select a field to step through its versions"); break }
            let f = d.diff.features[row.feature]
            let points = d.changePoints(feature: f.key, field: f.fields[k].key)
            guard !points.isEmpty else { context.say("no snapshots in a store to step through", error: true); break }
            let current = d.timelineStep ?? points.count - 1
            d.timelineStep = max(0, min(points.count - 1, current + (command == .timelineBack ? -1 : 1)))
        case .pickSides:
            context.effects += pickSides(&context)
            return true
        case .migrate:
            if d.diff.new.hasProjectVersions {
                context.say("metaxy 0.1.x has no migrations: it recomputes provenance with `metaxy metadata rebase`")
            } else {
                context.migrate = true
            }
            return true
        case .toggleFullVersions: fullVersions.toggle()
        case .copyVersion:
            guard let row = d.selected else { break }
            let f = d.diff.features[row.feature]
            let version = row.field.map { f.fields[$0].newVersion ?? f.fields[$0].oldVersion } ?? (f.newVersion ?? f.oldVersion)
            guard let version else { break }
            context.say("copied \(version.prefix(16))… (OSC 52)")
            context.effects.append(.copy(version))
        default: return false
        }
        if d.selected != diff?.selected { d.timelineStep = nil }
        d.cursor = max(0, min(d.cursor, d.rows.count - 1))
        diff = d
        scrollToCursor(context.size)
        return true
    }

    func pickSides(_ context: inout ScreenContext) -> [Effect] {
        guard context.source.store != nil else {
            context.say("no store to pick snapshots from; :diff OLD NEW compares any two graphs", error: true)
            return []
        }
        return [.loadChoices]
    }

    mutating func scrollToCursor(_ size: Size) {
        guard var d = diff else { return }
        var layout = Layout(size: size)
        layout.fullVersions = fullVersions
        let height = layout.diffList.height
        if d.cursor < d.top { d.top = d.cursor }
        if height > 0, d.cursor >= d.top + height { d.top = d.cursor - height + 1 }
        d.top = max(0, min(d.top, max(0, d.rows.count - height)))
        diff = d
    }
}

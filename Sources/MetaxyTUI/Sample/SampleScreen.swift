import MetaxyCore

/// The Sample screen: one sample through every feature (`store lookup`), in dependency order,
/// each feature coloured by the sample's state there, with why it is stale a key away.
struct SampleScreen: ScreenModel, Sendable {
    let uid: SampleUID
    /// Which lookup this screen waits for (`AppState.lookups`).
    let request: Int
    /// Where Esc goes back to.
    let from: Screen
    var lookup: SampleLookup?
    /// Why the lookup failed.
    var problem: String?
    /// Into `lookup.features`.
    var cursor = 0
    /// Enter: the selected feature's why panel, field by field.
    var whyOpen = false

    init(uid: SampleUID, request: Int, from: Screen) {
        self.uid = uid
        self.request = request
        self.from = from
    }

    /// The lookup arrived: the cursor starts on the first stale feature, where to look first.
    mutating func loaded(_ new: SampleLookup) {
        lookup = new
        problem = nil
        cursor = new.firstStale.flatMap { first in new.features.firstIndex { $0.key == first.key } } ?? 0
    }

    var selected: SampleLookup.Feature? { lookup.flatMap { $0.features.indices.contains(cursor) ? $0.features[cursor] : nil } }

    mutating func update(_ command: Command, _ context: inout ScreenContext) -> Bool {
        let count = lookup?.features.count ?? 0
        let page = max(1, context.size.height - 6)
        switch command {
        case .up: move(-1, count)
        case .down: move(1, count)
        case .pageUp, .halfPageUp: move(-page, count)
        case .pageDown, .halfPageDown: move(page, count)
        case .top: move(-count, count)
        case .bottom: move(count, count)
        case .open, .why:
            guard selected != nil else { return true }
            whyOpen = command == .why ? true : !whyOpen
        case .nextChange, .previousChange: stepToStale(forward: command == .nextChange, &context)
        case .jumpUpstream:
            guard let feature = selected, let lookup else { return true }
            // Where a stale field's change came from, else the first feature it depends on.
            let upstream = feature.causes.compactMap(\.upstreamFeature).first
                ?? context.graph.upstream[feature.feature].first.map(context.graph.key)
            guard let upstream, let i = lookup.features.firstIndex(where: { $0.key == upstream }) else {
                context.say("\(feature.key) is a root: it depends on no feature")
                return true
            }
            cursor = i
        case .back:
            if whyOpen { whyOpen = false } else { context.show = from }
        default: return false
        }
        return true
    }

    private mutating func move(_ delta: Int, _ count: Int) {
        cursor = max(0, min(count - 1, cursor + delta))
    }

    /// `n`/`N`: the next (previous) stale feature in dependency order, down (up) the pipeline.
    private mutating func stepToStale(forward: Bool, _ context: inout ScreenContext) {
        guard let features = lookup?.features, features.indices.contains(cursor) else { return }
        let order = forward ? Array(features.indices.dropFirst(cursor + 1)) : Array(features.indices.prefix(cursor).reversed())
        guard let next = order.first(where: { features[$0].state.isStale }) else {
            context.say("no stale feature \(forward ? "after" : "before") \(features[cursor].key) in dependency order for sample \(uid)")
            return
        }
        cursor = next
    }
}

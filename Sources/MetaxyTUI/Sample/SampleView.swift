import MetaxyCore
import TerminalKit

/// The Sample screen: the features in dependency order on the left, each with the sample's state
/// there (coloured, with a glyph) and where a change came in (◆); the selected feature on the right.
enum SampleView {
    static func draw(_ state: AppState, _ layout: Layout, into buffer: inout ScreenBuffer) {
        guard let s = state.sampleScreen else { return }
        let size = layout.size
        var x = buffer.put(" sample \(s.uid) ", x: 0, y: 1, role: .title, limit: size.width / 2, ellipsis: true)
        guard let lookup = s.lookup else {
            let text = s.problem.map { "could not look it up: \($0)" } ?? "looking it up in every feature…"
            buffer.wrapped(text, x: x, y: 1, width: size.width - x, height: size.height - 3, role: s.problem == nil ? .warning : .error)
            return
        }
        x += buffer.put(summary(lookup), x: x, y: 1, role: lookup.firstStale == nil ? .added : .stale, ellipsis: true)
        let notes = notes(lookup)
        let naturalKey = (lookup.features.map { CellWidth.of($0.key.string) }.max() ?? 0) + 1
        let naturalNote = notes.map { CellWidth.of($0) }.max() ?? 0
        let natural = 2 + 2 + naturalKey + 8 + 6 + naturalNote + 4
        let box = Rect(x: 0, y: 2, width: max(24, min(natural, size.width * 58 / 100)), height: size.height - 4)
        buffer.box(box, title: "Features · dependency order", role: .focusBorder)
        let inner = box.inset(1)
        let columns = Columns.widths([.fixed(1), Columns.Spec(minimum: min(naturalKey, 24), natural: naturalKey), Columns.Spec(minimum: 7, natural: 7),
                                      Columns.Spec(minimum: 4, natural: 5), Columns.Spec(minimum: 0, natural: naturalNote)],
                                     total: inner.width)
        buffer.row([(" ", .muted), ("feature", .muted), ("state", .muted), ("rows", .muted), ("", .muted)], widths: columns, x: inner.x, y: inner.y)
        let visible = max(0, inner.height - 1)
        let top = max(0, s.cursor - visible + 1)
        for (i, feature) in lookup.features.enumerated().dropFirst(top).prefix(visible) {
            let y = inner.y + 1 + i - top, role = Self.role(feature.state)
            buffer.row([(feature.state.glyph, role), (feature.key.string, .feature), (feature.state.rawValue, role),
                        (String(feature.rows), .text), (notes[i], notes[i].hasPrefix("◆") ? .warning : .changed)],
                       widths: columns, x: inner.x, y: y)
            if i == s.cursor { buffer.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), role: .selection) }
        }
        if let feature = s.selected {
            drawDetail(feature, s, state.graph, Rect(x: box.maxX, y: 2, width: size.width - box.maxX, height: box.height), into: &buffer)
        }
    }

    static func summary(_ lookup: SampleLookup) -> String {
        if lookup.storedNowhere { return "no feature stores this sample_uid" }
        let stale = lookup.features.filter(\.state.isStale)
        guard let first = stale.first else { return "no stale feature: fresh wherever it is stored" }
        return "stale in \(counted(stale.count, "feature")) · first \(first.key) (\(first.state.rawValue))"
    }

    /// Per feature: a changed one names its causes; one whose value caused a change says so (◆).
    /// The readers are gathered in one pass, so a frame costs the graph's size, not its square.
    static func notes(_ lookup: SampleLookup) -> [String] {
        var readers: [FeatureKey: [FeatureKey]] = [:]
        for feature in lookup.features {
            for upstream in Set(feature.causes.compactMap(\.upstreamFeature)) { readers[upstream, default: []].append(feature.key) }
        }
        return lookup.features.map { feature in
            if !feature.causes.isEmpty {
                return feature.causes.map { "\($0.field) ← \($0.upstream ?? "no input")" }.joined(separator: ", ")
            }
            guard let found = readers[feature.key], let reader = found.first else { return "" }
            return "◆ read by \(reader)" + (found.count > 1 ? " +\(found.count - 1)" : "")
        }
    }

    static func role(_ state: SampleLookup.State) -> Role {
        switch state {
        case .fresh: .added
        case .changed: .stale
        case .added: .changed
        case .removed: .removed
        case .missing: .muted
        }
    }

    static func meaning(_ feature: SampleLookup.Feature) -> String {
        switch feature.state {
        case .fresh: feature.root ? "stored (a root: its data versions come from the user)"
            : "stored at the current feature version, every field as its upstream rows give it"
        case .changed: "a field's stored data version is not what its upstream rows give now"
        case .added: "every upstream has this sample; not stored here at the current feature version"
        case .removed: "stored here, but gone from an upstream, so no longer one of its targets"
        case .missing: feature.root ? "not stored at the current feature version"
            : "not stored here at the current feature version, and not in every upstream"
        }
    }

    static func drawDetail(_ feature: SampleLookup.Feature, _ s: SampleScreen, _ graph: FeatureGraph, _ box: Rect,
                           into buffer: inout ScreenBuffer) {
        guard box.width >= 6, box.height >= 3 else { return }
        buffer.box(box, title: feature.key.string, role: .border)
        var inner = box.inset(1)
        inner = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 1, height: inner.height)
        var y = inner.y
        func line(_ text: String, _ role: Role) { Span.writeWrapped(text, role, in: inner, y: &y, into: &buffer) }
        // With why open, the why panel has the room: its inputs say what moved.
        guard !s.whyOpen else {
            line("\(feature.state.glyph) \(feature.state.rawValue) · \(counted(feature.rows, "row"))", role(feature.state))
            StoreView.drawWhy(feature.why, Rect(x: inner.x, y: y, width: inner.width, height: inner.maxY - y), into: &buffer)
            return
        }
        line("\(feature.state.glyph) \(feature.state.rawValue)\(feature.state.isStale ? " (stale)" : ""): \(meaning(feature))", role(feature.state))
        let current = graph.index(of: feature.key).map(graph.featureVersion)
        line(counted(feature.rows, "row") + (feature.featureVersions.isEmpty ? "" : " at feature version"
            + (feature.featureVersions.count == 1 ? " " : "s ")
            + feature.featureVersions.map { $0.prefix(8) + ($0 == current ? " (current)" : "") }.joined(separator: ", ")), .muted)
        for cause in feature.causes {
            line("\(cause.field) ← \(cause.upstream ?? "no upstream field")", .changed)
            line("  was \(cause.wasText)", .muted)
            line("  now \(cause.expected ?? "—")", .changed)
        }
        y += 1
        line("⏎ why, field by field · n/N next stale · u upstream", .keyHint)
    }
}

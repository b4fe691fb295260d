import MetaxyCore
import TerminalKit

/// A run of text in one role.
struct Span: Equatable, Sendable {
    let text: String
    let role: Role

    init(_ text: String, _ role: Role = .text) {
        self.text = text
        self.role = role
    }
}

extension ScreenBuffer {
    /// Spans side by side from `x`, within `width` columns; a line that does not fit ends in "…".
    mutating func spans(_ spans: [Span], x: Int, y: Int, width: Int) {
        guard width > 0 else { return }
        let total = spans.reduce(0) { $0 + CellWidth.of($1.text) }
        let room = total > width ? width - 1 : width
        var cx = x
        for span in spans where cx < x + room { cx += put(span.text, x: cx, y: y, role: span.role, limit: x + room - cx) }
        if total > width { put("…", x: x + width - 1, y: y, role: .muted) }
    }
}

extension Span {
    /// A line of spans broken into lines of at most `width` columns, at the last space that fits
    /// (mid-word only when a word is longer than the line); continuation lines are indented by
    /// `indent` columns, so a wrapped entry reads as one.
    static func wrap(_ spans: [Span], width: Int, indent: Int = 4) -> [[Span]] {
        guard width > indent + 4 else { return [spans] }
        var cells: [(Character, Role)] = spans.flatMap { span in span.text.map { ($0, span.role) } }
        guard cells.reduce(0, { $0 + CellWidth.of($1.0) }) > width else { return [spans] }
        var lines: [[Span]] = []
        var limit = width
        while !cells.isEmpty {
            var used = 0, end = 0, lastSpace: Int?
            while end < cells.count, used + CellWidth.of(cells[end].0) <= limit {
                if cells[end].0 == " ", end > 0 { lastSpace = end }
                used += CellWidth.of(cells[end].0)
                end += 1
            }
            if end < cells.count, let space = lastSpace { end = space }
            end = max(1, end)
            let prefix = lines.isEmpty ? [] : [Span(String(repeating: " ", count: indent))]
            lines.append(prefix + runs(cells[..<end]))
            cells.removeFirst(end)
            while cells.first?.0 == " " { cells.removeFirst() }
            limit = width - indent
        }
        return lines
    }

    /// Writes `text` from row `y` of `rect` (moving `y` on), wrapped, its continuation lines
    /// indented two past its own leading spaces; nothing below the rectangle. The why panels'
    /// lines, where versions are long.
    static func writeWrapped(_ text: String, _ role: Role, in rect: Rect, y: inout Int, into buffer: inout ScreenBuffer) {
        let indent = text.prefix { $0 == " " }.count + 2
        for spans in wrap([Span(text, role)], width: rect.width, indent: indent) where y < rect.maxY {
            buffer.spans(spans, x: rect.x, y: y, width: rect.width)
            y += 1
        }
    }

    /// Characters with roles back into spans, one per run of a role.
    private static func runs(_ cells: ArraySlice<(Character, Role)>) -> [Span] {
        var spans: [Span] = []
        var text = "", role: Role?
        for (c, r) in cells {
            if r != role, let current = role { spans.append(Span(text, current)); text = "" }
            role = r
            text.append(c)
        }
        if let role { spans.append(Span(text, role)) }
        return spans
    }
}

/// What Enter on a detail line leads to.
enum DetailTarget: Equatable, Sendable {
    /// A field of the shown feature: selecting it shows its lineage.
    case field(Int)
    /// Another feature: Enter jumps there.
    case feature(Int)
    /// A field of another feature, from a lineage list: Enter jumps there and selects it.
    case otherField(FieldRef)
}

struct DetailLine: Equatable, Sendable {
    var spans: [Span]
    var target: DetailTarget?

    init(_ spans: [Span] = [], target: DetailTarget? = nil) {
        self.spans = spans
        self.target = target
    }
}

/// The right pane of the Graph screen: one feature's versions, fields, deps, neighbours and,
/// for the selected field, its lineage. A pure function of the graph and the selection.
enum FeatureDetail {
    static func versionText(_ version: String, full: Bool) -> String { full ? version : String(version.prefix(8)) }

    static func lines(graph: FeatureGraph, feature f: Int, selectedField: Int?, fullVersions: Bool) -> [DetailLine] {
        let spec = graph.specs[f]
        var lines: [DetailLine] = []
        let kind = graph.isRoot(f) ? "root" : graph.downstream[f].isEmpty ? "leaf" : "intermediate"
        if fullVersions {
            // 64 hex digits do not fit beside the label in a 120-column terminal.
            lines.append(DetailLine([Span("feature version", .muted)]))
            lines.append(DetailLine([Span("  "), Span(graph.featureVersion(f), .version)]))
        } else {
            lines.append(DetailLine([Span("feature version  ", .muted), Span(versionText(graph.featureVersion(f), full: false), .version)]))
        }
        if let feature = graph.project?.graph.feature(spec.key.string) {
            // metaxy 0.1.x: no feature code version; samples are identified by the id columns.
            lines.append(DetailLine([Span("id columns       ", .muted), Span(feature.idColumns.joined(separator: ", "))]))
        } else {
            lines.append(DetailLine([Span("code version     ", .muted), Span(String(spec.codeVersion))]))
        }
        lines.append(DetailLine([Span("kind             ", .muted), Span(kind),
                                 Span("  ·  \(counted(spec.fields.count, "field"))", .muted)]))
        lines.append(DetailLine())

        lines.append(DetailLine([Span("Fields", .title)]))
        let keyWidth = min(24, max(5, spec.fields.map { CellWidth.of($0.key.string) }.max() ?? 0))
        // Full versions go on a line of their own under each field, so nothing is cut at 120 columns.
        let versionColumn = fullVersions ? "" : pad("version", 8) + "  "
        lines.append(DetailLine([Span("  " + pad("key", keyWidth) + "  code  " + versionColumn + "deps", .muted)]))
        for (i, field) in spec.fields.enumerated() {
            let ref = FieldRef(feature: f, field: i)
            let parents = graph.parents(of: ref).map(graph.fqString)
            var spans = [Span("  "), Span(pad(field.key.string, keyWidth), .field), Span("  " + pad(field.codeVersionText, 4) + "  ")]
            if !fullVersions { spans += [Span(versionText(graph.fieldVersion(ref), full: false), .version), Span("  ")] }
            spans.append(Span(parents.isEmpty ? "—" : parents.joined(separator: ", "), parents.isEmpty ? .muted : .text))
            lines.append(DetailLine(spans, target: .field(i)))
            if fullVersions { lines.append(DetailLine([Span("    "), Span(graph.fieldVersion(ref), .version)])) }
        }

        lines.append(DetailLine())
        let deps = spec.deps ?? []
        let allDown = graph.reachable(from: f, upstream: false).count, allUp = graph.reachable(from: f, upstream: true).count
        lines.append(DetailLine([Span("Feature deps", .title),
                                 Span(deps.isEmpty ? "  none (a root feature)" : "  \(deps.count) direct, \(allUp) upstream in all", .muted)]))
        for dep in deps {
            var spans = [Span("  ↑ "), Span(dep.key.string, .feature)]
            if let columns = dep.columns { spans.append(Span("  columns: " + (columns.isEmpty ? "none" : columns.joined(separator: ", ")), .muted)) }
            if let rename = dep.rename, !rename.isEmpty {
                spans.append(Span("  rename: " + rename.map { "\($0.from) → \($0.to)" }.joined(separator: ", "), .muted))
            }
            lines.append(DetailLine(spans, target: graph.index(of: dep.key).map(DetailTarget.feature)))
        }

        let downstream = graph.downstream[f]
        lines.append(DetailLine())
        lines.append(DetailLine([Span("Downstream", .title),
                                 Span(downstream.isEmpty ? "  none (a leaf feature)" : "  \(downstream.count) direct, \(allDown) in all", .muted)]))
        for d in downstream.prefix(listLimit) { lines.append(DetailLine([Span("  ↓ "), Span(graph.key(d).string, .feature)], target: .feature(d))) }
        lines.append(contentsOf: more(downstream.count))

        if let field = selectedField, field < spec.fields.count {
            lines.append(contentsOf: lineage(graph: graph, field: FieldRef(feature: f, field: field)))
        }
        return lines
    }

    private static func lineage(graph: FeatureGraph, field: FieldRef) -> [DetailLine] {
        let lineage = FieldLineage(graph: graph, field: field)
        var lines = [DetailLine(), DetailLine([Span("Lineage of ", .title), Span(graph.fieldKey(field).string, .field)])]
        func section(_ title: String, _ refs: [FieldRef], empty: String) {
            lines.append(DetailLine([Span("  " + title, .muted), Span(refs.isEmpty ? "  " + empty : "  (\(refs.count))", .muted)]))
            for ref in refs.prefix(listLimit) {
                lines.append(DetailLine([Span("    "), Span(graph.key(ref.feature).string, .feature), Span("."), Span(graph.fieldKey(ref).string, .field)],
                                        target: .otherField(ref)))
            }
            lines.append(contentsOf: more(refs.count))
        }
        section("depends on", lineage.upstreamFields, empty: "none: only its code version")
        section("feeds", lineage.downstreamFields, empty: "no downstream field")
        lines.append(DetailLine([Span("  cannot affect", .muted),
                                 Span(lineage.unaffectedFeatures.isEmpty ? "  none: every downstream feature reads it" : "  (\(lineage.unaffectedFeatures.count))", .muted)]))
        for f in lineage.unaffectedFeatures.prefix(listLimit) {
            lines.append(DetailLine([Span("    "), Span(graph.key(f).string, .unchanged)], target: .feature(f)))
        }
        lines.append(contentsOf: more(lineage.unaffectedFeatures.count))
        return lines
    }

    /// Lists longer than this show their first entries and a count: thousands of lines help nobody
    /// in a pane, and building them would cost a keypress more than its 16 ms.
    static let listLimit = 200

    private static func more(_ count: Int) -> [DetailLine] {
        count > listLimit ? [DetailLine([Span("    … and \(count - listLimit) more; `graph render --feature KEY` lists them all", .muted)])] : []
    }

    static func pad(_ text: String, _ width: Int) -> String {
        let w = CellWidth.of(text)
        return w >= width ? text : text + String(repeating: " ", count: width - w)
    }
}

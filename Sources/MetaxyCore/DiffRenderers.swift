/// `graph diff` output: the JSON contract (DESIGN §4, plus causes), YAML of the same data, text
/// with glyphs (and colour when asked), and mermaid and dot drawings of the merged graph shaped
/// like metaxy's (reference §8.3) but in a fixed order.
extension GraphDiff {
    /// The features (and, with `changedOnly`, only their changed fields) a renderer shows.
    public func shown(changedOnly: Bool) -> [FeatureDiff] {
        guard changedOnly else { return features }
        return features.filter { $0.status != .unchanged }.map { f in
            FeatureDiff(key: f.key, status: f.status, oldVersion: f.oldVersion, newVersion: f.newVersion,
                        fields: f.fields.filter { $0.status != .unchanged || f.status != .changed }, old: f.old, new: f.new)
        }
    }

    public func json(changedOnly: Bool = false) -> JSONValue {
        func version(_ v: String?) -> JSONValue { v.map(JSONValue.string) ?? .null }
        return .object([
            ("from_snapshot_version", .string(old.snapshotVersion)),
            ("to_snapshot_version", .string(new.snapshotVersion)),
            ("features", .array(shown(changedOnly: changedOnly).map { f in
                .object([
                    ("key", .string(f.key)), ("status", .string(f.status.rawValue)),
                    ("old_version", version(f.oldVersion)), ("new_version", version(f.newVersion)),
                    ("fields", .array(f.fields.map { field -> JSONValue in
                        var members: [(String, JSONValue)] = [
                            ("key", .string(field.key)), ("status", .string(field.status.rawValue)),
                            ("old_version", version(field.oldVersion)), ("new_version", version(field.newVersion)),
                        ]
                        if field.status == .changed {
                            members.append(("causes", .array(causes(f, field).map { cause in
                                .object([("field", .string(cause.field)), ("reason", .string(cause.reason)),
                                         ("via", cause.via.map(JSONValue.string) ?? .null)])
                            })))
                        }
                        return .object(members)
                    })),
                ])
            })),
        ])
    }

    /// Colour for text output: ANSI when writing to a terminal, nothing otherwise.
    public struct TextColors: Sendable {
        let added: String, removed: String, changed: String, muted: String, reset: String
        public static let none = TextColors(added: "", removed: "", changed: "", muted: "", reset: "")
        public static let ansi = TextColors(added: "\u{1B}[32m", removed: "\u{1B}[31m", changed: "\u{1B}[33m",
                                            muted: "\u{1B}[2m", reset: "\u{1B}[0m")

        func of(_ status: Status) -> String {
            switch status {
            case .added: added
            case .removed: removed
            case .changed: changed
            case .unchanged: ""
            }
        }
    }

    /// Causes shown per field in text; a person reads a few, JSON has every one.
    static let textCauseLimit = 5

    /// One line per feature and per field, with `+ - ~` and `old → new`, then the causes of each
    /// changed field.
    public func text(changedOnly: Bool = false, colors: TextColors = .none) -> String {
        func short(_ v: String?) -> String { v.map { String($0.prefix(8)) } ?? "none" }
        func versions(_ status: Status, _ old: String?, _ new: String?) -> String {
            switch status {
            case .changed: "\(colors.removed)\(short(old))\(colors.reset) → \(colors.added)\(short(new))\(colors.reset)"
            case .removed: short(old)
            default: short(new)
            }
        }
        var out = "\(old.snapshotVersion.prefix(8)) → \(new.snapshotVersion.prefix(8)): \(summary)\n"
        for f in shown(changedOnly: changedOnly) {
            let color = colors.of(f.status), tag = f.status == .unchanged ? "" : " (\(f.status.rawValue))"
            out += "\n\(color)\(f.status.glyph)\(colors.reset) \(f.key)\(color)\(tag)\(colors.reset)  \(versions(f.status, f.oldVersion, f.newVersion))\n"
            for field in f.fields {
                let c = colors.of(field.status)
                out += "    \(c)\(field.status.glyph)\(colors.reset) \(field.key)  \(versions(field.status, field.oldVersion, field.newVersion))\n"
                let all = causes(f, field)
                for cause in all.prefix(Self.textCauseLimit) {
                    let chain = cause.via == nil ? [] : self.chain(cause, f, field)
                    out += "        \(colors.muted)because \(cause.field): \(cause.reason)"
                    out += chain.count > 1 ? " (via \(chain.joined(separator: " → ")))" : ""
                    out += "\(colors.reset)\n"
                }
                if all.count > Self.textCauseLimit {
                    out += "        \(colors.muted)and \(counted(all.count - Self.textCauseLimit, "more cause")) (--format json lists them all)\(colors.reset)\n"
                }
            }
        }
        return out
    }

    /// Dependencies of a feature in the merged view: from the new graph, or the old for a removed one.
    func dependencies(_ f: FeatureDiff) -> [String] {
        if let n = f.new { return new.upstream[n].map { new.key($0).string } }
        if let o = f.old { return old.upstream[o].map { old.key($0).string } }
        return []
    }

    /// metaxy's `Merged Graph Diff` flowchart (4-space indent, 6-character hashes), nodes and
    /// edges sorted by key instead of Python's set order.
    public func mermaid() -> String {
        func hash(_ v: String?) -> String { v.map { String($0.prefix(6)) } ?? "none" }
        func id(_ key: String) -> String { String(key.map { $0 == "/" || $0 == "-" ? "_" : $0 }) }
        var lines = ["---", "title: Merged Graph Diff", "---", "flowchart TB",
                     "    %%{init: {'flowchart': {'htmlLabels': true, 'curve': 'basis'}, 'themeVariables': {'fontSize': '14px'}}}%%", ""]
        if features.isEmpty {
            lines.append("    Empty[No features]")
            return lines.joined(separator: "\n")
        }
        var edges: [(String, String)] = []
        for f in features {
            var label = ["<b>\(f.key)</b>"]
            switch f.status {
            case .changed: label.append("<font color=\"#CC0000\">\(hash(f.oldVersion))</font> → <font color=\"#00AA00\">\(hash(f.newVersion))</font>")
            case .removed: label.append(hash(f.oldVersion))
            default: label.append(hash(f.newVersion))
            }
            if !f.fields.isEmpty { label.append("<font color=\"#999\">---</font>") }
            for field in f.fields {
                switch (f.status, field.status) {
                case (.changed, .added): label.append("<font color=\"#00AA00\">- \(field.key) (\(hash(field.newVersion)))</font>")
                case (.changed, .removed): label.append("<font color=\"#CC0000\">- \(field.key) (\(hash(field.oldVersion)))</font>")
                case (.changed, .changed):
                    label.append("- <font color=\"#FFAA00\">\(field.key)</font> (<font color=\"#CC0000\">\(hash(field.oldVersion))</font> → "
                        + "<font color=\"#00AA00\">\(hash(field.newVersion))</font>)")
                case (.removed, _): label.append("- \(field.key) (\(hash(field.oldVersion)))")
                default: label.append("- \(field.key) (\(hash(field.newVersion)))")
                }
            }
            lines.append("    \(id(f.key))[\"<div style=\"text-align:left\">\(label.joined(separator: "<br/>"))</div>\"]")
            switch f.status {
            case .added: lines.append("    style \(id(f.key)) stroke:#00FF00,stroke-width:2px")
            case .removed: lines.append("    style \(id(f.key)) stroke:#FF0000,stroke-width:2px")
            case .changed: lines.append("    style \(id(f.key)) stroke:#FFAA00,stroke-width:2px")
            case .unchanged: break
            }
            edges += dependencies(f).map { ($0, f.key) }
        }
        lines.append("")
        for (from, to) in edges.sorted(by: { codePointLess($0.0, $1.0) || ($0.0 == $1.0 && codePointLess($0.1, $1.1)) }) {
            lines.append("    \(id(from)) --> \(id(to))")
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }

    /// metaxy's diff drawing for graphviz (§8.2's layout with status badges), fields included.
    public func dot() -> String {
        func short(_ v: String?) -> String { v.map { String($0.prefix(8)) } ?? "none" }
        func version(_ status: Status, _ old: String?, _ new: String?) -> String {
            switch status {
            case .changed: "\(short(old)) → \(short(new))"
            case .removed: "none"
            default: short(new)
            }
        }
        let colors: [Status: String] = [.added: "#00FF00", .removed: "#FF0000", .changed: "#FFAA00", .unchanged: "#00FFFF"]
        var lines = ["strict digraph {", "    rankdir=TB;", "    label=\"Graph (snapshot: none)\";", "    labelloc=t;",
                     "    fontsize=14;", "    fontname=helvetica;", ""]
        var edges: [(String, String)] = []
        for f in features {
            let shape = dependencies(f).isEmpty ? "doubleoctagon" : "box"
            lines.append("    \"\(f.key)\" [label=\"\(f.key)\\n[\(f.status.rawValue.uppercased())]\\nv: "
                + "\(version(f.status, f.oldVersion, f.newVersion))\", shape=\(shape), color=\"\(colors[f.status]!)\"];")
            edges += dependencies(f).map { ($0, f.key) }
        }
        lines.append("")
        for (from, to) in edges.sorted(by: { codePointLess($0.0, $1.0) || ($0.0 == $1.0 && codePointLess($0.1, $1.1)) }) {
            lines.append("    \"\(from)\" -> \"\(to)\";")
        }
        lines.append("")
        for f in features {
            for field in f.fields {
                let node = "\(f.key)::\(field.key)", badge = field.status == .unchanged ? "" : " [\(field.status.glyph)]"
                lines.append("    \"\(node)\" [label=\"\(field.key)\\nv: \(version(field.status, field.oldVersion, field.newVersion))\(badge)\", "
                    + "shape=ellipse, color=\"\(field.status == .unchanged ? "#5F87AF" : colors[field.status]!)\", fontsize=10];")
                lines.append("    \"\(f.key)\" -> \"\(node)\" [style=dashed, arrowhead=none];")
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}

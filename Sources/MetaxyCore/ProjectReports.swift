/// What metaxy's reading commands print about a graph (`list features`, `graph describe`), with
/// the same values, as text and as JSON. Features come in declaration order: for a live graph,
/// the order the project's Python registered them in, which is metaxy's.
public enum ProjectReports {
    /// `metaxy list features`: every feature with its version, its deps as metaxy prints a
    /// `FeatureDep` (`key=a/b columns=None rename=None`) and its fields.
    public static func featureList(_ graph: FeatureGraph) -> String {
        var out = ""
        for f in graph.specs.indices {
            let spec = graph.specs[f]
            out += "---\n\(spec.key.string) (version \(graph.featureVersion(f)))\n"
            if let deps = spec.deps, !deps.isEmpty {
                out += "  Feature Dependencies:\n"
                for dep in deps { out += "    key=\(dep.key.string) columns=\(pythonRepr(dep.columns)) rename=\(pythonRepr(dep.rename))\n" }
            }
            out += "  Fields:\n"
            for (i, field) in spec.fields.enumerated() {
                out += "    \(field.key.string) (code_version \(field.codeVersionText), version \(graph.fieldVersion(f, i)))\n"
            }
        }
        return out
    }

    public static func featureListJSON(_ graph: FeatureGraph) -> JSONValue {
        .array(graph.specs.indices.map { f in
            let spec = graph.specs[f]
            let deps: [JSONValue] = (spec.deps ?? []).map { dep in
                .object([("key", .string(dep.key.string)), ("columns", dep.columns.map { .array($0.map(JSONValue.string)) } ?? .null),
                         ("rename", dep.rename.map { .object($0.map { ($0.from, .string($0.to)) }) } ?? .null)])
            }
            let fields: [JSONValue] = spec.fields.enumerated().map { i, field in
                .object([("key", .string(field.key.string)), ("code_version", field.codeText.map(JSONValue.string) ?? .int(field.codeVersion)), ("version", .string(graph.fieldVersion(f, i)))])
            }
            return .object([("key", .string(spec.key.string)), ("feature_version", .string(graph.featureVersion(f))),
                            ("deps", .array(deps)), ("fields", .array(fields))])
        })
    }

    /// `metaxy graph describe`: the snapshot version, how many features, the longest chain of
    /// features (roots count 1) and the roots, in declaration order.
    public struct Description: Sendable {
        public let snapshotVersion: String
        public let featureCount: Int
        public let depth: Int
        public let roots: [String]

        public init(_ graph: FeatureGraph) {
            snapshotVersion = graph.snapshotVersion
            featureCount = graph.count
            depth = graph.depth
            roots = graph.specs.indices.filter(graph.isRoot).map { graph.key($0).string }
        }

        public func text(heading: String) -> String {
            """
            \(heading)

            Graph snapshot  \(snapshotVersion)
              Feature Count  \(featureCount)
              Graph Depth    \(depth)
              Root Features  \(roots.count)

            Root Features:
            \(roots.map { "  • " + $0 }.joined(separator: "\n"))

            """
        }

        public var json: JSONValue {
            .object([("snapshot_version", .string(snapshotVersion)), ("feature_count", .int(featureCount)), ("graph_depth", .int(depth)),
                     ("root_features", .array(roots.map(JSONValue.string)))])
        }
    }

    /// Python's repr of an optional tuple of names (`None`, `('a',)`, `('a', 'b')`).
    static func pythonRepr(_ columns: [String]?) -> String {
        guard let columns else { return "None" }
        return columns.count == 1 ? "(\(pythonString(columns[0])),)" : "(" + columns.map(pythonString).joined(separator: ", ") + ")"
    }

    /// Python's repr of an optional dict (`None`, `{'a': 'b'}`).
    static func pythonRepr(_ rename: [FeatureDep.Rename]?) -> String {
        guard let rename else { return "None" }
        return "{" + rename.map { "\(pythonString($0.from)): \(pythonString($0.to))" }.joined(separator: ", ") + "}"
    }

    /// Python's repr of a str: single quotes unless the text has one and no double quote.
    static func pythonString(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for c in text {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case quote: out += "\\" + String(c)
            default: out.append(c)
            }
        }
        return out + String(quote)
    }
}

import MetaxyCore

/// `store status` output: the contract's JSON (DESIGN §4) and a table for people.
public enum StatusReport {
    public static func json(_ statuses: [FeatureStatus], graph: FeatureGraph, algorithm: HashAlgorithm, ids: Bool) -> JSONValue {
        .object([
            ("snapshot_version", .string(graph.snapshotVersion)),
            ("hash_algorithm", .string(algorithm.rawValue)),
            ("features", .object(statuses.map { status in
                var fields: [(String, JSONValue)] = [
                    ("feature_version", .string(status.featureVersion)), ("root", .bool(status.root)),
                    ("stored_rows", .int(status.storedRows)), ("current_rows", .int(status.currentRows)),
                    ("added", .int(status.added.count)), ("changed", .int(status.changed.count)),
                    ("removed", .int(status.removed.count)),
                ]
                if ids {
                    fields += [("added_ids", .array(status.added.map(\.jsonValue))),
                               ("changed_ids", .array(status.changed.map(\.jsonValue))),
                               ("removed_ids", .array(status.removed.map(\.jsonValue)))]
                }
                return (status.key.string, .object(fields))
            })),
        ])
    }

    public static func text(_ statuses: [FeatureStatus], ids: Bool) -> String {
        let rows = statuses.map { s in
            [s.key.string + (s.root ? " (root)" : ""), String(s.storedRows), String(s.currentRows),
             s.root ? "-" : String(s.added.count), s.root ? "-" : String(s.changed.count),
             s.root ? "-" : String(s.removed.count)]
        }
        var out = table(["feature", "stored", "current", "+added", "~changed", "-removed"], rows)
        if ids {
            for s in statuses where !s.isFresh {
                for (name, set) in [("added", s.added), ("changed", s.changed), ("removed", s.removed)] where !set.isEmpty {
                    out.append("\(s.key) \(name): " + set.map(\.description).joined(separator: " "))
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Lines of a table: the first column left-aligned, the others right-aligned.
    static func table(_ header: [String], _ rows: [[String]]) -> [String] {
        let widths = header.indices.map { c in ([header] + rows).map { displayWidth($0[c]) }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - displayWidth(cell))
                return c == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        return ([header] + rows).map(line)
    }
}

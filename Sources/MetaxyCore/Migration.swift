import Foundation
import Yams

/// A migration file as metaxy 0.0.0 writes and reads it (`<migrations_dir>/<id>.yaml`,
/// reference §10): the keys in metaxy's order, the op class paths, nothing else.
public struct Migration: Sendable, Equatable {
    public static let reconciliation = "metaxy.migrations.ops.DataVersionReconciliation"
    /// The parent of the first migration.
    public static let initial = "initial"

    public let id: String
    /// ISO 8601 with the zone, as Python's `datetime.isoformat()` gives it.
    public let createdAt: String
    public let parent: String
    public let fromSnapshot: String
    public let toSnapshot: String
    public let ops: [String]

    public init(id: String, createdAt: String, parent: String, fromSnapshot: String, toSnapshot: String,
                ops: [String] = [Migration.reconciliation]) {
        self.id = id
        self.createdAt = createdAt
        self.parent = parent
        self.fromSnapshot = fromSnapshot
        self.toSnapshot = toSnapshot
        self.ops = ops
    }

    /// metaxy's id: UTC `%Y%m%d_%H%M%S`, then `_name` when named; and `created_at` for the same instant.
    public static func stamp(_ date: Date, name: String?) -> (id: String, createdAt: String) {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var seconds = time_t(micros / 1_000_000)
        var t = tm()
        gmtime_r(&seconds, &t)
        let (year, month, day) = (Int(t.tm_year) + 1900, Int(t.tm_mon) + 1, Int(t.tm_mday))
        let (hour, minute, second) = (Int(t.tm_hour), Int(t.tm_min), Int(t.tm_sec))
        let fraction = micros % 1_000_000 == 0 ? "" : String(format: ".%06d", Int(micros % 1_000_000))
        let id = String(format: "%04d%02d%02d_%02d%02d%02d", year, month, day, hour, minute, second)
        let iso = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hour, minute, second) + fraction + "+00:00"
        return (id + (name.map { "_" + $0 } ?? ""), iso)
    }

    /// A name fit for a file name and a YAML plain scalar.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    /// Refuses a `--name` that is not one.
    public static func checkName(_ name: String?) throws(MigrationError) {
        if let name, !isValidName(name) {
            throw MigrationError("--name '\(name)' must be letters, digits, _ and - only: it becomes part of the file name")
        }
    }

    /// The file's text, byte for byte as `yaml.safe_dump(sort_keys=False)` writes it.
    public var yaml: String {
        """
        id: \(Self.scalar(id))
        created_at: \(Self.scalar(createdAt))
        parent: \(Self.scalar(parent))
        from_snapshot_version: \(Self.scalar(fromSnapshot))
        to_snapshot_version: \(Self.scalar(toSnapshot))
        ops:

        """ + ops.map { "- type: \(Self.scalar($0))\n" }.joined()
    }

    /// PyYAML quotes (with single quotes) what YAML 1.1 would read as something other than a
    /// string: here, digits and underscores (an integer) and timestamps (anything with a colon).
    static func scalar(_ text: String) -> String {
        let plain = !text.isEmpty && !text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "_") }
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-./".contains($0)) }
            && !["yes", "no", "on", "off", "true", "false", "null", "y", "n"].contains(text.lowercased())
        return plain ? text : "'" + text.replacing("'", with: "''") + "'"
    }

    /// Reads a migration file as metaxy's loader does: `id`, both snapshot versions and `ops`
    /// are required; `created_at` falls back to the id's time, `parent` to `initial`.
    public static func parse(_ text: String, file: String) throws(MigrationError) -> Migration {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
            if case let .parser(_, problem, mark, _) = error {
                throw MigrationError(file: file, line: mark.line, "not valid YAML: \(problem)")
            }
            throw MigrationError(file: file, "not valid YAML: \(error)")
        } catch {
            throw MigrationError(file: file, "not valid YAML: \(error)")
        }
        guard let mapping = root?.mapping else {
            throw MigrationError(file: file, "is not a migration: expected a mapping with id, from_snapshot_version, to_snapshot_version and ops")
        }
        func string(_ key: String) throws(MigrationError) -> String? {
            guard let node = mapping[Node(key)] else { return nil }
            guard let value = node.scalar?.string, !value.isEmpty else {
                throw MigrationError(file: file, line: node.mark.map { $0.line }, "\(key) must be a string")
            }
            return value
        }
        func required(_ key: String) throws(MigrationError) -> String {
            guard let value = try string(key) else { throw MigrationError(file: file, "has no \(key); metaxy needs it in every migration") }
            return value
        }
        let id = try required("id")
        guard let opsNode = mapping[Node("ops")] else { throw MigrationError(file: file, "has no ops; metaxy needs it in every migration") }
        guard let sequence = opsNode.sequence else {
            throw MigrationError(file: file, line: opsNode.mark.map { $0.line }, "ops must be a list of {type: CLASS_PATH}")
        }
        var ops: [String] = []
        for op in sequence {
            guard let type = op.mapping?[Node("type")]?.scalar?.string else {
                throw MigrationError(file: file, line: op.mark.map { $0.line }, "each op must be a mapping with a type (a class path)")
            }
            ops.append(type)
        }
        return Migration(id: id, createdAt: try string("created_at") ?? Self.createdAt(fromID: id) ?? "", parent: try string("parent") ?? initial,
                         fromSnapshot: try required("from_snapshot_version"), toSnapshot: try required("to_snapshot_version"), ops: ops)
    }

    /// `20261201_213822…` as `2026-12-01T21:38:22+00:00`.
    static func createdAt(fromID id: String) -> String? {
        let digits = Array(id.prefix(15))
        guard digits.count == 15, digits[8] == "_", digits.enumerated().allSatisfy({ $0.offset == 8 || $0.element.isNumber }) else { return nil }
        let s = String(digits)
        func part(_ from: Int, _ length: Int) -> Substring { s.dropFirst(from).prefix(length) }
        return "\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(9, 2)):\(part(11, 2)):\(part(13, 2))+00:00"
    }

    /// `2026-12-01 21:38`, as metaxy's list shows it.
    public var createdMinute: String {
        String(createdAt.prefix(16)).replacing("T", with: " ")
    }

    /// Refuses a migration whose ops are not all metaxy's DataVersionReconciliation, the one
    /// op metaxy-tui applies (metaxy's others run the user's own code).
    public func checkOps(file: String) throws(MigrationError) {
        guard ops.isEmpty || ops.contains(where: { $0 != Self.reconciliation }) else { return }
        let listed = ops.isEmpty ? "no ops" : "ops " + ops.joined(separator: ", ")
        throw MigrationError(file: file, "has \(listed): metaxy-tui applies \(Self.reconciliation) only; apply this migration with metaxy")
    }

    /// The op names, without their module.
    public var opNames: [String] { ops.map { $0.split(separator: ".").last.map(String.init) ?? $0 } }
}

/// A problem with a migration file or the chain of them, naming the file (and line) and what to do.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    public let file: String?
    public let line: Int?
    public let message: String

    public init(file: String? = nil, line: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        guard let file else { return "error: \(message)" }
        return "error: \(file)\(line.map { ":\($0)" } ?? ""): \(message)"
    }
}

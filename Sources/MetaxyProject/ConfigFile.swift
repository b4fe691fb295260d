import Foundation
import MetaxyCore
import TOMLKit

/// Where a metaxy project's configuration is, found as metaxy 0.0.0 finds it: from the working
/// directory up to the root, in each directory `metaxy.toml` before `pyproject.toml`, and the
/// first file found ends the search (even a `pyproject.toml` without `[tool.metaxy]`, or an empty
/// `metaxy.toml`).
public enum ConfigFile {
    public static func find(from directory: String) -> String? {
        var current = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            for name in ["metaxy.toml", "pyproject.toml"] {
                let candidate = current.appendingPathComponent(name).path
                if FileManager.default.fileExists(atPath: candidate) { return candidate }
            }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }

    /// The settings the file holds: the whole of `metaxy.toml`, or `[tool.metaxy]` of
    /// `pyproject.toml` (nothing when it has none).
    public static func read(_ path: String) throws(ConfigError) -> JSONValue {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(.load, file: path, "cannot be read as UTF-8 text: \(error.localizedDescription)")
        }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(.load, file: path, line: Int(error.source.begin.line),
                              "is not valid TOML: \(error.description); fix the file and run again")
        } catch {
            throw ConfigError(.load, file: path, "is not valid TOML: \(error)")
        }
        let document = JSONValue(table)
        guard URL(fileURLWithPath: path).lastPathComponent == "pyproject.toml" else { return document }
        return document["tool"]?["metaxy"] ?? .object([])
    }
}

extension JSONValue {
    /// A TOML table as JSON values (dates and times as their TOML text).
    init(_ table: TOMLTable) {
        self = .object(table.keys.sorted().compactMap { key in table[key].map { (key, JSONValue($0)) } })
    }

    init(_ value: TOMLValueConvertible) {
        switch value.type {
        case .table: self = value.table.map(JSONValue.init) ?? .null
        case .array: self = .array(value.array.map { $0.map(JSONValue.init) } ?? [])
        case .string: self = .string(value.string ?? "")
        case .int: self = .int(value.int ?? 0)
        case .double: self = .double(value.double ?? 0)
        case .bool: self = .bool(value.bool ?? false)
        default: self = .string(value.debugDescription)
        }
    }
}

/// A JSON value with ordered object keys, so output shapes are exactly as the contract says.
public indirect enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: Self, b: Self) -> Bool { a.compact() == b.compact() }

    /// Parses one JSON document (a JSONL line, a stored struct); nil when it is not valid JSON.
    public static func parse(_ bytes: [UInt8]) -> JSONValue? {
        guard let doc = try? JSONDocumentReader.read(bytes, maxDepth: 64) else { return nil }
        return value(doc, doc.root)
    }

    /// Parses JSON Lines: each non-blank line's value with its line number, or the first
    /// problem's line and message.
    public static func parseLines(_ bytes: [UInt8]) -> Result<[(line: Int, value: JSONValue)], LineError> {
        do {
            let doc = try JSONDocumentReader.readLines(bytes, maxDepth: 64)
            return .success(doc.itemRange(doc.root).map { position in
                let n = doc.child(position)
                return (doc.location(n).line, value(doc, n))
            })
        } catch {
            return .failure(LineError(line: error.location.line, message: error.message))
        }
    }

    public struct LineError: Error, Sendable {
        public let line: Int
        public let message: String
    }

    /// A flat object of strings, `{"a":"x","b":"y"}`, as stored data versions are; parsed without
    /// building a document since status reads one per stored row. nil for anything else.
    public static func parseStringObject(_ text: String) -> [String: String]? {
        var text = text
        return text.withUTF8 { b -> [String: String]? in
            var out: [String: String] = [:]
            var i = 0
            func skip() { while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 } }
            func string() -> String? {
                guard i < b.count, b[i] == UInt8(ascii: "\"") else { return nil }
                let start = i + 1
                i = start
                while i < b.count, b[i] != UInt8(ascii: "\"") {
                    if b[i] == UInt8(ascii: "\\") { return nil }  // escapes: the general parser
                    i += 1
                }
                guard i < b.count else { return nil }
                i += 1
                return String(decoding: UnsafeBufferPointer(rebasing: b[start..<(i - 1)]), as: UTF8.self)
            }
            skip()
            guard i < b.count, b[i] == UInt8(ascii: "{") else { return nil }
            i += 1
            skip()
            if i < b.count, b[i] == UInt8(ascii: "}") { return out }
            while true {
                skip()
                guard let key = string() else { return nil }
                skip()
                guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                skip()
                guard let value = string() else { return nil }
                out[key] = value
                skip()
                guard i < b.count else { return nil }
                if b[i] == UInt8(ascii: ",") { i += 1; continue }
                if b[i] == UInt8(ascii: "}") { return out }
                return nil
            }
        } ?? parse(Array(text.utf8))?.members?.reduce(into: [:]) { if case let .string(s) = $1.1 { $0[$1.0] = s } }
    }

    private static func value(_ doc: Document, _ n: Document.Node) -> JSONValue {
        switch doc.kind(n) {
        case .quoted: return .string(doc.rawText(n))
        case .plain:
            let text = doc.rawText(n)
            if text == "null" { return .null }
            if text == "true" || text == "false" { return .bool(text == "true") }
            return Int(text).map { .int($0) } ?? .double(Double(text) ?? .nan)
        case .sequence: return .array(doc.itemRange(n).map { value(doc, doc.child($0)) })
        case .mapping: return .object(doc.pairs(n).map { (doc.rawText($0.key), value(doc, $0.value)) })
        }
    }

    public var isNull: Bool { if case .null = self { true } else { false } }

    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        var out = ""
        quote(text, asciiOnly: false, into: &out)
        return out
    }

    /// The members of an object, in order.
    public var members: [(String, JSONValue)]? { if case let .object(m) = self { m } else { nil } }

    public subscript(key: String) -> JSONValue? { members?.first { $0.0 == key }?.1 }
    public func hash(into h: inout Hasher) { h.combine(compact()) }

    /// Two-space indentation, `": "` after keys, non-ASCII kept: the CLI's `--format json`.
    public func pretty() -> String {
        var out = ""
        write(to: &out, indent: 0, style: .pretty)
        return out
    }

    /// No whitespace at all, as metaxy's SQLite store writes structs (`{"audio":"a1"}`).
    public func compact() -> String {
        var out = ""
        write(to: &out, indent: 0, style: .compact)
        return out
    }

    /// Python's `json.dumps` defaults: `", "` and `": "` separators, non-ASCII escaped, floats as
    /// `repr`; with `sortKeys`, `sort_keys=True` (metaxy 0.1.x hashes specs and schemas so).
    public func pythonDumps(sortKeys: Bool = false) -> String {
        var out = ""
        write(to: &out, indent: 0, style: sortKeys ? .pythonSorted : .python)
        return out
    }

    enum Style {
        case pretty, compact, python, pythonSorted

        var isPython: Bool { self == .python || self == .pythonSorted }
    }

    func write(to out: inout String, indent: Int, style: Style) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .int(i): out += String(i)
        case let .double(d): out += style.isPython ? PythonFloat.repr(d) : d.isFinite ? String(d) : "null"
        case let .string(s): Self.quote(s, asciiOnly: style.isPython, into: &out)
        case let .array(items):
            writeContainer(items.map { (nil, $0) }, open: "[", close: "]", to: &out, indent: indent, style: style)
        case let .object(pairs):
            // Python sorts str keys by code point.
            let members = style == .pythonSorted ? pairs.sorted { codePointLess($0.0, $1.0) } : pairs
            writeContainer(members.map { ($0.0, $0.1) }, open: "{", close: "}", to: &out, indent: indent, style: style)
        }
    }

    private func writeContainer(_ items: [(String?, JSONValue)], open: String, close: String,
                                to out: inout String, indent: Int, style: Style) {
        out += open
        guard !items.isEmpty else { out += close; return }
        let pad = style == .pretty ? String(repeating: " ", count: indent + 2) : ""
        for (n, (key, value)) in items.enumerated() {
            if n > 0 { out += style.isPython ? ", " : "," }
            if style == .pretty { out += "\n" + pad }
            if let key {
                Self.quote(key, asciiOnly: style.isPython, into: &out)
                out += style == .compact ? ":" : ": "
            }
            value.write(to: &out, indent: indent + 2, style: style)
        }
        if style == .pretty { out += "\n" + String(repeating: " ", count: indent) }
        out += close
    }

    static func quote(_ s: String, asciiOnly: Bool, into out: inout String) {
        out += "\""
        // Most strings (keys, hashes) need no escape: copy them whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || (asciiOnly && $0 > 0x7E) }) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || (asciiOnly && scalar.value > 0x7E) {
                    for unit in String(scalar).utf16 { out += "\\u" + hex4(unit) }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    private static func hex4(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}
